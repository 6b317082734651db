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


@pytest.mark.parametrize("role", list(Role))
def test_meetings_list_and_planner_highlight_one_entry_for_every_role(client, auth, role):
    """The whole page (not only the menu) carries one aria-current="page": on the meetings list, the
    planner, and the planner's proposal after a POST."""
    from tests.meetings.conftest import World
    from tests.meetings.test_plan_form import FORM

    World()
    make_user(role, "someone")
    auth.login("someone")
    pages = {url: client.get(url, follow_redirects=True) for url in ("/meetings", "/meetings/", "/meetings/plan")}
    pages["/meetings/plan (proposal)"] = client.post("/meetings/plan", data=FORM)
    seen = 0
    for url, response in pages.items():
        if response.status_code in (403, 404):
            continue
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        expected = "/meetings/plan" if "plan" in url else "/meetings/"
        assert page.count('aria-current="page"') == 1, url
        assert active_entries(page) == [expected], url
        assert "proposal" not in url or "plan_json" in page, "the POST did not reach the proposal"
        seen += 1
    if role in (Role.ADMIN, Role.OFFICE):
        assert seen == 4
