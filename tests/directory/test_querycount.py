"""The directory pages' query counts do not grow with the data (acceptance 5 of the directory issue).

Builds the synthetic directory of the page benchmark (``bench.synth``) at 60 and at 1,000
organizational districts and compares the SQL statements each page issues.
"""

from __future__ import annotations

import pytest

from bench import pages_directory, synth
from tests.conftest import _empty_all_tables
from tests.querycount import count_queries
from tracker.extensions import db


def _page_counts(client, districts: int) -> dict[str, tuple[int, int]]:
    world = synth.build(districts)
    db.session.commit()
    assert len(world.district_ids) == districts
    pages = pages_directory.pages()
    client.post("/login", data={"username": pages_directory.USER, "password": synth.PASSWORD})
    counts = {}
    for name, url, _user in pages:
        client.get(url)  # warm caches (roles, translations)
        with count_queries() as counter:
            response = client.get(url)
        counts[name] = (response.status_code, counter.count)
    client.post("/logout")
    return counts


@pytest.mark.slow
def test_directory_pages_query_counts_equal_at_60_and_1000_districts(client):
    small = _page_counts(client, 60)
    db.session.remove()
    _empty_all_tables()
    large = _page_counts(client, 1000)
    assert {name: status for name, (status, _n) in small.items()} == dict.fromkeys(small, 200)
    assert small == large
