"""Short-lived values kept in a visitor's browser that the visitor can neither
read nor change: encrypted and authenticated (Fernet), keyed by SECRET_KEY.

Signing alone (django.core.signing) would show the payload: a sealed value says
nothing, not even which row it names, and values of equal length seal to equal
length, so a page's state can say "yours to change" without telling anyone else.
"""

import base64
import datetime
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac


def _fernet(salt: str) -> MultiFernet:
    # The current key seals; the fallbacks still open what they sealed.
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    salted_hmac(salt, "fernet", secret=key, algorithm="sha256").digest()
                )
            )
            for key in keys
        ]
    )


def seal(data: dict, *, salt: str) -> str:
    """`data` (JSON) sealed for this site only; the salt names what it is for."""
    payload = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
    return _fernet(salt).encrypt(payload).decode()


def unseal(value: str, *, salt: str, max_age: datetime.timedelta) -> dict | None:
    """What `seal` sealed, if this site sealed it under this salt within
    `max_age`; None for anything else."""
    try:
        payload = _fernet(salt).decrypt(
            value.encode(), ttl=int(max_age.total_seconds())
        )
        data = json.loads(payload)
    except (InvalidToken, UnicodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None
