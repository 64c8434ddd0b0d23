import pytest

from tests.factories import EventFactory, moscow


@pytest.fixture
def awards(edition_2023):
    """The awards ceremony of «Лидер качества», published."""
    return EventFactory(
        edition=edition_2023,
        slug="awards-2023",
        title="Церемония награждения «Лидер качества»",
        title_en="«Quality Leader» awards ceremony",
        kind="awards",
        start=moscow(2023, 11, 9, 17),
        end=moscow(2023, 11, 9, 19),
    )
