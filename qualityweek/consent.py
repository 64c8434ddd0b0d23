"""The consent box every form that stores people shows (152-FZ).

Each form asks for its own purpose: the short label says what is processed and
why, and the full text of the version in force unfolds beneath it as formatted
text. The form stores the version with what it saves.

Organisers edit these texts and the operator's details in admin: they are plain
text, escaped and split into paragraphs, and never pass through the template
engine (crispy's HTML() compiles its content as a template, so a "{% if %}" in
a consent text made every form a 500 and "{{ request.META }}" was evaluated).
No shipped text uses a placeholder, so none is substituted.
"""

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


class PlainHTML:
    """A crispy layout object that puts HTML built here into the form as it is.

    Unlike crispy's HTML(), nothing in it is compiled as a template: the HTML is
    already made by format_html(), which escaped what organisers typed."""

    def __init__(self, html: str):
        self.html = html

    def render(self, form, context, template_pack=None, **kwargs) -> str:
        return self.html


def full_text(consent_text: ConsentText) -> PlainHTML:
    """The whole consent text, in paragraphs, folded under a summary."""
    # linebreaks() escapes the text and wraps its paragraphs in <p>; it returns a
    # plain str, so it is marked safe here rather than escaped a second time.
    paragraphs = mark_safe(linebreaks(consent_text.text_i18n, autoescape=True))
    return PlainHTML(
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
