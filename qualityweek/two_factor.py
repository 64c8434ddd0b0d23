"""Two-factor sign-in to the admin: a TOTP code from an authenticator app.

An organiser with a confirmed device gives its code at every sign-in. With
QUALITYWEEK_ADMIN_2FA on, staff without a device are sent to set one up before
the admin opens; without a device the admin stays shut to them.
"""

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice


def required() -> bool:
    return settings.QUALITYWEEK_ADMIN_2FA


def is_verified(user) -> bool:
    """Whether this session gave a code (django_otp's middleware tells)."""
    return bool(getattr(user, "is_verified", None) and user.is_verified())


def passes(user) -> bool:
    """Whether the user's sign-in is enough for the admin."""
    return is_verified(user) or not required()


def has_device(user) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def may_enrol(user) -> bool:
    """A first device: with the password; another one: only after a code.

    Otherwise whoever learnt the password could add their own phone.
    """
    return (
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and (is_verified(user) or not has_device(user))
    )


def must_enrol(user) -> bool:
    return required() and may_enrol(user) and not is_verified(user)


def pending_device(user) -> TOTPDevice:
    """The device being set up: one unconfirmed at a time, kept until confirmed."""
    device = (
        TOTPDevice.objects.devices_for_user(user, confirmed=False)
        .order_by("-pk")
        .first()
    )
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=gettext("Authenticator app"), confirmed=False
        )
    return device


@transaction.atomic
def confirm(device: TOTPDevice, token: str) -> bool:
    """Confirm a device with a code it showed; wrong codes are throttled."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    allowed, _details = device.verify_is_allowed()
    if not (allowed and device.verify_token(token)):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// link as an inline SVG QR code, made here."""
    image = qrcode.make(
        device.config_url,
        image_factory=qrcode.image.svg.SvgPathFillImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=8,
        border=4,
    )
    return image.to_string(encoding="unicode")


def secret(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app by hand."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
