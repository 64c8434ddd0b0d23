import datetime

import pytest
from django.core import signing

from qualityweek import links


def test_sign_then_unsign_within_max_age_gives_the_value(clock):
    signed = links.sign("key-1", salt="tests.one")

    clock("2023-11-02T09:59+03:00")  # 23 h 59 min later

    assert links.unsign(
        signed, salt="tests.one", max_age=datetime.timedelta(hours=24)
    ) == ("key-1")


def test_unsign_after_max_age_by_the_site_clock_expires(clock):
    signed = links.sign("key-1", salt="tests.one")

    clock("2023-11-02T10:01+03:00")

    with pytest.raises(signing.SignatureExpired):
        links.unsign(signed, salt="tests.one", max_age=datetime.timedelta(hours=24))


def test_unsign_with_another_salt_is_refused(clock):
    signed = links.sign("key-1", salt="tests.one")

    with pytest.raises(signing.BadSignature):
        links.unsign(signed, salt="tests.two", max_age=None)


def test_unsign_tampered_value_is_refused(clock):
    signed = links.sign("key-1", salt="tests.one")

    with pytest.raises(signing.BadSignature):
        links.unsign("key-2" + signed[5:], salt="tests.one", max_age=None)


def test_absolute_prefixes_the_site_url(settings):
    settings.QUALITYWEEK_SITE_URL = "https://qualityweek.example.ru"

    assert links.absolute("/schedule/") == "https://qualityweek.example.ru/schedule/"
