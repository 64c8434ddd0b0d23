"""The e-mails a submitter gets: received, approved, rejected — of the activation
and of a correction to a published one — in their language."""

from django.urls import reverse
from django.utils.translation import gettext

from qualityweek import links
from qualityweek import mail as site_mail
from qualityweek.mail import BOUNCED, FAILED, NOT_DUE, SENT, UNCERTAIN  # noqa: F401

from .models import Activation

RECEIVED = "received"
APPROVED = "approved"
REJECTED = "rejected"
# A correction of a published activation: the published version stays meanwhile.
CORRECTION_RECEIVED = "correction_received"
CORRECTION_APPROVED = "correction_approved"
CORRECTION_REJECTED = "correction_rejected"

EDIT_SALT = "activations.edit"


def edit_url(activation: Activation) -> str:
    signed = links.sign(activation.edit_key, salt=EDIT_SALT)
    return links.absolute(reverse("activations:edit", kwargs={"signed": signed}))


def subject(mail: str, activation: Activation) -> str:
    title = {"title": activation.title}
    if mail == APPROVED:
        return gettext("Your activation is published: %(title)s") % title
    if mail == REJECTED:
        return gettext("Your activation was not published: %(title)s") % title
    if mail == CORRECTION_RECEIVED:
        return gettext("We have received your correction: %(title)s") % title
    if mail == CORRECTION_APPROVED:
        return gettext("Your correction is published: %(title)s") % title
    if mail == CORRECTION_REJECTED:
        return gettext("Your correction was not accepted: %(title)s") % title
    return gettext("We have received your activation: %(title)s") % title


def build(activation: Activation, mail: str):
    def context():
        return {
            "mail": mail,
            "activation": activation,
            "corrected_fields": activation.corrected_field_labels(),
            "edit_url": edit_url(activation),
            "page_url": links.absolute(activation.get_absolute_url()),
            "poster_url": links.absolute(
                reverse("activations:poster", kwargs={"slug": activation.slug})
            ),
            "card_url": links.absolute(
                reverse("activations:card", kwargs={"slug": activation.slug})
            ),
            "list_url": links.absolute(reverse("activations:list")),
            "policy_url": links.absolute(reverse("privacy")),
        }

    return site_mail.render(
        f"activations/email/{mail}",
        to=activation.email,
        language=activation.language,
        subject=lambda: subject(mail, activation),
        context=context,
    )


def send(activation_pk: int, mail: str, *, letter: str = "") -> str:
    """Send one e-mail now if the activation still holds an address."""
    activation = (
        Activation.objects.select_related("region", "edition")
        .filter(pk=activation_pk, erased_at__isnull=True)
        .first()
    )
    if activation is None:
        return NOT_DUE
    message = build(activation, mail)
    outcome = site_mail.deliver(
        message, about="Activation", pk=activation.pk, mail=mail, key=letter
    )
    site_mail.note_outcome(
        Activation.objects.filter(pk=activation.pk),
        address=activation.email,
        letter=mail,
        outcome=outcome,
    )
    return outcome
