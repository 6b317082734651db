"""One page of a list: for the ``pagination`` macro (templates/macros/ui.html) and the API's list
envelope. One way to count, cut and link pages, whatever the list.

Pages ask for a page by ``?page=n``: a number out of range shows the nearest page (``clamp``); the
API answers exactly the page asked for, empty beyond the last.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from flask import request, url_for

from tracker.extensions import db


@dataclass
class Page:
    """``items`` of page ``page`` (from 1) of ``total``; ``url_for(n)`` links page n."""

    items: list
    page: int
    per_page: int
    total: int
    url_builder: Callable[[int], str] | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    def url_for(self, number: int) -> str:
        if self.url_builder is None:
            raise RuntimeError("no URL builder set on this page")
        return self.url_builder(number)

    def linked(self, endpoint: str, **args) -> Page:
        """Link the pages to ``endpoint`` with ``args`` (the list's filters) and ``page=n``."""
        self.url_builder = lambda number: url_for(endpoint, **{**args, "page": number})
        return self


def requested_page() -> int:
    """The page the request asks for (``?page=``), 1 when none or not a number."""
    return request.args.get("page", 1, type=int) or 1


def paginate(stmt, number: int, per_page: int, *, clamp: bool = True) -> Page:
    """Page ``number`` of an ordered select: the total by one count, the items by one query."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())) or 0
    page = Page([], number, per_page, total)
    if clamp:
        page.page = min(max(1, number), page.pages)
    if page.page <= page.pages:
        page.items = list(db.session.scalars(stmt.limit(per_page).offset((page.page - 1) * per_page)).unique())
    return page


def page_of_list(rows: Sequence, number: int, per_page: int) -> Page:
    """Page ``number`` of a list already in memory (sorted in Python)."""
    page = Page([], number, max(per_page, 1), len(rows))
    page.page = min(max(1, number), page.pages)
    page.items = list(rows[(page.page - 1) * page.per_page: page.page * page.per_page])
    return page
