"""The circulars' operations and rules: who may send where, who may see what, what completes a circular,
the overdue counts the red flags read, and query counts that do not grow with the districts."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.circulars.conftest import TODAY
from tests.factories import make_person, make_post, make_unit, make_user
from tests.querycount import count_queries
from tracker import policy
from tracker.circulars import operations as ops
from tracker.circulars import queries
from tracker.circulars.models import AnswerKind, CircularRecipient, RecipientScope
from tracker.extensions import db
from tracker.reminders.models import MessageKind, OutboxMessage
from tracker.timeutil import now_utc


def _draft(world, kind=AnswerKind.ACKNOWLEDGE, scope=RecipientScope.DIVISION, division=0, districts=(), due=None):
    return ops.Draft(title="Booth committees", body="Form them.", answer_kind=kind, due_on=due or TODAY + timedelta(7),
                     scope=scope, division_id=world.region.divisions[division].id if scope == RecipientScope.DIVISION
                     else None, district_ids=tuple(world.district(code).id for code in districts))


def _send(world, user=None, **kw):
    circular = ops.send_circular(user or world.office, _draft(world, **kw), now_utc(), TODAY)
    db.session.commit()
    return circular


def _row(circular, code, world) -> CircularRecipient:
    return next(r for r in circular.recipients if r.district_unit_id == world.district(code).id)


def test_sending_makes_a_row_per_district_and_queues_a_message_per_president(world):
    circular = _send(world, scope=RecipientScope.ALL)
    assert len(circular.recipients) == 6
    messages = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == MessageKind.CIRCULAR)).all()
    assert sorted(m.recipient_person_id for m in messages) == sorted(p.id for p in world.region.presidents)
    assert all(m.template == "circular" and m.locale == "hi" for m in messages)
    assert _row(circular, "vidisha", world).president_person_id is None


def test_what_completes_a_circular_depends_on_the_answer_it_expects(world):
    ack = _send(world)
    number = _send(world, kind=AnswerKind.NUMBER)
    report = _send(world, kind=AnswerKind.PROGRAMME_REPORT)
    now = now_utc()
    ops.acknowledge(_row(ack, "raisen", world), now, None)
    ops.acknowledge(_row(number, "raisen", world), now, None)
    ops.acknowledge(_row(report, "raisen", world), now, None, note="Held in Raisen on 30 November")
    assert _row(ack, "raisen", world).is_done and not _row(number, "raisen", world).is_done
    assert _row(report, "raisen", world).answer_text == "Held in Raisen on 30 November"
    with pytest.raises(ops.CircularError):
        ops.answer(_row(number, "raisen", world), now, None, text="many")
    with pytest.raises(ops.CircularError):
        ops.answer(_row(ack, "raisen", world), now, None, number=3)
    ops.answer(_row(number, "raisen", world), now, None, number=12)
    assert _row(number, "raisen", world).is_done and _row(number, "raisen", world).answer_number == 12


def test_remind_sends_only_to_those_who_have_not_done_it_and_records_it(world):
    circular = _send(world, kind=AnswerKind.ACKNOWLEDGE)
    ops.acknowledge(_row(circular, "bhopal_city", world), now_utc(), None)
    assert ops.remind_pending(circular, now_utc(), TODAY) == 3  # Raisen, Rajgarh, Sehore (Vidisha: vacant)
    db.session.commit()
    reminded = db.session.scalars(sa.select(OutboxMessage.recipient_person_id)
                                  .where(OutboxMessage.kind == MessageKind.CIRCULAR_REMINDER)).all()
    assert world.region.presidents[0].id not in reminded and len(reminded) == 3
    assert _row(circular, "bhopal_city", world).remind_count == 0
    assert _row(circular, "vidisha", world).remind_count == 0
    assert _row(circular, "raisen", world).remind_count == 1 and _row(circular, "raisen", world).reminded_at


def test_remind_skips_those_who_acknowledged_a_circular_that_wants_a_number(world):
    circular = _send(world, kind=AnswerKind.NUMBER)
    ops.acknowledge(_row(circular, "bhopal_city", world), now_utc(), None)  # acknowledged, not answered yet
    ops.mark_read(_row(circular, "raisen", world), now_utc())  # read only: still reminded
    ops.answer(_row(circular, "rajgarh", world), now_utc(), None, number=4)
    assert not _row(circular, "bhopal_city", world).is_done
    assert [r.district.code for r in queries.silent_recipients(circular)] == ["raisen", "sehore", "vidisha"]
    assert ops.remind_pending(circular, now_utc(), TODAY) == 2  # Raisen, Sehore (Vidisha: vacant)
    db.session.commit()
    reminded = set(db.session.scalars(sa.select(OutboxMessage.recipient_person_id)
                                      .where(OutboxMessage.kind == MessageKind.CIRCULAR_REMINDER)))
    presidents = {p.mobile: p.id for p in world.region.presidents}
    assert reminded == {presidents["+919800000002"], presidents["+919800000004"]}
    assert {code: _row(circular, code, world).remind_count for code in ("bhopal_city", "raisen", "rajgarh", "sehore")} \
        == {"bhopal_city": 0, "raisen": 1, "rajgarh": 0, "sehore": 1}


def test_an_incharge_sends_only_within_their_divisions(world):
    sanjay = world.incharge
    circular = _send(world, sanjay)  # the Bhopal division
    assert len(circular.recipients) == 5
    with pytest.raises(ops.CircularError):
        ops.send_circular(sanjay, _draft(world, division=1), now_utc(), TODAY)  # Indore
    with pytest.raises(ops.CircularError):
        ops.send_circular(sanjay, _draft(world, scope=RecipientScope.DISTRICTS, districts=("raisen", "indore_city")),
                          now_utc(), TODAY)
    everywhere = _send(world, sanjay, scope=RecipientScope.ALL)  # all: all of theirs, not Indore
    assert len(everywhere.recipients) == 5
    assert policy.can(sanjay, "circular.status", circular) and not policy.can(world.office, "circulars.mine")
    other = make_user("incharge", "other_incharge", person=make_person("Other"))
    assert not policy.can(other, "circular.status", circular)
    assert not policy.can(world.president_logins[0], "circular.send")


def test_the_due_date_cannot_be_past(world):
    with pytest.raises(ops.CircularError):
        ops.send_circular(world.office, _draft(world, due=TODAY - timedelta(1)), now_utc(), TODAY)


def test_overdue_circulars_by_district_counts_unanswered_circulars_past_due(world):
    first = _send(world, due=TODAY)
    _send(world, kind=AnswerKind.NUMBER, due=TODAY + timedelta(2))
    ops.acknowledge(_row(first, "raisen", world), now_utc(), None)
    db.session.commit()
    ids = [d.id for d in world.region.districts]
    assert queries.overdue_circulars_by_district(ids, TODAY) == {}
    later = TODAY + timedelta(3)
    counts = queries.overdue_circulars_by_district(ids, later)
    assert counts == {world.district(c).id: n for c, n in (("bhopal_city", 2), ("raisen", 1), ("rajgarh", 2),
                                                           ("sehore", 2), ("vidisha", 2))}
    assert queries.overdue_circulars_by_district([], later) == {}


def test_another_districts_president_cannot_open_a_circular_not_sent_there(client, auth, world):
    circular = _send(world)
    auth.login("pres4")  # Indore City's president
    assert client.get(f"/circulars/{circular.id}").status_code == 404
    assert client.post(f"/circulars/{circular.id}", data={"ack-submit": "1"}).status_code == 404
    assert client.get(f"/circulars/{circular.id}/status").status_code == 404
    assert client.post(f"/circulars/{circular.id}/remind").status_code == 404
    assert client.get("/circulars/").status_code == 403
    assert client.get("/circulars/new").status_code == 403
    auth.logout()
    auth.login("pres0")  # Bhopal City's: sees it, not its table
    assert client.get(f"/circulars/{circular.id}").status_code == 200
    assert _row(circular, "bhopal_city", world).read_at is not None  # opening it marked it read
    assert client.get(f"/circulars/{circular.id}/status").status_code == 404
    assert client.get(f"/circulars/{circular.id}/answers.csv").status_code == 404
    assert client.post(f"/circulars/{circular.id}/remind").status_code == 404
    home = client.get("/home", follow_redirects=True).get_data(as_text=True)
    assert "Booth committees" in home
    assert client.post(f"/circulars/{circular.id}", data={"ack-submit": "1"}).status_code == 302
    assert _row(circular, "bhopal_city", world).is_done
    assert "Booth committees" not in client.get("/home", follow_redirects=True).get_data(as_text=True)


def test_an_incharge_cannot_send_outside_their_divisions_through_the_form(client, auth, world):
    auth.login("sanjay")
    form = {"title": "T", "body": "B", "answer_kind": "acknowledge", "due_on": "2026-12-10", "scope": "division",
            "division": str(world.region.divisions[1].id), "confirmed": "yes"}
    response = client.post("/circulars/new", data=form)
    assert response.status_code == 200  # the form again, with the refusal
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CircularRecipient)) == 0


def _bigger_division(world, n: int):
    division = world.region.divisions[1]
    for _ in range(n):
        district = make_unit("district", parent=division, commit=False)
        make_post(make_person(commit=False), district, commit=False)
    db.session.commit()


def test_the_status_table_list_and_home_take_the_same_queries_whatever_the_districts(client, auth, world):
    def counts():
        circular = _send(world, scope=RecipientScope.ALL, kind=AnswerKind.NUMBER)
        for row in circular.recipients[:2]:
            ops.answer(row, now_utc(), None, number=5)
        db.session.commit()
        auth.login("karyalay")
        out = []
        for url in (f"/circulars/{circular.id}/status", "/circulars/", f"/circulars/{circular.id}/answers.csv"):
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            out.append(counter.count)
        auth.logout()
        auth.login("pres0")
        with count_queries() as counter:
            assert client.get("/home", follow_redirects=True).status_code == 200
        out.append(counter.count)
        auth.logout()
        return out

    small = counts()
    _bigger_division(world, 30)
    assert counts() == small


def test_a_personal_link_opens_only_the_circulars_of_its_district(client, world):
    from tracker.reminders import personal_links

    circular = _send(world)
    indore = world.region.presidents[-1]
    token = personal_links.token_of(personal_links.issue(indore, now_utc()))
    db.session.commit()
    for circular_id in (circular.id, 999999):
        assert client.get(f"/p/{token}/circulars/{circular_id}").status_code == 404
        assert client.post(f"/p/{token}/circulars/{circular_id}", data={"ack-submit": "1"}).status_code == 404
    assert "Booth committees" not in client.get(f"/p/{token}").get_data(as_text=True)
    assert all(row.read_at is None and row.acknowledged_at is None for row in circular.recipients)
    assert client.get(f"/p/not-a-token/circulars/{circular.id}").status_code == 404


def test_a_president_who_prefers_email_gets_the_longer_text_with_the_link(world):
    from tracker.directory.models import Channel

    president = world.region.presidents[1]  # Raisen
    president.email, president.preferred_channel = "raisen@example.org", Channel.EMAIL
    db.session.commit()
    circular = _send(world, kind=AnswerKind.NUMBER)
    message = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipient_person_id == president.id))
    assert message.address == "raisen@example.org" and message.template == ""
    assert circular.body in message.body and "/p/[[personal-link:" in message.body
    assert "8 दिसंबर 2026" in message.body  # due a week after 1 December
    assert message.subject == f"निर्देश: {circular.title}"


def test_the_status_page_counts_every_district_and_shows_them_a_page_at_a_time(world):
    circular = _send(world, kind=AnswerKind.NUMBER)  # the five districts of the Bhopal division
    ops.answer(_row(circular, "raisen", world), now_utc(), None, number=12)
    ops.acknowledge(_row(circular, "rajgarh", world), now_utc(), None)
    ops.mark_read(_row(circular, "sehore", world), now_utc())
    db.session.commit()
    first = queries.status_page(circular, TODAY, 1, per_page=2)
    second = queries.status_page(circular, TODAY, 3, per_page=2)
    assert first.total == 5 and first.page.pages == 3 and len(first.rows) == 2 and len(second.rows) == 1
    assert {state.value: n for state, n in first.counts.items()} == {
        "not_read": 2, "read": 1, "acknowledged": 1, "answered": 1}
    assert first.done == 1 and first.waiting == 4 and first.overdue == 0
    assert queries.status_page(circular, TODAY + timedelta(days=30), 1).overdue == 4
    everyone = queries.status_table(circular, TODAY)
    assert {s: everyone.counts[s] for s in everyone.counts} == first.counts
