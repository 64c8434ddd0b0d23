from django import template

from .. import seo

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, url: str) -> str:
    """`url` as shared links need it: with scheme and host."""
    return seo.absolute_url(context["request"], url)
