"""My agenda in a real browser: reads on a phone without sideways scrolling, prints on one page."""

from __future__ import annotations

import re

import pytest

from tests.browser_support import new_phone_context
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.meetings.conftest import group_data, new_meeting, publish_agenda_of_a1
from tracker.meetings import operations as ops

pytestmark = pytest.mark.browser


def test_agenda_on_a_phone_and_on_paper(world, clock, live_server, browser, artifacts_dir):
    publish_agenda_of_a1(world)

    context = new_phone_context(browser, locale="hi-IN")
    page = context.new_page()
    page.goto(live_server + "/login")
    page.get_by_label("उपयोगकर्ता नाम").fill("praveen_b")
    page.get_by_label("पासवर्ड").fill(DEFAULT_PASSWORD)
    page.get_by_label("पासवर्ड").press("Enter")
    page.wait_for_url("**/agenda")  # a district president's home is their agenda
    page.goto(live_server + "/agenda")
    assert "22 सितंबर 2025" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(artifacts_dir / "agenda-hi-phone.png"), full_page=True)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})
    page.screenshot(path=str(artifacts_dir / "agenda-hi-print.png"), full_page=True)
    pdf = page.pdf(format="A4")
    (artifacts_dir / "agenda-hi.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    context.close()


# --- the office plans, saves and publishes a meeting by clicking (issue 11) -------------------------

DESKTOP = {"width": 1280, "height": 900}


def _hi(app, message: str) -> str:
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale("hi"):
        return gettext(message)


def _count(model, *where) -> int:
    import sqlalchemy as sa

    from tracker.extensions import db

    db.session.rollback()  # see what the server committed
    try:
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))
    finally:
        db.session.rollback()  # hold no lock while the server writes (SQLite)


