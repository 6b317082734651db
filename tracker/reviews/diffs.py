"""Readable differences between two versions of a note (``difflib``, line by line, per section)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from tracker.i18n import _, current_locale


@dataclass
class DiffLine:
    tag: str  # "equal", "insert" or "delete"
    text: str


@dataclass
class SectionDiff:
    label: str
    lines: list[DiffLine]

    @property
    def changed(self) -> bool:
        return any(line.tag != "equal" for line in self.lines)


def _pick(entry: dict, field: str) -> str:
    first, second = ("hi", "en") if current_locale() == "hi" else ("en", "hi")
    return entry.get(f"{field}_{first}") or entry.get(f"{field}_{second}") or ""


def _answer_text(value: Any, kind: str) -> str:
    if value is None or value == "":
        return "—"
    if kind == "yes_no":
        return _("Yes") if value == "yes" else _("No")
    return str(value)


def section_texts(snapshot: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """A snapshot as labelled sections of text lines, in the note's order."""
    checklist = [
        f"{_pick(answer, 'label')}: {_answer_text(answer.get('value'), answer.get('kind', ''))}"
        for answer in snapshot.get("answers", [])
    ]
    readiness = snapshot.get("readiness")
    return [
        (_("Arrangements"), checklist),
        (_("Challenges"), (snapshot.get("challenges") or "").splitlines()),
        (_("Kinds of challenge"), [_pick(c, "name") for c in snapshot.get("categories", [])]),
        (_("Strategy"), (snapshot.get("strategy") or "").splitlines()),
        (_("Decisions"), (snapshot.get("decisions") or "").splitlines()),
        (_("Overall readiness"), [str(readiness) if readiness else "—"]),
        (_("Private remark"), (snapshot.get("private_remark") or "").splitlines()),
    ]


def diff_snapshots(old: dict[str, Any], new: dict[str, Any]) -> list[SectionDiff]:
    out = []
    for (label, old_lines), (_label, new_lines) in zip(section_texts(old), section_texts(new), strict=True):
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
