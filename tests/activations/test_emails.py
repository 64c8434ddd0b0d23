import pytest

from activations import emails
from tests.factories import ActivationFactory

pytestmark = pytest.mark.django_db


def test_letters_about_an_old_title_with_a_line_break_are_sent(mailoutbox, settings):
    activation = ActivationFactory(title="День открытых\r\nдверей")

    assert emails.send(activation.pk, emails.RECEIVED) == "sent"
    assert mailoutbox[0].subject == ("Мы получили вашу активацию: День открытых дверей")
