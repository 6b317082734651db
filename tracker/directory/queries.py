"""Read-side queries of the directory.

Every function here issues a fixed number of SQL queries, however many units, people and posts
exist (relationships are eager-loaded or fetched in one batch).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload

from tracker.core.pagination import Page, paginate
from tracker.core.sql import like
from tracker.directory.models import Person, Post, PostRole, RoleCode, Unit, UnitLevel
from tracker.extensions import db
from tracker.i18n import name_order
from tracker.timeutil import today_local


def current_post_clause(on: date):
    return sa.and_(Post.start_date <= on, sa.or_(Post.end_date.is_(None), Post.end_date >= on))


def role_codes_held(person_id: int, on: date | None = None) -> list[str]:
    """Codes of the post roles a person holds on a date (today by default)."""
    on = on or today_local()
    return list(
        db.session.scalars(
            sa.select(PostRole.code)
            .join(Post, Post.role_id == PostRole.id)
            .where(Post.person_id == person_id, current_post_clause(on))
            .distinct()
        )
    )


def ever_held_post(person_id: int) -> bool:
    """The person holds or held a post (whatever its dates)."""
    return db.session.scalar(sa.select(Post.id).where(Post.person_id == person_id).limit(1)) is not None


def posts_all_ended(person_id: int, on: date | None = None) -> bool:
    """The person held posts, and every one of them ended before ``on`` (today by default)."""
    return bool(db.session.scalar(sa.select(posts_all_ended_clause(person_id, on or today_local()))))


def posts_all_ended_clause(person_id, on: date):
    """SQL: the person (an id, or another table's person column) held posts and none from ``on`` on."""
    had = sa.select(Post.id).where(Post.person_id == person_id).exists()
    holds = sa.select(Post.id).where(Post.person_id == person_id,
                                     sa.or_(Post.end_date.is_(None), Post.end_date >= on)).exists()
    return sa.and_(had, ~holds)


def unit_ids_held(person_id: int, on: date | None = None) -> set[int]:
    """Ids of the units where a person holds a post on a date (today by default)."""
    query = sa.select(Post.unit_id).where(Post.person_id == person_id, current_post_clause(on or today_local()))
    return set(db.session.scalars(query))


# --- who holds what ----------------------------------------------------------------------------


def _posts_query(role_code: str, on: date):
    return (
        sa.select(Post)
        .join(PostRole, Post.role_id == PostRole.id)
        .where(PostRole.code == role_code, current_post_clause(on))
        .options(joinedload(Post.person), joinedload(Post.unit))
    )


def current_presidents(division_ids: Iterable[int] | None = None, on: date | None = None
                       ) -> list[tuple[Unit, Person, Post]]:
    """The district presidents in office on a date, for the districts under some divisions (or all)."""
    query = _posts_query(RoleCode.DISTRICT_PRESIDENT, on or today_local()).join(Unit, Post.unit_id == Unit.id)
    query = query.where(Unit.level == UnitLevel.DISTRICT)
    if division_ids is not None:
        query = query.where(Unit.parent_id.in_(list(division_ids)))
    posts = db.session.scalars(query.order_by(Unit.name_en, Post.start_date)).unique().all()
    return [(post.unit, post.person, post) for post in posts]


def posts_on(unit: Unit, role_code: str, on: date) -> list[Post]:
    """The posts of a role at a unit held on a date."""
    query = _posts_query(role_code, on).where(Post.unit_id == unit.id).order_by(Post.start_date)
    return list(db.session.scalars(query).unique())


def holder_on(unit: Unit, role_code: str, on: date) -> Person | None:
    """Who held this post at this unit on a date (the latest appointed, if several)."""
    posts = posts_on(unit, role_code, on)
    return posts[-1].person if posts else None


def holder_posts(role_code: str, on: date | None = None) -> list[Post]:
    """Every post of a role held on a date, anywhere (person and unit loaded)."""
    query = _posts_query(role_code, on or today_local()).order_by(Post.start_date, Post.id)
    return list(db.session.scalars(query).unique())


def holders(role_code: str, on: date | None = None) -> list[Person]:
    """The people holding a role on a date, e.g. the state in-charge or the organization in-charge."""
    people: dict[int, Person] = {}
    for post in holder_posts(role_code, on):
        people.setdefault(post.person_id, post.person)
    return list(people.values())


def co_incharges_by_division(on: date | None = None) -> dict[int, list[Person]]:
    """For each division id, the co-in-charges responsible for it on a date."""
    result: dict[int, list[Person]] = defaultdict(list)
    for post in holder_posts(RoleCode.CO_INCHARGE, on):
        if post.unit.level == UnitLevel.DIVISION and post.person not in result[post.unit_id]:
            result[post.unit_id].append(post.person)
    return dict(result)


def districts_under(division_ids: Iterable[int], include_archived: bool = False) -> list[Unit]:
    """The organizational districts of some divisions, by division then name."""
    query = sa.select(Unit).where(Unit.level == UnitLevel.DISTRICT, Unit.parent_id.in_(list(division_ids)))
    if not include_archived:
        query = query.where(Unit.is_archived.is_(False))
    return list(db.session.scalars(query.order_by(Unit.parent_id, Unit.name_en)))


# --- the tree ----------------------------------------------------------------------------------


@dataclass
class TreeNode:
    unit: Unit
    children: list[TreeNode] = field(default_factory=list)
    posts: int = 0  # current posts at this unit
    president: Person | None = None  # districts: the current district president

    @property
    def district_count(self) -> int:
        if self.unit.level == UnitLevel.DISTRICT:
            return 1
        return sum(child.district_count for child in self.children)

    @property
    def total_posts(self) -> int:
        return self.posts + sum(child.total_posts for child in self.children)


@dataclass
class StateSummary:
    unit: Unit
    divisions: int
    districts: int
    posts: int  # current posts in the whole state (state, divisions, districts)


@dataclass
class Tree:
    states: list[StateSummary]
    root: TreeNode | None  # the state shown, with its divisions and districts


def _current_post_counts(unit_ids: Sequence[int] | None, on: date) -> dict[int, int]:
    query = sa.select(Post.unit_id, sa.func.count()).where(current_post_clause(on)).group_by(Post.unit_id)
    if unit_ids is not None:
        query = query.where(Post.unit_id.in_(list(unit_ids)))
    return {unit_id: n for unit_id, n in db.session.execute(query)}


def _presidents_by_unit(unit_ids: Sequence[int] | None, on: date) -> dict[int, Person]:
    """The current district president of each unit (only people are loaded, not their posts)."""
    query = (
        sa.select(Post.unit_id, Person)
        .join(Person, Post.person_id == Person.id)
        .join(PostRole, Post.role_id == PostRole.id)
        .where(PostRole.code == RoleCode.DISTRICT_PRESIDENT, current_post_clause(on))
        .order_by(Post.start_date)
    )
    if unit_ids is not None:
        query = query.where(Post.unit_id.in_(list(unit_ids)))
    return {unit_id: person for unit_id, person in db.session.execute(query)}


def _state_summaries(on: date) -> list[StateSummary]:
    """Every active state with its counts of divisions, districts and current posts (three queries)."""
    states = db.session.scalars(
        sa.select(Unit).where(Unit.level == UnitLevel.STATE, Unit.is_archived.is_(False)).order_by(Unit.name_en)
    ).all()
    division, district = aliased(Unit), aliased(Unit)
    active = sa.and_(division.is_archived.is_(False), division.level == UnitLevel.DIVISION)
    unit_counts = {
        state_id: (divisions, districts)
        for state_id, divisions, districts in db.session.execute(
            sa.select(Unit.id, sa.func.count(sa.distinct(division.id)), sa.func.count(district.id))
            .outerjoin(division, sa.and_(division.parent_id == Unit.id, active))
            .outerjoin(district, sa.and_(district.parent_id == division.id, district.is_archived.is_(False)))
            .where(Unit.level == UnitLevel.STATE)
            .group_by(Unit.id)
        )
    }
    # Which state each unit down to the districts belongs to, to count the posts of a whole state at once.
    state_of = sa.union_all(
        sa.select(Unit.id.label("unit_id"), Unit.id.label("state_id")).where(Unit.level == UnitLevel.STATE),
        sa.select(division.id, division.parent_id).where(division.level == UnitLevel.DIVISION),
        sa.select(district.id, division.parent_id)
        .join(division, district.parent_id == division.id)
        .where(district.level == UnitLevel.DISTRICT),
    ).subquery()
    post_counts = {
        state_id: n
        for state_id, n in db.session.execute(
            sa.select(state_of.c.state_id, sa.func.count(Post.id))
            .join(Post, Post.unit_id == state_of.c.unit_id)
            .where(current_post_clause(on))
            .group_by(state_of.c.state_id)
        )
    }
    return [StateSummary(s, *unit_counts.get(s.id, (0, 0)), post_counts.get(s.id, 0)) for s in states]


def tree_with_counts(state_id: int | None = None, on: date | None = None) -> Tree:
    """The states with their counts, and one state (the given one, else the first) as a tree of
    divisions → districts with counts and presidents: a fixed number of queries, and a page whose size
    is one state's, however many states the directory holds."""
    on = on or today_local()
    states = _state_summaries(on)
    chosen = next((s for s in states if s.unit.id == state_id), states[0] if states else None)
    if chosen is None:
        return Tree(states, None)
    divisions = db.session.scalars(
        sa.select(Unit).where(Unit.parent_id == chosen.unit.id, Unit.is_archived.is_(False),
                              Unit.level == UnitLevel.DIVISION).order_by(Unit.name_en)
    ).all()
    districts = db.session.scalars(
        sa.select(Unit).where(Unit.parent_id.in_([d.id for d in divisions]) if divisions else sa.false(),
                              Unit.is_archived.is_(False), Unit.level == UnitLevel.DISTRICT).order_by(Unit.name_en)
    ).all()
    ids = [chosen.unit.id] + [u.id for u in divisions] + [u.id for u in districts]
    counts = _current_post_counts(ids, on)
    presidents = _presidents_by_unit([u.id for u in districts], on) if districts else {}
    nodes = {u.id: TreeNode(u, posts=counts.get(u.id, 0)) for u in (chosen.unit, *divisions)}
    for unit in districts:
        nodes[unit.parent_id].children.append(TreeNode(unit, posts=counts.get(unit.id, 0),
                                                       president=presidents.get(unit.id)))
    root = nodes[chosen.unit.id]
    root.children = [nodes[d.id] for d in divisions]
    return Tree(states, root)


# --- record pages ------------------------------------------------------------------------------


@dataclass
class ChildRow:
    unit: Unit
    posts: int
    president: Person | None


@dataclass
class UnitPage:
    unit: Unit
    ancestors: list[Unit]
    current: list[Post]
    past: list[Post]
    upcoming: list[Post]
    children: list[ChildRow]


def _split_by_time(posts: Iterable[Post], on: date) -> tuple[list[Post], list[Post], list[Post]]:
    current, past, upcoming = [], [], []
    for post in posts:
        if post.start_date > on:
            upcoming.append(post)
        elif post.end_date is not None and post.end_date < on:
            past.append(post)
        else:
            current.append(post)
    current.sort(key=lambda p: (p.role.sort_order, p.start_date))
    past.sort(key=lambda p: (p.end_date, p.start_date), reverse=True)
    return current, past, upcoming


def ancestors_of(unit: Unit) -> list[Unit]:
    """The units above, from the top (at most three lookups: the tree has four levels)."""
    chain = []
    parent = unit.parent
    while parent is not None:
        chain.append(parent)
        parent = parent.parent
    return list(reversed(chain))


def unit_page(unit: Unit, on: date | None = None) -> UnitPage:
    on = on or today_local()
    posts = db.session.scalars(
        sa.select(Post).where(Post.unit_id == unit.id).options(joinedload(Post.person))
    ).unique().all()
    current, past, upcoming = _split_by_time(posts, on)
    children = db.session.scalars(
        sa.select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.is_archived, Unit.name_en)
    ).all()
    child_ids = [c.id for c in children]
    counts = _current_post_counts(child_ids, on) if child_ids else {}
    presidents = _presidents_by_unit(child_ids, on) if child_ids else {}
    rows = [ChildRow(c, counts.get(c.id, 0), presidents.get(c.id)) for c in children]
    return UnitPage(unit, ancestors_of(unit), current, past, upcoming, rows)


