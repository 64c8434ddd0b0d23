"""A visitor's own week, with no account: the marks go to a private link, and a
long-lived signed cookie tells which link this browser uses.

The programme's pages are cached whole and alike for every visitor, so their
"Add to my week" buttons are the same for all and post without a CSRF token (a
form token would make the page personal). What is marked shows only here, on
pages that are never cached.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import TemplateView

from events import ics, programme
from events.views.base import feed_links
from qualityweek import spam

from . import services
from .forms import MarkForm, SendLinkForm
from .models import Selection

COOKIE = "qw_my_week"
COOKIE_SALT = "myweek.cookie"
COOKIE_AGE = datetime.timedelta(days=services.KEPT_UNUSED_DAYS)


def browser_selection(request) -> Selection | None:
    """The week this browser uses, if its cookie names one still kept."""
    token = request.get_signed_cookie(COOKIE, default=None, salt=COOKIE_SALT)
    if not token:
        return None
    return Selection.objects.filter(token=token).first()


def remember(response, selection: Selection):
    """Make this browser use the week (HttpOnly, SameSite=Lax, Secure over HTTPS)."""
    response.set_signed_cookie(
        COOKIE,
        selection.token,
        salt=COOKIE_SALT,
        max_age=int(COOKIE_AGE.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=settings.SECURE,
    )
    return response


def from_this_site(request) -> bool:
    """Whether a post comes from the site's own pages. The mark buttons carry
    no CSRF token; browsers name the page's origin on every POST."""
    origin = request.headers.get("Origin")
    if origin is None or origin == "null":
        # Old browsers send no Origin: the Referer then, if any.
        origin = request.headers.get("Referer")
        if origin is None:
            return request.headers.get("Sec-Fetch-Site") in (None, "same-origin")
    parts = urlsplit(origin)
    return parts.netloc == request.get_host() and parts.scheme == request.scheme


def _back(request, fallback: str) -> str:
    """The page the button was on: its own `next`, else the Referer (sent
    within the site: SECURE_REFERRER_POLICY is same-origin)."""
    target = request.POST.get("next") or request.headers.get("Referer", "")
    target = target.split("#", 1)[0]
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@never_cache
@require_safe
def my_week(request):
    """This browser's week, if it has one; else what the feature is."""
    selection = browser_selection(request)
    if selection is not None:
        return redirect(selection)
    return TemplateView.as_view(template_name="myweek/selection_empty.html")(request)


@csrf_exempt
@never_cache
@require_POST
def add(request):
    """Mark an entry; a browser that has no week yet gets one. Back to the page
    the button was on, at a note (a `:target` in CSS) that says it is marked."""
    if not from_this_site(request):
        return HttpResponseForbidden(gettext("This form works from this site only."))
    form = MarkForm(request.POST)
    if not form.is_valid():
        raise Http404("No such entry")
    source, pk = form.cleaned_data["source"], form.cleaned_data["pk"]
    selection = browser_selection(request)
    try:
        services.find_row(source, pk)
    except services.SelectionError as error:
        raise Http404(str(error)) from error
    if selection is None:
        selection = services.start()
    services.add(selection, source, pk)
    target = _back(request, selection.get_absolute_url())
    if target != selection.get_absolute_url():
        target += f"#marked-{source}-{pk}"
    return remember(redirect(target), selection)


def _selection(token: str) -> Selection:
    return get_object_or_404(Selection, token=token)


@method_decorator(never_cache, name="dispatch")
class SelectionView(TemplateView):
    """The week under its private link: what is marked, by day, with its feed,
    the link to keep or mail, and the buttons to unmark and to clear."""

    template_name = "myweek/selection_detail.html"

    def get(self, request, *args, **kwargs):
        self.selection = _selection(kwargs["token"])
        self.mine = browser_selection(request)
        services.touch(self.selection)
        response = super().get(request, *args, **kwargs)
        if self.mine is None:
            # The link opened in a new browser: that browser now uses this week.
            remember(response, self.selection)
        return response

    def get_context_data(self, **kwargs):
        selection, mine = self.selection, self.mine
        chosen = services.chosen_entries(selection)
        editions = [
            (edition, programme.by_day(edition, listed)) for edition, listed in chosen
        ]
        return super().get_context_data(
            selection=selection,
            editions=editions,
            count=sum(len(listed) for _edition, listed in chosen),
            link=self.request.build_absolute_uri(selection.get_absolute_url()),
            feed=feed_links(
                self.request, reverse("myweek:ics", kwargs={"token": selection.token})
            ),
            other_in_use=mine is not None and mine.pk != selection.pk,
            sent=self.request.GET.get("sent") == "1",
            **{"form": SendLinkForm(), **kwargs},
        )


@require_POST
def remove(request, token):
    selection = _selection(token)
    form = MarkForm(request.POST)
    if form.is_valid():
        services.remove(selection, form.cleaned_data["source"], form.cleaned_data["pk"])
    return redirect(selection)


@require_POST
def clear(request, token):
    selection = _selection(token)
    services.clear(selection)
    return redirect(selection)


@require_POST
def use_here(request, token):
    """Make this browser use the week of this link instead of its own."""
    selection = _selection(token)
    services.touch(selection)
    return remember(redirect(selection), selection)


@require_POST
def send_link(request, token):
    """Mail the private link to an address that is kept nowhere."""
    selection = _selection(token)
    form = SendLinkForm(request.POST)
    if form.is_valid():
        email = form.cleaned_data["email"]
        if spam.over_rate(
            request, group="myweek.link", rate=settings.QUALITYWEEK_MYWEEK_LINK_RATE
        ) or spam.over_email_rate(
            request,
            email,
            group="myweek.link.email",
            rate=settings.QUALITYWEEK_MYWEEK_LINK_EMAIL_RATE,
        ):
            form.add_error(
                None,
                gettext(
                    "Too many letters have been asked for. Please try again in an hour."
                ),
            )
        else:
            services.send_link(selection, email, language=get_language())
            return redirect(selection.get_absolute_url() + "?sent=1#send")
    view = SelectionView.as_view()
    request.method = "GET"
    response = view(request, token=token, form=form)
    response.status_code = 400
    return response


@require_safe
@never_cache
def selection_ics(request, token):
    """The week as a calendar feed: the same UIDs and SEQUENCE as every other
    feed, so a calendar app follows each change; cancelled shows cancelled."""
    selection = _selection(token)
    services.touch(selection)
    listed = [
        entry
        for _edition, entries in services.chosen_entries(selection)
        for entry in entries
    ]
    calendar = ics.build_calendar(
        listed,
        name=gettext("My week: World Quality Week"),
        description=gettext("The events and activations I marked. Details: %(url)s")
        % {"url": request.build_absolute_uri(selection.get_absolute_url())},
    )
    response = ics.calendar_response(
        calendar, "my-quality-week.ics", title=gettext("My week")
    )
    return response
