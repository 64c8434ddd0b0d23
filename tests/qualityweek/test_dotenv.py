"""A `.env` beside manage.py, and the release the site names."""

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
STRONG_KEY = "a-throwaway-key-of-the-dotenv-test-" + "Vb7Rk2Qx9M" * 4


@pytest.fixture
def checkout(tmp_path):
    """A copy of the project, without this checkout's own .env or databases."""
    copy = tmp_path / "checkout"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "build", "staticfiles", "media", "db.sqlite3*", ".env"
        ),
    )
    return copy


def settings_in(checkout: Path, expression: str, **environ) -> str:
    """Print `expression` (of `s`, the settings) from the checkout, with only
    these variables besides PATH and HOME."""
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            f"from django.conf import settings as s; print(({expression}))",
        ],
        cwd=checkout,
        env={"PATH": os.environ["PATH"], "HOME": str(checkout), **environ},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_dotenv_fills_in_what_the_environment_leaves_unset(checkout):
    (checkout / ".env").write_text(
        "# production-like values of a developer's own\n"
        "DEBUG=0\n"
        f"SECRET_KEY={STRONG_KEY}\n"
        "ALLOWED_HOSTS=qualityweek.example.ru,127.0.0.1\n"
        "QUALITYWEEK_SITE_URL=https://qualityweek.example.ru\n"
    )

    printed = settings_in(
        checkout,
        f"s.DEBUG, s.SECRET_KEY == {STRONG_KEY!r}, s.ALLOWED_HOSTS,"
        " s.QUALITYWEEK_SITE_URL",
    )

    assert printed == (
        "(False, True, ['qualityweek.example.ru', '127.0.0.1'],"
        " 'https://qualityweek.example.ru')"
    )


def test_dotenv_never_overrides_the_real_environment(checkout):
    (checkout / ".env").write_text(
        "DEBUG=0\nQUALITYWEEK_SITE_URL=https://from-the-file.example.ru\n"
    )

    printed = settings_in(
        checkout,
        "s.DEBUG, s.QUALITYWEEK_SITE_URL",
        DEBUG="1",
        QUALITYWEEK_SITE_URL="https://from-the-environment.example.ru",
    )

    assert printed == "(True, 'https://from-the-environment.example.ru')"


def test_without_dotenv_the_settings_read_the_environment_alone(checkout):
    printed = settings_in(checkout, "s.DEBUG, s.ALLOWED_HOSTS", DEBUG="1")

    assert printed == "(True, ['127.0.0.1', 'localhost', '[::1]'])"


def test_dotenv_is_never_committed():
    ignored = (ROOT / ".gitignore").read_text().splitlines()

    assert "/.env" in ignored


PYPROJECT_VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
    "version"
]


def test_site_version_command_prints_pyproject_version():
    result = subprocess.run(
        [sys.executable, "manage.py", "site_version"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )

    assert (result.returncode, result.stdout) == (0, PYPROJECT_VERSION + "\n")


@pytest.mark.django_db
def test_pages_name_the_release_in_their_generator_meta(client, edition_2023):
    html = client.get("/").content.decode()

    assert re.findall(r'<meta name="generator" content="([^"]+)">', html) == [
        f"Quality Week {PYPROJECT_VERSION}"
    ]


def test_changelog_has_a_section_for_the_current_version():
    changelog = (ROOT / "CHANGELOG.md").read_text()

    assert f"## [{PYPROJECT_VERSION}] - " in changelog
    assert changelog.index("## [Unreleased]") < changelog.index(
        f"## [{PYPROJECT_VERSION}]"
    )
