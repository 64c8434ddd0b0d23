import pytest


@pytest.fixture(autouse=True)
def _site_clock(clock):
    """Registration is open for the regional day at the site clock's default moment."""
    return clock


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what services leave for after the commit (e-mails): `with committed():`."""

    def capture():
        return django_capture_on_commit_callbacks(execute=True)

    return capture
