from django.conf import settings
from django.core.checks import Error, register


@register()
def check_clock(app_configs=None, **kwargs):
    """A mistyped QUALITYWEEK_CLOCK stops the site at start, not on the first page."""
    from . import clock

    if not settings.QUALITYWEEK_CLOCK:
        return []
    try:
        clock.simulated_start()
    except ValueError as error:
        return [
            Error(
                str(error),
                hint="Use an ISO 8601 moment, e.g. 2023-11-01T10:00+03:00.",
                id="qualityweek.E001",
            )
        ]
    return []
