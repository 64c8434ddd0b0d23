"""Every public page passes axe-core's WCAG 2.1 A and AA rules, in both languages.

axe-core (tests/vendor/axe.min.js) is run inside the page through Playwright's
evaluate, which the site's CSP (script-src 'self') does not govern: an injected
<script> tag would be refused, as it should be. What axe cannot judge (the focus
ring's contrast, target sizes, tab order) is measured below it.
"""

import pathlib

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client

from events.models import Event
from tests.factories import ActivationFactory, RegistrationFactory, region

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

AXE = (pathlib.Path(__file__).parents[1] / "vendor" / "axe.min.js").read_text()
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"phone": (375, 812), "desktop": (1280, 900)}

# name: (path, what the page needs: None, "staff" or "error" for a refused form)
PAGES = {
    "home": ("/", None),
    "schedule": ("/schedule/", None),
    "schedule-day": ("/schedule/2023-11-09/", None),
    "event": ("/events/forum-world-quality-day-2023/", None),
    "regional-day": ("/regional-day/", None),
    "regional-day-errors": ("/regional-day/", "error"),
    "check-email": ("/registrations/check-email/", None),
    "ticket": ("/registrations/{token}/", None),
    "activations": ("/activations/", None),
    "activation": ("/activations/{activation}/", None),
    "activation-form": ("/activations/new/", None),
    "activation-form-errors": ("/activations/new/", "error"),
    "venue-form": ("/regional-venues/new/", None),
    "venue-form-errors": ("/regional-venues/new/", "error"),
    "regions": ("/regions/", None),
    "region": ("/regions/43/", None),
    "materials": ("/materials/", None),
    "privacy": ("/privacy/", None),
    "not-found": ("/no-such-page/", None),
    "checkin": ("/checkin/", "staff"),
    "checkin-ticket": ("/checkin/{code}/", "staff"),
}


@pytest.fixture
def shipped_week(clock, settings, live_server):
    """The 2023 data, a confirmed ticket, an activation, while sign-up is open."""
    settings.QUALITYWEEK_SITE_URL = live_server.url
    call_command("loaddata", "quality_week_2023", verbosity=0)
    edition = Event.objects.get(slug="regional-day-2023").edition
    registration = RegistrationFactory(
        event=Event.objects.get(slug="regional-day-2023"),
        region=region("43"),
        confirmed=True,
    )
    activation = ActivationFactory(edition=edition)
    return {
        "token": registration.token,
        "code": registration.ticket_code,
        "activation": activation.slug,
    }


def new_page(browser, viewport="desktop", locale="ru-RU"):
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale=locale
    )
    return context.new_page()


def sign_in_staff(page, live_server):
    user = User.objects.create_user("door", password="quality-week-2023", is_staff=True)
    user.groups.add(Group.objects.get(name="Organisers"))
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def open_page(page, live_server, name, language, data):
    path, needs = PAGES[name]
    if needs == "staff":
        sign_in_staff(page, live_server)
    prefix = "/en" if language == "en" else ""
    response = page.goto(live_server.url + prefix + path.format(**data))
    assert response.status == (404 if name == "not-found" else 200)
    if needs == "error":
        page.locator("main form [type=submit]").last.click()
        page.locator(".error-summary").wait_for()


def axe_violations(page) -> list[dict]:
    page.evaluate(AXE)
    return page.evaluate(
        "rules => axe.run(document, {runOnly: rules})"
        ".then(result => result.violations.map(v => ({"
        "  id: v.id, impact: v.impact, help: v.help,"
        "  nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)"
        "})))",
        WCAG_21_AA,
    )


def report(violations) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in violations
    )


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_wcag_21_aa_violations(
    browser, live_server, shipped_week, name, language
):
    page = new_page(browser, locale=f"{language}-RU")
    open_page(page, live_server, name, language, shipped_week)

    violations = axe_violations(page)

    assert not violations, report(violations)
    # axe counts a missing <h1> as best practice only; a screen reader's user
    # jumps to it to learn where they are.
    assert page.locator("h1").count() == 1
    page.context.close()


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize(
    "name", ["home", "schedule", "schedule-day", "regional-day-errors", "event"]
)
def test_page_on_a_phone_has_no_wcag_21_aa_violations(
    browser, live_server, shipped_week, name, language
):
    page = new_page(browser, "phone", locale=f"{language}-RU")
    open_page(page, live_server, name, language, shipped_week)

    violations = axe_violations(page)

    assert not violations, report(violations)
    page.context.close()


# WCAG's relative luminance and contrast ratio of two CSS rgb() colours.
CONTRAST_JS = """
([a, b]) => {
  const channels = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const luminance = c => {
    const [r, g, b] = channels(c).map(v => {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
"""


def focus_by_keyboard(page, selector):
    """Tab until the element is focused, so that :focus-visible applies."""
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.parametrize(
    ("selector", "background"),
    [
        ("main a[href]", "rgb(255, 255, 255)"),
        ("main input.form-control", "rgb(255, 255, 255)"),
        ("main [type=submit]", "rgb(255, 255, 255)"),
        (".site-header .nav-link", "rgb(11, 31, 69)"),  # the dark header
        (".site-footer a", "rgb(11, 31, 69)"),
    ],
)
def test_focus_ring_stands_out_3_to_1(
    browser, live_server, shipped_week, selector, background
):
    page = new_page(browser)
    page.goto(live_server.url + "/regional-day/")

    focus_by_keyboard(page, selector)
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; }"
    )

    style, width, colour = outline
    assert (style, width >= 2) == ("solid", True)
    assert page.evaluate(CONTRAST_JS, [colour, background]) >= 3
    page.context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize(
    ("path", "selector"),
    [
        ("/", ".site-footer a"),
        ("/events/forum-world-quality-day-2023/", ".breadcrumb a"),
        ("/en/regions/43/", ".breadcrumb a"),
    ],
)
def test_footer_and_breadcrumb_links_are_at_least_24_px_tall(
    browser, live_server, shipped_week, viewport, path, selector
):
    page = new_page(browser, viewport)
    page.goto(live_server.url + path)

    heights = page.locator(selector).evaluate_all(
        "links => links.map(a => [a.textContent.trim(),"
        " a.getBoundingClientRect().height])"
    )

    assert heights
    assert [text for text, height in heights if height < 24] == []
    page.context.close()


def test_tab_reaches_the_registration_form_before_the_right_column(
    browser, live_server, shipped_week
):
    page = new_page(browser)
    page.goto(live_server.url + "/regional-day/")
    first_field = page.locator("main form input:not([type=hidden])").first
    first_field.wait_for()
    facts_x = page.locator(".event-facts").bounding_box()["x"]
    assert facts_x > first_field.bounding_box()["x"]  # the facts stand to the right

    reached = []
    for _ in range(60):
        page.keyboard.press("Tab")
        where = page.evaluate(
            "() => { const e = document.activeElement;"
            " return e.closest('.event-facts') ? 'right column'"
            " : e.closest('main form') ? 'form' : null; }"
        )
        if where:
            reached.append(where)
        if where == "form":
            break

    assert reached[:1] == ["form"]
    page.context.close()
