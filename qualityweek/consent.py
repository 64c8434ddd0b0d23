"""The consent box every form that stores people shows (152-FZ).

Each form asks for its own purpose: the short label says what is processed and
why, and the full text of the version in force unfolds beneath it as formatted
text. The form stores the version with what it saves.
"""

from crispy_forms.layout import HTML
from django import forms
from django.urls import reverse
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from .models import ConsentText, DataOperator


class ConsentField(forms.BooleanField):
    """The tick box; its label is the purpose's short text and the policy link."""

    def __init__(self, *, summary: str, required_message: str, **kwargs):
        kwargs.setdefault("error_messages", {"required": required_message})
        super().__init__(**kwargs)
        self.summary = summary

    def bind_label(self) -> None:
        # Built per form, in the language of the request that renders it.
        self.label = format_html(
            '{} <a href="{}">{}</a>',
            str(self.summary),
            reverse("privacy"),
            gettext("Personal data policy"),
        )


def full_text(consent_text: ConsentText) -> HTML:
    """The whole consent text, in paragraphs, folded under a summary."""
    # linebreaks() escapes the text and wraps its paragraphs in <p>; it returns a
    # plain str, so it is marked safe here rather than escaped a second time.
    paragraphs = mark_safe(linebreaks(consent_text.text_i18n, autoescape=True))
    return HTML(
        format_html(
            '<details class="consent-text mb-2"><summary>{}</summary>'
            '<div class="small">{}</div>{}'
            '<p class="small text-body-secondary">{}</p></details>',
            gettext("Full text of the consent"),
            paragraphs,
            operator_line(),
            gettext("Version %(version)s") % {"version": consent_text.version},
        )
    )


def operator_line() -> str:
    """Whom the consent is given to, and where to withdraw it: the operator as
    organisers set it, or nothing until they do."""
    operator = DataOperator.current()
    if operator is None:
        return ""
    return format_html(
        '<p class="small consent-operator">{}: {}, {}. '
        '{}: <a href="mailto:{}">{}</a></p>',
        gettext("Personal data operator"),
        operator.name_i18n,
        operator.address_i18n,
        gettext("Requests about your data and withdrawal of consent"),
        operator.email,
        operator.email,
    )
