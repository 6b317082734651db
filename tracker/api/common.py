"""Pieces every resource uses: safe fields, pagination with links, ETags and If-Match.

A resource calls the domain's operations directly: the request's one transaction is committed at its
end (tracker.core.transaction), and a refusal or a conflict the database reports is a problem
(tracker.api.problems)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from flask import request
from marshmallow import fields, validate

from tracker.api.problems import ApiError
from tracker.core import pagination as pages
from tracker.extensions import db
from tracker.i18n import _
from tracker.text import TextRefused, check_multiline, clean_line, line_pattern, multiline_pattern

MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL
MAX_PER_PAGE = 100


# --- fields ------------------------------------------------------------------------------------


class _CheckedString(fields.String):
    """A string checked by the text rule of tracker/text.py and normalised to NFC.

    Its length is counted as sent (as JSON Schema's ``maxLength`` counts it), before NFC; the
    rule's characters are stated in the document as a ``pattern`` (tracker/text.py derives it from
    the same rule), so that a client (or a fuzzer) can know every string the server accepts."""

    def __init__(self, check, pattern: str, max_length: int, *, validators=(), **kw):
        metadata = {"pattern": pattern, "maxLength": max_length, **kw.pop("metadata", {})}
        super().__init__(validate=list(validators), metadata=metadata, **kw)
        self._check = check
        self._max_length = max_length

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > self._max_length:
            raise ma.ValidationError(f"Longer than maximum length {self._max_length}.")
        try:
            return self._check(text)
        except TextRefused as exc:
            raise ma.ValidationError(exc.message) from exc


def Line(max_length: int, *, pattern: str | None = None, pattern_error=None, **kw) -> fields.String:  # noqa: N802
    """A name, title, code or other single-line text: NFC, no control or direction character
    (ZWJ and ZWNJ kept), at most ``max_length`` long. A stricter ``pattern`` (ASCII codes) replaces
    the text rule's in the document and is enforced as well; ``pattern_error`` (a lazy message, read
    in the request's language) says what the pattern wants (else marshmallow's message, translated by
    tracker/api/problems.py)."""
    validators = [validate.Regexp(pattern, error=pattern_error)] if pattern else []
    return _CheckedString(clean_line, pattern or line_pattern(), max_length, validators=validators, **kw)


def Text(max_length: int, **kw) -> fields.String:  # noqa: N802
    """A note or description: NFC, no control character other than tab and line breaks, at most
    ``max_length`` long."""
    return _CheckedString(check_multiline, multiline_pattern(), max_length, **kw)


# Dates outside these years mean a typo, and near year 1 or 9999 the conversion to UTC overflows.
# The document states the bound as a pattern on the year (JSON Schema has no range for dates).
FIRST_YEAR, LAST_YEAR = 1900, 2999
YEAR_PATTERN = "^(19[0-9]{2}|2[0-9]{3})-"


def _year_in_range(value: date | datetime) -> None:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ma.ValidationError(f"Must be greater than or equal to {FIRST_YEAR} and less than or equal to {LAST_YEAR}.")


def Day(**kw) -> fields.Date:  # noqa: N802
    """A date (YYYY-MM-DD) in the years 1900 to 2999."""
    kw["metadata"] = {"pattern": YEAR_PATTERN, **kw.get("metadata", {})}
    return fields.Date(validate=_year_in_range, **kw)


def Moment(**kw) -> fields.AwareDateTime:  # noqa: N802
    """A date and time with its UTC offset, in the years 1900 to 2999 (as written, in its own offset)."""
    kw["metadata"] = {"pattern": YEAR_PATTERN, **kw.get("metadata", {})}
    return fields.AwareDateTime(validate=_year_in_range, **kw)


class _WholeNumber(fields.Integer):
    """An integer as JSON Schema reads one: ``3`` and ``3.0``, never ``"3"``, ``true`` or ``3.5``."""

    def _validated(self, value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return super()._validated(value)


def Id(**kw) -> fields.Integer:  # noqa: N802
    """An id in a body (a whole number, strictly) or in a query (``strict=False``: its text)."""
    strict = kw.pop("strict", True)
    field_class = _WholeNumber if strict else fields.Integer
    return field_class(strict=strict, validate=validate.Range(min=1, max=MAX_ID), **kw)


# --- lookups -----------------------------------------------------------------------------------


def get_or_404(model, ident: int, *, for_update: bool = False, options: tuple = ()):
    """A row by id, 404 when missing (or when the id cannot exist); locked for an update."""
    if not 0 < ident <= MAX_ID:
        raise ApiError(404)
    stmt = sa.select(model).where(model.id == ident).options(*options)
    if for_update:
        stmt = stmt.with_for_update(of=model)  # not the eagerly joined tables (PostgreSQL refuses outer joins)
    row = db.session.scalar(stmt)
    if row is None:
        raise ApiError(404)
    return row


def referenced(model, ident: int, field: str):
    """A row named in a request body; a missing one is a field error (422), not a missing resource."""
    row = db.session.get(model, ident)
    if row is None:
        raise ApiError(422, errors={field: [_("There is no record with this id.")]})
    return row


# --- filters -----------------------------------------------------------------------------------


def where_equal(stmt, args: dict, columns: dict[str, Any]):
    """The list narrowed by the query's filters: each argument given (not None) that ``columns`` maps to
    a column keeps the rows whose column equals it."""
    return stmt.where(*(column == args[key] for key, column in columns.items() if args.get(key) is not None))


# --- pagination --------------------------------------------------------------------------------


class PageArgs(ma.Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_ID))
    per_page = fields.Integer(load_default=25, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class DateRangeArgs(PageArgs):
    date_from = Day(data_key="from", metadata={"description": "On or after this date (YYYY-MM-DD)."})
    date_to = Day(data_key="to", metadata={"description": "On or before this date (YYYY-MM-DD)."})


class LinksSchema(ma.Schema):
    self_ = fields.String(data_key="self", required=True)
    first = fields.String(required=True)
    last = fields.String(required=True)
    prev = fields.String(allow_none=True, required=True)
    next = fields.String(allow_none=True, required=True)


_page_schemas: dict[str, type[ma.Schema]] = {}


def page_of(item_schema: type[ma.Schema]) -> type[ma.Schema]:
    """The list envelope ``{items, total, page, per_page, pages, links}`` for an item schema."""
    name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
    if name not in _page_schemas:
        _page_schemas[name] = type(name, (ma.Schema,), {
            "items": fields.List(fields.Nested(item_schema), required=True),
            "total": fields.Integer(required=True),
            "page": fields.Integer(required=True),
            "per_page": fields.Integer(required=True),
            "pages": fields.Integer(required=True),
            "links": fields.Nested(LinksSchema, required=True),
        })
    return _page_schemas[name]


def paginate(stmt, args: dict, transform: Callable[[list], list] | None = None) -> dict[str, Any]:
    """One page of ``stmt`` (which must be ordered) with the total and the links to the others: exactly
    the page asked for (empty beyond the last)."""
    page = pages.paginate(stmt, args["page"], args["per_page"], clamp=False).linked(
        request.endpoint, **(request.view_args or {}), **request.args.to_dict(flat=False))
    number, last = page.page, page.pages
    return {
        "items": transform(page.items) if transform is not None else page.items,
        "total": page.total, "page": number, "per_page": page.per_page, "pages": last,
        "links": {
            "self_": page.url_for(number), "first": page.url_for(1), "last": page.url_for(last),
            "prev": page.url_for(number - 1) if 1 < number <= last + 1 else None,
            "next": page.url_for(number + 1) if number < last else None,
        },
    }


def in_date_range(column, args: dict):
    """WHERE clauses for ``from``/``to`` on a date column."""
    clauses = []
    if args.get("date_from") is not None:
        clauses.append(column >= args["date_from"])
    if args.get("date_to") is not None:
        clauses.append(column <= args["date_to"])
    return clauses


# --- ETags and If-Match --------------------------------------------------------------------------


def etag_of(obj, marker: datetime | date | int | None = None) -> str:
    """A strong ETag from the row's table, id and ``updated_at`` (or a version number)."""
    if marker is None:
        marker = obj.updated_at
    value = marker.isoformat() if isinstance(marker, date | datetime) else str(marker)
    digest = hashlib.sha256(f"{obj.__tablename__}:{obj.id}:{value}".encode()).hexdigest()[:20]
    return f'"{digest}"'


