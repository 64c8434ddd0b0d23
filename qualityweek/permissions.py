"""Who may do what among the organisers."""

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.views.decorators.cache import never_cache

from . import personal_data, two_factor

# The group that a data migration creates with the organisers' permissions.
ORGANISERS_GROUP = "Organisers"
# The group that alone exports and erases people's data (a migration too).
PERSONAL_DATA_OFFICERS_GROUP = "Personal data officers"
EXPORT_PERSONAL_DATA = "qualityweek.export_personal_data"
ERASE_PERSONAL_DATA = "qualityweek.erase_personal_data"


def is_organiser(user, *, permission: str = "") -> bool:
    """Staff with the permission, or staff in the organisers' group."""
    if not (user.is_authenticated and user.is_staff):
        return False
    if permission and user.has_perm(permission):
        return True
    return user.groups.filter(name=ORGANISERS_GROUP).exists()


def may_preview(user) -> bool:
    """Whether the site's public pages show this user what visitors cannot see
    yet (unpublished events, activations awaiting moderation): staff whose
    sign-in is enough for the admin, the second factor included where the admin
    asks for it. Anyone else sees the pages as a visitor does."""
    return bool(user.is_authenticated and user.is_staff and two_factor.passes(user))


@method_decorator(never_cache, name="dispatch")  # pages with personal data
class StaffOnlyMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Organisers only (see `is_organiser`); others get a 403, strangers a login.

    Where the admin asks for a two-factor code, so does this page: an organiser
    signed in with the password alone is sent to the admin's sign-in.
    """

    login_url = reverse_lazy("admin:login")
    permission = ""

    def test_func(self):
        return is_organiser(self.request.user, permission=self.permission)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not two_factor.passes(request.user):
            return redirect_to_login(request.get_full_path(), self.get_login_url())
        return super().dispatch(request, *args, **kwargs)


class PersonalDataAdminMixin:
    """For a ModelAdmin whose actions export or erase people's data.

    Such an action names `permissions=["export_personal_data"]` or
    `["erase_personal_data"]`: the admin offers and runs it only for personal
    data officers, and the action writes what it did with
    `log_personal_data`.
    """

    def has_export_personal_data_permission(self, request):
        return request.user.has_perm(EXPORT_PERSONAL_DATA)

    def has_erase_personal_data_permission(self, request):
        return request.user.has_perm(ERASE_PERSONAL_DATA)

    def log_personal_data(self, request, records, message: str) -> None:
        """One admin log entry per record, naming it by number only.

        The admin log is read by every superuser and kept for good: neither the
        entry's name of the record nor its message carries a person's data.
        """
        entries = []
        for record in records:
            content_type = ContentType.objects.get_for_model(record)
            entries.append(
                LogEntry(
                    user_id=request.user.pk,
                    content_type=content_type,
                    object_id=str(record.pk),
                    object_repr=gettext("%(model)s #%(pk)s")
                    % {"model": capfirst(record._meta.verbose_name), "pk": record.pk},
                    action_flag=CHANGE,
                    change_message=message,
                )
            )
        LogEntry.objects.bulk_create(entries)

    def erase_people(self, request, queryset, *, emails, consequence: str):
        """The erase action: every record of the selected people, site-wide.

        The first post shows what will go and asks again; the confirming one
        erases through `personal_data.erase_person` and logs each record.
        """
        emails = sorted({email.strip().lower() for email in emails if email})
        if not request.POST.get("post"):
            found = [personal_data.find_person(email) for email in emails]
            return TemplateResponse(
                request,
                "admin/confirm_erase_people.html",
                {
                    **self.admin_site.each_context(request),
                    "title": gettext("Erase personal data"),
                    "opts": self.opts,
                    "people": len(emails),
                    # Distinct records: one may hold two of the people.
                    "records": {
                        label: len({r.pk for person in found for r in person[label]})
                        for label in (h.label for h in personal_data.holders())
                    },
                    "consequence": consequence,
                    "queryset": queryset,
                    "action": request.POST.get("action", "erase_personal_data"),
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        records = personal_data.records_of(emails)
        for email in emails:
            personal_data.erase_person(email)
        self.log_personal_data(request, records, gettext("Personal data erased."))
        self.message_user(
            request,
            ngettext(
                "Personal data of %(count)d person erased across the site.",
                "Personal data of %(count)d people erased across the site.",
                len(emails),
            )
            % {"count": len(emails)},
            messages.SUCCESS,
        )
        return None
