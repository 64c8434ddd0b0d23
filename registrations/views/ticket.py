"""A participant's own pages under their secret link: ticket, QR, PDF, cancel."""

import logging

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import TemplateView

from events import certificates
from qualityweek import links as site_links

from .. import links, services, tickets
from ..forms import CorrectEmailForm
from ..models import Registration
from .signup import SeatLockMixin, sign_up_refusal

logger = logging.getLogger(__name__)


class RegistrationMixin:
    """Loads self.registration by the token in the URL; erased ones are gone, but
    for those erased as they were cancelled, whose page says so."""

    def dispatch(self, request, *args, **kwargs):
        self.registration = (
            Registration.objects.select_related(
                "event__venue__region", "event__edition"
            )
            .filter(Q(erased_at__isnull=True) | Q(status=Registration.Status.CANCELLED))
            .filter(token=kwargs["token"])
            .first()
        )
        if self.registration is None:
            return links.problem_page(request, site_links.Problem.UNKNOWN)
        return super().dispatch(request, *args, **kwargs)


@method_decorator(never_cache, name="dispatch")
class RegistrationDetailView(RegistrationMixin, TemplateView):
    """A participant's own page: status, ticket, calendar, cancel."""

    template_name = "registrations/registration_detail.html"

    def get_context_data(self, **kwargs):
        registration = self.registration
        event = registration.event
        position = None
        if registration.status == Registration.Status.WAITING:
            position = Registration.objects.ahead_of(registration).count() + 1
        kwargs.setdefault("email_form", refused_email_form(registration))
        return super().get_context_data(
            registration=registration,
            event=event,
            position=position,
            can_cancel=services.can_cancel(registration),
            register_url=links.sign_up_path(registration),
            event_cancelled=has_cancelled_event(registration),
            email_corrected=self.request.GET.get("corrected") == "1",
            certificate_offer=certificates.offer("registrations", registration.pk),
            **kwargs,
        )


def refused_email_form(registration: Registration) -> CorrectEmailForm | None:
    """The form to put right an address the mail server refused, if it was."""
    if (
        registration.email_failed_at is None
        or registration.erased_at
        or registration.status == Registration.Status.CANCELLED
    ):
        return None
    return CorrectEmailForm(initial={"email": registration.email})


@method_decorator(sensitive_post_parameters(), name="dispatch")
class CorrectRefusedEmailView(SeatLockMixin, RegistrationDetailView):
    """The refused address put right on the person's own page: the letter that
    fits the registration goes to the new one."""

    def get(self, request, *args, **kwargs):
        return redirect(self.registration)

    def post(self, request, *args, **kwargs):
        form = CorrectEmailForm(request.POST)
        status = 200
        if form.is_valid():
            email = form.cleaned_data["email"]
            refusal = sign_up_refusal(request, email)
            if refusal:
                form.add_error("email", refusal)
                status = 429
            else:
                try:
                    services.correct_refused_email(self.registration.pk, email)
                except services.RegistrationError as error:
                    form.add_error("email", str(error))
                else:
                    return redirect(
                        reverse("registrations:detail", args=[self.registration.token])
                        + "?corrected=1"
                    )
        context = self.get_context_data(email_form=form)
        return self.render_to_response(context, status=status)


@method_decorator(never_cache, name="dispatch")
class TicketQrView(RegistrationMixin, View):
    """The ticket's QR code: the staff check-in link of the ticket, as SVG."""

    def get(self, request, *args, **kwargs):
        if not has_valid_ticket(self.registration):
            raise Http404("Only a confirmed seat of an event on has a ticket")
        return HttpResponse(
            tickets.qr_svg(self.registration), content_type="image/svg+xml"
        )


@method_decorator(never_cache, name="dispatch")
class TicketPdfView(RegistrationMixin, View):
    """The ticket to print or keep on a phone: the PDF the seat letter carries."""

    def get(self, request, *args, **kwargs):
        if not has_valid_ticket(self.registration):
            raise Http404("Only a confirmed seat of an event on has a ticket")
        # In the language of the page it is taken from, as the letters are in theirs.
        pdf = tickets.ticket_pdf(self.registration)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="{tickets.ticket_filename(self.registration)}"'
        )
        return response


class CancelView(SeatLockMixin, RegistrationMixin, TemplateView):
    """One button frees the seat (or the place in line); the reminder links here."""

    template_name = "registrations/registration_cancel.html"

    def get(self, request, *args, **kwargs):
        if not services.can_cancel(self.registration):
            return redirect(self.registration)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            registration=self.registration, event=self.registration.event, **kwargs
        )

    def post(self, request, *args, **kwargs):
        try:
            services.cancel(self.registration)
        except services.RegistrationError as error:
            context = self.get_context_data(error=str(error))
            return self.render_to_response(context, status=409)
        return redirect(self.registration)


def has_cancelled_event(registration: Registration) -> bool:
    """A seat or a place in line for an event the organisers have cancelled."""
    return registration.event.is_cancelled and registration.status in (
        Registration.Status.CONFIRMED,
        Registration.Status.WAITING,
    )


def has_valid_ticket(registration: Registration) -> bool:
    return (
        registration.status == Registration.Status.CONFIRMED
        and not registration.event.is_cancelled
    )
