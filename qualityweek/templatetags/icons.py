from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()

SPRITE = "img/icons.svg"


@register.simple_tag
def icon(name: str, css_class: str = "") -> str:
    """A Bootstrap icon from the site's sprite: `{% icon "geo-alt" "message-icon" %}`.

    Only the icons in static/img/icons.svg exist (see static/vendor/README.md).
    """
    return format_html(
        '<svg class="{}" aria-hidden="true" width="1em" height="1em"'
        ' fill="currentColor"><use href="{}#{}"></use></svg>',
        f"bi {css_class}".strip(),
        static(SPRITE),
        name,
    )
