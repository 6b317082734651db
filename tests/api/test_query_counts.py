"""A list's query count does not grow with the data (a small and a larger world)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import make_invitation, make_person, make_post, make_session, make_unit
from tests.querycount import count_queries
from tracker.extensions import db

LISTS = ["/api/v1/units", "/api/v1/people", "/api/v1/posts", "/api/v1/meetings", "/api/v1/sessions",
         "/api/v1/attendance", "/api/v1/review-notes", "/api/v1/action-items", "/api/v1/me/agenda"]


def _grow(world, n: int) -> None:
    """n more districts with presidents, each invited to a new session of the world's meeting."""
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=4)
    for i in range(n):
        district = make_unit("district", parent=world.division, commit=False)
        person = make_person(commit=False)
        make_post(person, district, "district_president", commit=False)
        session = make_session(world.meeting, starts_at=start + timedelta(hours=i), minutes=30, commit=False)
        session.covered_units = [district, world.division]
        make_invitation(session, person, unit=district, commit=False)
        make_invitation(session, world.president_a, unit=world.district_a, commit=False)
    db.session.commit()


def _counts(client, world) -> dict[str, int]:
    counts = {}
    for url in LISTS:
        with count_queries() as counter:
            response = client.get(url + ("&" if "?" in url else "?") + "per_page=100", headers=world.headers("admin"))
        assert response.status_code == 200, (url, response.get_data(as_text=True))
        counts[url] = counter.count
    return counts


@pytest.mark.slow
def test_list_query_counts_are_flat(client, world):
    client.get("/api/v1/me", headers=world.headers("admin"))  # the token's first use is recorded (one UPDATE)
    _grow(world, 2)
    small = _counts(client, world)
    _grow(world, 25)
    large = _counts(client, world)
    assert large == small
