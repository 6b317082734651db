"""Every API operation under hostile input (issue 17, acceptance 1, the API's part).

The OpenAPI document is walked: every operation with a JSON body (POST, PUT, PATCH) and every
string-valued query parameter of the GET operations. Each string field (text, code, date or choice)
is sent, in an otherwise valid request of the admin, with a value at its ``maxLength``, just over
it, far over it (10x), with a C1 control (U+0085), a bidi override (U+202E), a NUL and a formula,
asking for Hindi (``Accept-Language: hi``). Whatever happens:

* never a 5xx;
* a refusal is a 4xx problem whose detail and field messages are all in Hindi;
* a value over the limit, or holding a control or direction character where the text rule refuses
  it, is refused with the Hindi message of the rule that refused it, as the catalog has it;
* a value at the limit is accepted (but where :data:`AT_LIMIT_REFUSED` says why it cannot be).

A PATCH (and the attendance PUT) carries the ETag of a GET made just before it. Every operation with
a body must have a valid base body in :data:`BODIES`, and every path parameter an id in
:func:`_path_ids`: an operation added to the API without one fails this test.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale

from tracker.extensions import db
from tracker.i18n import _
from tracker.text import line_pattern, multiline_pattern

# A fuzzer: in `make test` (and CI), not in the quick lane (`make test-fast`).
pytestmark = pytest.mark.slow

FORMULA = '=HYPERLINK("http://evil.example","x")'
DEVANAGARI = re.compile("[\u0900-\u097f]")
HINDI = {"Accept-Language": "hi"}
TOO_LONG = "The text is too long."
LINE_RULE = ("This text holds an invisible control or direction character (%(code)s); "
             "remove it and type the text again.")
MULTILINE_RULE = "This text holds a control character (%(code)s) that cannot be saved; remove it."
CODES = {"C1 control": "U+0085", "bidi override": "U+202E", "NUL": "U+0000"}

# A valid body of each operation, given the world and a number unique to the request (for the
# values that must differ between records: a unit's code, the years of a post's term).
BODIES: dict[str, Callable[[object, int], dict]] = {
    "POST /api/v1/units": lambda w, n: {
        "code": f"hostile_{n}", "level": "block", "parent_id": w.district_b.id, "name_en": "Ward",
        "name_hi": "वार्ड", "district_kind": None},
    "PATCH /api/v1/units/{unit_id}": lambda w, n: {"name_en": "Bhopal City"},
    "POST /api/v1/people": lambda w, n: {
        "name_en": f"Asha {n}", "name_hi": "आशा", "mobile": None, "email": None, "preferred_locale": "hi",
        "preferred_channel": "none", "note": "A note"},
    "PATCH /api/v1/people/{person_id}": lambda w, n: {"note": "A note"},
    "POST /api/v1/posts": lambda w, n: {
        "person_id": w.reviewer.id, "unit_id": w.district_b.id, "role_code": "co_incharge",
        "start_date": f"{1950 + n}-01-01", "end_date": f"{1950 + n}-06-30", "note": "A note"},
    "PATCH /api/v1/posts/{post_id}": lambda w, n: {"note": "A note"},
    "PUT /api/v1/sessions/{session_id}/attendance/{person_id}": lambda w, n: {
        "status": "represented", "represented_by_name": "Ramesh", "note": "A note"},
    "PATCH /api/v1/action-items/{item_id}": lambda w, n: {"progress_note": "A note"},
    # Sent by district A's president (the circular's recipient), not the admin: see Sender.send.
    "POST /api/v1/me/circulars/{circular_id}/acknowledge": lambda w, n: {"note": "A note"},
    "POST /api/v1/me/circulars/{circular_id}/answer": lambda w, n: {"text": "An answer"},
    "POST /api/v1/reports/{report_id}/review": lambda w, n: {"question": "How many women came?"},
    # multipart/form-data (the form's fields; its files are checked by tests/reports/test_api_write.py)
    "POST /api/v1/reports": lambda w, n: {"district_unit_id": str(w.district_a.id), "kind_id": str(_kind_id()),
                                          "held_on": "2025-09-01", "place": "Biaora", "participants": "40",
                                          "client_key": f"hostile-{n}"},
    "POST /api/v1/me/circulars/{circular_id}/answer-file": lambda w, n: {},
}
# Operations whose body holds no text field (only a file, checked by its own tests).
NO_TEXT_BODIES = {"POST /api/v1/me/circulars/{circular_id}/answer-file": "only a file: tests/circulars/test_answer_kinds.py"}


def _kind_id() -> int:
    from tracker.reports.models import ReportKind

    return db.session.scalar(sa.select(ReportKind.id).where(ReportKind.code == "hostile_kind"))

# Fields whose value at the limit may be refused (in Hindi all the same); any other is accepted.
AT_LIMIT_REFUSED = {
    "role_code": "a post's role must be one of the stored roles",
    "mobile": "no mobile number is 20 characters long: the limit leaves room for spaces",
    "email": "the pattern bounds each part of an address: none is 254 characters long",
    "links": "a report's links are http(s) URLs, one a line: 5,000 Devanagari letters are none",
}


@dataclass
class Target:
    """One string field of one operation."""

    label: str  # "PATCH /api/v1/units/{unit_id}"
    where: str  # "json" or "query"
    name: str
    kind: str  # "line", "multi" (free text), "coded" (own pattern), "format" (date, choice)
    limit: int | None

    @property
    def method(self) -> str:
        return self.label.split(" ", 1)[0]

    @property
    def template(self) -> str:
        return self.label.split(" ", 1)[1]


def hostile_values(target: Target, n: int) -> list[tuple[str, str]]:
    """(what, value): at the limit, just over, far over, C1 control, bidi override, NUL, formula
    (``n`` makes the value at the limit of a code differ from the codes sent before)."""
    values = [("C1 control", "Ram\u0085Kumar"), ("bidi override", "Ram\u202eKumar"), ("NUL", "Ram\x00Kumar"),
              ("formula", FORMULA)]
    if target.limit is None:  # a date or a choice: no length, any of these is refused
        return [("far over", "a" * 1000), *values]
    at_limit = str(n).rjust(target.limit, "a") if target.kind == "coded" else "क" * target.limit
    return [("at limit", at_limit), ("just over", "a" * (target.limit + 1)),
            ("far over", "a" * (target.limit * 10)), *values]


# --- the document --------------------------------------------------------------------------------


def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _is_string(schema: dict) -> bool:
    types = schema.get("type")
    types = types if isinstance(types, list) else [types]
    return "string" in types or any(isinstance(v, str) for v in schema.get("enum", ()))


def _kind(schema: dict) -> str:
    if "maxLength" not in schema:
        return "format"
    pattern = schema.get("pattern")
    return {line_pattern(): "line", multiline_pattern(): "multi"}.get(pattern, "coded")


def _targets_of(label: str, where: str, named: dict[str, dict], components: dict) -> list[Target]:
    out = []
    for name, schema in named.items():
        schema = _resolve(schema, components)
        if _is_string(schema) and schema.get("format") != "binary":
            out.append(Target(label, where, name, _kind(schema), schema.get("maxLength")))
    return out


def _operation_targets(label: str, operation: dict, components: dict) -> list[Target]:
    method = label.split(" ", 1)[0]
    if method == "GET":
        query = {p["name"]: p["schema"] for p in operation.get("parameters", []) if p["in"] == "query"}
        return _targets_of(label, "query", query, components)
    body = operation.get("requestBody")
    assert body is not None, f"{label}: an operation without a body: add it to this test"
    if "application/json" in body["content"]:
        schema = _resolve(body["content"]["application/json"]["schema"], components)
        return _targets_of(label, "json", schema["properties"], components)
    schema = _resolve(body["content"]["multipart/form-data"]["schema"], components)
    return _targets_of(label, "form", schema["properties"], components)


def walk(document: dict) -> list[Target]:
    components = document["components"]["schemas"]
    targets = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                targets += _operation_targets(f"{method.upper()} {path}", operation, components)
    return targets


# --- the requests --------------------------------------------------------------------------------


def _circular(world):
    """A circular to district A that asks for a text answer (its president answers and acknowledges it)."""
    from datetime import date

    from tracker.circulars.models import AnswerKind, Circular, CircularRecipient, RecipientScope
    from tracker.timeutil import now_utc

    circular = Circular(title="Booth committees", body="How are they?", answer_kind=AnswerKind.TEXT,
                        due_on=date(2999, 1, 1), scope=RecipientScope.DISTRICTS, sent_at=now_utc())
    circular.recipients = [CircularRecipient(district_unit_id=world.district_a.id,
                                             president_person_id=world.president_a.id)]
    db.session.add(circular)
    db.session.commit()
    return circular


def _report(world):
    """A programme report of district A (the admin reviews it)."""
    from datetime import date

    from tracker.reports.models import ProgrammeReport, ReportKind

    kind = ReportKind(code="hostile_kind", name_en="Worker meeting", name_hi="कार्यकर्ता बैठक")
    report = ProgrammeReport(district_unit_id=world.district_a.id, kind=kind, held_on=date(2025, 9, 1),
                             place="Biaora", participants=40)
    db.session.add(report)
    db.session.commit()
    return report


def _path_ids(world) -> dict[str, int]:
    from tracker.directory.models import Post

    post_id = db.session.scalar(sa.select(Post.id).where(Post.person_id == world.president_a.id))
    return {"circular_id": _circular(world).id, "unit_id": world.district_a.id, "person_id": world.president_a.id, "post_id": post_id,
            "meeting_id": world.meeting.id, "session_id": world.session.id, "note_id": world.note_a.id,
            "item_id": world.item_a.id, "report_id": _report(world).id}


class Sender:
    """Sends one target's requests as the admin (a president for their own circulars and agenda PDF), in Hindi, with a valid
    rest of the request."""

    def __init__(self, client, world):
        self.client, self.world = client, world
        self.ids = _path_ids(world)
        self.count = 0

    def path(self, template: str) -> str:
        def one(match):
            assert match.group(1) in self.ids, f"no id for the path parameter {match.group(1)}: add it to _path_ids"
            return str(self.ids[match.group(1)])

        return re.sub(r"\{(\w+)\}", one, template)

    def send(self, target: Target, value=None, *, base_only: bool = False):
        self.count += 1
        path = self.path(target.template)
        own = "/me/circulars" in path or "/me/agenda.pdf" in path  # what only a person with a directory entry has
        headers = self.world.headers("president" if own else "admin", **HINDI)
        if target.where == "query":
            return self.client.get(path, headers=headers, query_string={} if base_only else {target.name: value})
        if target.method in ("PATCH", "PUT"):
            current = self.client.get(path, headers=headers)
            if current.status_code == 200 and current.headers.get("ETag"):
                headers["If-Match"] = current.headers["ETag"]
        body = BODIES[target.label](self.world, self.count)
        if not base_only:
            body[target.name] = value
        if target.where == "form":
            return self.client.open(path, method=target.method, headers=headers, data=body,
                                    content_type="multipart/form-data")
        return self.client.open(path, method=target.method, headers=headers, json=body)


# --- the checks ----------------------------------------------------------------------------------


def _hindi(msgid: str, **values) -> str:
    with current_app.test_request_context(headers=HINDI), force_locale("hi"):
        text = _(msgid, **values)
    assert text != msgid % values and DEVANAGARI.search(text), f"no Hindi for {msgid!r} in the catalog"
    return text


def expected_message(target: Target, what: str) -> str | None:
    """The Hindi message the refusal must carry for the field, or None (any Hindi message)."""
    if what.endswith("over") and target.limit is not None:
        return _hindi(TOO_LONG)
    if what in CODES and target.kind != "format" and must_refuse(target, what):
        rule = MULTILINE_RULE if target.kind == "multi" else LINE_RULE
        return _hindi(rule, code=CODES[what])
    return None


def must_refuse(target: Target, what: str) -> bool:
    if target.kind == "format":
        return True  # no date or choice looks like any of these values
    if target.kind == "multi" and what == "bidi override":
        return False  # notes keep formatting characters (tracker/text.py): they are shown isolated
    return what not in ("at limit", "formula")


def must_accept(target: Target, what: str) -> bool:
    return what == "at limit" and target.kind != "format" and target.name not in AT_LIMIT_REFUSED


def _refusal_problems(response, target: Target, what: str) -> list[str]:
    problem = response.get_json(silent=True) or {}
    if response.mimetype != "application/problem+json" or response.headers.get("Content-Language") != "hi":
        return [f"a refusal that is not a Hindi problem: {response.mimetype} {response.headers.get('Content-Language')}"]
    errors = problem.get("errors") or {}
    messages = [problem.get("detail", ""), *(m for ms in errors.values() for m in ms)]
    problems = [f"not in Hindi: {m[:120]!r}" for m in messages if not DEVANAGARI.search(m)]
    expected = expected_message(target, what)
    if expected is not None and expected not in errors.get(target.name, []):
        problems.append(f"without {expected!r}: {errors}")
    return problems


def check(response, target: Target, what: str) -> list[str]:
    status = response.status_code
    if status >= 500:
        found = [f"{status}"]
    elif status >= 400:
        found = _refusal_problems(response, target, what)
        if must_accept(target, what):
            found.append(f"refused ({status}): {response.get_data(as_text=True)[:300]}")
    else:
        found = [f"accepted ({status})"] if must_refuse(target, what) else []
    return [f"{target.label} {target.where}.{target.name} {what}: {p}" for p in found]


# --- the test ------------------------------------------------------------------------------------


@pytest.fixture
def document(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_every_operation_with_a_body_has_a_base_body(document):
    with_body = {f"{m.upper()} {p}" for p, item in document["paths"].items() for m, op in item.items()
                 if isinstance(op, dict) and "requestBody" in op}
    assert with_body == set(BODIES), f"operations without a base body here: {sorted(with_body - set(BODIES))}"


def test_every_api_operation_holds_under_hostile_input_in_hindi(app, client, world, document, monkeypatch, in_session):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", 100_000)  # a few hundred requests in a minute
    targets = walk(document)
    assert {t.label for t in targets if t.where in ("json", "form")} == set(BODIES) - set(NO_TEXT_BODIES)
    assert len(targets) >= 40
    sender = Sender(client, world)
    problems: list[str] = []
    for label in sorted({t.label for t in targets}):  # each base request is valid as it stands
        base = sender.send(next(t for t in targets if t.label == label), base_only=True)
        if base.status_code >= 300:
            problems.append(f"{label}: the base request answers {base.status_code}: {base.get_data(as_text=True)[:300]}")
    for target in targets:
        for what, value in hostile_values(target, sender.count):
            problems += check(sender.send(target, value), target, what)
    assert sender.count > 300
    assert problems == [], "\n".join(problems[:60])
