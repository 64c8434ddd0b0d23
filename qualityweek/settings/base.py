"""Django's core settings: apps, database, cache, mail, tasks, languages, files."""

import datetime
import hashlib
import os
import tomllib
from pathlib import Path
from tempfile import gettempdir

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# The release, as pyproject.toml names it (CHANGELOG.md says what each brought).
QUALITYWEEK_VERSION = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())[
    "project"
]["version"]

# A `.env` beside manage.py (KEY=value lines, as in deploy/env.example) fills in
# what the environment leaves unset; a variable set in the environment always
# wins, so systemd's EnvironmentFile and compose's env_file stay in charge.
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

env = environ.Env(
    # Off unless said: a forgotten variable must not show tracebacks and settings
    # to the world. `make run` and the tests set DEBUG=1.
    DEBUG=(bool, False),
    CSRF_TRUSTED_ORIGINS=(list, []),
    QUALITYWEEK_CLOCK=(str, ""),
    QUALITYWEEK_SITE_URL=(str, "http://127.0.0.1:8000"),
)

DEBUG = env("DEBUG")
# The fallback key and hosts only ever serve local work: with DEBUG off the site
# refuses to start without its own, rather than sign sessions and links with a
# key that anyone can read here.
DEVELOPMENT_SECRET_KEY = "django-insecure-local-only-key-for-development"
SECRET_KEY = env("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY if DEBUG else "")
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS",
    default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [],
)
if not DEBUG:
    # Django's own measure of a strong key (security.W009), made a refusal.
    if (
        len(SECRET_KEY) < 50
        or len(set(SECRET_KEY)) < 5
        or SECRET_KEY.startswith("django-insecure-")
    ):
        raise ImproperlyConfigured(
            "DEBUG is off: set SECRET_KEY to a random value of at least 50"
            " characters, e.g. python3 -c 'import secrets;"
            " print(secrets.token_urlsafe(50))'."
        )
    if not [host for host in ALLOWED_HOSTS if host.strip()]:
        raise ImproperlyConfigured(
            "DEBUG is off: set ALLOWED_HOSTS to the site's host names, comma-separated."
        )
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin, on our site class: sign-in with a second factor.
    "qualityweek.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # One-time recovery codes, for a sign-in without the phone.
    "django_otp.plugins.otp_static",
    "qualityweek",
    "events",
    "registrations",
    "activations",
    "venues",
    "myweek",
    "surveys",
    "winners",
]

MIDDLEWARE = [
    # First: everything after it (rate limits, logs) sees the visitor's address.
    "qualityweek.client_address.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything reads the path, the session or the database.
    "qualityweek.middleware.MalformedRequestMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A view that cannot reach the database answers the site's 503 page.
    "qualityweek.errors.OutageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Tells whether this session gave a two-factor code (user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Ends idle staff sessions, and says so in a message.
    "qualityweek.accounts.StaffSessionIdleMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns axes' refusal of a locked-out sign-in into our page (last, as axes says).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qualityweek.urls"
WSGI_APPLICATION = "qualityweek.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qualityweek.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock instead of failing with "database is locked", so
    # that seat counts stay correct under concurrent sign-ups (see STYLE.md).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
    # Tests use a file too: connections to the in-memory test database share one
    # cache, whose table locks fail at once ("database table is locked") instead of
    # waiting, so concurrent sign-ups could not be tested. One file per process.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(gettempdir()) / f"qualityweek-test-{os.getpid()}.sqlite3")
    }
