"""The outbox pages: access, filters, retry, cancel, pause, the "could not notify" list, Hindi."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tests.factories import make_person, make_post, make_unit, make_user
from tests.i18n_support import english_leaks
from tests.querycount import count_queries
from tracker.extensions import db
from tracker.meetings import signals
from tracker.reminders import operations as ops
from tracker.reminders.models import MessageKind, MessageState, NotifyProblem, OutboxMessage, OutboxSettings

PAGES = ("/outbox/", "/outbox/problems")


def _publish(world):
    signals.meeting_published.send(world.meeting)
    db.session.commit()


def _message(kind=MessageKind.INVITATION) -> OutboxMessage:
    return db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == kind)
                              .order_by(OutboxMessage.id)).first()


def test_anonymous_is_sent_to_the_login(client, world, clock):
    _publish(world)
    message = _message()
    for url in (*PAGES, f"/outbox/{message.id}", f"/outbox/meetings/{world.meeting.id}/reminders"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post("/outbox/pause", data={"paused": "1"}).status_code == 302
    assert db.session.get(OutboxSettings, 1) is None


def test_only_office_and_admin_see_the_outbox(client, auth, world, clock):
    _publish(world)
    message = _message()
    district = make_unit("district")
    president = make_person("President")
    make_post(president, district)
    make_user("president", "pres", person=president)
    for role in ("coordinator", "incharge"):
        make_user(role, role)
    for username in ("pres", "coordinator", "incharge"):
        auth.login(username)
        for url in (*PAGES, f"/outbox/{message.id}"):
            assert client.get(url).status_code == 403, (username, url)
        assert client.post(f"/outbox/{message.id}/cancel").status_code == 403
        assert client.post("/outbox/pause", data={"paused": "1"}).status_code == 403
        assert "/outbox/" not in client.get("/home").get_data(as_text=True)
        auth.logout()
    assert db.session.get(OutboxMessage, message.id).state == MessageState.PENDING

    for role in ("office", "admin"):
        make_user(role, f"the_{role}", locale="en")
        auth.login(f"the_{role}")
        for url in (*PAGES, f"/outbox/{message.id}"):
            assert client.get(url).status_code == 200, (role, url)
        auth.logout()


def test_outbox_lists_filters_and_pages(client, auth, app, monkeypatch, world, clock):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 4)
    _publish(world)
    make_user("office", "office", locale="en")
    auth.login("office")
    html = client.get("/outbox/").get_data(as_text=True)
    assert "Page 1 of 3" in html and "9 items in total" in html
    html = client.get("/outbox/?kind=invitation").get_data(as_text=True)
    assert html.count("/outbox/") >= 3 and "reminder" not in html.split("<tbody>")[1].lower()
    html = client.get("/outbox/?state=sent").get_data(as_text=True)
    assert "<tbody>" not in html
    html = client.get("/outbox/?q=praveen").get_data(as_text=True)
    assert html.split("<tbody>")[1].count("<tr>") == 3  # the invitation and two reminders
    html = client.get("/outbox/?day=2025-09-21").get_data(as_text=True)
    assert html.split("<tbody>")[1].count("<tr>") == 3  # the reminders the day before
    assert client.get("/outbox/?page=2").status_code == 200


def test_outbox_query_count_does_not_grow_with_the_data(client, auth, world, clock):
    _publish(world)
    make_user("office", "office", locale="en")
    auth.login("office")
    client.get("/outbox/")
    with count_queries() as small:
        client.get("/outbox/")
    for n in range(15):
        person = make_person(f"More {n}", email=f"more{n}@example.org", preferred_channel="email", commit=False)
        ops.enqueue(key=f"test:{n}", kind=MessageKind.DIGEST, person=person, now=clock.now(),
                    render=lambda: ops.messages.Rendered("subject", "body"))
    db.session.commit()
    with count_queries() as large:
        client.get("/outbox/")
    assert large.count == small.count


def test_office_retries_cancels_and_pauses(client, auth, world, clock):
    _publish(world)
    message = _message()
    make_user("office", "office", locale="en")
    auth.login("office")

    response = client.post(f"/outbox/{message.id}/cancel")
    assert response.status_code == 302
    assert db.session.get(OutboxMessage, message.id).state == MessageState.CANCELLED
    client.post(f"/outbox/{message.id}/retry")
    assert db.session.get(OutboxMessage, message.id).state == MessageState.PENDING
    response = client.post(f"/outbox/{message.id}/retry")  # not failed: refused with a message
    assert response.status_code == 302
    assert db.session.get(OutboxMessage, message.id).state == MessageState.PENDING

    client.post("/outbox/pause", data={"paused": "1"})
    assert ops.sending_paused()
    assert "Resume sending" in client.get("/outbox/").get_data(as_text=True)
    client.post("/outbox/pause", data={"paused": "0"})
    assert not ops.sending_paused()


def test_could_not_notify_list(client, auth, world, clock):
    _publish(world)
    make_user("office", "office", locale="en")
    auth.login("office")
    html = client.get("/outbox/problems").get_data(as_text=True)
    assert "Nobody Reachable" in html and "No mobile number" in html
    first = db.session.scalars(sa.select(NotifyProblem).order_by(NotifyProblem.id)).first()
    client.post(f"/outbox/problems/{first.id}/resolve")
    assert db.session.get(NotifyProblem, first.id).resolved_at is not None


def test_reminder_times_page_replaces_pending_reminders(client, auth, world, clock):
    _publish(world)
    make_user("office", "office", locale="en")
    auth.login("office")
    assert client.get(f"/outbox/meetings/{world.meeting.id}/reminders").status_code == 200
    response = client.post(f"/outbox/meetings/{world.meeting.id}/reminders",
                           data={"day_before_hours": 48, "same_day_minutes": 60})
    assert response.status_code == 302
    pending = db.session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.kind == MessageKind.REMINDER_2H, OutboxMessage.state == MessageState.PENDING)).all()
    assert {m.send_after for m in pending} == {world.session.starts_at - timedelta(hours=1)}


def test_outbox_pages_have_no_english_in_hindi(client, auth, world, clock):
    from tracker.directory.models import Channel

    world.english.preferred_channel = Channel.NONE  # an English subject is content, not a leak
    world.english.name_en = "Someone"
    _publish(world)
    message = _message()
    user = make_user("office", "office")
    user.locale = "hi"
    db.session.commit()
    auth.login("office")
    for url in (*PAGES, f"/outbox/{message.id}", f"/outbox/meetings/{world.meeting.id}/reminders",
                "/outbox/?state=pending&kind=invitation"):
        response = client.get(url)
        assert response.status_code == 200
        main = response.get_data(as_text=True).split("<main", 1)[1].split("</main>", 1)[0]
        assert english_leaks(main) == [], url  # this domain's content (the navigation is tested elsewhere)


def test_outbox_search_takes_wildcards_literally(client, auth, world, clock):
    from tracker.reminders import queries

    _publish(world)
    everything = db.session.scalars(queries.outbox_select(queries.OutboxFilter())).all()
    assert everything
    for typed in ("%", "_"):
        assert db.session.scalars(queries.outbox_select(queries.OutboxFilter(q=typed))).all() == []


def test_the_reminder_times_message_says_one_reminder_in_the_singular(client, auth, world, clock):
    _publish(world)
    reminders = db.session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.kind.in_((MessageKind.REMINDER_24H, MessageKind.REMINDER_2H)),
        OutboxMessage.state == MessageState.PENDING).order_by(OutboxMessage.id)).all()
    for message in reminders[1:]:
        ops.cancel(message)
    db.session.commit()
    make_user("office", "office", locale="en")
    auth.login("office")
    client.post(f"/outbox/meetings/{world.meeting.id}/reminders", data={"day_before_hours": 48, "same_day_minutes": 60})
    with client.session_transaction() as state:
        assert state["_flashes"][-1] == ("success", "Reminder times saved. 1 waiting reminder was replaced.")


def test_a_messages_last_error_reads_in_the_readers_language_with_the_detail_beside_it(client, auth, world, clock):
    """Errors are stored as codes (and the channel's own words); the page explains them in the reader's
    language (issue 15: "too late to be useful" showed in English on a Hindi page)."""
    from tracker.reminders import errors

    _publish(world)
    stale, refused, legacy = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()[:3]
    stale.send_before = clock.now()
    db.session.commit()
    assert ops.skip_stale(clock.now()) == 1
    refused.state = MessageState.FAILED
    refused.last_error = errors.stored(errors.REFUSED, "550 5.1.1 mailbox unavailable")
    legacy.state = MessageState.SKIPPED
    legacy.last_error = "too late to be useful"  # written before the codes
    db.session.commit()
    db.session.refresh(stale)
    assert stale.state == MessageState.SKIPPED and stale.last_error == errors.TOO_LATE

    hindi, english = make_user("office", "office", locale="hi"), make_user("office", "clerk", locale="en")
    expected = {
        hindi: {stale: "देर हो चुकी थी, अब भेजने का कोई लाभ नहीं था, इसलिए नहीं भेजा गया।",
                legacy: "देर हो चुकी थी, अब भेजने का कोई लाभ नहीं था, इसलिए नहीं भेजा गया।",
                refused: "माध्यम ने संदेश अस्वीकार कर दिया।"},
        english: {stale: "Too late to be useful, so it was not sent.",
                  legacy: "Too late to be useful, so it was not sent.",
                  refused: "The channel refused the message."},
    }
    for user, texts in expected.items():
        auth.login(user.username)
        for message, text in texts.items():
            page = client.get(f"/outbox/{message.id}").get_data(as_text=True)
            assert text in page, (user.locale, message.last_error)
            assert "too late to be useful" not in page
        page = client.get(f"/outbox/{refused.id}").get_data(as_text=True)
        detail = page.split("<details>", 1)[1].split("</details>", 1)[0]
        assert '<code lang="en" dir="ltr">550 5.1.1 mailbox unavailable</code>' in detail
        auth.logout()
