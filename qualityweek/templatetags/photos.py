"""Photos in pages: the browser picks the WebP thumbnail its layout needs."""

from django import template
from django.utils.html import format_html

from qualityweek import images

register = template.Library()


@register.simple_tag
def photo(image, width, height, *, sizes: str, css_class: str = "", lazy=True):
    """An <img> of a stored photo with its thumbnails in `srcset`; `sizes` says how
    wide the layout shows it. A photo whose width is not known shows as it is."""
    if not image:
        return ""
    loading = "lazy" if lazy else "eager"
    thumbnails = images.thumbnail_sizes(width)
    if not (thumbnails and height):
        return format_html(
            '<img class="{}" src="{}" alt="" loading="{}">',
            css_class,
            image.url,
            loading,
        )
    storage, name = image.storage, image.name
    srcset = ", ".join(
        f"{storage.url(images.thumbnail_name(name, slot))} {real_width}w"
        for slot, real_width in thumbnails
    )
    # Browsers without srcset (none current) get the smallest: a phone's.
    src = storage.url(images.thumbnail_name(name, thumbnails[0][0]))
    return format_html(
        '<img class="{}" src="{}" srcset="{}" sizes="{}" alt="" width="{}" '
        'height="{}" loading="{}" decoding="async">',
        css_class,
        src,
        srcset,
        sizes,
        width,
        height,
        loading,
    )
