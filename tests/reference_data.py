"""What the migrations leave in the test database, kept and put back.

A transactional test (live_server, `django_db(transaction=True)`) ends by
emptying every table. post_migrate then makes the content types and permissions
again, under new ids, and nothing makes again what the data migrations wrote:
regions, groups and the permissions they hold. So, right after the test
database is migrated, `take()` keeps every row of every table that holds any;
after each transactional test, `put_back()` empties those tables and writes the
rows as they were, ids included. A new data migration needs no line here.
"""

from dataclasses import dataclass

from django.apps import apps
from django.core.management.color import no_style
from django.db import connections, transaction


@dataclass(frozen=True)
class Table:
    model: type
    attnames: tuple[str, ...]
    rows: tuple[tuple, ...]


_kept: dict[str, list[Table]] = {}


def _models():
    """Every model with a table of its own: many-to-many tables included, each
    multi-table child with only its own columns."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _read(model, alias: str) -> Table:
    fields = model._meta.local_concrete_fields
    attnames = tuple(field.attname for field in fields)
    rows = (
        model._base_manager.using(alias)
        .order_by(model._meta.pk.attname)
        .values_list(*attnames)
    )
    return Table(model, attnames, tuple(rows))


def take() -> None:
    """Keep every row the migrations left in each test database."""
    _kept.clear()
    for connection in connections.all(initialized_only=False):
        alias = connection.alias
        tables = [_read(model, alias) for model in _models()]
        _kept[alias] = [table for table in tables if table.rows]


def kept(alias: str = "default") -> list[Table]:
    return _kept.get(alias, [])


def put_back() -> None:
    """Empty the kept tables (post_migrate has refilled some after the flush)
    and write the kept rows back; PostgreSQL's sequences then start past them."""
    from django.contrib.contenttypes.models import ContentType

    for alias, tables in _kept.items():
        connection = connections[alias]
        quote = connection.ops.quote_name
        # Foreign keys are checked at commit (Django makes them deferrable), so
        # the order of the tables does not matter inside the block.
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"DELETE FROM {quote(table.model._meta.db_table)}")
            for table in tables:
                model, fields = table.model, table.model._meta.local_concrete_fields
                objects = [
                    model.from_db(alias, table.attnames, row) for row in table.rows
                ]
                # raw: the values as kept, not as save() would make them (auto_now).
                batch = connection.ops.bulk_batch_size(fields, objects) or len(objects)
                for start in range(0, len(objects), batch):
                    model._base_manager.using(alias)._insert(
                        objects[start : start + batch],
                        fields=fields,
                        raw=True,
                        using=alias,
                    )
            for sql in connection.ops.sequence_reset_sql(
                no_style(), [table.model for table in tables]
            ):
                cursor.execute(sql)
    # Its cache holds the ids post_migrate gave after the flush.
    ContentType.objects.clear_cache()


def missing(alias: str = "default") -> dict[str, list[tuple]]:
    """The kept rows the database lacks now, by model."""
    lacking = {}
    for table in kept(alias):
        # A list, not a set: a JSON field's value is a dict, which has no hash.
        now = list(_read(table.model, alias).rows)
        gone = [row for row in table.rows if row not in now]
        if gone:
            lacking[table.model._meta.label] = gone
    return lacking
