"""What one request reads for the page cache, kept on it (events/page_state.py)."""

import pytest

from events.page_state import page_state

pytestmark = pytest.mark.django_db


def test_page_state_reads_a_value_once_a_request_none_too(rf):
    request = rf.get("/")
    reads = []

    def read():
        reads.append("read")
        return None  # no current edition: an answer to keep, not to ask again

    first = page_state(request).remember("current_edition", read)
    second = page_state(request).remember("current_edition", read)

    assert (first, second, reads) == (None, None, ["read"])


def test_page_state_reads_the_revision_once_and_keeps_what_the_cache_set(
    rf, django_assert_num_queries
):
    request = rf.get("/")
    page_state(request).revision = 41  # as whole_page sets it from its reading

    with django_assert_num_queries(0):
        revision = page_state(request).programme_revision()

    assert revision == 41


def test_page_state_is_one_object_per_request(rf):
    one, other = rf.get("/"), rf.get("/")

    assert page_state(one) is page_state(one)
    assert page_state(one) is not page_state(other)
