"""The living demo: the Madhya Pradesh directory and two meetings, loaded by ``tracker setup`` into an empty
database (``tracker demo load`` loads the directory).

**The directory**, read from the copy in ``tracker/demo_data/``: units, district presidents, state
office-bearers, co-in-charges, the campaign and the demo logins. ``load_demo`` creates only what is missing
(units by code, people by their demo mobile number, posts by person, unit and role, users by name, the
campaign by code), so loading twice changes nothing. It commits: it is called by ``tracker setup`` and
``tracker demo load`` as a whole unit of work.

**The meetings** (``load_meetings``):

* **The reference meeting** of 22–24 September 2025 (the glossary's news report): three days, two
  divisions a day (Bhopal + Narmadapuram, Indore + Ujjain, Jabalpur + Sagar), with the one-to-ones
  as the planner makes them; published; attendance marked at every session; Bhopal City's
  one-to-one reviewed, with a signed-off note and action items.
* **A coming meeting** of the Bhopal and Narmadapuram divisions the day after the demo is loaded
  (``today``), published, so that Praveen's and Anokhi's agenda and the coordinator's rosters are
  not empty on a fresh install.

Everything goes through the domains' operations (planner, publishing, attendance marks, review
notes), never rows written by hand. Loading is idempotent: a meeting already there (found by its
English title and first date; the coming one by its title and a first date not yet past) is left
as it is.

Messages: publishing queues invitations and reminders in the outbox. Demo people have made-up
(but plausible) mobile numbers, so the demo's own messages are cancelled at once: the office sees
them in the outbox as "cancelled" (what would have gone out), and nothing is sent even where an
SMTP server or webhook is configured later.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from tracker.audit.operations import acting_as
from tracker.auth import operations as auth_ops
from tracker.auth.models import Role, User
from tracker.campaigns.models import Campaign
from tracker.directory import operations as directory_ops
from tracker.directory.models import Person, Post, RevenueDistrict, RoleCode, Unit, UnitLevel
from tracker.extensions import db

# --- the directory ---------------------------------------------------------------------------------

DATA_DIR = Path(__file__).resolve().parent / "demo_data"

STATE = {"code": "mp", "name_en": "Madhya Pradesh", "name_hi": "मध्य प्रदेश", "level": UnitLevel.STATE}
DIVISION_SUFFIX = "_division"  # division codes would clash with district codes (narmadapuram, rewa …)
PRESIDENTS_APPOINTED = date(2025, 8, 16)  # the AICC list of 71 district presidents
NOT_CONFIRMED_NOTE = "पुष्टि होना बाकी · not yet confirmed"

# Rows of roles.csv whose holder is a state office-bearer: title_en → (role, start of the term).
STATE_POSTS = {
    "AICC General Secretary in-charge of Madhya Pradesh (state in-charge)": (RoleCode.STATE_INCHARGE, date(2025, 2, 14)),
    "PCC General Secretary (Organisation) / Organisation in-charge": (RoleCode.ORG_INCHARGE, date(2025, 1, 1)),
    "PCC President": (RoleCode.STATE_PRESIDENT, date(2023, 12, 16)),
}
# The state in-charge gives each co-in-charge their divisions; the file has the late-2025 split.
CO_INCHARGES_FROM = date(2025, 2, 14)

CAMPAIGN = {"code": "sangathan_srijan", "name_hi": "संगठन सृजन अभियान", "name_en": "Sangathan Srijan Abhiyan"}

# username, role, demo person (English name) or None, description for the console
LOGINS = (
    ("admin", Role.ADMIN, None, "administrator"),
    ("office", Role.OFFICE, None, "office staff"),
    ("coordinator", Role.COORDINATOR, None, "coordinator"),
    ("harish", Role.INCHARGE, "Harish Chaudhary", "in-charge: Harish Chaudhary, state in-charge"),
    ("kamle", Role.INCHARGE, "Dr. Sanjay Kamle", "in-charge: Dr. Sanjay Kamle, organization in-charge"),
    ("sanjay", Role.INCHARGE, "Sanjay Dutt", "in-charge: Sanjay Dutt, co-in-charge (Bhopal, Ujjain)"),
    ("praveen", Role.PRESIDENT, "Praveen Saxena", "district president: Praveen Saxena, Bhopal City"),
    ("anokhi", Role.PRESIDENT, "Anokhi Man Singh Patel", "district president: Anokhi Man Singh Patel, Bhopal Rural"),
)

_NAMES_IN_NOTE = re.compile(r"^\s*(?P<en>[^/;\[]+?)\s*/\s*(?P<hi>[^;\[]+?)\s*[;\[]")


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def demo_mobile(number: int) -> str:
    """A plausible, deterministic Indian mobile number for the n-th demo person."""
    return f"+9194250{number:05d}"


def database_is_empty() -> bool:
    return not db.session.scalar(sa.select(sa.exists().where(Unit.id.is_not(None)))) and not db.session.scalar(
        sa.select(sa.exists().where(User.id.is_not(None)))
    )


def demo_logins() -> list[tuple[str, str]]:
    return [(username, description) for username, _role, _person, description in LOGINS]


def demo_mobile_logins() -> list[tuple[str, str]]:
    """(username, mobile number) of the demo logins linked to a person: they can sign in by mobile number."""
    rows = db.session.execute(
        sa.select(User.username, Person.mobile).join(Person, Person.id == User.person_id)
        .where(Person.mobile.is_not(None), User.is_active_flag.is_(True)).order_by(User.id)
    )
    return [(username, mobile) for username, mobile in rows]


def mobile_sign_in_help() -> list[str]:
    """How to sign in by mobile number in development (printed with the demo logins)."""
    logins = demo_mobile_logins()
    if not logins:
        return []
    lines = ['Or sign in by mobile number (/login, "With mobile number"): without a webhook configured no SMS',
             "goes out; the 6-digit code is printed on the console of the web server (the console channel):"]
    named = {username for username, *_rest in LOGINS}
    lines += [f"  {username:14} {mobile}" for username, mobile in logins if username in named]
    presidents = _president_mobiles()
    if presidents:
        lines.append(f"  every district president ({len(presidents)}) signs in with their mobile number; "
                     f"e.g. {', '.join(presidents[:3])}")
    return lines


def _president_mobiles() -> list[str]:
    """The mobile numbers of the district presidents who have an active login, in login order."""
    presidents = sa.select(Post.person_id).where(Post.role.has(code=RoleCode.DISTRICT_PRESIDENT))
    return list(db.session.scalars(
        sa.select(Person.mobile).join(User, User.person_id == Person.id)
        .where(Person.id.in_(presidents), User.is_active_flag.is_(True), Person.mobile.is_not(None))
        .order_by(User.id)))


class _Loader:
    def __init__(self) -> None:
        self.units = {u.code: u for u in db.session.scalars(sa.select(Unit))}
        self.people = {p.mobile: p for p in db.session.scalars(sa.select(Person).where(Person.mobile.is_not(None)))}
        self.by_name: dict[str, Person] = {}

    def unit(self, data: dict) -> Unit:
        unit = self.units.get(data["code"])
        if unit is None:
            unit = directory_ops.create_unit(data)
            self.units[unit.code] = unit
        return unit

    def person(self, number: int, name_en: str, name_hi: str) -> Person:
        mobile = demo_mobile(number)
        person = self.people.get(mobile)
        if person is None:
            person = directory_ops.create_person({"name_en": name_en, "name_hi": name_hi, "mobile": mobile,
                                        "preferred_locale": "hi", "preferred_channel": "sms"})
            self.people[mobile] = person
        self.by_name[name_en] = person
        return person

    def post(self, person: Person, unit: Unit, role_code: str, start: date, note: str = "") -> None:
        exists = db.session.scalar(
            sa.select(Post.id).where(Post.person_id == person.id, Post.unit_id == unit.id,
                                     Post.role_id == directory_ops.role_by_code(role_code).id)
        )
        if exists is None:
            directory_ops.appoint(person, unit, role_code, start, note=note)


def _load_units(loader: _Loader) -> Unit:
    state = loader.unit(STATE)
    divisions = {}
    for row in _rows("divisions.csv"):
        divisions[row["code"]] = loader.unit({"code": row["code"] + DIVISION_SUFFIX, "level": UnitLevel.DIVISION,
                                              "parent": state, "name_en": row["name_en"], "name_hi": row["name_hi"]})
    revenue = {r.code: r for r in db.session.scalars(sa.select(RevenueDistrict))}
    for row in _rows("districts.csv"):
        if row["code"] not in revenue:
            revenue[row["code"]] = RevenueDistrict(code=row["code"], name_en=row["name_en"], name_hi=row["name_hi"],
                                                   division_id=divisions[row["division_code"]].id)
            db.session.add(revenue[row["code"]])
    db.session.flush()
    for number, row in enumerate(_rows("org_districts.csv"), start=1):
        district = loader.unit({
            "code": row["code"], "level": UnitLevel.DISTRICT, "parent": divisions[row["division_code"]],
            "name_en": row["name_en"], "name_hi": row["name_hi"], "district_kind": row["kind"],
            "revenue_district_id": revenue[row["revenue_district_code"]].id,
        })
        president = loader.person(number, row["president_en"], row["president_hi"])
        note = "" if row["president_confirmed"] == "yes" else NOT_CONFIRMED_NOTE
        loader.post(president, district, RoleCode.DISTRICT_PRESIDENT, PRESIDENTS_APPOINTED, note)
    return state


def _load_office_bearers(loader: _Loader, state: Unit) -> None:
    for number, row in enumerate(_rows("roles.csv"), start=101):
        if row["title_en"] not in STATE_POSTS:
            continue
        names = _NAMES_IN_NOTE.match(row["notes"])
        role_code, start = STATE_POSTS[row["title_en"]]
        person = loader.person(number, names["en"], names["hi"])
        loader.post(person, state, role_code, start)
    for number, row in enumerate(_rows("co_incharges.csv"), start=201):
        codes = [c for c in row["division_codes"].split(";") if c]
        if not codes:
            continue
        person = loader.person(number, row["name_en"], row["name_hi"])
        for code in codes:
            loader.post(person, loader.units[code + DIVISION_SUFFIX], RoleCode.CO_INCHARGE, CO_INCHARGES_FROM,
                        row["role"])


def _load_campaign() -> None:
    if db.session.scalar(sa.select(Campaign.id).where(Campaign.code == CAMPAIGN["code"])) is None:
        db.session.add(Campaign(**CAMPAIGN, is_active=True))


def _load_logins(loader: _Loader) -> None:
    existing = set(db.session.scalars(sa.select(User.username)))
    password = current_app.config["DEMO_PASSWORD"]
    for username, role, person_name, _description in LOGINS:
        if username in existing:
            continue
        person = loader.by_name.get(person_name) if person_name else None
        auth_ops.create_user(username, password, role, full_name=person_name or "",
                             person_id=person.id if person else None)


def _load_president_logins(state: Unit) -> None:
    """Every district president without a demo login gets one made from the post (the office's own
    operation, sign-in by mobile number); nothing when all have one, so loading twice changes nothing."""
    if auth_ops.plan_from_posts("district_president", [state.id]).created:
        auth_ops.logins_from_posts("district_president", [state.id])


def load_demo() -> None:
    """Load Madhya Pradesh: units, presidents, state office-bearers, co-in-charges, campaign, logins."""
    with acting_as(label="demo"):
        directory_ops.ensure_standard_roles()
        loader = _Loader()
        state = _load_units(loader)
        _load_office_bearers(loader, state)
        _load_campaign()
        _load_logins(loader)
        _load_president_logins(state)
        db.session.commit()


# --- the meetings ----------------------------------------------------------------------------------

REFERENCE_START = date(2025, 9, 22)
REFERENCE_PINS = {
    REFERENCE_START: ["bhopal", "narmadapuram"],
    REFERENCE_START + timedelta(days=1): ["indore", "ujjain"],
    REFERENCE_START + timedelta(days=2): ["jabalpur", "sagar"],
}
REFERENCE_TITLE = {"title_en": "3-day meeting of district presidents",
                   "title_hi": "जिला अध्यक्षों की 3 दिवसीय बैठक"}
COMING_DIVISIONS = ["bhopal", "narmadapuram"]
COMING_TITLE = {"title_en": "Review meeting of the Bhopal and Narmadapuram divisions",
                "title_hi": "भोपाल और नर्मदापुरम संभाग की समीक्षा बैठक"}
VENUE = "प्रदेश कांग्रेस कार्यालय, भोपाल"
WINDOW = (time(11, 0), time(17, 0))

REVIEWED_DISTRICT = "bhopal_city"  # Praveen Saxena's district
REVIEWER_LOGIN = "sanjay"  # Sanjay Dutt, co-in-charge of the Bhopal division
MARKER_LOGIN = "coordinator"
PRESIDENT_LOGINS = ("praveen", "anokhi")


@dataclass
class Loaded:
    """What one call added (an empty list: it was there already)."""

    meetings: list = field(default_factory=list)
    marks: int = 0
    notes: int = 0
    items: int = 0
    cancelled_messages: int = 0
    circulars: int = 0


def is_demo_directory() -> bool:
    """The database holds the demo directory (its logins, linked to the demo people), not real data."""
    users = {u.username: u for u in db.session.scalars(
        sa.select(User).where(User.username.in_([REVIEWER_LOGIN, MARKER_LOGIN, *PRESIDENT_LOGINS])))}
    if len(users) != 2 + len(PRESIDENT_LOGINS):
        return False
    praveen = db.session.get(Person, users["praveen"].person_id) if users["praveen"].person_id else None
    return praveen is not None and (praveen.mobile or "").startswith("+9194250")


def _find(title_en: str, starts_on_at_least: date, exact: bool):
    from tracker.meetings.models import Meeting, MeetingStatus

    stmt = sa.select(Meeting).where(Meeting.title_en == title_en, Meeting.status != MeetingStatus.CANCELLED)
    stmt = stmt.where(Meeting.starts_on == starts_on_at_least) if exact else stmt.where(
        Meeting.ends_on >= starts_on_at_least)
    return db.session.scalars(stmt).first()


def _campaign_id() -> int | None:
    return db.session.scalar(sa.select(Campaign.id).where(Campaign.code == CAMPAIGN["code"]))


def _plan_and_publish(divisions: list[str], start: date, days: int, pins: dict, title: dict, loaded: Loaded):
    """Plan with the planner, save as a draft, publish; then cancel the demo's own messages."""
    from tracker.meetings import operations as meeting_ops
    from tracker.meetings import planning
    from tracker.meetings.models import MeetingPurpose
    from tracker.reminders import operations as reminder_ops
    from tracker.reminders.models import OutboxMessage

    context, plan = planning.make_plan(planning.PlanInput(
        division_codes=divisions, start=start, days=days, per_day=2, pins=pins, window=WINDOW))
    if not plan.ok:
        raise RuntimeError("the demo meeting could not be planned: "
                           + "; ".join(planning.problem_message(p) for p in plan.problems))
    meeting = planning.save_plan(plan, context, {
        **title, "venue": VENUE, "purpose": MeetingPurpose.REVIEW, "campaign_id": _campaign_id(),
        "starts_on": start, "ends_on": start + timedelta(days=days - 1)})
    meeting_ops.publish_meeting(meeting)
    loaded.cancelled_messages += reminder_ops.cancel_pending(OutboxMessage.meeting_id == meeting.id)
    loaded.meetings.append(meeting)
    return meeting


