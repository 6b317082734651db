"""Users and logins, and managing them (the Logins pages, ``tracker users`` and logins made from posts).
Operations flush; the caller commits once."""

from __future__ import annotations

import math
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.audit.operations import record
from tracker.auth import signals, throttle
from tracker.auth.models import PASSWORD_ROLES, Role, User
from tracker.core.errors import DomainError
from tracker.core.pagination import Page, paginate
from tracker.core.sql import like
from tracker.directory.models import Person, Post, PostRole, RoleCode, Unit
from tracker.directory.queries import current_post_clause
from tracker.extensions import db
from tracker.i18n import _, _l
from tracker.timeutil import now_utc, today_local

MIN_PASSWORD_LENGTH = 10


class AuthError(DomainError):
    """A refusal with a message for the user (already translated by the caller's locale)."""


@dataclass
class LoginResult:
    user: User | None
    # Set when the attempt was not checked: the account or the client address must wait until then.
    wait_until: datetime | None = None
    # On success: the known-device cookie for this browser (tracker.auth.throttle).
    device_token: str | None = None


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    """A hash of a random password made with the configured method, once per process and method: an
    unknown username costs the same check as a wrong password."""
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def _password_matches(user: User | None, password: str) -> bool:
    """Check the password at the same cost whether the user exists, is inactive or not."""
    if user is None or not user.has_usable_password:  # no password (a login made from posts): the same cost
        check_password_hash(_dummy_hash(current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")), password)
        return False
    return user.check_password(password) and user.is_active


def authenticate(username: str, password: str, address: str | None = None, device: str | None = None,
                 now: datetime | None = None) -> LoginResult:
    """Check a sign-in, throttled per client address and per account (tracker.auth.throttle); from a
    known device of the account (``device``, the cookie an earlier sign-in left), per device instead.

    An attempt while its key must wait is refused unchecked and not counted. The caller keeps what
    this wrote even when the sign-in fails (the failure is counted), and gives the browser the
    result's ``device_token`` on success."""
    now = now or now_utc()
    policy, by_address = throttle.account_policy(), throttle.address_policy()
    address_key = throttle.address_key(address)
    known_device = throttle.device_key(device, username, now)
    key = known_device or throttle.account_key(username)
    if known_device is None:
        wait = throttle.waiting_until(address_key, now)
        if wait is not None:
            return LoginResult(None, wait)
    failures = throttle.count_attempt(key, policy, now, claim=True)
    if failures is None:
        return LoginResult(None, throttle.waiting_until(key, now) or now)
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.username) == username.strip().lower()))
    if _password_matches(user, password):
        throttle.forget(key)
        user.last_login_at = now
        db.session.flush()
        return LoginResult(user, device_token=throttle.device_token(username, now))
    throttle.set_wait(key, failures, policy, now)
    client = address_key.split(":", 1)[1]
    # The start of a delay goes to the audit trail (an unknown username's has no user to name).
    if failures == policy.free and user is not None:
        record(db.session, "users", user.id, "login_throttled",
               {"failures": [None, failures], "address": [None, client], "known_device": [None, bool(known_device)]})
    if known_device is None:
        address_failures = throttle.count_attempt(address_key, by_address, now, claim=False)
        throttle.set_wait(address_key, address_failures, by_address, now)
        if address_failures == by_address.free:
            record(db.session, "login_addresses", 0, "login_throttled",
                   {"failures": [None, address_failures], "address": [None, client]})
    throttle.delete_expired(now)
    db.session.flush()
    return LoginResult(None)


def seconds_until(instant: datetime) -> int:
    """Whole seconds from now until ``instant`` (at least 1): how long a throttled client waits."""
    return max(1, math.ceil((instant - now_utc()).total_seconds()))


