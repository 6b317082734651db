"""Every page each demo role can open reads as words, in Hindi and in English (issue 15, acceptance 1).

The world is the living demo (``tracker setup``): the reference meeting of 22–24 September 2025 planned,
published, attended (marks at every session) and reviewed (Bhopal City's signed note and its action
items), and the coming meeting of the next day. Each demo role (admin, office, coordinator, the state
in-charge, a co-in-charge, a district president) signs in, chooses a language with the language switch,
and the crawler opens

* every page reached by following same-origin links from the home page (breadth first; one page of
  each shape, so the 71 district pages count as one), and
* every GET route of the app with its ids taken from the data (the reference meeting, its sessions, Bhopal
  City, Praveen Saxena, the review note …),

and reads the visible text of each HTML page (text nodes, the page title, ``title``, ``placeholder``,
``aria-label`` and ``alt`` attributes and the ``value`` of submit inputs; never scripts, styles or other
attributes). A page fails on

* raw field names: ``snake_case`` words;
* machine timestamps: ``2025-09-22T07:30``;
* Python's ``True``, ``False``, ``None``;
* ids where a name belongs: ``#12``, ``→ 12``, ``id 12`` / ``ID: 12``;
* on a Hindi page, a Latin word that is not a name or title from the data, a code (unit, campaign and post
  role codes, usernames, e-mail addresses, web addresses, mobile numbers) nor on ``LATIN_ALLOWED``;
* on an English page, a Devanagari word that is not a name or text from the data.

Names and other text people typed (venues, notes, review texts, messages) are data, not interface: they
are taken out of the page before the words are read, in whichever script they were written; so are the
single words of people's names (a search box's "e.g. Praveen"). Codes marked up as such (``<code>``,
``<kbd>``, ``<samp>``) and text marked with the other language's ``lang`` (the language switch's
"हिन्दी", a name in the other script, a pass code) keep their script: only the language checks skip them.
"(#12)" after a name tells two people of one name apart; "#12" on its own is an id.

The History sections are read like the rest of each page. The test prints how many pages each role read
in each language.
"""

from __future__ import annotations

import re
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import current_app, url_for

from tracker import demo
from tracker.extensions import db

pytestmark = pytest.mark.slow  # loads the whole living demo and opens about 700 pages


TODAY = date(2026, 3, 2)
NOW = "2026-03-02T10:00:00+05:30"
ROLES = ("admin", "office", "coordinator", "harish", "sanjay", "praveen")  # harish: प्रभारी, sanjay: सह प्रभारी
LANGUAGES = ("hi", "en")
PER_SHAPE = 1  # pages of one shape (the same path with other ids) followed from links
SKIP_PATHS = ("/logout", "/static/", "/api/", "/files/", "/public/minutes/logo/")  # files: photos, videos, the logo
DOWNLOADS = (".csv", ".xlsx", ".ics", ".pdf", ".svg", ".png", ".json", ".txt")
TOKEN_ARGS = {"token", "filename", "kind", "fmt"}  # secrets and files: not pages a signed-in role opens by id

# Latin words a Hindi page may show: file types, channels and technical names people say in English in
# Hindi too, and the time's am/pm (the date and time style is issue 15's i18n-words branch).
LATIN_ALLOWED = {"PDF", "CSV", "XLSX", "ICS", "PNG", "JPEG", "WebP", "SMS", "WhatsApp", "QR", "API", "MB", "am", "pm"}

SNAKE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:")
PYTHON_WORDS = re.compile(r"\b(?:True|False|None)\b")
IDS = re.compile(r"(?<!\()#\d+\b|→\s*\d+\b(?![:./\d])|\b(?:id|ID|Id)\s*:?\s*\d+\b")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
DEVANAGARI_WORD = re.compile(r"[\u0900-\u097F]+")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
WEB = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|in|net|local|test)(?:/\S*)?\b")
TOKEN = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*")
FILE_TYPE = re.compile(r"\.(?:ics|csv|xlsx|pdf)\b", re.IGNORECASE)
PHONE = re.compile(r"\+?\d[\d\s-]{7,}\d")


# --- the visible text ---------------------------------------------------------------------------------

@dataclass
class Part:
    """A piece of visible text; ``as_is``: a code (``<code>``, ``<kbd>``, ``<samp>``) or text marked with the
    other language's ``lang`` (a name in the other script, a pass code): its words are not the page's words."""

    text: str
    as_is: bool = False


