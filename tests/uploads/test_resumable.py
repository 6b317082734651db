"""Files sent in pieces (issue 19: a phone on 2G must not start over when the connection drops): resuming from
the server's offset, wrong offsets refused, another user kept out, limits, and a file refused by the checks
leaves nothing in the store — in the local store and the S3-compatible store alike."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.factories import make_user
from tests.uploads import samples
from tracker.extensions import db
from tracker.timeutil import now_utc
from tracker.uploads import operations as ops
from tracker.uploads.models import PartialUpload, StoredFile

PIECE = 16 * 1024  # the phone sends 64 KiB; the server takes any piece up to UPLOADS_PIECE_KB


@pytest.fixture
def partial_dir(app, tmp_path, monkeypatch):
    folder = tmp_path / "partial"
    monkeypatch.setitem(app.config, "UPLOADS_PARTIAL_DIR", str(folder))
    return folder


@pytest.fixture
def users(app):
    users = make_user("president", "u_sender"), make_user("president", "u_stranger")
    db.session.commit()
    return users


def _start(client, size, name="photo.jpg", key="k1"):
    return client.post("/files/uploads", json={"size": size, "name": name, "client_key": key})


def _piece(client, url, offset, data, resumed=False):
    headers = {"Upload-Offset": str(offset), "Content-Type": "application/octet-stream"}
    if resumed:
        headers["Upload-Resumed"] = "1"
    return client.patch(url, data=data, headers=headers)


def test_an_upload_broken_off_goes_on_from_the_servers_offset(client, auth, users, store, partial_dir):
    photo = samples.jpeg(2400, 1600)
    assert len(photo) > 3 * PIECE
    auth.login("u_sender")
    started = _start(client, len(photo))
    assert started.status_code == 201
    url, key = started.json["url"], started.json["key"]
    assert started.json["offset"] == 0
    for offset in (0, PIECE):  # two pieces arrive, then the network drops
        assert _piece(client, url, offset, photo[offset:offset + PIECE]).status_code == 200
    # The phone did not hear the answer to creating it: asking again gives the same upload.
    assert _start(client, len(photo)).json["key"] == key
    asked = client.get(url)
    assert asked.status_code == 200 and asked.json["offset"] == 2 * PIECE
    assert asked.headers["Upload-Offset"] == str(2 * PIECE)
    assert client.head(url).headers["Upload-Offset"] == str(2 * PIECE)
    assert store.keys() == []  # nothing in the store before the file is whole
    offset = 2 * PIECE
    resumed = True
    while offset < len(photo):
        answer = _piece(client, url, offset, photo[offset:offset + PIECE], resumed=resumed)
        assert answer.status_code == 200, answer.json
        offset, resumed = answer.json["offset"], False
    finished = client.post(url + "/finish")
    assert finished.status_code == 200, finished.json
    stored = db.session.scalar(sa.select(StoredFile).where(StoredFile.key == finished.json["file"]))
    assert (stored.width, stored.height, stored.uploaded_by_id, stored.original_name) == (1600, 1067, users[0].id,
                                                                                         "photo.jpg")
    assert store.keys() == [stored.key]
    partial = db.session.scalar(sa.select(PartialUpload))
    assert (partial.received, partial.resumed_from, partial.stored_file_id) == (len(photo), 2 * PIECE, stored.id)
    assert list(partial_dir.iterdir()) == []  # the pieces are gone once the file is stored
    # Finishing again (an answer lost) gives the same file, and stores nothing more.
    assert client.post(url + "/finish").json["file"] == stored.key
    assert store.keys() == [stored.key]


def test_a_piece_at_the_wrong_offset_is_refused_with_the_right_one(client, auth, users, store, partial_dir):
    photo = samples.jpeg(2400, 1600)
    auth.login("u_sender")
    url = _start(client, len(photo)).json["url"]
    assert _piece(client, url, 0, photo[:PIECE]).status_code == 200
    for wrong in (0, PIECE + 10, 3 * PIECE):
        refused = _piece(client, url, wrong, photo[wrong:wrong + PIECE])
        assert refused.status_code == 409
        assert refused.json["offset"] == PIECE and refused.headers["Upload-Offset"] == str(PIECE)
    assert _piece(client, url, "x", b"abc").status_code == 400
    too_far = _piece(client, url, PIECE, b"\x00" * (len(photo) - PIECE + 1))  # past the announced size
    assert too_far.status_code == 422
    early = client.post(url + "/finish")  # not all arrived
    assert early.status_code == 409 and early.json["offset"] == PIECE
    db.session.rollback()
    assert db.session.scalar(sa.select(PartialUpload.received)) == PIECE
    assert store.keys() == [] and db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0


def test_another_user_cannot_continue_ask_about_or_finish_an_upload(client, auth, users, store, partial_dir):
    photo = samples.jpeg(2400, 1600)
    auth.login("u_sender")
    url = _start(client, len(photo)).json["url"]
    assert _piece(client, url, 0, photo[:PIECE]).status_code == 200
    auth.logout()
    auth.login("u_stranger")
    assert client.get(url).status_code == 404
    assert _piece(client, url, PIECE, photo[PIECE:]).status_code == 404
    assert client.post(url + "/finish").status_code == 404
    auth.logout()
    assert client.get(url).status_code in (302, 401)  # signed out: to the sign-in page
    db.session.rollback()
    assert db.session.scalar(sa.select(PartialUpload.received)) == PIECE


def test_limits_size_open_uploads_and_stale_ones(client, auth, app, users, store, partial_dir, monkeypatch):
    auth.login("u_sender")
    limit = max(app.config["UPLOADS_MAX_IMAGE_MB"], app.config["UPLOADS_MAX_VIDEO_MB"]) * 1024 * 1024
    oversized = _start(client, limit + 1)
    assert oversized.status_code == 422 and oversized.json["error"]
    assert _start(client, 0).status_code == 422
    assert client.post("/files/uploads", json={"size": "12", "client_key": "x"}).status_code == 422
    monkeypatch.setitem(app.config, "UPLOADS_MAX_OPEN", 3)
    for n in range(3):
        assert _start(client, 1000, key=f"open{n}").status_code == 201
    too_many = _start(client, 1000, key="open3")
    assert too_many.status_code == 422 and too_many.json["error"]
    # A piece larger than a request may carry is refused before it is read.
    monkeypatch.setitem(app.config, "UPLOADS_PIECE_KB", 1)
    url = _start(client, 1000, key="open0").json["url"]
    assert _piece(client, url, 0, b"\x00" * 2048).status_code == 413
    # Two days later the untouched uploads are forgotten, their bytes too, when the next one starts.
    db.session.execute(sa.update(PartialUpload).values(updated_at=now_utc() - timedelta(hours=49)))
    db.session.commit()
    assert len(list(partial_dir.iterdir())) == 3
    assert _start(client, 1000, key="fresh").status_code == 201
    db.session.rollback()
    assert list(db.session.scalars(sa.select(PartialUpload.client_key))) == ["fresh"]
    assert len(list(partial_dir.iterdir())) == 1


@pytest.mark.parametrize("make", [samples.zip_bomb, lambda: samples.mp4(600), lambda: b"not a photo" * 20000],
                         ids=["zip bomb", "10-minute mp4", "text"])
def test_a_whole_file_refused_by_the_checks_stores_nothing(client, auth, users, store, partial_dir, make):
    data = make()
    auth.login("u_sender")
    url = _start(client, len(data), name="x.jpg").json["url"]
    offset = 0
    while offset < len(data):
        offset = _piece(client, url, offset, data[offset:offset + PIECE]).json["offset"]
    refused = client.post(url + "/finish")
    assert refused.status_code == 422 and refused.json["error"]
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PartialUpload)) == 0
    assert store.keys() == [] and list(partial_dir.iterdir()) == []


def test_pieces_need_the_csrf_token(client, auth, app, users, store, partial_dir, monkeypatch):
    auth.login("u_sender")
    url = _start(client, 1000).json["url"]
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert _start(client, 1000, key="other").status_code == 400
    assert _piece(client, url, 0, b"\x00" * 100).status_code == 400
    assert client.post(url + "/finish").status_code == 400


def test_a_report_takes_the_files_sent_in_pieces_of_its_writer_only(users, store, partial_dir, app):
    from tracker.uploads.checks import UploadRefused

    sender, stranger = users
    photo = ops.store_upload(samples.jpeg(800, 600), "a.jpg", sender)
    db.session.commit()
    assert ops.finished_files(sender, [photo.key]) == [photo]
    with pytest.raises(UploadRefused):
        ops.finished_files(stranger, [photo.key])
    ops.attach([photo], "programme_report", 1)
    with pytest.raises(UploadRefused):  # already given to a record
        ops.finished_files(sender, [photo.key])
