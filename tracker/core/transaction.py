"""One transaction per request, committed in one place.

The model is Indico's request handler: the view calls the operations (which flush, never commit),
and the request is committed once when it succeeded, or rolled back on any error.

* A request that may write (POST, PUT, PATCH, DELETE, or a GET that called ``mark_request_writes``)
  is committed after its view when the response is not an error (status below 400).
* An error status, an exception or a refusal rolls back: nothing the request wrote is kept.
* A :class:`~tracker.core.errors.DomainError` that the view lets through is shown to the user: its
  message is flashed and the browser goes where the view said refusals go (:func:`refusals_go_to`),
  or gets the answer the view makes of it. The API answers it with a 422 problem
  (:mod:`tracker.api.problems`). A form page that shows the message on its form wraps the operation
  in :func:`refusals_shown` and renders the form again.
* A view that keeps its writes although it answers with an error status (a failed login is counted)
  calls :func:`always_commit`; one that made changes only to show them (an import preview) calls
  :func:`discard`; what must happen only once the changes are kept goes to :func:`after_commit`.

Requests that only read are never committed: their transaction ends with the request. On SQLite a
writing request's first statement begins with BEGIN IMMEDIATE (:mod:`tracker.db`). The commit comes
after the response is made (so the page is rendered from the same transaction) and before it is
sent: a streamed body that reads would read in a transaction of its own. Jobs and CLI commands
commit once, themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, g, redirect, request, url_for

from tracker.core.errors import DomainError
from tracker.db import is_read_only_context
from tracker.extensions import db

RefusalAnswer = Callable[[DomainError], object]


@dataclass
class _RequestTransaction:
    discarded: bool = False
    commit_on_error: bool = False
    refusal_target: str | RefusalAnswer | None = None
    after_commit: list[Callable[[], None]] = field(default_factory=list)


def _state() -> _RequestTransaction:
    state = g.get("_tracker_transaction")
    if state is None:
        state = g._tracker_transaction = _RequestTransaction()
    return state


def discard() -> None:
    """Roll back what the request wrote so far; nothing is committed at its end."""
    db.session.rollback()
    _state().discarded = True


def always_commit() -> None:
    """Keep the request's writes even though it answers with an error status."""
    _state().commit_on_error = True


def after_commit(callback: Callable[[], None]) -> None:
    """Call ``callback`` once the request's changes are committed (e.g. remove a file they replace)."""
    _state().after_commit.append(callback)


def refusals_go_to(target: str | RefusalAnswer) -> None:
    """Where a refusal of this request leads: a URL (the message is flashed), or a function that
    makes the answer from the error (an htmx fragment, JSON)."""
    _state().refusal_target = target


def show_refusal(exc: DomainError, form=None, field=None) -> None:
    """The message next to ``field`` (or the error's own field of ``form``), else among the form's
    errors, else flashed."""
    if field is None and form is not None and exc.field:
        field = getattr(form, exc.field, None)
    if field is not None:
        field.errors = [*field.errors, exc.message]
    elif form is not None:
        form.form_errors.append(exc.message)
    else:
        flash(exc.message, "error")


@contextmanager
def refusals_shown(on=None, field=None) -> Iterator[None]:
    """For a page that renders its form again after a refusal: a DomainError raised in the block
    rolls the request back and is shown (see :func:`show_refusal`); the view goes on after the block."""
    try:
        yield
    except DomainError as exc:
        discard()
        show_refusal(exc, on, field)


def _back() -> str:
    """The page the request came from (same site only), else the home page."""
    parts = urlsplit(request.referrer or "")
    if parts.netloc == request.host and parts.path.startswith("/"):
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return url_for("core.index")


def answer_refusal(exc: DomainError):
    """A refusal no view caught: roll back, then the view's answer, or the message and a redirect."""
    discard()
    target = _state().refusal_target
    if callable(target):
        return target(exc)
    flash(exc.message, "error")
    return redirect(target or _back())


def _end_of_request(response):
    state = g.get("_tracker_transaction") or _RequestTransaction()
    if is_read_only_context() or state.discarded:
        return response
    if response.status_code >= 400 and not state.commit_on_error:
        db.session.rollback()
        return response
    try:
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        # The handlers of the request's blueprint (the API's problems) or the app answer it.
        return current_app.make_response(current_app.handle_user_exception(exc))
    for callback in state.after_commit:
        callback()
    return response


def _roll_back_on_exception(exc: BaseException | None) -> None:
    if exc is not None:
        db.session.rollback()


def init_app(app: Flask) -> None:
    """After the core's other after-request functions: Flask runs them in reverse, so the commit (or
    the problem that replaces the response when the commit fails) comes before the security headers."""
    app.register_error_handler(DomainError, answer_refusal)
    app.after_request(_end_of_request)
    app.teardown_request(_roll_back_on_exception)
