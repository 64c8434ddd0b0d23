import pytest
from django.utils import translation

from tests.registrations.test_forms import NOT_ONE_LINE, ONE_LINE
from tests.venues.conftest import FORM
from venues.forms import VenueApplicationForm

pytestmark = pytest.mark.django_db


def form(data, consent_text, language="ru"):
    with translation.override(language):
        bound = VenueApplicationForm(data, consent_text=consent_text)
        bound.is_valid()
        return bound


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("value", NOT_ONE_LINE)
@pytest.mark.parametrize(
    "field",
    [
        "city",
        "venue_name",
        "address",
        "organising_body",
        "contact_name",
        "tech_name",
    ],
)
def test_form_one_line_field_with_line_break_or_control_is_refused(
    venue_consent, field, value, language
):
    typed = "Зал " + value

    bound = form({**FORM, field: typed}, venue_consent, language)

    with translation.override(language):
        assert bound.errors == {field: [ONE_LINE[language]]}
    assert bound[field].value() == typed


def test_form_note_keeps_its_lines_and_drops_other_controls(venue_consent):
    typed = "Второй зал\r\nна 20 мест\u202e.\x1b"

    bound = form({**FORM, "note": typed}, venue_consent)

    assert bound.errors == {}
    assert bound.cleaned_data["note"] == "Второй зал\r\nна 20 мест."
