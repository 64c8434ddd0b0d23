from django import forms
from django.utils.translation import gettext_lazy as _

from qualityweek.forms import EmailAddressField


class MarkForm(forms.Form):
    """Which entry of the programme a button names (`events.entries.identity`)."""

    source = forms.CharField(max_length=50)
    pk = forms.IntegerField(min_value=1, max_value=2**63 - 1)


class SendLinkForm(forms.Form):
    email = EmailAddressField(label=_("E-mail address"))
