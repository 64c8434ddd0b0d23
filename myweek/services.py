"""What a visitor does with their own week: mark, unmark, clear, mail the link."""

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from events import entries
from events.models import Edition
from qualityweek import clock, mail

from . import emails, tasks
from .models import Selection, SelectionItem

# A week nobody has opened (nor its feed polled) for a year is forgotten.
KEPT_UNUSED_DAYS = 365
# The last use is written at most this often: a polled feed writes once a day.
TOUCH_EVERY = datetime.timedelta(days=1)


class SelectionError(Exception):
    """A mark that cannot be made; the message is safe to show."""


def start() -> Selection:
    """A new, empty week with its own private link."""
    return Selection.objects.create()


def find_row(source_label: str, pk: int):
    """The public row of the programme that a mark names, of any edition, or
    SelectionError."""
    try:
        source = entries.source(source_label)
    except KeyError:
        raise SelectionError(gettext("This is not in the programme.")) from None
    for edition in Edition.objects.order_by("-first_day"):
        rows = list(source.chosen(edition, [pk]))
        if rows:
            return rows[0]
    raise SelectionError(gettext("This is not in the programme."))


def add(selection: Selection, source_label: str, pk: int) -> SelectionItem:
    """Mark an event or an activation; marking it again changes nothing."""
    find_row(source_label, pk)
    try:
        with transaction.atomic():
            item, _created = SelectionItem.objects.get_or_create(
                selection=selection, source=source_label, object_pk=pk
            )
    except IntegrityError:  # the same mark, a double click in another request
        item = SelectionItem.objects.get(
            selection=selection, source=source_label, object_pk=pk
        )
    touch(selection)
    return item


def remove(selection: Selection, source_label: str, pk: int) -> None:
    """Unmark one entry."""
    selection.items.filter(source=source_label, object_pk=pk).delete()
    touch(selection)


def clear(selection: Selection) -> None:
    """Unmark everything; the link stays, empty."""
    selection.items.all().delete()
    touch(selection)


def touch(selection: Selection) -> None:
    """Note that the week is in use, so that the purge keeps it."""
    now = clock.now()
    if now - selection.last_used_at < TOUCH_EVERY:
        return
    selection.last_used_at = now
    Selection.objects.filter(pk=selection.pk).update(last_used_at=now)


def chosen_entries(selection: Selection) -> list[tuple[Edition, list]]:
    """The marked entries that are still public, each edition's in time order:
    (edition, entries), the latest edition first."""
    marks: dict[str, set[int]] = {}
    for source_label, pk in selection.items.values_list("source", "object_pk"):
        marks.setdefault(source_label, set()).add(pk)
    if not marks:
        return []
    known = [source for source in entries.sources() if source.label in marks]
    found = []
    for edition in Edition.objects.order_by("-first_day"):
        listed = [
            source.entry(row)
            for source in known
            for row in source.chosen(edition, marks[source.label])
        ]
        if listed:
            listed.sort(key=lambda entry: (entry.start, entry.end, entry.title))
            found.append((edition, listed))
    return found


@transaction.atomic
def send_link(selection: Selection, address: str, *, language: str) -> None:
    """Mail the private link to this address, once; the address is kept nowhere
    but sealed in the letter's task."""
    tasks.send_link.enqueue(
        selection.pk, emails.seal_address(address), language, letter=mail.new_key()
    )
    touch(selection)


def purge_unused(older_than_days: int = KEPT_UNUSED_DAYS) -> int:
    """Forget the weeks unused for so many days; how many went."""
    limit = clock.now() - datetime.timedelta(days=older_than_days)
    _deleted, per_model = Selection.objects.filter(last_used_at__lt=limit).delete()
    return per_model.get(Selection._meta.label, 0)
