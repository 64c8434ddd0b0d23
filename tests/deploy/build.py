"""The image's build outside a container: the Containerfile read, its build
context copied, its build stage's commands run as written."""

import fnmatch
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CONTAINERFILE = ROOT / "deploy" / "Containerfile"


def instructions(path: Path) -> list[tuple[int, str, str]]:
    """(stage, INSTRUCTION, arguments) of each instruction, continuations joined."""
    found, stage, pending = [], -1, ""
    for line in path.read_text().splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        pending += line.rstrip("\\").strip() + " "
        if line.endswith("\\"):
            continue
        keyword, _, arguments = pending.strip().partition(" ")
        stage += keyword.upper() == "FROM"
        found.append((stage, keyword.upper(), arguments.strip()))
        pending = ""
    return found


def ignored(relative: str, patterns: list[str]) -> bool:
    """Whether .dockerignore's patterns keep the path out of the build context."""
    parts = relative.split("/")
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    for pattern in patterns:
        bare = pattern.removeprefix("**/")
        for prefix in prefixes:
            if fnmatch.fnmatchcase(prefix, pattern):
                return True
            if bare != pattern and fnmatch.fnmatchcase(prefix.split("/")[-1], bare):
                return True
    return False


def dockerignore() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and line[0] != "#"]


def copy_build_context(destination: Path) -> None:
    """`COPY . .`: the checkout less what .dockerignore leaves out."""
    patterns = dockerignore()

    def leave_out(directory, names):
        relative = Path(directory).relative_to(ROOT)
        return [
            name
            for name in names
            if ignored((relative / name).as_posix().removeprefix("./"), patterns)
        ]

    shutil.copytree(ROOT, destination, ignore=leave_out, symlinks=True)


def stub(directory: Path, name: str, body: str) -> None:
    path = directory / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)


def run_build_stage(context: Path, work: Path) -> tuple[list, list[str]]:
    """Run the build stage's RUN commands in `context`, in order, with only the
    environment the Containerfile gives them; fail on the first that fails.

    What needs root or the network in the build (Debian's gettext, the
    virtualenv, pip, cleaning up) is recorded instead: this checkout's
    virtualenv holds the same locked packages. manage.py runs for real.
    Returns ((first word, status) of each RUN, the recorded commands).
    """
    stubs = work / "stubs"
    stubs.mkdir()
    record = work / "provisioning.log"
    record.touch()
    log = f'echo "$(basename "$0") $*" >> {shlex.quote(str(record))}\n'
    for name in ("apt-get", "pip", "rm"):
        stub(stubs, name, log)
    stub(
        stubs,
        "python",
        f'if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then {log}exit 0; fi\n'
        f'exec {shlex.quote(sys.executable)} "$@"\n',
    )
    env = {"PATH": f"{stubs}:/usr/bin:/bin", "HOME": str(work)}
    runs = []
    for stage, keyword, arguments in instructions(CONTAINERFILE):
        if stage != 0:
            continue
        if keyword == "ENV":
            for name, value in re.findall(r'(\w+)=("[^"]*"|\S+)', arguments):
                if name != "PATH":  # the virtualenv's bin: the stubs stand in
                    env[name] = value.strip('"')
        elif keyword == "RUN":
            result = subprocess.run(
                # -f: globs stay as written (the stubs only record them).
                ["sh", "-efc", arguments],
                cwd=context,
                env=env,
                capture_output=True,
                text=True,
            )
            runs.append((arguments.split()[0], result.returncode))
            assert result.returncode == 0, arguments + "\n" + result.stderr
    return runs, record.read_text().splitlines()


def image_environment() -> dict[str, str]:
    """The run stage's ENV, as the running containers have it."""
    env = {}
    for stage, keyword, arguments in instructions(CONTAINERFILE):
        if stage == 1 and keyword == "ENV":
            env.update(
                (name, value.strip('"'))
                for name, value in re.findall(r'(\w+)=("[^"]*"|\S+)', arguments)
            )
    return env


def image_command() -> list[str]:
    """The image's CMD (exec form)."""
    import json

    return json.loads(
        next(
            arguments
            for _stage, keyword, arguments in instructions(CONTAINERFILE)
            if keyword == "CMD"
        )
    )
