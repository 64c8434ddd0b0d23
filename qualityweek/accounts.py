"""Organisers' accounts: sign-in lockout (django-axes) and idle admin sessions."""

import time

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.shortcuts import render
from django.utils.translation import gettext

# When a staff session last made a request, in epoch seconds.
LAST_ACTIVITY_KEY = "qualityweek_last_activity"
# A busy organiser's session is written at most this often, not on every click.
ACTIVITY_RESOLUTION_SECONDS = 60


def client_address(request) -> str | None:
    """The address that axes locks together with a username: REMOTE_ADDR.

    Behind the trusted proxies the site's own middleware has already put the
    client's address there; a header read here could be forged by anyone.
    """
    return request.META.get("REMOTE_ADDR")


def locked_out(request, response, credentials):
    """The page after too many failed sign-ins: what happened, and for how long."""
    return render(
        request,
        "admin/locked_out.html",
        {
            **admin.site.each_context(request),
            "title": gettext("Sign-in paused"),
            "attempts": settings.AXES_FAILURE_LIMIT,
            "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=429,
    )


class StaffSessionIdleMiddleware:
    """Signs staff out after QUALITYWEEK_ADMIN_IDLE_SECONDS without a request.

    A forgotten admin tab on a shared computer must not stay open for the two
    weeks of Django's session cookie. Visitors are left alone: the public pages
    keep nothing in a session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only a request with a session cookie can be staff's: for any other the
        # session store is never asked (a visitor's page needs no database read,
        # and answers while the database is away).
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            user = request.user
            if user.is_authenticated and user.is_staff:
                self._watch(request)
        return self.get_response(request)

    def _watch(self, request):
        idle = settings.QUALITYWEEK_ADMIN_IDLE_SECONDS
        # Real time, not the site clock: a rehearsal may jump the clock by days,
        # which must not sign anyone out.
        now = time.time()
        last = request.session.get(LAST_ACTIVITY_KEY)
        if last is not None and now - last > idle:
            logout(request)
            messages.info(
                request,
                gettext(
                    "You were signed out because the session was idle for too "
                    "long. Please sign in again."
                ),
            )
        elif last is None or now - last > ACTIVITY_RESOLUTION_SECONDS:
            _note_activity(request)


def start_idle_time(sender, request, user, **kwargs):
    """On sign-in (user_logged_in): a staff session's idle time starts now."""
    if request is not None and user.is_staff:
        _note_activity(request)


def _note_activity(request) -> None:
    request.session[LAST_ACTIVITY_KEY] = time.time()
    # The cookie and the stored session end with the idle time too.
    request.session.set_expiry(settings.QUALITYWEEK_ADMIN_IDLE_SECONDS)