@dataclass
class PersonPage:
    person: Person
    current: list[Post]
    past: list[Post]
    upcoming: list[Post]


def person_page(person: Person, on: date | None = None) -> PersonPage:
    on = on or today_local()
    posts = db.session.scalars(
        sa.select(Post).where(Post.person_id == person.id).options(joinedload(Post.unit).joinedload(Unit.parent))
    ).unique().all()
    current, past, upcoming = _split_by_time(posts, on)
    return PersonPage(person, current, past, upcoming)


def role_titles() -> dict[str, PostRole]:
    """Every post role by code (one query), for labels such as History's field names."""
    return {role.code: role for role in db.session.scalars(sa.select(PostRole).order_by(PostRole.sort_order))}


# --- paginated lists ---------------------------------------------------------------------------


def _ordered(query, columns: dict[str, list], sort: str, direction: str, default: str):
    cols = columns.get(sort) or columns[default]
    return query.order_by(*[c.desc() if direction == "desc" else c.asc() for c in cols])


@dataclass
class UnitRow:
    unit: Unit
    posts: int


UNIT_SORTS = ("name", "code", "level", "parent")
_LEVEL_ORDER = sa.case(
    {UnitLevel.STATE.value: 0, UnitLevel.DIVISION.value: 1, UnitLevel.DISTRICT.value: 2, UnitLevel.BLOCK.value: 3},
    value=sa.cast(Unit.level, sa.String),
)


