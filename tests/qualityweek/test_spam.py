import time

import pytest

from qualityweek import spam


def test_render_stamp_tells_its_age_in_real_seconds():
    stamp = spam.render_stamp(time.time() - 30)

    assert spam.stamp_age(stamp) == pytest.approx(30, abs=2)


@pytest.mark.parametrize(
    "value", [None, "", "garbage", "1700000000", "1700000000:AAAAAAAAAAAAAAAAAAAA"]
)
def test_stamp_missing_or_forged_has_no_age(value):
    assert spam.stamp_age(value) is None


def test_stamp_of_another_purpose_has_no_age():
    from django.core import signing

    other = signing.Signer(salt="registrations.confirm").sign(str(int(time.time())))

    assert spam.stamp_age(other) is None


def test_render_time_input_keeps_a_recent_stamp_and_renews_an_old_one():
    recent = spam.render_stamp(time.time() - 600)
    old = spam.render_stamp(time.time() - 2 * 24 * 3600)
    widget = spam.RenderTimeInput()

    assert widget.format_value(recent) == recent
    assert spam.stamp_age(widget.format_value(old)) == pytest.approx(0, abs=2)
    assert spam.stamp_age(widget.format_value(None)) == pytest.approx(0, abs=2)


def test_email_key_is_the_same_for_one_address_and_never_holds_it():
    key = spam.email_key(" Ivan.Petrov@Example.RU ")

    assert key == spam.email_key("ivan.petrov@example.ru")
    assert key != spam.email_key("maria@example.ru")
    assert "ivan" not in key


def test_first_in_says_yes_once_per_period():
    answers = [spam.first_in("letter:1", seconds=60) for _ in range(3)]

    assert answers == [True, False, False]
    assert spam.first_in("letter:2", seconds=60) is True


def test_first_in_lets_the_letter_through_when_the_cache_is_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "qualityweek.cache.FailSoftRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }

    assert [spam.first_in("letter:1", seconds=60) for _ in range(2)] == [True, True]


def test_render_stamps_of_one_second_differ():
    moment = time.time()

    assert spam.render_stamp(moment) != spam.render_stamp(moment)


def test_stamp_is_spent_once_until_given_back():
    stamp = spam.render_stamp()

    first, replay = spam.spend_stamp(stamp), spam.spend_stamp(stamp)
    spam.give_back_stamp(stamp)

    assert (first, replay, spam.spend_stamp(stamp)) == (True, False, True)


def test_stamp_is_good_as_before_when_the_cache_is_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "qualityweek.cache.FailSoftRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    stamp = spam.render_stamp()

    assert [spam.spend_stamp(stamp) for _ in range(2)] == [True, True]
