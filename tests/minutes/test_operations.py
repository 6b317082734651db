"""Minutes: the draft made from the data, the markup's sanitising, approval and versions, sending."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from tests.minutes.conftest import SECRET, SECRET_ITEM, add_invitees, mark
from tests.querycount import count_queries
from tracker.extensions import db
from tracker.minutes import markup, operations, queries
from tracker.minutes.models import Minutes, MinutesStatus

NOW = datetime(2025, 9, 23, 5, 0, tzinfo=UTC)


def _start(world, session=True, language="hi"):
    return operations.start(world.meeting, world.session if session else None, world.office, language)


def test_markup_makes_paragraphs_and_lists_and_drops_anything_unsafe():
    html = str(markup.to_html("पहला अनुच्छेद\nदूसरी पंक्ति\n\n- एक\n- **दो**\n\n1. first\n2. second\n"
                              "<script>alert(1)</script><b onclick='x()'>bold</b><a href='javascript:x'>a</a>"))
    assert html.startswith("<p>पहला अनुच्छेद<br>दूसरी पंक्ति</p><ul><li>एक</li><li><strong>दो</strong></li></ul>")
    assert "<ol><li>first</li><li>second</li></ol>" in html
    assert "script" not in html and "alert" not in html and "onclick" not in html and "href" not in html
    assert "<b>bold</b>" in html
    assert markup.to_lines("a\n\n- b\n- c") == ["a", "b", "c"]


def test_a_draft_is_numbered_and_made_from_the_data(app, world):
    minutes = _start(world)
    db.session.commit()
    assert minutes.reference == "MPCC/2025/कार्यवृत्त/001"
    assert minutes.chair_person_id == world.chair.id and minutes.status == MinutesStatus.DRAFT
    assert _start(world).id == minutes.id  # started once
    whole = _start(world, session=False)
    assert whole.reference == "MPCC/2025/कार्यवृत्त/002"
    with app.test_request_context("/"), force_locale("en"):
        doc = queries.document(minutes)
    (part,) = doc.parts
    assert [i.title_en for i in part.items] == ["Booth committees", "Membership drive"]
    assert part.chair.id == world.chair.id and [p.name_en for p in part.dais] == ["Umang Singhar"]
    assert doc.totals == {"invited": 4, "present": 1, "represented": 1, "excused": 1, "absent": 1}
    rows = {row.district: row for row in doc.attendance}
    assert [a.name for a in rows["Bhopal City"].present] == ["Praveen Saxena"]
    assert [(a.name, a.represented_by) for a in rows["Raisen"].represented] == [("Raisen President",
                                                                                   "Umang Singhar")]
    assert [a.name for a in rows["Rajgarh"].excused] == ["Priyavrat Singh"]
    assert [a.name for a in rows["Sehore"].absent] == ["Sehore President"]
    assert {row.division for row in doc.attendance} == {"Bhopal"}
    # Only the standalone action item: never the one of the confidential review note.
    assert [item.title for item in doc.action_items] == ["Form booth committees in every block"]
    assert SECRET_ITEM not in repr([item.title for item in doc.action_items])


def test_the_document_takes_as_many_queries_whatever_the_size(app, world):
    from tests.factories import make_person
    from tracker.reviews.models import ActionItem

    minutes = _start(world)
    db.session.commit()
    with app.test_request_context("/"):
        db.session.expire_all()
        with count_queries() as small:
            queries.document(db.session.get(Minutes, minutes.id))
    for n in range(12):
        person = make_person(f"Extra {n}", f"अतिरिक्त {n}", commit=False)
        db.session.flush()
        from tracker.meetings.models import Invitation
        db.session.add(Invitation(session=world.session, person=person, kind="invitee",
                                  unit=world.region.districts[n % 4]))
        db.session.flush()
        if n % 2:
            mark(world.session, person, "present")
        else:
            mark(world.session, person, "represented", represented_by=world.chair)
        db.session.add(ActionItem(title=f"Item {n}", owner=person, due_on=None,
                                  created_at=datetime(2025, 9, 22, 9, 0, tzinfo=UTC)))
    db.session.commit()
    with app.test_request_context("/"):
        db.session.expire_all()
        with count_queries() as big:
            doc = queries.document(db.session.get(Minutes, minutes.id))
    assert doc.totals["invited"] == 16
    assert big.count == small.count


def test_approval_versions_and_a_new_version_on_change(app, world):
    minutes = _start(world)
    key = f"item-{world.items[0].id}"
    assert operations.save(minutes, world.office, {key: "पहला पाठ", "opening": "स्वागत", "bogus": "x"}, "hi", NOW)
    assert minutes.texts == {key: "पहला पाठ", "opening": "स्वागत"} and minutes.version == 0
    assert operations.approve(minutes, world.office, NOW).number == 1
    assert minutes.status == MinutesStatus.APPROVED and minutes.versions[0].snapshot["texts"][key] == "पहला पाठ"
    with pytest.raises(operations.MinutesError):
        operations.approve(minutes, world.office, NOW)
    assert not operations.save(minutes, world.office, {key: "पहला पाठ", "opening": "स्वागत"}, "hi", NOW)
    with pytest.raises(operations.MinutesError):
        operations.save(minutes, world.office, {key: "पहला\x00पाठ"}, "hi", NOW)
    with pytest.raises(operations.MinutesError):
        operations.save(minutes, world.office, {key: "क" * (operations.MAX_TEXT + 1)}, "hi", NOW)
    with pytest.raises(operations.MinutesError):
        operations.save(minutes, world.office, {key: "x"}, "fr", NOW)
    assert operations.save(minutes, world.office, {key: "पहला पाठ\n- नया बिंदु", "opening": "स्वागत"}, "hi", NOW)
    db.session.commit()
    assert [v.number for v in minutes.versions] == [1, 2] and minutes.version == 2
    from tracker.minutes.diffs import diff_snapshots

    with app.test_request_context("/"), force_locale("en"):
        sections = diff_snapshots(minutes.versions[0].snapshot, minutes.versions[1].snapshot)
    changed = [s for s in sections if s.changed]
    assert [s.label for s in changed] == ["Booth committees"]
    assert [(line.tag, line.text) for line in changed[0].lines] == [("equal", "पहला पाठ"), ("insert", "नया बिंदु")]


def test_the_chair_may_approve_but_a_president_may_not(app, world):
    minutes = _start(world)
    with pytest.raises(operations.MinutesError):
        operations.approve(minutes, world.president, NOW)
    operations.approve(minutes, world.chair_login, NOW)
    assert minutes.is_approved


def test_sending_queues_a_message_to_each_invitee_and_the_national_office(app, world):
    from tracker.reminders.models import MessageKind, OutboxMessage

    minutes = _start(world)
    operations.save_settings(world.office, NOW, national_office_email="national@inc.example")
    with pytest.raises(operations.MinutesError):
        operations.send(minutes, NOW)
    operations.approve(minutes, world.office, NOW)
    with app.test_request_context("/"):
        queued = operations.send(minutes, NOW)
        again = operations.send(minutes, NOW)
    db.session.commit()
    messages = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == MessageKind.MINUTES)).all()
    # 4 invitees + chair + dais, and the national office
    assert queued == 7 and len(messages) == 7 and again == 7
    national = next(m for m in messages if m.recipient_person_id is None)
    assert national.address == "national@inc.example"
    assert "/public/minutes/" in national.body and minutes.reference in national.body
    to_president = next(m for m in messages if m.recipient_person_id == world.region.presidents[0].id)
    assert "[[personal-link:" in to_president.body
    for message in messages:
        assert SECRET not in message.body and SECRET_ITEM not in message.body


def test_an_attachment_rides_on_the_rendered_message(app, world):
    from tracker.minutes import messages

    minutes = _start(world)
    operations.approve(minutes, world.office, NOW)
    with app.test_request_context("/"):
        rendered = messages.minutes_message("hi", minutes, attachment=messages.Attachment("k.pdf", b"%PDF"))
    assert rendered.attachments[0].filename == "k.pdf" and minutes.reference in rendered.body


def test_session_minutes_need_a_group_session(app, world):
    from tests.factories import make_session

    one_to_one = make_session(world.meeting, kind="one_to_one", starts_at=datetime(2025, 9, 22, 10, tzinfo=UTC))
    add_invitees(one_to_one, world.region, 1)
    with pytest.raises(operations.MinutesError):
        operations.start(world.meeting, one_to_one, world.office, "hi")
