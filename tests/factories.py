import datetime

import factory
from django.utils import timezone

from events.dates import quality_week
from events.models import Edition, Event, Organiser, Region, Speaker, Venue


def moscow(year, month, day, hour=0, minute=0) -> datetime.datetime:
    """An aware moment given in Moscow time."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition
        django_get_or_create = ["year"]

    year = 2023
    title = factory.LazyAttribute(lambda o: f"Всемирная неделя качества — {o.year}")
    title_en = factory.LazyAttribute(lambda o: f"World Quality Week {o.year}")
    motto = "Россия — страна со Знаком качества"
    motto_en = "Russia, the country with the Quality Mark"
    first_day = factory.LazyAttribute(lambda o: quality_week(o.year).first_day)
    last_day = factory.LazyAttribute(lambda o: quality_week(o.year).last_day)
    quality_day = factory.LazyAttribute(lambda o: quality_week(o.year).quality_day)


def region(code="77") -> Region:
    """Regions are reference data shipped by a migration."""
    return Region.objects.get(code=code)


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Площадка {n}")
    name_en = factory.Sequence(lambda n: f"Venue {n}")
    address = "Москва, проспект Мира, 119"
    address_en = "119 Prospekt Mira, Moscow"
    region = factory.LazyFunction(region)
    latitude = "55.826300"
    longitude = "37.637700"


class OrganiserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organiser

    name = factory.Sequence(lambda n: f"Организация {n}")
    short_name = factory.Sequence(lambda n: f"Орг{n}")
    short_name_en = factory.Sequence(lambda n: f"Org{n}")


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    name = factory.Sequence(lambda n: f"Спикер Номер {n}")
    name_en = factory.Sequence(lambda n: f"Speaker Number {n}")
    position = "эксперт"
    organisation = "Роскачество"


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    edition = factory.SubFactory(EditionFactory)
    slug = factory.Sequence(lambda n: f"event-{n}")
    title = factory.Sequence(lambda n: f"Событие {n}")
    title_en = factory.Sequence(lambda n: f"Event {n}")
    kind = Event.Kind.SESSION
    format = Event.Format.ONLINE
    start = factory.LazyFunction(lambda: moscow(2023, 11, 9, 10))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=2))
    is_published = True

    class Params:
        unpublished = factory.Trait(is_published=False)
        cancelled = factory.Trait(is_cancelled=True)
        in_person = factory.Trait(
            format=Event.Format.OFFLINE, venue=factory.SubFactory(VenueFactory)
        )

    @factory.post_generation
    def speakers(self, create, extracted, **kwargs):
        if create and extracted:
            self.speakers.set(extracted)

    @factory.post_generation
    def organisers(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisers.set(extracted)
