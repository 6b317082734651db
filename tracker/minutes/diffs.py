"""Readable differences between two versions of minutes: per section (the opening, each agenda item, the
decisions), line by line (``difflib``), on the texts as plain lines (tracker/minutes/markup.py)."""

from __future__ import annotations

import difflib
from typing import Any

from tracker.i18n import _, current_locale
from tracker.minutes.markup import to_lines
from tracker.minutes.models import DECISIONS, OPENING
from tracker.reviews.diffs import DiffLine, SectionDiff


def _title(entry: dict) -> str:
    first, second = ("title_hi", "title_en") if current_locale() == "hi" else ("title_en", "title_hi")
    return entry.get(first) or entry.get(second) or ""


def sections_of(snapshot: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """A snapshot as (key, label, lines): the opening, each agenda item in order, the decisions."""
    texts = snapshot.get("texts") or {}
    titles = snapshot.get("titles") or {}
    out = [(OPENING, _("Opening"), to_lines(texts.get(OPENING, "")))]
    for key, entry in titles.items():
        out.append((key, _title(entry), to_lines(texts.get(key, ""))))
    out.append((DECISIONS, _("Decisions"), to_lines(texts.get(DECISIONS, ""))))
    return out


def diff_snapshots(old: dict[str, Any], new: dict[str, Any]) -> list[SectionDiff]:
    old_sections = {key: lines for key, _label, lines in sections_of(old)}
    out = []
    for key, label, new_lines in sections_of(new):
        old_lines = old_sections.get(key, [])
        lines: list[DiffLine] = []
        matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                lines.extend(DiffLine("equal", text) for text in old_lines[i1:i2])
                continue
            lines.extend(DiffLine("delete", text) for text in old_lines[i1:i2])
            lines.extend(DiffLine("insert", text) for text in new_lines[j1:j2])
        out.append(SectionDiff(label, lines))
    return out
