
from qualityweek import spam


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
