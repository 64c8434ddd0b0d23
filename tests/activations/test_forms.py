import pytest
from django.utils import translation

from activations.forms import ActivationForm
from tests.activations.conftest import FORM
from tests.registrations.test_forms import NOT_ONE_LINE, ONE_LINE

pytestmark = pytest.mark.django_db


def form(data, edition, consent_text, language="ru"):
    with translation.override(language):
        bound = ActivationForm(
            data,
            edition=edition,
            consent_text=consent_text,
            submit_label="Send",
        )
        bound.is_valid()
        return bound


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("value", NOT_ONE_LINE)
@pytest.mark.parametrize(
    "field", ["company_name", "city", "title", "address", "contact_name"]
)
def test_form_one_line_field_with_line_break_or_control_is_refused(
    edition_2023, activation_consent, field, value, language
):
    typed = "Активация " + value

    bound = form({**FORM, field: typed}, edition_2023, activation_consent, language)

    with translation.override(language):
        assert bound.errors == {field: [ONE_LINE[language]]}
    assert bound[field].value() == typed


def test_form_description_keeps_its_lines_and_drops_other_controls(
    edition_2023, activation_consent
):
    typed = "Первая строка.\r\n\r\nВто\x07рая\u202e строка\x00.\tТабуляция\u2066."

    bound = form({**FORM, "description": typed}, edition_2023, activation_consent)

    assert bound.errors == {}
    assert bound.cleaned_data["description"] == (
        "Первая строка.\r\n\r\nВторая строка.\tТабуляция."
    )
