"""Error reports (the admins' e-mail, a DEBUG page) never carry a person's data."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from activations.emails import edit_url
from tests.factories import (
    ActivationFactory,
    ConsentTextFactory,
    RegistrationFactory,
)

# What a person types, distinctive enough to find anywhere in a report.
PERSON = {
    "surname": "Зарубина-Отчётная",
    "name": "Евлампия",
    "patronymic": "Мефодьевна",
    "contact_name": "Евлампия Зарубина-Отчётная",
    "email": "evlampiya.report@example.ru",
    "phone": "+7 916 555-01-23",
    "organisation": "ООО «Тайный завод»",
    "position": "инспектор отчётов",
    "inn": "500100732259",
    "consent": "on",
}


def report_of(request) -> str:
    """The text and HTML of the error report Django would make of this request."""
    error = RuntimeError("a failure after the form was read")
    reporter = ExceptionReporter(request, RuntimeError, error, None)
    return reporter.get_traceback_text() + reporter.get_traceback_html()


@pytest.fixture
def form_pages(clock, regional_day):
    """path: the client that posts there, for every form that takes a person's data."""
    ConsentTextFactory(purpose="activation", version="2023-A1")
    organiser = User.objects.create_superuser("reports", password="a-long-password-1")
    admin_client = Client()
    admin_client.force_login(organiser)
    registration = RegistrationFactory(event=regional_day)
    activation = ActivationFactory(edition=regional_day.edition)
    edit_path = "/" + edit_url(activation).split("://", 1)[1].split("/", 1)[1]
    return {
        "/regional-day/": Client(),
        f"/events/{regional_day.slug}/register/": Client(),
        "/en/regional-day/": Client(),
        "/activations/new/": Client(),
        edit_path: Client(),
        f"/admin/registrations/registration/{registration.pk}/change/": admin_client,
        f"/admin/activations/activation/{activation.pk}/change/": admin_client,
    }


def test_forms_with_personal_data_are_masked_in_error_reports(form_pages):
    leaks = {}
    masked = {}
    for path, client in form_pages.items():
        request = client.post(path, PERSON).wsgi_request
        report = report_of(request)
        leaks[path] = sorted(
            field
            for field, value in PERSON.items()
            if value in report and value != "on"
        )
        masked[path] = set(
            SafeExceptionReporterFilter().get_post_parameters(request).values()
        )

    assert leaks == {path: [] for path in form_pages}
    assert masked == {path: {"********************"} for path in form_pages}
