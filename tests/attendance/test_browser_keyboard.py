"""The roster by keyboard only, on a phone in Hindi: present / late / represented (the representative
found by typing, then refining the query) / excused. After each mark the focus stays in the person's
row (not on the page), the row is not hidden under the sticky counts, and the database holds the mark.
Also: marking works without JavaScript (plain form posts), and the check-in by a typed short code."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.browser_support import log_in_with_enter, new_phone_context
from tests.factories import DEFAULT_PASSWORD, make_person
from tracker.attendance import passcodes
from tracker.attendance.models import Attendance, AttendanceStatus
from tracker.directory.search import make_search_key
from tracker.extensions import db

pytestmark = pytest.mark.browser

FOCUS_IN_ROW = "id => { const a = document.activeElement; return !!a && a !== document.body && !!a.closest('#' + id); }"
# The focused element is below the sticky counts box (not covered by it) and inside the viewport.
FOCUS_VISIBLE = """() => {
  const a = document.activeElement.getBoundingClientRect();
  const c = document.getElementById('roster-counts').getBoundingClientRect();
  return a.top >= c.bottom - 1 && a.bottom <= window.innerHeight + 1;
}"""


# The whole row (with the person's name) is below the sticky counts box.
ROW_VISIBLE = """id => {
  const r = document.getElementById(id).getBoundingClientRect();
  const c = document.getElementById('roster-counts').getBoundingClientRect();
  return r.top >= c.bottom - 1 && r.bottom <= window.innerHeight + 1;
}"""


def _htmx_ready(page, selector: str) -> None:
    """Wait until htmx has processed the form around ``selector`` (a panel it just swapped in is processed
    as the swap settles; a key pressed before that submits the form without htmx)."""
    page.wait_for_function(
        "s => { const f = document.querySelector(s)?.closest('form');"
        " return !!(f && f['htmx-internal-data'] && f['htmx-internal-data'].initHash); }", arg=selector)


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until ``selector`` has the focus (the keyboard user's way there)."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def _status(person_id: int):
    """The person's stored mark (status, late_at, represented_by_person_id), or None. The read is
    ended at once: an open transaction on SQLite would keep the server from writing."""
    db.session.expire_all()
    row = db.session.execute(
        sa.select(Attendance.status, Attendance.late_at, Attendance.represented_by_person_id)
        .where(Attendance.person_id == person_id)).first()
    db.session.commit()
    return row


def _assert_focus_kept(page, person_id: int) -> None:
    row = f"att-{person_id}"
    try:  # the focus is put back when htmx has settled the new row (a few ms after the swap)
        page.wait_for_function(FOCUS_IN_ROW, arg=row, timeout=3000)
    except Exception:
        raise AssertionError("focus left the row: " + page.evaluate("document.activeElement.outerHTML.slice(0, 200)")) from None
    page.wait_for_timeout(100)  # the smooth part of scrolling, if any
    assert page.evaluate(FOCUS_VISIBLE)
    assert page.evaluate(ROW_VISIBLE, row)


def _open_more(page, person_id: int, key: str, shown: str, ready: str) -> None:
    """Tab to the person's "More" button and open its panel with ``key``; wait until ``shown`` is there and
    htmx has processed the form around ``ready``."""
    _tab_to(page, f"#more-{person_id}")
    page.keyboard.press(key)
    page.locator(shown).wait_for()
    _htmx_ready(page, ready)


def _mark_with(page, person_id: int, selector: str, key: str) -> None:
    """Tab to ``selector`` and press ``key``; wait until the person's row is saved, with the focus kept in it."""
    _tab_to(page, selector)
    page.keyboard.press(key)
    page.locator(f"#att-{person_id} .save-status.saved").wait_for()
    _assert_focus_kept(page, person_id)


