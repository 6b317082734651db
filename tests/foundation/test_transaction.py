"""The request transaction (tracker.core.transaction): one commit per successful writing request, a
rollback on any error, and a refusal (DomainError) shown to the user with nothing written.

The views here are test-only ones on an app of their own (routes cannot be added to the shared app
once it served a request); they write through a real operation, so "nothing written" is checked in
the database.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import render_template_string
from sqlalchemy import event

from tracker.core.errors import DomainError
from tracker.core.transaction import always_commit, discard, refusals_go_to, refusals_shown
from tracker.directory.models import Person
from tracker.extensions import db
from tracker.forms import BaseForm


def _write(name: str) -> None:
    from tracker.directory import operations as ops

    ops.create_person({"name_en": name})


class _EmptyForm(BaseForm):
    pass


@pytest.fixture
def scratch(database_url, tmp_path, monkeypatch):
    """An app of its own on the test database, with views that write and then succeed or fail."""
    from tracker import create_app

    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x", "TESTING": True,
                      "PROPAGATE_EXCEPTIONS": False, "WTF_CSRF_ENABLED": False})

    @app.post("/t/ok")
    def ok():
        _write("Kept Person")
        return "saved"

    @app.post("/t/refused")
    def refused():
        refusals_go_to("/t/back")
        _write("Refused Person")
        raise DomainError("The rule says no.")

    @app.post("/t/refused-answer")
    def refused_answer():
        refusals_go_to(lambda exc: ({"message": exc.message}, 409))
        _write("Refused Person")
        raise DomainError("The rule says no.")

    @app.post("/t/form")
    def form_page():
        form = _EmptyForm()
        with refusals_shown(on=form):
            _write("Refused Person")
            raise DomainError("Not on this form.")
        return render_template_string("{{ form.form_errors|join('|') }}", form=form)

    @app.post("/t/boom")
    def boom():
        _write("Broken Person")
        raise RuntimeError("a bug")

    @app.post("/t/error-status")
    def error_status():
        _write("Error Person")
        return "no", 422

    @app.post("/t/counted-failure")
    def counted_failure():
        always_commit()
        _write("Counted Person")
        return "wrong password", 401

    @app.post("/t/preview")
    def preview():
        _write("Previewed Person")
        discard()
        return "preview"

    @app.get("/t/read")
    def read():
        _write("Read Person")  # a reading request is never committed
        return "read"

    commits = []
    with app.app_context():
        event.listen(db.engine, "commit", lambda conn: commits.append(1))
    app.commits = commits
    yield app
    with app.app_context():
        db.engine.dispose()


def _people() -> list[str]:
    """Who is in the database now (read in a transaction of its own: the requests write from another
    connection, and on SQLite an open transaction of the test would hold the write lock)."""
    db.session.rollback()
    names = list(db.session.scalars(sa.select(Person.name_en).order_by(Person.name_en)))
    db.session.rollback()
    return names


def _flashes(client) -> list:
    with client.session_transaction() as session:
        return session.get("_flashes", [])


def test_a_successful_post_commits_exactly_once(scratch):
    response = scratch.test_client().post("/t/ok")
    assert response.status_code == 200
    assert scratch.commits == [1]
    assert _people() == ["Kept Person"]


def test_a_refusal_rolls_back_flashes_its_message_and_goes_where_the_view_said(scratch):
    client = scratch.test_client()
    response = client.post("/t/refused")
    assert response.status_code == 302 and response.headers["Location"] == "/t/back"
    assert _flashes(client) == [("error", "The rule says no.")]
    assert _people() == [] and scratch.commits == []


def test_a_refusal_may_be_answered_by_the_view(scratch):
    response = scratch.test_client().post("/t/refused-answer")
    assert response.status_code == 409 and response.get_json() == {"message": "The rule says no."}
    assert _people() == []


def test_a_refusal_shown_on_the_form_rolls_back_and_renders_the_page_again(scratch):
    response = scratch.test_client().post("/t/form")
    assert response.status_code == 200 and response.get_data(as_text=True) == "Not on this form."
    assert _people() == [] and scratch.commits == []


def test_an_unexpected_exception_rolls_back_and_answers_500(scratch):
    response = scratch.test_client().post("/t/boom")
    assert response.status_code == 500
    assert _people() == [] and scratch.commits == []


def test_an_error_status_rolls_back_unless_the_view_keeps_its_writes(scratch):
    client = scratch.test_client()
    assert client.post("/t/error-status").status_code == 422
    assert _people() == []
    assert client.post("/t/counted-failure").status_code == 401
    assert _people() == ["Counted Person"]


def test_a_discarded_request_and_a_reading_request_write_nothing(scratch):
    client = scratch.test_client()
    assert client.post("/t/preview").status_code == 200
    assert client.get("/t/read").status_code == 200
    assert _people() == [] and scratch.commits == []


def test_a_commit_that_fails_rolls_back_and_answers_500(scratch):
    from tracker.directory.models import Unit

    @scratch.post("/t/fails-at-commit")
    def fails_at_commit():
        _write("Person Of A Failed Commit")
        db.session.add(Unit(code="same", level="state", name_en="A", name_hi="अ", is_archived=False))
        db.session.add(Unit(code="same", level="state", name_en="B", name_hi="ब", is_archived=False))
        return "looked fine"

    response = scratch.test_client().post("/t/fails-at-commit")
    assert response.status_code == 500
    assert _people() == []


def test_after_commit_runs_only_when_the_changes_are_kept(scratch):
    from tracker.core.transaction import after_commit

    done = []

    @scratch.post("/t/after-commit/<int:status>")
    def with_callback(status: int):
        _write("Person With Callback")
        after_commit(lambda: done.append(status))
        return "answered", status

    client = scratch.test_client()
    assert client.post("/t/after-commit/422").status_code == 422 and done == []
    assert client.post("/t/after-commit/200").status_code == 200 and done == [200]


def test_a_refusal_without_a_target_goes_back_to_the_page_it_came_from_on_this_site(scratch):
    @scratch.post("/t/refused-anywhere")
    def refused_anywhere():
        raise DomainError("The rule says no.")

    client = scratch.test_client()
    came_from = client.post("/t/refused-anywhere", headers={"Referer": "http://localhost/t/form-page?x=1"})
    assert came_from.headers["Location"] == "/t/form-page?x=1"
    elsewhere = client.post("/t/refused-anywhere", headers={"Referer": "https://elsewhere.example/t/x"})
    assert elsewhere.headers["Location"] == "/"
    assert client.post("/t/refused-anywhere").headers["Location"] == "/"
