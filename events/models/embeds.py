"""The partners' sites that may show the programme's embeds in a frame."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# An origin as CSP's frame-ancestors takes it: a scheme, a host (its leftmost label
# may be "*" for every subdomain) and perhaps a port; no path, no quotes, no spaces,
# so nothing typed in the admin can add a directive to the header.
ORIGIN = re.compile(
    r"https?://(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?"
    r"(:\d{1,5})?"
)


def normalized_origin(value: str) -> str:
    """«https://Минобр.Рф/» as a browser names it: https://xn--90acbu5a.xn--p1ai.
    A value that is no origin comes back as typed, for the validator to refuse."""
    value = value.strip().rstrip("/")
    scheme, separator, rest = value.partition("://")
    if not separator:
        return value
    host, colon, port = rest.partition(":")
    wildcard = host.startswith("*.")
    try:
        host = host.removeprefix("*.").encode("idna").decode("ascii")
    except UnicodeError:
        return value
    return f"{scheme.lower()}://{'*.' if wildcard else ''}{host.lower()}{colon}{port}"


def validate_origin(value: str) -> None:
    if not ORIGIN.fullmatch(value):
        raise ValidationError(
            _(
                "Enter the site's address only, as https://example.ru or "
                "https://*.example.ru for all its subdomains: no path."
            ),
            code="invalid_origin",
        )


class OriginField(models.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        return normalized_origin(value) if value else value


class EmbedOrigin(models.Model):
    """A partner's site (a regional ministry's, a venue's) allowed to frame the
    programme's embeds; every other page refuses any frame."""

    origin = OriginField(
        _("site"),
        max_length=200,
        unique=True,
        validators=[validate_origin],
        help_text=_(
            "The address of a site that may show the programme in a frame, as "
            "https://minek.example.ru; https://*.example.ru allows its subdomains."
        ),
    )
    note = models.CharField(
        _("note"),
        max_length=300,
        blank=True,
        help_text=_("Whose site it is (a ministry, a venue): for the organisers only."),
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["origin"]
        verbose_name = _("site allowed to embed the programme")
        verbose_name_plural = _("sites allowed to embed the programme")

    def __str__(self):
        return self.origin
