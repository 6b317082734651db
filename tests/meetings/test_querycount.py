"""Acceptance 4 (pages): the timetable and my-agenda pages issue as many SQL queries with 60 as
with 1,000 organizational districts."""

from __future__ import annotations

import pytest

from bench import pages_meetings, synth
from tests.conftest import _empty_all_tables
from tests.querycount import count_queries
from tracker.extensions import db


def _measure(client, auth) -> dict[str, int]:
    counts = {}
    for name, url, username in pages_meetings.pages():
        auth.logout()
        auth.login(username, synth.PASSWORD)
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = counter.count
    return counts


def _world(districts: int) -> None:
    _empty_all_tables()
    db.session.remove()
    synth.build(districts)
    pages_meetings.seed(districts)
    db.session.commit()


@pytest.mark.slow
def test_timetable_and_agenda_query_counts_stay_flat(client, auth):
    _world(60)
    small = _measure(client, auth)
    _world(1000)
    large = _measure(client, auth)
    assert small == large
    assert all(count <= 25 for count in large.values()), large
