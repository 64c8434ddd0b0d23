"""The list of approved venues organisers take out of admin, for Excel."""

from django.utils.translation import gettext


def venue_rows(applications):
    """A header and a row per venue, with both contacts: for the organisers' calls."""
    yield [
        gettext("Federal district"),
        gettext("Region"),
        gettext("City or town"),
        gettext("Venue"),
        gettext("Address"),
        gettext("Organising body"),
        gettext("Expected audience"),
        gettext("Contact person"),
        gettext("E-mail"),
        gettext("Phone"),
        gettext("Technical contact"),
        gettext("Technical contact's e-mail"),
        gettext("Technical contact's phone"),
        gettext("Note"),
        gettext("Status"),
        gettext("Submitted"),
        gettext("Moderated"),
    ]
    for application in applications.select_related("region").order_by(
        "region__federal_district", "region__name", "city", "venue_name", "pk"
    ):
        region = application.region
        yield [
            region.get_federal_district_display(),
            region.name_i18n,
            application.city,
            application.venue_name,
            application.address,
            application.organising_body,
            application.audience,
            application.contact_name,
            application.email,
            application.phone,
            application.tech_name,
            application.tech_email,
            application.tech_phone,
            application.note,
            application.get_status_display(),
            application.submitted_at,
            application.moderated_at,
        ]
