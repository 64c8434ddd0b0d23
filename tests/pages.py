"""Reading pages as a visitor does."""

import re


def text_of(response) -> str:
    """The page as a visitor reads it: tags out, spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def html_alike(response) -> str:
    """The whole page as the visitor's browser gets it, less what differs on
    every render for anyone: the CSRF token and a public form's render stamp."""
    from qualityweek import spam

    html = response.content.decode()
    html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]*"', r'\1"', html)
    return re.sub(rf'(name="{spam.RENDERED_FIELD}" value=")[^"]*"', r'\1"', html)


ORGANISER = ("org", "quality-week-2023")


def sign_in_to_admin(page, url: str, *, account=ORGANISER) -> None:
    """Open `url` in the browser page and sign in on the admin's login form it
    sends to, landing back on `url`'s path."""
    from urllib.parse import urlsplit

    page.goto(url)
    username, password = account
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(urlsplit(url).path) + "$"))


def sign_up(
    page, *, email="ivan.petrov@example.ru", region="Кировская область"
) -> None:
    """On an event's page, fill its registration form as Ivan Petrov, director
    of quality at «Завод», give the consent and send the form."""
    form = page.locator("#register")
    for label, value in (
        ("Фамилия*", "Петров"),
        ("Имя*", "Иван"),
        ("Электронная почта*", email),
        ("Телефон*", "8 916 123-45-67"),
        ("Организация*", "ООО «Завод»"),
        ("Должность*", "директор по качеству"),
    ):
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_label("Регион*", exact=True).select_option(label=region)
    form.get_by_role("checkbox", name=re.compile("Я даю согласие")).check()
    form.get_by_role("button", name="Зарегистрироваться").click()
