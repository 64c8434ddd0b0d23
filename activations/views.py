"""Businesses' activations: the public list, one activation, the form, the edit link."""

import datetime
import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, FormView, TemplateView

from events import caching, certificates, entries, ics
from events.models import Edition
from qualityweek import links, permissions, spam
from qualityweek.submissions import PublicSubmissionMixin

from . import emails, materials, services
from .forms import ActivationForm
from .models import Activation
from .search import ActivationFilterForm, filtered

logger = logging.getLogger(__name__)

PAGE_SIZE = 12


def edit_link_max_age() -> datetime.timedelta:
    return datetime.timedelta(days=settings.QUALITYWEEK_ACTIVATION_EDIT_DAYS)


class CurrentEditionMixin:
    def dispatch(self, request, *args, **kwargs):
        self.edition = Edition.objects.current()
        if self.edition is None:
            raise Http404("No edition yet")
        return super().dispatch(request, *args, **kwargs)


# Activations are part of the programme: their saves raise its revision, so the
# programme's whole-page cache serves their public pages too, never stale.
LIST_PARAMS = {
    "q": caching.text(),
    "region": caching.REGION_CODE,
    "kind": caching.one_of(Activation.Kind.choices),
    "day": caching.ISO_DATE,
    "page": caching.PAGE_NUMBER,
}


@method_decorator(caching.whole_page(params=LIST_PARAMS), name="dispatch")
class ActivationListView(CurrentEditionMixin, TemplateView):
    """The approved activations of the current edition, filtered and paged."""

    template_name = "activations/activation_list.html"

    def get_context_data(self, **kwargs):
        form = ActivationFilterForm(self.request.GET or None, edition=self.edition)
        cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
        activations = filtered(self.edition, cleaned)
        page = Paginator(activations, PAGE_SIZE).get_page(self.request.GET.get("page"))
        filters = form.active_filters() if form.is_bound else {}
        return super().get_context_data(
            edition=self.edition,
            form=form,
            page=page,
            activations=page.object_list,
            count=len(activations),
            filters=filters,
            chosen_in_form=len(filters),
            **kwargs,
        )


@method_decorator(caching.whole_page, name="dispatch")
class ActivationDetailView(DetailView):
    template_name = "activations/activation_detail.html"
    context_object_name = "activation"

    def get_queryset(self):
        activations = Activation.objects.for_listing()
        if permissions.may_preview(self.request.user):
            return activations.filter(erased_at__isnull=True)  # organisers preview
        return activations.approved()

    def get_context_data(self, **kwargs):
        # Its days as the programme states them, as on an event's page.
        return super().get_context_data(entry=entries.of(self.object), **kwargs)


@require_safe
def activation_ics(request, slug):
    """One approved activation as a calendar file."""
    activation = get_object_or_404(
        Activation.objects.approved().for_listing(), slug=slug
    )
    calendar = ics.build_calendar(
        [activation],
        name=activation.title,
        description=activation.edition.title_i18n,
    )
    return ics.calendar_response(
        calendar, f"activation-{activation.pk}.ics", title=activation.title
    )


# The contact person's name, e-mail and phone never reach an error report.
@method_decorator(sensitive_post_parameters(), name="dispatch")
@method_decorator(never_cache, name="dispatch")
class ActivationCreateView(CurrentEditionMixin, PublicSubmissionMixin, FormView):
    form_class = ActivationForm
    about = "Activation"
    submitted_url = "activations:submitted"
    refusal_error = services.ActivationError
    template_name = "activations/activation_form.html"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "edition": self.edition,
            "consent_text": services.consent_text(),
            "submit_label": gettext("Send for moderation"),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            edition=self.edition,
            taking=services.consent_text() is not None,
            **kwargs,
        )

    def rate_refusal(self, email: str) -> str | None:
        """Why this submission is one too many, per address or per e-mail."""
        if spam.over_rate(
            self.request,
            group="activations.submit",
            rate=settings.QUALITYWEEK_ACTIVATION_RATE,
        ):
            return gettext(
                "Too many activations have come from your network. Please try "
                "again in an hour."
            )
        if spam.over_email_rate(
            self.request,
            email,
            group="activations.submit.email",
            rate=settings.QUALITYWEEK_ACTIVATION_EMAIL_RATE,
        ):
            return gettext(
                "Too many activations have come with this e-mail address. Please "
                "try again in an hour."
            )
        return None

    def store(self, form) -> None:
        data = form.cleaned_data
        services.submit(
            self.edition,
            data,
            image=data.get("image"),
            language=get_language(),
            key=data.get("submission_key"),
        )


