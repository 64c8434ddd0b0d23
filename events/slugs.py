"""Addresses made from people's and bodies' names, Cyrillic in Latin letters.

The transliteration is the one of Russian passports (ICAO Doc 9303, as the
Russian MVD uses it since 2013): what a person sees in their own name abroad.
"""

from django.utils.text import slugify

# The Latin letters of each Russian one, in alphabetical order; "-" spells nothing (ь).
_LATIN = "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch ie y - e iu ia"
_ICAO = {
    letter: latin.replace("-", "")
    for letter, latin in zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя", _LATIN.split(), strict=True
    )
}


def transliterate(text: str) -> str:
    return "".join(_ICAO.get(letter, letter) for letter in text.lower())


def slug_for(name: str, taken: set[str], *, fallback: str, max_length: int = 80) -> str:
    """A slug of the name in Latin letters, not among `taken` (a number is added
    when it is); `fallback` where the name has no letter to keep."""
    base = slugify(transliterate(name))[:max_length].strip("-") or fallback
    slug, number = base, 2
    while slug in taken or slug.isdigit():
        slug = f"{base}-{number}"
        number += 1
    return slug