class _VisibleText(HTMLParser):
    ATTRS = ("title", "placeholder", "aria-label", "alt")
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    CODE = ("code", "kbd", "samp")

    def __init__(self, lang: str):
        super().__init__(convert_charrefs=True)
        self.lang = lang
        self.parts: list[Part] = []
        self._stack: list[tuple[bool, bool]] = []  # (skipped, as is) of each open element
        self._skip = self._as_is = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skipping = tag in ("script", "style")
        as_is = tag in self.CODE or attrs.get("lang", self.lang) != self.lang
        if tag not in self.VOID:
            self._stack.append((skipping, as_is))
            self._skip += skipping
            self._as_is += as_is
        if self._skip:
            return
        self.parts += [Part(attrs[name], bool(self._as_is)) for name in self.ATTRS if attrs.get(name)]
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset") and attrs.get("value"):
            self.parts.append(Part(attrs["value"], bool(self._as_is)))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in self.VOID or not self._stack:
            return
        skipped, as_is = self._stack.pop()
        self._skip -= skipped
        self._as_is -= as_is

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(Part(" ".join(data.split()), bool(self._as_is)))


def visible_text(html: str, lang: str = "hi") -> list[Part]:
    parser = _VisibleText(lang)
    parser.feed(html)
    parser.close()
    return parser.parts


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def page_links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    out = []
    for href in parser.hrefs:
        parts = urlsplit(href)
        if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "localhost"):
            continue
        if not parts.path.startswith("/") or parts.path.startswith(SKIP_PATHS) or parts.path.endswith(DOWNLOADS):
            continue
        out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def shape(url: str) -> str:
    """The path with its ids as ``N`` and the names of its query parameters: pages of one kind."""
    parts = urlsplit(url)
    keys = sorted(p.split("=")[0] for p in parts.query.split("&") if p)
    return re.sub(r"/\d[\d-]*(?=/|$|\.)", "/N", parts.path) + "?" + "&".join(keys)


# --- what counts as data ------------------------------------------------------------------------------

@dataclass
class Data:
    """Text that is data, not interface: names, titles and typed text (both scripts), and codes."""

    texts: list[str] = field(default_factory=list)  # longest first, taken out of the page before reading
    codes: set[str] = field(default_factory=set)
    name_words: set[str] = field(default_factory=set)  # a person's names, one by one ("e.g. Praveen")

    def strip(self, text: str) -> str:
        for pattern in (EMAIL, WEB, FILE_TYPE, PHONE):
            text = pattern.sub(" ", text)
        for value in self.texts:
            if value in text:
                text = text.replace(value, " ")
        return TOKEN.sub(lambda m: " " if m.group(0) in self.codes else m.group(0), text)


DATA_COLUMNS = {  # table → its columns that hold names or text people typed
    "units": ("name_hi", "name_en"), "people": ("name_hi", "name_en", "note"),
    "campaigns": ("name_hi", "name_en"), "post_roles": ("title_hi", "title_en"),
    "revenue_districts": ("name_hi", "name_en"), "challenge_categories": ("name_hi", "name_en"),
    "posts": ("note",), "meetings": ("title_hi", "title_en", "venue", "description"),
    "meeting_sessions": ("title_hi", "title_en", "what_to_bring_hi", "what_to_bring_en"),
    "agenda_items": ("title_hi", "title_en"), "checklist_items": ("label_hi", "label_en"),
    "attendance": ("represented_by_name", "note"), "invitation_replies": ("reason",),
    "review_notes": ("challenges", "strategy", "decisions", "private_remark"), "action_items": ("title",),
    "action_item_updates": ("text", "user_label"), "review_note_versions": ("created_by_label",),
    "users": ("full_name",), "audit_entries": ("actor_label",), "api_tokens": ("name",),
    "outbox_messages": ("subject", "body", "address"),
    "circulars": ("title", "body"), "circular_recipients": ("answer_text",),
    "programme_reports": ("place", "account", "question", "links"), "report_kinds": ("name_hi", "name_en"),
    "stored_files": ("original_name",),
}
CODE_COLUMNS = {"units": ("code",), "campaigns": ("code",), "post_roles": ("code",),
                "revenue_districts": ("code",), "users": ("username",)}


def _values(columns: dict[str, tuple[str, ...]]) -> set[str]:
    out = set()
    tables = db.metadata.tables
    for name, cols in columns.items():
        for col in cols:
            out.update(v.strip() for v in db.session.scalars(sa.select(tables[name].c[col]).distinct()) if v and v.strip())
    return out