def validate_password(password: str) -> None:
    from tracker.i18n import _

    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(_("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))


def create_user(
    username: str,
    password: str,
    role: Role | str,
    full_name: str = "",
    person_id: int | None = None,
    locale: str | None = None,
) -> User:
    from tracker.i18n import _

    username = username.strip()
    if not username:
        raise AuthError(_("A username is required."))
    if db.session.scalar(sa.select(User.id).where(sa.func.lower(User.username) == username.lower())):
        raise AuthError(_("The username %(name)s is already taken.", name=username))
    validate_password(password)
    user = User(username=username, full_name=full_name, role=Role(role), person_id=person_id, locale=locale)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def set_role(user: User, role: Role | str) -> None:
    """Give the login another role. A login without a password (made from posts) does not become an
    administrator's or the office's while they must keep one (``STAFF_PASSWORD_REQUIRED``)."""
    from tracker.i18n import _

    role = Role(role)
    if role in PASSWORD_ROLES and not user.has_usable_password and current_app.config["STAFF_PASSWORD_REQUIRED"]:
        raise AuthError(_("Administrators and office staff must have a password, and the login %(name)s has "
                          "none. Reset its password first, then change the role.", name=user.username),
                        field="role")
    user.role = role
    db.session.flush()


def set_password(user: User, new_password: str) -> None:
    """Set a new password, end every other session of the user and revoke their API tokens."""
    validate_password(new_password)
    user.set_password(new_password)
    user.session_version += 1
    db.session.flush()
    signals.credentials_revoked.send(user, reason="password")


def set_active(user: User, active: bool) -> None:
    """Activate or deactivate a login. Deactivating ends its sessions and revokes its API tokens for
    good: activating it again brings none of them back."""
    if user.is_active_flag == active:
        return
    user.is_active_flag = active
    if not active:
        user.session_version += 1
    db.session.flush()
    if not active:
        signals.credentials_revoked.send(user, reason="deactivated")


def change_password(user: User, current_password: str, new_password: str) -> None:
    from tracker.i18n import _

    if not user.check_password(current_password):
        raise AuthError(_("The current password is not right."))
    set_password(user, new_password)


def sign_out_everywhere(user: User) -> None:
    """Sign out on all phones: every session of the login ends (the session version no longer matches),
    as when the office revokes them. Signing out on one phone ends only that phone's session (the view
    forgets it): a president does not pay a new code on every other phone. API tokens are not sessions
    and stay."""
    user.session_version += 1
    db.session.flush()
    record(db.session, "users", user.id, "signed_out_everywhere", {"session_version": [None, user.session_version]})


def set_user_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.flush()


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: ``"<id>:<session version>"``."""
    try:
        uid, version = (int(x) for x in user_id.split(":", 1))
    except (ValueError, AttributeError):
        return None
    user = db.session.get(User, uid)
    if user is None or user.session_version != version or not user.is_active:
        return None
    return user


def login_of(person_id: int) -> User | None:
    """The login linked to a person of the directory, if any."""
    return db.session.scalar(sa.select(User).where(User.person_id == person_id))


# --- the Logins pages: the list ----------------------------------------------------------------------------------


def logins_list(page: int = 1, q: str = "", role: str = "", linked: str = "", active: str = "",
                per_page: int = 25) -> Page:
    """A page of logins filtered by a text (username, name, the person's names or mobile), a role,
    linked to a person or not (``"yes"``/``"no"``) and active or not; two queries whatever the size."""
    query = sa.select(User).outerjoin(Person, User.person_id == Person.id)
    if q.strip():
        query = query.where(sa.or_(*(like(c, q) for c in (User.username, User.full_name, Person.name_en,
                                                         Person.name_hi, Person.mobile))))
    if role in {r.value for r in Role}:
        query = query.where(User.role == Role(role))
    if linked in ("yes", "no"):
        query = query.where(User.person_id.is_not(None) if linked == "yes" else User.person_id.is_(None))
    if active in ("yes", "no"):
        query = query.where(User.is_active_flag.is_(active == "yes"))
    return paginate(query.order_by(sa.func.lower(User.username), User.id), page, per_page)


# --- one login ---------------------------------------------------------------------------------


def generated_password() -> str:
    """A password shown once to whoever resets or creates a login."""
    return secrets.token_urlsafe(12)


def create_login(username: str, role: Role | str, full_name: str = "", person_id: int | None = None
                 ) -> tuple[User, str]:
    """A new login with a generated password (returned, to be shown once)."""
    if person_id is not None:
        _check_linkable(person_id, None)
    password = generated_password()
    return create_user(username, password, role, full_name=full_name, person_id=person_id), password


def _check_linkable(person_id: int, user: User | None) -> Person:
    person = db.session.get(Person, person_id)
    if person is None:
        raise AuthError(_("There is no person with the number %(id)d.", id=person_id), field="person_id")
    other = login_of(person_id)
    if other is not None and other is not user:
        raise AuthError(_("%(person)s already has the login %(name)s.", person=person.name_en or person.name_hi,
                              name=other.username), field="person_id")
    return person


def link_person(user: User, person_id: int | None) -> None:
    """Link the login to a person of the directory, or unlink it (``None``)."""
    if person_id is not None:
        _check_linkable(person_id, user)
    user.person_id = person_id
    db.session.flush()
    db.session.refresh(user, ["person"])


def _not_oneself(actor: User | None, user: User, message) -> None:
    if actor is not None and actor.id == user.id:
        raise AuthError(message)


def change_login_role(actor: User | None, user: User, role: Role | str) -> None:
    """Give the login another role; nobody changes their own (an admin would lock themselves out)."""
    _not_oneself(actor, user, _("You cannot change the role of your own login."))
    set_role(user, role)


def set_login_active(actor: User | None, user: User, active: bool) -> None:
    """Deactivate or activate a login (:func:`set_active`); not one's own."""
    _not_oneself(actor, user, _("You cannot deactivate your own login."))
    set_active(user, active)


def revoke_access(user: User) -> None:
    """The office revokes a login's sessions and API tokens (a phone or a token in the wrong hands): every
    phone and computer is signed out, every token stops working; the login itself stays active."""
    user.session_version += 1
    db.session.flush()
    record(db.session, "users", user.id, "access_revoked", {"session_version": [None, user.session_version]})
    signals.credentials_revoked.send(user, reason="revoked")


def set_login_contact(user: User, email: str | None, mobile: str | None) -> None:
    """The login's own e-mail and mobile number (the digest uses them when no person is linked)."""
    from tracker.i18n import _

    number = normalized_mobile(mobile) if (mobile or "").strip() else None
    if (mobile or "").strip() and number is None:
        raise AuthError(_("Not a mobile number: %(value)s", value=mobile))
    address = (email or "").strip()
    if address and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", address):
        raise AuthError(_("Not an e-mail address: %(value)s", value=address))
    user.email = address or None
    user.mobile = number
    db.session.flush()


def reset_password(user: User) -> str:
    """A new generated password (returned, to be shown once); the login's sessions end and its API
    tokens are revoked."""
    password = generated_password()
    set_password(user, password)
    return password


# --- logins from posts -------------------------------------------------------------------------


@dataclass(frozen=True)
class PostKind:
    code: str
    label: object
    post_codes: tuple[str, ...]
    role: Role


POST_KINDS: dict[str, PostKind] = {kind.code: kind for kind in (
    PostKind("district_president", _l("District presidents"), (RoleCode.DISTRICT_PRESIDENT,), Role.PRESIDENT),
    PostKind("incharge", _l("In-charges"), (RoleCode.STATE_INCHARGE, RoleCode.ORG_INCHARGE,
                                           RoleCode.DISTRICT_INCHARGE), Role.INCHARGE),
    PostKind("co_incharge", _l("Co-in-charges"), (RoleCode.CO_INCHARGE, RoleCode.DISTRICT_CO_INCHARGE),
             Role.INCHARGE),
    PostKind("coordinator", _l("Coordinators"), (RoleCode.COORDINATOR,), Role.COORDINATOR),
)}

# Why a holder gets no login (the report's words).
HAS_LOGIN = "has_login"
NO_MOBILE = "no_mobile"
ARCHIVED = "archived"
SKIP_REASONS = {
    HAS_LOGIN: _l("already has a login"),
    NO_MOBILE: _l("no mobile number"),
    ARCHIVED: _l("archived in the directory"),
}


@dataclass
class Candidate:
    person: Person
    post: Post
    username: str = ""
    skipped: str | None = None  # a key of SKIP_REASONS
    existing: str = ""  # the username of the login the person already has

    @property
    def reason(self) -> str:
        return str(SKIP_REASONS[self.skipped]) if self.skipped else ""


@dataclass
class FromPostsReport:
    kind: PostKind
    units: list[Unit]
    candidates: list[Candidate] = field(default_factory=list)
    done: bool = False

    @property
    def created(self) -> list[Candidate]:
        return [c for c in self.candidates if c.skipped is None]

    @property
    def skipped(self) -> list[Candidate]:
        return [c for c in self.candidates if c.skipped is not None]


def username_base(name: str) -> str:
    """A lower-case ASCII username from a Latin name: "Rāj Kumar Singh" → "raj.kumar.singh"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", ".", ascii_name).strip(".")[:60]


def _unique_username(base: str, taken: set[str]) -> str:
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    taken.add(name)
    return name


def _subtree_ids(unit_ids: list[int]) -> set[int]:
    """The units and every unit below them (one query)."""
    children: dict[int | None, list[int]] = {}
    for uid, parent in db.session.execute(sa.select(Unit.id, Unit.parent_id)).all():
        children.setdefault(parent, []).append(uid)
    found, todo = set(), list(unit_ids)
    while todo:
        uid = todo.pop()
        if uid not in found:
            found.add(uid)
            todo.extend(children.get(uid, ()))
    return found


def _holder_posts(kind: PostKind, unit_ids: set[int], on: date) -> list[Post]:
    query = (sa.select(Post).join(PostRole, Post.role_id == PostRole.id).join(Unit, Post.unit_id == Unit.id)
             .where(PostRole.code.in_(kind.post_codes), Post.unit_id.in_(unit_ids), current_post_clause(on))
             .options(joinedload(Post.person), joinedload(Post.unit))
             .order_by(Unit.name_en, Post.start_date, Post.id))
    return list(db.session.scalars(query).unique())


def _skip_reason(person: Person, logins: dict[int, str]) -> str | None:
    if person.id in logins:
        return HAS_LOGIN
    if person.is_archived:
        return ARCHIVED
    if not (person.mobile or "").strip():
        return NO_MOBILE
    return None


def plan_from_posts(kind_code: str, unit_ids: list[int], on: date | None = None) -> FromPostsReport:
    """Who would get a login: every current holder of a post of the kind at the units or below them,
    once each, with the username they would get or why they are skipped. Changes nothing."""
    kind = POST_KINDS[kind_code]
    units = list(db.session.scalars(sa.select(Unit).where(Unit.id.in_(unit_ids)).order_by(Unit.name_en)))
    report = FromPostsReport(kind, units)
    posts = _holder_posts(kind, _subtree_ids([u.id for u in units]), on or today_local())
    logins = dict(db.session.execute(sa.select(User.person_id, User.username).where(User.person_id.is_not(None))).all())
    taken = {name.lower() for name in db.session.scalars(sa.select(User.username))}
    seen: set[int] = set()
    for post in posts:
        if post.person_id in seen:
            continue
        seen.add(post.person_id)
        candidate = Candidate(post.person, post, skipped=_skip_reason(post.person, logins),
                              existing=logins.get(post.person_id, ""))
        if candidate.skipped is None:
            base = username_base(post.person.name_en) or f"person{post.person_id}"
            candidate.username = _unique_username(base, taken)
        report.candidates.append(candidate)
    return report


def logins_from_posts(kind_code: str, unit_ids: list[int], on: date | None = None) -> FromPostsReport:
    """Create the planned logins: linked to the person, in the role of the post, with an unusable
    random password (the holder signs in by mobile number). The audit trail keeps each creation and
    a summary of the run with what was skipped and why."""
    report = plan_from_posts(kind_code, unit_ids, on)
    for candidate in report.created:
        person = candidate.person
        user = User(username=candidate.username, full_name=person.name_en or person.name_hi,
                    role=report.kind.role, person_id=person.id, locale=person.preferred_locale)
        user.set_unusable_password()  # no scrypt per login: 71 presidents would take half a minute
        db.session.add(user)
        db.session.flush()
        record(db.session, "users", user.id, "created_from_post",
               {"post_id": [None, candidate.post.id], "person_id": [None, person.id]})
    record(db.session, "users", 0, "logins_from_posts", {
        "kind": [None, report.kind.code],
        "units": [None, ",".join(u.code for u in report.units)],
        "created": [None, ",".join(c.username for c in report.created)],
        "skipped": [None, ",".join(f"{c.person.id}:{c.skipped}" for c in report.skipped)],
    })
    db.session.flush()
    report.done = True
    return report


def normalized_mobile(text: str) -> str | None:
    """The number in E.164 as the directory keeps it, or None when it is not a valid number."""
    from tracker.directory.operations import normalize_mobile

    try:
        return normalize_mobile(text)
    except DomainError:
        return None