def _user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


# --- attendance at the reference meeting -----------------------------------------------------------

# A believable pattern, the same on every load: mostly present, some late, a few excused,
# represented or absent (decided by the person's and the session's ids).
_PATTERN = ("present",) * 13 + ("late", "late", "excused", "represented", "absent", "present", "present")


def _mark_reference_attendance(meeting, loaded: Loaded) -> None:
    from tracker.attendance import operations as attendance_ops
    from tracker.attendance.models import AttendanceStatus
    from tracker.meetings import queries as meeting_queries
    from tracker.timeutil import clock_at

    marker = _user(MARKER_LOGIN)
    sessions = list(meeting.sessions)
    rows = meeting_queries.invitation_rows([s.id for s in sessions])
    for session in sessions:
        for invitation in rows.get(session.id, []):
            status = AttendanceStatus(_PATTERN[(invitation.person_id * 7 + session.id) % len(_PATTERN)])
            mark = attendance_ops.Mark(
                status=status,
                late_at=session.starts_at + timedelta(minutes=20) if status == AttendanceStatus.LATE else None,
                represented_by_name="राकेश शर्मा (जिला उपाध्यक्ष)"
                if status == AttendanceStatus.REPRESENTED else "",
                note="पहले से सूचना दी" if status == AttendanceStatus.EXCUSED else "",
            )
            # Marked as in the hall: within the marking window, half an hour into the session.
            with clock_at(session.starts_at + timedelta(minutes=30)):
                result = attendance_ops.mark(session, invitation.person_id, mark, marker.id if marker else None,
                                             invited=True)
            loaded.marks += int(result.changed)


