"""Issue 19, acceptance 1: at phone size in Hindi, a district president writes a programme report with three
photos while the network is cut; the network returns and the report arrives once, its photos made smaller on
the phone; the office marks it verified; another district's president cannot open it, nor its photos."""

from __future__ import annotations

import io
import re
import time

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from tests.factories import DEFAULT_PASSWORD
from tests.harness.network import cut_network, restore_network
from tests.journeys.helpers import check_page, journey_page, login
from tracker.extensions import db
from tracker.reports.models import ProgrammeReport, ReportStatus
from tracker.uploads.models import StoredFile

pytestmark = pytest.mark.browser


def hindi(text: str, **kwargs) -> str:
    with force_locale("hi"):
        return _(text, **kwargs)


def _png(width: int, height: int, colour) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def _reports() -> list[tuple]:
    """(id, participants, place, district id, status) of each report, read in a short transaction of its own
    (the test holds no lock while the served app writes)."""
    db.session.rollback()
    try:
        return [(r.id, r.participants, r.place, r.district_unit_id, r.status)
                for r in db.session.scalars(sa.select(ProgrammeReport))]
    finally:
        db.session.rollback()


def _files(report_id: int) -> list[tuple]:
    db.session.rollback()
    try:
        return [(f.key, f.original_name, f.width, f.height)
                for f in db.session.scalars(sa.select(StoredFile).where(StoredFile.owner_id == report_id))]
    finally:
        db.session.rollback()


def _wait_for(check, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.3)


def test_a_report_written_offline_arrives_once_with_small_photos(browser, serve_app, world, tmp_path):
    served = serve_app(env={"TRACKER_UPLOADS_DIR": str(tmp_path / "served-uploads")})
    photos = [{"name": f"photo{n}.png", "mimeType": "image/png", "buffer": _png(4000, 3000, (40 * n, 90, 160))}
              for n in range(1, 4)]

    with journey_page(browser, "reports-offline-president.png", served=served, phone=True) as page:
        login(page, "u_president", DEFAULT_PASSWORD, served.url)
        page.goto(served.url + "/home")
        check_page(page, "reports-01-president-home")
        page.locator("#report-a-programme").click()
        page.wait_for_url(re.compile(r"/reports/new$"))
        assert page.locator("h1").inner_text() == hindi("Report a programme")
        check_page(page, "reports-02-president-new-report")
        page.locator("select[name=kind_id]").select_option(str(world.kinds["rally"].id))
        page.locator("input[name=place]").fill("ब्यावरा बस स्टैंड")
        page.locator("input[name=unit_ids]").first.check()
        page.locator("input[name=participants]").fill("320")
        page.locator("textarea[name=account]").fill("महँगाई के विरोध में रैली।")
        page.locator("input[name=files]").set_input_files(photos)
        check_page(page, "reports-03-president-filled")

        cut_network(page.context)
        page.locator("#report-form [type=submit]").click()
        status = page.locator("#report-queue-status")
        status.filter(has_text=hindi(
            "No network: the report is kept on this phone and will be sent when the network returns.")).wait_for()
        assert _reports() == []
        check_page(page, "reports-04-president-queued-offline")

        restore_network(page.context)
        reports = _wait_for(_reports)
        status.filter(has_text=hindi("A report kept on this phone was sent.")).wait_for()
        page.reload()  # the page's next load sends what is still queued: nothing
        page.wait_for_timeout(1500)
        check_page(page, "reports-05-president-after-sending")

    reports = _reports()
    assert len(reports) == 1, "the report arrives once"
    report_id, participants, place, district_id, _status = reports[0]
    assert (participants, place, district_id) == (320, "ब्यावरा बस स्टैंड", world.district.id)
    files = _files(report_id)
    assert len(files) == 3
    # Shrunk on the phone: the browser sent JPEGs (the names it gave them) of 1600 px on the longer edge.
    assert sorted(name for _key, name, _w, _h in files) == ["photo1.jpg", "photo2.jpg", "photo3.jpg"]
    assert all((w, h) == (1600, 1200) for _key, _name, w, h in files)
    report_url = f"{served.url}/reports/{report_id}"

    with journey_page(browser, "reports-offline-office.png", served=served) as page:
        login(page, "u_office", DEFAULT_PASSWORD, served.url)
        page.goto(report_url)
        assert page.locator(".report-files img").count() == 3
        check_page(page, "reports-06-office-report")
        page.locator("#verify-report").click()
        page.wait_for_url(report_url)
        check_page(page, "reports-07-office-verified")
    assert _reports()[0][4] == ReportStatus.VERIFIED

    with journey_page(browser, "reports-offline-other.png", served=served, phone=True) as page:
        login(page, "u_other_president", DEFAULT_PASSWORD, served.url)
        assert page.goto(report_url).status == 404
        assert page.goto(f"{served.url}/files/{files[0][0]}").status == 404
        page.goto(served.url + "/reports/")
        assert page.locator(f"a[href='/reports/{report_id}']").count() == 0
        check_page(page, "reports-08-other-president-list")


