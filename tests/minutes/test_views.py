"""Minutes' pages: the office writes, approves and re-edits; readers see what the policy allows; no page, version,
diff, print page, public page, PDF or message holds the text of a confidential review note."""

from __future__ import annotations

import re

import sqlalchemy as sa

from tests.minutes.conftest import SECRET, SECRET_ITEM
from tests.querycount import count_queries
from tracker.extensions import db
from tracker.minutes.models import Minutes, MinutesStatus


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def _start(client, world, session=True):
    page = client.get(f"/minutes/meetings/{world.meeting.id}")
    assert page.status_code == 200
    response = client.post(f"/minutes/meetings/{world.meeting.id}/start", data={
        "csrf_token": _csrf(page.get_data(as_text=True)), "language": "hi",
        "session_id": str(world.session.id) if session else ""})
    assert response.status_code == 302
    return db.session.scalar(sa.select(Minutes).where(Minutes.scope_key == (
        f"s{world.session.id}" if session else f"m{world.meeting.id}")))


def _save(client, minutes, texts: dict):
    page = client.get(f"/minutes/{minutes.id}/edit")
    assert page.status_code == 200
    data = {"csrf_token": _csrf(page.get_data(as_text=True)), "language": "hi"}
    data.update({f"text-{key}": value for key, value in texts.items()})
    return client.post(f"/minutes/{minutes.id}/edit", data=data)


def _post(client, minutes, action: str):
    page = client.get(f"/minutes/{minutes.id}")
    return client.post(f"/minutes/{minutes.id}/{action}", data={"csrf_token": _csrf(page.get_data(as_text=True))})


def test_the_office_writes_approves_re_edits_and_sends(client, auth, world):
    auth.login("office1")
    meeting_page = client.get(f"/meetings/{world.meeting.id}").get_data(as_text=True)
    assert f"/minutes/meetings/{world.meeting.id}" in meeting_page
    minutes = _start(client, world)
    key = f"item-{world.items[0].id}"
    assert _save(client, minutes, {key: "बूथ समितियों पर चर्चा हुई।\n\n- हर ब्लॉक में समिति <script>x()</script>",
                                   "decisions": "1. सदस्यता अभियान 15 अक्टूबर तक"}).status_code == 302
    db.session.expire_all()
    assert minutes.texts[key].startswith("बूथ समितियों") and minutes.status == MinutesStatus.DRAFT
    page = client.get(f"/minutes/{minutes.id}").get_data(as_text=True)
    assert "<li>हर ब्लॉक में समिति" in page and "<script>x()" not in page and "x()" not in page
    assert "MPCC/2025/कार्यवृत्त/001" in page and "जीतू पटवारी" in page and "उमंग सिंघार" in page
    assert _post(client, minutes, "approve").status_code == 302
    db.session.expire_all()
    assert minutes.status == MinutesStatus.APPROVED and minutes.version == 1
    assert _save(client, minutes, {key: "बूथ समितियों पर चर्चा हुई।\n\n- हर ब्लॉक में समिति\n- नया बिंदु",
                                   "decisions": "1. सदस्यता अभियान 15 अक्टूबर तक"}).status_code == 302
    db.session.expire_all()
    assert minutes.version == 2
    diff = client.get(f"/minutes/{minutes.id}/diff").get_data(as_text=True)
    assert '<ins class="diff-line">नया बिंदु</ins>' in diff
    assert client.get(f"/minutes/{minutes.id}/versions/1").status_code == 200
    assert client.get(f"/minutes/{minutes.id}/print").status_code == 200
    shown = client.get(f"/minutes/{minutes.id}").get_data(as_text=True)
    assert "https://wa.me/?text=" in shown
    assert _post(client, minutes, "send").status_code == 302
    db.session.expire_all()
    assert minutes.sent_at is not None


def _approved(client, auth, world, session=True):
    auth.login("office1")
    minutes = _start(client, world, session)
    _save(client, minutes, {f"item-{world.items[0].id}": "चर्चा", "opening": "स्वागत"})
    _post(client, minutes, "approve")
    auth.logout()
    db.session.expire_all()
    return minutes


def test_an_invited_president_reads_approved_minutes_from_the_home_page(client, auth, world):
    minutes = _approved(client, auth, world)
    auth.login("praveen")
    home = client.get("/home", follow_redirects=True).get_data(as_text=True)
    assert f"/minutes/{minutes.id}" in home
    page = client.get(f"/minutes/{minutes.id}")
    assert page.status_code == 200 and "चर्चा" in page.get_data(as_text=True)
    assert "wa.me" not in page.get_data(as_text=True)  # the office shares the public link, not a reader
    # a reader cannot write, approve or send
    assert client.get(f"/minutes/{minutes.id}/edit").status_code == 403
    assert client.post(f"/minutes/{minutes.id}/send").status_code in (400, 403)
    assert client.get(f"/minutes/meetings/{world.meeting.id}").status_code == 403
    assert client.get("/minutes/settings").status_code == 403


