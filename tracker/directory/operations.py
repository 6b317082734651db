"""Business rules of the directory: units, people and posts. Operations flush, never commit.

A refusal raises :class:`DirectoryError` with a message in the user's language; views show it,
the CLI prints it, the importer reports it per row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

import phonenumbers
import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app

from tracker.audit.operations import record
from tracker.core.errors import DomainError
from tracker.core.signals import post_ended
from tracker.directory.models import (
    PARENT_LEVEL,
    STANDARD_ROLES,
    Channel,
    DistrictKind,
    Person,
    Post,
    PostRole,
    Unit,
    UnitLevel,
)
from tracker.directory.phonetic import is_devanagari
from tracker.directory.search import make_search_key
from tracker.directory.translit import suggest_other_script, to_devanagari, to_latin  # noqa: F401 (views use ops.)
from tracker.extensions import db
from tracker.i18n import _, localized, ngettext

R = TypeVar("R")

LOCALES = ("hi", "en")
_CODE = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


class DirectoryError(DomainError):
    """A refusal, with a message already in the user's language."""


# --- roles -------------------------------------------------------------------------------------


def role_by_code(code: str) -> PostRole:
    """The post role with this code; a standard role missing from the table is (re)created."""
    role = db.session.scalar(sa.select(PostRole).where(PostRole.code == code))
    if role is not None:
        return role
    for std_code, title_en, title_hi, single, order in STANDARD_ROLES:
        if std_code == code:
            role = PostRole(code=code, title_en=title_en, title_hi=title_hi, single_holder=single, sort_order=order)
            db.session.add(role)
            db.session.flush()
            return role
    raise DirectoryError(_("There is no post role with the code %(code)s.", code=code))


def ensure_standard_roles() -> None:
    for code, *_rest in STANDARD_ROLES:
        role_by_code(code)


# --- names -------------------------------------------------------------------------------------


NAME_MAX = 200  # the name_hi / name_en columns of units and people


def _both_names(name_hi: str | None, name_en: str | None) -> tuple[str, str]:
    """Both scripts of a name: either may be given (even in the other field); the missing one is transliterated."""
    name_hi, name_en = (name_hi or "").strip(), (name_en or "").strip()
    if name_en and not name_hi and is_devanagari(name_en):
        name_hi, name_en = name_en, ""
    if name_hi and not name_en and not is_devanagari(name_hi):
        name_hi, name_en = "", name_hi
    if not name_hi and not name_en:
        raise DirectoryError(_("Enter the name in Hindi or in English (or both)."))
    if max(len(name_hi), len(name_en)) > NAME_MAX:
        raise DirectoryError(_("A name may have at most %(n)d characters.", n=NAME_MAX))
    # A transliteration can come out longer than what was typed: keep it within the column.
    return name_hi or to_devanagari(name_en)[:NAME_MAX], name_en or to_latin(name_hi)[:NAME_MAX]


# --- units -------------------------------------------------------------------------------------


def _unit_label(unit: Unit) -> str:
    return localized(unit) or unit.code


def _clean_code(code: str | None) -> str:
    code = (code or "").strip().lower()
    if not code:
        raise DirectoryError(_("A code is required."))
    if not _CODE.match(code):
        raise DirectoryError(
            _("The code %(code)s may only have small Latin letters, digits, - and _.", code=code)
        )
    return code


def _check_code_free(code: str, unit: Unit | None) -> None:
    other = db.session.scalar(sa.select(Unit).where(sa.func.lower(Unit.code) == code))
    if other is not None and other is not unit:
        raise DirectoryError(
            _("The code %(code)s is already used by %(unit)s. Choose another code.", code=code, unit=_unit_label(other))
        )


def _resolve_parent(value) -> Unit | None:
    if value is None or value == "" or isinstance(value, Unit):
        return value or None
    parent = db.session.get(Unit, int(value))
    if parent is None:
        raise DirectoryError(_("The parent unit does not exist."))
    return parent


def _check_parent(level: UnitLevel, parent: Unit | None) -> None:
    wanted = PARENT_LEVEL[level]
    if wanted is None:
        if parent is not None:
            raise DirectoryError(_("A state has no parent unit."))
        return
    if parent is None or parent.level != wanted:
        raise DirectoryError(
            _("A unit of level %(level)s must have a parent of level %(parent)s.", level=level.title, parent=wanted.title)
        )
    if parent.is_archived:
        raise DirectoryError(_("%(parent)s is archived; choose an active parent.", parent=_unit_label(parent)))


