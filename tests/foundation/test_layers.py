"""Dependencies run one way, without cycles: read from the source of ``tracker/`` with ``ast``.

* A module imports only its own domain and the domains below it (``LAYERS``), whether the import is at
  the top of the module or inside a function: a lower domain that must reach a higher one does it
  through a registry or signal it owns or core owns (page links and panels, home panels, navigation,
  serve companions, the meetings' signals), and the higher domain plugs in.
* No two modules of ``tracker/`` import each other, directly or round a circle, even when one of the
  imports is put off into a function (that only hides the circle until someone moves it up).
* No domain is imported by name (``importlib.import_module``): every domain is always installed.
* No template of a domain includes, imports or extends a template of a higher domain (a panel on another
  domain's page is a page panel, tracker/core/links.py).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "tracker"
TEMPLATES = PACKAGE.parent / "templates"
TEMPLATE_REFERENCE = re.compile(r"""{%-?\s*(?:include|import|from|extends)\s+["']([^"']+)["']""")
# Templates every domain may use: the page layout, shared macros, error pages.
SHARED_TEMPLATES = {"base.html", "macros", "errors"}

# The domains from the bottom up. Domains on one layer are peers: neither reads the other, except
# as PEER_READS allows.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("core", "audit"),
    ("directory",),
    ("uploads",),  # stored files: the record that owns a file decides who sees it (tracker/policy.py)
    ("auth",),  # a login links to a person of the directory
    ("campaigns",),  # meetings and reviews belong to a campaign
    ("meetings",),
    ("attendance", "reviews"),
    ("reminders",),
    ("minutes",),  # minutes of meetings: read attendance and action items, sent through reminders' outbox
    ("reports",),  # programme reports (issue 19): their files are uploads
    ("circulars",),  # circulars to districts: messages through reminders' outbox and personal links
    ("flags",),  # a district's red flags read what the domains below record of it
    ("api",),
)
# Campaign progress (reviews) shows each district's attendance rate; attendance never reads reviews.
PEER_READS = {("reviews", "attendance")}
# Below core: the shared pieces every domain uses; they import none of the domains.
BASE = {"config", "db", "extensions", "i18n", "i18n_check", "timeutil", "forms", "assets", "text"}
# The one rule book: every domain asks it, and it reads every domain's facts, so it stands beside the
# order (the cycle rule still holds for it).
BESIDE = {"policy"}
# The top: the app factory, the command line, the demo (which loads every domain), the migrations.
TOP = {"", "cli", "commands", "demo", "migrations"}
# The one module that may import by name: none (the factory lists the domains as plain imports).
IMPORT_BY_NAME_ALLOWED: set[str] = set()


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    path: Path
    line: int
    deferred: bool  # inside a function (or a class body)

    def __str__(self) -> str:
        where = "in a function" if self.deferred else "at module level"
        return f"{self.source} -> {self.target} ({self.path.relative_to(PACKAGE.parent)}:{self.line}, {where})"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "versions" not in p.parts}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.Module):
    """(node, deferred) for every import, leaving out ``if TYPE_CHECKING:`` blocks (never run)."""

    def walk(node, deferred):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for orelse in child.orelse:
                    yield from walk_one(orelse, deferred)
                continue
            yield from walk_one(child, deferred)

    def walk_one(node, deferred):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, deferred
        inner = deferred or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef))
        yield from walk(node, inner)

    yield from walk(tree, False)


def _targets(source: str, node, is_package: bool, modules: dict[str, Path]) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        parts = source.split(".") if is_package else source.split(".")[:-1]
        parts = parts[: len(parts) - node.level + 1]
        base = ".".join(parts + ([base] if base else []))
    return [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]


def _edges() -> list[Edge]:
    modules = _sources()
    edges = []
    for source, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node, deferred in _imports(tree):
            for target in dict.fromkeys(_targets(source, node, path.name == "__init__.py", modules)):
                if target.split(".")[0] == "tracker" and target != source:
                    edges.append(Edge(source, target, path, node.lineno, deferred))
    return edges


def _place(module: str) -> tuple[str, float | None]:
    """(group, rank) of a module: its domain and layer; None for the rule book beside the order."""
    name = module.split(".")[1] if "." in module else ""
    if name in TOP:
        return "top", float("inf")
    if name in BESIDE:
        return name, None
    if name in BASE:
        return "base", -1
    for rank, domains in enumerate(LAYERS):
        if name in domains:
            return name, rank
    raise AssertionError(f"{module}: tracker/{name} is in no layer of tests/foundation/test_layers.py")


def upward_imports(edges: list[Edge]) -> list[Edge]:
    wrong = []
    for edge in edges:
        (source, low), (target, high) = _place(edge.source), _place(edge.target)
        if source == target or low is None or high is None:
            continue
        if high > low or (high == low and (source, target) not in PEER_READS):
            wrong.append(edge)
    return wrong


def _pop_group(stack: list[str], on_stack: set[str], root: str) -> list[str]:
    """Pop the stack down to ``root``: the strongly connected group that ``root`` heads."""
    group = []
    while True:
        member = stack.pop()
        on_stack.discard(member)
        group.append(member)
        if member == root:
            return group


def cycles(edges: list[Edge]) -> list[list[str]]:
    """The strongly connected groups of two or more modules (Tarjan), each as a sorted list."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.source, set()).add(edge.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = _pop_group(stack, on_stack, node)
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def imports_by_name() -> list[str]:
    found = []
    for module, path in _sources().items():
        if module in IMPORT_BY_NAME_ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__"):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {ast.unparse(node)}")
    return found


