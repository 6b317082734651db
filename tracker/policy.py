"""The one place that decides "may this user do X (to Y)", and which rows of a list they may see.

Views, CLI commands, jobs and the API all ask :func:`can` (or :func:`require`, which aborts with
403). A rule is a function ``(user, target) -> bool`` registered under an action name with
:func:`rule` (or :func:`allow_roles` for a plain list of roles); an action without a rule is denied.
Anonymous and disabled users are denied everything here (views that anonymous visitors may reach,
such as the login page, do not ask the policy). A rule decides with the helpers below (the user's
role, the posts they hold, whether they are the person concerned); it never asks another action,
so that each answer reads in one place.

**SQL twins.** Where a rule also filters lists (the sessions a user sees, the review notes they may
read, the action items shown to them …), the same rule is written a second time as a SQL clause
beside it, registered with :func:`twin`: ``clause(user)`` is true exactly for the rows ``row`` of the
twin's model for which ``can(user, action, target(row))`` is true. Queries and the API filter with the
clause (``select(ReviewNote).where(policy.readable_notes_clause(user))``), never with a condition of
their own. An *audience* twin answers the opposite question, which users a rule allows:
``audience_clause()`` selects the users ``u`` for which ``can(u, action)`` is true (who gets the
office's digest). ``tests/foundation/test_policy_twins.py`` checks every twin against its rule for
every role on both databases; ``tests/foundation/test_policy_source.py`` fails when a decision is
made outside this file.

Each domain keeps its rules in its own section below, so that the whole policy reads in one file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

import sqlalchemy as sa
from flask import abort
from sqlalchemy.sql.elements import ColumnElement

from tracker.auth.models import Role, User
from tracker.auth.rights import acting_clause as _acting_clause
from tracker.auth.rights import acts_as as _as
from tracker.auth.rights import held_role_codes, rights_ended
from tracker.auth.rights import rights_held_clause as _rights_held_clause
from tracker.extensions import db

Rule = Callable[[object, object], bool]
Clause = Callable[..., ColumnElement[bool]]
_RULES: dict[str, Rule] = {}

STAFF = (Role.ADMIN, Role.OFFICE)
ALL_ROLES = tuple(Role)


def rule(*actions: str):
    def decorator(fn: Rule) -> Rule:
        for action in actions:
            if action in _RULES:
                raise ValueError(f"policy rule for {action!r} defined twice")
            _RULES[action] = fn
        return fn

    return decorator


def roles(*allowed: Role) -> Rule:
    def check(user, target=None) -> bool:
        return _as(user, *allowed)

    return check


def allow_roles(action: str, *allowed: Role) -> None:
    if action in _RULES:
        raise ValueError(f"policy rule for {action!r} defined twice")
    _RULES[action] = roles(*allowed)


def _denied(user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return True
    return rights_ended(user)


def can(user, action: str, target=None) -> bool:
    if _denied(user):
        return False
    fn = _RULES.get(action)
    if fn is None:
        return False
    return bool(fn(user, target))


def require(user, action: str, target=None, *, hidden: bool = False) -> None:
    """403 when the rule refuses; with ``hidden``, for a record whose existence the user may not know
    (another district's person or post), the 404 of a missing record, so that the answer tells
    nothing (issue 17)."""
    if not can(user, action, target):
        abort(404 if hidden else 403)


def known_actions() -> list[str]:
    return sorted(_RULES)


# --- SQL twins -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Twin:
    """A rule's SQL clause: the rows of ``model`` (``"module:Class"``) the rule allows."""

    action: str
    model_path: str
    clause: Clause
    target: Callable[[object], object] | None = None  # the rule's target for a row (default: the row)
    audience: bool = False  # the clause selects the users the rule allows (it takes no user)

    @property
    def model(self) -> type:
        """The mapped class, found among the models (by module and name: no domain is imported here)."""
        from tracker.extensions import db

        module, name = self.model_path.split(":")
        for mapper in db.Model.registry.mappers:
            if mapper.class_.__module__ == module and mapper.class_.__name__ == name:
                return mapper.class_
        raise LookupError(f"SQL twin of {self.action!r}: no model {self.model_path}")

    def target_of(self, row):
        return row if self.target is None else self.target(row)


_TWINS: dict[str, Twin] = {}


def twin(action: str, model: str, *, target: Callable[[object], object] | None = None, audience: bool = False):
    """Register the decorated clause as the SQL twin of ``action``'s rule (see the module docstring).

    A user clause is false for anonymous and disabled users, as :func:`can` is.
    """

    def decorator(clause: Clause) -> Clause:
        if action not in _RULES:
            raise ValueError(f"SQL twin of {action!r} registered before its rule")
        if action in _TWINS:
            raise ValueError(f"SQL twin of {action!r} defined twice")
        if audience:
            checked = clause
        else:
            @wraps(clause)
            def checked(user, *args) -> ColumnElement[bool]:
                return sa.false() if _denied(user) else clause(user, *args)

        _TWINS[action] = Twin(action, model, checked, target, audience)
        return checked

    return decorator


def twins() -> list[Twin]:
    return [_TWINS[action] for action in sorted(_TWINS)]


# --- helpers ---------------------------------------------------------------------------------


def _is_self(user, person_id) -> bool:
    return user.person_id is not None and person_id is not None and user.person_id == person_id


def _own(user, column) -> ColumnElement[bool]:
    """SQL twin of :func:`_is_self`: the row's person column is the user's person."""
    return column == user.person_id if user.person_id is not None else sa.false()


def _everything_or(allowed: bool, otherwise: Callable[[], ColumnElement[bool]]) -> ColumnElement[bool]:
    """Every row for a user whose role sees them all, else the rows ``otherwise()`` selects."""
    return sa.true() if allowed else otherwise()


# --- foundation ------------------------------------------------------------------------------

allow_roles("users.manage", Role.ADMIN)
allow_roles("logins.manage", Role.ADMIN, Role.OFFICE)


@rule("logins.edit")
def _logins_edit(user, target=None) -> bool:
    """Admins manage every login; the office manages the logins (and grants the roles) other than admin.
    ``target``: a login, or the role to be given."""
    if _as(user, Role.ADMIN):
        return True
    role = target.role if isinstance(target, User) else target
    return _as(user, Role.OFFICE) and role is not None and Role(role) != Role.ADMIN

allow_roles("audit.view", Role.ADMIN, Role.OFFICE)
allow_roles("account.settings", *ALL_ROLES)
allow_roles("dashboard.view", *ALL_ROLES)

# --- directory -------------------------------------------------------------------------------

DIRECTORY_READERS = (Role.ADMIN, Role.OFFICE, Role.COORDINATOR, Role.INCHARGE)

allow_roles("directory.view", *DIRECTORY_READERS)
allow_roles("directory.edit", *STAFF)
allow_roles("directory.import", *STAFF)
allow_roles("directory.export", *STAFF)


def _sees_person(user, person_id) -> bool:
    return _as(user, *DIRECTORY_READERS) or _is_self(user, person_id)


@rule("person.view")
def _person_view(user, person) -> bool:
    """A person's page: whoever sees the directory, and each person themselves."""
    return _sees_person(user, getattr(person, "id", None))


@twin("person.view", "tracker.directory.models:Person")
def visible_people_clause(user, person_column=None) -> ColumnElement[bool]:
    """The people the user may see; given another table's person column (``Post.person_id``), that table's rows
    about those people (the posts of the people one may see)."""
    from tracker.directory.models import Person

    column = Person.id if person_column is None else person_column
    return _everything_or(_as(user, *DIRECTORY_READERS), lambda: _own(user, column))


@rule("unit.view")
def _unit_view(user, unit) -> bool:
    """A unit's page: whoever sees the directory, and the office-bearers of the unit (or of the unit above)."""
    if _as(user, *DIRECTORY_READERS):
        return True
    if unit is None or user.person_id is None:
        return False
    from tracker.directory.queries import unit_ids_held

    held = unit_ids_held(user.person_id)
    return unit.id in held or (unit.parent_id is not None and unit.parent_id in held)


# --- meetings --------------------------------------------------------------------------------
# Office staff, coordinators and in-charges see every meeting; anyone else sees the published
# meetings and sessions they are invited to, and of a session's invitations only their own.

MEETING_VIEWERS = (Role.ADMIN, Role.OFFICE, Role.COORDINATOR, Role.INCHARGE)

allow_roles("meetings.view", *MEETING_VIEWERS)  # the meetings' pages: every meeting, timetable, invitation list
allow_roles("meetings.edit", *STAFF)
allow_roles("meetings.plan", *STAFF)
# The replies of a whole meeting (names, numbers, reasons), its export and "remind those who have not answered".
allow_roles("meetings.replies", *STAFF)


def _sees_all_meetings(user) -> bool:
    return _as(user, *MEETING_VIEWERS)


def _invited_to_meeting(user, meeting) -> bool:
    """One query: is the user's person invited to any session of the meeting?"""
    if user.person_id is None:
        return False
    from tracker.meetings.models import Invitation, MeetingSession

    return db.session.scalar(
        sa.select(Invitation.id).join(MeetingSession, Invitation.session_id == MeetingSession.id)
        .where(MeetingSession.meeting_id == meeting.id, Invitation.person_id == user.person_id).limit(1)
    ) is not None


@rule("meeting.view")
def _meeting_view(user, meeting) -> bool:
    """One meeting: all of them for those who see every meeting, else a published one the user is invited to."""
    if _sees_all_meetings(user):
        return True
    return meeting is not None and meeting.published_at is not None and _invited_to_meeting(user, meeting)


@twin("meeting.view", "tracker.meetings.models:Meeting")
def visible_meetings_clause(user) -> ColumnElement[bool]:
    from tracker.meetings.models import Invitation, Meeting, MeetingSession

    return _everything_or(_sees_all_meetings(user), lambda: sa.and_(
        Meeting.published_at.is_not(None),
        Meeting.id.in_(sa.select(MeetingSession.meeting_id)
                       .join(Invitation, Invitation.session_id == MeetingSession.id)
                       .where(_own(user, Invitation.person_id))),
    ))


@rule("session.view")
def _session_view(user, session) -> bool:
    """One session (its calendar file too): as its meeting, but only the sessions the user is invited to."""
    if _sees_all_meetings(user):
        return True
    return (session is not None and session.meeting.published_at is not None
            and any(_is_self(user, invitation.person_id) for invitation in session.invitations))


@twin("session.view", "tracker.meetings.models:MeetingSession")
def visible_sessions_clause(user) -> ColumnElement[bool]:
    from tracker.meetings.models import Invitation, Meeting, MeetingSession

    return _everything_or(_sees_all_meetings(user), lambda: MeetingSession.id.in_(
        sa.select(Invitation.session_id)
        .join(MeetingSession, Invitation.session_id == MeetingSession.id)
        .join(Meeting, MeetingSession.meeting_id == Meeting.id)
        .where(_own(user, Invitation.person_id), Meeting.published_at.is_not(None))
    ))


@rule("invitation.view")
def _invitation_view(user, invitation) -> bool:
    """An invitation (who is invited to a session, as what): all for those who see every meeting, else one's own
    (of a session they may see: ``session.view`` decides that)."""
    return _sees_all_meetings(user) or (invitation is not None and _is_self(user, invitation.person_id))


@twin("invitation.view", "tracker.meetings.models:Invitation")
def visible_invitations_clause(user) -> ColumnElement[bool]:
    from tracker.meetings.models import Invitation

    return _everything_or(_sees_all_meetings(user), lambda: _own(user, Invitation.person_id))


@rule("meeting.share")
def _meeting_share(user, meeting) -> bool:
    """The "share on WhatsApp" link of a published meeting or session: office staff, who forward it to
    the district groups."""
    return user.role in STAFF and public_agenda_open(meeting)


def public_agenda_open(meeting) -> bool:
    """The public agenda page (anyone holding its signed link, no sign-in): a published meeting only
    (not a draft, a completed or a cancelled one). It shows what a group may see: the sessions that still
    take place, their dates, times, venue and agenda items; never people's numbers, invitees, passes or
    review notes (the page's template has nothing else to show)."""
    from tracker.meetings.models import MeetingStatus

    return meeting is not None and meeting.status == MeetingStatus.PUBLISHED


def public_sessions(meeting) -> list:
    """The sessions of the public agenda: those not cancelled."""
    from tracker.meetings.models import SessionStatus

    return [s for s in meeting.sessions if s.status != SessionStatus.CANCELLED]


@rule("agenda.view")
def _agenda_view(user, person) -> bool:
    """A person's agenda: their own, or anyone's for office staff."""
    if _as(user, *STAFF):
        return True
    return _is_self(user, getattr(person, "id", None))


@rule("agenda.own")
def _agenda_own(user, target=None) -> bool:
    """Has an agenda of their own to see (the user is a person of the directory)."""
    return user.person_id is not None


# The office revokes a person's personal links (from the person's page).
allow_roles("personal_link.revoke", *STAFF)


@rule("personal_link.revoke_own")
def _personal_link_revoke_own(user, target=None) -> bool:
    """Revokes the links of their own messages (from the settings page): the user is a person of the directory."""
    return user.person_id is not None


def link_grants(person_id: int, action: str, target) -> bool:
    """What the holder of a person's personal link may do (no login: the link stands for the person):
    see and answer that person's own invitations, and nothing else (no review notes, nobody else's)."""
    if action in ("invitation.view", "invitation.reply"):
        return target is not None and getattr(target, "person_id", None) == person_id
    return False


@rule("invitation.reply")
def _invitation_reply(user, invitation) -> bool:
    """Answer an invitation before the session (RSVP): the invitee for their own; office staff for anyone
    (a reply taken by phone)."""
    if _as(user, *STAFF):
        return True
    return invitation is not None and _is_self(user, invitation.person_id)


@rule("home.agenda")
def _home_agenda(user, target=None) -> bool:
    """A district president's home page is their own agenda."""
    return _as(user, Role.PRESIDENT) and user.person_id is not None


# --- attendance ------------------------------------------------------------------------------


ATTENDANCE_MARKERS = (Role.ADMIN, Role.OFFICE, Role.COORDINATOR)
ATTENDANCE_REPORT_READERS = (Role.ADMIN, Role.OFFICE, Role.COORDINATOR, Role.INCHARGE)
# Self check-in opens this long before a session starts (and closes when it ends).
SELF_CHECKIN_EARLY_MINUTES = 60


@rule("attendance.mark")
def _attendance_mark(user, session) -> bool:
    """Coordinators, office staff and admins. A locked session is refused by the operation itself,
    with a message saying so (and safely against a lock committed at the same moment)."""
    return _as(user, *ATTENDANCE_MARKERS)


allow_roles("attendance.roster", *ATTENDANCE_MARKERS)
allow_roles("attendance.lock", *STAFF)
allow_roles("attendance.reopen", Role.ADMIN)
allow_roles("attendance.reports", *ATTENDANCE_REPORT_READERS)
# The hall's screen with the venue code for self check-in (opened by whoever runs the hall).
allow_roles("attendance.venue_code", *ATTENDANCE_MARKERS)
# A paper sheet entered after the marking window closed: the office, or a coordinator giving a reason
# for the sheet (the operation asks for the reason of whoever may not enter one without it).
allow_roles("attendance.paper_sheet", *ATTENDANCE_MARKERS)
allow_roles("attendance.paper_sheet_without_reason", *STAFF)
# A message to a session's absentees through the reminders' channels.
allow_roles("attendance.message_absentees", *STAFF, Role.COORDINATOR)


def _reads_all_attendance(user) -> bool:
    """Those who keep the roster or read the reports read every attendance record."""
    return _as(user, *ATTENDANCE_MARKERS) or _as(user, *ATTENDANCE_REPORT_READERS)


@rule("attendance.view")
def _attendance_view(user, person) -> bool:
    """A person's attendance records: anyone's for roster keepers and report readers, else one's own."""
    return _reads_all_attendance(user) or _is_self(user, getattr(person, "id", None))


@twin("attendance.view", "tracker.attendance.models:Attendance", target=lambda record: record.person)
def visible_attendance_clause(user) -> ColumnElement[bool]:
    from tracker.attendance.models import Attendance

    return _everything_or(_reads_all_attendance(user), lambda: _own(user, Attendance.person_id))


@rule("attendance.pass")
def _attendance_pass(user, invitation) -> bool:
    """An invitation's QR pass / badge: the invitee, and whoever keeps the roster."""
    if _as(user, *ATTENDANCE_MARKERS):
        return True
    return invitation is not None and _is_self(user, invitation.person_id)


@rule("attendance.self_checkin")
def _attendance_self_checkin(user, invitation) -> bool:
    """The invitee themselves, if the office enabled it for the session, while it is open."""
    if invitation is None or not _is_self(user, invitation.person_id) or invitation.pass_revoked_at is not None:
        return False
    session = invitation.session
    if not session.self_checkin_enabled or session.attendance_locked_at is not None:
        return False
    from datetime import timedelta

    from tracker.timeutil import now_utc

    now = now_utc()
    return session.starts_at - timedelta(minutes=SELF_CHECKIN_EARLY_MINUTES) <= now <= session.ends_at


# --- reviews ---------------------------------------------------------------------------------
# A review note is seen only by its reviewers, the organization in-charge, the state in-charge and
# admins (and office staff given the "reviews.read" right). Others may at most learn that a review
# happened (office staff) or see the action items assigned to them.

CONFIDENTIAL_READER_POSTS = frozenset({"org_incharge", "state_incharge"})
READ_GRANT = "reviews.read"
# Logins whose people may be given an action item (besides the district's president and the note's reviewers).
ACTION_ITEM_OWNER_ROLES = (Role.OFFICE, Role.INCHARGE, Role.COORDINATOR)


def _is_confidential_reader(user) -> bool:
    if _as(user, Role.ADMIN):
        return True
    if _as(user, Role.OFFICE) and user.has_grant(READ_GRANT):
        return True
    if _as(user, Role.INCHARGE) and held_role_codes(user) & CONFIDENTIAL_READER_POSTS:
        return True
    return False


def _reviews_note(user, note) -> bool:
    """An in-charge who is one of the note's reviewers."""
    return (_as(user, Role.INCHARGE) and note is not None and user.person_id is not None
            and user.person_id in note.reviewer_person_ids())


def _reviewed_note_ids(user) -> sa.Select | None:
    """SQL twin of :func:`_reviews_note`: the ids of the notes the in-charge reviews (None for anyone else)."""
    from tracker.reviews.models import review_note_reviewers

    if not _as(user, Role.INCHARGE) or user.person_id is None:
        return None
    return sa.select(review_note_reviewers.c.note_id).where(review_note_reviewers.c.person_id == user.person_id)


def _writes_note(user, note) -> bool:
    if _as(user, Role.ADMIN):
        return True
    if _as(user, Role.INCHARGE) and note is None:
        return True  # may start a note; the operation checks the slot's reviewers
    return _reviews_note(user, note)


@rule("review.read_all")
def _review_read_all(user, target=None) -> bool:
    """Reads every note: admins, the organization and state in-charges, office staff with the grant."""
    return _is_confidential_reader(user)


@rule("review.read")
def _review_read(user, note) -> bool:
    return _is_confidential_reader(user) or _reviews_note(user, note)


@twin("review.read", "tracker.reviews.models:ReviewNote")
def readable_notes_clause(user) -> ColumnElement[bool]:
    from tracker.reviews.models import ReviewNote

    if _is_confidential_reader(user):
        return sa.true()
    reviewed = _reviewed_note_ids(user)
    return sa.false() if reviewed is None else ReviewNote.id.in_(reviewed)


@rule("review.write")
def _review_write(user, note) -> bool:
    """Write or edit a note: its reviewers, and admins."""
    return _writes_note(user, note)


@rule("review.open_slot")
def _review_open_slot(user, session) -> bool:
    """Open (or create) the note of a one-to-one slot: its reviewers, the org/state in-charges, admins."""
    if _as(user, Role.ADMIN):
        return True
    if not _as(user, Role.INCHARGE) or session is None:
        return False
    from tracker.meetings.models import InvitationKind

    reviewers = {inv.person_id for inv in session.invitations if inv.kind == InvitationKind.REVIEWER}
    return user.person_id in reviewers or _is_confidential_reader(user)


@rule("review.join")
def _review_join(user, note=None) -> bool:
    """An in-charge who starts a note becomes one of its reviewers (an admin who starts one does not)."""
    return _as(user, Role.INCHARGE)


@rule("review.history")
def _review_history(user, district=None) -> bool:
    """A district's printable review history (of the notes one may read): the readers of every note, and
    in-charges (who see there the notes they reviewed)."""
    return _is_confidential_reader(user) or _as(user, Role.INCHARGE)


@rule("review.list")
def _review_list(user, target=None) -> bool:
    """See which reviews happened (not their content)."""
    return _as(user, Role.ADMIN, Role.OFFICE, Role.INCHARGE)


@rule("review.slots")
def _review_slots(user, target=None) -> bool:
    """In-charges linked to a person of the directory have one-to-one slots to review (their home panel)."""
    return _as(user, Role.INCHARGE) and user.person_id is not None


allow_roles("review.templates", *STAFF)
allow_roles("campaign.progress", Role.ADMIN, Role.OFFICE, Role.INCHARGE)


def _sees_every_item(user) -> bool:
    return _as(user, *STAFF) or _is_confidential_reader(user)


@rule("action_item.view", "action_item.update")
def _action_item_view(user, item) -> bool:
    """See an item, and update its status and progress: the owner, the note's reviewers, office staff
    (and whoever reads every note)."""
    if _sees_every_item(user):
        return True
    if item is None:
        return False
    return _is_self(user, item.owner_person_id) or _reviews_note(user, getattr(item, "review_note", None))


@twin("action_item.view", "tracker.reviews.models:ActionItem")
def visible_items_clause(user) -> ColumnElement[bool]:
    from tracker.reviews.models import ActionItem

    if _sees_every_item(user):
        return sa.true()
    own = _own(user, ActionItem.owner_person_id)
    reviewed = _reviewed_note_ids(user)
    return own if reviewed is None else sa.or_(own, ActionItem.review_note_id.in_(reviewed))


allow_roles("action_items.overdue", *STAFF)


@rule("action_items.mine")
def _action_items_mine(user, target=None) -> bool:
    """Everyone linked to a person of the directory has a "My action items" page."""
    return user.person_id is not None


@rule("action_item.create")
def _action_item_create(user, note) -> bool:
    """From a note: whoever may write the note. Standalone: office staff and in-charges."""
    if note is not None:
        return _writes_note(user, note)
    return _as(user, Role.ADMIN, Role.OFFICE, Role.INCHARGE)


@rule("action_item.owner")
def _action_item_owner(user, target=None) -> bool:
    """A login whose person may be given an action item: office staff, in-charges, coordinators."""
    return _as(user, *ACTION_ITEM_OWNER_ROLES)


@twin("action_item.owner", "tracker.auth.models:User", audience=True)
def action_item_owner_logins_clause() -> ColumnElement[bool]:
    return sa.and_(_acting_clause(*ACTION_ITEM_OWNER_ROLES), User.is_active_flag.is_(True), _rights_held_clause())


# --- reminders -------------------------------------------------------------------------------

allow_roles("outbox.view", *STAFF)
allow_roles("outbox.manage", *STAFF)
allow_roles("digest.receive", Role.OFFICE)


@twin("digest.receive", "tracker.auth.models:User", audience=True)
def digest_recipients_clause() -> ColumnElement[bool]:
    """Who gets the office's morning digest: active office logins."""
    return sa.and_(_acting_clause(Role.OFFICE), User.is_active_flag.is_(True), _rights_held_clause())


# --- api -------------------------------------------------------------------------------------

allow_roles("api.tokens", *ALL_ROLES)


# --- flags -----------------------------------------------------------------------------------
# A district's red flags (it has gone quiet) are seen by the office, and by the in-charges of the district:
# a district in-charge for their district, a co-in-charge for their division's districts, the state and
# organization in-charges for their state's districts.

INCHARGE_POSTS = ("state_incharge", "org_incharge", "co_incharge", "district_incharge", "district_co_incharge")


def _charge_units_select(person_id: int) -> sa.Select:
    """The units where the person holds an in-charge post today."""
    return _held_units_select(person_id, INCHARGE_POSTS)


def _charge_unit_ids(user) -> frozenset[int]:
    if user.person_id is None or not _as(user, Role.INCHARGE):
        return frozenset()
    from tracker.auth.rights import per_request

    return per_request("_charge_unit_ids", user.person_id,
                       lambda: frozenset(db.session.scalars(_charge_units_select(user.person_id))))


def in_charge_of_district(user, district) -> bool:
    """The district, its division or its state is a unit where the user holds an in-charge post."""
    held = _charge_unit_ids(user)
    if not held or district is None:
        return False
    division = district.parent
    return (district.id in held or district.parent_id in held
            or (division is not None and division.parent_id in held))


def in_charge_districts_clause(user) -> ColumnElement[bool]:
    """SQL twin of :func:`in_charge_of_district` over ``Unit`` (the district's row)."""
    from sqlalchemy.orm import aliased

    from tracker.directory.models import Unit

    if user.person_id is None or not _as(user, Role.INCHARGE):
        return sa.false()
    held = _charge_units_select(user.person_id)
    division = aliased(Unit)
    return sa.or_(Unit.id.in_(held), Unit.parent_id.in_(held),
                  Unit.parent_id.in_(sa.select(division.id).where(division.parent_id.in_(held))))


@rule("flags.view")
def _flags_view(user, district=None) -> bool:
    """The red flags page (no target) and a district's flags: the office, and in-charges for their districts."""
    if _as(user, *STAFF):
        return True
    if district is None:
        return _as(user, Role.INCHARGE)
    return in_charge_of_district(user, district)


@twin("flags.view", "tracker.directory.models:Unit")
def flag_districts_clause(user) -> ColumnElement[bool]:
    """The units whose flags the user sees (the flags' queries keep the districts among them)."""
    return _everything_or(_as(user, *STAFF), lambda: in_charge_districts_clause(user))


allow_roles("flags.settings", *STAFF)

# --- uploads and programme reports (issue 19) --------------------------------------------------
# A stored file is seen by whoever may see the record that owns it: each owning domain's rule is
# listed in _FILE_OWNERS under the file's ``owner_kind``. A file not yet given to a record is its
# uploader's alone (and the administrators').

_FILE_OWNERS: dict[str, Callable[[object, int], bool]] = {}


@rule("stored_file.view")
def _stored_file_view(user, stored) -> bool:
    if stored is None:
        return False
    if stored.owner_kind is None:
        return _as(user, Role.ADMIN) or (stored.uploaded_by_id is not None and stored.uploaded_by_id == user.id)
    sees_owner = _FILE_OWNERS.get(stored.owner_kind)
    return sees_owner is not None and stored.owner_id is not None and sees_owner(user, stored.owner_id)


# A file being sent in pieces (tracker/uploads, resumable uploads) is its uploader's alone: nobody else may
# continue it, ask how much arrived or finish it (not even an administrator: the bytes are not a record yet).
@rule("partial_upload.use")
def _partial_upload_use(user, partial) -> bool:
    return partial is not None and partial.user_id == user.id


@twin("partial_upload.use", "tracker.uploads.models:PartialUpload")
def partial_uploads_clause(user) -> ColumnElement[bool]:
    from tracker.uploads.models import PartialUpload

    return PartialUpload.user_id == user.id


# Programme reports: the office and the in-charges read every district's reports and verify them or ask a
# question back; a district president reads and writes their own district's reports only. The office may
# write a report for any district.
REPORT_READERS = (Role.ADMIN, Role.OFFICE, Role.INCHARGE)
REPORT_REVIEWERS = (Role.ADMIN, Role.OFFICE, Role.INCHARGE)


def _presided_district_ids(user) -> sa.Select:
    """SQL: the districts where the user's person is the district president today."""
    return presided_districts_select(user.person_id)


def _presides(user, district_id) -> bool:
    if user.person_id is None or district_id is None or not _as(user, Role.PRESIDENT):
        return False
    return district_id in set(db.session.scalars(_presided_district_ids(user)))


allow_roles("report.list", *REPORT_READERS)
allow_roles("report.review", *REPORT_REVIEWERS)
allow_roles("report.kinds", *STAFF)
allow_roles("report.create_any", *STAFF)  # a report for any district (the form offers them all)


@rule("report.index")
def _report_index(user, target=None) -> bool:
    """The list of reports: its readers, and each district president (their own district's reports)."""
    if _as(user, *REPORT_READERS):
        return True
    return user.person_id is not None and _as(user, Role.PRESIDENT) and (
        db.session.scalar(_presided_district_ids(user).limit(1)) is not None)


def _sees_report(user, report) -> bool:
    return report is not None and (_as(user, *REPORT_READERS) or _presides(user, report.district_unit_id))


@rule("report.view")
def _report_view(user, report) -> bool:
    """A report: the office and the in-charges; the president of the report's district."""
    return _sees_report(user, report)


@twin("report.view", "tracker.reports.models:ProgrammeReport")
def visible_reports_clause(user) -> ColumnElement[bool]:
    from tracker.reports.models import ProgrammeReport

    if _as(user, *REPORT_READERS):
        return sa.true()
    if user.person_id is None or not _as(user, Role.PRESIDENT):
        return sa.false()
    return ProgrammeReport.district_unit_id.in_(_presided_district_ids(user))


@rule("report.create")
def _report_create(user, district=None) -> bool:
    """Writing a report: the office for any district; a president for their own district (with no district
    named: a president of some district)."""
    if _as(user, *STAFF):
        return True
    if user.person_id is None or not _as(user, Role.PRESIDENT):
        return False
    if district is None:
        return db.session.scalar(_presided_district_ids(user).limit(1)) is not None
    return _presides(user, district.id)


def _report_file_view(user, report_id: int) -> bool:
    from tracker.reports.models import ProgrammeReport

    return _sees_report(user, db.session.get(ProgrammeReport, report_id))


_FILE_OWNERS["programme_report"] = _report_file_view


@rule("report.answer")
def _report_answer(user, report) -> bool:
    """Answering the question asked back on a report (or correcting the answer): the president of the report's
    district today (the one the question was sent to), until the report is verified."""
    from tracker.reports.models import ReportStatus

    return (report is not None and bool(report.question) and report.status != ReportStatus.VERIFIED
            and _presides(user, report.district_unit_id))


def report_link_grants(person_id: int, report) -> bool:
    """The holder of a person's personal link reads and answers the questions asked on the reports of the
    districts the person presides over today, and no others."""
    if report is None:
        return False
    return report.district_unit_id in set(db.session.scalars(presided_districts_select(person_id)))


# --- circulars -------------------------------------------------------------------------------
# The state office sends circulars to any districts; an in-charge to the districts of the units where
# they hold an in-charge's post today (the state: every district; a division: its districts; a district:
# that one), and sees the circulars they sent. A district president sees and answers the circulars sent
# to the district they preside over today (a new president inherits the district's circulars).

CIRCULAR_INCHARGE_POSTS = INCHARGE_POSTS  # the flags' in-charges: whoever follows a district sends to it


def _held_units_select(person_id: int, codes) -> sa.Select:
    """The units where the person holds one of the posts ``codes`` today."""
    from tracker.directory.models import Post, PostRole
    from tracker.directory.queries import current_post_clause
    from tracker.timeutil import today_local

    return (sa.select(Post.unit_id).join(PostRole, Post.role_id == PostRole.id)
            .where(Post.person_id == person_id, PostRole.code.in_(list(codes)), current_post_clause(today_local())))


def circular_area_select(user) -> sa.Select | None:
    """The ids of the districts an in-charge may send circulars to (None: not an in-charge with a person)."""
    from tracker.directory.models import Unit, UnitLevel

    if not _as(user, Role.INCHARGE) or user.person_id is None:
        return None
    held = _held_units_select(user.person_id, CIRCULAR_INCHARGE_POSTS)
    divisions_of_held_states = sa.select(Unit.id).where(Unit.parent_id.in_(held))
    return sa.select(Unit.id).where(
        Unit.level == UnitLevel.DISTRICT,
        sa.or_(Unit.id.in_(held), Unit.parent_id.in_(held), Unit.parent_id.in_(divisions_of_held_states)))


def circular_reach_select(user) -> sa.Select | None:
    """The ids of the districts the user may send circulars to; None: every district (office staff)."""
    from tracker.directory.models import Unit

    if _as(user, *STAFF):
        return None
    area = circular_area_select(user)
    return area if area is not None else sa.select(Unit.id).where(sa.false())


def presided_districts_select(person_id: int) -> sa.Select:
    """The ids of the districts the person presides over today."""
    return _held_units_select(person_id, ("district_president",))


def _circular_area(user) -> set[int] | None:
    """Python side of :func:`circular_area_select` (None: everywhere, for staff)."""
    if _as(user, *STAFF):
        return None
    query = circular_area_select(user)
    return set() if query is None else set(db.session.scalars(query))


@rule("circulars.list")
def _circulars_list(user, target=None) -> bool:
    """The circulars' list and the compose form: office staff, and in-charges (for their own area)."""
    return _as(user, *STAFF) or (_as(user, Role.INCHARGE) and user.person_id is not None)


@rule("circular.send")
def _circular_send(user, district_ids=None) -> bool:
    """Send a circular to the districts ``district_ids`` (ids): staff anywhere, an in-charge within the
    districts of their posts; without districts: whether the user may send circulars at all."""
    if _as(user, *STAFF):
        return True
    if not (_as(user, Role.INCHARGE) and user.person_id is not None):
        return False
    if district_ids is None:
        return True
    area = _circular_area(user)
    return bool(district_ids) and set(district_ids) <= area


def _follows_circular(user, circular) -> bool:
    if _as(user, *STAFF):
        return True
    return (circular is not None and _as(user, Role.INCHARGE) and user.person_id is not None
            and circular.sender_user_id == user.id)


@rule("circular.status")
def _circular_status(user, circular) -> bool:
    """The status table of a circular (who read, acknowledged, answered), its reminders and export: office
    staff for every circular, an in-charge for those they sent."""
    return _follows_circular(user, circular)


@twin("circular.status", "tracker.circulars.models:Circular")
def visible_circulars_clause(user) -> ColumnElement[bool]:
    from tracker.circulars.models import Circular

    if _as(user, *STAFF):
        return sa.true()
    if _as(user, Role.INCHARGE) and user.person_id is not None:
        return Circular.sender_user_id == user.id
    return sa.false()


def _presides_recipient(user, recipient) -> bool:
    if recipient is None or user.person_id is None or not _as(user, Role.PRESIDENT):
        return False
    return recipient.district_unit_id in set(db.session.scalars(presided_districts_select(user.person_id)))


@rule("circular.respond")
def _circular_respond(user, recipient) -> bool:
    """Read, acknowledge and answer a circular sent to a district: that district's president of the day."""
    return _presides_recipient(user, recipient)


@twin("circular.respond", "tracker.circulars.models:CircularRecipient")
def own_circular_recipients_clause(user) -> ColumnElement[bool]:
    from tracker.circulars.models import CircularRecipient

    if user.person_id is None or not _as(user, Role.PRESIDENT):
        return sa.false()
    return CircularRecipient.district_unit_id.in_(presided_districts_select(user.person_id))


def _circular_answer_file_view(user, recipient_id: int) -> bool:
    """A file sent as the answer to a circular: whoever sees the circular's table, and the district's president."""
    from tracker.circulars.models import CircularRecipient

    recipient = db.session.get(CircularRecipient, recipient_id)
    if recipient is None:
        return False
    return _follows_circular(user, recipient.circular) or _presides_recipient(user, recipient)


_FILE_OWNERS["circular_answer"] = _circular_answer_file_view


@rule("circulars.mine")
def _circulars_mine(user, target=None) -> bool:
    """A district president's circulars (their home page's panel and the bot's list)."""
    return _as(user, Role.PRESIDENT) and user.person_id is not None


def circular_link_grants(person_id: int, recipient) -> bool:
    """The holder of a person's personal link reads, acknowledges and answers the circulars of the
    districts the person presides over today, and no others."""
    if recipient is None:
        return False
    return recipient.district_unit_id in set(db.session.scalars(presided_districts_select(person_id)))


# --- minutes ---------------------------------------------------------------------------------------
# The minutes (कार्यवृत्त) of a meeting or of one of its group sessions. The office writes, approves,
# re-edits and sends them; the chair named on the minutes approves them too. Approved minutes are read by
# those who see every meeting (office, coordinators, in-charges) and by the people invited to what they
# record: the session for a session's minutes, any session of the meeting for the meeting's minutes. A draft
# is the office's and the chair's only. Nothing confidential is in them (the minutes' builder reads no
# review note), so reading them needs no confidential right.

allow_roles("minutes.write", *STAFF)  # start, edit (a new version once approved) and the meeting's list
allow_roles("minutes.send", *STAFF)
allow_roles("minutes.settings", *STAFF)  # the letterhead and the national office's address


@rule("minutes.mine")
def _minutes_mine(user, target=None) -> bool:
    """The list of the minutes one may read (it shows only those ``minutes.view`` allows): everyone signed in."""
    return True


def _invited_to_minutes(person_id: int | None, minutes) -> bool:
    """One query: was the person invited to what the minutes record?"""
    if person_id is None or minutes is None:
        return False
    from tracker.meetings.models import Invitation, MeetingSession

    query = sa.select(Invitation.id).where(Invitation.person_id == person_id)
    if minutes.session_id is not None:
        query = query.where(Invitation.session_id == minutes.session_id)
    else:
        query = query.join(MeetingSession, Invitation.session_id == MeetingSession.id).where(
            MeetingSession.meeting_id == minutes.meeting_id)
    return db.session.scalar(query.limit(1)) is not None


def _minutes_approved(minutes) -> bool:
    from tracker.minutes.models import MinutesStatus

    return minutes is not None and minutes.status == MinutesStatus.APPROVED


def _minutes_logo_file_view(user, owner_id: int) -> bool:
    """The party's logo on the minutes' letterhead: public like the letterhead itself (approved minutes are read
    from public links too), so whoever may read some minutes (``minutes.mine``: everyone signed in) may see it."""
    return user is not None and bool(getattr(user, "is_authenticated", False))


_FILE_OWNERS["minutes_logo"] = _minutes_logo_file_view


@rule("minutes.approve")
def _minutes_approve(user, minutes) -> bool:
    """Approve a draft: office staff, or the chair named on the minutes."""
    if _as(user, *STAFF):
        return True
    return minutes is not None and _is_self(user, minutes.chair_person_id)


@rule("minutes.view")
def _minutes_view(user, minutes) -> bool:
    """Read minutes: office staff and their chair always; approved ones, those who see every meeting and the
    people invited to what they record."""
    if minutes is None:
        return False
    if _as(user, *STAFF) or _is_self(user, minutes.chair_person_id):
        return True
    if not _minutes_approved(minutes):
        return False
    return _sees_all_meetings(user) or _invited_to_minutes(user.person_id, minutes)


@twin("minutes.view", "tracker.minutes.models:Minutes")
def visible_minutes_clause(user) -> ColumnElement[bool]:
    from tracker.meetings.models import Invitation, MeetingSession
    from tracker.minutes.models import Minutes, MinutesStatus

    if _as(user, *STAFF):
        return sa.true()
    approved = Minutes.status == MinutesStatus.APPROVED
    chair = _own(user, Minutes.chair_person_id)
    if _sees_all_meetings(user):
        return sa.or_(chair, approved)
    if user.person_id is None:
        return sa.false()
    own_sessions = sa.select(Invitation.session_id).where(Invitation.person_id == user.person_id)
    own_meetings = (sa.select(MeetingSession.meeting_id)
                    .join(Invitation, Invitation.session_id == MeetingSession.id)
                    .where(Invitation.person_id == user.person_id))
    invited = sa.or_(
        sa.and_(Minutes.session_id.is_not(None), Minutes.session_id.in_(own_sessions)),
        sa.and_(Minutes.session_id.is_(None), Minutes.meeting_id.in_(own_meetings)),
    )
    return sa.or_(chair, sa.and_(approved, invited))


def minutes_link_grants(person_id: int, minutes) -> bool:
    """The holder of a person's personal link reads the approved minutes of what the person was invited to."""
    return _minutes_approved(minutes) and _invited_to_minutes(person_id, minutes)


def minutes_public(minutes) -> bool:
    """The public link of minutes (anyone holding it, no sign-in: shared on WhatsApp): approved minutes only.
    They hold nothing confidential; a draft is never public."""
    return _minutes_approved(minutes)
