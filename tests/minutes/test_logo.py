"""Issue 14: the party's logo on the minutes' letterhead (a setting). The office uploads a PNG, JPEG or WebP
image on /minutes/settings (checked and re-encoded by tracker/uploads; SVG and anything that is not such an
image refused, nothing stored), sees it, and removes it (back to the default). Every form of the document
shows it: the page, the print page, the public and personal links' pages (served by its key without sign-in)
and the PDF (an image XObject, from a data: URL). Only the office may change it. And "Decisions" with no text
says so instead of an empty heading."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from tests.factories import make_user
from tests.minutes.test_pdf import _locale
from tests.minutes.test_views import _approved, _csrf, _save, _start
from tests.querycount import count_queries
from tests.uploads.samples import jpeg, noisy_png
from tracker.extensions import db
from tracker.minutes import operations as ops
from tracker.minutes.models import MinutesSettings
from tracker.uploads.checks import UploadRefused
from tracker.uploads.models import StoredFile
from tracker.uploads.stores import current_store

SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       b'<script>alert(1)</script><rect width="10" height="10"/></svg>')
DEFAULT_LOGO = "/static/img/minutes-logo.svg"


def png(width: int = 800, height: int = 400, color=(31, 78, 140, 255)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", (width, height), color).save(out, "PNG")
    return out.getvalue()


def _upload(client, data: bytes, name: str = "logo.png"):
    page = client.get("/minutes/settings")
    assert page.status_code == 200
    return client.post("/minutes/settings/logo", data={
        "csrf_token": _csrf(page.get_data(as_text=True)), "logo": (io.BytesIO(data), name)},
        content_type="multipart/form-data")


def _settings() -> MinutesSettings | None:
    db.session.expire_all()
    return db.session.get(MinutesSettings, 1)


def _logo_files() -> list[StoredFile]:
    return list(db.session.scalars(sa.select(StoredFile).where(StoredFile.owner_kind == "minutes_logo")))


def _logo_src(html: str) -> str:
    return re.search(r'<img class="minutes-logo[^"]*" src="([^"]+)"', html).group(1)


def test_the_office_uploads_sees_and_removes_the_logo(app, client, auth, world):
    auth.login("office1")
    page = client.get("/minutes/settings").get_data(as_text=True)
    assert DEFAULT_LOGO in page and "minutes.remove_logo" not in page and "/minutes/settings/logo/remove" not in page
    response = _upload(client, png())
    assert response.status_code == 302 and response.headers["Location"].endswith("/minutes/settings")
    settings = _settings()
    logo = settings.logo
    assert logo is not None and logo.owner_kind == "minutes_logo" and logo.owner_id == 1
    assert logo.content_type == "image/jpeg" and max(logo.width, logo.height) == 600  # re-encoded, shrunk
    assert logo.original_name == "logo.png" and logo.uploaded_by_id == world.office.id
    assert current_store().get(logo.key)[:3] == b"\xff\xd8\xff"
    page = client.get("/minutes/settings").get_data(as_text=True)
    assert f"/public/minutes/logo/{logo.key}" in page and "/minutes/settings/logo/remove" in page
    assert "data-confirm=" in page.split("/minutes/settings/logo/remove", 1)[1].split(">", 1)[0]

    # a second upload replaces the first: its record and its bytes go
    first_key = logo.key
    assert _upload(client, jpeg(300, 300), "second.jpg").status_code == 302
    settings = _settings()
    assert settings.logo.key != first_key and [f.key for f in _logo_files()] == [settings.logo.key]
    assert first_key not in current_store().keys()
    assert client.get(f"/public/minutes/logo/{first_key}").status_code == 404

    # removed: back to the default logo, nothing left
    page = client.get("/minutes/settings").get_data(as_text=True)
    response = client.post("/minutes/settings/logo/remove", data={"csrf_token": _csrf(page)})
    assert response.status_code == 302
    assert _settings().logo_file_id is None and _logo_files() == []
    assert DEFAULT_LOGO in client.get("/minutes/settings").get_data(as_text=True)


def test_svg_fake_and_oversized_images_are_refused_and_nothing_is_stored(app, client, auth, world, monkeypatch):
    auth.login("office1")
    before = set(current_store().keys())
    not_a_logo = "लोगो PNG, JPEG या WebP चित्र होना चाहिए।"
    refusals = {
        "svg": (SVG, "logo.svg", not_a_logo),
        "svg as png": (SVG, "logo.png", not_a_logo),
        "pdf": (b"%PDF-1.4 not an image", "logo.jpg", not_a_logo),
        "gif": (b"GIF89a" + b"\x00" * 40, "logo.gif", not_a_logo),
        "fake png": (b"\x89PNG\r\n\x1a\n" + b"not really a png" * 10, "fake.png", "यह फ़ोटो पढ़ी नहीं जा सकती।"),
        "empty": (b"", "empty.png", "फ़ाइल खाली है।"),
    }
    for name, (data, filename, reason) in refusals.items():
        response = _upload(client, data, filename)
        assert response.status_code == 302 and response.headers["Location"].endswith("/minutes/settings"), name
        assert reason in client.get("/minutes/settings").get_data(as_text=True), name
        assert _logo_files() == [] and (_settings() is None or _settings().logo_file_id is None), name
    # over the size limit (the operation itself: a test client's large body is a temporary file it leaves open)
    monkeypatch.setitem(app.config, "UPLOADS_MAX_IMAGE_MB", 1)
    big = noisy_png(1200, 1200)
    assert len(big) > 1024 * 1024
    with pytest.raises(UploadRefused):
        ops.set_logo(world.office, datetime(2025, 9, 23, tzinfo=UTC), big, "big.png")
    db.session.rollback()
    assert _logo_files() == []
    assert set(current_store().keys()) == before


def test_only_the_office_may_change_the_logo(app, client, auth, world):
    make_user("coordinator", "coord1")
    db.session.commit()
    auth.login("office1")
    assert _upload(client, png()).status_code == 302
    key = _settings().logo.key
    page = client.get("/minutes/settings").get_data(as_text=True)
    token = _csrf(page)
    auth.logout()
    for username in ("coord1", "praveen", "jitu"):
        auth.login(username)
        home = client.get("/home", follow_redirects=True).get_data(as_text=True)
        token = _csrf(home) if 'name="csrf_token"' in home else token
        assert client.get("/minutes/settings").status_code == 403, username
        response = client.post("/minutes/settings/logo", data={"csrf_token": token, "logo": (io.BytesIO(png()), "x.png")},
                               content_type="multipart/form-data")
        assert response.status_code == 403, username
        assert client.post("/minutes/settings/logo/remove", data={"csrf_token": token}).status_code == 403, username
        assert _settings().logo.key == key and len(_logo_files()) == 1, username
        auth.logout()


def test_every_form_of_the_document_shows_the_logo_and_the_pdf_holds_it(app, client, auth, world):
    from tracker.minutes.messages import public_token
    from tracker.reminders import personal_links

    minutes = _approved(client, auth, world)
    auth.login("office1")
    # before: the default logo; the PDF holds no raster image
    assert _logo_src(client.get(f"/minutes/{minutes.id}").get_data(as_text=True)).startswith(DEFAULT_LOGO)
    assert _images_in_pdf(client.get(f"/minutes/{minutes.id}/print?format=pdf").data) == []
    assert _upload(client, png(200, 100)).status_code == 302
    key = _settings().logo.key
    logo_url = f"/public/minutes/logo/{key}"
    for url in (f"/minutes/{minutes.id}", f"/minutes/{minutes.id}/print", f"/minutes/{minutes.id}/versions/1"):
        assert _logo_src(client.get(url).get_data(as_text=True)) == logo_url, url
    data = client.get(f"/minutes/{minutes.id}/print?format=pdf").data
    assert _images_in_pdf(data) == [(200, 100)]
    auth.logout()

    # anonymous readers: the public link, the personal link, and the logo itself
    with app.test_request_context("/"):
        public = f"/public/minutes/{public_token(minutes)}"
    assert _logo_src(client.get(public).get_data(as_text=True)) == logo_url
    assert _images_in_pdf(client.get(f"{public}?format=pdf").data) == [(200, 100)]
    link = personal_links.issue(world.region.presidents[0], datetime(2025, 9, 23, tzinfo=UTC))
    db.session.commit()
    page = client.get(f"/p/{personal_links.token_of(link)}/minutes/{minutes.id}")
    assert page.status_code == 200 and _logo_src(page.get_data(as_text=True)) == logo_url
    response = client.get(logo_url)
    assert response.status_code == 200 and response.mimetype == "image/jpeg" and response.data[:3] == b"\xff\xd8\xff"
    assert response.headers["X-Content-Type-Options"] == "nosniff" and "sandbox" in response.headers[
        "Content-Security-Policy"]
    assert client.get("/public/minutes/logo/" + "A" * 32).status_code == 404
    assert client.get("/public/minutes/logo/..%2f..%2fetc").status_code == 404
    # and through /files/ for anyone signed in (its owner kind is registered in the policy)
    auth.login("praveen")
    assert client.get(f"/files/{key}").status_code == 200


def test_the_minutes_page_with_a_logo_takes_as_many_queries_as_without(app, client, auth, world):
    minutes = _approved(client, auth, world)
    auth.login("office1")
    client.get(f"/minutes/{minutes.id}")
    with count_queries() as without:
        assert client.get(f"/minutes/{minutes.id}").status_code == 200
    assert _upload(client, png()).status_code == 302
    client.get(f"/minutes/{minutes.id}")
    with count_queries() as with_logo:
        page = client.get(f"/minutes/{minutes.id}")
    assert "/public/minutes/logo/" in page.get_data(as_text=True)
    # the default settings are not in the database before the upload: one read either way
    assert with_logo.count == without.count
    with count_queries() as logo:
        assert client.get(f"/public/minutes/logo/{_settings().logo.key}").status_code == 200
    assert logo.count <= 2


def test_decisions_with_no_text_say_nothing_was_recorded(client, auth, world):
    auth.login("office1")
    minutes = _start(client, world)
    _save(client, minutes, {"opening": "स्वागत"})
    page = client.get(f"/minutes/{minutes.id}").get_data(as_text=True)
    decisions = page.split('class="minutes-decisions"', 1)[1].split("</section>", 1)[0]
    assert "कुछ दर्ज नहीं किया गया।" in decisions
    _locale(client, "en")
    page = client.get(f"/minutes/{minutes.id}/print").get_data(as_text=True)
    assert "Nothing was recorded." in page.split('class="minutes-decisions"', 1)[1].split("</section>", 1)[0]
    # written: the text instead; the edit page keeps its textarea
    _save(client, minutes, {"decisions": "बूथ समितियाँ बनेंगी"})
    page = client.get(f"/minutes/{minutes.id}").get_data(as_text=True)
    decisions = page.split('class="minutes-decisions"', 1)[1].split("</section>", 1)[0]
    assert "बूथ समितियाँ बनेंगी" in decisions and "Nothing was recorded." not in decisions
    edit = client.get(f"/minutes/{minutes.id}/edit").get_data(as_text=True)
    assert 'name="text-decisions"' in edit and "Nothing was recorded." not in edit


def _images_in_pdf(data: bytes) -> list[tuple[int, int]]:
    """(width, height) of every raster image XObject of the PDF's pages (inside form XObjects too), each once."""
    from pypdf import PdfReader

    found = []
    seen = set()

    def walk(resources):
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        for ref in (xobjects.get_object().values() if xobjects else []):
            if getattr(ref, "idnum", None) in seen:
                continue
            seen.add(getattr(ref, "idnum", None))
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Image":
                found.append((int(xobject["/Width"]), int(xobject["/Height"])))
            elif xobject.get("/Subtype") == "/Form":
                walk(xobject.get("/Resources"))

    for page in PdfReader(io.BytesIO(data)).pages:
        walk(page.get("/Resources"))
    return found
