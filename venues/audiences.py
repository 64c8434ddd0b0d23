"""The approved regional venues, as an audience of the organisers' messages."""

from django.utils.translation import gettext_lazy as _

from qualityweek import messages

from .models import VenueApplication


def recipients(applications, group: str):
    """The approved among the chosen applications, one per contact's address."""
    return messages.one_per_address(applications.approved())


def is_due(application: VenueApplication) -> bool:
    return (
        application.erased_at is None
        and application.status == VenueApplication.Status.APPROVED
    )


def address(application: VenueApplication) -> tuple[str, list[str]]:
    # The technical contact connects the venue: they read it too.
    return application.email, [application.tech_email] if application.tech_email else []


AUDIENCE = messages.Audience(
    key="venues",
    source=VenueApplication,
    model=VenueApplication,
    action_label=_("Write to the approved among the selected venues"),
    groups={"approved": _("approved venues")},
    recipients=recipients,
    is_due=is_due,
    address=address,
    reason=_(
        "You get this letter because your e-mail address was given in the "
        "regional venue application form on the site of World Quality Week."
    ),
)