# --- the reviewed district ------------------------------------------------------------------------

NOTE_TEXT = {
    "challenges": "ब्लॉक स्तर पर गुटबाज़ी; दो ब्लॉकों में अध्यक्ष अभी तय नहीं।",
    "strategy": "हर ब्लॉक में मासिक बैठक, अक्टूबर के अंत तक सभी बूथ समितियाँ।",
    "decisions": "जिला कार्यालय रोज़ खुलेगा; सोशल मीडिया टीम बनेगी।",
    "private_remark": "दोनों गुटों के नेताओं से अलग-अलग बात करनी होगी।",
}
ITEMS = (
    ("सभी बूथ समितियों का गठन", "president", date(2025, 10, 31)),
    ("सदस्यता सूची प्रदेश कार्यालय भेजना", "president", date(2025, 10, 15)),
    ("दोनों गुटों के नेताओं के साथ अलग-अलग बैठक", "reviewer", date(2025, 10, 5)),
)


def _review_reference_district(meeting, loaded: Loaded) -> None:
    from tracker.meetings.models import SessionKind
    from tracker.reviews import operations as review_ops
    from tracker.reviews.models import ChallengeCategory, ItemStatus

    session = next((s for s in meeting.sessions if s.kind == SessionKind.ONE_TO_ONE
                    and s.district is not None and s.district.code == REVIEWED_DISTRICT), None)
    reviewer = _user(REVIEWER_LOGIN)
    if session is None or reviewer is None:
        return
    template = review_ops.template_for(meeting.campaign) if meeting.campaign is not None else None
    if template is not None and not template.items:
        review_ops.add_standard_checklist(template)
    if db.session.scalar(sa.select(sa.func.count(ChallengeCategory.id))) == 0:
        review_ops.add_standard_categories()
    note = review_ops.start_note_for_session(session, reviewer)
    items = list(template.items) if template is not None else []
    answers = {str(item.id): ("yes" if n % 2 == 0 else "no") for n, item in enumerate(items)
               if item.kind.value == "yes_no"}
    answers.update({str(item.id): 12450 for item in items if item.kind.value == "number"})
    category = db.session.scalars(sa.select(ChallengeCategory).order_by(ChallengeCategory.position)).first()
    review_ops.save_draft(note, review_ops.NoteContent(
        answers=answers, readiness=3, category_ids=[category.id] if category else [], **NOTE_TEXT))
    review_ops.sign_off(note, reviewer)
    owners = {"president": note.president, "reviewer": db.session.get(Person, reviewer.person_id)}
    added = review_ops.add_note_items(note, [
        review_ops.ItemData(title, owners[owner], due) for title, owner, due in ITEMS if owners[owner] is not None
    ], reviewer)
    if len(added) > 2:
        review_ops.update_action_item(added[2], reviewer, ItemStatus.DONE, "दोनों से 3 अक्टूबर को बात हुई")
    loaded.notes += 1
    loaded.items += len(added)


