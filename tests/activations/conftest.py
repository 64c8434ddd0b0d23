import io

import pytest
from PIL import Image

from tests.factories import ConsentTextFactory
from tests.spam import shown_for_each_post


@pytest.fixture
def activation_consent(db):
    return ConsentTextFactory(
        purpose="activation",
        version="2023-A1",
        text="Согласие на обработку данных для активации.\n\nВторой абзац.",
        text_en="Consent for the activation.",
    )


def jpeg_bytes(size=(640, 480), color=(200, 30, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


FORM = {
    "company_name": "АО «Вятские измерения»",
    "inn": "7707083893",
    "website": "https://izmereniya.example.ru",
    "region": "43",
    "city": "Киров",
    "kind": "open_day",
    "title": "День открытых дверей в метрологической лаборатории",
    "description": "Покажем, как поверяют весы и манометры.",
    "first_day": "2023-11-09",
    "last_day": "2023-11-10",
    "address": "Киров, ул. Производственная, 7",
    "online_url": "",
    "contact_name": "Анна Петрова",
    "email": " Anna.Petrova@Example.RU ",
    "phone": "8 (916) 123-45-67",
    "consent": "on",
    "homepage": "",
    **shown_for_each_post(),
}
