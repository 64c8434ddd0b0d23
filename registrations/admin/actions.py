"""What organisers do to selected registrations: seats, letters, exports, erasure."""

import json

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count, Q
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from events.models import Event
from qualityweek import personal_data, spreadsheets

from .. import exports, services
from ..models import Registration


class RegistrationActions:
    """The list's actions; `RegistrationAdmin` names them in `actions`."""

    def _each(self, request, queryset, service, done_message, **kwargs):
        """Run a service on each registration; report how many went and why not."""
        done = 0
        for registration in queryset.filter(erased_at__isnull=True).order_by("pk"):
            try:
                service(registration, **kwargs)
            except services.RegistrationError as error:
                self.message_user(
                    request,
                    gettext("%(registration)s: %(error)s")
                    % {"registration": registration, "error": error},
                    messages.WARNING,
                )
            else:
                done += 1
                self.log_change(request, registration, done_message)
        return done

    @admin.action(
        description=_("Cancel the selected registrations"), permissions=["change"]
    )
    def cancel(self, request, queryset):
        queryset = queryset.exclude(status=Registration.Status.CANCELLED)
        count = self._each(request, queryset, services.cancel, gettext("Cancelled."))
        self.message_user(
            request,
            ngettext(
                "%(count)d registration cancelled; the waiting list moves up.",
                "%(count)d registrations cancelled; the waiting list moves up.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Give free seats to the waiting list of their events"),
        permissions=["change"],
    )
    def promote_from_waiting_list(self, request, queryset):
        promoted = 0
        waiting = Q(registrations__status=Registration.Status.WAITING)
        events = Event.objects.filter(pk__in=queryset.values("event_id")).annotate(
            waiting=Count("registrations", filter=waiting)
        )
        for event in events:
            # Each call gives at most one seat; the bound stops a service that keeps
            # answering from looping for ever.
            for _turn in range(event.waiting):
                if services.promote_from_waiting_list(event) is None:
                    break
                promoted += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d person moved from the waiting list to a seat.",
                "%(count)d people moved from the waiting list to a seat.",
                promoted,
            )
            % {"count": promoted},
            messages.SUCCESS if promoted else messages.INFO,
        )

    @admin.action(description=_("Send the e-mail again"), permissions=["change"])
    def resend_email(self, request, queryset):
        count = self._each(
            request,
            queryset,
            services.resend_email,
            gettext("E-mail queued to be sent again."),
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail queued to be sent again.",
                "%(count)d e-mails queued to be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Check in at the door"), permissions=["change"])
    def check_in(self, request, queryset):
        count = self._each(
            request,
            queryset,
            services.check_in,
            gettext("Checked in."),
            by=request.user,
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d person checked in.", "%(count)d people checked in.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )

    # Lists of attendees leave the site: personal data officers only, and each
    # one is in the admin log.
    @admin.action(
        description=_("Export the selection as CSV for Excel"),
        permissions=["export_personal_data"],
    )
    def export_csv(self, request, queryset):
        return self._export_list(
            request, queryset, spreadsheets.CSV, gettext("list for Excel")
        )

    @admin.action(
        description=_("Export the selection as an Excel workbook (XLSX)"),
        permissions=["export_personal_data"],
    )
    def export_xlsx(self, request, queryset):
        return self._export_list(
            request, queryset, spreadsheets.XLSX, gettext("list for Excel (XLSX)")
        )

    def _export_list(self, request, queryset, format: str, export: str):
        queryset = queryset.order_by("event__start", "created_at")
        self._log_export(request, queryset.filter(erased_at__isnull=True), export)
        return spreadsheets.spreadsheet_response(
            exports.registration_rows(queryset),
            "registrations",
            format,
            title=capfirst(Registration._meta.verbose_name_plural),
        )

    @admin.action(
        description=_("List for the pass office (to print)"),
        permissions=["export_personal_data"],
    )
    def pass_office_list(self, request, queryset):
        lists = exports.pass_office_lists(queryset)
        self._log_export(
            request,
            [person for _event, people in lists for person in people],
            gettext("list for the pass office"),
        )
        return TemplateResponse(
            request,
            "registrations/registration_pass_office_list.html",
            {"lists": lists},
        )

    @admin.action(
        description=_("List for the pass office (CSV)"),
        permissions=["export_personal_data"],
    )
    def pass_office_csv(self, request, queryset):
        return self._export_pass_office_list(
            request,
            queryset,
            spreadsheets.CSV,
            gettext("list for the pass office (CSV)"),
        )

    @admin.action(
        description=_("List for the pass office (XLSX)"),
        permissions=["export_personal_data"],
    )
    def pass_office_xlsx(self, request, queryset):
        return self._export_pass_office_list(
            request,
            queryset,
            spreadsheets.XLSX,
            gettext("list for the pass office (XLSX)"),
        )

    def _export_pass_office_list(self, request, queryset, format: str, export: str):
        lists = exports.pass_office_lists(queryset)
        self._log_export(
            request, [person for _event, people in lists for person in people], export
        )
        return spreadsheets.spreadsheet_response(
            exports.pass_office_rows(queryset),
            "pass-office-list",
            format,
            title=capfirst(gettext("list for the pass office")),
        )

    def _log_export(self, request, registrations, export: str) -> None:
        registrations = list(registrations)
        self.log_personal_data(
            request,
            registrations,
            ngettext(
                "Personal data exported: %(export)s, %(count)d registration.",
                "Personal data exported: %(export)s, %(count)d registrations.",
                len(registrations),
            )
            % {"export": export, "count": len(registrations)},
        )

    def _selected_emails(self, request, queryset) -> list[str] | None:
        emails = sorted(
            {
                email.lower()
                for email in queryset.filter(erased_at__isnull=True).values_list(
                    "email", flat=True
                )
            }
        )
        if not emails:
            self.message_user(
                request,
                gettext("The selected registrations hold no personal data."),
                messages.WARNING,
            )
            return None
        return emails

    @admin.action(
        description=_("Give the person their stored data (152-FZ)"),
        permissions=["export_personal_data"],
    )
    def export_personal_data(self, request, queryset):
        emails = self._selected_emails(request, queryset)
        if emails is None:
            return None
        if len(emails) > 1:
            self.message_user(
                request,
                gettext(
                    "Select the registrations of one person (one e-mail address) "
                    "to export their data."
                ),
                messages.WARNING,
            )
            return None
        data = personal_data.export_person(emails[0])
        self.log_personal_data(
            request,
            personal_data.records_of(emails),
            gettext("Personal data exported at the person's request."),
        )
        first = queryset.filter(erased_at__isnull=True).order_by("pk").first()
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        # The file name carries a number, not the e-mail.
        response["Content-Disposition"] = (
            f'attachment; filename="personal-data-{first.pk}.json"'
        )
        return response

    @admin.action(
        description=_("Erase the personal data of the selected people (152-FZ)"),
        permissions=["erase_personal_data"],
    )
    def erase_personal_data(self, request, queryset):
        emails = self._selected_emails(request, queryset)
        if emails is None:
            return None
        same_person = Q()
        for email in emails:
            same_person |= Q(email__iexact=email)
        affected = Registration.objects.filter(same_person, erased_at__isnull=True)
        if not request.POST.get("post"):
            return TemplateResponse(
                request,
                "registrations/registration_confirm_erase.html",
                {
                    **self.admin_site.each_context(request),
                    "title": gettext("Erase personal data"),
                    "opts": self.opts,
                    "people": len(emails),
                    "registrations": affected.select_related("event").order_by("pk"),
                    "queryset": queryset,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                    "media": self.media,
                },
            )
        erased = list(affected.order_by("pk"))
        records = personal_data.records_of(emails)
        for email in emails:
            # The person's data everywhere on the site, not only these rows.
            personal_data.erase_person(email)
        self.log_personal_data(request, records, gettext("Personal data erased."))
        self.message_user(
            request,
            ngettext(
                "Personal data erased from %(count)d registration.",
                "Personal data erased from %(count)d registrations.",
                len(erased),
            )
            % {"count": len(erased)},
            messages.SUCCESS,
        )
        return None