def test_office_plans_saves_and_publishes_by_clicking(app, demo, live_server, browser, artifacts_dir):
    """In Hindi at desktop size: untick divisions, pin one to the first day with the picker, propose,
    save as draft, publish, open and print the day sheet. Every submit is checked in the database:
    a submit that the browser refused makes the test fail."""
    from datetime import timedelta

    import sqlalchemy as sa

    from tracker.auth.models import User
    from tracker.extensions import db
    from tracker.meetings import queries
    from tracker.meetings.models import Meeting, MeetingStatus, SessionKind
    from tracker.timeutil import today_local

    user = db.session.scalar(sa.select(User).where(User.username == "office"))
    user.locale = "hi"
    db.session.commit()
    wanted = {demo.division("bhopal").code, demo.division("narmadapuram").code}
    pinned = demo.division("narmadapuram")
    first_day = today_local() + timedelta(days=7)
    pinned_code, pinned_name = pinned.code, pinned.name_hi
    db.session.commit()  # hold no lock while the server writes (SQLite)

    context = browser.new_context(viewport=DESKTOP, locale="hi-IN")
    page = context.new_page()
    page.goto(live_server + "/login")
    page.get_by_label(_hi(app, "Username")).fill("office")
    page.get_by_label(_hi(app, "Password")).fill(app.config["DEMO_PASSWORD"])
    page.get_by_label(_hi(app, "Password")).press("Enter")
    page.wait_for_url("**/home")

    # 1. From the menu to the plan form; untick every division but two.
    page.get_by_role("link", name=_hi(app, "Plan a meeting")).first.click()
    page.wait_for_url("**/meetings/plan")
    chooser = page.locator("fieldset#divisions")
    boxes = chooser.locator("input[type=checkbox]")
    assert boxes.count() == 10
    for i in range(boxes.count()):
        box = boxes.nth(i)
        if box.get_attribute("value") not in wanted:
            box.uncheck()
    assert sorted(chooser.locator("input:checked").evaluate_all("els => els.map(e => e.value)")) == sorted(wanted)
    page.get_by_label(_hi(app, "Days"), exact=True).fill("2")
    page.get_by_label(_hi(app, "Divisions a day")).fill("1")
    # 2. The picker: the first day, and Narmadapuram ticked in that row.
    row = page.locator("#pins fieldset.pick-row").first
    row.get_by_label(_hi(app, "Date"), exact=True).fill(first_day.isoformat())
    row.get_by_label(pinned_name).check()
    assert page.locator("[required]").count() == 0
    page.screenshot(path=str(artifacts_dir / "plan-form-hi.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})  # the chooser also fits a phone
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.locator("#pins").screenshot(path=str(artifacts_dir / "plan-pins-hi-phone.png"))
    page.set_viewport_size(DESKTOP)

    with page.expect_response(lambda r: r.request.method == "POST" and "/meetings/plan" in r.url) as answer:
        page.get_by_role("button", name=_hi(app, "Propose a timetable"), exact=True).click()
    assert answer.value.status == 200
    page.get_by_role("heading", name=_hi(app, "Proposed timetable")).wait_for()
    first_heading = page.locator("section.timetable-day h3").first.inner_text()
    assert pinned_name in first_heading
    shown = [int("".join(ch for ch in text if ch.isdigit()))
             for text in page.locator(".invitee-count").all_inner_texts()]
    assert len(shown) == 2 and _count(Meeting) == 0  # proposed, nothing saved yet
    page.screenshot(path=str(artifacts_dir / "plan-proposal-hi.png"), full_page=True)

    # 3. Save as draft: the browser leaves the plan page for the new meeting.
    page.get_by_label(_hi(app, "Title in Hindi")).fill("भोपाल और नर्मदापुरम संभाग की समीक्षा बैठक")
    page.get_by_role("button", name=_hi(app, "Save as draft"), exact=True).click()
    page.wait_for_url(re.compile(r".*/meetings/\d+$"))
    assert _count(Meeting, Meeting.status == MeetingStatus.DRAFT) == 1
    meeting = db.session.scalars(sa.select(Meeting)).one()
    groups = [v for v in queries.session_views(queries.meeting_sessions(meeting)) if v.session.kind == SessionKind.GROUP]
    assert [len(v.invitees) for v in groups] == shown  # the proposal counted the chair too
    first_group = min(groups, key=lambda v: v.session.starts_at).session
    assert [u.code for u in first_group.covered_units] == [pinned_code]
    assert meeting.starts_on == first_day and meeting.ends_on == first_day + timedelta(days=1)
    meeting_id = meeting.id
    db.session.rollback()
    page.screenshot(path=str(artifacts_dir / "plan-draft-hi.png"), full_page=True)

    # 4. Publish (a week ahead: no warning step), accepting the browser's confirmation.
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name=_hi(app, "Publish"), exact=True).click()
    assert _count(Meeting, Meeting.status == MeetingStatus.PUBLISHED) == 1
    page.screenshot(path=str(artifacts_dir / "plan-published-hi.png"), full_page=True)

    # 5. The day sheet of the first day, with its print button (hidden on paper).
    page.goto(f"{live_server}/meetings/{meeting_id}/days/{first_day.isoformat()}")
    button = page.get_by_role("button", name=_hi(app, "Print the day sheet"))
    assert button.is_visible()
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    button.click()
    assert page.evaluate("window.__printed") == 1
    page.screenshot(path=str(artifacts_dir / "day-sheet-hi.png"), full_page=True)
    page.emulate_media(media="print")
    assert not button.is_visible()
    context.close()


def test_publishing_a_past_meeting_asks_first(app, world, live_server, browser, artifacts_dir):
    """The warning step in a browser (the meeting of 22 September 2025 is past): it says what will not
    be sent; "publish anyway" publishes."""
    import sqlalchemy as sa

    from tracker.extensions import db
    from tracker.meetings.models import Meeting, MeetingStatus

    meeting = new_meeting()
    ops.add_session(meeting, group_data(world))
    make_user("office", "office_hi", locale="hi")
    meeting_id = meeting.id
    db.session.commit()

    context = browser.new_context(viewport=DESKTOP, locale="hi-IN")
    page = context.new_page()
    page.goto(live_server + "/login")
    page.get_by_label(_hi(app, "Username")).fill("office_hi")
    page.get_by_label(_hi(app, "Password")).fill(DEFAULT_PASSWORD)
    page.get_by_label(_hi(app, "Password")).press("Enter")
    page.wait_for_url("**/home")
    page.goto(f"{live_server}/meetings/{meeting_id}")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name=_hi(app, "Publish"), exact=True).click()
    page.get_by_role("heading", name=_hi(app, "What will not be sent")).wait_for()
    page.screenshot(path=str(artifacts_dir / "publish-warning-hi.png"), full_page=True)
    assert _count(Meeting, Meeting.status == MeetingStatus.DRAFT) == 1
    with page.expect_navigation():
        page.get_by_role("button", name=_hi(app, "Publish anyway")).click()
    assert page.url.endswith(f"/meetings/{meeting_id}")
    assert _count(Meeting, Meeting.status == MeetingStatus.PUBLISHED) == 1
    db.session.rollback()
    assert db.session.scalar(sa.select(Meeting.published_at).where(Meeting.id == meeting_id)) is not None
    db.session.rollback()
    context.close()


def test_calendar_link_on_a_phone(app, world, live_server, browser, artifacts_dir):
    make_user("president", "praveen_c", person=world.pa1, locale="hi")
    context = new_phone_context(browser, locale="hi-IN")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(live_server + "/login")
    page.get_by_label(_hi(app, "Username")).fill("praveen_c")
    page.get_by_label(_hi(app, "Password")).fill(DEFAULT_PASSWORD)
    page.get_by_label(_hi(app, "Password")).press("Enter")
    page.wait_for_url("**/agenda")  # a district president's home is their agenda
    with page.expect_navigation():
        page.get_by_role("button", name=_hi(app, "Make a calendar link")).click()
    assert _hi(app, "A new calendar link was made; the old one no longer works.") not in page.content()
    link = page.get_by_label(_hi(app, "Calendar link")).input_value()
    opener = page.get_by_role("link", name=_hi(app, "Open in my calendar app"))
    assert opener.is_visible() and opener.get_attribute("href") == "webcal://" + link.split("://", 1)[1]
    page.get_by_role("button", name=_hi(app, "Copy the link")).click()
    page.get_by_text(_hi(app, "Copied.")).wait_for()
    assert page.evaluate("() => navigator.clipboard.readText()") == link
    page.screenshot(path=str(artifacts_dir / "calendar-link-hi-phone.png"), full_page=True)
    context.close()