# --- programme reports ----------------------------------------------------------------------------

# (district code, kind code, days after the reference meeting, place, participants, account, what the office did)
DEMO_REPORTS = (  # the first is still waiting for the office's review
    (REVIEWED_DISTRICT, "protest", 20, "रोशनपुरा चौराहा", 400, "महँगाई के विरोध में धरना-प्रदर्शन।", ""),
    (REVIEWED_DISTRICT, "worker_meeting", 5, "जिला कांग्रेस कार्यालय, भोपाल", 85,
     "ब्लॉक अध्यक्षों और मंडल अध्यक्षों की बैठक: संगठन सृजन अभियान की समय-सारिणी तय हुई।", "verified"),
    (REVIEWED_DISTRICT, "membership_drive", 12, "हबीबगंज", 240, "घर-घर सदस्यता अभियान, 240 नए सदस्य।",
     "questioned"),
)
DEMO_QUESTION = "कितने नए सदस्यों के फ़ॉर्म जिला कार्यालय में जमा हुए?"


def _report_programmes(loaded: Loaded) -> None:
    from tracker.reminders import operations as reminder_ops
    from tracker.reminders.models import MessageKind, OutboxMessage
    from tracker.reports import operations as report_ops
    from tracker.reports import queries as report_queries

    report_ops.add_standard_kinds()
    kinds = {k.code: k for k in report_queries.kinds()}
    districts = {u.code: u for u in db.session.scalars(sa.select(Unit).where(Unit.code == REVIEWED_DISTRICT))}
    office = _user("office")
    president = _user("praveen")
    for code, kind, days, place, participants, account, outcome in DEMO_REPORTS:
        if code not in districts or kind not in kinds:
            continue
        report = report_ops.submit_report(president, districts[code], report_ops.ReportData(
            kinds[kind].id, REFERENCE_START + timedelta(days=days), place, participants, account), [])
        if outcome == "verified" and office is not None:
            report_ops.verify_report(report, office)
        elif outcome == "questioned" and office is not None:
            report_ops.ask_question(report, office, DEMO_QUESTION)
    # Like the meetings' invitations: the question asked back goes to a demo number, so it is not sent.
    loaded.cancelled_messages += reminder_ops.cancel_pending(OutboxMessage.kind == MessageKind.REPORT_QUESTION)


