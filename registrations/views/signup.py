"""Signing up: the form, "check your e-mail", the confirmation link."""

import datetime
import logging

from django.conf import settings
from django.db import OperationalError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext, gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, TemplateView

from events import programme
from events.models import Edition, Event, Region
from qualityweek import clock, sealed, spam
from qualityweek import links as site_links

from .. import links, services
from ..forms import CorrectEmailForm, OnlineRegistrationForm, RegistrationForm
from ..models import Registration

logger = logging.getLogger(__name__)

Availability = services.Availability
TRY_AGAIN = gettext_noop(
    "Many people are registering right now and we could not store your form in "
    "time. Nothing is lost: please press the button again."
)


@method_decorator(never_cache, name="dispatch")
class SeatLockMixin:
    """A seat lock not had in time: a friendly "try again" page (503), not a 500."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except OperationalError as error:
            # "database is locked" (SQLite) or a lock timeout (PostgreSQL).
            logger.warning("Seat lock not had in time: %s", type(error).__name__)
            response = render(request, "registrations/try_again.html", status=503)
            response["Retry-After"] = "5"
            return response


class EventRegistrationMixin:
    """Loads self.event: a published event that takes registrations."""

    def get_event(self) -> Event:
        events = Event.objects.published().select_related(
            "venue__region", "edition", "consent_text"
        )
        return get_object_or_404(
            events, slug=self.kwargs["slug"], takes_registrations=True
        )

    def dispatch(self, request, *args, **kwargs):
        self.event = self.get_event()
        self.state = services.availability(self.event)
        return super().dispatch(request, *args, **kwargs)


def sign_up_refusal(request, email: str) -> str | None:
    """Why this sign-up is one too many, if it is; counted only for sign-ups
    that would be stored (a person fixing typos is not spam), and for every
    letter a correction of the address would send."""
    if spam.over_rate(
        request,
        group="registrations.register",
        rate=settings.QUALITYWEEK_REGISTRATION_RATE,
    ):
        return gettext(
            "Too many sign-ups have come from your network. Please try "
            "again in an hour."
        )
    if spam.over_email_rate(
        request,
        email,
        group="registrations.register.email",
        rate=settings.QUALITYWEEK_REGISTRATION_EMAIL_RATE,
    ):
        return gettext(
            "Too many sign-ups have come with this e-mail address. Please "
            "try again in an hour."
        )
    return None


# What the «check your e-mail» page shows and may correct lives in a sealed
# cookie of the visitor's own (no session: public pages keep none), for an hour:
# the address typed, as the form normalised it, and the sign-up this visitor's
# form started just now, the only one they may correct. A known address, a
# robot's and a new one give a page and a cookie alike, so neither tells whether
# an address is registered; the sealed pk is zero-padded, so the cookie's length
# does not tell either.
SENT_TO_COOKIE = "qw_sent_to"
SENT_TO_SALT = "registrations.sent_to"
SENT_TO_MAX_AGE = datetime.timedelta(hours=1)


def normalised(email: str) -> str:
    return email.strip().lower()  # as services.register stores it


def remember_sent_to(response, email: str, registration=None):
    """The response, carrying the sealed state of the «check your e-mail» page."""
    fresh = registration is not None and getattr(registration, "fresh", False)
    pk = registration.pk if fresh else 0
    state = {"email": normalised(email), "pk": f"{pk:012d}"}
    response.set_cookie(
        SENT_TO_COOKIE,
        sealed.seal(state, salt=SENT_TO_SALT),
        max_age=int(SENT_TO_MAX_AGE.total_seconds()),
        path=reverse("registrations:check_email"),
        # Secure whenever the site's own cookies are (settings' SECURE).
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def sent_to_of(request) -> dict | None:
    value = request.COOKIES.get(SENT_TO_COOKIE)
    if not value:
        return None
    state = sealed.unseal(value, salt=SENT_TO_SALT, max_age=SENT_TO_MAX_AGE)
    if not state or not isinstance(state.get("email"), str):
        return None
    try:
        state["pk"] = int(state.get("pk", 0))
    except (TypeError, ValueError):
        return None
    return state


def check_email_redirect(email: str, registration=None, *, corrected=False):
    url = reverse("registrations:check_email")
    response = redirect(url + "?corrected=1" if corrected else url)
    return remember_sent_to(response, email, registration)


# Error reports (the admins' e-mail, a DEBUG page) show every field masked: all of
# this form is a person's data.
@method_decorator(sensitive_post_parameters(), name="dispatch")
class RegisterView(SeatLockMixin, EventRegistrationMixin, FormView):
    form_class = RegistrationForm
    template_name = "registrations/registration_form.html"
    mode = Registration.Mode.IN_PERSON

    def submit_label(self) -> str:
        if self.state == Availability.FULL:
            return gettext("Join the waiting list")
        return gettext("Register")

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "consent_text": services.consent_text_for(self.event),
            "submit_label": self.submit_label(),
            "regions": self.regions,
        }

    @cached_property
    def regions(self) -> list[Region]:
        """Every region, read once for every form of the page to list."""
        return list(Region.objects.all())

    def get_context_data(self, **kwargs):
        taking = self.state in Availability.TAKING
        if not taking:
            kwargs["form"] = None
        return super().get_context_data(
            event=self.event,
            state=self.state,
            taking=taking,
            refusal=None if taking else services.refusal(self.event, self.state),
            seats_left=services.seats_left(self.event),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if self.state not in Availability.TAKING:
            return self.render_to_response(self.get_context_data(), status=409)
        return super().post(request, *args, **kwargs)

    @spam.stamp_kept_unless_redirect
    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if form.is_spam:
            # The robot gets the same answer as a person, and nothing is stored.
            logger.info("Sign-up to event %s caught as spam", self.event.pk)
            return check_email_redirect(email)
        refusal = sign_up_refusal(self.request, email)
        if refusal:
            form.add_error(None, refusal)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        try:
            registration = services.register(
                self.event, form.cleaned_data, language=get_language(), mode=self.mode
            )
        except services.RegistrationError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        except OperationalError as error:
            # Busy database: keep what was typed and ask to send it again.
            logger.warning("Sign-up not stored in time: %s", type(error).__name__)
            form.add_error(None, gettext(TRY_AGAIN))
            return self.render_to_response(self.get_context_data(form=form), status=503)
        return check_email_redirect(email, registration)


class RegionalDayView(RegisterView):
    """The current edition's regional day: what, where, how to join, and the form."""

    template_name = "registrations/regional_day.html"

    def get_event(self) -> Event:
        edition = Edition.objects.current()
        event = (
            Event.objects.published()
            .filter(edition=edition, kind=Event.Kind.REGIONAL_DAY)
            .select_related("venue__region", "edition", "consent_text")
            .order_by("start")
            .first()
        )
        if event is None:
            raise Http404("No regional day in the current edition")
        return event

    @cached_property
    def online_state(self) -> str:
        return services.online_availability(self.event)

    def online_form(self) -> OnlineRegistrationForm | None:
        """A blank online sign-up form, while the event takes them."""
        if self.online_state not in Availability.TAKING:
            return None
        return with_online_action(
            OnlineRegistrationForm(
                consent_text=services.consent_text_for(self.event),
                submit_label=gettext("Sign up to take part online"),
                regions=self.regions,
            )
        )

    def get_context_data(self, **kwargs):
        event = self.event
        now = clock.now()
        on_now = event.is_on_at(now)
        now_and_next = programme.now_and_next(event.edition, now) if on_now else None
        also_on = (
            [e for e in now_and_next.now if e.pk != event.pk] if now_and_next else []
        )
        kwargs.setdefault("online_form", self.online_form())
        return super().get_context_data(
            online_state=self.online_state,
            online_refusal=services.refusal(event, self.online_state),
            # While the day is on: what is on and the stream open the page, and a
            # closed form goes below them (phones scroll past it no more).
            on_now=on_now,
            live_events=[event],
            also_on=also_on,
            form_below=on_now and self.state not in Availability.TAKING,
            **kwargs,
        )


