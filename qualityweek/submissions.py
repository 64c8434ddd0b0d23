"""The flow every public form that stores an entry for moderation shares."""

import logging
import uuid

from django import forms
from django.db import OperationalError
from django.shortcuts import redirect
from django.utils.translation import gettext

from . import spam

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