def _apply_unit(unit: Unit, data: Mapping) -> None:
    level = UnitLevel(data.get("level") or unit.level)
    parent = _resolve_parent(data["parent"] if "parent" in data else data.get("parent_id", unit.parent))
    _check_parent(level, parent)
    if unit.id is not None and level != unit.level and unit.children:
        raise DirectoryError(_("%(unit)s has units below it; its level cannot change.", unit=_unit_label(unit)))
    code = _clean_code(data.get("code", unit.code))
    _check_code_free(code, unit)
    name_hi, name_en = _both_names(data.get("name_hi", unit.name_hi), data.get("name_en", unit.name_en))
    kind = data.get("district_kind", unit.district_kind)
    unit.code, unit.level, unit.parent, unit.name_hi, unit.name_en = code, level, parent, name_hi, name_en
    unit.district_kind = DistrictKind(kind or DistrictKind.WHOLE) if level == UnitLevel.DISTRICT else None
    if "revenue_district_id" in data:
        unit.revenue_district_id = data["revenue_district_id"] or None
    unit.search_key = make_search_key(name_hi, name_en, code)


def _saved(row: R, apply: Callable[[R, Mapping], None], data: Mapping) -> R:
    """Apply the data (checking it) to a new or an existing row, add it to the session and flush."""
    apply(row, data)
    db.session.add(row)
    db.session.flush()
    return row


def create_unit(data: Mapping) -> Unit:
    """Create a unit from ``code, level, parent (Unit or id), name_hi, name_en, district_kind``."""
    return _saved(Unit(is_archived=False), _apply_unit, data)


def update_unit(unit: Unit, data: Mapping) -> Unit:
    return _saved(unit, _apply_unit, data)


def archive_unit(unit: Unit) -> None:
    """Archive a unit; refused while active units remain below it."""
    active_children = db.session.scalar(
        sa.select(sa.func.count()).select_from(Unit).where(Unit.parent_id == unit.id, Unit.is_archived.is_(False))
    )
    _set_archived(unit, True, ngettext(
        "%(unit)s still has %(num)d active unit below it; archive that first.",
        "%(unit)s still has %(num)d active units below it; archive those first.",
        active_children, unit=_unit_label(unit)) if active_children else None)


def restore_unit(unit: Unit) -> None:
    parent_archived = unit.parent is not None and unit.parent.is_archived
    _set_archived(unit, False, _("%(parent)s above it is archived; restore that first.",
                                 parent=_unit_label(unit.parent)) if parent_archived else None)


def _set_archived(row: Unit | Person, archived: bool, refusal: str | None = None) -> None:
    """Archive or restore a unit or a person, unless ``refusal`` says why not (what still needs it, or
    what must be restored first)."""
    if refusal:
        raise DirectoryError(refusal)
    row.is_archived = archived
    db.session.flush()


def _references_to(table_name: str, row_id: int, skip: tuple[str, ...] = ()) -> dict[str, int]:
    """How many rows of each table refer to a row by a foreign key (found from the metadata, so new
    tables of other domains count too)."""
    counts: dict[str, int] = {}
    for table in db.metadata.sorted_tables:
        if table.name in skip:
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name != table_name:
                continue
            n = db.session.scalar(sa.select(sa.func.count()).select_from(table).where(fk.parent == row_id))
            if n:
                counts[table.name] = counts.get(table.name, 0) + n
    return counts


def _post_counts(where) -> tuple[int, int]:
    """(current, past) posts matching a condition, today."""
    from tracker.timeutil import today_local

    today = today_local()
    current = sa.and_(Post.start_date <= today, sa.or_(Post.end_date.is_(None), Post.end_date >= today))
    row = db.session.execute(
        sa.select(
            sa.func.count().filter(current),
            sa.func.count().filter(sa.not_(current)),
        ).where(where)
    ).one()
    return int(row[0]), int(row[1])


def _reference_phrases(counts: dict[str, int], current_posts: int, past_posts: int, children: int) -> list[str]:
    phrases = []
    if children:
        phrases.append(ngettext("%(num)d unit below it", "%(num)d units below it", children))
    if current_posts:
        phrases.append(ngettext("%(num)d current post", "%(num)d current posts", current_posts))
    if past_posts:
        phrases.append(ngettext("%(num)d past post", "%(num)d past posts", past_posts))
    others = sum(counts.values())
    if others:
        phrases.append(ngettext("%(num)d other record (meetings, sessions …)",
                                "%(num)d other records (meetings, sessions …)", others))
    return phrases


def _join(phrases: list[str]) -> str:
    """"a, b and c" in the user's language."""
    if len(phrases) < 2:
        return "".join(phrases)
    return _("%(first)s and %(last)s", first=", ".join(phrases[:-1]), last=phrases[-1])


