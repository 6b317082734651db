"""Write ``tracker/static/vendor/pico/pico.trimmed.css``: Pico CSS without the parts the app never uses.

    .venv/bin/python scripts/trim_pico.py        # after upgrading vendor/pico/pico.min.css

The vendored ``pico.min.css`` stays as published; ``templates/base.html`` loads the trimmed copy. Removed:

* the dark theme (``<html data-theme="light">`` forces the light one): the ``[data-theme=dark]`` block and
  the ``prefers-color-scheme: dark`` media block, which repeat every colour variable;
* components no template uses: tooltips (``[data-tooltip]``), ``<progress>``, range sliders
  (``[type=range]``), switches (``[role=switch]``), ``<kbd>``.

A selector is removed only when the component appears outside parentheses (``input:not([type=range])`` is
kept); a rule whose selectors are all removed disappears, and so does an emptied ``@media``/``@supports``.
To use one of these components, take it out of ``UNUSED`` and run the script again.
"""

from __future__ import annotations

import re
from pathlib import Path

PICO = Path(__file__).resolve().parent.parent / "tracker" / "static" / "vendor" / "pico"
SOURCE = PICO / "pico.min.css"
TARGET = PICO / "pico.trimmed.css"

UNUSED = ("[data-theme=dark]", "[data-tooltip]", "progress", "[type=range]", "[role=switch]", "kbd")
DROPPED_AT_RULES = ("@media only screen and (prefers-color-scheme:dark)",)
_WORD = re.compile(r"(?<![\w-])(progress|kbd)(?![\w-])")


def _blocks(css: str) -> list[tuple[str, str]]:
    """Top-level ``(prelude, body)`` pairs; a statement without a block (``@charset``) has body None."""
    out, depth, start, prelude_end = [], 0, 0, None
    i = 0
    while i < len(css):
        ch = css[i]
        if ch == "/" and css.startswith("/*", i):
            end = css.index("*/", i) + 2
            if depth == 0 and start == i:
                out.append((css[i:end], None))
                start = end
            i = end
            continue
        if ch == ";" and depth == 0:
            out.append((css[start:i + 1], None))
            start = i + 1
        elif ch == "{":
            if depth == 0:
                prelude_end = i
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                out.append((css[start:prelude_end], css[prelude_end + 1:i]))
                start = i + 1
        i += 1
    return out


def _split_selectors(prelude: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(prelude):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    parts.append(prelude[start:])
    return parts


def _outside_parentheses(selector: str) -> str:
    previous = None
    while previous != selector:
        previous, selector = selector, re.sub(r"\([^()]*\)", "", selector)
    return selector


def _unused(selector: str) -> bool:
    bare = _outside_parentheses(selector)
    return any(token in bare for token in UNUSED if token.startswith("[")) or bool(_WORD.search(bare))


def trim(css: str) -> str:
    out = []
    for prelude, body in _blocks(css):
        head = prelude.strip()
        if body is None:
            out.append(head)
        elif head in DROPPED_AT_RULES:
            continue
        elif head.startswith("@"):
            if head.startswith(("@media", "@supports")):
                inner = trim(body)
                if inner:
                    out.append(f"{head}{{{inner}}}")
            else:
                out.append(f"{head}{{{body}}}")
        else:
            kept = [s for s in _split_selectors(head) if not _unused(s)]
            if kept:
                out.append(f"{','.join(kept)}{{{body}}}")
    return "".join(out)


def main() -> None:
    css = SOURCE.read_text(encoding="utf-8")
    trimmed = trim(css)
    TARGET.write_text(trimmed, encoding="utf-8")
    print(f"{TARGET.name}: {len(trimmed.encode())} bytes (from {len(css.encode())})")


if __name__ == "__main__":
    main()
