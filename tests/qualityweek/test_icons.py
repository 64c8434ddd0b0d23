"""Icons come from one small SVG sprite holding exactly the icons the templates use."""

import re
import xml.etree.ElementTree as ET

from django.conf import settings
from django.template import Context, Template

SPRITE = settings.BASE_DIR / "static" / "img" / "icons.svg"
SVG = "{http://www.w3.org/2000/svg}"
ICON = r'{% icon "([a-z0-9-]+)"'


def icons_in_sprite() -> set[str]:
    root = ET.parse(SPRITE).getroot()
    return {symbol.get("id") for symbol in root.iter(f"{SVG}symbol")}


def icons_in_templates() -> set[str]:
    return {
        name
        for path in (settings.BASE_DIR / "templates").rglob("*.html")
        for name in re.findall(ICON, path.read_text(encoding="utf-8"))
    }


def test_every_icon_a_template_uses_is_in_the_sprite():
    assert icons_in_templates() - icons_in_sprite() == set()


def test_the_sprite_holds_no_icon_nobody_uses():
    assert icons_in_sprite() - icons_in_templates() == set()


def test_no_template_asks_for_the_icon_font():
    for path in (settings.BASE_DIR / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r'class="bi bi-|bootstrap-icons', text), path


def test_an_icon_is_an_svg_hidden_from_screen_readers():
    html = Template('{% load icons %}{% icon "geo-alt" "message-icon" %}').render(
        Context()
    )

    assert html == (
        '<svg class="bi message-icon" aria-hidden="true" width="1em" height="1em"'
        ' fill="currentColor"><use href="/static/img/icons.svg#geo-alt"></use></svg>'
    )
