"""Issue 13, acceptance 1: marks and pass codes made with no network wait on the phone (IndexedDB), survive a
reload and a closed page, and reach the server exactly once, even when the server is killed mid-replay.

A phone in Hindi opens today's roster from the home page by clicking (the service worker keeps it), the
network is cut (``cut_network``: the page's and the service worker's requests fail), the coordinator
marks 10 people present and checks 2 in by typing their pass codes: the page shows "12 waiting" and the
server has nothing. The page is reloaded while offline: the roster opens from the phone, the 12 still
waiting. The page is closed, the network comes back, the coordinator opens the roster again: the queue
is sent, 0 waiting, and the database holds exactly 12 marks, each written once (one record, one history
entry, one receipt each). In the second test the server is killed (SIGKILL) right after it committed the
batch and before its answer reached the reopened page; restarted, the phone sends the queue again:
still exactly 12. Two more tests: sending again writes nothing; the "online" event alone sends the queue.

Not here: the 20-second timer (the tests call ``trackerQueue.sync()`` or reopen the page instead of waiting).
"""

from __future__ import annotations

import re
from datetime import date, time

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD, make_meeting, make_session, make_user
from tests.harness.network import cut_network, restore_network
from tests.journeys.helpers import check_page, journey_page, login, shot
from tests.journeys.test_offline_journey import offline_note, wait_kept
from tests.worlds import make_region
from tracker.attendance import passcodes
from tracker.attendance.models import Attendance, SyncReceipt
from tracker.audit.models import AuditEntry
from tracker.auth.models import Role
from tracker.extensions import db
from tracker.i18n import fmt_number
from tracker.timeutil import local_to_utc

pytestmark = [pytest.mark.browser, pytest.mark.serial]

NOW = "2025-09-22T11:30:00+05:30"
DAY = date(2025, 9, 22)


def _seed() -> dict:
    region = make_region([{"name_en": f"District {i}", "name_hi": f"जिला {i}"} for i in range(14)],
                         [{"name_en": f"President {i}", "name_hi": f"अध्यक्ष क्रमांक {i}"} for i in range(14)])
    meeting = make_meeting(title_en="Division meeting", title_hi="संभाग की बैठक", starts_on=DAY, ends_on=DAY,
                           status="published", commit=False)
    session = make_session(meeting, starts_at=local_to_utc(DAY, time(11)), minutes=180, title_en="Roll call",
                           title_hi="हाज़िरी सत्र", commit=False)
    invitations = region.invite(session)
    db.session.commit()
    codes = passcodes.assign([invitations[12].id, invitations[13].id])
    make_user(Role.COORDINATOR, "coord", locale="hi")
    db.session.commit()
    return {"session": session.id, "people": [p.id for p in region.presidents],
            "names": [p.name_hi for p in region.presidents],
            "codes": [codes[invitations[12].id], codes[invitations[13].id]]}


def _written(session_id: int) -> dict:
    """What the server wrote: records per person, history entries per record, receipts."""
    db.session.expire_all()
    records = db.session.execute(sa.select(Attendance.id, Attendance.person_id, Attendance.status)
                                 .where(Attendance.session_id == session_id)).all()
    entries = db.session.execute(sa.select(AuditEntry.entity_id, sa.func.count()).where(
        AuditEntry.entity_type == "attendance").group_by(AuditEntry.entity_id)).all()
    receipts = db.session.scalar(sa.select(sa.func.count()).select_from(SyncReceipt))
    db.session.commit()  # end the read: an open SQLite transaction would keep the server from writing
    return {"people": sorted(r.person_id for r in records), "statuses": {r.status.value for r in records},
            "entries": dict(entries), "records": [r.id for r in records], "receipts": receipts}


def _hindi(text: str, **kwargs) -> str:
    with force_locale("hi"):
        return _(text, **kwargs)


def _waiting(count: int) -> str:
    return _hindi("%(count)s waiting to be sent", count=count)


def _open_roster(page, seed) -> None:
    """From the home page, by clicking, to today's roster; the queue's panel is set up."""
    page.goto(re.match(r"https?://[^/]+", page.url).group(0) + "/")
    page.locator("main a.session-line").filter(has_text="हाज़िरी सत्र").click()
    page.wait_for_url(f"**/attendance/sessions/{seed['session']}")
    page.locator("[data-queue-count]").wait_for()


def _mark_offline(page, seed) -> None:
    """Open the roster by clicking (the phone keeps it), cut the network, mark 10 and check in 2 by code."""
    present, check_in = _hindi("Present"), _hindi("Check in")
    _open_roster(page, seed)
    wait_kept(page, [f"/attendance/sessions/{seed['session']}"])
    cut_network(page.context)
    for pid, name in list(zip(seed["people"], seed["names"], strict=True))[:10]:
        page.locator(f"#att-{pid}").get_by_role("button", name=f"{present} — {name}").tap()
    for code in seed["codes"]:
        page.locator("#scan-code").fill(code)
        page.get_by_role("button", name=check_in, exact=True).tap()
    expect(page.locator("[data-queue-count]")).to_have_text(_waiting(12))
    assert page.evaluate("() => window.trackerQueue.count()") == 12
    assert page.locator(".att-queue-item.is-waiting").count() == 12


