import factory

from qualityweek import clock
from tests.factories import EditionFactory, region
from winners.models import Winner


class WinnerFactory(factory.django.DjangoModelFactory):
    """A winner invented for a test; published (consent given) unless told."""

    class Meta:
        model = Winner

    edition = factory.SubFactory(EditionFactory)
    kind = Winner.Kind.PERSON
    name = factory.Sequence(lambda number: f"Победитель Тестовый {number}")
    name_en = factory.Sequence(lambda number: f"Test Winner {number}")
    nomination = "Лучшая практика качества"
    nomination_en = "Best quality practice"
    region = factory.LazyFunction(lambda: region("43"))
    text = "Рассказ о победе."
    text_en = "The story of the win."
    email = factory.Sequence(lambda number: f"winner{number}@example.com")
    publication_consent_given_at = factory.LazyFunction(clock.now)

    class Params:
        without_consent = factory.Trait(publication_consent_given_at=None)
