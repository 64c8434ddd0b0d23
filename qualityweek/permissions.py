"""Who may do what among the organisers."""

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

# The group that a data migration creates with the organisers' permissions.
ORGANISERS_GROUP = "Organisers"


def is_organiser(user, *, permission: str = "") -> bool:
    """Staff with the permission, or staff in the organisers' group."""
    if not (user.is_authenticated and user.is_staff):
        return False
    if permission and user.has_perm(permission):
        return True
    return user.groups.filter(name=ORGANISERS_GROUP).exists()


@method_decorator(never_cache, name="dispatch")  # pages with personal data
class StaffOnlyMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Organisers only (see `is_organiser`); others get a 403, strangers a login."""

    login_url = reverse_lazy("admin:login")
    permission = ""

    def test_func(self):
        return is_organiser(self.request.user, permission=self.permission)
