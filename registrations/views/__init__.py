"""Registrations' pages: `signup` and `ticket` for participants, `checkin` for staff."""

from . import checkin, signup, ticket  # noqa: F401
