"""The registrations' pages: `public` for participants, `checkin` for staff."""

from . import checkin, public  # noqa: F401
