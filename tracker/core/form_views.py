"""The form page every domain has: show the form; when a valid form is posted, run the operation, say
so and go on (the request transaction commits); when the operation refuses, show the form again."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import flash, redirect, render_template

from tracker.core.transaction import refusals_shown

T = TypeVar("T")


def form_page(form, template: str, save: Callable[[], T], *, target: str | Callable[[T], str],
              message: str | Callable[[T], str] | None = None, refusals_on_form: bool = True, **context):
    """The page ``template`` with ``form`` (and ``context``) for a GET or a post that does not validate.

    A valid post calls ``save()`` (the operation), flashes ``message`` as a success and redirects to
    ``target``; each may be a function of what ``save`` returned (the record it created). A
    :class:`~tracker.core.errors.DomainError` raised by the operation rolls the request back and is
    shown on the form (or flashed when ``refusals_on_form`` is false), and the page is shown again.
    """
    if form.validate_on_submit():
        with refusals_shown(on=form if refusals_on_form else None):
            result = save()
            if message is not None:
                flash(message(result) if callable(message) else message, "success")
            return redirect(target(result) if callable(target) else target)
    return render_template(template, form=form, **context)
