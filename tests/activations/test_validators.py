import pytest
from django.core.exceptions import ValidationError

from activations.validators import is_valid_inn, validate_inn


@pytest.mark.parametrize(
    "inn",
    ["7707083893", "7830002293", "500100732259", "773370857141"],
)
def test_is_valid_inn_with_right_check_digits_is_true(inn):
    assert is_valid_inn(inn) is True


@pytest.mark.parametrize(
    "inn",
    [
        "7707083894",
        "500100732258",
        "500100732269",
        "1234567890",
        "７７０７０８３８９３",
    ],
)
def test_is_valid_inn_with_wrong_check_digits_is_false(inn):
    assert is_valid_inn(inn) is False


@pytest.mark.parametrize("inn", ["770708389", "77070838931", "7707O83893", ""])
def test_validate_inn_of_wrong_length_or_letters_says_how_many_digits(inn):
    with pytest.raises(ValidationError) as refusal:
        validate_inn(inn)

    assert refusal.value.code == "length"


def test_validate_inn_with_a_bad_check_digit_says_it_does_not_exist():
    with pytest.raises(ValidationError) as refusal:
        validate_inn("7707083894")

    assert refusal.value.code == "checksum"
