"""Views never commit or roll back by hand: the request transaction (``tracker/core/transaction.py``)
commits once at the end of a request that succeeded and rolls back otherwise.

The source is read, not run: a ``db.session.commit()`` or ``db.session.rollback()`` anywhere in
``tracker/`` outside the request transaction, the command-line commands and the background jobs
(which commit once per step, themselves) fails this test. A view that must drop what it wrote calls
``discard()``; a refusal is a raised ``DomainError``. Migrations run without the app and are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = ("tracker/migrations/",)
ALLOWED = {
    "tracker/core/transaction.py",  # the request transaction itself
    "tracker/commands.py",
    "tracker/cli.py",
    "tracker/demo.py",
    "tracker/reminders/jobs.py",  # background jobs and the outbox deliverer they run
    "tracker/reminders/scheduler.py",
    "tracker/reminders/delivery.py",
}
HAND_CALLS = {"db.session.commit", "db.session.rollback"}


def _allowed(relative: str) -> bool:
    return relative in ALLOWED or relative.endswith("/cli.py")  # a domain's command-line commands


def hand_transactions(source: str) -> list[tuple[int, str]]:
    """(line, call) of every ``db.session.commit()`` / ``db.session.rollback()`` in the source."""
    return [
        (node.lineno, ast.unparse(node.func))
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and ast.unparse(node.func) in HAND_CALLS
    ]


def _modules() -> dict[str, Path]:
    files = sorted((ROOT / "tracker").rglob("*.py"))
    found = {f.relative_to(ROOT).as_posix(): f for f in files}
    return {rel: f for rel, f in found.items() if not rel.startswith(SKIPPED)}


def test_no_module_outside_the_transaction_commands_and_jobs_commits_or_rolls_back_by_hand():
    found = [
        f"{relative}:{line}: {call}()"
        for relative, path in _modules().items()
        if not _allowed(relative)
        for line, call in hand_transactions(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "views leave committing to the request transaction (discard() to drop writes):\n" + "\n".join(
        found
    )


def test_the_reader_sees_the_calls_it_looks_for():
    source = "from tracker.extensions import db\n\ndef view():\n    db.session.commit()\n    db.session.rollback()\n"
    assert hand_transactions(source) == [(4, "db.session.commit"), (5, "db.session.rollback")]
    assert hand_transactions("savepoint.rollback()\ndb.session.flush()\n") == []
    jobs = _modules()["tracker/reminders/jobs.py"].read_text(encoding="utf-8")
    assert any(call == "db.session.commit" for _line, call in hand_transactions(jobs))
