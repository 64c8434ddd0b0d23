"""The contest's winners on the site: only those whose consent to publish holds."""

import hashlib

from csp.constants import NONE
from csp.decorators import csp
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response
from django.utils.decorators import method_decorator
from django.utils.http import quote_etag
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, TemplateView

from events import caching
from events.models import Edition

from .models import Winner


# Winners' saves raise the programme revision (caching.watch in apps.py): a
# consent withdrawn leaves every cached copy behind at once.
@method_decorator(caching.whole_page, name="dispatch")
class WinnerListView(TemplateView):
    """The winners of the current edition, by nomination order."""

    template_name = "winners/winner_list.html"

    def get_edition(self, current: Edition | None) -> Edition:
        if current is None:
            raise Http404("No edition yet")
        return current

    def get_context_data(self, **kwargs):
        current = Edition.objects.current()
        edition = self.get_edition(current)
        published = Winner.objects.published()
        return super().get_context_data(
            edition=edition,
            is_current=edition == current,
            winners=list(published.of_edition(edition).for_listing()),
            # The index: every edition with a winner that may be shown.
            years=published.edition_years(),
            **kwargs,
        )


class EditionWinnerListView(WinnerListView):
    """One edition's winners at an address that stays: /<year>/winners/."""

    def get_edition(self, current: Edition | None) -> Edition:
        year = self.kwargs["year"]
        if current is not None and current.year == year:
            return current
        return get_object_or_404(Edition, year=year)


@method_decorator(caching.whole_page, name="dispatch")
class WinnerDetailView(DetailView):
    template_name = "winners/winner_detail.html"
    context_object_name = "winner"

    def get_queryset(self):
        return Winner.objects.published().for_listing().select_related("edition")


@require_safe
@csp({"default-src": NONE, "sandbox": True})
def photo(request, pk):
    """A published winner's photo; nothing once the consent is withdrawn."""
    winner = get_object_or_404(Winner.objects.published(), pk=pk)
    if not winner.photo_thumbnail:
        raise Http404("No photo")
    # Asked about again on every use: a withdrawn consent takes the photo away
    # at once, from browsers and from nginx (which keeps nothing without
    # X-Accel-Expires).
    etag = quote_etag(
        hashlib.sha256(winner.photo_thumbnail.name.encode()).hexdigest()[:20]
    )
    answer = get_conditional_response(request, etag=etag)
    if answer is None:
        try:
            answer = FileResponse(
                winner.photo_thumbnail.open("rb"), content_type="image/jpeg"
            )
        except OSError as error:
            raise Http404("No such file") from error
    answer["ETag"] = etag
    answer["Cache-Control"] = "no-cache"
    answer["X-Content-Type-Options"] = "nosniff"
    return answer
