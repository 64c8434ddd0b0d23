import datetime

import factory
from django.db import models
from django.utils import timezone

from activations.models import Activation
from events.dates import quality_week
from events.models import (
    Edition,
    Event,
    Material,
    Organiser,
    Region,
    Speaker,
    Venue,
)
from qualityweek.models import ConsentText
from registrations.models import Registration
from venues.models import VenueApplication, VenueCall


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


class MaterialFactory(factory.django.DjangoModelFactory):
    """A published PDF of 1.5 KB; the file goes to MEDIA_ROOT (set it to tmp_path)."""

    class Meta:
        model = Material

    edition = factory.SubFactory(EditionFactory)
    title = factory.Sequence(lambda n: f"Материал {n}")
    title_en = factory.Sequence(lambda n: f"Material {n}")
    file = factory.django.FileField(
        filename="brand-kit.pdf", data=b"%PDF-1.7\n" + b"0" * 1527
    )
    size = factory.LazyAttribute(lambda o: o.file.size)
    is_published = True

    class Params:
        unpublished = factory.Trait(is_published=False)


class ConsentTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsentText
        django_get_or_create = ["purpose", "version"]

    purpose = ConsentText.Purpose.REGISTRATION
    version = "test-1"
    text = "Я даю согласие на обработку моих персональных данных для регистрации."
    text_en = "I consent to the processing of my personal data for registration."


def registration_row(event, n: int, **fields) -> Registration:
    """An unsaved registration of person `n` for a bulk_create of hundreds:
    the factory's person, with an e-mail address of their own."""
    person = {
        "surname": "Иванова",
        "name": "Мария",
        "email": f"person{n}@example.ru",
        "phone": "+79161234567",
        "organisation": "АО «Качество»",
        "position": "инженер",
    }
    return Registration(event=event, **person | fields)


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A pending sign-up; traits: confirmed, waiting, cancelled."""

    class Meta:
        model = Registration
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory, in_person=True, takes_registrations=True)
    surname = "Иванова"
    name = "Мария"
    patronymic = "Петровна"
    email = factory.Sequence(lambda n: f"person{n}@example.ru")
    phone = "+79161234567"
    organisation = "АО «Качество»"
    position = "инженер по качеству"
    region = factory.LazyFunction(region)
    language = "ru"
    consent_text = factory.SubFactory(ConsentTextFactory)
    consent_given_at = factory.LazyFunction(lambda: moscow(2023, 11, 1, 10))

    class Params:
        # Traits set the status only; the event's seats_taken is kept by services,
        # so a trait that takes a seat also counts it (see _count_seat below).
        confirmed = factory.Trait(
            status=Registration.Status.CONFIRMED,
            confirmed_at=factory.LazyFunction(lambda: moscow(2023, 11, 1, 11)),
        )
        waiting = factory.Trait(
            status=Registration.Status.WAITING,
            confirmed_at=factory.LazyFunction(lambda: moscow(2023, 11, 1, 11)),
            waiting_since=factory.Sequence(
                lambda n: moscow(2023, 11, 1, 11) + datetime.timedelta(seconds=n)
            ),
            waiting_position=factory.Sequence(lambda n: n + 1),
        )
        cancelled = factory.Trait(
            status=Registration.Status.CANCELLED,
            cancelled_at=factory.LazyFunction(lambda: moscow(2023, 11, 1, 12)),
        )

    @factory.post_generation
    def _count_seat(self, create, extracted, **kwargs):
        if create and self.status == Registration.Status.CONFIRMED:
            Event.objects.filter(pk=self.event_id).update(
                seats_taken=models.F("seats_taken") + 1
            )
            self.event.refresh_from_db(fields=["seats_taken"])


class ActivationFactory(factory.django.DjangoModelFactory):
    """An approved activation of the 2023 week; traits: pending, rejected."""

    class Meta:
        model = Activation

    edition = factory.SubFactory(EditionFactory)
    status = Activation.Status.APPROVED
    slug = factory.Sequence(lambda n: f"activation-{n}")
    company_name = factory.Sequence(lambda n: f"ООО «Качество-{n}»")
    inn = "7707083893"
    region = factory.LazyFunction(lambda: region("43"))
    city = "Киров"
    kind = Activation.Kind.OPEN_DAY
    title = factory.Sequence(lambda n: f"День открытых дверей {n}")
    description = "Экскурсия по цехам и лаборатории контроля качества."
    first_day = datetime.date(2023, 11, 9)
    last_day = factory.LazyAttribute(lambda o: o.first_day)
    address = "Киров, ул. Ленина, 1"
    contact_name = "Анна Петрова"
    email = factory.Sequence(lambda n: f"contact{n}@example.ru")
    phone = "+79161234567"
    consent_text = factory.SubFactory(
        ConsentTextFactory, purpose=ConsentText.Purpose.ACTIVATION, version="a-1"
    )
    consent_given_at = factory.LazyFunction(lambda: moscow(2023, 11, 1, 10))

    class Params:
        pending = factory.Trait(status=Activation.Status.PENDING)
        rejected = factory.Trait(
            status=Activation.Status.REJECTED, rejection_reason="Нет адреса."
        )


class VenueCallFactory(factory.django.DjangoModelFactory):
    """The 2023 call for regional venues: open 2 Oct – 8 Nov 2023, 18:00."""

    class Meta:
        model = VenueCall
        django_get_or_create = ["edition"]

    edition = factory.SubFactory(EditionFactory)
    opens_at = factory.LazyFunction(lambda: moscow(2023, 10, 2, 10))
    closes_at = factory.LazyFunction(lambda: moscow(2023, 11, 8, 18))
    instructions = "Подключение через платформу форума: https://forum.example.ru/join"
    instructions_en = (
        "Connect through the forum's platform: https://forum.example.ru/join"
    )


class VenueApplicationFactory(factory.django.DjangoModelFactory):
    """An approved venue of the 2023 regional day; traits: pending, rejected."""

    class Meta:
        model = VenueApplication

    edition = factory.SubFactory(EditionFactory)
    status = VenueApplication.Status.APPROVED
    region = factory.LazyFunction(lambda: region("43"))
    city = "Киров"
    venue_name = factory.Sequence(lambda n: f"Конференц-зал {n}")
    address = "Киров, ул. Карла Либкнехта, 69"
    organising_body = "Министерство промышленности Кировской области"
    audience = 40
    contact_name = "Ольга Смирнова"
    email = factory.Sequence(lambda n: f"venue{n}@example.ru")
    phone = "+79161234567"
    tech_name = "Иван Кузнецов"
    tech_email = factory.Sequence(lambda n: f"tech{n}@example.ru")
    tech_phone = "+79167654321"
    consent_text = factory.SubFactory(
        ConsentTextFactory,
        purpose=ConsentText.Purpose.VENUE_APPLICATION,
        version="v-1",
    )
    consent_given_at = factory.LazyFunction(lambda: moscow(2023, 10, 20, 10))

    class Params:
        pending = factory.Trait(status=VenueApplication.Status.PENDING)
        rejected = factory.Trait(
            status=VenueApplication.Status.REJECTED, rejection_reason="Нет зала."
        )
