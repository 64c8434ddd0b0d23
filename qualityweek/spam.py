"""What keeps robots off the public forms: a honeypot field, a signed render time
good for one submission, and rate limits per client address and per e-mail
address."""

import datetime
import functools
import hashlib
import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

from . import client_address

# Named like a field robots love to fill; "website" is a real field on some forms.
HONEYPOT_FIELD = "homepage"
# The hidden field with the signed moment the form was shown.
RENDERED_FIELD = "rendered"
RENDERED_SALT = "qualityweek.spam.rendered"
# A page open longer than this gets a fresh render time (and a word to check the
# form) instead of its post: one fetched stamp cannot serve a script for ever.
RENDERED_MAX_AGE = datetime.timedelta(days=1)


def render_stamp(moment: float | None = None) -> str:
    """The signed render time of a form shown at `moment` (now by default), with
    a random word that makes each render's stamp its own.

    Real time, not the site clock: the clock may be a rehearsal's, moved on or
    restarted between a page and its post, while what counts here is how long a
    person really had the page. Hosts keep real time within a second (NTP).
    """
    moment = time.time() if moment is None else moment
    value = f"{int(moment)}-{secrets.token_urlsafe(12)}"
    return signing.Signer(salt=RENDERED_SALT).sign(value)


def stamp_age(value) -> float | None:
    """Seconds since the stamp's render time; None if it is missing or forged."""
    try:
        # Stamps made before they had a random word are the time alone.
        rendered = signing.Signer(salt=RENDERED_SALT).unsign(value).split("-")[0]
        return time.time() - int(rendered)
    except (signing.BadSignature, TypeError, ValueError):
        return None


def _spent_key(value: str) -> str:
    return "qualityweek:stamp:" + hashlib.sha256(value.encode()).hexdigest()


def spend_stamp(value: str) -> bool:
    """Mark a true stamp used; False if a submission has used it already.

    The mark lives in the shared cache as long as a stamp is taken. With the
    cache down this says True, as the rate limits let people through: the stamp
    is then good until it ages, as it was before stamps were single-use, and
    the forms' submission keys still keep a double click to one entry.
    """
    key = _spent_key(value)
    timeout = RENDERED_MAX_AGE.total_seconds() + 60
    if cache.add(key, True, timeout=timeout):
        return True
    return cache.get(key) is None


def give_back_stamp(value: str) -> None:
    """The submission that spent the stamp was not stored: it may come again."""
    cache.delete(_spent_key(value))


def stamp_kept_unless_redirect(form_valid):
    """For a view's form_valid whose form has HoneypotMixin: a stamp the
    submission spent (`is_spam`) is given back unless the answer is a redirect
    (stored, or a robot's ordinary answer), so that a person whose submission was
    refused (over a rate, a busy database, an outage) can press the button
    again."""

    @functools.wraps(form_valid)
    def wrapper(self, form):
        try:
            response = form_valid(self, form)
        except BaseException:
            form.give_back_stamp()
            raise
        if not 300 <= response.status_code < 400:
            form.give_back_stamp()
        return response

    return wrapper


class RenderTimeInput(forms.HiddenInput):
    """Carries a form's first render time through its re-renders after errors, so
    the person fixing a typo is not timed afresh; a missing, forged or too old
    one is replaced by now."""

    def format_value(self, value):
        age = stamp_age(value)
        if age is None or age > RENDERED_MAX_AGE.total_seconds():
            return render_stamp()
        return value


class HoneypotMixin(forms.Form):
    """A field people never see and robots fill in, and the moment the form was
    shown; `is_spam` tells.

    The form's layout puts the honeypot in a `Div(..., css_class="hp-field")`,
    which the site's CSS hides from people and screen readers alike.
    """

    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    rendered = forms.CharField(required=False, widget=RenderTimeInput)

    def clean(self):
        cleaned = super().clean()
        age = stamp_age(self.data.get(self.add_prefix(RENDERED_FIELD)))
        if age is not None and age > RENDERED_MAX_AGE.total_seconds():
            # A person who left the page open overnight: not a robot, but the
            # stamp is too old to take; the re-render carries a fresh one.
            self.add_error(
                None,
                forms.ValidationError(
                    _(
                        "This page was open for a long time. Please check the "
                        "form and send it again."
                    ),
                    code="stale",
                ),
            )
        return cleaned

    @functools.cached_property
    def is_spam(self) -> bool:
        """Honeypot filled, render time missing or forged, sent too soon, or its
        stamp already used by a submission (a replay, or a double click).

        Asking spends the stamp: call it once the submission would be stored,
        from a form_valid wrapped in `stamp_kept_unless_redirect`.
        """
        if self.cleaned_data.get(HONEYPOT_FIELD):
            return True
        stamp = self.data.get(self.add_prefix(RENDERED_FIELD))
        age = stamp_age(stamp)
        if age is None or age < settings.QUALITYWEEK_FORM_MIN_SECONDS:
            return True
        self._spent_stamp = stamp
        return not spend_stamp(stamp)

    def give_back_stamp(self) -> None:
        """Undo what `is_spam` spent (see `stamp_kept_unless_redirect`)."""
        stamp = getattr(self, "_spent_stamp", None)
        if stamp is not None and self.__dict__.get("is_spam") is False:
            give_back_stamp(stamp)


def over_rate(request, *, group: str, rate: str) -> bool:
    """Count this submission against the client address; True once past the rate.

    Call it only for a submission that would be stored: a person fixing typos on
    a refused form is not counted. The address is the visitor's, also behind the
    site's proxies (qualityweek.client_address).
    """
    # django-ratelimit refuses a request without an address (a Unix socket
    # with no proxy before it) with an error: such requests share one count.
    key = (
        "ip" if client_address.parse(request.META.get("REMOTE_ADDR", "")) else _nowhere
    )
    return is_ratelimited(
        request, group=group, key=key, rate=rate, method="POST", increment=True
    )


def _nowhere(group, request) -> str:
    return "no-address"


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
