"""Regional venues: the application form, its receipt, and the venue's own page."""

import logging

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, TemplateView

from events import certificates
from events.models import Edition
from qualityweek import links, spam
from qualityweek.submissions import PublicSubmissionMixin

from . import emails, services
from .forms import VenueApplicationForm
from .models import VenueApplication

logger = logging.getLogger(__name__)


class CallMixin:
    """Loads the current edition, its call for venues and where the call stands."""

    def dispatch(self, request, *args, **kwargs):
        self.edition = Edition.objects.current()
        if self.edition is None:
            raise Http404("No edition yet")
        self.call = services.call_of(self.edition)
        self.state = services.call_state(self.call)
        return super().dispatch(request, *args, **kwargs)


# The contacts' names, e-mails and phones never reach an error report.
@method_decorator(sensitive_post_parameters(), name="dispatch")
@method_decorator(never_cache, name="dispatch")
class VenueApplicationCreateView(CallMixin, PublicSubmissionMixin, FormView):
    form_class = VenueApplicationForm
    about = "Venue application"
    submitted_url = "venues:submitted"
    refusal_error = services.VenueError
    template_name = "venues/application_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.consent_text = services.consent_text()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "consent_text": self.consent_text}

    def get_context_data(self, **kwargs):
        taking = self.state == services.CallState.OPEN and self.consent_text is not None
        if not taking:
            kwargs["form"] = None
        return super().get_context_data(
            edition=self.edition,
            call=self.call,
            state=str(self.state),
            taking=taking,
            event=emails.regional_day(self.edition),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if self.state != services.CallState.OPEN:
            return self.render_to_response(self.get_context_data(), status=409)
        return super().post(request, *args, **kwargs)

    def rate_refusal(self, email: str) -> str | None:
        """Why this application is one too many, per address or per e-mail."""
        if spam.over_rate(
            self.request, group="venues.apply", rate=settings.QUALITYWEEK_VENUE_RATE
        ):
            return gettext(
                "Too many applications have come from your network. Please try "
                "again in an hour."
            )
        if spam.over_email_rate(
            self.request,
            email,
            group="venues.apply.email",
            rate=settings.QUALITYWEEK_VENUE_EMAIL_RATE,
        ):
            return gettext(
                "Too many applications have come with this e-mail address. Please "
                "try again in an hour."
            )
        return None

    def store(self, form) -> None:
        services.submit(
            self.edition,
            form.cleaned_data,
            language=get_language(),
            key=form.cleaned_data.get("submission_key"),
        )


class SubmittedView(TemplateView):
    template_name = "venues/application_submitted.html"


@method_decorator(never_cache, name="dispatch")
class VenuePageView(TemplateView):
    """The venue's own signed page: the application's state, the connection
    instructions once approved, and a way to withdraw."""

    template_name = "venues/venue_page.html"

    def dispatch(self, request, *args, **kwargs):
        key, problem = links.opened(
            kwargs["signed"], salt=emails.PAGE_SALT, max_age=emails.page_link_max_age()
        )
        self.application = (
            None
            if problem
            else VenueApplication.objects.select_related("region", "edition")
            .filter(access_key=key, erased_at__isnull=True)
            .first()
        )
        if self.application is None:
            return links.problem_page(
                request,
                problem or links.Problem.GONE,
                link=gettext("The link to a venue's page"),
                max_age=emails.page_link_max_age(),
                advice=gettext("Write to the organisers."),
                next_url=reverse("registrations:regional_day"),
                next_label=gettext("About the regional day"),
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        application = self.application
        return super().get_context_data(
            application=application,
            call=services.call_of(application.edition),
            event=emails.regional_day(application.edition),
            confirming=self.request.GET.get("withdraw") == "1"
            and application.is_open_to_withdraw,
            withdrawn=self.request.GET.get("withdrawn") == "1",
            certificate_offer=certificates.offer("venues", application.pk),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if "withdraw" not in request.POST:
            return redirect(request.path)
        if services.withdraw(self.application):
            return redirect(request.path + "?withdrawn=1")
        return redirect(request.path)
