"""The three public forms (a sign-up, an activation, a venue's application) and
their entries share one base: each gets the same behaviour a stranger and an
organiser notice."""

import datetime

import pytest
from crispy_forms.utils import render_crispy_form
from django.utils import translation

from activations import services as activation_services
from activations.forms import ActivationForm
from events.models import Edition
from registrations.forms import OnlineRegistrationForm, RegistrationForm
from tests.activations.conftest import FORM as ACTIVATION
from tests.factories import (
    ActivationFactory,
    ConsentTextFactory,
    EditionFactory,
    VenueApplicationFactory,
)
from tests.registrations.test_forms import VALID as PERSON
from tests.spam import shown
from tests.venues.conftest import FORM as VENUE
from venues import services as venue_services
from venues.forms import VenueApplicationForm

pytestmark = pytest.mark.django_db


def edition() -> Edition:
    return Edition.objects.filter(year=2023).first() or EditionFactory(year=2023)


def registration(data, consent_text):
    return RegistrationForm(data, consent_text=consent_text, submit_label="Send")


def online_registration(data, consent_text):
    if data is not None:
        data = {f"online-{name}": value for name, value in data.items()}
    return OnlineRegistrationForm(data, consent_text=consent_text, submit_label="Send")


def activation(data, consent_text):
    return ActivationForm(
        data, edition=edition(), consent_text=consent_text, submit_label="Send"
    )


def venue(data, consent_text):
    return VenueApplicationForm(data, consent_text=consent_text)


FORMS = {
    "registration": (registration, PERSON, "registration"),
    "online registration": (online_registration, PERSON, "registration"),
    "activation": (activation, ACTIVATION, "activation"),
    "venue application": (venue, VENUE, "venue_application"),
}
WITH_PHONE = ["registration", "activation", "venue application"]


def filled(kind, language="ru", **changes):
    make, data, purpose = FORMS[kind]
    data = {**data, **shown(), **changes}
    with translation.override(language):
        form = make(data, ConsentTextFactory(purpose=purpose, version="base-1"))
        form.is_valid()
    return form


@pytest.mark.parametrize("kind", FORMS)
def test_each_form_takes_its_valid_data(kind, clock):
    form = filled(kind)

    assert form.errors == {}


@pytest.mark.parametrize("kind", FORMS)
@pytest.mark.parametrize(("language", "says"), [("ru", "согласие"), ("en", "consent")])
def test_each_form_needs_the_consent_and_says_so(kind, language, says, clock):
    form = filled(kind, language, consent="")

    with translation.override(language):
        message = str(form.errors["consent"][0])
    assert list(form.errors) == ["consent"]
    assert says in message.lower()


@pytest.mark.parametrize("kind", FORMS)
def test_each_form_keeps_the_e_mail_trimmed_and_in_lower_case(kind, clock):
    form = filled(kind, email="  Anna.Petrova@Example.RU ")

    assert form.cleaned_data["email"] == "anna.petrova@example.ru"


@pytest.mark.parametrize("kind", FORMS)
def test_each_form_explains_a_mistyped_e_mail_in_the_visitor_language(kind, clock):
    russian = str(filled(kind, email="anna@").errors["email"][0])
    with translation.override("en"):
        english = str(filled(kind, "en", email="anna@").errors["email"][0])

    assert russian == "Укажите адрес электронной почты в виде name@example.ru."
    assert english == "Enter an e-mail address such as name@example.ru."


@pytest.mark.parametrize("kind", WITH_PHONE)
def test_each_form_stores_the_phone_in_one_spelling(kind, clock):
    assert filled(kind, phone="8 (916) 123-45-67").cleaned_data["phone"] == (
        "+79161234567"
    )
    assert "+7 916 123-45-67" in str(filled(kind, phone="12").errors["phone"][0])


@pytest.mark.parametrize("kind", FORMS)
def test_each_form_refuses_a_line_break_in_a_one_line_field(kind, clock):
    form = filled(kind, email="anna@example.ru\nbcc@example.ru")

    assert "email" in form.errors


@pytest.mark.parametrize("kind", FORMS)
def test_each_form_takes_a_filled_trap_for_a_robot(kind, clock):
    form = filled(kind, homepage="https://spam.example")

    assert form.is_spam


@pytest.mark.parametrize("kind", FORMS)
def test_each_form_shows_the_full_consent_text_and_its_policy_link(kind, clock):
    make, _, purpose = FORMS[kind]
    consent_text = ConsentTextFactory(
        purpose=purpose, version="base-2", text="Текст согласия.\n\nВторой абзац."
    )

    html = render_crispy_form(make(None, consent_text))

    assert "<p>Текст согласия.</p>" in html
    assert 'href="/privacy/"' in html
    assert 'class="hp-field"' in html
    assert 'novalidate=""' in html


@pytest.mark.parametrize("kind", ["activation", "venue application"])
def test_without_a_consent_text_in_force_the_form_asks_none(kind, clock):
    make, data, _ = FORMS[kind]

    form = make({**data, **shown(), "consent": ""}, None)

    assert "consent" not in form.fields
    assert form.is_valid(), form.errors


def moderated_entries():
    return [
        (ActivationFactory, activation_services),
        (VenueApplicationFactory, venue_services),
    ]


@pytest.mark.parametrize(("factory", "services"), moderated_entries())
def test_each_moderated_entry_is_rejected_with_the_reason_trimmed(
    factory, services, clock
):
    entry = factory(edition=edition())

    services.reject(entry, reason="  Нет адреса.  ")

    entry.refresh_from_db()
    assert entry.status == "rejected"
    assert entry.rejection_reason == "Нет адреса."


@pytest.mark.parametrize(("factory", "services"), moderated_entries())
def test_approving_a_rejected_entry_clears_the_old_reason(factory, services, clock):
    entry = factory(edition=edition())
    services.reject(entry, reason="Нет адреса.")

    services.approve(entry)

    entry.refresh_from_db()
    assert entry.status == "approved"
    assert entry.rejection_reason == ""
    assert entry.moderated_at is not None


@pytest.mark.parametrize(("factory", "services"), moderated_entries())
def test_the_moment_of_moderation_is_by_the_site_clock(factory, services, clock):
    clock("2023-11-02T12:00+03:00")
    entry = factory(edition=edition())

    services.reject(entry, reason="Нет адреса.")

    entry.refresh_from_db()
    set_at = datetime.datetime.fromisoformat("2023-11-02T12:00+03:00")
    assert (
        datetime.timedelta(0)
        <= entry.moderated_at - set_at
        < (datetime.timedelta(minutes=1))
    )
