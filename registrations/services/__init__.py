"""Writes that apply the rules of registration: views, admin and commands call these.

`availability` says what a visitor may do now and writes nothing; `seats` holds
everything that takes or frees a seat (one transaction, the event row locked
first); `mail`, `checkin` and `personal_data` build on it.
"""

from .availability import (
    Availability,
    RegistrationError,
    availability,
    availability_for,
    can_cancel,
    consent_text_for,
    live_state,
    online_availability,
    refusal,
    seats_left,
)
from .changes import (
    SeatHolders,
    fill_free_seats,
    write_change_letters,
    write_stream_letters,
)
from .checkin import check_in
from .mail import (
    correct_refused_email,
    resend_email,
    send_online_reminders,
    send_reminder,
    send_reminders,
)
from .personal_data import (
    PERSONAL_FIELDS,
    due_for_purge,
    erase_cancelled,
    erase_cancelled_left_over,
    erase_personal_data,
    expire_pending_sign_ups,
    personal_record,
    registrations_of,
)
from .seats import (
    PERSON_FIELDS,
    SEAT_FIELDS,
    cancel,
    confirm,
    correct_email,
    promote_from_waiting_list,
    register,
)

__all__ = [
    "PERSONAL_FIELDS",
    "PERSON_FIELDS",
    "SEAT_FIELDS",
    "Availability",
    "RegistrationError",
    "SeatHolders",
    "availability",
    "availability_for",
    "can_cancel",
    "cancel",
    "check_in",
    "confirm",
    "consent_text_for",
    "correct_email",
    "correct_refused_email",
    "due_for_purge",
    "erase_cancelled",
    "erase_cancelled_left_over",
    "erase_personal_data",
    "expire_pending_sign_ups",
    "fill_free_seats",
    "live_state",
    "online_availability",
    "personal_record",
    "promote_from_waiting_list",
    "refusal",
    "register",
    "registrations_of",
    "resend_email",
    "seats_left",
    "send_online_reminders",
    "send_reminder",
    "send_reminders",
    "write_change_letters",
    "write_stream_letters",
]
