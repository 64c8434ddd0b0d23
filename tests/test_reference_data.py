"""After a transactional test, the next test finds every row the migrations
wrote, as they wrote it: regions, groups, the permissions the groups hold, under
the same ids. Nothing here names a migration: what is compared is the database
as it stood right after `migrate` (tests/reference_data.py)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from events.models import Region
from tests import reference_data

# PostgreSQL too: there the sequences must start past the rows put back.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_the_migrations_left_regions_groups_and_their_permissions():
    kept = {table.model for table in reference_data.kept()}

    assert {Region, Group, Group.permissions.through} <= kept


# Its teardown empties the database and starts PostgreSQL's sequences at 1 again.
@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_a_transactional_test_that_empties_what_the_migrations_wrote():
    # Its teardown empties the database anyway; this goes first, by hand.
    Group.objects.all().delete()
    Region.objects.all().delete()
    Permission.objects.all().delete()

    assert not Group.objects.exists()


def test_the_next_test_finds_every_row_the_migrations_wrote():
    assert reference_data.missing() == {}


def test_the_next_test_finds_content_types_as_permissions_name_them():
    permission = Permission.objects.get(codename="view_region")

    # Not the id post_migrate gave the content type after the flush, and not
    # one ContentType's cache kept from then.
    assert ContentType.objects.get_for_model(Region) == permission.content_type


def test_the_next_test_adds_rows_after_the_ones_put_back():
    # Not under an id the rows put back hold (the sequences started at 1 again).
    added = Group.objects.create(name="Volunteers")

    assert added.pk > max(
        Group.objects.exclude(pk=added.pk).values_list("pk", flat=True)
    )