def templates_reaching_up() -> list[str]:
    wrong = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        folder = path.relative_to(TEMPLATES).parts[0]
        if folder in SHARED_TEMPLATES:
            continue
        for match in TEMPLATE_REFERENCE.finditer(path.read_text(encoding="utf-8")):
            other = match.group(1).split("/")[0]
            if other in SHARED_TEMPLATES or other == folder:
                continue
            (_, low), (_, high) = _place(f"tracker.{folder}"), _place(f"tracker.{other}")
            if high >= low:
                wrong.append(f"{path.relative_to(TEMPLATES.parent)}: {match.group(0)}")
    return wrong


def test_every_module_of_tracker_has_a_place():
    for module in _sources():
        _place(module)


def test_no_domain_imports_a_higher_one():
    wrong = upward_imports(_edges())
    assert not wrong, "imports against the order " + " < ".join(", ".join(d) for d in LAYERS) + ":\n" + "\n".join(
        map(str, wrong))


def test_no_import_cycles():
    edges = _edges()
    found = cycles(edges)
    lines = []
    for group in found:
        members = set(group)
        lines.append(" <-> ".join(group))
        lines += [f"    {edge}" for edge in edges if edge.source in members and edge.target in members]
    assert not found, "modules that import each other:\n" + "\n".join(lines)


def test_no_import_cycles_at_module_level():
    """The stricter test above covers this one; kept apart so that a cycle Python itself trips over is
    named as such."""
    assert not cycles([e for e in _edges() if not e.deferred])


def test_no_domain_is_imported_by_name():
    found = imports_by_name()
    assert not found, "every domain is always installed: import it, not its name:\n" + "\n".join(found)


def test_no_template_reaches_into_a_higher_domain():
    wrong = templates_reaching_up()
    assert not wrong, "register a page panel (tracker/core/links.py) instead of:\n" + "\n".join(wrong)


def test_the_checks_see_what_they_look_for():
    """The scan itself: a deferred upward import, a circle and an import by name are found."""
    edges = [
        Edge("tracker.meetings.queries", "tracker.reminders.operations", PACKAGE / "meetings" / "queries.py", 1, True),
        Edge("tracker.reminders.operations", "tracker.meetings.queries", PACKAGE / "reminders" / "operations.py", 1,
             False),
        Edge("tracker.reviews.queries", "tracker.attendance.models", PACKAGE / "reviews" / "queries.py", 1, False),
        Edge("tracker.attendance.models", "tracker.reviews.models", PACKAGE / "attendance" / "models.py", 1, False),
        Edge("tracker.core.views", "tracker.policy", PACKAGE / "core" / "views.py", 1, False),
        Edge("tracker.policy", "tracker.auth.models", PACKAGE / "policy.py", 1, False),
    ]
    assert [(e.source, e.target) for e in upward_imports(edges)] == [
        ("tracker.meetings.queries", "tracker.reminders.operations"),
        ("tracker.attendance.models", "tracker.reviews.models"),
    ]
    assert cycles(edges) == [["tracker.meetings.queries", "tracker.reminders.operations"]]
    source = "def f():\n    import tracker.reminders.operations\nif TYPE_CHECKING:\n    import tracker.api\n"
    assert [(n.names[0].name, deferred) for n, deferred in _imports(ast.parse(source))] == [
        ("tracker.reminders.operations", True)]