def _pieces(text: str) -> set[str]:
    """A typed text, its lines and its sentences: pages show them whole, cut into lines or shortened."""
    out = {text}
    for line in text.splitlines():
        out.add(line.strip())
        out.update(s.strip() for s in re.split(r"(?<=[।.;])\s", line))
    return {p for p in out if len(p) > 1}


def collect_data() -> Data:
    texts = set()
    for value in _values(DATA_COLUMNS):
        texts |= _pieces(value)
    codes = _values(CODE_COLUMNS)
    names = _values({"people": ("name_hi", "name_en"), "users": ("full_name",)})
    words = {w for name in names for w in re.findall(r"[\w\u0900-\u097F]+", name) if len(w) > 2}
    return Data(texts=sorted(texts, key=len, reverse=True), codes=codes, name_words=words)


# --- the checks ---------------------------------------------------------------------------------------

def findings(text: str, lang: str, data: Data, as_is: bool = False) -> list[str]:
    out = []
    for pattern, what in ((ISO, "timestamp"), (PYTHON_WORDS, "python"), (IDS, "id")):
        out += [f"{what}: {m.group(0)!r}" for m in pattern.finditer(text)]
    if as_is:
        return out
    bare = data.strip(text)
    out += [f"field name: {w!r}" for w in SNAKE.findall(bare)]
    if lang == "hi":
        out += [f"Latin: {w!r}" for w in LATIN_WORD.findall(bare)
                if w not in LATIN_ALLOWED and w not in data.name_words and len(w) > 1]
    else:
        out += [f"Devanagari: {w!r}" for w in DEVANAGARI_WORD.findall(bare) if w not in data.name_words]
    return out


def read_page(url: str, html: str, lang: str, data: Data) -> list[str]:
    head = re.search(r"<html[^>]*>", html[:500])
    problems = [] if head is None or f'lang="{lang}"' in head.group(0) else [f"{url}: not in {lang}: {head.group(0)}"]
    for part in visible_text(html, lang):
        for finding in findings(part.text, lang, data, part.as_is):
            problems.append(f"{url}: {finding} in {part.text[:160]!r}")
    return problems


# --- the world and the routes -------------------------------------------------------------------------

def _ids(model, *where, order=None, limit=2) -> list[int]:
    stmt = sa.select(model.id).where(*where).order_by(order if order is not None else model.id).limit(limit)
    return list(db.session.scalars(stmt))


def _minutes_ids() -> list:
    """Approved minutes (versions, sending) and a draft (approving)."""
    from tracker.minutes.models import Minutes, MinutesStatus

    return [*_ids(Minutes, Minutes.status == MinutesStatus.APPROVED, limit=1),
            *_ids(Minutes, Minutes.status == MinutesStatus.DRAFT, limit=1)]


def route_ids() -> dict[str, list]:
    """Real ids for each parameter name of the app's routes (by endpoint where one name means two models):
    the first for every route, the others where they show another kind of page (a group session and a
    one-to-one, the past reference meeting and the coming one, the state and a district, messages of
    each kind)."""
    from tracker.auth.models import User
    from tracker.campaigns.models import Campaign
    from tracker.circulars.models import Circular
    from tracker.directory.models import Post, Unit
    from tracker.meetings.models import AgendaItem, Invitation, Meeting, MeetingSession, SessionKind
    from tracker.reminders.models import OutboxMessage
    from tracker.reports.models import ProgrammeReport, ReportKind
    from tracker.reviews.models import ActionItem, ChallengeCategory, ChecklistItem, ReviewNote

    reference = db.session.scalar(sa.select(Meeting).where(Meeting.title_en == demo.REFERENCE_TITLE["title_en"]))
    praveen = db.session.scalar(sa.select(User).where(User.username == "praveen")).person_id
    bhopal_city = db.session.scalar(sa.select(Unit.id).where(Unit.code == demo.REVIEWED_DISTRICT))
    group = _ids(MeetingSession, MeetingSession.meeting_id == reference.id, MeetingSession.kind == SessionKind.GROUP,
                 limit=1)
    one_to_one = _ids(MeetingSession, MeetingSession.meeting_id == reference.id,
                      MeetingSession.district_unit_id == bhopal_city)
    kinds = db.session.execute(sa.select(sa.func.min(OutboxMessage.id)).group_by(OutboxMessage.kind)).scalars()
    return {
        "unit_id": [bhopal_city, *_ids(Unit, Unit.code == "mp")],
        "person_id": [praveen],
        "post_id": _ids(Post, Post.person_id == praveen),
        "user_id": _ids(User, User.username == "praveen"),
        "meeting_id": [reference.id, *_ids(Meeting, Meeting.id != reference.id, limit=1)],
        "session_id": group + one_to_one,
        "invitation_id": _ids(Invitation, Invitation.person_id == praveen, Invitation.session_id.in_(group + one_to_one)),
        "note_id": _ids(ReviewNote),
        "number": [1],
        "campaign_id": _ids(Campaign),
        "category_id": _ids(ChallengeCategory, limit=1),
        "message_id": sorted(kinds)[:3],
        "day": [reference.starts_on.isoformat()],
        "action": ["deactivate"],
        "meetings.edit_agenda_item:item_id": _ids(AgendaItem, limit=1),
        "reviews.item:item_id": _ids(ActionItem),
        "reviews.checklist_item:item_id": _ids(ChecklistItem, limit=1),
        "circular_id": _ids(Circular, limit=1),
        "minutes_id": _minutes_ids(),
        "report_id": _ids(ProgrammeReport),
        "kind_id": _ids(ReportKind, limit=1),
    }


