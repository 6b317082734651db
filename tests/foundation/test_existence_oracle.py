"""No existence oracle (issue 17, finding 7): a page or API operation about a record the user may not know
of answers exactly as for a record that does not exist.

Every route of the URL map with a record's id in its path is checked, for each of a few roles: the answer
for a record the role may not see (another district's person, session, pass or note, an unpublished
meeting …) must be the answer for a missing id (999999). Most such answers are 404; a page that the role
may not use at all (the outbox for a district president) answers 403 whatever the id, which tells nothing
either. Where the role may see the record (a coordinator and any session) a 403 for an action stays and is
not compared. Whether the role may see the record is the policy's own answer (``KINDS``).

A new route with an id is checked as soon as it exists if its parameter has a known name (``PARAM_KINDS``);
any other must be described in ``RULE_KINDS`` or listed in ``EXEMPT`` with the reason, or
``test_every_route_with_an_id_is_checked`` fails.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest

from tests.factories import make_invitation, make_meeting, make_session, make_user
from tests.worlds import RAJGARH, SEHORE, make_holder, make_region
from tracker import policy
from tracker.extensions import db

MISSING = 999999
DAY = date(2025, 9, 22)
ROLES = ("president", "coordinator", "incharge", "office")
ID_METHODS = ("GET", "POST", "PUT", "PATCH")

# Routes with a variable in the path that names no record, each with the reason it is not checked.
EXEMPT = {
    "/static/<path:filename>": "static files: no record",
    "/calendar/<token>.ics": "the calendar feed: anonymous, its unguessable token is the whole capability",
    "/p/<token>": "a personal link: anonymous, its unguessable token is the whole capability",
    "/p/<token>/revoke": "a personal link's revocation: anonymous, its unguessable token is the whole capability",
    "/p/<token>/invitations/<int:invitation_id>/reply": "a reply from a personal link: anonymous; another's "
                                                          "invitation answers 404 (tests/reminders/test_personal_links.py)",
    "/public/agenda/<token>": "the public agenda: anonymous, the meeting id signed with the secret key "
                              "(tests/meetings/test_share.py: a wrong or bare token is 404)",
    "/p/<token>/circulars/<int:circular_id>": "a circular from a personal link: anonymous; a circular not sent to "
                                             "the person's district answers 404 (tests/circulars/test_operations.py)",
    "/p/<token>/minutes/<int:minutes_id>": "minutes from a personal link: anonymous; minutes of what the person was "
                                           "not invited to answer 404 (tests/minutes/test_views.py)",
    "/public/minutes/<token>": "the public minutes: anonymous, the minutes' id signed with the secret key; a draft "
                               "or a wrong token is 404 (tests/minutes/test_views.py)",
    "/p/<token>/reports/<int:report_id>": "a report's question from a personal link: anonymous; a report of another "
                                          "district answers 404 (tests/reports/test_questions.py)",
    "/directory/export/<kind>.<fmt>": "a kind of export, not a record",
    "/api/v1/files/<string:key>": "a stored file by its random key through the API: another's file answers the "
                                  "404 of a missing key (tests/reports/test_api_write.py)",
    "/public/minutes/logo/<key>": "the party's logo on the minutes' letterhead: public like the letterhead (public "
                                  "minutes show it); only the logo the settings name now is served, any other key "
                                  "is the same 404",
    "/files/uploads/<key>": "a file being sent in pieces, by its random key: another's answers the 404 of a "
                            "missing key (tests/uploads/test_resumable.py)",
    "/files/uploads/<key>/finish": "as /files/uploads/<key> (tests/uploads/test_resumable.py)",
    "/files/<key>": "a stored file by its random key: another's file answers the 404 of a missing key "
                    "(tests/uploads/test_uploads.py, tests/reports)",
    "/directory/import/template/<kind>.<fmt>": "a kind of template, not a record",
}

# Variables that name no record: the value each check uses.
FIXED = {"day": DAY.isoformat(), "number": "1"}


@dataclass(frozen=True)
class Kind:
    """A kind of record in a path: the record a role may not know of, the role's own (used for the other ids of
    a path while this one is checked), the id of a missing one, and whether the user may know of the record."""

    hidden: Callable[[World], object]
    visible: Callable[[object, World], bool]
    own: Callable[[World], object] | None = None
    missing: object = MISSING

    def value(self, world, which: str):
        record = (self.own or self.hidden)(world) if which == "own" else self.hidden(world)
        return record.pass_token if isinstance(record, _Pass) else record.id


@dataclass(frozen=True)
class _Pass:
    pass_token: str


def _can(action: str, target: Callable[[World], object] | None = None) -> Callable[[object, World], bool]:
    return lambda user, world: policy.can(user, action, target(world) if target else None)


KINDS = {
    "meeting": Kind(lambda w: w.draft_meeting, _can("meeting.view", lambda w: w.draft_meeting),
                    own=lambda w: w.meeting),
    "session": Kind(lambda w: w.session_b, _can("session.view", lambda w: w.session_b), own=lambda w: w.session_a),
    "person": Kind(lambda w: w.president_b, _can("person.view", lambda w: w.president_b),
                   own=lambda w: w.president_a),
    "invitation": Kind(lambda w: w.invitation_b, _can("invitation.view", lambda w: w.invitation_b),
                       own=lambda w: w.invitation_a),
    "pass": Kind(lambda w: _Pass(w.invitation_b.pass_token), _can("invitation.view", lambda w: w.invitation_b),
                 missing=f"{MISSING}.bm90LWEtcGFzcw"),
    "agenda_item": Kind(lambda w: w.agenda_b, _can("session.view", lambda w: w.session_b),
                        own=lambda w: w.agenda_a),
    "post": Kind(lambda w: w.post_b, _can("person.view", lambda w: w.president_b), own=lambda w: w.post_a),
    "unit": Kind(lambda w: w.district_b, _can("unit.view", lambda w: w.district_b), own=lambda w: w.district_a),
    "note": Kind(lambda w: w.note_b, _can("review.read", lambda w: w.note_b), own=lambda w: w.note_a),
    "action_item": Kind(lambda w: w.item_b, _can("action_item.view", lambda w: w.item_b), own=lambda w: w.item_a),
    # Records of pages a role uses whole or not at all: the role may know of them if it may use the page.
    "campaign": Kind(lambda w: w.campaign, _can("campaign.progress")),
    "template_campaign": Kind(lambda w: w.campaign, _can("review.templates")),
    "checklist_item": Kind(lambda w: w.checklist_item, _can("review.templates")),
    "category": Kind(lambda w: w.category, _can("review.templates")),
    "message": Kind(lambda w: w.message, _can("outbox.view")),
    "problem": Kind(lambda w: w.problem, _can("outbox.view")),
    # A circular sent to district B only: its sender's side (office) and district B's president know of it.
    "circular": Kind(lambda w: w.circular_b,
                     lambda user, w: policy.can(user, "circular.status", w.circular_b)
                     or any(policy.can(user, "circular.respond", r) for r in w.circular_b.recipients),
                     own=lambda w: w.circular_a),
    # Another login's API token: nobody may know of it.
    "token": Kind(lambda w: w.token_b, lambda user, world: False),
    "report": Kind(lambda w: w.report_b, _can("report.view", lambda w: w.report_b), own=lambda w: w.report_a),
    "report_kind": Kind(lambda w: w.report_kind, _can("report.kinds")),
    # Approved minutes of session B: the office, those who see every meeting and B's invitees know of them.
    "minutes": Kind(lambda w: w.minutes_b, _can("minutes.view", lambda w: w.minutes_b), own=lambda w: w.minutes_a),
    # An admin's login: only an admin may know of it on the Logins pages (the office manages the others).
    "login": Kind(lambda w: w.users["admin"], _can("logins.edit", lambda w: w.users["admin"]),
                  own=lambda w: w.users["president_b"]),
}

# A path variable's kind, by its name ...
PARAM_KINDS = {
    "meeting_id": "meeting", "session_id": "session", "person_id": "person", "invitation_id": "invitation",
    "note_id": "note", "unit_id": "unit", "campaign_id": "campaign", "category_id": "category",
    "message_id": "message", "problem_id": "problem", "token_id": "token", "post_id": "post",
    "user_id": "login", "circular_id": "circular", "report_id": "report", "kind_id": "report_kind",
    "minutes_id": "minutes",
}
# ... or, where the name says too little (``item_id``), by the route.
RULE_KINDS = {
    "/meetings/agenda-items/<int:item_id>/edit": {"item_id": "agenda_item"},
    "/meetings/agenda-items/<int:item_id>/<any(up, down, delete):action>": {"item_id": "agenda_item"},
    "/reviews/items/<int:item_id>": {"item_id": "action_item"},
    "/api/v1/action-items/<int:item_id>": {"item_id": "action_item"},
    "/reviews/checklist-items/<int:item_id>": {"item_id": "checklist_item"},
    "/reviews/checklist-items/<int:item_id>/move": {"item_id": "checklist_item"},
    "/reviews/campaigns/<int:campaign_id>/checklist": {"campaign_id": "template_campaign"},
    "/reviews/campaigns/<int:campaign_id>/checklist/standard": {"campaign_id": "template_campaign"},
    "/attendance/pass/<token>": {"token": "pass"},
    "/attendance/sessions/<int:session_id>/divisions/<int:division_id>/present": {"division_id": "unit"},
}


def _variables(rule) -> list[str]:
    return list(rule._converters)


def _kinds_of(rule) -> dict[str, str] | None:
    """The kind of each record variable of the route's path (None when one is unknown)."""
    overrides = RULE_KINDS.get(rule.rule, {})
    kinds = {}
    for name in _variables(rule):
        if name in FIXED or rule._converters[name].__class__.__name__ == "AnyConverter":
            continue
        kind = overrides.get(name, PARAM_KINDS.get(name))
        if kind is None:
            return None
        kinds[name] = kind
    return kinds