def _answer_of(report_id: int) -> tuple:
    db.session.rollback()
    try:
        report = db.session.get(ProgrammeReport, report_id)
        return report.answer, report.status, report.answered_by_person_id
    finally:
        db.session.rollback()


def test_the_president_answers_the_question_asked_back_from_their_phone(browser, serve_app, world, tmp_path):
    """At phone size, in Hindi: the question asked on the district's report shows on the president's home page;
    they open the report from there and answer; the answer is stored and the report is "submitted" again."""
    from tracker.reports import operations as ops
    from tracker.timeutil import today_local

    data = ops.ReportData(world.kinds["rally"].id, today_local(), "ब्यावरा बस स्टैंड", 320, "महँगाई के विरोध में रैली।",
                          "", [world.blocks[0].id])
    report = ops.submit_report(world.users["president"], world.district, data, [], None)
    ops.ask_question(report, world.users["incharge"], "कितनी महिलाएँ आईं?")
    db.session.commit()
    report_id, president_id = report.id, world.users["president"].person_id
    db.session.rollback()  # the test holds no transaction while the served app writes
    served = serve_app(env={"TRACKER_UPLOADS_DIR": str(tmp_path / "served-uploads")})

    with journey_page(browser, "reports-question-president.png", served=served, phone=True) as page:
        login(page, "u_president", DEFAULT_PASSWORD, served.url)
        page.goto(served.url + "/home")
        question = page.locator(".programmes-box .flash-warning")
        assert "कितनी महिलाएँ आईं?" in question.inner_text()
        check_page(page, "reports-question-01-president-home")
        question.get_by_role("link", name=hindi("Open the report")).click()
        page.wait_for_url(re.compile(rf"/reports/{report_id}$"))
        check_page(page, "reports-question-02-president-report")
        page.get_by_label(hindi("Your answer to the question")).fill("140 महिलाएँ आईं।")
        page.get_by_role("button", name=hindi("Send the answer")).click()
        page.locator("#flashes").filter(has_text=hindi("Thank you: your answer was sent to the state office.")).wait_for()
        assert _answer_of(report_id) == ("140 महिलाएँ आईं।", ReportStatus.SUBMITTED, president_id)
        assert page.locator("#report-answer").inner_text() == "140 महिलाएँ आईं।"
        check_page(page, "reports-question-03-president-answered")

    with journey_page(browser, "reports-question-other.png", served=served, phone=True) as page:
        login(page, "u_other_president", DEFAULT_PASSWORD, served.url)
        assert page.goto(f"{served.url}/reports/{report_id}").status == 404


def _noisy_png(width: int, height: int) -> bytes:
    """A photo of noise: its JPEG stays large (many 64 KiB pieces) after the phone shrinks it."""
    import os

    from PIL import Image

    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(out, "PNG", compress_level=1)
    return out.getvalue()


def _partials() -> list[tuple]:
    """(file name, size, received, resumed from, stored file id) of each upload sent in pieces."""
    from tracker.uploads.models import PartialUpload

    db.session.rollback()
    try:
        return [(p.filename, p.size, p.received, p.resumed_from, p.stored_file_id)
                for p in db.session.scalars(sa.select(PartialUpload).order_by(PartialUpload.id))]
    finally:
        db.session.rollback()


