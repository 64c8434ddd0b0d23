import os
import subprocess
import sys

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


def test_debug_off_without_a_secret_key_refuses_to_start():
    environment = {**os.environ, "DEBUG": "0"}
    environment.pop("SECRET_KEY", None)

    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def hardening_with(**environ) -> str:
    """SECURE_SSL_REDIRECT and the cookies' Secure flags under these variables."""
    left_out = {"DJANGO_ALLOW_ASYNC_UNSAFE", "QUALITYWEEK_SECURE"}
    environment = {
        **{k: v for k, v in os.environ.items() if k not in left_out},
        "SECRET_KEY": "a-throwaway-key-of-the-settings-test-" + "Qm4Xw9Rt2Z" * 4,
        **environ,
    }
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT,"
            " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)",
        ],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_debug_off_is_secure_unless_a_plain_http_trial_says_otherwise():
    assert hardening_with(DEBUG="0") == "True True True 31536000"
    assert hardening_with(DEBUG="0", QUALITYWEEK_SECURE="0") == "False False False 0"
    assert hardening_with(DEBUG="1", QUALITYWEEK_SECURE="1") == (
        "True True True 31536000"
    )
    assert hardening_with(DEBUG="1") == "False False False 0"


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
