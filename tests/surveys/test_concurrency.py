"""One link, many simultaneous submissions (a double click, two tabs): one response."""

import pytest
from django.db import connections

from surveys import services
from surveys.models import SurveyInvitation, SurveyResponse
from tests.registrations.test_concurrency import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 20


@pytest.fixture(autouse=True)
def _sqlite_waits(settings):
    database = connections.settings["default"]
    options = database.setdefault("OPTIONS", {})
    before = options.get("timeout")
    options["timeout"] = 120
    yield
    options["timeout"] = before


def test_answer_sent_20_times_at_once_keeps_one_response(regional_day, questions):
    invitation = SurveyInvitation.objects.create(
        event=regional_day, source="registrations", respondent_pk=1
    )
    refused = []

    def submit(score):
        try:
            services.answer(invitation, {questions[0]: score, questions[1]: ""})
        except services.SurveyError:
            refused.append(score)

    errors = run_at_once(
        [[lambda score=1 + n % 5: submit(score)] for n in range(THREADS)]
    )

    assert errors == []
    assert SurveyResponse.objects.count() == 1
    assert len(refused) == THREADS - 1