def test_keyboard_only_marking_keeps_focus_in_the_row(world, coordinator, live_server, browser, artifacts_dir):
    a, b, c, d = (p.id for p in world.people[:4])
    reps = [make_person(name_en=f"Ramesh {last}", name_hi=f"रमेश {hi}", commit=False)
            for last, hi in (("Verma", "वर्मा"), ("Yadav", "यादव"), ("Vyas", "व्यास"))]
    for rep in reps:
        rep.search_key = make_search_key(rep.name_hi, rep.name_en)
    db.session.commit()
    yadav = reps[1].id
    session_id = world.session.id
    names = [p.name_hi for p in world.people[:4]]
    db.session.commit()  # end the read: an open transaction on SQLite would keep the server from writing
    context = new_phone_context(browser, locale="hi-IN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in_with_enter(page, live_server, "coord", DEFAULT_PASSWORD)
    page.goto(f"{live_server}/attendance/sessions/{session_id}")
    assert page.locator("html").get_attribute("lang") == "hi"
    # every row button names its person
    assert page.get_by_role("button", name=f"उपस्थित — {names[0]}").count() == 1
    assert page.get_by_role("button", name=f"और — {names[1]}").count() == 1

    # 1. present: Tab to the button, Enter
    _mark_with(page, a, f"#present-{a}", "Enter")
    assert _status(a).status == AttendanceStatus.PRESENT
    page.screenshot(path=str(artifacts_dir / "roster-keyboard-1-present.png"))

    # 2. late: "More" with Space opens the panel, Tab to "Late", Space
    _open_more(page, b, "Space", shown=f"#late-{b}", ready=f"#late-btn-{b}")
    assert page.locator(f"#more-{b}").get_attribute("aria-expanded") == "true"
    _mark_with(page, b, f"#late-btn-{b}", "Space")
    assert _status(b).status == AttendanceStatus.LATE and _status(b).late_at is not None
    page.screenshot(path=str(artifacts_dir / "roster-keyboard-2-late.png"))

    # 3. represented: search by typing, then refine; the list changes both times
    _open_more(page, c, "Enter", shown=f"#rep-q-{c}", ready=f"#represented-{c}")
    _tab_to(page, f"#rep-q-{c}")
    page.keyboard.type("Ramesh", delay=40)
    choices = page.locator(f"#reps-{c} input[type=radio]")
    page.wait_for_function(f"() => document.querySelectorAll('#reps-{c} input[type=radio]').length === 3")
    page.screenshot(path=str(artifacts_dir / "roster-keyboard-3a-search.png"))
    page.keyboard.type(" Yad", delay=40)
    page.wait_for_function(f"() => document.querySelectorAll('#reps-{c} input[type=radio]').length === 1")
    assert choices.first.get_attribute("value") == str(yadav)
    page.keyboard.press("Enter")  # Enter in the search box searches; it does not submit the mark
    page.wait_for_timeout(300)
    assert _status(c) is None
    page.keyboard.press("Tab")  # to the only choice
    assert page.evaluate("document.activeElement.type") == "radio"
    page.keyboard.press("Space")
    assert choices.first.is_checked()
    page.screenshot(path=str(artifacts_dir / "roster-keyboard-3b-refined.png"))
    _mark_with(page, c, f"#represented-{c}", "Enter")
    mark = _status(c)
    assert mark.status == AttendanceStatus.REPRESENTED and mark.represented_by_person_id == yadav
    row_text = page.locator(f"#att-{c}").inner_text()
    assert "प्रतिनिधि: रमेश यादव" in row_text and row_text.count("द्वारा") == 0
    page.screenshot(path=str(artifacts_dir / "roster-keyboard-3c-represented.png"))

    # 4. excused
    _open_more(page, d, "Space", shown=f"#excused-{d}", ready=f"#excused-{d}")
    _mark_with(page, d, f"#excused-{d}", "Enter")
    assert _status(d).status == AttendanceStatus.EXCUSED
    page.screenshot(path=str(artifacts_dir / "roster-keyboard-4-excused.png"))

    # the outcome was announced in the live region
    assert names[3] in page.locator("#att-live").inner_text()
    page.reload()
    assert "is-excused" in page.locator(f"#att-{d}").get_attribute("class")
    # a link styled as a button answers to Space, as a button does
    page.keyboard.press("Home")
    _tab_to(page, "a[role=button][href$='/walk-in']")
    page.keyboard.press("Space")
    page.wait_for_url(f"**/attendance/sessions/{session_id}/walk-in")
    assert errors == []
    context.close()


def test_marking_without_javascript_posts_the_form(world, coordinator, live_server, browser, artifacts_dir):
    a = world.people[0].id
    session_id = world.session.id
    db.session.commit()
    context = new_phone_context(browser, locale="hi-IN", java_script_enabled=False)
    page = context.new_page()
    log_in_with_enter(page, live_server, "coord", DEFAULT_PASSWORD)
    page.goto(f"{live_server}/attendance/sessions/{session_id}")
    page.locator(f"#present-{a}").click()
    page.wait_for_url(f"**/attendance/sessions/{session_id}#att-{a}")
    assert _status(a).status == AttendanceStatus.PRESENT
    # "More" without JS: the person's own page, with the other states
    page.locator(f"#more-{a}").click()
    page.wait_for_url(f"**/sessions/{session_id}/people/{a}*")
    page.locator(f"#excused-{a}").click()
    page.wait_for_url(f"**/attendance/sessions/{session_id}#att-{a}")
    assert _status(a).status == AttendanceStatus.EXCUSED
    context.close()


def test_check_in_by_typing_the_short_code(world, coordinator, live_server, browser, artifacts_dir):
    first = world.invitations[0]
    code = passcodes.assign([first.id])[first.id]
    person_id, session_id = first.person_id, world.session.id
    db.session.commit()
    context = new_phone_context(browser, locale="hi-IN")
    page = context.new_page()
    log_in_with_enter(page, live_server, "coord", DEFAULT_PASSWORD)
    page.goto(f"{live_server}/attendance/sessions/{session_id}/passes")
    assert page.locator("h1").count() == 1
    assert passcodes.display(code) in page.locator(".att-short-code").first.inner_text()
    page.screenshot(path=str(artifacts_dir / "pass-short-code-phone.png"), full_page=True)
    page.goto(f"{live_server}/attendance/sessions/{session_id}")
    page.locator("#scan-code").fill(passcodes.display(code).lower())
    page.locator("#scan-code").press("Enter")
    page.locator("#scan-result .is-ok").wait_for()
    assert _status(person_id).status == AttendanceStatus.PRESENT
    page.locator(f"#att-{person_id}.is-present").wait_for()  # the row is swapped in by htmx: wait for it
    page.locator("#scan-code").fill("WXY 349" if code != "WXY349" else "KMN 777")
    page.locator("#scan-code").press("Enter")
    page.locator("#scan-result .is-error").wait_for()
    assert "नहीं है" in page.locator("#scan-result").inner_text()
    page.screenshot(path=str(artifacts_dir / "roster-short-code-wrong.png"))
    context.close()
