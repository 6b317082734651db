"""Units, people and posts: read for those who may see the directory, written by office staff."""

from __future__ import annotations

import sqlalchemy as sa
from flask.views import MethodView

from tracker import policy
from tracker.api import schemas as s
from tracker.api.common import (
    ETAG_HEADER,
    IF_MATCH_PARAMETER,
    check_if_match,
    etag_of,
    get_or_404,
    page_of,
    paginate,
    referenced,
    where_equal,
    with_etag,
)
from tracker.api.framework import api_user, error_responses, guard, require, resource_blueprint
from tracker.core.sql import like
from tracker.directory import operations as ops
from tracker.directory.models import Person, Post, PostRole, Unit
from tracker.directory.queries import current_post_clause
from tracker.timeutil import today_local

units = resource_blueprint("Units", "The unit tree: state, divisions, organizational districts, blocks.")
people = resource_blueprint("People", "People of the directory, with contact details.")
posts = resource_blueprint("Posts", "Who holds which post at which unit, from when to when.")


def _listed(stmt, model, args: dict, text_columns: tuple):
    """A list of units or people: archived ones only when asked for; ``q`` in any of the text columns
    (case-insensitive)."""
    if not args["include_archived"]:
        stmt = stmt.where(model.is_archived.is_(False))
    if (args.get("q") or "").strip():
        stmt = stmt.where(sa.or_(*(like(column, args["q"]) for column in text_columns)))
    return stmt


def _editable(model):
    """The guard of a PATCH: office staff only (403), then the record must exist (404)."""

    def check(**path):
        require("directory.edit")
        (ident,) = path.values()
        get_or_404(model, ident)

    return guard(check)


def _update(model, ident: int, operation, data: dict):
    """PATCH (after :func:`_editable`): If-Match against the record's version; the directory's operation."""
    row = get_or_404(model, ident, for_update=True)
    check_if_match(etag_of(row))
    operation(row, data)
    return with_etag(row)


# --- units -------------------------------------------------------------------------------------


@units.route("/units")
class UnitList(MethodView):
    @guard("directory.view")
    @units.arguments(s.UnitListArgs, location="query")
    @units.response(200, page_of(s.UnitSchema))
    @units.doc(responses=error_responses(422))
    def get(self, args):
        """List units (filter by level, parent, text)."""
        stmt = where_equal(sa.select(Unit).order_by(Unit.code), args, {"level": Unit.level, "parent_id": Unit.parent_id})
        return paginate(_listed(stmt, Unit, args, (Unit.code, Unit.name_en, Unit.name_hi)), args)

    @guard("directory.edit")
    @units.arguments(s.UnitCreateSchema)
    @units.response(201, s.UnitSchema, headers=ETAG_HEADER)
    @units.doc(responses=error_responses(409, 422))
    def post(self, data):
        """Create a unit (office staff)."""
        unit = ops.create_unit(data)
        return with_etag(unit, status=201)


@units.route("/units/<int:unit_id>")
class UnitItem(MethodView):
    @units.response(200, s.UnitSchema, headers=ETAG_HEADER)
    @units.doc(responses=error_responses())
    def get(self, unit_id):
        """One unit."""
        require("directory.view")
        return with_etag(get_or_404(Unit, unit_id))

    @_editable(Unit)
    @units.arguments(s.UnitUpdateSchema)
    @units.response(200, s.UnitSchema, headers=ETAG_HEADER)
    @units.doc(parameters=[IF_MATCH_PARAMETER], responses=error_responses(409, 412, 422))
    def patch(self, data, unit_id):
        """Change a unit's code, names, parent or kind (office staff). Honours If-Match."""
        return _update(Unit, unit_id, ops.update_unit, data)


# --- people ------------------------------------------------------------------------------------