elif env.int("QUALITYWEEK_DB_POOL", default=0):
    # psycopg's connection pool (Django 5.1+): at most this many connections per
    # process, shared by its threads; a thread waits for a free one.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The pool checks each connection it hands out: one the server dropped while
    # it waited (a restart, pg_terminate_backend) is replaced, never handed out.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": env.int("QUALITYWEEK_DB_POOL"),
        "timeout": 60,
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
# Parallel test runs on one PostgreSQL server each need their own test database.
if env("QUALITYWEEK_TEST_DATABASE", default=""):
    DATABASES["default"]["TEST"] = {"NAME": env("QUALITYWEEK_TEST_DATABASE")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://qualityweek")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Redis down is a slower site, never a broken one (qualityweek/cache.py).
    CACHES["default"]["BACKEND"] = "qualityweek.cache.FailSoftRedisCache"
# Two deployments sharing one Redis never read each other's pages: every key
# starts with the site's prefix. By default it names the database, which is what
# makes a deployment; QUALITYWEEK_CACHE_KEY_PREFIX (or CACHE_URL's ?key_prefix=,
# which django-environ 0.14 leaves unused for Redis) names it outright.
CACHES["default"]["KEY_PREFIX"] = (
    env("QUALITYWEEK_CACHE_KEY_PREFIX", default="")
    or CACHES["default"].pop("key_prefix", "")
    or CACHES["default"].get("KEY_PREFIX", "")
    or "qw-"
    + hashlib.sha256(
        "|".join(
            str(DATABASES["default"].get(part) or "")
            for part in ("ENGINE", "HOST", "PORT", "NAME")
        ).encode()
    ).hexdigest()[:12]
)
CACHES["default"].pop("key_prefix", None)
# Where the shared cache is another process (Redis), each process keeps the
# pages it serves most in a tier of its own, up to this many bytes.
QUALITYWEEK_LOCAL_CACHE_BYTES = env.int(
    "QUALITYWEEK_LOCAL_CACHE_BYTES", default=32 * 1024 * 1024
)
# With the cache down the sign-up rate limit cannot count: it lets people through
# rather than refusing everyone; the honeypot still stands, and a sign-up is only
# a pending row until its address is confirmed.
RATELIMIT_FAIL_OPEN = True

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Quality Week <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mail server that accepts and never answers must not hold a worker for ever.
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=10)

# Everything that leaves the request (mail first) is a task in the database,
# written in the same transaction as the change that causes it; `manage.py
# db_worker` on any host claims each task once (see README).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Axes first: it refuses a locked-out sign-in before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed sign-ins count per username and address together, never per username
# alone: a stranger who knows an organiser's username can then lock out only
# their own address, not the organiser. Attempts live in the database, shared by
# every host. The address is REMOTE_ADDR, which the site's middleware sets from
# the trusted proxies.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "qualityweek.accounts.client_address"
AXES_FAILURE_LIMIT = env.int("QUALITYWEEK_LOGIN_ATTEMPTS", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=env.int("QUALITYWEEK_LOGIN_COOLOFF_MINUTES", default=15)
)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "qualityweek.accounts.locked_out"
# What axes masks in its log lines and stored attempts (the password always).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]
# Two-factor sign-in: anyone who has set up an authenticator app gives its code;
# on, the admin opens to no one without it (staff are sent to set one up). Off
# by default for local work only: production (DEBUG=0) has it on unless told.
QUALITYWEEK_ADMIN_2FA = env.bool("QUALITYWEEK_ADMIN_2FA", default=not DEBUG)
# The name an authenticator app shows beside the codes.
OTP_TOTP_ISSUER = "Quality Week"
# django_otp's own admin pages never show secrets (keys, recovery codes).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# A staff session ends after this long without a request (4 hours).
QUALITYWEEK_ADMIN_IDLE_SECONDS = env.int(
    "QUALITYWEEK_ADMIN_IDLE_SECONDS", default=4 * 60 * 60
)

# Organisers' accounts reach every attendee's data: 12 characters at least.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}", "OPTIONS": options}
    for name, options in (
        ("UserAttributeSimilarityValidator", {}),
        ("MinimumLengthValidator", {"min_length": 12}),
        ("CommonPasswordValidator", {}),
        ("NumericPasswordValidator", {}),
    )
]

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
TIME_ZONE = "Europe/Moscow"
# Where Django's own formats read wrong in Russian (qualityweek/formats/ru).
FORMAT_MODULE_PATH = ["qualityweek.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Several hosts share uploads through an S3-compatible store (Russian providers
# offer the S3 API); the site still serves them under its own /media/.
if env("QUALITYWEEK_MEDIA_BUCKET", default=""):
    STORAGES["default"] = {
        "BACKEND": "qualityweek.storage.MediaStorage",
        "OPTIONS": {
            "bucket_name": env("QUALITYWEEK_MEDIA_BUCKET"),
            "endpoint_url": env("QUALITYWEEK_MEDIA_ENDPOINT_URL", default=None),
            "region_name": env("QUALITYWEEK_MEDIA_REGION", default=None),
            "access_key": env("QUALITYWEEK_MEDIA_ACCESS_KEY", default=None),
            "secret_key": env("QUALITYWEEK_MEDIA_SECRET_KEY", default=None),
            "location": "media",
            "default_acl": None,
            "file_overwrite": False,
        },
    }

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
