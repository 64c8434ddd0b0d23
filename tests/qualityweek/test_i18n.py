from pathlib import Path

import polib
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES" / "django.po"


def test_russian_catalogue_has_no_empty_or_fuzzy_entries():
    catalogue = polib.pofile(str(CATALOGUE))

    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    empty_plurals = [
        entry.msgid
        for entry in catalogue
        if entry.msgid_plural and not all(entry.msgstr_plural.values())
    ]

    assert (untranslated, fuzzy, empty_plurals) == ([], [], [])


def test_russian_plurals_have_three_forms():
    catalogue = polib.pofile(str(CATALOGUE))

    forms = {len(entry.msgstr_plural) for entry in catalogue if entry.msgid_plural}

    assert forms <= {3}


def test_russian_catalogue_covers_every_marked_string(tmp_path):
    """makemessages over the code finds nothing the catalogue lacks."""
    import shutil
    import subprocess
    import sys

    copy = tmp_path / "ru.po"
    shutil.copy(CATALOGUE, copy)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "ru",
            "--no-obsolete",
            "--ignore=.venv",
            "--ignore=staticfiles",
            "--ignore=tests",
            "--ignore=bench",
            "-v0",
        ],
        cwd=settings.BASE_DIR,
        check=True,
    )
    try:
        catalogue = polib.pofile(str(CATALOGUE))
        missing = [entry.msgid for entry in catalogue.untranslated_entries()]
        missing += [entry.msgid for entry in catalogue.fuzzy_entries()]
    finally:
        shutil.copy(copy, CATALOGUE)

    assert missing == []