def _checked_rules(app):
    for rule in app.url_map.iter_rules():
        if _variables(rule) and rule.rule not in EXEMPT:
            yield rule


def test_every_route_with_an_id_is_checked(app):
    unknown = [rule.rule for rule in _checked_rules(app) if not _kinds_of(rule)]
    assert not unknown, f"routes with a record in the path that no check covers (add them to RULE_KINDS or EXEMPT): {unknown}"
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    stale = sorted((set(EXEMPT) | set(RULE_KINDS)) - rules)
    assert not stale, f"listed routes that no longer exist: {stale}"


# --- the world -------------------------------------------------------------------------------------


@dataclass
class World:
    district_a: object = None
    district_b: object = None
    president_a: object = None
    president_b: object = None
    post_a: object = None
    post_b: object = None
    meeting: object = None
    draft_meeting: object = None
    session_a: object = None
    session_b: object = None
    invitation_a: object = None
    invitation_b: object = None
    agenda_a: object = None
    agenda_b: object = None
    note_a: object = None
    note_b: object = None
    item_a: object = None
    item_b: object = None
    campaign: object = None
    checklist_item: object = None
    category: object = None
    message: object = None
    problem: object = None
    token_b: object = None
    circular_a: object = None
    circular_b: object = None
    report_a: object = None
    report_b: object = None
    report_kind: object = None
    minutes_a: object = None
    minutes_b: object = None
    users: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)


