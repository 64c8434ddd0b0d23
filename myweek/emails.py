"""The one letter of a visitor's week: its private link, to an address that is
kept nowhere (it travels sealed in the letter's task)."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext

from qualityweek import links, sealed
from qualityweek import mail as site_mail

from .models import Selection

ADDRESS_SALT = "myweek.link-letter"
# Past this the sealed address opens no more: retries last about a day.
ADDRESS_MAX_AGE = datetime.timedelta(days=2)
LINK = "link"


def seal_address(address: str) -> str:
    return sealed.seal({"address": address}, salt=ADDRESS_SALT)


def unseal_address(value: str) -> str | None:
    data = sealed.unseal(value, salt=ADDRESS_SALT, max_age=ADDRESS_MAX_AGE)
    address = data.get("address") if data else None
    return address if isinstance(address, str) else None


def build(selection: Selection, address: str, language: str):
    def subject():
        return gettext("Your week at World Quality Week: the link")

    def context():
        page_url = links.absolute(selection.get_absolute_url())
        feed_url = links.absolute(
            reverse("myweek:ics", kwargs={"token": selection.token})
        )
        body = "\n\n".join(
            [
                gettext(
                    "Here is the private link to the events and activations "
                    "you marked. Anyone who has it can see and change the list: "
                    "keep it to yourself."
                ),
                page_url,
                gettext("Its calendar feed, to subscribe to in a calendar app:"),
                feed_url,
            ]
        )
        return {
            "subject": subject(),
            "language": language,
            "body": body,
            "reason": gettext(
                "You get this letter because someone asked for it on the "
                "“My week” page of World Quality Week. Your address is not kept."
            ),
            "policy_url": links.absolute(reverse("privacy")),
        }

    return site_mail.render(
        "email/message",
        to=address,
        language=language,
        subject=subject,
        context=context,
    )


def send(selection_pk: int, sealed_address: str, language: str, *, letter: str):
    """Send the link now, if the week and the address are still there."""
    selection = Selection.objects.filter(pk=selection_pk).first()
    address = unseal_address(sealed_address)
    if selection is None or not address:
        return site_mail.NOT_DUE
    return site_mail.deliver(
        build(selection, address, language),
        about="Selection",
        pk=selection.pk,
        mail=LINK,
        key=letter,
    )
