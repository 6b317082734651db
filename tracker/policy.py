"""The one place that decides "may this user do X (to Y)".

Views, CLI commands, jobs and the API all ask :func:`can` (or :func:`require`, which aborts with
403). A rule is a function ``(user, target) -> bool`` registered under an action name; an action
without a rule is denied. Anonymous users are denied everything here (views that anonymous
visitors may reach, such as the login page, do not ask the policy).

Each domain keeps its rules in its own section below, so that the whole policy reads in one file.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import abort, g, has_app_context

from tracker.auth.models import Role

Rule = Callable[[object, object], bool]
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
        return user.role in allowed

    return check


def allow_roles(action: str, *allowed: Role) -> None:
    if action in _RULES:
        raise ValueError(f"policy rule for {action!r} defined twice")
    _RULES[action] = roles(*allowed)


def can(user, action: str, target=None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    fn = _RULES.get(action)
    if fn is None:
        return False
    return bool(fn(user, target))


def require(user, action: str, target=None) -> None:
    if not can(user, action, target):
        abort(403)


def known_actions() -> list[str]:
    return sorted(_RULES)


# --- helpers ---------------------------------------------------------------------------------


def held_role_codes(user, on: date | None = None) -> frozenset[str]:
    """Codes of the post roles the user's person holds today (cached per request)."""
    if getattr(user, "person_id", None) is None:
        return frozenset()
    cache = None
    if has_app_context():
        cache = g.setdefault("_held_role_codes", {})
        key = (user.person_id, on)
        if key in cache:
            return cache[key]
    from tracker.directory.queries import role_codes_held

    codes = frozenset(role_codes_held(user.person_id, on))
    if cache is not None:
        cache[(user.person_id, on)] = codes
    return codes


def _is_self(user, person_id) -> bool:
    return user.person_id is not None and person_id is not None and user.person_id == person_id


# --- foundation ------------------------------------------------------------------------------

allow_roles("users.manage", Role.ADMIN)
allow_roles("audit.view", Role.ADMIN, Role.OFFICE)
allow_roles("account.settings", *ALL_ROLES)
allow_roles("dashboard.view", *ALL_ROLES)

# --- directory -------------------------------------------------------------------------------

allow_roles("directory.view", Role.ADMIN, Role.OFFICE, Role.COORDINATOR, Role.INCHARGE)
allow_roles("directory.edit", *STAFF)
allow_roles("directory.import", *STAFF)
allow_roles("directory.export", *STAFF)


@rule("person.view")
def _person_view(user, person) -> bool:
    if user.role in (Role.ADMIN, Role.OFFICE, Role.COORDINATOR, Role.INCHARGE):
        return True
    return _is_self(user, getattr(person, "id", None))


@rule("unit.view")
def _unit_view(user, unit) -> bool:
    """A unit's page: whoever sees the directory, and the office-bearers of the unit (or of the unit above)."""
    if user.role in (Role.ADMIN, Role.OFFICE, Role.COORDINATOR, Role.INCHARGE):
        return True
    if unit is None or user.person_id is None:
        return False
    from tracker.directory.queries import unit_ids_held

    held = unit_ids_held(user.person_id)
    return unit.id in held or (unit.parent_id is not None and unit.parent_id in held)


# --- meetings --------------------------------------------------------------------------------

allow_roles("meetings.view", Role.ADMIN, Role.OFFICE, Role.COORDINATOR, Role.INCHARGE)
allow_roles("meetings.edit", *STAFF)
allow_roles("meetings.plan", *STAFF)


@rule("agenda.view")
def _agenda_view(user, person) -> bool:
    """A person's agenda: their own, or anyone's for office staff."""
    if user.role in STAFF:
        return True
    return _is_self(user, getattr(person, "id", None))


@rule("agenda.own")
def _agenda_own(user, target=None) -> bool:
    """Has an agenda of their own to see (the user is a person of the directory)."""
    return user.person_id is not None


