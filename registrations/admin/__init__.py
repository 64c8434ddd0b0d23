"""Registrations in the organisers' admin: the list, its actions, the dashboard."""

from .dashboard import dashboard_view
from .registration import RegistrationAdmin

__all__ = ["RegistrationAdmin", "dashboard_view"]
