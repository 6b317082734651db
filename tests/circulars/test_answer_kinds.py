"""Circulars that expect a programme report or a file: the president answers with a report of their district
(chosen from their reports, or written first) or with a photo/video uploaded and checked like every upload
(tracker/uploads); the sender's table links the answer; the file is served through /files/<key> to the
circular's senders and the district's president only. Refusals store nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.circulars.conftest import TODAY
from tests.factories import DEFAULT_PASSWORD
from tests.uploads import samples
from tracker.circulars import operations as ops
from tracker.circulars.models import ANSWER_OWNER_KIND, AnswerKind, CircularRecipient, RecipientScope
from tracker.extensions import db
from tracker.reports import operations as report_ops
from tracker.reports import queries as report_queries
from tracker.timeutil import now_utc
from tracker.uploads.models import StoredFile


@pytest.fixture
def uploads_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOADS_DIR", str(tmp_path / "uploads"))
    monkeypatch.setitem(app.config, "UPLOADS_S3_BUCKET", "")
    return tmp_path / "uploads"


def _send(world, kind):
    draft = ops.Draft(title="Booth committees", body="Send it.", answer_kind=kind, due_on=TODAY + timedelta(7),
                      scope=RecipientScope.DIVISION, division_id=world.region.divisions[0].id)
    circular = ops.send_circular(world.office, draft, now_utc(), TODAY)
    db.session.commit()
    return circular


def _row(circular, code) -> CircularRecipient:
    db.session.expire_all()
    return db.session.scalars(sa.select(CircularRecipient).where(CircularRecipient.circular_id == circular.id)
                              .join(CircularRecipient.district).where(sa.text(f"units.code = '{code}'"))).one()


def _report(world, code: str, place: str):
    report_ops.add_standard_kinds()
    kind = report_queries.kinds()[0]
    data = report_ops.ReportData(kind.id, TODAY, place, 50, "", "", [])
    report = report_ops.submit_report(world.office, world.district(code), data, [], None)
    db.session.commit()
    return report


def test_a_circular_expecting_a_programme_report_is_answered_with_one_of_the_district(client, auth, world):
    circular = _send(world, AnswerKind.PROGRAMME_REPORT)
    own = _report(world, "bhopal_city", "Lal Parade")
    theirs = _report(world, "raisen", "Raisen mandi")
    auth.login("pres0", DEFAULT_PASSWORD)  # Bhopal City's president
    html = client.get(f"/circulars/{circular.id}").get_data(as_text=True)
    assert f'<option value="{own.id}"' in html and f'value="{theirs.id}"' not in html
    assert 'href="/reports/new"' in html  # or write the report first

    # Acknowledging with a note does not complete it: the report does.
    assert client.post(f"/circulars/{circular.id}", data={"ack-note": "Held on Sunday", "ack-submit": "1"}).status_code == 302
    row = _row(circular, "bhopal_city")
    assert row.acknowledged_at and row.answered_at is None and row.completed_at is None

    # Another district's report is refused (a typed id), and nothing is stored.
    assert client.post(f"/circulars/{circular.id}", data={"answer-report_id": str(theirs.id),
                                                         "answer-submit": "1"}).status_code == 200
    assert _row(circular, "bhopal_city").answer_report_id is None
    with pytest.raises(ops.CircularError):
        ops.answer_with_report(_row(circular, "bhopal_city"), now_utc(), None, theirs.id)
    db.session.rollback()

    assert client.post(f"/circulars/{circular.id}", data={"answer-report_id": str(own.id),
                                                         "answer-submit": "1"}).status_code == 302
    row = _row(circular, "bhopal_city")
    assert row.answer_report_id == own.id and row.answered_at and row.completed_at and row.is_done
    auth.logout()

    auth.login("karyalay", DEFAULT_PASSWORD)
    status = client.get(f"/circulars/{circular.id}/status").get_data(as_text=True)
    assert f'href="/reports/{own.id}" data-answer-report="{own.id}"' in status
    assert client.get(f"/reports/{own.id}").status_code == 200


def test_a_circular_expecting_a_file_is_answered_with_a_checked_upload(client, auth, world, uploads_dir):
    import io

    circular = _send(world, AnswerKind.FILE)
    auth.login("pres1", DEFAULT_PASSWORD)  # Raisen's president
    html = client.get(f"/circulars/{circular.id}").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and 'name="answer-file"' in html

    # A zip bomb named .jpg, and nothing at all, are refused with a message; nothing is stored.
    refused = client.post(f"/circulars/{circular.id}", data={
        "answer-file": (io.BytesIO(samples.zip_bomb()), "photo.jpg"), "answer-submit": "1"},
        content_type="multipart/form-data")
    assert refused.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0
    assert _row(circular, "raisen").answered_at is None
    empty = client.post(f"/circulars/{circular.id}", data={"answer-submit": "1"}, content_type="multipart/form-data")
    assert empty.status_code == 200 and _row(circular, "raisen").answered_at is None

    sent = client.post(f"/circulars/{circular.id}", data={
        "answer-file": (io.BytesIO(samples.jpeg(3000, 2000)), "booth-list.jpg"), "answer-submit": "1"},
        content_type="multipart/form-data")
    assert sent.status_code == 302
    row = _row(circular, "raisen")
    assert row.completed_at and row.answer_text == "booth-list.jpg"
    stored = db.session.scalars(sa.select(StoredFile)).one()
    assert (stored.owner_kind, stored.owner_id) == (ANSWER_OWNER_KIND, row.id)
    assert stored.width <= 2000 and stored.height <= 2000  # re-encoded like every photo
    assert client.get(f"/files/{stored.key}").status_code == 200  # the district's president
    auth.logout()

    auth.login("karyalay", DEFAULT_PASSWORD)  # the sender's side
    status = client.get(f"/circulars/{circular.id}/status").get_data(as_text=True)
    assert f'data-answer-file="{stored.key}"' in status
    served = client.get(f"/files/{stored.key}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    auth.logout()
    for other in ("pres0", "pres4"):  # another district of the division, a district of another division
        auth.login(other, DEFAULT_PASSWORD)
        assert client.get(f"/files/{stored.key}").status_code == 404
        if other == "pres4":  # not sent to Indore: the circular itself is unknown there
            assert client.get(f"/circulars/{circular.id}").status_code == 404
        auth.logout()
    assert client.get(f"/files/{stored.key}").status_code in (302, 401, 404)  # not signed in


def test_the_wrong_kind_of_answer_is_refused(world, uploads_dir):
    number = _send(world, AnswerKind.NUMBER)
    row = _row(number, "raisen")
    with pytest.raises(ops.CircularError):
        ops.answer_with_file(row, now_utc(), None, samples.jpeg(), "x.jpg")
    with pytest.raises(ops.CircularError):
        ops.answer_with_report(row, now_utc(), None, 1)


def _token(user) -> dict:
    from tracker.api import operations as token_ops

    token = token_ops.create_token(user, "bot")[1]
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_the_api_answers_with_a_report_or_a_file_and_fetches_the_file(client, world, uploads_dir):
    import io

    report_circular = _send(world, AnswerKind.PROGRAMME_REPORT)
    file_circular = _send(world, AnswerKind.FILE)
    own = _report(world, "raisen", "Raisen mandi")
    theirs = _report(world, "bhopal_city", "Lal Parade")
    raisen = _token(world.president_logins[1])

    # A report of another district is refused; one of the district answers.
    refused = client.post(f"/api/v1/me/circulars/{report_circular.id}/answer", json={"report_id": theirs.id},
                          headers=raisen)
    assert refused.status_code == 422 and _row(report_circular, "raisen").answer_report_id is None
    answered = client.post(f"/api/v1/me/circulars/{report_circular.id}/answer", json={"report_id": own.id},
                           headers=raisen)
    assert answered.status_code == 200 and answered.get_json()["state"] == "answered"
    assert _row(report_circular, "raisen").answer_report_id == own.id

    # A file: a zip bomb named .jpg is refused and nothing stored; a photo answers.
    bomb = client.post(f"/api/v1/me/circulars/{file_circular.id}/answer-file", headers=raisen,
                       data={"file": (io.BytesIO(samples.zip_bomb()), "list.jpg")}, content_type="multipart/form-data")
    assert bomb.status_code == 422 and db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0
    sent = client.post(f"/api/v1/me/circulars/{file_circular.id}/answer-file", headers=raisen,
                       data={"file": (io.BytesIO(samples.jpeg(1600, 1200)), "list.jpg")},
                       content_type="multipart/form-data")
    assert sent.status_code == 200 and sent.get_json()["answer_text"] == "list.jpg"
    stored = db.session.scalars(sa.select(StoredFile)).one()
    assert (stored.owner_kind, stored.owner_id) == (ANSWER_OWNER_KIND, _row(file_circular, "raisen").id)

    # The file through the API: the sender's office and the district's president, nobody else.
    assert client.get(f"/api/v1/files/{stored.key}", headers=raisen).status_code == 200
    assert client.get(f"/api/v1/files/{stored.key}", headers=_token(world.office)).status_code == 200
    assert client.get(f"/api/v1/files/{stored.key}", headers=_token(world.president_logins[0])).status_code == 404
    # Another district's president cannot answer Raisen's circular row (their own is another row).
    other = client.post(f"/api/v1/me/circulars/{file_circular.id}/answer-file", headers=_token(world.president_logins[4]),
                        data={"file": (io.BytesIO(samples.jpeg(800, 600)), "x.jpg")}, content_type="multipart/form-data")
    assert other.status_code == 404  # not sent to Indore
