"""Every History section of the app reads as a sentence in Hindi and in English (issue 15): on the living
demo (the reference meeting planned, published, attended and reviewed), each domain's pages show translated
labels, names instead of ids, dates in the house style and yes/no; never a snake_case field name, an ISO
timestamp, True/False/None or a bare id."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
import sqlalchemy as sa

from tracker import demo as living_demo
from tracker.attendance.models import Attendance, AttendanceStatus
from tracker.directory.models import Person, Post, Unit
from tracker.extensions import db
from tracker.meetings.models import Meeting, MeetingSession, SessionKind
from tracker.reviews.models import ReviewNote

DEVANAGARI = re.compile("[\u0900-\u097f]")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
ISO = re.compile(r"\d{4}-\d{2}-\d{2}|\b\d{2}:\d{2}:\d{2}\b|T\d{2}:\d{2}|[+-]\d{2}:\d{2}\b")
PYTHON_WORDS = re.compile(r"\b(True|False|None)\b")
USERNAME = re.compile(r"^[a-z0-9_.]+$")  # a login with no person is named by its username
# Labels whose values are counts, not ids.
NUMBER_LABELS = {"Version", "संस्करण", "Order", "क्रम", "Minutes", "मिनट"}


# Each test with this fixture loads the whole living demo: mark it slow (in `make test` and CI, not in the
# quick lane).
@pytest.fixture
def demo(app, client):
    living_demo.load_demo()
    living_demo.load_meetings(date(2026, 3, 2))
    db.session.commit()
    response = client.post("/login", data={"username": "admin", "password": app.config["DEMO_PASSWORD"]})
    assert response.status_code in (302, 303)
    return client


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment)).strip()


def _section(page: str) -> str:
    match = re.search(r'<section class="history".*?</section>', page, re.S)
    assert match, "no History section"
    return match.group(0)


def history_problems(page: str, lang: str) -> list[str]:
    """What in the page's History section is not for people: raw names, machine values, bare ids, the
    other language's labels."""
    section = _section(page)
    problems = []
    text = _text(section)
    # A unit's code (bhopal_city) is what the office types: the only value that may look like a field name.
    words = _text(re.sub(r"<li><strong>(Code|कोड)</strong>.*?</li>", "", section, flags=re.S))
    problems += [f"snake_case: {word}" for word in SNAKE.findall(words)]
    problems += [f"ISO: {word}" for word in ISO.findall(text)]
    problems += [f"Python: {word}" for word in PYTHON_WORDS.findall(text)]
    problems += [f"deleted referent: {word}" for word in re.findall(r"#\d+", text)]
    for item in re.findall(r"<li>(.*?)</li>", section, re.S):
        label = _text(re.search(r"<strong>(.*?)</strong>", item, re.S).group(1))
        values = [_text(v) for v in re.findall(r"<(?:del|ins)>(.*?)</(?:del|ins)>", item, re.S)]
        if label not in NUMBER_LABELS:
            problems += [f"bare id: {label}: {value}" for value in values if value.isdigit()]
        if (lang == "hi") != bool(DEVANAGARI.search(label)):
            problems.append(f"label in the wrong language: {label}")
    for row in re.findall(r"<tr>(.*?)</tr>", section, re.S):
        cells = [_text(c) for c in re.findall(r'<td data-label="[^"]*"[^>]*>(.*?)</td>', row, re.S)]
        if len(cells) < 3:
            continue
        who, action = cells[1], cells[2]
        if lang == "hi" and not DEVANAGARI.search(action):
            problems.append(f"action in English: {action}")
        if lang == "hi" and not DEVANAGARI.search(who) and not USERNAME.match(who):
            problems.append(f"who in English: {who}")
    return problems


def _check(client, url: str, *expected: dict[str, str]) -> None:
    for lang in ("hi", "en"):
        page = client.get(url, headers={"Accept-Language": lang})
        assert page.status_code == 200, url
        text = page.get_data(as_text=True)
        assert history_problems(text, lang) == [], (url, lang)
        section = _text(_section(text))
        for wanted in expected:
            assert wanted[lang] in section, (url, lang, wanted[lang])