@people.route("/people")
class PersonList(MethodView):
    @people.arguments(s.PersonListArgs, location="query")
    @people.response(200, page_of(s.PersonSchema))
    @people.doc(responses=error_responses(422))
    def get(self, args):
        """List people (filter by unit of a current post, text). Without the directory right: oneself."""
        user = api_user()
        stmt = sa.select(Person).where(policy.visible_people_clause(user)).order_by(Person.name_en, Person.id)
        if args.get("unit_id") is not None:
            holders = sa.select(Post.person_id).where(Post.unit_id == args["unit_id"], current_post_clause(today_local()))
            stmt = stmt.where(Person.id.in_(holders))
        return paginate(_listed(stmt, Person, args, (Person.name_en, Person.name_hi, Person.mobile)), args)

    @guard("directory.edit")
    @people.arguments(s.PersonCreateSchema)
    @people.response(201, s.PersonSchema, headers=ETAG_HEADER)
    @people.doc(responses=error_responses(409, 422))
    def post(self, data):
        """Create a person (office staff). Either name may be left out: it is transliterated."""
        person = ops.create_person(data)
        return with_etag(person, status=201)


@people.route("/people/<int:person_id>")
class PersonItem(MethodView):
    @people.response(200, s.PersonSchema, headers=ETAG_HEADER)
    @people.doc(responses=error_responses())
    def get(self, person_id):
        """One person (anyone who may see the directory, and each person themselves)."""
        person = get_or_404(Person, person_id)
        require("person.view", person, hidden=True)
        return with_etag(person)

    @_editable(Person)
    @people.arguments(s.PersonWriteSchema)
    @people.response(200, s.PersonSchema, headers=ETAG_HEADER)
    @people.doc(parameters=[IF_MATCH_PARAMETER], responses=error_responses(409, 412, 422))
    def patch(self, data, person_id):
        """Change a person (office staff). Honours If-Match."""
        return _update(Person, person_id, ops.update_person, data)


# --- posts -------------------------------------------------------------------------------------


@posts.route("/posts")
class PostList(MethodView):
    @posts.arguments(s.PostListArgs, location="query")
    @posts.response(200, page_of(s.PostSchema))
    @posts.doc(responses=error_responses(422))
    def get(self, args):
        """List posts (filter by unit, person, role, date held). Without the directory right: one's own."""
        user = api_user()
        stmt = (sa.select(Post).join(PostRole, Post.role_id == PostRole.id)
                .where(policy.visible_people_clause(user, Post.person_id)).order_by(Post.start_date.desc(), Post.id))
        stmt = where_equal(stmt, args, {"unit_id": Post.unit_id, "person_id": Post.person_id,
                                        "role_code": PostRole.code})
        if args.get("current_on") is not None:
            stmt = stmt.where(current_post_clause(args["current_on"]))
        return paginate(stmt, args)

    @guard("directory.edit")
    @posts.arguments(s.PostCreateSchema)
    @posts.response(201, s.PostSchema, headers=ETAG_HEADER)
    @posts.doc(responses=error_responses(409, 422))
    def post(self, data):
        """Appoint a person to a post (office staff). A single-holder post's current holder's term ends the day before."""
        person = referenced(Person, data["person_id"], "person_id")
        unit = referenced(Unit, data["unit_id"], "unit_id")
        result = ops.appoint(person, unit, data["role_code"], data["start_date"], data.get("end_date"),
                             data.get("note", ""))
        return with_etag(result.post, status=201)


@posts.route("/posts/<int:post_id>")
class PostItem(MethodView):
    @posts.response(200, s.PostSchema, headers=ETAG_HEADER)
    @posts.doc(responses=error_responses())
    def get(self, post_id):
        """One post."""
        post = get_or_404(Post, post_id)
        require("person.view", post.person, hidden=True)
        return with_etag(post)

    @_editable(Post)
    @posts.arguments(s.PostUpdateSchema)
    @posts.response(200, s.PostSchema, headers=ETAG_HEADER)
    @posts.doc(parameters=[IF_MATCH_PARAMETER], responses=error_responses(409, 412, 422))
    def patch(self, data, post_id):
        """Change a term's dates or note, e.g. end it (office staff). Honours If-Match."""
        return _update(Post, post_id, ops.update_post, data)
