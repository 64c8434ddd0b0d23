from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register()
def check_clock(app_configs=None, **kwargs):
    """A mistyped QUALITYWEEK_CLOCK stops the site at start, not on the first page."""
    from . import clock

    if not settings.QUALITYWEEK_CLOCK:
        return []
    try:
        clock.simulated_start()
    except ValueError as error:
        return [
            Error(
                str(error),
                hint="Use an ISO 8601 moment, e.g. 2023-11-01T10:00+03:00.",
                id="qualityweek.E001",
            )
        ]
    return []


# Backends that keep letters in this process or write them whole (address, name,
# confirmation link) to its output, where logs collect them.
LOCAL_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}
# Caches that each process keeps for itself: rate limits and page caches would
# count and clear per process, not for the site.
LOCAL_CACHE_BACKENDS = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.security, deploy=True)
def check_production_email(app_configs=None, **kwargs):
    """With DEBUG off, letters must go to a mail server, not into the log."""
    if settings.DEBUG or settings.EMAIL_BACKEND not in LOCAL_EMAIL_BACKENDS:
        return []
    return [
        Warning(
            f"EMAIL_BACKEND is {settings.EMAIL_BACKEND} while DEBUG is off: letters"
            " are not delivered, and their addresses, names and links end up in"
            " the process's output or files.",
            hint="Set EMAIL_URL to the mail server, e.g."
            " smtp+tls://user:password@smtp.example.ru:587.",
            id="qualityweek.W001",
        )
    ]


@register(Tags.security, deploy=True)
def check_production_cache(app_configs=None, **kwargs):
    """With DEBUG off, the cache must be one for every process and host."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or backend not in LOCAL_CACHE_BACKENDS:
        return []
    return [
        Warning(
            f"The default cache is {backend} while DEBUG is off: each process"
            " counts the sign-up rate limits on its own.",
            hint="Set CACHE_URL to a shared cache, e.g. rediscache://127.0.0.1:6379/1.",
            id="qualityweek.W002",
        )
    ]


@register(Tags.security, deploy=True)
def check_published_secret_key(app_configs=None, **kwargs):
    """deploy/env.example's key is public: fine for a trial, never for real data."""
    if settings.DEBUG or "change-me" not in settings.SECRET_KEY:
        return []
    return [
        Warning(
            "SECRET_KEY is the published one of deploy/env.example: anyone can"
            " forge sessions and the links of e-mails.",
            hint="python3 -c 'import secrets; print(secrets.token_urlsafe(50))'",
            id="qualityweek.W003",
        )
    ]


@register(Tags.database, deploy=True)
def check_demo_content(app_configs=None, databases=None, **kwargs):
    """A site does not go live showing demo events or shipped placeholders.

    It reads the database, so it runs only when asked for one, as the deploy
    step does: `check --deploy --database default`. `make check-deploy` (no
    database) stays silent.
    """
    from django.db import DatabaseError
    from django.utils.translation import gettext

    from . import placeholders

    if not databases:
        return []
    try:
        items = placeholders.standing()
    except DatabaseError as error:
        return [
            Error(
                gettext(
                    "Could not read the database to look for demo content and "
                    "shipped placeholders (%(error)s)."
                )
                % {"error": type(error).__name__},
                hint=gettext("Check DATABASE_URL and run `manage.py migrate` first."),
                id="qualityweek.E003",
            )
        ]
    hints = {
        placeholders.DEMO: gettext("Unpublish or replace it in admin: %(url)s"),
        placeholders.PLACEHOLDER: gettext(
            "Set the real value in admin, or confirm the shipped one: %(url)s"
        ),
    }
    return [
        Error(
            item.description,
            hint=hints[item.kind] % {"url": item.admin_url},
            id="qualityweek.E002",
        )
        for item in items
    ]
