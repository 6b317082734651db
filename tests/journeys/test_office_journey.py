"""Journey 1 of issue 11: the office plans a meeting, saves it, publishes it and prints a day sheet.

At desktop size (1280x800), in Hindi and in English, against gunicorn with the clock fixed some weeks
before the meeting: log in by typing, then only click (and type into form fields) from the home page:
the planner, untick all divisions but two, two days, pin one of the two to the first day, propose,
check the preview (the pinned division on day 1, the chair), save as draft, publish, open the day
sheet from the meeting page and print it. The database is checked after every submit, so a submit
that the browser refused fails the test. Every page gets ``check_page`` (screenshot under
tests/artifacts/journeys/, no required field that can be hidden, axe-core WCAG 2.2 A/AA).

A second, shorter journey publishes a meeting that is too near: the warning page says what will
not be sent, and "Publish anyway" publishes.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from tests.factories import DEFAULT_PASSWORD, make_user
from tests.journeys.helpers import ARTIFACTS, ClickCounter, check_page, journey_page, login, shot
from tracker.auth.models import Role
from tracker.directory.models import Unit
from tracker.extensions import db
from tracker.meetings.models import InvitationKind, Meeting, MeetingStatus, SessionKind
from tracker.timeutil import to_local

pytestmark = pytest.mark.browser

# A Wednesday morning in Bhopal, almost four weeks before the meeting (Monday 27 and Tuesday 28 October).
NOW = "2025-10-01T10:00:00+05:30"
FIRST_DAY = date(2025, 10, 27)
CHOSEN = ("bhopal_division", "narmadapuram_division")
PINNED = "narmadapuram_division"


def _t(locale: str, message: str) -> str:
    with force_locale(locale):
        return gettext(message)


def _published_invitations(meeting_id: int) -> list:
    """The invitations of every session of the meeting, which the server must have published."""
    meeting = db.session.get(Meeting, meeting_id)
    assert meeting.status == MeetingStatus.PUBLISHED and meeting.published_at is not None
    return [invitation for session in meeting.sessions for invitation in session.invitations]


def _units(*codes: str) -> dict[str, Unit]:
    return {u.code: u for u in db.session.scalars(sa.select(Unit).where(Unit.code.in_(codes)))}


def _one_nav_entry_highlighted(page, label: str) -> None:
    current = page.locator("nav.site-nav a[aria-current=page]")
    assert current.count() == 1, current.all_inner_texts()
    assert current.inner_text().strip() == label


def _seed_office(locale: str):
    from tracker.demo import load_demo

    load_demo()  # commits: ten divisions, their districts and presidents, the state in-charge (the chair)
    make_user(Role.OFFICE, f"office_{locale}", full_name="कार्यालय प्रभारी" if locale == "hi" else "Office desk",
              locale=locale)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Unit).where(Unit.code.like("%_division"))) >= 4


@pytest.mark.parametrize("locale", ["hi", "en"])
def test_office_plans_publishes_and_prints_a_two_day_meeting(browser, serve_app, locale):
    t = lambda message: _t(locale, message)  # noqa: E731
    _seed_office(locale)
    units = _units(*CHOSEN)
    chosen_ids = {units[code].id for code in CHOSEN}
    pinned_name = units[PINNED].name_hi if locale == "hi" else units[PINNED].name_en
    from tracker.meetings.planning import PlanInput, build_request

    chair = build_request(PlanInput(division_codes=list(CHOSEN), start=FIRST_DAY, days=2, per_day=1)).chair
    assert chair is not None
    chair_id, chair_name = chair.id, (chair.name_hi if locale == "hi" else chair.name_en)
    title = "भोपाल और नर्मदापुरम संभाग की समीक्षा बैठक" if locale == "hi" else "Bhopal and Narmadapuram review"
    db.session.rollback()  # hold no lock while the server writes (SQLite)
    served = serve_app(now=NOW)
    step = lambda name: f"office-{locale}-{name}"  # noqa: E731

    with journey_page(browser, step("failed"), locale=locale) as page:
        page.goto(served.url + "/login")
        assert page.locator("html").get_attribute("lang") == locale
        check_page(page, step("01-login"))
        login(page, f"office_{locale}", DEFAULT_PASSWORD)
        clicks = ClickCounter(page).start()
        check_page(page, step("02-home"))

        # 1. The planner, from the main menu of the home page.
        plan_label = t("Plan a meeting")
        clicks.click(page.get_by_role("navigation", name=t("Main menu")).get_by_role("link", name=plan_label,
                                                                                      exact=True))
        assert re.search(r"/meetings/plan$", page.url), page.url
        page.get_by_role("heading", level=1, name=plan_label).wait_for()
        _one_nav_entry_highlighted(page, plan_label)
        check_page(page, step("03-plan-form"))

        # 2. Untick every division but two; two days, one division a day; pin one to the first day.
        boxes = page.locator("fieldset#divisions input[type=checkbox]")
        assert boxes.count() >= 4
        for i in range(boxes.count()):
            box = boxes.nth(i)
            if box.get_attribute("value") not in CHOSEN:
                box.uncheck()
        checked = page.locator("fieldset#divisions input[type=checkbox]:checked")
        assert sorted(checked.evaluate_all("els => els.map(e => e.value)")) == sorted(CHOSEN)
        page.get_by_label(t("First date"), exact=True).fill(FIRST_DAY.isoformat())
        page.get_by_label(t("Days"), exact=True).fill("2")
        page.get_by_label(t("Divisions a day"), exact=True).fill("1")
        pin = page.locator("#pins fieldset.pick-row").first
        pin.get_by_label(t("Date"), exact=True).fill(FIRST_DAY.isoformat())
        pin.get_by_label(pinned_name, exact=True).check()
        check_page(page, step("04-plan-filled"))

        # 3. Propose: the preview shows the pinned division on day 1 and the chair; nothing is saved.
        with page.expect_response(lambda r: r.request.method == "POST" and "/meetings/plan" in r.url) as answer:
            clicks.click(page.get_by_role("button", name=t("Propose a timetable"), exact=True))
        assert answer.value.status == 200, page.locator("main").inner_text()[:800]
        page.get_by_role("heading", level=2, name=t("Proposed timetable")).wait_for()
        days = page.locator("section.timetable-day")
        assert days.count() == 2
        day_one = days.nth(0)
        assert pinned_name in day_one.locator("h3").inner_text()
        assert f"{t('Chair')}: {chair_name}" in day_one.locator(".slot-body").inner_text()
        other = units[CHOSEN[0]].name_hi if locale == "hi" else units[CHOSEN[0]].name_en
        assert other in days.nth(1).locator("h3").inner_text()
        served.sync()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 0
        db.session.rollback()
        check_page(page, step("05-plan-proposal"))

        # 4. Save as draft: the browser leaves the planner for the new meeting's page.
        title_field = t("Title in Hindi") if locale == "hi" else t("Title in English")
        page.get_by_label(title_field, exact=True).fill(title)
        page.get_by_label(t("Venue"), exact=True).fill("प्रदेश कांग्रेस कार्यालय, भोपाल" if locale == "hi"
                                                       else "State Congress office, Bhopal")
        clicks.click(page.get_by_role("button", name=t("Save as draft"), exact=True))
        assert re.search(r"/meetings/\d+$", page.url), f"the draft was not saved: still on {page.url}"
        page.get_by_role("heading", level=1, name=re.compile(re.escape(title))).wait_for()
        served.sync()
        meeting = db.session.scalars(sa.select(Meeting)).one()
        assert meeting.status == MeetingStatus.DRAFT
        assert (meeting.starts_on, meeting.ends_on) == (FIRST_DAY, FIRST_DAY + timedelta(days=1))
        assert page.url.endswith(f"/meetings/{meeting.id}")
        meeting_id = meeting.id
        groups = sorted((s for s in meeting.sessions if s.kind == SessionKind.GROUP), key=lambda s: s.starts_at)
        assert [to_local(s.starts_at).date() for s in groups] == [FIRST_DAY, FIRST_DAY + timedelta(days=1)]
        assert [[u.code for u in s.covered_units] for s in groups] == [[PINNED], [CHOSEN[0]]]
        assert all(s.chair_person_id == chair_id for s in groups)
        one_to_ones = [s for s in meeting.sessions if s.kind == SessionKind.ONE_TO_ONE]
        assert one_to_ones and {s.district.parent_id for s in one_to_ones} == chosen_ids
        db.session.rollback()
        _one_nav_entry_highlighted(page, t("Meetings"))
        check_page(page, step("06-draft"))

        # 5. Publish (four weeks ahead: no warning step), accepting the browser's confirmation.
        page.once("dialog", lambda dialog: dialog.accept())
        clicks.click(page.get_by_role("button", name=t("Publish"), exact=True))
        assert page.url.endswith(f"/meetings/{meeting_id}"), page.url
        served.sync()
        invitations = _published_invitations(meeting_id)
        assert invitations and all(inv.pass_token for inv in invitations)
        invited_units = {inv.unit for inv in invitations if inv.kind == InvitationKind.INVITEE}
        assert invited_units and {u.parent_id for u in invited_units} == chosen_ids  # no other division's districts
        assert any(inv.kind == InvitationKind.CHAIR and inv.person_id == chair_id for inv in invitations)
        db.session.rollback()
        page.get_by_text(t("The meeting was published and its invitation lists frozen.")).wait_for()
        check_page(page, step("07-published"))

        # 6. The day sheet of the first day, from the meeting page through its timetable; print it.
        clicks.click(page.get_by_role("navigation", name=t("Meeting pages")).get_by_role(
            "link", name=t("Timetable"), exact=True))
        page.get_by_role("heading", level=1, name=t("Timetable")).wait_for()
        check_page(page, step("08-timetable"))
        clicks.click(page.locator("section.timetable-day").first.get_by_role("link", name=t("Day sheet"), exact=True))
        assert page.url.endswith(f"/meetings/{meeting_id}/days/{FIRST_DAY.isoformat()}"), page.url
        assert pinned_name in page.locator("main").inner_text()
        check_page(page, step("09-day-sheet"))
        page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
        button = page.get_by_role("button", name=t("Print the day sheet"))
        button.click()
        assert page.evaluate("window.__printed") == 1
        page.emulate_media(media="print")
        assert not button.is_visible()  # the button is not on the paper
        shot(page, step("10-day-sheet-print"))
        heights = page.locator("table.sign-sheet tbody tr").evaluate_all(
            "rows => rows.map(r => r.getBoundingClientRect().height)")
        assert heights and min(heights) >= 40, heights  # room to sign on paper (1.1 cm)
        pdf = page.pdf(format="A4")
        (ARTIFACTS / f"{step('10-day-sheet-print')}.pdf").write_bytes(pdf)
        assert pdf.startswith(b"%PDF")
        page.emulate_media(media="screen")
        assert clicks.count == 6, clicks.trail



def test_office_publishing_a_meeting_too_near_is_warned_then_publishes_anyway(browser, serve_app):
    """A draft whose first session starts in an hour: the home page's draft panel leads to it; Publish
    shows what will and will not be sent and publishes nothing; "Publish anyway" publishes."""
    from tracker.meetings import operations as ops

    locale = "hi"
    t = lambda message: _t(locale, message)  # noqa: E731
    _seed_office(locale)
    units = _units(*CHOSEN)
    today, tomorrow = date(2025, 10, 1), date(2025, 10, 2)
    meeting = ops.create_meeting({"title_en": "Urgent review", "title_hi": "तत्काल समीक्षा बैठक", "purpose": "review",
                                  "starts_on": today, "ends_on": tomorrow, "venue": "प्रदेश कार्यालय"})
    for day, code in ((today, CHOSEN[0]), (tomorrow, CHOSEN[1])):
        ops.add_session(meeting, {"kind": "group", "day": day, "start": time(11, 0), "end": time(13, 0),
                                  "room": "सभागार", "covered_unit_ids": [units[code].id]})
    db.session.commit()
    meeting_id, title = meeting.id, meeting.title_hi
    served = serve_app(now=NOW)  # 10:00 on the first day: the first session starts in an hour
    step = lambda name: f"office-{locale}-near-{name}"  # noqa: E731

    with journey_page(browser, step("failed"), locale=locale) as page:
        login(page, f"office_{locale}", DEFAULT_PASSWORD, served.url)
        clicks = ClickCounter(page).start()
        check_page(page, step("01-home"))
        clicks.click(page.locator("#panel-meetings-drafts").get_by_role("link", name=title, exact=True))
        assert page.url.endswith(f"/meetings/{meeting_id}"), page.url
        check_page(page, step("02-draft"))

        page.once("dialog", lambda dialog: dialog.accept())
        clicks.click(page.get_by_role("button", name=t("Publish"), exact=True))
        page.get_by_role("heading", level=1, name=t("This meeting is too near for some messages")).wait_for()
        notice = page.locator("article.publish-notice").inner_text()
        assert t("What will be sent") in notice and t("What will not be sent") in notice
        served.sync()
        assert db.session.get(Meeting, meeting_id).status == MeetingStatus.DRAFT  # nothing published yet
        db.session.rollback()
        check_page(page, step("03-warning"))

        clicks.click(page.get_by_role("button", name=t("Publish anyway"), exact=True))
        assert page.url.endswith(f"/meetings/{meeting_id}"), page.url
        served.sync()
        assert _published_invitations(meeting_id)
        db.session.rollback()
        check_page(page, step("04-published"))
        assert clicks.count == 3, clicks.trail