def test_denials(client, auth, world):
    auth.login("office1")
    draft = _start(client, world, session=False)
    auth.logout()
    minutes = _approved(client, auth, world)
    auth.login("vidisha")  # not invited
    assert client.get(f"/minutes/{minutes.id}").status_code == 404
    assert client.get(f"/minutes/{minutes.id}/versions").status_code == 404
    assert client.get(f"/minutes/{minutes.id}/diff").status_code == 404
    assert client.get(f"/minutes/{minutes.id}/print").status_code == 404
    assert f"/minutes/{minutes.id}" not in client.get("/minutes/").get_data(as_text=True)
    auth.logout()
    auth.login("praveen")  # invited, but a draft is not for readers
    assert client.get(f"/minutes/{draft.id}").status_code == 404
    assert client.post(f"/minutes/{draft.id}/approve").status_code in (400, 404)
    auth.logout()
    auth.login("jitu")  # the chair sees and approves the draft
    assert client.get(f"/minutes/{draft.id}").status_code == 200
    assert _post(client, draft, "approve").status_code == 302
    assert client.get(f"/minutes/{draft.id}/edit").status_code == 403
    auth.logout()
    assert client.get(f"/minutes/{minutes.id}").status_code in (302, 401)


def test_public_and_personal_links(app, client, auth, world):
    from tracker.minutes.messages import public_token
    from tracker.reminders import personal_links

    auth.login("office1")
    draft = _start(client, world, session=False)
    auth.logout()
    minutes = _approved(client, auth, world)
    with app.test_request_context("/"):
        token, bad = public_token(minutes), public_token(draft)
    assert client.get(f"/public/minutes/{token}").status_code == 200
    assert client.get(f"/public/minutes/{bad}").status_code == 404  # a draft is never public
    assert client.get(f"/public/minutes/{minutes.id}.forged").status_code == 404
    from datetime import UTC, datetime

    link = personal_links.issue(world.region.presidents[0], datetime(2025, 9, 23, tzinfo=UTC))
    outsider = personal_links.issue(world.region.presidents[4], datetime(2025, 9, 23, tzinfo=UTC))
    db.session.commit()
    with app.test_request_context("/"):
        own, other = personal_links.token_of(link), personal_links.token_of(outsider)
    assert client.get(f"/p/{own}/minutes/{minutes.id}").status_code == 200
    assert f"/p/{own}/minutes/{minutes.id}" in client.get(f"/p/{own}").get_data(as_text=True)
    assert client.get(f"/p/{other}/minutes/{minutes.id}").status_code == 404
    assert client.get(f"/p/{own}/minutes/{draft.id}").status_code == 404


def test_no_confidential_text_in_any_minutes_page_version_or_message(app, client, auth, world):
    from tracker.minutes.messages import public_token
    from tracker.reminders.models import OutboxMessage

    minutes = _approved(client, auth, world)
    whole = _approved(client, auth, world, session=False)
    auth.login("office1")
    _save(client, minutes, {f"item-{world.items[0].id}": "चर्चा\n- और", "opening": "स्वागत"})
    _post(client, minutes, "send")
    with app.test_request_context("/"):
        tokens = [public_token(minutes), public_token(whole)]
    pages = []
    for m in (minutes, whole):
        for path in ("", "/edit", "/print", "/versions", "/versions/1", "/diff"):
            response = client.get(f"/minutes/{m.id}{path}")
            if response.status_code == 200:
                pages.append(response.get_data(as_text=True))
    pages.append(client.get(f"/minutes/meetings/{world.meeting.id}").get_data(as_text=True))
    pages.append(client.get("/minutes/").get_data(as_text=True))
    pages += [client.get(f"/public/minutes/{t}").get_data(as_text=True) for t in tokens]
    assert len(pages) >= 12
    db.session.expire_all()
    snapshots = [repr(v.snapshot) for m in db.session.scalars(sa.select(Minutes)) for v in m.versions]
    bodies = [m.body + m.subject for m in db.session.scalars(sa.select(OutboxMessage))]
    assert bodies
    for text in pages + snapshots + bodies:
        for secret in (SECRET, SECRET_ITEM, "गुप्त-टिप्पणी-XQ7", "ZK42", "QW93"):
            assert secret not in text
    # the standalone action item is there
    assert any("Form booth committees in every block" in page for page in pages)
    # nor in the PDFs (pdftotext finds the phrase's Latin part if it leaked), in Hindi and in English
    from tests.pdf_check import assert_pdf, pdftotext

    texts = []
    for locale in ("hi", "en"):
        client.post("/locale", data={"locale": locale})
        urls = [f"/minutes/{m.id}/print?format=pdf" for m in (minutes, whole)]
        urls += [f"/public/minutes/{t}?format=pdf" for t in tokens]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200 and response.mimetype == "application/pdf", url
            assert_pdf(response.data)
            texts.append(pdftotext(response.data))
    assert all("Form booth committees in every block" in text for text in texts)
    for text in texts:
        for secret in ("confidential-phrase-ZK42", "ZK42", "XQ7", SECRET_ITEM, "QW93"):
            assert secret not in text


def test_the_minutes_page_takes_as_many_queries_whatever_the_size(app, client, auth, world):
    from tests.factories import make_invitation, make_person
    from tests.minutes.conftest import mark

    minutes = _approved(client, auth, world, session=False)
    auth.login("praveen")
    client.get(f"/minutes/{minutes.id}")
    with count_queries() as small:
        assert client.get(f"/minutes/{minutes.id}").status_code == 200
    for n in range(10):
        person = make_person(f"More {n}", f"और {n}", commit=False)
        db.session.flush()
        make_invitation(world.session, person, "invitee", unit=world.region.districts[n % 4], commit=False)
        db.session.flush()
        mark(world.session, person, "present")
    db.session.commit()
    with count_queries() as big:
        page = client.get(f"/minutes/{minutes.id}")
    assert page.status_code == 200 and "और 9" in page.get_data(as_text=True)
    assert big.count == small.count
