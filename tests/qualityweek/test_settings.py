import os
import subprocess
import sys

import pytest
from django.conf import settings


def test_check_deploy_with_production_values_prints_no_warning():
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE belongs to the test process only.
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "SECRET_KEY": "a-real-production-secret-"
        + "x7Kp2vQ9zR4mN8wL3jH6tY1bC5dF0gS" * 2,
        "ALLOWED_HOSTS": "qualityweek.example.ru",
        "DATABASE_URL": "sqlite:////tmp/deploy-check.sqlite3",
        "EMAIL_URL": "smtp+tls://qualityweek:password@smtp.example.ru:587",
        "CACHE_URL": "rediscache://127.0.0.1:6379/1",
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )

    assert (result.returncode, result.stderr) == (0, "")
    assert "no issues" in result.stdout


STRONG_KEY = "a-throwaway-key-of-the-settings-test-" + "Qm4Xw9Rt2Z" * 4


def settings_under(expression: str, **environ) -> subprocess.CompletedProcess:
    """Print `expression` (of `s`, the settings) in a process with these variables;
    None as a value leaves the variable out."""
    left_out = {"DJANGO_ALLOW_ASYNC_UNSAFE", "QUALITYWEEK_SECURE", "DEBUG"}
    environment = {
        **{k: v for k, v in os.environ.items() if k not in left_out},
        "SECRET_KEY": STRONG_KEY,
        "ALLOWED_HOSTS": "qualityweek.example.ru",
        **environ,
    }
    environment = {k: v for k, v in environment.items() if v is not None}
    return subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            f"from django.conf import settings as s; print({expression})",
        ],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )


def hardening_with(**environ) -> str:
    """SECURE_SSL_REDIRECT and the cookies' Secure flags under these variables."""
    result = settings_under(
        "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS",
        **environ,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_debug_is_off_unless_set():
    unset = settings_under("s.DEBUG, s.ALLOWED_HOSTS")
    on = settings_under("s.DEBUG, s.ALLOWED_HOSTS", DEBUG="1", ALLOWED_HOSTS=None)

    assert (unset.returncode, unset.stdout) == (
        0,
        "False ['qualityweek.example.ru']\n",
    )
    assert (on.returncode, on.stdout) == (
        0,
        "True ['127.0.0.1', 'localhost', '[::1]']\n",
    )


@pytest.mark.parametrize(
    "key",
    [
        None,
        "",
        "django-insecure-local-only-key-for-development",
        "django-insecure-" + "Qm4Xw9Rt2Z" * 5,
        "short-but-random-Qm4Xw9Rt2Z",
        "a" * 64,
    ],
    ids=["unset", "empty", "development", "insecure-prefix", "short", "one-letter"],
)
def test_debug_off_refuses_to_start_without_a_real_secret_key(key):
    result = settings_under("s.SECRET_KEY", SECRET_KEY=key)

    assert result.returncode != 0
    assert "ImproperlyConfigured: DEBUG is off: set SECRET_KEY" in result.stderr


@pytest.mark.parametrize("hosts", [None, "", ","])
def test_debug_off_refuses_to_start_without_allowed_hosts(hosts):
    result = settings_under("s.ALLOWED_HOSTS", ALLOWED_HOSTS=hosts)

    assert result.returncode != 0
    assert "ImproperlyConfigured: DEBUG is off: set ALLOWED_HOSTS" in result.stderr


def test_debug_off_is_secure_unless_a_plain_http_trial_says_otherwise():
    assert hardening_with(DEBUG="0") == "True True True 31536000"
    assert hardening_with(DEBUG="0", QUALITYWEEK_SECURE="0") == "False False False 0"
    assert hardening_with(DEBUG="1", QUALITYWEEK_SECURE="1") == (
        "True True True 31536000"
    )
    assert hardening_with(DEBUG="1") == "False False False 0"
    assert hardening_with() == "True True True 31536000"


def deploy_warnings() -> list[str]:
    from django.core.checks import Tags, run_checks

    return [
        message.id
        for message in run_checks(include_deployment_checks=True, tags=[Tags.security])
        if message.id.startswith("qualityweek.")
    ]


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
    ],
)
def test_deploy_check_warns_of_letters_kept_in_the_process(settings, backend):
    settings.CACHES = {"default": {"BACKEND": "qualityweek.cache.FailSoftRedisCache"}}
    settings.EMAIL_BACKEND = backend

    assert deploy_warnings() == ["qualityweek.W001"]


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    ],
)
def test_deploy_check_warns_of_a_cache_per_process(settings, backend):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.CACHES = {"default": {"BACKEND": backend}}

    assert deploy_warnings() == ["qualityweek.W002"]


def test_deploy_check_warns_of_the_published_trial_key(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.CACHES = {"default": {"BACKEND": "qualityweek.cache.FailSoftRedisCache"}}
    settings.SECRET_KEY = (
        "change-me-this-is-a-trial-key-and-signs-nothing-that-matters-0123456789"
    )

    assert deploy_warnings() == ["qualityweek.W003"]


def test_deploy_check_is_quiet_with_production_values_or_debug(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.CACHES = {"default": {"BACKEND": "qualityweek.cache.FailSoftRedisCache"}}
    quiet = deploy_warnings()
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }

    assert (quiet, deploy_warnings()) == ([], [])


def test_site_runs_on_moscow_time_with_russian_by_default():
    assert (settings.TIME_ZONE, settings.USE_TZ, settings.LANGUAGE_CODE) == (
        "Europe/Moscow",
        True,
        "ru",
    )


def test_refused_form_gets_the_site_own_403_page_in_russian(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/regional-day/", {})

    page = response.content.decode()
    assert response.status_code == 403
    assert "Срок действия формы истёк" in page
    assert "DEBUG" not in page


def test_favicon_points_to_the_logo(client):
    response = client.get("/favicon.ico")

    assert (response.status_code, response["Location"]) == (301, "/static/img/logo.svg")
