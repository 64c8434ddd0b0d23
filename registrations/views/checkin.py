"""Check-in at the door: staff find a ticket by its code or its QR's link."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.generic import TemplateView

from qualityweek import clock, permissions

from .. import services
from ..forms import CheckinForm
from ..models import Registration, normalise_ticket_code

# Marks the message that the POST just checked the person in, so that the page the
# browser is sent to tells "checked in now" from "this ticket was used before".
CHECKED_IN_NOW = "checked-in-now"


class StaffOnlyMixin(permissions.StaffOnlyMixin):
    permission = "registrations.change_registration"


class CheckinView(StaffOnlyMixin, TemplateView):
    """Type a ticket code: the page of that ticket, or a clear "no such ticket"."""

    template_name = "registrations/registration_checkin.html"

    def get(self, request, *args, **kwargs):
        form = CheckinForm(request.GET or None)
        if form.is_valid():
            registration = Registration.objects.with_ticket_code(
                form.cleaned_data["code"]
            ).first()
            if registration is not None:
                return redirect(
                    "registrations:checkin_ticket", code=registration.ticket_code
                )
            form.add_error("code", unknown_code_message(form.cleaned_data["code"]))
        return self.render_to_response(self.get_context_data(form=form))


def unknown_code_message(code: str) -> str:
    return gettext(
        "No ticket has the code %(code)s. Check the code on the ticket and type it "
        "again."
    ) % {"code": code}


class CheckinTicketView(StaffOnlyMixin, TemplateView):
    """One ticket: who, for what, its status, and the one button that checks in."""

    template_name = "registrations/registration_checkin_ticket.html"

    def get(self, request, code):
        canonical = normalise_ticket_code(code)
        if canonical and canonical != code:
            return redirect("registrations:checkin_ticket", code=canonical)
        registration = self.find(canonical)
        if registration is None:
            return self.unknown(code)
        just_checked_in = any(
            CHECKED_IN_NOW in message.tags for message in messages.get_messages(request)
        )
        return self.render_to_response(
            self.get_context_data(
                registration=registration,
                state=ticket_state(registration, just_checked_in=just_checked_in),
            )
        )

    def post(self, request, code):
        registration = self.find(normalise_ticket_code(code))
        if registration is None:
            return self.unknown(code)
        try:
            services.check_in(registration, by=request.user)
        except services.RegistrationError as error:
            registration.refresh_from_db()
            context = self.get_context_data(
                registration=registration,
                state=ticket_state(registration, just_checked_in=False),
                error=str(error),
            )
            return self.render_to_response(context, status=409)
        messages.success(request, gettext("Checked in."), extra_tags=CHECKED_IN_NOW)
        return redirect("registrations:checkin_ticket", code=registration.ticket_code)

    def find(self, code: str) -> Registration | None:
        if not code:
            return None
        return (
            Registration.objects.with_ticket_code(code)
            .select_related("event__venue", "region")
            .first()
        )

    def unknown(self, code: str):
        return self.response_class(
            request=self.request,
            template=["registrations/registration_checkin.html"],
            context=self.get_context_data(
                form=CheckinForm(initial={"code": code}),
                unknown=unknown_code_message(code),
            ),
            status=404,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        registration = kwargs.get("registration")
        if registration is not None:
            event = registration.event
            context["other_day"] = not (
                event.local_start.date() <= clock.today() <= event.last_day
            )
        return context


def ticket_state(registration: Registration, *, just_checked_in: bool) -> str:
    """What the door needs to know, as one word the template shows."""
    if registration.checked_in_at:
        return "checked_in_now" if just_checked_in else "already_checked_in"
    if registration.event.is_cancelled:
        return "event_cancelled"
    return {
        Registration.Status.CONFIRMED: "can_check_in",
        Registration.Status.CANCELLED: "cancelled",
        Registration.Status.WAITING: "waiting",
        Registration.Status.PENDING: "pending",
        Registration.Status.ONLINE: "online",
    }[registration.status]
