"""Helpers for the language tests: which English UI strings must never show on a Hindi page."""

from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from tracker.i18n_check import load

ROOT = Path(__file__).resolve().parent.parent
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


@lru_cache(maxsize=1)
def english_fragments() -> tuple[str, ...]:
    """Literal pieces of English messages whose Hindi differs (long enough not to match by chance)."""
    catalog = load(ROOT / "translations" / "hi" / "LC_MESSAGES" / "messages.po")
    out = set()
    for msg in catalog:
        if not msg.id:
            continue
        ids = msg.id if isinstance(msg.id, tuple | list) else (msg.id,)
        strs = msg.string if isinstance(msg.string, tuple | list) else (msg.string,)
        for text, hindi in zip(ids, strs, strict=False):
            if not hindi or hindi == text:
                continue
            for piece in _PLACEHOLDER.split(text):
                piece = piece.strip(" .,:;()→·-")
                if len(piece) >= 12 and " " in piece and re.search(r"[a-z]{3}", piece):
                    out.add(piece)
    return tuple(sorted(out))


class _Text(HTMLParser):
    ATTRS = ("title", "placeholder", "aria-label", "alt", "data-confirm", "data-error-message")

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in self.ATTRS and value:
                self.parts.append(value)
            if tag in ("input", "button") and name == "value" and value and dict(attrs).get("type") in ("submit", "button"):
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


@lru_cache(maxsize=1)
def _fragment_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    return tuple((frag, re.compile(r"(?<![\w'])" + re.escape(frag) + r"(?![\w'])")) for frag in english_fragments())


def english_leaks(html: str) -> list[str]:
    """English UI fragments found as whole words in the visible text of a page."""
    text = visible_text(html)
    return [frag for frag, pattern in _fragment_patterns() if frag in text and pattern.search(text)]
