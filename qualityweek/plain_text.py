"""Text that people type, kept to what it should be: a name on one line, a
description in lines, neither with invisible control characters."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 and C1 control characters (line breaks and tabs among them), and the Unicode
# marks that turn the direction of text: invisible, and able to make a name read
# differently in admin, an export or a printed list. A line break in a title made
# every letter about it fail (a mail header cannot hold one).
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# U+2028 and U+2029 separate lines as well as a line feed does.
NOT_ONE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}]")
# What a multi-line text loses: the same, but for its line breaks and tabs.
NOT_IN_TEXT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{BIDI_CONTROLS}]")


def validate_one_line(value: str) -> None:
    """Refuse line breaks, control characters and direction marks in a one-line
    field, saying so in the visitor's language."""
    if NOT_ONE_LINE.search(value):
        raise ValidationError(
            _(
                "Use one line of plain text: no line breaks, tabs or invisible "
                "control characters."
            ),
            code="control_characters",
        )


def without_controls(text: str) -> str:
    """A multi-line text with its line breaks, without other control characters."""
    return NOT_IN_TEXT.sub("", text)


def one_line(text: str) -> str:
    """Any stored text made safe for one line, such as a letter's subject: line
    breaks and tabs become spaces, other control characters go."""
    return " ".join(
        NOT_ONE_LINE.sub(
            lambda m: " " if m[0] in "\t\n\r\u2028\u2029" else "", text
        ).split()
    )