class SubmittedView(TemplateView):
    template_name = "activations/activation_submitted.html"


@method_decorator(sensitive_post_parameters(), name="dispatch")
@method_decorator(never_cache, name="dispatch")
class ActivationEditView(FormView):
    """The submitter's own link: correct a pending, rejected or approved entry."""

    form_class = ActivationForm
    template_name = "activations/activation_edit.html"

    def dispatch(self, request, *args, **kwargs):
        key, problem = links.opened(
            kwargs["signed"], salt=emails.EDIT_SALT, max_age=edit_link_max_age()
        )
        self.activation = (
            None
            if problem
            else Activation.objects.select_related("region", "edition")
            .filter(edit_key=key, erased_at__isnull=True)
            .first()
        )
        if self.activation is None:
            return links.problem_page(
                request,
                problem or links.Problem.GONE,
                link=gettext("The link to correct an activation"),
                max_age=edit_link_max_age(),
                advice=gettext(
                    "Write to the organisers, or announce the activation again."
                ),
                next_url=reverse("activations:new"),
                next_label=gettext("Announce an activation"),
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            # What the submitter last wrote: a waiting correction, if any.
            "instance": self.activation.as_corrected(),
            "edition": self.activation.edition,
            "consent_text": None,  # given with the first submission
            "submit_label": gettext("Save and send for moderation"),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            activation=self.activation,
            corrected_fields=self.activation.corrected_field_labels(),
            saved=self.request.GET.get("saved") == "1",
            certificate_offer=certificates.offer("activations", self.activation.pk),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.update(
                self.activation,
                data,
                image=data.get("image"),
                remove_image=data.get("remove_image", False),
            )
        except services.ActivationError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        return redirect(self.request.path + "?saved=1")


def _approved(slug: str) -> Activation:
    return get_object_or_404(
        Activation.objects.approved().select_related("edition"), slug=slug
    )


def _material(request, slug: str, *, kind: str):
    """The poster or the card, made once per state of the activation and its
    brand assets, and revalidated by that state's ETag."""
    activation = _approved(slug)
    version = materials.version(activation)
    etag = f'"{kind}-{hashlib.sha256(version.encode()).hexdigest()[:32]}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        key = f"activations:{kind}:{etag}"
        content = cache.get(key)
        if content is None:
            make = materials.poster_pdf if kind == "poster" else materials.card_png
            content = make(activation)
            cache.set(key, content, MATERIAL_CACHE_SECONDS)
        response = HttpResponse(
            content,
            content_type="application/pdf" if kind == "poster" else "image/png",
        )
        if kind == "poster":
            response["Content-Disposition"] = (
                f'inline; filename="poster-{activation.slug}.pdf"'
            )
    response["ETag"] = etag
    # Short in shared caches: a change of the activation must show soon.
    response["Cache-Control"] = "public, max-age=300"
    return response


MATERIAL_CACHE_SECONDS = 7 * 24 * 3600


@require_safe
def activation_poster(request, slug):
    """An approved activation's A4 poster as PDF."""
    return _material(request, slug, kind="poster")


@require_safe
def activation_card(request, slug):
    """An approved activation's 1200×630 card as PNG."""
    return _material(request, slug, kind="card")
