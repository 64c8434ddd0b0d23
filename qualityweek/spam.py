"""What keeps robots off the public forms: a honeypot field and rate limits per
client address and per e-mail address."""

from django import forms
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

# Named like a field robots love to fill; "website" is a real field on some forms.
HONEYPOT_FIELD = "homepage"


class HoneypotMixin(forms.Form):
    """A field people never see and robots fill in; `is_spam` tells.

    The form's layout puts it in a `Div(..., css_class="hp-field")`, which the
    site's CSS hides from people and screen readers alike.
    """

    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT_FIELD))


def over_rate(request, *, group: str, rate: str) -> bool:
    """Count this submission against the client address; True once past the rate.

    Call it only for a submission that would be stored: a person fixing typos on
    a refused form is not counted. The address is the visitor's, also behind the
    site's proxies (qualityweek.client_address).
    """
    return is_ratelimited(
        request, group=group, key="ip", rate=rate, method="POST", increment=True
    )


def email_key(email: str) -> str:
    """What counts an e-mail address in the cache: a keyed hash, never the address."""
    return salted_hmac("qualityweek.spam.email", email.strip().lower()).hexdigest()


def over_email_rate(request, email: str, *, group: str, rate: str) -> bool:
    """Count this submission against the e-mail address it gives, like over_rate."""
    return is_ratelimited(
        request,
        group=group,
        key=lambda group, request: email_key(email),
        rate=rate,
        method="POST",
        increment=True,
    )


def first_in(name: str, *, seconds: float) -> bool:
    """True the first time `name` comes in so many seconds, False after that.

    With the cache down it says True: a letter is let through rather than lost,
    as the rate limits let people through.
    """
    key = f"qualityweek:first-in:{name}"
    if cache.add(key, True, timeout=seconds):
        return True
    return cache.get(key) is None