def route_urls(app, ids: dict[str, list]) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith(SKIP_PATHS):
            continue
        if rule.arguments & TOKEN_ARGS or rule.rule.endswith(DOWNLOADS):
            continue
        names = sorted(rule.arguments - set(rule.defaults or ()))
        choices = [ids.get(f"{rule.endpoint}:{name}") or ids.get(name) for name in names]
        assert all(choices), f"no ids for {rule.endpoint} {rule.rule}: map its parameters in route_ids()"
        first = [values[0] for values in choices]
        combinations = [first] + [first[:i] + [value] + first[i + 1:]  # one parameter varied at a time
                                  for i, values in enumerate(choices) for value in values[1:]]
        with app.test_request_context():
            urls += [url_for(rule.endpoint, **dict(zip(names, values, strict=True))) for values in combinations]
    return urls


@pytest.fixture
def world(app_clock):
    app_clock.set(NOW)
    demo.load_demo()
    demo.load_meetings(TODAY)
    from tracker.meetings import operations as meeting_ops
    from tracker.meetings.models import Meeting, SessionKind

    reference = db.session.scalar(sa.select(Meeting).where(Meeting.title_en == demo.REFERENCE_TITLE["title_en"]))
    opening = next(s for s in reference.sessions if s.kind == SessionKind.GROUP)
    meeting_ops.add_agenda_item(opening, {"title_hi": "संगठन सृजन की समीक्षा", "title_en": "Review of Sangathan Srijan",
                                          "presenter_person_id": opening.chair_person_id, "minutes": 30})
    db.session.commit()


def _praveen():
    from tracker.auth.models import User
    from tracker.directory.models import Person

    return db.session.get(Person, db.session.scalar(sa.select(User.person_id).where(User.username == "praveen")))


def pass_url() -> str:
    """Where the QR code of Praveen's pass for the reference meeting's first session leads (a token route)."""
    from tracker.meetings.models import Invitation, Meeting, MeetingSession

    invitation = db.session.scalar(
        sa.select(Invitation).join(MeetingSession).join(Meeting)
        .where(Invitation.person_id == _praveen().id, Meeting.title_en == demo.REFERENCE_TITLE["title_en"])
        .order_by(MeetingSession.starts_at).limit(1))
    with current_app.test_request_context():
        return url_for("attendance.pass_landing", token=invitation.pass_token)


def personal_url(lang: str) -> str:
    """Praveen's personal link, his saved language set to ``lang`` (the pages a president opens from a
    message, signed out, follow it)."""
    from tracker.reminders import personal_links
    from tracker.timeutil import now_utc

    person = _praveen()
    person.preferred_locale = lang
    link = personal_links.issue(person, now_utc())
    db.session.commit()
    with current_app.test_request_context():
        return url_for("reminders_link.page", token=personal_links.token_of(link))


# --- the crawl ----------------------------------------------------------------------------------------

@dataclass
class Crawl:
    read: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def crawl(client, lang: str, data: Data, start: list[str]) -> Crawl:
    result = Crawl()
    queue = deque(start)
    seen = set(start)
    shapes: Counter = Counter(shape(url) for url in start)
    while queue:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code >= 500:
            result.errors.append(f"{url}: {response.status_code}")
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        result.read.append(url)
        result.problems += read_page(url, html, lang, data)
        for link in page_links(html):
            if link in seen or shapes[shape(link)] >= PER_SHAPE:
                continue
            seen.add(link)
            shapes[shape(link)] += 1
            queue.append(link)
    return result