def _name_column(model, locale: str):
    return model.name_hi if locale == "hi" else model.name_en


def units_list(page: int = 1, sort: str = "name", direction: str = "asc", q: str = "",
               level: str | None = None, archived: bool = False, per_page: int = 25,
               locale: str = "en", on: date | None = None) -> Page:
    """A page of units (items: :class:`UnitRow`), filtered by a text and a level, sorted."""
    parent = aliased(Unit)
    query = sa.select(Unit).outerjoin(parent, Unit.parent_id == parent.id).where(Unit.is_archived.is_(archived))
    if q.strip():
        query = query.where(sa.or_(*(like(c, q) for c in (Unit.name_en, Unit.name_hi, Unit.code))))
    if level in {lv.value for lv in UnitLevel}:
        query = query.where(Unit.level == UnitLevel(level))
    columns = {
        "name": [_name_column(Unit, locale), Unit.id],
        "code": [Unit.code],
        "level": [_LEVEL_ORDER, _name_column(Unit, locale), Unit.id],
        "parent": [_name_column(parent, locale), _name_column(Unit, locale), Unit.id],
    }
    query = _ordered(query, columns, sort, direction, "name").options(joinedload(Unit.parent))
    result = paginate(query, page, per_page)
    counts = _current_post_counts([u.id for u in result.items], on or today_local()) if result.items else {}
    result.items = [UnitRow(u, counts.get(u.id, 0)) for u in result.items]
    return result


