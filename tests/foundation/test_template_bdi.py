"""Names and titles in Hindi, English or another script are isolated where they are printed (issue 17,
finding 6): every record's text a page shows through ``|localized`` (a person's or unit's name, a meeting's
title …) goes through ``|bdi`` too, so that a name in one direction cannot reorder the words around it.

Not where HTML cannot hold a ``<bdi>``: the page's ``<title>``, an ``<option>``, SVG ``<text>``, an
attribute's value, and a ``{% set %}`` (its value is wrapped where it is printed). The plain-text bodies of
messages (``reminders/messages``) are not HTML.
"""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
PLAIN_TEXT = ("reminders/messages/",)
NO_MARKUP_HERE = re.compile(r"\{% block title|<option|<text[ >]|\{%-? set ")
EXPRESSION = re.compile(r"\{\{(.*?)\}\}")


def _unisolated(line: str) -> list[str]:
    found = []
    for match in EXPRESSION.finditer(line):
        in_attribute = line[:match.start()].count('"') % 2 == 1
        body = match.group(1)
        if not in_attribute and "|localized" in body and "|bdi" not in body:
            found.append(match.group(0))
    return found


def _html_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if not name.startswith(PLAIN_TEXT):
            yield name, path


def test_every_localized_text_on_a_page_is_isolated():
    missing = []
    for name, path in _html_templates():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not NO_MARKUP_HERE.search(line):
                missing += [f"{name}:{number}: {expression}" for expression in _unisolated(line)]
    assert not missing, "print these with |bdi (e.g. {{ person|localized|bdi }}):\n" + "\n".join(missing)


def test_the_scanner_sees_a_bare_name_and_spares_attributes():
    assert _unisolated("<dd>{{ person|localized }}</dd>") == ["{{ person|localized }}"]
    assert _unisolated("<dd>{{ person|localized|bdi }}</dd>") == []
    assert _unisolated('<img alt="{{ person|localized }}">') == []
