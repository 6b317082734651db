"""Issue 14, acceptance 2, in a browser, in Hindi: the office (desktop) opens the meeting, starts the session's
minutes, writes them, approves them and re-edits them (version 2, its changes shown); the database is read after
each submit, and downloads the minutes' PDF from their page. A district president on a phone opens the approved
minutes from their home page and downloads their PDF. No page visited
holds any text of the confidential review note."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, pgettext
from flask_babel import gettext as _

from tests.factories import DEFAULT_PASSWORD
from tests.journeys.district_world import read
from tests.journeys.helpers import check_page, journey_page, login
from tests.minutes.conftest import NOW, SECRET, SECRET_ITEM
from tests.pdf_check import assert_pdf, drawn_glyphs, pdftotext, shaped_in
from tracker.extensions import db
from tracker.minutes.models import Minutes

pytestmark = pytest.mark.browser

SECRETS = (SECRET, SECRET_ITEM, "गुप्त-टिप्पणी-XQ7", "ZK42", "QW93")


def hindi(text: str, context: str | None = None) -> str:
    with force_locale("hi"):
        return pgettext(context, text) if context else _(text)


def minutes_state(session_id: int):
    row = db.session.execute(sa.select(Minutes.status, Minutes.version, Minutes.texts)
                             .where(Minutes.scope_key == f"s{session_id}")).one_or_none()
    return None if row is None else (row[0].value, row[1], dict(row[2]))


def no_secret(page) -> None:
    content = page.content()
    for secret in SECRETS:
        assert secret not in content


def download_pdf(page, filename: str, *words: str) -> None:
    """Click "Download PDF" on the minutes page: a download of a PDF named ``filename`` that draws ``words``."""
    with page.expect_download() as info:
        page.get_by_role("button", name=hindi("Download PDF")).click()
    download = info.value
    assert download.suggested_filename == filename
    data = Path(download.path()).read_bytes()
    assert_pdf(data)
    drawn = drawn_glyphs(data)
    for sentence in words:
        for word in sentence.rstrip("।").split():
            assert shaped_in(word, drawn), word
    for secret in ("ZK42", "QW93", "XQ7"):
        assert secret not in pdftotext(data)


def test_the_office_writes_approves_and_re_edits_minutes_and_a_president_reads_them(app, browser, serve_app,
                                                                                    world):
    served = serve_app(now=NOW)
    session_id, meeting_id = world.session.id, world.meeting.id
    item_key = f"item-{world.items[0].id}"
    db.session.commit()  # the test's reads end their transaction before the server writes

    with journey_page(browser, "minutes-office-failed", served=served, locale="hi") as page:
        login(page, "office1", DEFAULT_PASSWORD, served.url)
        page.goto(f"{served.url}/meetings/{meeting_id}")
        page.get_by_role("link", name=hindi("Minutes", "document"), exact=True).click()
        page.get_by_role("heading", level=1).wait_for()
        check_page(page, "minutes-01-meeting-list")
        no_secret(page)
        row = page.locator("tr", has_text="संगठन समीक्षा")
        with page.expect_navigation():
            row.get_by_role("button", name=hindi("Start the minutes")).click()
        assert read(served, lambda: minutes_state(session_id)) == ("draft", 0, {})
        page.locator("#text-opening").fill("प्रदेश अध्यक्ष ने बैठक आरंभ की।")
        page.locator(f"#text-{item_key}").fill("बूथ समितियों पर चर्चा हुई।\n\n- हर ब्लॉक में समिति बनेगी")
        page.locator("#text-decisions").fill("1. 15 अक्टूबर तक सभी समितियाँ")
        check_page(page, "minutes-02-edit")
        no_secret(page)
        with page.expect_navigation():
            page.get_by_role("button", name=hindi("Save the minutes")).click()
        status, version, texts = read(served, lambda: minutes_state(session_id))
        assert (status, version) == ("draft", 0)
        assert texts[item_key] == "बूथ समितियों पर चर्चा हुई।\n\n- हर ब्लॉक में समिति बनेगी"
        page.locator(".minutes-text li", has_text="हर ब्लॉक में समिति बनेगी").wait_for()
        check_page(page, "minutes-03-draft")
        no_secret(page)
        page.once("dialog", lambda dialog: dialog.accept())
        with page.expect_navigation():
            page.get_by_role("button", name=hindi("Approve the minutes")).click()
        assert read(served, lambda: minutes_state(session_id))[:2] == ("approved", 1)
        page.get_by_role("button", name=hindi("Share on WhatsApp")).wait_for()
        check_page(page, "minutes-04-approved")
        download_pdf(page, "कार्यवृत्त-MPCC-2025-001.pdf", "बूथ समितियों पर चर्चा हुई।")
        page.get_by_role("button", name=hindi("Edit the minutes")).click()
        page.locator(f"#text-{item_key}").fill(
            "बूथ समितियों पर चर्चा हुई।\n\n- हर ब्लॉक में समिति बनेगी\n- सदस्यता सूची हर सप्ताह भेजी जाएगी")
        with page.expect_navigation():
            page.get_by_role("button", name=hindi("Save the minutes")).click()
        status, version, texts = read(served, lambda: minutes_state(session_id))
        assert (status, version) == ("approved", 2) and "सदस्यता सूची" in texts[item_key]
        page.get_by_role("link", name=hindi("Changes in the latest version")).click()
        page.locator("ins.diff-line", has_text="सदस्यता सूची हर सप्ताह भेजी जाएगी").wait_for()
        check_page(page, "minutes-05-diff")
        no_secret(page)
        page.get_by_role("link", name=hindi("All versions")).click()
        page.get_by_role("link", name=hindi("Version %(n)s") % {"n": 1}, exact=True).click()
        check_page(page, "minutes-06-version-1")
        no_secret(page)

    with journey_page(browser, "minutes-president-failed", served=served, phone=True, locale="hi") as page:
        login(page, "praveen", DEFAULT_PASSWORD, served.url)
        panel = page.locator(".minutes-panel")
        panel.get_by_role("heading", name=hindi("Minutes of meetings")).wait_for()
        check_page(page, "minutes-07-president-home")
        panel.get_by_role("link", name="संगठन समीक्षा").click()
        page.get_by_role("heading", level=1).filter(has_text="संगठन समीक्षा").wait_for()
        page.get_by_text("सदस्यता सूची हर सप्ताह भेजी जाएगी").wait_for()
        assert page.get_by_text("MPCC/2025/कार्यवृत्त/001").count() >= 1
        check_page(page, "minutes-08-president-minutes")
        no_secret(page)
        download_pdf(page, "कार्यवृत्त-MPCC-2025-001.pdf", "सदस्यता सूची हर सप्ताह भेजी जाएगी")
