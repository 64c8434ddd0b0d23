"""The taxpayer number (ИНН) of a Russian company or entrepreneur."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Check-digit weights of the Federal Tax Service.
_WEIGHTS_10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _check_digit(digits: list[int], weights: tuple[int, ...]) -> int:
    return sum(d * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def is_valid_inn(inn: str) -> bool:
    """10 digits (an organisation) or 12 (an entrepreneur), check digits right."""
    if not (inn.isascii() and inn.isdigit() and len(inn) in (10, 12)):
        return False
    digits = [int(character) for character in inn]
    if len(digits) == 10:
        return _check_digit(digits, _WEIGHTS_10) == digits[9]
    return (
        _check_digit(digits, _WEIGHTS_11) == digits[10]
        and _check_digit(digits, _WEIGHTS_12) == digits[11]
    )


def validate_inn(value: str) -> None:
    if not (value.isascii() and value.isdigit() and len(value) in (10, 12)):
        raise ValidationError(
            _("The INN has 10 digits (an organisation) or 12 (an entrepreneur)."),
            code="length",
        )
    if not is_valid_inn(value):
        raise ValidationError(
            _("This INN does not exist: its check digits do not match. Check it."),
            code="checksum",
        )
