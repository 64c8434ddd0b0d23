"""The layers of STYLE.md hold, and the contract in pyproject.toml catches a breach.

`make lint` runs import-linter with the contracts of `[tool.importlinter]`; these
tests prove that a wrong import written on purpose breaks them, on a copy of the
code, and that the programme names no feature but through its registries.
"""

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [
    "qualityweek",
    "events",
    "registrations",
    "activations",
    "venues",
    "myweek",
    "surveys",
    "winners",
]
FEATURES = {"registrations", "activations", "venues", "myweek", "surveys", "winners"}
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

# A feature named in a string: a module path, a URL name, a template or a
# permission ("registrations.tasks.x", "activations:list", "venues/x.html").
FEATURE_IN_STRING = re.compile(
    r"\b(?:registrations|activations|venues|myweek|surveys|winners)[.:/]\w"
)


def lint_imports(directory: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", "pyproject.toml"],
        cwd=directory,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(directory)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def code_copy(tmp_path) -> Path:
    """The site's Python packages and its contract, in a directory of their own."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.html", "*.ttf", "*.txt"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_code_keeps_every_contract():
    result = lint_imports(ROOT)

    assert result.returncode == 0, result.stdout
    assert "Contracts: 3 kept, 0 broken." in result.stdout


def test_the_copy_keeps_every_contract_as_the_code_does(code_copy):
    result = lint_imports(code_copy)

    assert result.returncode == 0, result.stdout
    assert "Contracts: 3 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # The programme reaching up into a feature.
        (
            "events/upward.py",
            "from registrations.models import Registration",
            "Features on the programme, never on each other BROKEN",
        ),
        # One feature reaching sideways into another.
        (
            "activations/sideways.py",
            "from venues.models import VenueApplication",
            "Features on the programme, never on each other BROKEN",
        ),
        # The shared ground reaching up into the programme.
        (
            "qualityweek/ground.py",
            "from events.models import Event",
            "The shared ground imports no app; only the composition root does BROKEN",
        ),
        # An app importing the composition root.
        (
            "venues/root.py",
            "from qualityweek import urls",
            "Nothing imports the composition root BROKEN",
        ),
    ],
)
def test_a_wrong_import_breaks_the_contract(code_copy, module, line, broken):
    (code_copy / module).write_text(f"{line}\n")

    result = lint_imports(code_copy)

    assert result.returncode == 1
    assert broken in result.stdout
    assert "Contracts: 2 kept, 1 broken." in result.stdout


def test_the_composition_root_may_import_every_app(code_copy):
    urls = code_copy / "qualityweek" / "urls.py"
    urls.write_text(
        "import activations.models\nimport registrations.models\n"
        "import venues.models\n" + urls.read_text()
    )

    result = lint_imports(code_copy)

    assert result.returncode == 0, result.stdout


def names_a_feature(path: Path) -> bool:
    """Whether the module imports a feature or names one in a string."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            modules = [node.module]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if FEATURE_IN_STRING.search(node.value):
                return True
            continue
        else:
            continue
        if any(module.split(".")[0] in FEATURES for module in modules):
            return True
    return False


def test_the_programme_names_no_feature_but_through_its_registries():
    naming = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "events").rglob("*.py")
        if "migrations" not in path.parts and names_a_feature(path)
    }

    assert naming == set()
