"""The day's dashboard page on the organisers' admin site."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qualityweek import clock

from .. import dashboard


def dashboard_view(admin_site, request):
    """The day's figures of every event taking registrations, for the organisers
    at the desk; the page reloads itself every half minute."""
    if not request.user.has_perm("registrations.view_registration"):
        raise PermissionDenied
    now = clock.now()
    figures = dashboard.day_figures(now)
    context = {
        **admin_site.each_context(request),
        "title": _("The day's dashboard"),
        "figures": figures,
        "refused": sum(item.refused for item in figures),
        "updated_at": timezone.localtime(now),
        "refresh_seconds": dashboard.REFRESH_SECONDS,
    }
    return TemplateResponse(request, "admin/registrations/dashboard.html", context)