@rule("home.agenda")
def _home_agenda(user, target=None) -> bool:
    """A district president's home page is their own agenda."""
    return user.role == Role.PRESIDENT and user.person_id is not None


# --- attendance ------------------------------------------------------------------------------


ATTENDANCE_MARKERS = (Role.ADMIN, Role.OFFICE, Role.COORDINATOR)
# Self check-in opens this long before a session starts (and closes when it ends).
SELF_CHECKIN_EARLY_MINUTES = 60


@rule("attendance.mark")
def _attendance_mark(user, session) -> bool:
    """Coordinators, office staff and admins. A locked session is refused by the operation itself,
    with a message saying so (and safely against a lock committed at the same moment)."""
    return user.role in ATTENDANCE_MARKERS


allow_roles("attendance.roster", *ATTENDANCE_MARKERS)
allow_roles("attendance.lock", *STAFF)
allow_roles("attendance.reopen", Role.ADMIN)
allow_roles("attendance.reports", Role.ADMIN, Role.OFFICE, Role.COORDINATOR, Role.INCHARGE)


@rule("attendance.pass")
def _attendance_pass(user, invitation) -> bool:
    """An invitation's QR pass / badge: the invitee, and whoever keeps the roster."""
    if user.role in ATTENDANCE_MARKERS:
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


def _is_confidential_reader(user) -> bool:
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.OFFICE and user.has_grant("reviews.read"):
        return True
    if user.role == Role.INCHARGE and held_role_codes(user) & CONFIDENTIAL_READER_POSTS:
        return True
    return False


@rule("review.read")
def _review_read(user, note) -> bool:
    if _is_confidential_reader(user):
        return True
    if user.role == Role.INCHARGE and note is not None:
        return user.person_id is not None and user.person_id in note.reviewer_person_ids()
    return False


@rule("review.write")
def _review_write(user, note) -> bool:
    """Write or edit a note: its reviewers, and admins."""
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.INCHARGE:
        if note is None:
            return True  # may start a note; the operation checks the slot's reviewers
        return user.person_id is not None and user.person_id in note.reviewer_person_ids()
    return False


@rule("review.list")
def _review_list(user, target=None) -> bool:
    """See which reviews happened (not their content)."""
    return user.role in (Role.ADMIN, Role.OFFICE, Role.INCHARGE)


@rule("review.slots")
def _review_slots(user, target=None) -> bool:
    """In-charges linked to a person of the directory have one-to-one slots to review (their home panel)."""
    return user.role == Role.INCHARGE and user.person_id is not None


allow_roles("review.templates", *STAFF)
allow_roles("campaign.progress", Role.ADMIN, Role.OFFICE, Role.INCHARGE)


@rule("action_item.view")
def _action_item_view(user, item) -> bool:
    if user.role in STAFF or _is_confidential_reader(user):
        return True
    if item is None:
        return False
    if _is_self(user, item.owner_person_id):
        return True
    note = getattr(item, "review_note", None)
    return note is not None and user.role == Role.INCHARGE and user.person_id in note.reviewer_person_ids()


@rule("action_item.update")
def _action_item_update(user, item) -> bool:
    """Update status and progress: the owner, the note's reviewers, office staff."""
    return _action_item_view(user, item)


allow_roles("action_items.overdue", *STAFF)


@rule("action_items.mine")
def _action_items_mine(user, target=None) -> bool:
    """Everyone linked to a person of the directory has a "My action items" page."""
    return user.person_id is not None


@rule("action_item.create")
def _action_item_create(user, note) -> bool:
    """From a note: whoever may write the note. Standalone: office staff and in-charges."""
    if note is not None:
        return _review_write(user, note)
    return user.role in (Role.ADMIN, Role.OFFICE, Role.INCHARGE)

# --- reminders -------------------------------------------------------------------------------

allow_roles("outbox.view", *STAFF)
allow_roles("outbox.manage", *STAFF)

# --- api -------------------------------------------------------------------------------------

allow_roles("api.tokens", *ALL_ROLES)