# RFC 9110: "*" or a comma-separated list of entity tags (ASCII ones: the server makes no other).
IF_MATCH_PATTERN = r'^[ \t]*(\*|(W/)?"[!#-~]*"([ \t]*,[ \t]*(W/)?"[!#-~]*")*)[ \t]*$'


def check_if_match(current_etag: str) -> None:
    """400 when If-Match is not a list of ETags; 412 (and nothing changed) when it names another
    version of the record. Called after the body was read: a request that is invalid by itself is
    answered 422 whatever its If-Match."""
    if "If-Match" not in request.headers:
        return
    if not re.fullmatch(IF_MATCH_PATTERN, request.headers["If-Match"]):
        raise ApiError(400, _("The If-Match header must be * or a list of ETags, e.g. \"1a2b3c\"."))
    condition = request.if_match
    if condition.star_tag or condition.contains(current_etag.strip('"')):
        return
    raise ApiError(412, headers={"ETag": current_etag})


def with_etag(obj, etag: str | None = None, status: int = 200):
    """A view's return value carrying the record's ETag."""
    return obj, status, {"ETag": etag or etag_of(obj)}


IF_MATCH_PARAMETER = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string", "pattern": IF_MATCH_PATTERN},
    "description": "The ETag read before (or *); the change is refused with 412 when the record changed "
                   "meanwhile. Checked after the body: an invalid body is answered 422 first.",
}
ETAG_HEADER = {"ETag": {"description": "The record's version, for If-Match.", "schema": {"type": "string"}}}