def _meetings(world: World, region, reviewers) -> None:
    from tracker.meetings.models import AgendaItem

    world.meeting = make_meeting(status="published", published_at=datetime(2025, 9, 1, tzinfo=UTC), commit=False,
                                 campaign_id=world.campaign.id)
    sessions = []
    for hour, district, president, reviewer in zip((4, 5), region.districts, region.presidents, reviewers,
                                                   strict=True):
        session = make_session(world.meeting, starts_at=datetime(2025, 9, 22, hour, 0, tzinfo=UTC), minutes=30,
                               kind="one_to_one", district_unit_id=district.id, commit=False)
        make_invitation(session, reviewer, "reviewer", unit=district, commit=False)
        sessions.append((session, make_invitation(session, president, "invitee", unit=district, commit=False)))
    (world.session_a, world.invitation_a), (world.session_b, world.invitation_b) = sessions
    world.agenda_a, world.agenda_b = (AgendaItem(session=s, position=1, title_en="Booth committees", title_hi="बूथ")
                                      for s, _inv in sessions)
    db.session.add_all([world.agenda_a, world.agenda_b])
    # An unpublished meeting to which the president of district A is already invited.
    world.draft_meeting = make_meeting(title_en="Draft meeting", commit=False)
    draft_session = make_session(world.draft_meeting, commit=False)
    make_invitation(draft_session, world.president_a, "invitee", unit=world.district_a, commit=False)


