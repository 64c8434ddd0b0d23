"""Content-Security-Policy: every page of the site and of the admin sends it."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from activations.emails import edit_url
from events.models import Event
from registrations.links import confirm_url
from tests.factories import ActivationFactory, MaterialFactory, RegistrationFactory

POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "object-src": {"'none'"},
    "frame-ancestors": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
}


def policy_of(response) -> dict[str, set[str]]:
    """The Content-Security-Policy header, directive by directive."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = set(sources)
    return directives


# A JSON-LD data block is never run, so the policy leaves it alone.
INLINE_CODE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>"
    r"|<style\b|\sstyle=|\son[a-z]+=|javascript:",
    re.I,
)


def inline_code(response) -> list[str]:
    """What in the page the policy blocks: inline scripts, styles and handlers."""
    if not response["Content-Type"].startswith("text/html"):
        return []
    return INLINE_CODE.findall(response.content.decode())


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def shipped_week(clock):
    call_command("loaddata", "quality_week_2023", verbosity=0)


@pytest.fixture
def public_paths(shipped_week):
    """A path of every kind of public page, with what each answers."""
    event = Event.objects.get(slug="regional-day-2023")
    registration = RegistrationFactory(event=event, confirmed=True)
    pending = RegistrationFactory(event=event)
    activation = ActivationFactory(edition=event.edition)
    material = MaterialFactory(edition=event.edition)
    return {
        "/": 200,
        "/en/": 200,
        "/schedule/": 200,
        "/schedule/?day=2023-11-09&format=hybrid": 200,
        "/schedule/2023-11-09/": 200,
        "/en/schedule/2023-11-10/": 200,
        f"/events/{event.slug}/": 200,
        f"/events/{event.slug}.ics": 200,
        "/calendar.ics": 200,
        "/regional-day/": 200,
        f"/events/{event.slug}/register/": 200,
        "/registrations/check-email/": 200,
        path_of(confirm_url(pending)): 200,
        f"/registrations/{registration.token}/": 200,
        f"/registrations/{registration.token}/qr.svg": 200,
        f"/registrations/{registration.token}/cancel/": 200,
        "/activations/": 200,
        "/activations/new/": 200,
        "/activations/sent/": 200,
        f"/activations/{activation.slug}/": 200,
        f"/activations/{activation.slug}.ics": 200,
        path_of(edit_url(activation)): 200,
        "/materials/": 200,
        reverse("events:material_download", kwargs={"pk": material.pk}): 200,
        "/privacy/": 200,
        "/en/privacy/": 200,
        "/checkin/": 302,
        "/robots.txt": 200,
        "/sitemap.xml": 200,
        "/healthz": 200,
        "/favicon.ico": 301,
        "/events/no-such-event/": 404,
        "/admin/login/": 200,
    }


def test_every_public_page_sends_the_policy(client, public_paths):
    seen = {}
    for path in public_paths:
        response = client.get(path)
        seen[path] = (response.status_code, policy_of(response), inline_code(response))

    assert seen == {path: (status, POLICY, []) for path, status in public_paths.items()}


def test_uploaded_media_run_nothing_even_when_opened_directly(client, db):
    name = default_storage.save("activations/photo.webp", ContentFile(b"RIFF"))

    response = client.get(f"/media/{name}")

    assert (response.status_code, policy_of(response)) == (
        200,
        {"default-src": {"'none'"}, "sandbox": set()},
    )


@pytest.fixture
def superuser_client(client, shipped_week):
    user = User.objects.create_superuser("csp-admin", password="a-long-password-1")
    client.force_login(user)
    RegistrationFactory(event=Event.objects.get(slug="regional-day-2023"))
    ActivationFactory()
    MaterialFactory()
    return client


def admin_paths() -> list[str]:
    """The admin's index, and of every registered model its list, its add form
    and the change form of its first row."""
    paths = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        paths.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        paths.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            paths.append(
                reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change",
                    args=[first.pk],
                )
            )
    return paths


def test_every_admin_page_sends_the_policy(superuser_client):
    paths = admin_paths()

    seen = {}
    for path in paths:
        response = superuser_client.get(path)
        # 302: the one-row operator's list and add pages lead to its form.
        seen[path] = (response.status_code in (200, 302, 403), policy_of(response))

    assert len([path for path in paths if path.endswith("/change/")]) >= 10
    assert seen == dict.fromkeys(paths, (True, POLICY))


# Chrome reports each blocked script, style or image on the console; the page's
# own event catches what the console might word otherwise.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("securitypolicyviolation " + event.violatedDirective + " "
    + event.blockedURI);
});
"""


@pytest.fixture
def watched_page(browser):
    """A desktop page whose console's CSP violations land in `page.violations`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.violations = []
    page.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            page.violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            or "securitypolicyviolation" in message.text
            else None
        ),
    )
    yield page
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_public_pages_run_under_the_policy_without_violations(
    watched_page, live_server, shipped_week
):
    page = watched_page
    event = Event.objects.get(slug="regional-day-2023")
    registration = RegistrationFactory(event=event, confirmed=True)
    fonts = {}

    for path in [
        "/",
        "/schedule/",
        "/schedule/2023-11-09/",
        f"/events/{event.slug}/",
        "/regional-day/",
        f"/registrations/{registration.token}/",
        "/activations/",
        "/activations/new/",
        "/materials/",
        "/privacy/",
        "/en/",
    ]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        fonts[path] = page.evaluate("getComputedStyle(document.body).fontFamily")

    assert page.violations == []
    # The site's stylesheet applies: its own font, served by the site.
    assert {path: "Manrope" in font for path, font in fonts.items()} == dict.fromkeys(
        fonts, True
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_and_its_widgets_run_under_the_policy_without_violations(
    watched_page, live_server, shipped_week
):
    page = watched_page
    event = Event.objects.get(slug="regional-day-2023")
    RegistrationFactory(event=event, confirmed=True)
    User.objects.create_superuser("csp-admin", password="a-long-password-1")

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Имя пользователя").fill("csp-admin")
    page.get_by_label("Пароль").fill("a-long-password-1")
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(live_server.url + "/admin/")
    page.goto(live_server.url + "/admin/events/event/")
    page.goto(live_server.url + f"/admin/events/event/{event.pk}/change/")
    page.wait_for_load_state("networkidle")
    # The date widget, the autocomplete boxes and the inline rows are scripts.
    page.locator("a[id^=calendarlink]").first.click(timeout=5000)
    calendar_shown = page.locator("#calendarbox0").is_visible()
    page.locator(".select2-selection").first.click(timeout=5000)
    page.wait_for_selector(".select2-results__option", timeout=5000)
    page.goto(live_server.url + "/admin/registrations/registration/")
    page.wait_for_load_state("networkidle")

    assert page.violations == []
    assert calendar_shown