# --- loading ---------------------------------------------------------------------------------------


def coming_start(today: date) -> date:
    """The coming meeting's day: tomorrow, relative to the day the demo is loaded."""
    return today + timedelta(days=1)


def load_meetings(today: date) -> Loaded:
    """Add the reference meeting and the coming one when missing (flushes; the caller commits)."""
    loaded = Loaded()
    with acting_as(label="demo"):
        if _find(REFERENCE_TITLE["title_en"], REFERENCE_START, exact=True) is None:
            meeting = _plan_and_publish(list(dict.fromkeys(c for cs in REFERENCE_PINS.values() for c in cs)),
                                        REFERENCE_START, 3, REFERENCE_PINS, REFERENCE_TITLE, loaded)
            _mark_reference_attendance(meeting, loaded)
            _review_reference_district(meeting, loaded)
            _report_programmes(loaded)
            _write_minutes(meeting)
        if _find(COMING_TITLE["title_en"], today, exact=False) is None:
            start = coming_start(today)
            _plan_and_publish(COMING_DIVISIONS, start, 1, {start: COMING_DIVISIONS}, COMING_TITLE, loaded)
        _send_circular(today, loaded)
        db.session.flush()
    return loaded


# --- minutes ---------------------------------------------------------------------------------------

MINUTES_OPENING = "प्रदेश अध्यक्ष ने सभी जिला अध्यक्षों का स्वागत किया और संगठन सृजन अभियान की प्रगति पर बैठक आरंभ की।"
MINUTES_ITEM = ("जिलों ने अपनी बूथ समितियों की स्थिति बताई।\n\n- जिन ब्लॉकों में समितियाँ नहीं बनीं, वहाँ प्रभारी दौरा करेंगे\n"
                "- सदस्यता सूची हर सप्ताह प्रदेश कार्यालय भेजी जाएगी")