def _reload_offline(page, seed) -> None:
    """Reloaded with no network: the roster opens from the phone and the 12 marks are still waiting."""
    page.reload()
    page.locator("[data-queue-count]").wait_for()
    assert offline_note(page).is_visible()
    expect(page.locator("[data-queue-count]")).to_have_text(_waiting(12))
    assert page.locator(".att-queue-item.is-waiting").count() == 12
    assert page.evaluate("() => window.trackerQueue.count()") == 12
    # each of the 10 rows says its mark is waiting (the 2 passes are known by their codes only)
    expect(page.locator(".att-row .save-status.pending")).to_have_count(10)
    assert _written(seed["session"])["people"] == []  # nothing reached the server


def _reopen(page, served):
    """Close the page, bring the network back and open a new page of the same phone on the home page."""
    context = page.context
    page.close()
    restore_network(context)
    reopened = context.new_page()
    reopened.goto(served.url + "/")  # where _open_roster starts from
    return reopened


def _assert_exactly_twelve(seed) -> None:
    written = _written(seed["session"])
    # the 10 marked and the 2 checked in by their pass codes, once each; the 2 others not
    assert written["people"] == sorted(seed["people"][:10] + seed["people"][12:])
    assert written["statuses"] == {"present"}
    assert written["receipts"] == 12
    assert all(written["entries"].get(record) == 1 for record in written["records"]), written["entries"]


def test_twelve_offline_marks_survive_a_reload_and_a_closed_page(browser, serve_app):
    seed = _seed()
    served = serve_app(now=NOW)
    with journey_page(browser, "offline-queue-failed", served=served, phone=True, locale="hi") as page:
        errors: list[str] = []
        page.context.on("weberror", lambda error: errors.append(str(error.error)))
        login(page, "coord", DEFAULT_PASSWORD, served.url)
        _mark_offline(page, seed)
        shot(page, "offline-queue-01-twelve-waiting")
        _reload_offline(page, seed)
        shot(page, "offline-queue-02-reloaded-offline")

        page = _reopen(page, served)
        _open_roster(page, seed)  # opening the page sends the queue
        expect(page.locator("[data-queue-count]")).to_have_text(_waiting(0), timeout=20000)
        _assert_exactly_twelve(seed)
        assert not offline_note(page).is_visible()
        assert page.evaluate("() => window.trackerQueue.count()") == 0
        counts = _hindi("Present %(present)s of %(invited)s", present=fmt_number(12), invited=fmt_number(14))
        expect(page.locator("#roster-counts .att-count-main")).to_have_text(counts)
        expect(page.locator(f"#att-{seed['people'][0]}")).to_have_class(re.compile(r"\bis-present\b"))
        page.evaluate("() => window.scrollTo(0, 0)")
        check_page(page, "offline-queue-03-all-sent")
        # sending again (another tab, a reload) writes nothing more
        page.evaluate("() => window.trackerQueue.sync()")
        _assert_exactly_twelve(seed)
        assert errors == []


def test_the_server_killed_in_the_middle_of_the_replay(browser, serve_app):
    seed = _seed()
    served = serve_app(now=NOW)
    with journey_page(browser, "offline-queue-killed-failed", served=served, phone=True, locale="hi") as page:
        login(page, "coord", DEFAULT_PASSWORD, served.url)
        _mark_offline(page, seed)
        _reload_offline(page, seed)
        killed = []

        def kill_after_commit(route):
            """The batch reaches the server and is committed; the server dies before the phone hears back."""
            if killed:
                route.continue_()
                return
            response = route.fetch()
            assert response.status == 200
            served.kill()
            killed.append(True)
            route.abort("connectionreset")

        page.context.route("**/sync", kill_after_commit)
        page = _reopen(page, served)
        _open_roster(page, seed)  # opening the page sends the queue: the server dies in the middle
        for _attempt in range(100):
            if killed:
                break
            page.wait_for_timeout(100)
        assert killed, "the queue was not sent"
        _assert_exactly_twelve(seed)  # written, but the phone does not know
        expect(page.locator("[data-queue-count]")).to_have_text(_waiting(12))
        # while the server is down, a try changes nothing
        page.evaluate("() => window.trackerQueue.sync()")
        expect(page.locator("[data-queue-count]")).to_have_text(_waiting(12))

        served.restart()
        page.evaluate("() => window.trackerQueue.sync()")
        expect(page.locator("[data-queue-count]")).to_have_text(_waiting(0), timeout=20000)
        shot(page, "offline-queue-04-after-restart")
        _assert_exactly_twelve(seed)
        page.context.unroute("**/sync")


def test_the_online_event_sends_the_queue(browser, serve_app):
    """Without a reload: the page that stayed open sends the queue when the network comes back."""
    seed = _seed()
    served = serve_app(now=NOW)
    with journey_page(browser, "offline-queue-online-failed", served=served, phone=True, locale="hi") as page:
        login(page, "coord", DEFAULT_PASSWORD, served.url)
        _mark_offline(page, seed)
        restore_network(page.context)  # the "online" event sends the queue
        expect(page.locator("[data-queue-count]")).to_have_text(_waiting(0), timeout=20000)
        expect(page.locator(f"#att-{seed['people'][0]}").locator(".save-status.saved")).to_be_visible()
        _assert_exactly_twelve(seed)
