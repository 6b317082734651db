"""The roster and report pages issue the same number of SQL statements for 20 and 2,000 invitees."""

from __future__ import annotations

import pytest

from tests.attendance.conftest import bulk_world
from tests.factories import make_user
from tests.querycount import count_queries
from tracker.auth.models import Role


def _pages(world) -> list[str]:
    s, m = world.session.id, world.session.meeting_id
    return [
        f"/attendance/sessions/{s}",
        f"/attendance/sessions/{s}?q=Person 1",
        "/attendance/",
        f"/attendance/reports/sessions/{s}",
        f"/attendance/reports/sessions/{s}/absentees",
        f"/attendance/reports/meetings/{m}",
        f"/attendance/reports/meetings/{m}/absentees",
        "/attendance/reports/rates",
        "/attendance/reports/rates?by=district",
        f"/attendance/reports/sessions/{s}?format=xlsx",
    ]


def _counts(client, world) -> dict[int, int]:
    """Statements per page, by the page's position in :func:`_pages`."""
    out = {}
    for index, url in enumerate(_pages(world)):
        client.get(url)  # warm-up (first-request caches)
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200, url
        out[index] = counter.count
    return out


@pytest.mark.slow
def test_roster_and_reports_are_flat_from_20_to_2000_invitees(client, auth):
    make_user(Role.OFFICE, "officer")
    auth.login("officer")
    small = _counts(client, bulk_world(20, prefix="S"))
    large = _counts(client, bulk_world(2000, prefix="L"))
    assert small == large
    assert max(small.values()) <= 12, small
