"""Home pages by role, the attendance section's session lists and finder, and the links one domain adds to
another's pages (tracker/core/links.py)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.factories import make_meeting, make_person, make_session, make_user
from tracker.auth.models import Role
from tracker.extensions import db
from tracker.meetings.models import SessionStatus
from tracker.timeutil import today_local

EN = {"Accept-Language": "en"}


def page(client, url: str) -> str:
    response = client.get(url, headers=EN)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def roster_url(session) -> str:
    return f"/attendance/sessions/{session.id}"


def roster_href(session) -> str:
    return f'href="{roster_url(session)}"'


def section(html: str, element_id: str) -> str:
    """The text of the element with this id, up to its closing </section>."""
    start = html.index(f'id="{element_id}"')
    return html[start:html.index("</section>", start)]


# --- coordinator -------------------------------------------------------------------------------------


def test_coordinator_home_lists_today_then_coming_then_recent_each_leading_to_its_roster(client, auth, journey,
                                                                                          users):
    draft = make_meeting(title_en="Draft only", starts_on=today_local(), status="draft", commit=False)
    hidden = make_session(draft, title_en="Not yet published")
    auth.login("coord")
    html = page(client, "/home")
    panel = section(html, "panel-attendance-sessions")
    today_at, coming_at, recent_at = (panel.index(roster_href(s)) for s in (journey.today, journey.coming,
                                                                            journey.past))
    assert today_at < panel.index("Coming sessions") < coming_at < panel.index("Recent sessions") < recent_at
    assert roster_href(hidden) not in html  # a draft meeting has no roster to keep yet
    # the finder: a date picker and a meeting select, both leading to the attendance section
    assert 'type="date"' in panel and 'name="day"' in panel
    assert f'<option value="{journey.meeting.id}"' in panel
    assert 'required' not in panel
    # none of the office's panels
    for key in ("meetings-drafts", "reminders-failed", "reviews-overdue"):
        assert f"panel-{key}" not in html


def test_attendance_section_lists_and_picks_a_day_or_a_meeting(client, auth, journey, users):
    auth.login("coord")
    html = page(client, "/attendance/")
    assert html.index(roster_href(journey.today)) < html.index(roster_href(journey.coming)) \
        < html.index(roster_href(journey.past))

    yesterday = (today_local() - timedelta(days=1)).isoformat()
    html = page(client, f"/attendance/?day={yesterday}")
    assert roster_href(journey.past) in html
    assert roster_href(journey.today) not in html and roster_href(journey.coming) not in html

    html = page(client, f"/attendance/?meeting={journey.meeting.id}")
    for session in (journey.past, journey.today, journey.coming):
        assert roster_href(session) in html

    html = page(client, "/attendance/?day=31-02-2025")
    assert "Enter a date, for example" in html and 'aria-invalid="true"' in html
    assert "Choose a date." in page(client, "/attendance/?day=")
    assert client.get("/attendance/?meeting=999999").status_code == 404


def test_a_long_past_session_is_reached_by_its_date(client, auth, users):
    long_ago = date(2025, 9, 22)
    meeting = make_meeting(starts_on=long_ago, status="completed", commit=False)
    old = make_session(meeting)  # 22 September 2025, 11:00
    fillers = make_meeting(title_en="Filler", starts_on=today_local() - timedelta(days=3), status="published",
                           commit=False)
    for hour in range(12):  # more recent sessions than the home page lists
        make_session(fillers, starts_at=old.starts_at + timedelta(days=300, hours=hour), commit=False)
    db.session.commit()
    auth.login("coord")
    assert roster_href(old) not in page(client, "/home")  # the lists are bounded
    assert roster_href(old) in page(client, "/attendance/?day=2025-09-22")
    assert roster_href(old) in page(client, f"/attendance/?meeting={meeting.id}")


# --- session page and meeting report: links added by the attendance domain ----------------------------


def test_session_page_links_to_roster_passes_and_report_for_those_who_may_follow_them(client, auth, journey,
                                                                                      users):
    url = f"/meetings/sessions/{journey.today.id}"
    roster, passes, report = (roster_url(journey.today), f"/attendance/sessions/{journey.today.id}/passes",
                              f"/attendance/reports/sessions/{journey.today.id}")
    auth.login("coord")
    html = page(client, url)
    assert f'href="{roster}"' in html and f'href="{passes}"' in html and f'href="{report}"' in html
    auth.logout()

    auth.login("incharge")  # sees meetings and reports, keeps no roster
    html = page(client, url)
    assert f'href="{report}"' in html
    assert f'href="{roster}"' not in html and f'href="{passes}"' not in html
    auth.logout()

    journey.today.status = SessionStatus.CANCELLED
    db.session.commit()
    auth.login("coord")
    html = page(client, url)
    assert f'href="{roster}"' not in html and f'href="{report}"' in html


def test_meeting_report_links_to_each_sessions_report_and_roster(client, auth, journey, users):
    auth.login("coord")
    html = page(client, f"/attendance/reports/meetings/{journey.meeting.id}")
    for session in (journey.past, journey.today, journey.coming):
        assert f'href="/attendance/reports/sessions/{session.id}"' in html
        assert f'href="{roster_url(session)}"' in html
    html = page(client, f"/attendance/reports/sessions/{journey.past.id}")
    assert f'href="/attendance/reports/meetings/{journey.meeting.id}"' in html
    auth.logout()
    auth.login("incharge")
    html = page(client, f"/attendance/reports/meetings/{journey.meeting.id}")
    assert f'href="/attendance/reports/sessions/{journey.past.id}"' in html
    assert roster_href(journey.past) not in html


# --- district president ------------------------------------------------------------------------------


def test_district_presidents_home_is_their_agenda(client, auth, journey):
    auth.login("pres")
    response = client.get("/home", headers=EN)
    assert response.status_code == 302 and response.headers["Location"].endswith("/agenda")
    html = page(client, "/agenda")
    assert "Day three" in html
    assert "Other one-to-one" not in html  # another district's session
    nav = html[html.index('class="site-nav"'):html.index("</nav>", html.index('class="site-nav"'))]
    assert nav.count('aria-current="page"') == 1
    assert 'href="/home"' not in nav  # "Home" and "My agenda" would be one page twice
    assert "My agenda" in nav
    assert "panel-" not in html  # none of the home panels (the office's least of all)
    links = html[html.index('data-slot="meetings.agenda"'):]
    assert 'href="/reviews/items/mine"' in links[:links.index("</nav>")]  # their action items, one tap away
    # no office panels, no sessions of other districts, no rosters
    for url in ("/attendance/", f"/meetings/sessions/{journey.other_session.id}", roster_url(journey.today)):
        assert client.get(url).status_code == 403, url


def test_a_president_without_a_person_keeps_the_dashboard(client, auth):
    make_user(Role.PRESIDENT, "nobody")
    auth.login("nobody")
    assert client.get("/home").status_code == 200


# --- office ------------------------------------------------------------------------------------------


def _needs_attention(journey, n: int = 2, prefix: str = "") -> None:
    """n draft meetings, n failed messages and n overdue action items."""
    from tracker.reminders.models import MessageKind, MessageState, OutboxChannel, OutboxMessage
    from tracker.reviews.models import ActionItem
    from tracker.timeutil import now_utc

    owner = journey.world.people[0]
    for i in range(n):
        make_meeting(title_en=f"{prefix}Draft {i}", starts_on=today_local() + timedelta(days=10 + i), commit=False)
        db.session.add(OutboxMessage(
            idempotency_key=f"{prefix}failed-{i}", kind=MessageKind.INVITATION, channel=OutboxChannel.EMAIL,
            recipient_person_id=owner.id, address=f"p{i}@example.org", locale="en", subject=f"{prefix}Invitation {i}",
            body="…", send_after=now_utc(), state=MessageState.FAILED, last_error="refused"))
        db.session.add(ActionItem(title=f"{prefix}Overdue task {i}", owner_person_id=owner.id,
                                  due_on=today_local() - timedelta(days=i + 1),
                                  district_unit_id=journey.world.districts[0].id))
    db.session.commit()


def test_office_home_shows_what_needs_attention_each_item_a_link(client, auth, journey, users):
    _needs_attention(journey)
    from tracker.reminders.models import OutboxMessage
    from tracker.reviews.models import ActionItem

    auth.login("officer")
    html = page(client, "/home")
    drafts = section(html, "panel-meetings-drafts")
    assert "Draft 0" in drafts and "Draft 1" in drafts
    assert re.search(r'href="/meetings/\d+"', drafts)
    failed = section(html, "panel-reminders-failed")
    for message in db.session.scalars(db.select(OutboxMessage)):
        assert f'href="/outbox/{message.id}"' in failed
    assert 'href="/outbox/?state=failed"' in failed
    overdue = section(html, "panel-reviews-overdue")
    for item in db.session.scalars(db.select(ActionItem)):
        assert f'href="/reviews/items/{item.id}"' in overdue
    auth.logout()

    auth.login("coord")
    html = page(client, "/home")
    assert "Draft 0" not in html and "Invitation 0" not in html and "Overdue task 0" not in html


def test_nothing_to_attend_to_shows_no_empty_office_panels_but_says_so(client, auth, users):
    auth.login("officer")
    html = page(client, "/home")
    assert "panel-meetings-drafts" not in html and "panel-reminders-failed" not in html
    clear = html[html.index('id="home-all-clear"'):]
    clear = clear[:clear.index("</section>")]
    assert "Nothing needs your attention now" in clear
    assert "Draft meetings" in clear and "Messages that failed" in clear and "Overdue action items" in clear
    auth.logout()

    auth.login("coord")  # a coordinator sees none of those panels: nothing to say about them
    assert "home-all-clear" not in page(client, "/home")


def test_something_to_attend_to_hides_the_all_clear(client, auth, users):
    make_meeting(title_en="Draft 9")  # a draft meeting
    auth.login("officer")
    html = page(client, "/home")
    assert "panel-meetings-drafts" in html and "home-all-clear" not in html


# --- in-charge ---------------------------------------------------------------------------------------


def test_incharge_home_shows_their_review_slots(client, auth, journey, users):
    from tests.factories import make_invitation

    slot = make_session(journey.meeting, starts_at=journey.today.starts_at, kind="one_to_one",
                        title_en="One-to-one", district=journey.world.districts[1], commit=False)
    make_invitation(slot, users["incharge"].person, kind="reviewer")
    auth.login("incharge")
    panel = section(page(client, "/home"), "panel-reviews-slots")
    assert journey.world.districts[1].name_en in panel
    assert "note not written yet" in panel and 'href="/reviews/#slots-heading"' in panel
    auth.logout()
    lonely = make_user(Role.INCHARGE, "lonely", person=make_person(name_en="No Slots"))
    assert lonely
    auth.login("lonely")
    assert "No one-to-one slot is assigned to you yet." in page(client, "/home")


@pytest.mark.parametrize("role", list(Role))
def test_every_role_has_a_working_home(client, auth, journey, role):
    person = journey.world.people[1] if role == Role.PRESIDENT else None
    make_user(role, "someone", person=person)
    auth.login("someone")
    response = client.get("/home", follow_redirects=True, headers=EN)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count('aria-current="page"') <= 2  # the menu entry (and the language button)
