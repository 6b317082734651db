"""Singular and plural are chosen by the catalog (ngettext), never by an ``if`` on a count: Hindi and
English agree on "1 and the rest", but a translation's plural rules are the catalog's to decide."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GETTEXT = {"_", "gettext", "_l", "lazy_gettext"}


def _is_gettext(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in GETTEXT


def _compares_a_count(test: ast.AST) -> bool:
    """``len(x) > 1``, ``n == 1``, ``count != 1`` …"""
    if not isinstance(test, ast.Compare):
        return False
    sides = [test.left, *test.comparators]
    counted = any(isinstance(s, ast.Call) and isinstance(s.func, ast.Name) and s.func.id == "len" for s in sides)
    small = any(isinstance(s, ast.Constant) and s.value in (0, 1, 2) for s in sides)
    return small and (counted or len(sides) == 2)


def _plural_choices(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.IfExp) and _is_gettext(node.body) and _is_gettext(node.orelse) \
                and _compares_a_count(node.test):
            lines.append(node.lineno)
    return lines


TEMPLATE_CHOICE = re.compile(r"{%-?\s*if\s[^%]*(?:==|!=|>=|<=|>|<)\s*[012]\s*-?%}\s*{{-?\s*_\(")


def test_no_message_picks_singular_or_plural_with_an_if():
    found = [f"{path.relative_to(ROOT)}:{line}" for path in sorted((ROOT / "tracker").rglob("*.py"))
             if "migrations" not in path.parts for line in _plural_choices(path)]
    found += [str(path.relative_to(ROOT)) for path in sorted((ROOT / "templates").rglob("*.html"))
              if TEMPLATE_CHOICE.search(path.read_text(encoding="utf-8"))]
    assert found == [], "use ngettext for singular/plural: " + ", ".join(found)