def _reviews(world: World, reviewers) -> None:
    from tracker.reviews import operations as ops
    from tracker.reviews.models import ActionItem, ChecklistKind, ReviewNote

    template = ops.template_for(world.campaign)
    world.checklist_item = ops.add_checklist_item(template, "कार्यालय", "Office space", ChecklistKind.TEXT)
    world.category = ops.save_category(None, "गुटबाज़ी", "Factionalism")
    notes = []
    for district, president, reviewer in zip((world.district_a, world.district_b),
                                             (world.president_a, world.president_b), reviewers, strict=True):
        note = ReviewNote(district=district, president=president, reviewed_on=DAY, challenges="Factions",
                          strategy="Visit", private_remark="Confidential", answers={}, campaign_id=world.campaign.id)
        note.reviewers = [reviewer]
        item = ActionItem(title="Find an office", owner=president, review_note=note, district_unit_id=district.id,
                          due_on=date(2025, 10, 15))
        db.session.add_all([note, item])
        notes.append((note, item))
    db.session.flush()
    (world.note_a, world.item_a), (world.note_b, world.item_b) = notes


def _reminders(world: World) -> None:
    from tracker.reminders.models import (
        MessageKind,
        NotifyProblem,
        OutboxChannel,
        OutboxMessage,
        ProblemReason,
    )
    from tracker.timeutil import now_utc

    world.message = OutboxMessage(
        idempotency_key="oracle-1", kind=MessageKind.INVITATION, channel=OutboxChannel.EMAIL,
        recipient_person_id=world.president_b.id, address="b@example.org", locale="en", subject="Invitation",
        body="…", send_after=now_utc())
    world.problem = NotifyProblem(idempotency_key="oracle-2", kind=MessageKind.INVITATION,
                                  reason=ProblemReason.NO_EMAIL, person_id=world.president_b.id,
                                  meeting_id=world.meeting.id)
    db.session.add_all([world.message, world.problem])


def _circulars(world: World) -> None:
    from tracker.circulars.models import AnswerKind, Circular, CircularRecipient, RecipientScope
    from tracker.timeutil import now_utc

    circulars = []
    for district, president in ((world.district_a, world.president_a), (world.district_b, world.president_b)):
        circular = Circular(title="Booth committees", body="How many?", answer_kind=AnswerKind.NUMBER,
                            due_on=date(2025, 10, 1), scope=RecipientScope.DISTRICTS, sent_at=now_utc())
        circular.recipients = [CircularRecipient(district_unit_id=district.id, president_person_id=president.id)]
        circulars.append(circular)
    db.session.add_all(circulars)
    world.circular_a, world.circular_b = circulars
def _programme_reports(world: World) -> None:
    from tracker.reports import operations as ops
    from tracker.reports import queries

    ops.add_standard_kinds()
    world.report_kind = queries.kinds()[0]
    world.report_a, world.report_b = (
        ops.submit_report(None, district, ops.ReportData(world.report_kind.id, DAY, "Office", 25), [])
        for district in (world.district_a, world.district_b))


def _minutes(world: World) -> None:
    from tracker.minutes.models import Minutes, MinutesStatus

    world.minutes_a, world.minutes_b = (
        Minutes(meeting=world.meeting, session=session, scope_key=f"s{session.id}", year=2025, number=n,
                reference=f"MPCC/2025/कार्यवृत्त/{n:03d}", language="hi", texts={}, status=MinutesStatus.APPROVED,
                version=1, approved_at=datetime(2025, 9, 23, tzinfo=UTC))
        for n, session in ((1, world.session_a), (2, world.session_b)))
    db.session.add_all([world.minutes_a, world.minutes_b])
    db.session.flush()


