"""What every public form that stores a stranger's entry shares: the form's
base (contact fields, the consent, the robots' traps, the closing of its
layout) and the flow of its view."""

import logging
import uuid

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Submit
from django import forms
from django.db import OperationalError
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import consent, spam
from .forms import EmailAddressField, PlainTextMixin
from .models import ConsentText
from .phones import PhoneField

logger = logging.getLogger(__name__)


# The hidden field with the form's submission key.
SUBMISSION_KEY_FIELD = "submission_key"


class SubmissionKeyMixin(forms.Form):
    """A random key rendered with the form and kept through its re-renders; the
    service stores it on the entry, unique, so that the same form sent twice (a
    double click, a reload of the post) makes one entry. A form without a true
    key (a page from before keys, a script) just stores without one."""

    submission_key = forms.CharField(
        required=False, widget=forms.HiddenInput, initial=uuid.uuid4
    )

    def clean_submission_key(self) -> uuid.UUID | None:
        try:
            return uuid.UUID(self.cleaned_data["submission_key"])
        except ValueError:
            return None


class PublicSubmissionMixin:
    """For a FormView whose form (with `HoneypotMixin`) stores one entry.

    A robot gets the ordinary answer and nothing is stored, and so does a form
    whose render stamp a submission has used (a double click, a replay); a
    submission past a
    rate limit gets the view's `rate_refusal(email)` (429); a refusal of the
    service (`refusal_error`) shows its message; a busy database keeps what was
    typed (503). The view names `about` (for the log), `submitted_url` and
    `refusal_error`, and stores the entry in `store(form)`.
    """

    about = "Submission"
    submitted_url = ""
    refusal_error: type[Exception] = Exception

    def rate_refusal(self, email: str) -> str | None:
        return None

    @spam.stamp_kept_unless_redirect
    def form_valid(self, form):
        if form.is_spam:
            logger.info("%s form caught as spam", self.about)
            return redirect(self.submitted_url)
        refusal = self.rate_refusal(form.cleaned_data["email"])
        if refusal:
            form.add_error(None, refusal)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        try:
            self.store(form)
        except self.refusal_error as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        except OperationalError as error:
            logger.warning(
                "%s not stored in time: %s", self.about, type(error).__name__
            )
            form.add_error(
                None,
                gettext(
                    "We could not store your form in time. Nothing is lost: "
                    "please press the button again."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=503)
        return redirect(self.submitted_url)


class PublicForm(PlainTextMixin, spam.HoneypotMixin, forms.Form):
    """The base of a form a stranger sends (with forms.ModelForm after it for a
    model's form): plain text only, the robots' traps, an e-mail address kept
    trimmed and in lower case, a phone stored as +79161234567, and the consent
    box for the form's own purpose (a `ConsentField` named `consent`), shown
    with the full text of the version in force, or left out while organisers
    have set none.

    The form names `anchor` (its id on the page, where a refused submit opens)
    and `email_help_text`, and ends its layout with `closing(submit_label)`.
    """

    anchor = ""
    email_help_text = ""

    email = EmailAddressField(label=_("E-mail"))
    phone = PhoneField(label=_("Phone"))

    def __init__(self, *args, consent_text: ConsentText | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent_text = consent_text
        self.fields["email"].help_text = self.email_help_text
        if consent_text is None:
            del self.fields["consent"]
        else:
            self.fields["consent"].bind_label()
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # the server's messages, in one voice
        # After a refused submit the page opens at the form and its messages,
        # not at the top of a long page (phones).
        self.helper.form_action = f"#{self.anchor}"

    def closing(self, submit_label: str, *, name: str = "submit") -> list:
        """The end of the layout: the consent and its text, the hidden traps
        (and the submission key, if the form has one), the button."""
        traps = [Field(spam.HONEYPOT_FIELD), spam.RENDERED_FIELD]
        if SUBMISSION_KEY_FIELD in self.fields:
            traps.append(SUBMISSION_KEY_FIELD)
        agreement = (
            [consent.full_text(self.consent_text), "consent"]
            if "consent" in self.fields
            else []
        )
        return [
            *agreement,
            Div(*traps, css_class="hp-field"),
            Submit(name, submit_label, css_class="btn-lg"),
        ]
