"""Every English sentence the server sends to a person goes through the catalog (issue 15).

A source test: it reads tracker/ and fails on a bare string literal (or an f-string with words in it)
given to the calls whose text reaches a person: ``flash()``, ``click.echo()`` and the click errors, a
refusal (``DomainError`` and its subclasses), an API problem's detail (``ApiError``,
``problem_response``), a form's ``ValidationError``. Wrapped in ``_()``/``ngettext()``/``pgettext()``
the text is a call, not a literal, and passes. Values (numbers, names, codes, punctuation) pass.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRACKER = ROOT / "tracker"

DOMAIN_ERRORS = {"DomainError", "AttendanceError", "OutboxError", "AuthError", "MeetingError", "PlanInputError",
                 "ReviewError", "TokenError", "DirectoryError", "ImportFileError", "RowError"}
# name of the call → which positional argument holds the text, and which keywords may.
TEXT_ARGUMENTS = {
    "flash": (0, ("message",)),
    "echo": (0, ("message",)),
    "secho": (0, ("message",)),
    "ClickException": (0, ("message",)),
    "UsageError": (0, ("message",)),
    "BadParameter": (0, ("message",)),
    "ValidationError": (0, ("message",)),
    "StopValidation": (0, ("message",)),
    "ApiError": (1, ("detail",)),
    "problem_response": (1, ("detail",)),
    **{name: (0, ("message",)) for name in DOMAIN_ERRORS},
}
WORDS = re.compile(r"[A-Za-z]{2,}")

# Where English is meant, with the reason.
ALLOWED_FILES = {
    # The developer's commands (setup, demo, serve, translations): English, for whoever installs the app.
    "tracker/commands.py",
}
ALLOWED_CALLS = {
    # marshmallow's own messages, recognised by how they start and translated in the problem body
    # (tracker/api/problems.py FIELD_MESSAGE_STARTS).
    ("tracker/api/common.py", "ValidationError"),
}


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def has_bare_words(node: ast.expr | None) -> bool:
    """A literal with words in it, also inside an f-string, a concatenation or a conditional."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and WORDS.search(node.value) is not None
    if isinstance(node, ast.JoinedStr):
        return any(has_bare_words(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp):
        return has_bare_words(node.left) or has_bare_words(node.right)
    if isinstance(node, ast.IfExp):
        return has_bare_words(node.body) or has_bare_words(node.orelse)
    return False


def _texts(call: ast.Call, position: int, keywords: tuple[str, ...]) -> list[ast.expr]:
    out = [call.args[position]] if len(call.args) > position else []
    return out + [kw.value for kw in call.keywords if kw.arg in keywords]


def bare_strings(source: str, relative: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        if name not in TEXT_ARGUMENTS or (relative, name) in ALLOWED_CALLS:
            continue
        for text in _texts(node, *TEXT_ARGUMENTS[name]):
            if has_bare_words(text):
                found.append(f"{relative}:{node.lineno}: {name}({ast.unparse(text)[:80]})")
    return found


def test_no_bare_english_reaches_a_person():
    found = []
    for path in sorted(TRACKER.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "migrations" in path.parts or relative in ALLOWED_FILES:
            continue
        found += bare_strings(path.read_text(encoding="utf-8"), relative)
    assert found == [], "wrap these in _() (or say in the allow-list why not):\n" + "\n".join(found)


def test_the_check_finds_what_it_must():
    source = '''
flash("Saved.")
click.echo(f"{count} sent")
raise MeetingError("Too late" if late else "Locked")
raise ApiError(404, detail="gone")
flash(_("Saved."))
click.echo(f"{count}  {name}")
click.echo(_("%(num)s sent", num=count))
raise ApiError(404)
'''
    assert [line.split(":", 2)[1] for line in bare_strings(source, "x.py")] == ["2", "3", "4", "5"]