MINUTES_DECISIONS = "1. सभी जिले 15 अक्टूबर तक बूथ समितियों का गठन पूरा करेंगे।\n2. अगली समीक्षा बैठक नवंबर में होगी।"


def _write_minutes(meeting) -> None:
    """The reference meeting's minutes: its first group session's, approved, and the whole meeting's, a draft
    (``make run`` shows both: the office edits and approves, the presidents read the approved ones)."""
    from tracker.meetings.models import SessionKind
    from tracker.minutes import operations as minutes_ops
    from tracker.timeutil import now_utc

    office = _user("office")
    group = next((s for s in meeting.sessions if s.kind == SessionKind.GROUP), None)
    if group is None:
        return
    texts = {"opening": MINUTES_OPENING, "decisions": MINUTES_DECISIONS}
    texts.update({f"item-{item.id}": MINUTES_ITEM for item in group.agenda_items[:1]})
    session_minutes = minutes_ops.start(meeting, group, office, "hi")
    minutes_ops.save(session_minutes, office, texts, "hi", now_utc())
    minutes_ops.approve(session_minutes, office, now_utc())
    whole = minutes_ops.start(meeting, None, office, "hi")
    minutes_ops.save(whole, office, {"opening": MINUTES_OPENING}, "hi", now_utc())