@dataclass
class PersonRow:
    person: Person
    posts: list[Post]


PEOPLE_SORTS = ("name", "mobile", "updated")


def people_list(page: int = 1, sort: str = "name", direction: str = "asc", q: str = "",
                archived: bool = False, per_page: int = 25, locale: str = "en", on: date | None = None) -> Page:
    """A page of people (items: :class:`PersonRow` with their current posts), filtered and sorted."""
    query = sa.select(Person).where(Person.is_archived.is_(archived))
    if q.strip():
        digits = "".join(ch for ch in q if ch.isdigit()).lstrip("0")  # "094250…" is stored as +9194250…
        conditions = [like(c, q) for c in (Person.name_en, Person.name_hi)]
        if len(digits) >= 3:
            conditions.append(like(Person.mobile, digits))
        query = query.where(sa.or_(*conditions))
    columns = {
        "name": [*name_order(Person, locale=locale), Person.id],
        "mobile": [Person.mobile, Person.id],
        "updated": [Person.updated_at, Person.id],
    }
    result = paginate(_ordered(query, columns, sort, direction, "name"), page, per_page)
    posts: dict[int, list[Post]] = defaultdict(list)
    if result.items:
        current = db.session.scalars(
            sa.select(Post)
            .where(Post.person_id.in_([p.id for p in result.items]), current_post_clause(on or today_local()))
            .options(joinedload(Post.unit))
            .order_by(Post.start_date)
        ).unique()
        for post in current:
            posts[post.person_id].append(post)
    result.items = [PersonRow(p, posts[p.id]) for p in result.items]
    return result
