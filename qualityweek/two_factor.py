"""Two-factor sign-in to the admin: a TOTP code from an authenticator app.

An organiser with a confirmed device gives its code at every sign-in. With
QUALITYWEEK_ADMIN_2FA on, staff without a device are sent to set one up before
the admin opens; without a device the admin stays shut to them.

Setting up the app also gives RECOVERY_CODES one-time recovery codes (django-otp's
static device), shown once: each signs in once instead of the app's code, for a
phone lost or left at home. Making new ones voids those left.
"""

import re
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
# What people type between a code's halves, and any case: "abcd-efgh", "ABCD EFGH".
_CODE_SEPARATORS = re.compile(r"[\s-]+")


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


def normalise_code(token: str) -> str:
    """A code as typed, without spaces and hyphens, in lower case."""
    return _CODE_SEPARATORS.sub("", token or "").lower()


def is_recovery_code(token: str) -> bool:
    """A recovery code is letters and digits; the app's code is six digits."""
    return bool(token) and not token.isdigit()


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """RECOVERY_CODES new codes for the user, as shown to them; those left void.

    The device stays the same, so that a session signed in with one of the old
    codes stays signed in.
    """
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(
            user=user, name=gettext("Recovery codes"), confirmed=True
        )
    device.token_set.all().delete()
    tokens = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=token) for token in tokens]
    )
    return [f"{token[:4]}-{token[4:]}" for token in tokens]


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()
