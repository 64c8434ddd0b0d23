"""A first visit of the home page and of the programme stays light.

The test server sends every file as it is; production does not: nginx serves
the `.gz` that WhiteNoise's collectstatic writes beside each text file (level 9)
and gzips the pages on the fly (its default level, 1). So each text response is
counted gzipped as production would send it, each binary one (fonts, PNG) as it
is, plus the response headers the browser received.
"""

import gzip

import pytest
from django.core.management import call_command

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

BUDGET = 120 * 1024
PHONE, DESKTOP = (375, 812), (1280, 900)
COMPRESSED = ("text/", "application/javascript", "application/json", "image/svg+xml")


@pytest.fixture
def shipped_week(clock):
    call_command("loaddata", "quality_week_2023", verbosity=0)


def sent_size(response):
    """Bytes production sends for this response: headers and (gzipped) body."""
    body = response.body()
    content_type = response.headers.get("content-type", "")
    if content_type.startswith(COMPRESSED) and len(body) >= 1024:
        level = 9 if "/static/" in response.url else 1
        body = gzip.compress(body, compresslevel=level, mtime=0)
    return response.request.sizes()["responseHeadersSize"] + len(body)


def first_visit(browser, url, viewport=DESKTOP):
    """What a first visit of `url` fetches in a fresh browser: {url: (type, bytes)}."""
    context = browser.new_context(
        viewport={"width": viewport[0], "height": viewport[1]}, locale="ru-RU"
    )
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    sizes = {r.url: (r.request.resource_type, sent_size(r)) for r in responses}
    context.close()
    return sizes


def report(path, sizes):
    by_type = {}
    for kind, size in sizes.values():
        by_type[kind] = by_type.get(kind, 0) + size
    total = sum(by_type.values())
    parts = ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(by_type.items()))
    print(f"\n{path}: {total / 1024:.1f} KB ({parts})")
    for url, (kind, size) in sorted(sizes.items(), key=lambda item: -item[1][1]):
        print(f"  {size / 1024:6.1f} KB  {kind:10} {url.split('/', 3)[-1]}")
    return total


@pytest.mark.parametrize("path", ["/", "/schedule/"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_first_visit_transfers_at_most_120_kb(
    browser, live_server, shipped_week, path, viewport
):
    sizes = first_visit(browser, live_server.url + path, viewport)

    assert report(path, sizes) <= BUDGET


def test_phone_menu_works_without_a_script(browser, live_server, shipped_week):
    """The home page loads no script; on a phone every menu item shows and works."""
    context = browser.new_context(
        viewport={"width": PHONE[0], "height": PHONE[1]}, locale="ru-RU"
    )
    page = context.new_page()
    scripts = []
    page.on(
        "request",
        lambda request: (
            scripts.append(request.url) if request.resource_type == "script" else None
        ),
    )
    page.goto(live_server.url + "/")
    menu = page.get_by_role("navigation", name="Основная навигация")

    for name in ["Программа", "Активации", "Регионы", "Компаниям", "Региональный день"]:
        assert menu.get_by_role("link", name=name, exact=True).is_visible()
    assert scripts == []
    menu.get_by_role("link", name="Программа", exact=True).click()
    page.wait_for_url(f"{live_server.url}/schedule/")
    context.close()


@pytest.mark.parametrize("path", ["/", "/schedule/"])
def test_icons_and_text_font_render(page, live_server, shipped_week, path):
    page.goto(live_server.url + path, wait_until="networkidle")

    sizes = page.eval_on_selector_all(
        "svg.bi use", "uses => uses.map(u => u.getBBox().width)"
    )
    assert sizes and all(width > 0 for width in sizes)  # the sprite's symbol drew
    fonts = page.evaluate(
        """document.fonts.ready.then(set => [...set]
             .filter(face => face.status === "loaded").map(face => face.family))"""
    )
    assert "Manrope" in fonts
    assert page.outside_requests == []
