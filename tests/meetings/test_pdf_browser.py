"""Issue 14 in a real browser: a district president on a phone, in Hindi, downloads their agenda's PDF
from their home page; the office, at desktop size, downloads a day sheet's PDF from the timetable."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from tests.browser_support import new_phone_context
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.meetings.conftest import publish_agenda_of_a1
from tests.pdf_check import assert_pdf, drawn_glyphs, embedded_fonts, shaped_in
from tracker.extensions import db

pytestmark = pytest.mark.browser


def _log_in(page, live_server, username: str, user_label: str, password_label: str):
    page.goto(live_server + "/login")
    page.get_by_label(user_label).fill(username)
    page.get_by_label(password_label).fill(DEFAULT_PASSWORD)
    page.get_by_label(password_label).press("Enter")


def test_president_downloads_the_agenda_pdf_on_a_phone(world, clock, live_server, browser, artifacts_dir):
    publish_agenda_of_a1(world)
    db.session.commit()
    context = new_phone_context(browser, locale="hi-IN", accept_downloads=True)
    page = context.new_page()
    _log_in(page, live_server, "praveen_b", "उपयोगकर्ता नाम", "पासवर्ड")
    page.wait_for_url("**/agenda")  # a district president's home is their agenda
    page.goto(live_server + "/")
    page.wait_for_url("**/agenda")
    button = page.get_by_role("button", name="PDF डाउनलोड करें")
    assert button.is_visible()
    page.screenshot(path=str(artifacts_dir / "agenda-pdf-button-hi-phone.png"), full_page=True)
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "मेरा-एजेंडा-2025-09-20.pdf"
    path = Path(download.path())
    data = path.read_bytes()
    assert_pdf(data)
    assert "Noto-Sans-Devanagari-PDF" in embedded_fonts(data)
    drawn = drawn_glyphs(data)
    for word in ("संगठन", "सृजन", "अभियान", "प्रशिक्षण"):
        assert shaped_in(word, drawn), word
    (artifacts_dir / download.suggested_filename).write_bytes(data)
    context.close()


def test_office_downloads_the_day_sheet_pdf_at_desktop_size(world, clock, live_server, browser, artifacts_dir):
    meeting = publish_agenda_of_a1(world)
    make_user("office", "office_pdf_browser", locale="en")
    db.session.commit()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-IN", accept_downloads=True)
    page = context.new_page()
    _log_in(page, live_server, "office_pdf_browser", "Username", "Password")
    page.wait_for_load_state()
    page.goto(live_server + "/")  # from the home page, by clicking
    page.locator(".site-nav").get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name="Review meeting").first.click()
    page.get_by_role("link", name="Timetable", exact=True).first.click()
    page.get_by_role("link", name="Day sheet").first.click()
    page.wait_for_url(f"**/meetings/{meeting.id}/days/2025-09-22")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download PDF").click()
    download = info.value
    assert download.suggested_filename == "Day-sheet-2025-09-22.pdf"
    data = Path(download.path()).read_bytes()
    assert_pdf(data)
    assert "Noto-Sans-Devanagari-PDF" in embedded_fonts(data)
    assert quote("Day-sheet") in download.url or "format=pdf" in download.url
    context.close()
