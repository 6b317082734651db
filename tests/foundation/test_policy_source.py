"""Every access decision is made in ``tracker/policy.py``: read the source and find the ones made elsewhere.

What counts as deciding access outside the policy:

* comparing a user's role: an attribute ``.role`` (or ``getattr(x, "role")``, or a ``Role`` member) in a
  comparison (``==``, ``!=``, ``in``, ``not in``, ``is``), or in SQL (``User.role.in_(...)``); asking
  ``has_role`` / ``has_grant``;
* reading the posts a user holds: the names ``role_codes``, ``held_role_codes``, ``role_codes_held``;
* asking one action as a stand-in for another rule: a function that only returns ``can(...)`` answers
  (a second name for a rule), two actions combined in one condition, ``can(user, "x", None)`` (a rule
  about one object asked about none), or ``if not can(...)`` followed by anything but a refusal (a list
  filtered, or a second rule tried, beside the policy instead of in it).

Allowed: ``tracker/policy.py`` itself (where a rule may not ask ``can`` either: rules call helpers, and
one rule never calls another rule's function), the login administration in ``tracker/auth/`` (it sets
roles and lists them), and the directory query that defines ``role_codes_held`` (the policy's helper
``held_role_codes`` reads the user's posts through it). Templates may not compare ``current_user.role``:
they ask ``can(...)``.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TRACKER = ROOT / "tracker"
TEMPLATES = ROOT / "templates"

POLICY = "tracker/policy.py"
LOGIN_ADMINISTRATION = "tracker/auth/"
POST_CODE_NAMES = {"role_codes", "held_role_codes", "role_codes_held"}
# The directory query that reads which posts a person holds: the policy's ``held_role_codes`` calls it.
ALLOWED_DEFINITIONS = {("tracker/directory/queries.py", "role_codes_held")}
COMPARISONS = (ast.Eq, ast.NotEq, ast.In, ast.NotIn, ast.Is, ast.IsNot)
SQL_COMPARISONS = {"in_", "not_in", "notin_", "is_", "is_not", "isnot"}
ROLE_HELPERS = {"has_role", "has_grant"}
POLICY_CALLS = {"can", "require"}
REFUSALS = (ast.Raise, ast.Return, ast.Continue, ast.Break)
TEMPLATE_ROLE_COMPARISON = re.compile(
    r"current_user\.role(?:\.\w+)*\s*(?:==|!=|\bnot\s+in\b|\bin\b|\bis\b)|\bhas_(?:role|grant)\b|role_codes")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def _is_role(node: ast.AST) -> bool:
    """``x.role``, ``getattr(x, "role", ...)`` or a member of ``Role`` (``Role.ADMIN``)."""
    if isinstance(node, ast.Attribute):
        if node.attr == "value":  # user.role.value
            return _is_role(node.value)
        return node.attr == "role" or (isinstance(node.value, ast.Name) and node.value.id == "Role")
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr":
        return len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and node.args[1].value == "role"
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_is_role(element) for element in node.elts)
    return False


def _call_name(node: ast.AST) -> str | None:
    if not isinstance(node, ast.Call):
        return None
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _is_can(node: ast.AST) -> bool:
    return _call_name(node) == "can"


def _action(node: ast.Call) -> str | None:
    """The literal action a ``can(user, "x", ...)`` call asks, if it is literal."""
    if len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
        return node.args[1].value
    return None


def _only_can_answers(node: ast.AST) -> bool:
    """An expression made of ``can(...)`` calls only (with ``and``, ``or``, ``not``)."""
    if _is_can(node):
        return True
    if isinstance(node, ast.BoolOp):
        return all(_only_can_answers(value) for value in node.values)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return _only_can_answers(node.operand)
    return False


def _negated_can(node: ast.AST) -> bool:
    return isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not) and _is_can(node.operand)


def _is_refusal(statement: ast.stmt) -> bool:
    if isinstance(statement, REFUSALS):
        return True
    return isinstance(statement, ast.Expr) and _call_name(statement.value) == "abort"


def _allowed_spans(relative: str, tree: ast.Module) -> list[tuple[int, int]]:
    return [(node.lineno, node.end_lineno or node.lineno) for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and (relative, node.name) in ALLOWED_DEFINITIONS]


def _outside_policy(relative: str, tree: ast.Module) -> list[Finding]:
    found: list[Finding] = []
    allowed = _allowed_spans(relative, tree)

    def add(node: ast.AST, what: str) -> None:
        found.append(Finding(relative, node.lineno, what))

    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(isinstance(op, COMPARISONS) for op in node.ops) \
                and any(_is_role(operand) for operand in [node.left, *node.comparators]):
            add(node, f"compares a role: {ast.unparse(node)}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in SQL_COMPARISONS and _is_role(node.func.value):
                add(node, f"compares a role in SQL: {ast.unparse(node)}")
            elif node.func.attr in ROLE_HELPERS:
                add(node, f"asks the user's role or grants: {ast.unparse(node)}")
        name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) \
            else node.name if isinstance(node, ast.FunctionDef) else node.arg if isinstance(node, ast.arg) else None
        if name in POST_CODE_NAMES and not any(start <= node.lineno <= end for start, end in allowed):
            add(node, f"reads the user's posts: {name}")
        found.extend(Finding(relative, line, what) for line, what in _stand_ins(node))
    return found


def _stand_ins(node: ast.AST) -> list[tuple[int, str]]:
    """One action asked as a stand-in for another rule (see the module's docstring)."""
    out = []
    if isinstance(node, ast.FunctionDef):
        returns = [n.value for n in ast.walk(node) if isinstance(n, ast.Return) and n.value is not None]
        if returns and all(_only_can_answers(value) for value in returns) and any(
                _is_can(call) and _action(call) for value in returns for call in ast.walk(value)):
            out.append((node.lineno, f"{node.name}() is a second name for a policy answer: "
                                     f"{ast.unparse(returns[0])}"))
    elif isinstance(node, ast.BoolOp):
        actions = {_action(call) for call in ast.walk(node) if _is_can(call)} - {None}
        if len(actions) > 1:
            out.append((node.lineno, f"combines actions {sorted(actions)} into a rule: {ast.unparse(node)}"))
    elif _is_can(node) and len(node.args) >= 3 and isinstance(node.args[2], ast.Constant) \
            and node.args[2].value is None:
        out.append((node.lineno, f"asks a rule about no object as a stand-in: {ast.unparse(node)}"))
    elif isinstance(node, ast.If) and _negated_can(node.test) and not (
            len(node.body) == 1 and _is_refusal(node.body[0]) and not node.orelse):
        out.append((node.lineno, f"decides beside the policy after {ast.unparse(node.test)}"))
    return out


def _inside_policy(tree: ast.Module) -> list[Finding]:
    """Rules call helpers: never ``can``/``require``, never another rule's function."""
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    rule_functions = {fn.name for fn in functions
                      if any(_call_name(decorator) == "rule" for decorator in fn.decorator_list)}
    found = []
    for fn in functions:
        if fn.name in POLICY_CALLS:
            continue
        for node in ast.walk(fn):
            name = _call_name(node)
            if name in POLICY_CALLS:
                found.append(Finding(POLICY, node.lineno, f"{fn.name}() asks the policy: {ast.unparse(node)}"))
            elif name in rule_functions and name != fn.name:
                found.append(Finding(POLICY, node.lineno, f"{fn.name}() asks another rule: {ast.unparse(node)}"))
    return found


def decisions_outside_policy() -> list[Finding]:
    found: list[Finding] = []
    for path in sorted(TRACKER.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
        if relative == POLICY:
            found += _inside_policy(tree)
        elif not relative.startswith(LOGIN_ADMINISTRATION):
            found += _outside_policy(relative, tree)
    for path in sorted(TEMPLATES.rglob("*.html")):
        relative = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if TEMPLATE_ROLE_COMPARISON.search(line):
                found.append(Finding(relative, number, f"template decides by role: {line.strip()}"))
    return found


def test_every_access_decision_is_made_in_the_policy():
    found = decisions_outside_policy()
    assert not found, "access decided outside tracker/policy.py:\n" + "\n".join(map(str, found))


# --- the checker itself finds what it must --------------------------------------------------------


def _check(source: str, relative: str = "tracker/x/views.py") -> list[str]:
    tree = ast.parse(source)
    found = _inside_policy(tree) if relative == POLICY else _outside_policy(relative, tree)
    return [finding.what for finding in found]


FOUND = [
    # roles
    "if current_user.role == Role.ADMIN: pass",
    "ok = user.role in policy.STAFF",
    "ok = user.role not in (Role.OFFICE,)",
    "ok = user.role.value == 'admin'",
    "ok = getattr(user, 'role', None) == Role.INCHARGE",
    "ok = kind == Role.PRESIDENT",
    "q = select(User).where(User.role.in_((Role.OFFICE,)))",
    "ok = user.has_grant('reviews.read')",
    # posts
    "codes = policy.held_role_codes(user)",
    "def f(role_codes): pass",
    # stand-ins
    "def sees_all(user):\n    return policy.can(user, 'meetings.view')",
    "def reads_all(user):\n    return can(user, 'a') or can(user, 'b')",
    "ok = can(user, 'directory.view') or can(user, 'person.view', person)",
    "ok = policy.can(user, 'review.read', None)",
    "if not policy.can(user, 'directory.view'):\n    stmt = stmt.where(Person.id == user.person_id)",
    "if not can(user, 'a'):\n    if not invited:\n        abort(403)",
]
NOT_FOUND = [
    "title = user.role.title",
    "q = select(Post).where(Post.role_id == PostRole.id)",
    "if not policy.can(user, 'a', thing):\n    abort(404)",
    "if not policy.can(user, entry.action, target):\n    continue",
    "ok = policy.can(user, 'attendance.mark', session) and not locked",
    "def can_of(action):\n    return lambda: policy.can(current_user, action)",
]
ROLE_CODES_HELD = "def role_codes_held(person_id):\n    role_codes = []\n    return role_codes\n"


@pytest.mark.parametrize("source", FOUND)
def test_the_checker_finds(source):
    assert _check(source)


@pytest.mark.parametrize("source", NOT_FOUND)
def test_the_checker_lets_pass(source):
    assert not _check(source)


def test_the_checker_allows_only_the_directory_query_to_read_posts():
    assert not _check(ROLE_CODES_HELD, "tracker/directory/queries.py")
    assert _check(ROLE_CODES_HELD, "tracker/reviews/queries.py")


def test_the_checker_finds_rules_that_ask_other_rules():
    policy_source = (
        "@rule('a')\ndef _a(user, x):\n    return helper(user)\n"
        "@rule('b')\ndef _b(user, x):\n    return _a(user, x)\n"
        "@rule('c')\ndef _c(user, x):\n    return can(user, 'a', x)\n"
        "def require(user, action, target=None):\n    if not can(user, action, target):\n        abort(403)\n"
    )
    assert _check(policy_source, POLICY) == ["_b() asks another rule: _a(user, x)",
                                              "_c() asks the policy: can(user, 'a', x)"]