def _one(statement):
    return db.session.scalars(statement.limit(1)).first()


def _directory_histories(demo):
    city = _one(sa.select(Unit).where(Unit.code == "bhopal_city"))
    praveen = _one(sa.select(Person).where(Person.name_en == "Praveen Saxena"))
    post = _one(sa.select(Post).where(Post.person_id == praveen.id))
    parent = {"hi": city.parent.name_hi, "en": city.parent.name_en}
    _check(demo, f"/directory/units/{city.id}", parent, {"hi": "जिला अध्यक्ष", "en": "District president"},
           {"hi": "जिला", "en": "District"})
    _check(demo, f"/directory/people/{praveen.id}", {"hi": "हिन्दी", "en": "Hindi"},
           {"hi": city.name_hi, "en": city.name_en})
    _check(demo, f"/directory/posts/{post.id}", {"hi": praveen.name_hi, "en": praveen.name_en},
           {"hi": city.name_hi, "en": city.name_en})


def _meeting_histories(demo):
    meeting = _one(sa.select(Meeting).where(Meeting.title_en == living_demo.REFERENCE_TITLE["title_en"]))
    group = _one(sa.select(MeetingSession).where(MeetingSession.meeting_id == meeting.id,
                                                 MeetingSession.kind == SessionKind.GROUP))
    one = _one(sa.select(MeetingSession).where(MeetingSession.meeting_id == meeting.id,
                                               MeetingSession.kind == SessionKind.ONE_TO_ONE))
    _check(demo, f"/meetings/{meeting.id}", {"hi": "22 सितंबर 2025", "en": "22 September 2025"},
           {"hi": meeting.campaign.name_hi, "en": meeting.campaign.name_en})
    _check(demo, f"/meetings/sessions/{group.id}", {"hi": group.chair.name_hi, "en": group.chair.name_en},
           {"hi": meeting.title_hi, "en": meeting.title_en})
    _check(demo, f"/meetings/sessions/{one.id}", {"hi": one.district.name_hi, "en": one.district.name_en})


def _review_note_history(demo):
    note = _one(sa.select(ReviewNote))
    _check(demo, f"/reviews/notes/{note.id}", {"hi": "अनुमोदित", "en": "Signed off"})


def _attendance_history(demo):
    mark = _one(sa.select(Attendance).where(Attendance.status == AttendanceStatus.LATE))
    _check(demo, f"/attendance/sessions/{mark.session_id}/people/{mark.person_id}",
           {"hi": "देर से", "en": "Late"})


@pytest.mark.slow
def test_the_history_sections_of_the_living_demo(demo):
    """One load of the demo (seconds), then the sections of each domain in turn."""
    for check in (_directory_histories, _meeting_histories, _review_note_history, _attendance_history):
        check(demo)


RAW = """<section class="history" id="history"><table><tbody><tr>
<td data-label="When">2025-09-22T07:30:00+00:00</td><td data-label="Who">the system</td>
<td data-label="What">Changed</td><td data-label="Old → new"><ul class="changes">
<li><strong>self_checkin_enabled</strong>: <del>False</del> → <ins>True</ins></li>
<li><strong>ऊपर की इकाई</strong>: <del>1</del> → <ins>deleted unit #12</ins></li>
</ul></td></tr></tbody></table></section>"""


def test_the_check_finds_what_a_raw_history_shows():
    problems = history_problems(RAW, "hi")
    assert "snake_case: self_checkin_enabled" in problems
    assert "ISO: 2025-09-22" in problems and "Python: False" in problems and "Python: True" in problems
    assert "bare id: ऊपर की इकाई: 1" in problems and "deleted referent: #12" in problems
    assert "label in the wrong language: self_checkin_enabled" in problems
    assert "action in English: Changed" in problems and "who in English: the system" in problems
