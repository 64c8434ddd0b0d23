"""Lists organisers take out of admin: registrations for Excel, in person and
online (a column says which), and the list for the venue's pass office, of
those with a seat only."""

import itertools

from django.utils.translation import gettext

from .models import Registration


def registration_rows(registrations):
    """A header and a row per registration: what organisers work with in Excel."""
    yield [
        gettext("Ticket code"),
        gettext("Status"),
        gettext("Takes part"),
        gettext("Event"),
        gettext("Surname"),
        gettext("Name"),
        gettext("Patronymic"),
        gettext("E-mail"),
        gettext("Phone"),
        gettext("Organisation"),
        gettext("Position"),
        gettext("Region"),
        gettext("Registered"),
        gettext("Confirmed"),
        gettext("Checked in"),
    ]
    for registration in registrations.select_related("event", "region"):
        yield [
            registration.ticket_code,
            registration.get_status_display(),
            registration.get_mode_display(),
            registration.event.title,
            registration.surname,
            registration.name,
            registration.patronymic,
            registration.email,
            registration.phone,
            registration.organisation,
            registration.position,
            # No region: the form's «другая страна», someone from abroad.
            registration.region.name
            if registration.region
            else gettext("Another country (outside Russia)"),
            registration.created_at,
            registration.confirmed_at,
            registration.checked_in_at,
        ]


def alphabetical(registration: Registration) -> tuple:
    """Sort key by surname, name, patronymic as a Russian reader expects them.

    Unicode puts Ё before А; in a Russian list it goes with Е. Sorting here, not in
    the database, keeps the order the same whatever the database's collation.
    """
    return tuple(
        part.casefold().replace("ё", "е")
        for part in (registration.surname, registration.name, registration.patronymic)
    )


def pass_office_lists(registrations) -> list[tuple]:
    """The confirmed people of each event, alphabetical: (event, [registrations])."""
    confirmed = (
        registrations.confirmed()
        .filter(erased_at__isnull=True)
        .select_related("event__venue")
        .order_by("event__start", "event_id")
    )
    return [
        (event, sorted(people, key=alphabetical))
        for event, people in itertools.groupby(confirmed, key=lambda r: r.event)
    ]


def pass_office_rows(registrations):
    """The pass office's list: numbered full names and organisations."""
    yield [
        "№",
        gettext("Surname"),
        gettext("Name"),
        gettext("Patronymic"),
        gettext("Organisation"),
        gettext("Event"),
    ]
    for event, people in pass_office_lists(registrations):
        for number, registration in enumerate(people, start=1):
            yield [
                number,
                registration.surname,
                registration.name,
                registration.patronymic,
                registration.organisation,
                event.title,
            ]
