"""What keeps robots off the public forms: a honeypot field and rate limits."""

from django import forms
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
    a refused form is not counted.
    """
    return is_ratelimited(
        request, group=group, key="ip", rate=rate, method="POST", increment=True
    )
