"""Organisers' accounts: sign-in lockout (django-axes) and idle admin sessions."""

from django.conf import settings
from django.contrib import admin
from django.shortcuts import render
from django.utils.translation import gettext


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
