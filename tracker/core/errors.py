"""The one base class of the refusals that the domains' rules make.

An operation that must not do what it was asked (a clash, a locked session, a term that overlaps
another) raises a :class:`DomainError` subclass of its domain with a message for the user, already
in the user's language. Nothing above the operation decides how to show it: a page rolls the
request back and shows the message (:mod:`tracker.core.transaction`), the API answers a 422
problem, the CLI prints it.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused the change. ``message`` is for the user (translated when raised); ``field``
    names the form or request field it is about, when it is about one."""

    def __init__(self, message: object, field: str | None = None):
        self.message = str(message)
        self.field = field
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message