def _row_counts() -> dict[str, int]:
    return {t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in db.metadata.sorted_tables}


def test_every_page_of_every_role_reads_as_words_in_both_languages(app, client, auth, world):
    began = time.monotonic()
    data = collect_data()
    routes = [*route_urls(app, route_ids()), pass_url()]
    password = current_app.config["DEMO_PASSWORD"]
    counts, problems, errors, changed = {}, [], [], {}
    for username in ROLES:
        for lang in LANGUAGES:
            auth.login(username, password)
            client.post("/locale", data={"locale": lang})
            before = _row_counts()
            result = crawl(client, lang, data, ["/", *routes])
            db.session.expire_all()
            after = _row_counts()  # the pages opened (GET) changed nothing
            changed |= {(username, lang, t): after[t] - before[t] for t in before if after[t] != before[t]}
            counts[(username, lang)] = len(result.read)
            problems += [f"{username}/{lang} {p}" for p in result.problems]
            errors += [f"{username}/{lang} {e}" for e in result.errors]
            goodbye = client.get(auth.logout().location)  # as a browser does: the sign-in page says goodbye
            problems += [f"{username}/{lang} {p}" for p in read_page("/login", goodbye.get_data(as_text=True), lang, data)]
    for lang in LANGUAGES:  # signed out: the sign-in pages and the pages a president's own links open
        client.post("/locale", data={"locale": lang})
        personal = personal_url(lang)
        start = ["/login", "/login/code", personal]
        before = _row_counts()
        result = crawl(client, lang, data, start)
        db.session.expire_all()
        after = _row_counts()
        changed |= {("signed out", lang, t): after[t] - before[t] for t in before if after[t] != before[t]}
        counts[("signed out", lang)] = len(result.read)
        assert personal in result.read, result.read
        problems += [f"signed out/{lang} {p}" for p in result.problems]
        errors += [f"signed out/{lang} {e}" for e in result.errors]
    took = time.monotonic() - began
    print(f"\npages read ({took:.0f} s, {sum(counts.values())} in all):")
    for username in (*ROLES, "signed out"):
        print(f"  {username:12} " + "  ".join(f"{lang}: {counts[(username, lang)]}" for lang in LANGUAGES))
    assert errors == [], "\n".join(errors)
    assert changed == {}, f"opening pages changed rows: {changed}"
    unique = list(dict.fromkeys(problems))
    assert unique == [], f"{len(unique)} findings:\n" + "\n".join(unique[:150])
    assert all(n >= 10 for (who, _lang), n in counts.items() if who != "signed out"), counts


def test_the_reader_finds_what_it_must():
    data = Data(texts=["Praveen Saxena", "प्रवीण सक्सेना"], codes={"bhopal_city"})
    assert findings("chair_person_id: 3", "en", data) == ["field name: 'chair_person_id'"]
    assert any("field name" in f for f in findings("chair_person_id बदला", "hi", data))
    assert any("timestamp" in f for f in findings("ends_at: 2025-09-22T07:30:00+00:00", "en", data))
    assert any("python" in f for f in findings("self checkin: False", "en", data))
    assert any("id" in f for f in findings("ऊपर की इकाई → 1", "hi", data))
    assert any("id" in f for f in findings("Message #12", "en", data))
    assert findings("प्रवीण सक्सेना (Praveen Saxena), bhopal_city, PDF", "hi", data) == []
    assert any("Latin" in f for f in findings("स्थिति: published", "hi", data))
    assert any("Devanagari" in f for f in findings("Status: प्रकाशित", "en", data))
    assert findings("Praveen Saxena · प्रवीण सक्सेना", "en", data) == []
    switch = '<button lang="hi">हिन्दी</button><button lang="en">English</button>'
    assert [(p.text, p.as_is) for p in visible_text(switch, "en")] == [("हिन्दी", True), ("English", False)]
    assert findings("10:30 am – 11:00 am, 22 September 2025 · +91 94250 00001 · a@b.in", "en", data) == []
    history = '<section class="history"><p>kind: group</p></section><p title="शीर्षक">पाठ <code>x_y</code></p>'
    assert [(p.text, p.as_is) for p in visible_text(history)] == [
        ("kind: group", False), ("शीर्षक", False), ("पाठ", False), ("x_y", True)]
    assert findings("A person's number (#12) or name.", "en", data) == []
