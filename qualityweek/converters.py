"""Path converters for the random values in the site's links."""

from django.urls import register_converter


class TokenConverter:
    """A `secrets.token_urlsafe` value: anything else is no page, not a lookup."""

    regex = r"[A-Za-z0-9_-]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class SignedConverter(TokenConverter):
    """A value signed by `qualityweek.links.sign`: URL-safe base64 and colons."""

    regex = r"[A-Za-z0-9_:-]+"


register_converter(TokenConverter, "token")
register_converter(SignedConverter, "signed")