def delete_unit(unit: Unit) -> None:
    """Delete a unit that nothing refers to; otherwise refuse, saying what still refers to it."""
    counts = _references_to("units", unit.id, skip=("units", "posts"))
    children = db.session.scalar(sa.select(sa.func.count()).select_from(Unit).where(Unit.parent_id == unit.id))
    current_posts, past_posts = _post_counts(Post.unit_id == unit.id)
    phrases = _reference_phrases(counts, current_posts, past_posts, children)
    if phrases:
        raise DirectoryError(
            _("%(unit)s still has %(what)s; archive it instead.", unit=_unit_label(unit), what=_join(phrases))
        )
    db.session.delete(unit)
    db.session.flush()


# --- people ------------------------------------------------------------------------------------


def normalize_mobile(text: str) -> str:
    """An Indian (or +country) mobile number in E.164, e.g. ``+919876543210``."""
    raw = (text or "").strip()
    try:
        number = phonenumbers.parse(raw, "IN")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise DirectoryError(
            _("%(number)s is not a valid mobile number. Enter 10 digits, e.g. 98765 43210, or the number with +91.",
              number=raw or "—")
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(text: str | None) -> str | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        raise DirectoryError(_("%(email)s is not a valid email address.", email=text)) from None


# The logins' table, seen from below (the directory does not import the auth domain): who has a login.
_LOGINS = sa.table("users", sa.column("person_id"))


def _has_login(person_id) -> sa.Exists:
    return sa.select(_LOGINS.c.person_id).where(_LOGINS.c.person_id == person_id).exists()


def check_mobile_free(person: Person, mobile: str | None, has_login: bool | None = None) -> None:
    """Mobile numbers of people with a login are unique (they sign in with it, issue 12): refuse the number
    when another person has it and either of the two has a login. ``has_login``: known by the caller."""
    if not mobile:
        return
    query = sa.select(Person).where(Person.mobile == mobile)
    if person.id is not None:
        query = query.where(Person.id != person.id)
    if has_login is None:
        has_login = person.id is not None and bool(db.session.scalar(sa.select(_has_login(person.id))))
    if not has_login:
        query = query.where(_has_login(Person.id))
    other = db.session.scalars(query.order_by(Person.id).limit(1)).first()
    if other is not None:
        raise DirectoryError(_(
            "The mobile number %(number)s is already the number of %(name)s (ID %(id)d); people with a login "
            "need a number of their own, since they sign in with it.",
            number=mobile, name=localized(other), id=other.id), field="mobile")


def _apply_person(person: Person, data: Mapping) -> None:
    name_hi, name_en = _both_names(data.get("name_hi", person.name_hi), data.get("name_en", person.name_en))
    mobile = data.get("mobile", person.mobile)
    mobile = normalize_mobile(mobile) if (mobile or "").strip() else None
    if mobile != person.mobile:
        check_mobile_free(person, mobile)
    email = normalize_email(data.get("email", person.email))
    locale = data.get("preferred_locale") or person.preferred_locale or current_app.config["DEFAULT_LOCALE"]
    if locale not in LOCALES:
        raise DirectoryError(_("Choose Hindi or English as the preferred language."))
    channel = data.get("preferred_channel") or person.preferred_channel
    if channel is None:  # not chosen: the best the contact details allow
        channel = Channel.SMS if mobile else (Channel.EMAIL if email else Channel.NONE)
    channel = Channel(channel)
    if channel == Channel.EMAIL and not email:
        raise DirectoryError(_("Messages by email need an email address."))
    if channel in (Channel.SMS, Channel.WHATSAPP) and not mobile:
        raise DirectoryError(_("Messages by SMS or WhatsApp need a mobile number."))
    person.name_hi, person.name_en, person.mobile, person.email = name_hi, name_en, mobile, email
    person.preferred_locale, person.preferred_channel = locale, channel
    person.note = (data.get("note", person.note) or "").strip()
    person.search_key = make_search_key(name_hi, name_en)


def create_person(data: Mapping) -> Person:
    """Create a person from ``name_hi, name_en, mobile, email, preferred_locale, preferred_channel, note``."""
    return _saved(Person(is_archived=False, note=""), _apply_person, data)


def update_person(person: Person, data: Mapping) -> Person:
    return _saved(person, _apply_person, data)


def archive_person(person: Person) -> None:
    current, _past = _post_counts(Post.person_id == person.id)
    _set_archived(person, True, ngettext(
        "%(name)s still holds %(num)d current post; end it first.",
        "%(name)s still holds %(num)d current posts; end them first.",
        current, name=localized(person)) if current else None)


def restore_person(person: Person) -> None:
    _set_archived(person, False)


# --- posts -------------------------------------------------------------------------------------


@dataclass
class AppointResult:
    post: Post
    replaced: list[Post]


def _overlapping(unit: Unit, role: PostRole, start: date, end: date | None, exclude: Post | None = None):
    """Posts of this role at this unit whose term overlaps [start, end]."""
    query = sa.select(Post).where(
        Post.unit_id == unit.id,
        Post.role_id == role.id,
        sa.or_(Post.end_date.is_(None), Post.end_date >= start),
    )
    if end is not None:
        query = query.where(Post.start_date <= end)
    if exclude is not None and exclude.id is not None:
        query = query.where(Post.id != exclude.id)
    return list(db.session.scalars(query.order_by(Post.start_date)))


def _check_term(start: date | None, end: date | None) -> None:
    if start is None:
        raise DirectoryError(_("A start date is required."))
    if end is not None and end < start:
        raise DirectoryError(_("The end date cannot be before the start date."))


def _replaceable(unit: Unit, role: PostRole, person: Person, start: date, end: date | None,
                 exclude: Post | None = None) -> list[Post]:
    """The posts an appointment would end (single-holder roles), or a refusal."""
    overlapping = _overlapping(unit, role, start, end, exclude)
    for post in overlapping:
        if post.person_id == person.id:
            raise DirectoryError(
                _("%(name)s already holds the post %(role)s at %(unit)s from %(date)s.", name=localized(person),
                  role=localized(role, "title"), unit=_unit_label(unit), date=_fmt(post.start_date))
            )
    if not role.single_holder:
        return []
    for post in overlapping:
        if post.start_date >= start:
            raise DirectoryError(
                _("%(name)s holds the post %(role)s at %(unit)s from %(date)s; the new term must start after that.",
                  name=localized(post.person), role=localized(role, "title"), unit=_unit_label(unit),
                  date=_fmt(post.start_date))
            )
    return overlapping


def _fmt(value: date) -> str:
    from tracker.i18n import fmt_date

    return fmt_date(value)


def _check_appointment(person: Person, unit: Unit, start: date, end: date | None) -> None:
    _check_term(start, end)
    if unit.is_archived:
        raise DirectoryError(_("%(unit)s is archived; restore it before appointing.", unit=_unit_label(unit)))
    if person.is_archived:
        raise DirectoryError(_("%(name)s is archived; restore the person first.", name=localized(person)))


def preview_appointment(person: Person, unit: Unit, role_code: str, start_date: date,
                        end_date: date | None = None) -> list[Post]:
    """Who an appointment would replace (their term ends the day before); raises if it is refused."""
    _check_appointment(person, unit, start_date, end_date)
    return _replaceable(unit, role_by_code(role_code), person, start_date, end_date)


def appoint(person: Person, unit: Unit, role_code: str, start_date: date, end_date: date | None = None,
            note: str = "") -> AppointResult:
    """Give a person a post. For single-holder roles the current holder's term ends the day before."""
    role = role_by_code(role_code)
    replaced = preview_appointment(person, unit, role_code, start_date, end_date)
    for old in replaced:
        old.end_date = start_date - timedelta(days=1)
        record(db.session, "people", old.person_id, "update", {role.code: [unit.code, None]})
        db.session.flush()
        post_ended.send(old, end_date=old.end_date)
    post = Post(person=person, unit=unit, role=role, start_date=start_date, end_date=end_date,
                note=(note or "").strip())
    db.session.add(post)
    db.session.flush()
    # The holders by id: the unit's History names them in the reader's language.
    old_holders = [p.person_id for p in replaced] or None
    record(db.session, "units", unit.id, "update", {role.code: [old_holders, person.id]})
    record(db.session, "people", person.id, "update", {role.code: [None, unit.code]})
    db.session.flush()
    return AppointResult(post, replaced)


def end_post(post: Post, end_date: date) -> Post:
    """End a term on ``end_date`` (inclusive)."""
    _check_term(post.start_date, end_date)
    post.end_date = end_date
    db.session.flush()
    post_ended.send(post, end_date=end_date)
    return post


def update_post(post: Post, data: Mapping) -> Post:
    """Change a post's dates or note (to move a post to another person or unit, end it and appoint anew)."""
    start = data.get("start_date", post.start_date)
    end = data["end_date"] if "end_date" in data else post.end_date
    _check_term(start, end)
    for other in _overlapping(post.unit, post.role, start, end, exclude=post):
        if other.person_id == post.person_id or post.role.single_holder:
            raise DirectoryError(
                _("The term overlaps the term of %(name)s (from %(date)s).", name=localized(other.person),
                  date=_fmt(other.start_date))
            )
    post.start_date, post.end_date = start, end
    post.note = (data.get("note", post.note) or "").strip()
    db.session.flush()
    if end is not None:
        post_ended.send(post, end_date=end)
    return post