# --- a circular ------------------------------------------------------------------------------------

CIRCULAR_TITLE = "संगठन सृजन: बूथ समितियों की स्थिति"
CIRCULAR_BODY = ("सभी जिला अध्यक्ष अपने जिले में गठित बूथ समितियों की संख्या और आगे की योजना सात दिन में प्रदेश "
                 "कार्यालय को बताएँ।")


def _send_circular(today: date, loaded: Loaded) -> None:
    """The office's circular to the Bhopal division (a text answer due in a week), once."""
    from tracker.circulars import operations as circular_ops
    from tracker.circulars.models import AnswerKind, Circular, RecipientScope
    from tracker.reminders import operations as reminder_ops
    from tracker.reminders.models import MessageKind, OutboxMessage
    from tracker.timeutil import now_utc

    if db.session.scalar(sa.select(Circular.id).where(Circular.title == CIRCULAR_TITLE).limit(1)) is not None:
        return
    division = db.session.scalar(sa.select(Unit).where(Unit.code == "bhopal" + DIVISION_SUFFIX))
    if division is None:
        return
    draft = circular_ops.Draft(title=CIRCULAR_TITLE, body=CIRCULAR_BODY, answer_kind=AnswerKind.TEXT,
                               due_on=today + timedelta(days=7), scope=RecipientScope.DIVISION,
                               division_id=division.id)
    circular_ops.send_circular(_user("office"), draft, now_utc(), today)
    # Like the meetings' invitations: the demo's numbers get no messages.
    loaded.cancelled_messages += reminder_ops.cancel_pending(
        OutboxMessage.kind.in_([MessageKind.CIRCULAR, MessageKind.CIRCULAR_REMINDER]))
    loaded.circulars += 1


def describe(today: date) -> list[str]:
    """Lines for the console: the demo's meetings and where to look."""
    lines = [f"  reference meeting: 22-24 September 2025 ({REFERENCE_TITLE['title_en']}), "
             "attendance marked, Bhopal City reviewed (log in as sanjay)"]
    lines.append("  minutes:           of its first group session (approved: praveen reads them on his home page) "
                 "and of the whole meeting (a draft): as office, the meeting's page > Minutes")
    coming = _find(COMING_TITLE["title_en"], today, exact=False)
    if coming is not None:
        lines.append(f"  coming meeting:    {coming.starts_on.isoformat()} (Bhopal and Narmadapuram divisions): "
                     "agenda of praveen / anokhi, rosters for coordinator")
    return lines
