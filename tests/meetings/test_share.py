"""Share to WhatsApp (issue 12): the office's wa.me link on a published meeting and session, and the
public agenda page it points to (no sign-in, a signed token, nothing but what a group may see)."""

from __future__ import annotations

import re
from urllib.parse import unquote

from tests.factories import make_user
from tests.meetings.conftest import publish_agenda_of_a1
from tracker.auth.models import Role
from tracker.core.signing import signed_id
from tracker.extensions import db
from tracker.i18n import fmt_phone
from tracker.meetings import share


def _published(world):
    meeting = publish_agenda_of_a1(world)
    db.session.commit()
    return meeting, meeting.sessions[0]


def _shared_text(page: str) -> str:
    link = re.search(r'href="https://wa\.me/\?text=([^"]+)"', page)
    assert link is not None, "no share link"
    return unquote(link.group(1))


def test_the_office_shares_a_session_on_whatsapp_in_its_language(world, client, auth):
    meeting, session = _published(world)
    make_user("office", "desk", locale="hi")
    auth.login("desk")
    text = _shared_text(client.get(f"/meetings/sessions/{session.id}").get_data(as_text=True))
    public = f"/public/agenda/{share.public_token(meeting)}"
    assert public in text and text.rstrip().endswith(f"#session-{session.id}")  # the link is the last line
    assert "22 सितंबर 2025" in text and "11:00–13:00" in text and "State office" in text
    assert "स्वागत और परिचय" in text and "समीक्षा बैठक" in text
    meeting_text = _shared_text(client.get(f"/meetings/{meeting.id}").get_data(as_text=True))
    assert "22 सितंबर 2025" in meeting_text and public in meeting_text


def test_no_share_link_on_a_draft_nor_for_a_president(world, client, auth):
    from tests.meetings.conftest import new_meeting

    draft = new_meeting("Draft meeting")
    db.session.commit()
    make_user("office", "desk", locale="en")
    auth.login("desk")
    assert "wa.me" not in client.get(f"/meetings/{draft.id}").get_data(as_text=True)
    assert client.get(f"/public/agenda/{share.public_token(draft)}").status_code == 404
    meeting, session = _published(world)
    auth.logout()
    auth.login("praveen_b")
    assert "wa.me" not in client.get(f"/agenda/sessions/{session.id}").get_data(as_text=True)


def test_the_public_agenda_shows_what_a_group_may_see_and_nothing_more(world, client):
    meeting, session = _published(world)
    response = client.get(f"/public/agenda/{share.public_token(meeting)}")  # no sign-in
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "समीक्षा बैठक" in page and "स्वागत और परिचय" in page and "State office" in page
    assert re.search(r'<meta property="og:title" content="[^"]*समीक्षा बैठक', page)
    description = re.search(r'<meta property="og:description" content="([^"]+)"', page).group(1)
    assert "2025" in description and "State office" in description
    for person in (world.pa1, world.pa2, world.pb1, world.ci, world.si):
        assert person.name_hi not in page and person.name_en not in page  # no invitee, chair or reviewer
        if person.mobile:
            assert person.mobile not in page and fmt_phone(person.mobile) not in page
    assert not re.search(r"\+?91[ -]?\d{5}[ -]?\d{5}", page)  # no phone number at all
    assert "/passes/" not in page and "/reviews/" not in page and "/login" not in page.split("</header>")[1]


def test_a_wrong_or_bare_token_is_404(world, client):
    meeting, _session = _published(world)
    good = share.public_token(meeting)
    assert client.get(f"/public/agenda/{good}").status_code == 200
    mac = good.split(".")[1]
    flipped = mac[:-1] + ("B" if mac[-1] == "A" else "A")
    for token in (str(meeting.id), f"{meeting.id}.{flipped}", f"{meeting.id + 1}.{mac}",
                  signed_id("invitation-pass", meeting.id), "x"):
        assert client.get(f"/public/agenda/{token}").status_code == 404, token



def _public(client, meeting, language=None):
    headers = {"Accept-Language": language} if language else {}
    return client.get(f"/public/agenda/{share.public_token(meeting)}", headers=headers)


def _og(page: str, prop: str) -> str:
    match = re.search(rf'<meta property="{prop}" content="([^"]*)"', page)
    assert match is not None, prop
    return match.group(1)


def test_the_public_agenda_follows_the_browsers_language_until_one_is_chosen(world, client):
    meeting, _session = _published(world)
    english = _public(client, meeting, "en-IN,en;q=0.9")
    page = english.get_data(as_text=True)
    assert '<html lang="en"' in page and ">Dates</dt>" in page
    assert "22 September 2025" in _og(page, "og:description") and "State office" in _og(page, "og:description")
    assert _og(page, "og:locale") == "en_IN" and _og(page, "og:locale:alternate") == "hi_IN"
    assert {v.strip() for v in english.headers["Vary"].split(",")} >= {"Accept-Language", "Cookie"}
    hindi = _public(client, meeting, "hi,en;q=0.5").get_data(as_text=True)
    assert '<html lang="hi"' in hindi and "22 सितंबर 2025" in _og(hindi, "og:description")
    assert _og(hindi, "og:locale") == "hi_IN" and "समीक्षा बैठक" in _og(hindi, "og:title")
    # A link-preview fetcher sends no language: the office's default, Hindi.
    assert '<html lang="hi"' in _public(client, meeting).get_data(as_text=True)


def test_the_public_agendas_language_switch_keeps_the_choice_over_the_browsers(world, client):
    meeting, _session = _published(world)
    path = f"/public/agenda/{share.public_token(meeting)}"
    page = _public(client, meeting, "hi").get_data(as_text=True)
    switch = re.search(r'<form class="lang-switch".*?</form>', page, re.S).group(0)
    assert f'name="next" value="{path}"' in switch and 'value="en"' in switch
    token = re.search(r'name="csrf_token" value="([^"]*)"', switch).group(1)
    response = client.post("/locale", data={"locale": "en", "next": path, "csrf_token": token},
                           headers={"Accept-Language": "hi"})
    assert response.status_code == 302 and response.headers["Location"] == path
    chosen = client.get(path, headers={"Accept-Language": "hi"}).get_data(as_text=True)
    assert '<html lang="en"' in chosen and _og(chosen, "og:locale") == "en_IN"


def test_a_signed_in_users_saved_language_comes_before_the_browsers(world, client, auth):
    meeting, _session = _published(world)
    make_user(Role.OFFICE, "asha", locale="en")
    auth.login("asha")
    page = _public(client, meeting, "hi").get_data(as_text=True)
    assert '<html lang="en"' in page