def test_a_photo_cut_off_mid_upload_goes_on_from_where_it_stopped(browser, serve_app, world, tmp_path):
    """Issue 19: a cheap phone on 2G sends a report with five photos; the network drops in the middle of the first
    photo (after three of its 64 KiB pieces arrived). When it returns, the phone asks the server how much arrived
    and goes on from there: the report arrives once with its five photos, and the upload resumed from a non-zero
    offset (no piece before it was sent again)."""
    kind_id = world.kinds["worker_meeting"].id  # read before the server starts: the test then holds no transaction
    served = serve_app(env={"TRACKER_UPLOADS_DIR": str(tmp_path / "served-uploads"),
                            "TRACKER_UPLOADS_PARTIAL_DIR": str(tmp_path / "served-partial")})
    photos = [{"name": "photo1.png", "mimeType": "image/png", "buffer": _noisy_png(1200, 900)}]
    photos += [{"name": f"photo{n}.png", "mimeType": "image/png", "buffer": _png(2000, 1500, (40 * n, 90, 160))}
               for n in range(2, 6)]
    pieces: list[tuple[str, int]] = []  # (upload URL, offset) of every piece the phone sent

    def wait_for(check, timeout: float):
        """As _wait_for, but waiting in the page: the route handler below runs only while Playwright is called."""
        deadline = time.monotonic() + timeout
        while not (value := check()):
            assert time.monotonic() < deadline, "timed out"
            page.wait_for_timeout(300)
        return value

    cut = {"on": False}

    def watch(route):
        request = route.request
        if cut["on"]:
            route.abort("internetdisconnected")
            return
        if request.method == "PATCH":
            pieces.append((request.url, int(request.headers["upload-offset"])))
            if len(pieces) == 4:  # the fourth piece is lost on the way, and the network with it
                cut["on"] = True
                route.abort("internetdisconnected")
                return
        route.continue_()

    with journey_page(browser, "reports-resume-president.png", served=served, phone=True) as page:
        page.context.route("**/*", watch)
        login(page, "u_president", DEFAULT_PASSWORD, served.url)
        page.goto(served.url + "/home")
        page.locator("#report-a-programme").click()
        page.wait_for_url(re.compile(r"/reports/new$"))
        page.locator("select[name=kind_id]").select_option(str(kind_id))
        page.locator("input[name=place]").fill("नरसिंहगढ़ मंडी")
        page.locator("input[name=participants]").fill("85")
        page.locator("input[name=files]").set_input_files(photos)
        page.locator("#report-form [type=submit]").click()

        status = page.locator("#report-queue-status")
        wait_for(lambda: cut["on"], timeout=120)  # shrinking five photos takes a while on a slow machine
        status.filter(has_text=hindi(
            "No network: the report is kept on this phone and will be sent when the network returns.")).wait_for()
        after_cut = _partials()
        assert _reports() == []
        assert len(after_cut) == 1
        name, size, received, resumed_from, stored_id = after_cut[0]
        assert (name, received, resumed_from, stored_id) == ("photo1.jpg", 3 * 64 * 1024, 0, None)
        assert size > 6 * 64 * 1024  # the photo, shrunk on the phone, is still many pieces long
        check_page(page, "reports-resume-01-cut-mid-photo")
        sent_before_cut = len(pieces)

        cut["on"] = False  # the network returns; the phone tries again by itself
        wait_for(_reports, timeout=120)
        status.filter(has_text=hindi("A report kept on this phone was sent.")).wait_for()
        check_page(page, "reports-resume-02-sent")

    reports = _reports()
    assert len(reports) == 1, "the report arrives once"
    report_id, participants, place, _district, _status = reports[0]
    assert (participants, place) == (85, "नरसिंहगढ़ मंडी")
    files = _files(report_id)
    assert sorted(name for _key, name, _w, _h in files) == [f"photo{n}.jpg" for n in range(1, 6)]
    partials = _partials()
    assert len(partials) == 5 and all(p[2] == p[1] and p[4] is not None for p in partials)
    # The first photo went on from byte 196,608 (three pieces), not from zero: no piece before it was sent again.
    assert partials[0][3] == 3 * 64 * 1024
    first_url = pieces[0][0]
    after = [offset for url, offset in pieces[sent_before_cut:] if url == first_url]
    assert after and after[0] == 3 * 64 * 1024 and min(after) == 3 * 64 * 1024
    assert "resumed from byte 196608" in served.log_tail(2000)
