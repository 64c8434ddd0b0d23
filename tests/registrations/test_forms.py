import pytest
from crispy_forms.utils import render_crispy_form
from django.utils import translation

from registrations.forms import RegistrationForm
from tests.factories import ConsentTextFactory
from tests.spam import shown

VALID = {
    "surname": "Петров",
    "name": "Иван",
    "patronymic": "",
    "email": " Ivan.Petrov@Example.RU ",
    "phone": "8 (916) 123-45-67",
    "organisation": "ООО «Завод»",
    "position": "директор по качеству",
    "region": "43",
    "consent": "on",
    "homepage": "",
    **shown(),
}


def form(data, language="ru"):
    with translation.override(language):
        bound = RegistrationForm(
            data, consent_text=ConsentTextFactory(), submit_label="Register"
        )
        bound.is_valid()
        return bound


@pytest.mark.django_db
def test_form_valid_data_is_cleaned():
    bound = form(VALID)

    assert bound.errors == {}
    assert bound.cleaned_data["email"] == "ivan.petrov@example.ru"
    assert bound.cleaned_data["phone"] == "+79161234567"
    assert bound.cleaned_data["region"].code == "43"
    assert bound.is_spam is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    "phone",
    [
        "+7 916 123-45-67",
        "89161234567",
        "9161234567",
        "+7(916)1234567",
        "8-916-123-4567",
    ],
)
def test_form_phone_russian_numbers_are_normalised_to_plus_seven(phone):
    bound = form({**VALID, "phone": phone})

    assert bound.cleaned_data["phone"] == "+79161234567"


@pytest.mark.django_db
def test_form_phone_foreign_number_keeps_its_country_code():
    bound = form({**VALID, "phone": "+375 29 123-45-67"})

    assert bound.cleaned_data["phone"] == "+375291234567"


@pytest.mark.django_db
@pytest.mark.parametrize("phone", ["12345", "телефон", "+7 916 123", "8 000 000-00-00"])
def test_form_phone_not_a_number_gets_a_clear_message(phone):
    bound = form({**VALID, "phone": phone})

    assert bound.errors["phone"] == [
        "Укажите номер телефона, например +7 916 123-45-67."
    ]


@pytest.mark.django_db
def test_form_empty_gets_a_message_for_each_field_in_russian():
    bound = form({})

    assert bound.errors == {
        "surname": ["Укажите фамилию."],
        "name": ["Укажите имя."],
        "email": ["Укажите адрес электронной почты."],
        "phone": ["Укажите номер телефона."],
        "organisation": ["Укажите организацию, в которой вы работаете."],
        "position": ["Укажите должность."],
        "region": ["Выберите регион."],
        "consent": [
            "Для регистрации нужно ваше согласие на обработку персональных данных."
        ],
    }


@pytest.mark.django_db
def test_form_empty_gets_messages_in_english_on_the_english_site():
    bound = form({}, language="en")

    with translation.override("en"):
        assert bound.errors["surname"] == ["Enter your surname."]
        assert bound.errors["consent"] == [
            "Registration needs your consent to the processing of your personal data."
        ]


@pytest.mark.django_db
def test_form_bad_email_and_region_get_clear_messages():
    bound = form({**VALID, "email": "ivan@", "region": "999"})

    assert bound.errors == {
        "email": ["Укажите адрес электронной почты в виде name@example.ru."],
        "region": ["Выберите регион из списка."],
    }


@pytest.mark.django_db
def test_form_honeypot_filled_marks_spam():
    bound = form({**VALID, "homepage": "http://spam.example"})

    assert bound.errors == {}
    assert bound.is_spam is True


@pytest.mark.django_db
def test_form_consent_label_states_purpose_and_links_the_policy():
    bound = form(None)

    label = str(bound.fields["consent"].label)
    assert "для регистрации на очное участие в мероприятии" in label
    assert "оформления пропуска на площадку" in label
    assert '<a href="/privacy/">Политика обработки персональных данных</a>' in label


@pytest.mark.django_db
def test_form_regions_are_named_in_the_visitors_language():
    with translation.override("en"):
        bound = RegistrationForm(
            None, consent_text=ConsentTextFactory(), submit_label="Register"
        )
        choices = {str(value): label for value, label in bound.fields["region"].choices}

    assert choices["43"] == "Kirov Oblast"


@pytest.mark.django_db
def test_form_consent_full_text_renders_as_paragraphs_not_tags():
    consent_text = ConsentTextFactory(
        version="p-1", text="Первый абзац <b>.\n\nВторой абзац."
    )
    bound = RegistrationForm(None, consent_text=consent_text, submit_label="Register")

    html = render_crispy_form(bound)

    assert "<p>Первый абзац &lt;b&gt;.</p>\n\n<p>Второй абзац.</p>" in html
    assert "&lt;p&gt;" not in html


ONE_LINE = {
    "ru": "Введите одну строку обычного текста: без переносов строк, табуляции и "
    "невидимых управляющих символов.",
    "en": "Use one line of plain text: no line breaks, tabs or invisible control "
    "characters.",
}
NOT_ONE_LINE = [
    "Петров\r\nBcc: all@example.ru",
    "Пет\rров",
    "Пет\tров",
    "Пет\x00ров",
    "Пет\x1bров",
    "Пет\x85ров",
    "Пет\u2028ров",
    "\u202eвортеП",
    "Пет\u202aров\u202c",
    "Пет\u2066ров\u2069",
    "Петров\u200e",
    "Петров\u200f",
    "Петров\u061c",
]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("value", NOT_ONE_LINE)
@pytest.mark.parametrize(
    "field", ["surname", "name", "patronymic", "organisation", "position"]
)
def test_form_one_line_field_with_line_break_or_control_is_refused(
    field, value, language
):
    bound = form({**VALID, field: "Пётр " + value}, language)

    with translation.override(language):
        assert bound.errors == {field: [ONE_LINE[language]]}
    assert bound[field].value() == "Пётр " + value  # kept as typed


@pytest.mark.django_db
def test_form_one_line_field_keeps_letters_of_every_script_and_punctuation():
    bound = form({**VALID, "organisation": "ООО «Завод» — Zavod & Co. (№ 1) שלום"})

    assert bound.errors == {}
    assert bound.cleaned_data["organisation"] == "ООО «Завод» — Zavod & Co. (№ 1) שלום"
