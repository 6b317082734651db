"""Acceptance 2: editing a signed-off note keeps the old version, shows the diff, records who changed it."""

from __future__ import annotations

import sqlalchemy as sa

from tests.reviews.conftest import content
from tracker.extensions import db
from tracker.reviews import operations as ops
from tracker.reviews.models import NoteStatus, ReviewNote, ReviewNoteVersion


def _form(world, **overrides) -> dict:
    yes_no, number, text = world.checklist
    data = {
        f"check-{yes_no.id}": "yes", f"check-{number.id}": "1200", f"check-{text.id}": "किराये का कार्यालय",
        "challenges": "गुटबाज़ी", "strategy": "बूथ समितियाँ अक्टूबर तक", "decisions": "साप्ताहिक कॉल",
        "readiness": "3", "private_remark": "",
    }
    data.update(overrides)
    return data


def test_draft_autosave_then_sign_off_then_versioned_edit(client, auth, world):
    auth.login("u_reviewer")
    response = client.post(f"/reviews/sessions/{world.session.id}/note")
    assert response.status_code == 302
    note = db.session.scalar(sa.select(ReviewNote))
    assert note.reviewer_person_ids() == {world.people["reviewer"].id}
    assert note.president_person_id == world.people["president"].id

    saved = client.post(f"/reviews/notes/{note.id}/autosave", data=_form(world, strategy="पहला मसौदा"))
    assert saved.status_code == 200 and saved.headers["X-Autosave-Base"]
    db.session.expire_all()
    assert note.strategy == "पहला मसौदा" and note.status == NoteStatus.DRAFT and note.version == 0

    client.post(f"/reviews/notes/{note.id}/sign-off", data=_form(world))
    db.session.expire_all()
    assert note.status == NoteStatus.SIGNED_OFF and note.version == 1
    assert client.post(f"/reviews/notes/{note.id}/autosave", data=_form(world)).status_code == 409

    client.post(f"/reviews/notes/{note.id}/edit", data=_form(world, strategy="बूथ समितियाँ नवंबर तक"))
    db.session.expire_all()
    versions = db.session.scalars(sa.select(ReviewNoteVersion).order_by(ReviewNoteVersion.number)).all()
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].snapshot["strategy"] == "बूथ समितियाँ अक्टूबर तक"  # the old version is kept
    assert versions[1].snapshot["strategy"] == "बूथ समितियाँ नवंबर तक"
    assert versions[1].created_by_user_id == world.users["reviewer"].id
    assert versions[1].created_by_label == "Sanjay Dutt"

    diff = client.get(f"/reviews/notes/{note.id}/diff?from=1&to=2").get_data(as_text=True)
    assert "<del class=\"diff-line\">बूथ समितियाँ अक्टूबर तक</del>" in diff
    assert "<ins class=\"diff-line\">बूथ समितियाँ नवंबर तक</ins>" in diff
    assert "Sanjay Dutt" in diff

    # Saving without a change makes no new version.
    client.post(f"/reviews/notes/{note.id}/edit", data=_form(world, strategy="बूथ समितियाँ नवंबर तक"))
    assert db.session.scalar(sa.select(sa.func.count(ReviewNoteVersion.id))) == 2


def test_another_reviewer_edit_is_recorded_as_theirs(world):
    """Versions record who changed the note, also when an admin corrects it."""
    reviewer, admin = world.users["reviewer"], world.users["admin"]
    note = ops.start_note_for_session(world.session, reviewer)
    ops.sign_off(note, reviewer, content(world))
    assert ops.revise(note, admin, content(world, readiness=4)) is True
    db.session.commit()
    assert [(v.number, v.created_by_user_id) for v in note.versions] == [(1, reviewer.id), (2, admin.id)]
    assert note.versions[0].snapshot["readiness"] == 3 and note.versions[1].snapshot["readiness"] == 4


def test_snapshot_keeps_checklist_labels_after_rename(world):
    reviewer = world.users["reviewer"]
    note = ops.start_note_for_session(world.session, reviewer)
    ops.sign_off(note, reviewer, content(world))
    item = world.checklist[0]
    ops.update_checklist_item(item, "नया नाम", "New name", item.kind, False)
    db.session.commit()
    assert note.versions[0].snapshot["answers"][0]["label_en"] == "Block committees formed"


def test_bad_checklist_answer_is_refused(client, auth, world):
    auth.login("u_reviewer")
    client.post(f"/reviews/sessions/{world.session.id}/note")
    note = db.session.scalar(sa.select(ReviewNote))
    number = world.checklist[1]
    response = client.post(f"/reviews/notes/{note.id}/autosave", data=_form(world, **{f"check-{number.id}": "many"}))
    assert response.status_code == 422
