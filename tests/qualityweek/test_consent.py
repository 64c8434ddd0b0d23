"""Consent and operator texts are organisers' plain text: shown escaped, in
paragraphs, and never compiled as templates."""

import json
from pathlib import Path

import pytest
from crispy_forms.utils import render_crispy_form
from django.conf import settings
from django.utils.html import escape

from qualityweek.models import ConsentText, DataOperator
from registrations.forms import RegistrationForm
from tests.factories import (
    ConsentTextFactory,
    EventFactory,
    VenueCallFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db
HOSTILE = (
    "{% if %}Согласие{% endif %} {{ request.META }} {% load static %}"
    " {{ csrf_token }} {# note #}\n\nВторой абзац."
)
SHIPPED = json.loads(
    (Path(settings.BASE_DIR) / "fixtures" / "quality_week_2023.json").read_text()
)


def shipped_consent_texts() -> list[dict]:
    return [
        row["fields"] for row in SHIPPED if row["model"] == "qualityweek.consenttext"
    ]


@pytest.mark.parametrize(
    "fields", shipped_consent_texts(), ids=lambda fields: fields["purpose"]
)
def test_full_text_of_each_shipped_consent_renders_its_paragraphs_unchanged(fields):
    consent_text = ConsentText.objects.create(**fields)
    form = RegistrationForm(None, consent_text=consent_text, submit_label="Register")

    html = render_crispy_form(form)

    paragraphs = "\n\n".join(
        f"<p>{escape(paragraph)}</p>" for paragraph in fields["text"].split("\n\n")
    )
    assert (
        '<details class="consent-text mb-2"><summary>Полный текст согласия</summary>'
        f'<div class="small">{paragraphs}</div>'
        f'<p class="small text-body-secondary">Редакция {fields["version"]}</p>'
        "</details>"
    ) in html


def test_full_text_with_template_tags_shows_them_literally():
    consent_text = ConsentTextFactory(version="t-1", text=HOSTILE)
    form = RegistrationForm(None, consent_text=consent_text, submit_label="Register")

    html = render_crispy_form(form)

    assert (
        '<div class="small"><p>{% if %}Согласие{% endif %} {{ request.META }}'
        " {% load static %} {{ csrf_token }} {# note #}</p>\n\n"
        "<p>Второй абзац.</p></div>"
    ) in html


def test_operator_line_with_template_tags_shows_them_literally():
    DataOperator.objects.create(
        pk=1,
        name="ООО «Качество & {{ request.META.HTTP_HOST }}»",
        address="Москва, {% now 'Y' %}",
        email="pd@example.ru",
    )
    consent_text = ConsentTextFactory(version="t-2")
    form = RegistrationForm(None, consent_text=consent_text, submit_label="Register")

    html = render_crispy_form(form)

    assert (
        '<p class="small consent-operator">Оператор персональных данных: '
        "ООО «Качество &amp; {{ request.META.HTTP_HOST }}», "
        "Москва, {% now &#x27;Y&#x27; %}."
    ) in html


@pytest.fixture
def hostile_texts(edition_2023, clock, settings, tmp_path):
    DataOperator.objects.create(
        pk=1, name="{% if %}", address="{{ request.META }}", email="pd@example.ru"
    )
    for purpose in ConsentText.Purpose.values:
        ConsentTextFactory(purpose=purpose, version=f"{purpose}-x", text=HOSTILE)
    VenueCallFactory(edition=edition_2023)
    return EventFactory(
        edition=edition_2023,
        format="hybrid",
        venue=VenueFactory(),
        takes_registrations=True,
        consent_text=ConsentText.objects.get(version="registration-x"),
    )


@pytest.mark.parametrize(
    "path", ["/activations/new/", "/regional-venues/new/", "register", "online"]
)
def test_public_forms_with_template_tags_in_consent_answer_200_and_show_them(
    client, hostile_texts, path
):
    if path in ("register", "online"):
        path = f"/events/{hostile_texts.slug}/{path}/"

    response = client.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    assert "{% if %}Согласие{% endif %} {{ request.META }} {% load static %}" in html
    assert "Оператор персональных данных: {% if %}, {{ request.META }}." in html
