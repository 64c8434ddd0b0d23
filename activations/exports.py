"""The list of activations organisers take out of admin, for Excel."""

from django.utils.translation import gettext


def activation_rows(activations):
    """A header and a row per activation, by date, with the person to call."""
    yield [
        gettext("Company"),
        gettext("INN"),
        gettext("Title"),
        gettext("Kind"),
        gettext("Region"),
        gettext("City or town"),
        gettext("First day"),
        gettext("Last day"),
        gettext("Format"),
        gettext("Address"),
        gettext("Online link"),
        gettext("Status"),
        gettext("Contact person"),
        gettext("E-mail"),
        gettext("Phone"),
        gettext("Submitted"),
        gettext("Moderated"),
    ]
    for activation in activations.for_listing():
        yield [
            activation.company_name,
            activation.inn,
            activation.title,
            activation.get_kind_display(),
            activation.region.name_i18n,
            activation.city,
            activation.first_day,
            activation.last_day,
            activation.get_format_display(),
            activation.address,
            activation.online_url,
            activation.get_status_display(),
            activation.contact_name,
            activation.email,
            activation.phone,
            activation.submitted_at,
            activation.moderated_at,
        ]
