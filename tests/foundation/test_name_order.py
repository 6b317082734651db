"""Lists of people in the page's language: Hindi pages by the Devanagari name (in the order of the Devanagari
alphabet), English pages by the Latin name; the order comes from SQL, so pages of a list join up."""

from __future__ import annotations

import pytest

from tests.factories import make_invitation, make_meeting, make_person, make_session, make_unit, make_user
from tracker.auth.models import Role
from tracker.extensions import db

# (English, Hindi). In Hindi: अ < ओ < क < कि (matra after the bare consonant) < क्ष (conjunct after the
# matras) < ज़ < ब < ह; a person without a Hindi name comes last.
PEOPLE = [
    ("Zaheer Khan", "ज़हीर ख़ान"),
    ("Kshitij Tripathi", "क्षितिज त्रिपाठी"),
    ("Bina Rao", "बीना राव"),
    ("Om Prakash", "ओम प्रकाश"),
    ("kamal Nath", "कमल नाथ"),
    ("Harish Chaudhary", "हरीश चौधरी"),
    ("Anil Verma", "अनिल वर्मा"),
    ("Kishan Lal", "किशन लाल"),
    ("Walk In", ""),
]
HINDI_ORDER = ["अनिल वर्मा", "ओम प्रकाश", "कमल नाथ", "किशन लाल", "क्षितिज त्रिपाठी", "ज़हीर ख़ान", "बीना राव",
               "हरीश चौधरी", "Walk In"]
ENGLISH_ORDER = ["Anil Verma", "Bina Rao", "Harish Chaudhary", "kamal Nath", "Kishan Lal", "Kshitij Tripathi",
                 "Om Prakash", "Walk In", "Zaheer Khan"]


def _name(person, lang):
    return (person.name_hi or person.name_en) if lang == "hi" else person.name_en


@pytest.fixture
def people():
    made = [make_person(en, hi, commit=False) for en, hi in PEOPLE]
    made[-1].name_hi = ""  # the factory fills an empty Hindi name
    db.session.flush()
    return made


@pytest.mark.parametrize(("lang", "expected"), [("hi", HINDI_ORDER), ("en", ENGLISH_ORDER)])
def test_directory_people_pages_in_the_languages_order(app, people, lang, expected):
    from tracker.directory.queries import people_list

    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": lang}):
        whole = [_name(row.person, lang) for row in people_list(per_page=50, locale=lang).items]
        paged = [_name(row.person, lang) for page in (1, 2, 3)
                 for row in people_list(page=page, per_page=4, locale=lang).items]
        backwards = [_name(row.person, lang) for row in people_list(per_page=50, locale=lang, direction="desc").items]
    assert whole == expected
    assert paged == expected
    assert backwards == list(reversed(expected))


@pytest.mark.parametrize(("lang", "expected"), [("hi", HINDI_ORDER), ("en", ENGLISH_ORDER)])
def test_people_page_html_follows_the_language(client, auth, people, lang, expected):
    make_user(Role.ADMIN, "order_admin", locale=lang)
    auth.login("order_admin")
    html = client.get("/directory/people").get_data(as_text=True)
    positions = [html.find(f">{name}<") for name in expected]
    assert -1 not in positions, positions
    assert positions == sorted(positions)


@pytest.mark.parametrize(("lang", "expected"), [("hi", HINDI_ORDER), ("en", ENGLISH_ORDER)])
def test_roster_and_invitee_table_in_the_languages_order(app, people, lang, expected):
    from tracker.attendance.queries import roster, session_invitations
    from tracker.meetings.queries import session_views

    district = make_unit("district", commit=False)
    session = make_session(make_meeting(status="published", commit=False), commit=False)
    for person in people:
        make_invitation(session, person, unit=district, commit=False)
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": lang}):
        on_roster = [row.name_hi or row.name_en if lang == "hi" else row.name_en for row in roster(session.id)]
        passes = [_name(inv.person, lang) for inv in session_invitations(session.id)]
        (view,) = session_views([session])
        invitees = [_name(person, lang) for _inv, person in view.invitees]
    assert on_roster == expected
    assert passes == expected
    assert invitees == expected
