"""Subset the Noto Sans Devanagari web fonts to what Hindi and English pages use.

    .venv/bin/pip install fonttools brotli      # development only; not needed to run the app
    .venv/bin/python scripts/subset_fonts.py

Sources: ``scripts/font-sources/noto-sans-devanagari/*.woff2``, the files of @fontsource/noto-sans-devanagari
5.3.0 as published. Output: ``tracker/static/vendor/fonts/noto-sans-devanagari/*-subset.woff2`` (committed) and
the ``unicode-range`` lines to keep in ``tracker/static/css/fonts.css`` (printed).

What is kept:

* Devanagari: the Devanagari block U+0900-0972 except the Vedic tone marks and Kashmiri/Sindhi/Sanskrit-only
  letters (U+0951-0957, U+0973-097F), plus ZWNJ/ZWJ (explicit half forms), the rupee sign and the dotted
  circle (shown for a stray matra). **Every** OpenType layout feature and script is kept
  (``--layout-features=*``): conjuncts (half, cjct, pres, akhn), reph (rphf), below-base forms (blwf, blws),
  nukta forms and mark positioning (GPOS abvm, blwm, mark, dist) all shape as before, and pyftsubset keeps
  every glyph those features can reach from the kept characters.
* Latin: ASCII, Latin-1, the punctuation and arrows the templates use (– — “ ” … · ← → ↕ −), and €.

Characters outside these ranges fall back to the phone's own font.
"""

from __future__ import annotations

from pathlib import Path

from fontTools import subset

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "scripts" / "font-sources" / "noto-sans-devanagari"
TARGET = ROOT / "tracker" / "static" / "vendor" / "fonts" / "noto-sans-devanagari"

RANGES = {
    "devanagari": "U+0900-0950,U+0958-0972,U+200C-200D,U+20B9,U+25CC",
    "latin": "U+0020-007E,U+00A0-00FF,U+0131,U+0152-0153,U+02C6,U+02DA,U+02DC,U+2010-2027,U+2030-203A,"
             "U+20AC,U+2122,U+2190-2195,U+2212,U+FEFF,U+FFFD",
}
WEIGHTS = (400, 700)
# Bold Latin is synthesised from the 400 face: a roster's first load on a phone must stay under 150 KB.
SKIPPED = {("latin", 700)}


def _unicodes(ranges: str) -> list[int]:
    out = []
    for part in ranges.split(","):
        lo, _, hi = part.removeprefix("U+").partition("-")
        out.extend(range(int(lo, 16), int(hi or lo, 16) + 1))
    return out


def subset_one(source: Path, target: Path, ranges: str) -> None:
    options = subset.Options()
    options.layout_features = ["*"]
    options.layout_scripts = ["*"]
    options.flavor = "woff2"
    options.name_IDs = ["*"]  # keep the copyright and licence names (OFL)
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_unicodes(ranges))
    subsetter.subset(font)
    subset.save_font(font, str(target), options)


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    for name, ranges in RANGES.items():
        for weight in WEIGHTS:
            if (name, weight) in SKIPPED:
                continue
            source = SOURCES / f"noto-sans-devanagari-{name}-{weight}-normal.woff2"
            target = TARGET / f"noto-sans-devanagari-{name}-{weight}-subset.woff2"
            subset_one(source, target, ranges)
            print(f"{target.name}: {target.stat().st_size} bytes (from {source.stat().st_size})")
        print(f"  unicode-range for {name}: {ranges}")


if __name__ == "__main__":
    main()
