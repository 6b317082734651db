"""A search for "%" or "_" finds those characters, not everything (LIKE wildcards are escaped)."""

from __future__ import annotations

import pytest

from tracker.extensions import db
from tracker.reviews import queries as q


@pytest.mark.parametrize("typed", ["%", "_", "Raj%", "R_jgarh"])
def test_wildcards_typed_in_the_review_search_match_only_themselves(world, signed_note, typed):
    reader = world.users["admin"]
    assert db.session.scalars(q.notes_query(reader, q.NoteFilters(q="rajgarh"))).all() == [signed_note]
    assert db.session.scalars(q.notes_query(reader, q.NoteFilters(q=typed))).all() == []
