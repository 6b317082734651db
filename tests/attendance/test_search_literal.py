"""The roster's name search takes "%" and "_" literally (LIKE wildcards are escaped)."""

from __future__ import annotations

import pytest

from tracker.attendance import queries


@pytest.mark.parametrize("typed", ["%", "_", "Pres%ent", "Presid_nt"])
def test_wildcards_typed_in_the_roster_search_match_only_themselves(world, typed):
    assert len(queries.roster(world.session.id, "President")) == len(world.people)
    assert queries.roster(world.session.id, typed) == []
