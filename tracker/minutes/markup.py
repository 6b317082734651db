"""The minutes' text markup: what the office types in a plain textarea, made into safe HTML.

* a blank line starts a new paragraph; a single line break stays a line break;
* lines starting with ``- `` (or ``* ``) make a bulleted list, lines starting with ``1. `` a numbered one;
* ``**words**`` are bold.

A few HTML tags typed by hand (or pasted) are kept too (``ALLOWED_TAGS``, without attributes). Whatever comes
out is cleaned by nh3 (the Ammonia sanitiser): scripts, styles, event handlers, links and any other tag or
attribute never reach a page, a message or a PDF.
"""

from __future__ import annotations

import re

import nh3
from markupsafe import Markup

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "u"}
_BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"</(p|li)>|<br\s*/?>", re.IGNORECASE)


def _inline(text: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", text.strip())


def _blocks(source: str) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in (source or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _block_html(lines: list[str]) -> list[str]:
    out: list[str] = []
    paragraph: list[str] = []
    list_tag = ""

    def close_paragraph():
        if paragraph:
            out.append("<p>" + "<br>".join(_inline(line) for line in paragraph) + "</p>")
            paragraph.clear()

    for line in lines:
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        tag = "ul" if bullet else "ol" if numbered else ""
        if tag:
            close_paragraph()
            if list_tag != tag:
                if list_tag:
                    out.append(f"</{list_tag}>")
                out.append(f"<{tag}>")
                list_tag = tag
            out.append("<li>" + _inline((bullet or numbered).group(1)) + "</li>")
            continue
        if list_tag:
            out.append(f"</{list_tag}>")
            list_tag = ""
        paragraph.append(line)
    close_paragraph()
    if list_tag:
        out.append(f"</{list_tag}>")
    return out


def clean(html: str) -> str:
    """Only ``ALLOWED_TAGS``, without attributes; scripts and styles dropped with their content."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes={}, link_rel=None)


def to_html(source: str) -> Markup:
    """The text as safe HTML (empty for an empty text)."""
    html = "".join(part for block in _blocks(source) for part in _block_html(block))
    return Markup(clean(html))


def to_lines(source: str) -> list[str]:
    """The text as plain lines (what a diff compares and a message may quote): one per paragraph line or list
    item, tags removed."""
    html = str(to_html(source))
    text = _BLOCK_END.sub("\n", html)
    lines = []
    for line in _TAG.sub("", text).split("\n"):
        line = Markup(line).unescape().strip()
        if line:
            lines.append(line)
    return lines