def with_online_action(form: OnlineRegistrationForm) -> OnlineRegistrationForm:
    form.helper.form_action = reverse("registrations:regional_day_online") + "#online"
    return form


# Error reports show every field masked, as for the in-person form.
@method_decorator(sensitive_post_parameters(), name="dispatch")
class RegionalDayOnlineView(RegionalDayView):
    """The regional day's online sign-up: no seat, so a full hall refuses nobody.
    Its form sits on the regional day's page and posts here."""

    form_class = OnlineRegistrationForm
    mode = Registration.Mode.ONLINE

    def submit_label(self) -> str:
        return gettext("Sign up to take part online")

    def get(self, request, *args, **kwargs):
        return redirect(reverse("registrations:regional_day") + "#online")

    def get_form(self, form_class=None):
        return with_online_action(super().get_form(form_class))

    def post(self, request, *args, **kwargs):
        if self.online_state not in Availability.TAKING:
            return self.render_to_response(self.get_context_data(), status=409)
        return FormView.post(self, request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        # The form handled here is the online one; the in-person one is blank.
        kwargs["online_form"] = kwargs.pop("form", None) or self.online_form()
        if self.state in Availability.TAKING:
            kwargs["form"] = RegistrationForm(
                consent_text=services.consent_text_for(self.event),
                submit_label=RegisterView.submit_label(self),
                regions=self.regions,
            )
        return super().get_context_data(**kwargs)


@method_decorator(never_cache, name="dispatch")
@method_decorator(sensitive_post_parameters(), name="dispatch")
class CheckEmailView(FormView):
    """Where the letter went, and the way to send it to the right address when
    the one typed was wrong: no refilling the whole form for a typo.

    Every visitor who has just sent the form gets the same page and the same
    correction form, whether the address was new, known or a robot's: a
    correction acts only on the sign-up this visitor's form started (the sealed
    pk), and for any other answers alike and changes nothing. The owner of a
    known address has had the "already registered" letter with their own link.
    """

    template_name = "registrations/registration_check_email.html"
    form_class = CorrectEmailForm

    def dispatch(self, request, *args, **kwargs):
        self.sent_to = sent_to_of(request)
        pk = self.sent_to["pk"] if self.sent_to else 0
        # Looked up for every visitor, pk 0 too: a page that answered sooner for
        # a known address would tell by its timing.
        self.registration = Registration.objects.filter(
            pk=pk, erased_at__isnull=True
        ).first()
        return super().dispatch(request, *args, **kwargs)

    @property
    def email(self) -> str | None:
        """The address typed; none once this visitor's own sign-up is gone
        (erased, expired): the page shows no address the site no longer keeps."""
        if self.sent_to is None:
            return None
        if self.sent_to["pk"] and self.registration is None:
            return None
        return self.sent_to["email"]

    def get_initial(self):
        return {"email": self.email or ""}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            expiry_hours=int(links.CONFIRMATION_MAX_AGE.total_seconds() // 3600),
            sent_to=self.email,
            corrected=self.request.GET.get("corrected") == "1",
            refused=self.refused(),
            **kwargs,
        )

    def refused(self) -> bool:
        """The mail server refused the letter to the address this visitor typed:
        said only to the visitor whose own sign-up it is."""
        return (
            self.registration is not None
            and self.registration.email_failed_at is not None
        )

    def post(self, request, *args, **kwargs):
        if self.email is None:
            return redirect("registrations:check_email")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        refusal = sign_up_refusal(self.request, email)
        if refusal:
            form.add_error(None, refusal)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if self.registration is None:
            # Not this visitor's sign-up to change (a known address, a robot's):
            # the same answer as for a correction, and nothing changes.
            return check_email_redirect(email, corrected=True)
        try:
            registration = services.correct_email(self.registration.pk, email)
        except services.RegistrationError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        except OperationalError as error:
            logger.warning("Address not corrected in time: %s", type(error).__name__)
            form.add_error(None, gettext(TRY_AGAIN))
            return self.render_to_response(self.get_context_data(form=form), status=503)
        # Corrected in place, it stays this visitor's to correct again; a sign-up
        # the corrected address already had is not theirs to change.
        if registration.pk == self.registration.pk:
            registration.fresh = True
        return check_email_redirect(email, registration, corrected=True)


class ConfirmView(SeatLockMixin, TemplateView):
    """The link from the e-mail opens a button; only its POST confirms.

    Mail scanners follow links, so a GET must change nothing.
    """

    template_name = "registrations/registration_confirm.html"

    def dispatch(self, request, *args, **kwargs):
        self.registration, problem = self.registration_from_link()
        if problem:
            return links.problem_page(request, problem, self.registration)
        if self.registration.status != Registration.Status.PENDING:
            return redirect(self.registration)  # a second click changes nothing
        return super().dispatch(request, *args, **kwargs)

    def registration_from_link(self) -> tuple[Registration | None, str | None]:
        key, problem = links.opened_confirmation(self.kwargs["signed"])
        if key is None:
            return None, problem
        registrations = Registration.objects.filter(
            confirmation_key=key, erased_at__isnull=True
        )
        if self.request.method != "POST":
            # The button page shows the event and its venue; the confirming POST,
            # the rush's every request, reads them under the seat lock instead.
            registrations = registrations.select_related("event__venue")
        try:
            return registrations.get(), problem
        except Registration.DoesNotExist:
            # An expired link's sign-up may be gone already (expire_sign_ups).
            return None, problem or site_links.Problem.GONE

    def get_context_data(self, **kwargs):
        event = self.registration.event
        state = services.availability_for(event, self.registration.mode)
        return super().get_context_data(
            registration=self.registration,
            event=event,
            state=state,
            taking=state in Availability.TAKING,
            refusal=services.refusal(event, state),
            seats_left=services.seats_left(event),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            registration = services.confirm(self.registration)
        except services.RegistrationError as error:
            context = self.get_context_data(error=str(error))
            return self.render_to_response(context, status=409)
        return redirect(registration)
