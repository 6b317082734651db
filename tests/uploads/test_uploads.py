"""Acceptance 4 of issue 19: every upload is checked on the server by its content; a refused file is
refused with a message and leaves nothing behind, in the local store and in the S3-compatible store alike."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from tests.factories import make_user
from tests.uploads import samples
from tracker.extensions import db
from tracker.uploads import operations as ops
from tracker.uploads.checks import mp4_duration, sniff, webm_duration
from tracker.uploads.models import StoredFile


def _nothing_stored(store) -> None:
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0
    assert store.keys() == []


REFUSED = {
    "text named .jpg": (lambda: b"hello, this is not a photo at all\n" * 10, "photo.jpg", "not a photo"),
    "pdf named .png": (lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n" + b"0" * 300, "photo.png", "not a photo"),
    "zip bomb named .jpg": (samples.zip_bomb, "bomb.jpg", "not a photo"),
    "huge-pixel png": (samples.huge_pixel_png, "big.png", "too many pixels"),
    "10-minute mp4": (lambda: samples.mp4(600), "rally.mp4", "longer than"),
    "10-minute mp4 (64-bit mvhd)": (lambda: samples.mp4(600, version=1), "rally.mp4", "longer than"),
    "10-minute webm": (lambda: samples.webm(600), "rally.webm", "longer than"),
    "mp4 with no length": (lambda: samples.mp4(10)[:40], "cut.mp4", "cannot be read"),
    "broken jpeg": (lambda: samples.jpeg(200, 100)[:300], "cut.jpg", "cannot be read"),
    "empty": (lambda: b"", "empty.jpg", "empty"),
}


@pytest.mark.parametrize("case", list(REFUSED), ids=list(REFUSED))
def test_a_refused_file_is_refused_with_a_message_and_nothing_is_stored(store, case):
    make, name, message = REFUSED[case]
    with pytest.raises(ops.UploadRefused, match=message):
        ops.store_upload(make(), name)
    _nothing_stored(store)


def test_an_oversized_photo_is_refused_and_nothing_is_stored(store, app, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOADS_MAX_IMAGE_MB", 1)
    data = samples.noisy_png(800, 800)
    assert len(data) > 1024 * 1024
    with pytest.raises(ops.UploadRefused, match="larger than 1 MB"):
        ops.store_upload(data, "big.png")
    _nothing_stored(store)


def test_an_oversized_video_is_refused_and_nothing_is_stored(store, app, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOADS_MAX_VIDEO_MB", 1)
    with pytest.raises(ops.UploadRefused, match="larger than 1 MB"):
        ops.store_upload(samples.mp4(20, padding=2 * 1024 * 1024), "long.mp4")
    _nothing_stored(store)


def test_the_refusal_is_in_hindi_for_a_hindi_reader(store):
    from flask_babel import force_locale

    with force_locale("hi"), pytest.raises(ops.UploadRefused) as refused:
        ops.store_upload(b"not a photo" * 20, "x.jpg")
    assert any("\u0900" <= ch <= "\u097f" for ch in str(refused.value)), str(refused.value)


def test_a_photo_is_shrunk_re_encoded_and_stripped_of_metadata_but_keeps_its_time(store):
    from PIL import Image

    stored = ops.store_upload(samples.jpeg(4000, 3000), "IMG_0001.jpg")
    db.session.commit()
    data = store.get(stored.key)
    assert store.keys() == [stored.key]
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and max(image.size) == 1600 and image.size == (1600, 1200)
    assert (stored.width, stored.height, stored.content_type, stored.kind) == (1600, 1200, "image/jpeg", "image")
    assert len(image.getexif()) == 0 and "exif" not in image.info
    assert b"PhoneMaker" not in data and b"CameraApp" not in data
    # 10:15 in Bhopal is 04:45 UTC
    assert stored.taken_at == datetime(2026, 11, 30, 4, 45, tzinfo=UTC)
    assert stored.size == len(data) and len(stored.key) >= 32


def test_a_png_with_transparency_becomes_a_jpeg(store):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", (300, 200), (0, 0, 0, 0)).save(out, "PNG")
    stored = ops.store_upload(out.getvalue(), "logo.png")
    assert stored.content_type == "image/jpeg" and (stored.width, stored.height) == (300, 200)
    assert stored.taken_at is None


def test_a_short_video_is_kept_as_sent_with_its_length(store):
    data = samples.mp4(42.5)
    stored = ops.store_upload(data, "clip.mp4")
    assert (stored.kind, stored.content_type, stored.duration_seconds) == ("video", "video/mp4", 42.5)
    assert store.get(stored.key) == data
    webm = ops.store_upload(samples.webm(30), "clip.webm")
    assert (webm.content_type, webm.duration_seconds) == ("video/webm", 30.0)


def test_the_type_is_read_from_the_content_never_the_name():
    assert sniff(samples.jpeg(10, 10)[:16]) == ("image", "image/jpeg")
    assert sniff(samples.mp4(1)[:16]) == ("video", "video/mp4")
    assert sniff(samples.zip_bomb()[:16]) is None
    assert mp4_duration(samples.mp4(600)) == 600
    assert webm_duration(samples.webm(61)) == 61


def test_a_file_is_served_only_by_its_key_to_whom_the_policy_allows(store, client, auth):
    owner = make_user("president", "uploader")
    make_user("president", "someone_else")
    stored = ops.store_upload(samples.jpeg(400, 300), "a.jpg", owner)
    db.session.commit()
    key = stored.key

    auth.login("someone_else")
    assert client.get(f"/files/{key}").status_code == 404
    assert client.get(f"/files/{stored.id}").status_code == 404
    auth.logout()
    assert client.get(f"/files/{key}").status_code in (302, 401)

    auth.login("uploader")
    response = client.get(f"/files/{key}")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data[:3] == b"\xff\xd8\xff"
    assert client.get("/files/../../secret_key").status_code == 404
