"""Catalog checks and a safe way to fill translations (used by tests, CLI and scripts/)."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

_PCT = re.compile(r"%\((\w+)\)[sdif]|%[sdif]")
_BRACE = re.compile(r"\{(\w*)\}")


CONTEXT_SEP = "\x04"  # gettext's separator: a message with a context is keyed "context\x04msgid"


def key_of(msg) -> str:
    """The message's key in ``missing``'s output and ``fill``'s input: its msgid (the singular of a
    plural), prefixed by ``context\x04`` when it has a context, so the two senses of a word stay apart."""
    msgid = msg.id if isinstance(msg.id, str) else msg.id[0]
    return f"{msg.context}{CONTEXT_SEP}{msgid}" if msg.context else msgid


def placeholders(text: str) -> list[str]:
    return sorted(_PCT.findall(text)) + sorted(_BRACE.findall(text))


def load(po_path: Path) -> Catalog:
    with Path(po_path).open("rb") as fh:
        return read_po(fh, locale=Path(po_path).parent.parent.name)


def save(catalog: Catalog, po_path: Path) -> None:
    tmp = Path(po_path).with_suffix(".po.tmp")
    with tmp.open("wb") as fh:
        write_po(fh, catalog, width=0, sort_by_file=True)
    tmp.replace(po_path)


def problems(translations_dir: Path) -> list[str]:
    out = []
    for po_path in sorted(Path(translations_dir).glob("*/LC_MESSAGES/messages.po")):
        lang = po_path.parent.parent.name
        for msg in load(po_path):
            if not msg.id:
                continue
            ids = msg.id if isinstance(msg.id, tuple | list) else (msg.id,)
            strs = msg.string if isinstance(msg.string, tuple | list) else (msg.string,)
            label = f"{lang}: {ids[0]!r}" + (f" (context {msg.context!r})" if msg.context else "")
            if msg.fuzzy:
                out.append(f"{label}: fuzzy")
            if not all(strs):
                out.append(f"{label}: untranslated")
                continue
            expected = placeholders(ids[-1] if len(ids) > 1 else ids[0])
            for s in strs:
                got = placeholders(s)
                # A singular Hindi form may drop the number; it may not invent a placeholder.
                if set(got) - set(placeholders(" ".join(ids))) or (len(ids) == 1 and got != expected):
                    out.append(f"{label}: placeholders {got} differ from {expected}")
    return out


def missing(po_path: Path) -> list[dict]:
    """Untranslated or fuzzy messages, with where they come from."""
    out = []
    for msg in load(po_path):
        if not msg.id:
            continue
        strs = msg.string if isinstance(msg.string, tuple | list) else (msg.string,)
        if msg.fuzzy or not all(strs):
            item = {"id": msg.id if isinstance(msg.id, str) else list(msg.id),
                    "locations": [f"{f}:{n}" for f, n in msg.locations]}
            if msg.context:
                item["context"] = msg.context
                item["key"] = key_of(msg)
            out.append(item)
    return out


def fill(po_path: Path, mapping: dict) -> int:
    """Set translations from ``{msgid: msgstr}`` (plural: ``{msgid: [form0, form1]}``). Returns how many.

    A message with a context is only filled by the key ``"context\x04msgid"`` (``missing`` prints it):
    a bare msgid never fills another sense of the same word."""
    catalog = load(po_path)
    n = 0
    for msg in catalog:
        if not msg.id:
            continue
        key = key_of(msg)
        if key in mapping:
            value = mapping[key]
            if isinstance(msg.id, tuple | list):
                if isinstance(value, str):
                    value = [value] * max(2, len(msg.string) if isinstance(msg.string, tuple | list) else 2)
                msg.string = tuple(value)
            else:
                msg.string = value if isinstance(value, str) else value[0]
            msg.flags.discard("fuzzy")
            n += 1
    save(catalog, po_path)
    return n


def fill_identity(po_path: Path) -> int:
    """The English catalog: every message translates to itself."""
    catalog = load(po_path)
    n = 0
    for msg in catalog:
        if not msg.id:
            continue
        strs = msg.string if isinstance(msg.string, tuple | list) else (msg.string,)
        if not all(strs) or msg.fuzzy:
            msg.string = tuple(msg.id) if isinstance(msg.id, tuple | list) else msg.id
            msg.flags.discard("fuzzy")
            n += 1
    save(catalog, po_path)
    return n
