"""The venues' part of other apps' pages, through a template tag."""

import pytest
from django.template import Context, Template

from tests.factories import VenueApplicationFactory, region

pytestmark = pytest.mark.django_db


def render(edition) -> str:
    template = Template("{% load venue_tags %}{% regional_day_venues edition %}")
    return template.render(Context({"edition": edition}))


def test_regional_day_venues_lists_the_approved_by_region(edition_2023, open_call):
    VenueApplicationFactory(
        edition=edition_2023, region=region("43"), venue_name="Зал Вятки"
    )
    VenueApplicationFactory(
        edition=edition_2023, region=region("35"), venue_name="Скрыт", pending=True
    )

    html = render(edition_2023)

    assert "Зал Вятки" in html
    assert "Скрыт" not in html
    assert "1 регион и 1 площадка подключаются к региональному дню онлайн." in (
        " ".join(html.split())
    )
