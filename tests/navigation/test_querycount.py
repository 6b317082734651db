"""The home pages and the attendance section issue as many SQL statements with much data as with little."""

from __future__ import annotations

from datetime import timedelta

from tests.factories import make_invitation, make_person, make_session, make_unit, make_user
from tests.navigation.conftest import make_journey
from tests.navigation.test_home import _needs_attention
from tests.querycount import count_queries
from tracker.auth.models import Role
from tracker.extensions import db
from tracker.timeutil import today_local


def _add_sessions(journey, n: int) -> None:
    """Titled group sessions and untitled one-to-ones of different districts (their labels read the district),
    before, on and after today."""
    for i in range(n):
        starts_at = journey.today.starts_at + timedelta(days=i - n // 2, minutes=i)
        if i % 2:
            make_session(journey.meeting, starts_at=starts_at, kind="one_to_one", title_en="", title_hi="",
                         district=make_unit("district", name_en=f"District {i}", commit=False), commit=False)
        else:
            make_session(journey.meeting, starts_at=starts_at, commit=False)
    db.session.commit()


def _count(client, urls: list[str]) -> dict[str, int]:
    out = {}
    for url in urls:
        client.get(url)  # warm-up
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200, url
        out[url] = counter.count
    return out


def _urls(journey) -> list[str]:
    return ["/home", "/attendance/", f"/attendance/?day={today_local().isoformat()}",
            f"/attendance/?meeting={journey.meeting.id}"]


def test_home_and_attendance_pages_do_not_grow_with_the_data(client, auth):
    incharge = make_person(name_en="In Charge")
    for role, name, person in ((Role.OFFICE, "officer", None), (Role.COORDINATOR, "coord", None),
                               (Role.INCHARGE, "incharge", incharge)):
        make_user(role, name, person=person)
    small = make_journey(prefix="S")
    _needs_attention(small, n=1, prefix="S")
    make_invitation(make_session(small.meeting, starts_at=small.today.starts_at, kind="one_to_one",
                                 district=small.world.districts[0], commit=False), incharge, kind="reviewer")
    counts = {}
    for name in ("officer", "coord", "incharge"):
        auth.login(name)
        counts[name] = _count(client, _urls(small) if name != "incharge" else ["/home"])
        auth.logout()

    large = make_journey(prefix="L")
    _needs_attention(large, n=30, prefix="L")
    _add_sessions(large, 40)
    for i in range(12):  # the in-charge's slots
        slot = make_session(large.meeting, starts_at=large.today.starts_at + timedelta(hours=i), kind="one_to_one",
                            district=large.world.districts[i % 4], commit=False)
        make_invitation(slot, incharge, kind="reviewer", commit=False)
    db.session.commit()
    for name in ("officer", "coord", "incharge"):
        auth.login(name)
        large_urls = _urls(large) if name != "incharge" else ["/home"]
        small_counts = counts[name]
        large_counts = _count(client, large_urls)
        assert list(small_counts.values()) == list(large_counts.values()), (name, small_counts, large_counts)
        # a fixed handful: the office's home gathers the panels of every domain (red flags, circulars …)
        assert max(large_counts.values()) <= 24, large_counts
        auth.logout()
