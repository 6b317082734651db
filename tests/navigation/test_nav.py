"""One navigation entry is highlighted at a time: the most specific match wins."""

from __future__ import annotations

import re

import pytest

from tests.factories import make_user
from tracker.auth.models import Role
from tracker.core.nav import match_score


def active_entries(html: str) -> list[str]:
    nav = html[html.index('class="site-nav"'):]
    nav = nav[:nav.index("</nav>")]
    return re.findall(r'<a href="([^"]+)" aria-current="page">', nav)


def test_match_score_prefers_the_own_endpoint_then_the_longest_path_then_the_blueprint():
    here = ("attendance_reports.session_report", "/attendance/reports/sessions/3")
    own = match_score("attendance_reports.session_report", "/attendance/reports/sessions/3", *here)
    reports = match_score("attendance_reports.index", "/attendance/reports/", *here)
    attendance = match_score("attendance.index", "/attendance/", *here)
    assert own > reports > attendance
    assert match_score("meetings.agenda", "/agenda", "meetings.calendar_feed", "/agendas") == (1, 0)  # blueprint
    assert match_score("core.dashboard", "/home", "core.set_locale", "/locale") is None  # core has no section
    assert match_score("directory.tree", "/directory/", "meetings.list_meetings", "/meetings/") is None


@pytest.mark.parametrize(("url", "expected"), [
    ("/home", "/home"),
    ("/meetings/", "/meetings/"),
    ("/meetings/plan", "/meetings/plan"),
    ("/attendance/", "/attendance/"),
    ("/attendance/reports/", "/attendance/reports/"),
    ("/reviews/items/overdue", "/reviews/items/overdue"),
    ("/reviews/", "/reviews/"),
    ("/search", "/search"),
    ("/directory/", "/directory/"),
])
def test_exactly_one_entry_is_highlighted(client, auth, url, expected):
    make_user(Role.ADMIN, "boss")
    auth.login("boss")
    response = client.get(url)
    assert response.status_code == 200, url
    assert active_entries(response.get_data(as_text=True)) == [expected]


def test_a_page_below_a_section_highlights_that_section_only(client, auth):
    from tests.factories import make_meeting, make_session

    session = make_session(make_meeting())
    make_user(Role.OFFICE, "officer")
    auth.login("officer")
    assert active_entries(client.get(f"/meetings/sessions/{session.id}").get_data(as_text=True)) == ["/meetings/"]
    assert active_entries(client.get(f"/attendance/reports/sessions/{session.id}").get_data(as_text=True)) == [
        "/attendance/reports/"]


def test_phone_menu_is_a_disclosure_that_names_the_current_page(client, auth):
    make_user(Role.COORDINATOR, "coord")
    auth.login("coord")
    html = client.get("/attendance/", headers={"Accept-Language": "hi"}).get_data(as_text=True)
    menu = html[html.index('<details class="site-menu">'):html.index("</details>")]
    summary = menu[menu.index("<summary>"):menu.index("</summary>")]
    assert "मेनू" in summary and "उपस्थिति" in summary
    assert "required" not in menu