def _logins(world: World, incharge_person) -> None:
    from tracker.api import operations as token_ops

    world.users = {
        "president": make_user("president", "oracle_president", person=world.president_a),
        "president_b": make_user("president", "oracle_president_b", person=world.president_b),
        "coordinator": make_user("coordinator", "oracle_coordinator"),
        "incharge": make_user("incharge", "oracle_incharge", person=incharge_person),
        "office": make_user("office", "oracle_office"),
        "admin": make_user("admin", "oracle_admin"),
    }
    for name in ROLES:
        world.tokens[name] = token_ops.create_token(world.users[name], "oracle")[1]
    world.token_b = token_ops.create_token(world.users["president_b"], "theirs")[0]
    db.session.commit()


@pytest.fixture
def world() -> World:
    from tracker.campaigns.models import Campaign

    region = make_region([RAJGARH, SEHORE], [{"name_en": "Priyavrat Singh", "name_hi": "प्रियव्रत सिंह"},
                                             {"name_en": "Ramesh Verma", "name_hi": "रमेश वर्मा"}])
    world = World(district_a=region.districts[0], district_b=region.districts[1],
                  president_a=region.presidents[0], president_b=region.presidents[1])
    world.post_a, world.post_b = world.president_a.posts[0], world.president_b.posts[0]
    reviewers = [make_holder(region.division, "co_incharge", name_en=f"Reviewer {n}") for n in "AB"]
    world.campaign = Campaign(code="oracle", name_hi="अभियान", name_en="Campaign", is_active=True)
    db.session.add(world.campaign)
    db.session.flush()
    _meetings(world, region, reviewers)
    _reviews(world, reviewers)
    _reminders(world)
    _circulars(world)
    _programme_reports(world)
    _minutes(world)
    db.session.flush()
    _logins(world, reviewers[0])
    return world


# --- the check -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    rule: str
    method: str
    variable: str
    hidden_url: str
    missing_url: str


def _url(rule, values: dict) -> str:
    url = rule.rule
    for name, converter in rule._converters.items():
        value = values.get(name, FIXED.get(name))
        if converter.__class__.__name__ == "AnyConverter":
            value = sorted(converter.items)[0]
        url = re.sub(rf"<(?:[^<>]+:)?{name}>", str(value), url)
    return url


def _cases(app, world: World, user):
    """For each route, method and record variable the user may not know of: the request about that record
    and the same request about a missing one (the route's other records the user's own)."""
    for rule in _checked_rules(app):
        kinds = _kinds_of(rule)
        for variable, kind_name in kinds.items():
            kind = KINDS[kind_name]
            if kind.visible(user, world):
                continue
            values = {name: KINDS[other].value(world, "own") for name, other in kinds.items()}
            hidden = _url(rule, {**values, variable: kind.value(world, "hidden")})
            missing = _url(rule, {**values, variable: kind.missing})
            for method in sorted(set(ID_METHODS) & rule.methods):
                yield Case(rule.rule, method, variable, hidden, missing)


def _status(client, case: Case, url: str, headers: dict) -> int:
    if url.startswith("/api/"):
        return client.open(url, method=case.method, headers={**headers, "If-Match": '"x"'},
                           json={} if case.method in ("PUT", "PATCH") else None).status_code
    return client.open(url, method=case.method, data={}).status_code


@pytest.mark.parametrize("role", ROLES)
def test_a_record_one_may_not_know_of_answers_as_a_missing_one(app, client, auth, world, role):
    user = world.users[role]
    auth.login(user.username)
    headers = {"Authorization": f"Bearer {world.tokens[role]}"}
    cases = list(_cases(app, world, user))
    leaks = []
    for case in cases:
        hidden, missing = _status(client, case, case.hidden_url, headers), _status(client, case, case.missing_url,
                                                                                   headers)
        if hidden != missing or hidden >= 500:
            leaks.append(f"{case.method} {case.hidden_url} → {hidden}, but {case.missing_url} → {missing}")
    assert not leaks, f"{role}: {len(leaks)} of {len(cases)} answers tell that a record exists:\n" + "\n".join(leaks)
    assert len(cases) >= 10
