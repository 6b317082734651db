"""Issue 14, the party's logo on the minutes, in a browser, in Hindi, at desktop size: the office opens the
meeting's minutes page, follows "Letterhead of the minutes", uploads the party's logo (the database then holds
it), sees its preview, starts and saves the minutes, and the minutes page shows the uploaded logo, loaded."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from tests.factories import DEFAULT_PASSWORD
from tests.journeys.district_world import read
from tests.journeys.helpers import check_page, journey_page, login
from tests.minutes.conftest import NOW
from tests.minutes.test_browser import hindi
from tracker.extensions import db
from tracker.minutes.models import MinutesSettings
from tracker.uploads.models import StoredFile

pytestmark = pytest.mark.browser


def logo_state():
    row = db.session.execute(sa.select(StoredFile.key, StoredFile.content_type, StoredFile.owner_kind,
                                       StoredFile.width, StoredFile.height)
                             .join(MinutesSettings, MinutesSettings.logo_file_id == StoredFile.id)).one_or_none()
    return None if row is None else tuple(row)


def loaded_width(locator) -> int:
    locator.wait_for()
    locator.evaluate("img => img.complete || new Promise(done => img.addEventListener('load', done))")
    return locator.evaluate("img => img.naturalWidth")


def test_the_office_uploads_the_party_logo_and_the_minutes_show_it(app, browser, serve_app, world, tmp_path):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 240), "white")
    ImageDraw.Draw(image).ellipse((20, 20, 220, 220), fill=(255, 153, 51))
    ImageDraw.Draw(image).rectangle((260, 20, 460, 220), fill=(19, 136, 8))
    logo_file = tmp_path / "party-logo.png"
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    logo_file.write_bytes(buffer.getvalue())

    served = serve_app(now=NOW)
    meeting_id = world.meeting.id
    db.session.commit()

    with journey_page(browser, "minutes-logo-failed", served=served, locale="hi") as page:
        login(page, "office1", DEFAULT_PASSWORD, served.url)
        page.goto(f"{served.url}/meetings/{meeting_id}")
        page.get_by_role("link", name=hindi("Minutes", "document"), exact=True).click()
        page.get_by_role("link", name=hindi("Letterhead of the minutes")).click()
        page.get_by_role("heading", name=hindi("Logo")).wait_for()
        assert "minutes-logo.svg" in page.locator(".minutes-logo-preview").get_attribute("src")
        check_page(page, "minutes-logo-01-settings")
        page.get_by_label(hindi("The party's logo (a PNG, JPEG or WebP image)")).set_input_files(str(logo_file))
        with page.expect_navigation():
            page.get_by_role("button", name=hindi("Upload the logo")).click()
        state = read(served, logo_state)
        assert state is not None
        key, content_type, owner_kind, width, height = state
        assert (content_type, owner_kind, width, height) == ("image/jpeg", "minutes_logo", 480, 240)
        page.get_by_text(hindi("The logo was saved.")).wait_for()
        preview = page.locator(".minutes-logo-preview")
        assert preview.get_attribute("src") == f"/public/minutes/logo/{key}"
        assert loaded_width(preview) == 480
        page.get_by_role("button", name=hindi("Remove the logo")).wait_for()
        check_page(page, "minutes-logo-02-uploaded")

        page.go_back()
        page.go_back()
        row = page.locator("tr", has_text="संगठन समीक्षा")
        with page.expect_navigation():
            row.get_by_role("button", name=hindi("Start the minutes")).click()
        with page.expect_navigation():
            page.get_by_role("button", name=hindi("Save the minutes")).click()
        logo = page.locator("img.minutes-logo")
        assert logo.get_attribute("src") == f"/public/minutes/logo/{key}"
        assert loaded_width(logo) == 480
        page.locator(".minutes-decisions").get_by_text("कुछ दर्ज नहीं किया गया।").wait_for()
        check_page(page, "minutes-logo-03-minutes")
