"""Reading the app's PDFs back in tests: text (pdftotext), embedded fonts (pypdf), and the glyphs drawn.

Hindi is never checked by text extraction (pdftotext cannot invert correct shaping: it gives "सतंबर" for
a correct "सितंबर"). Instead :func:`drawn_glyphs` reads the glyph ids the content streams draw (Identity-H
CID strings, CIDToGIDMap Identity or a map stream) and turns each into its *outline* in the embedded
subset font (fontTools); :func:`harfbuzz_glyphs` shapes a word with HarfBuzz (uharfbuzz) in the complete
vendored TTF and turns its glyphs into outlines the same way. A word is drawn right when its HarfBuzz
outline sequence occurs in the PDF's: a dotted circle, a split conjunct or a misplaced ि changes the
sequence. (Outlines, not glyph names: a subset font keeps no names.)
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

FONTS = Path(__file__).resolve().parents[1] / "tracker" / "static" / "vendor" / "fonts" / "noto-sans-devanagari-full"
REGULAR = FONTS / "NotoSansDevanagari-Regular.ttf"
BOLD = FONTS / "NotoSansDevanagari-Bold.ttf"

# The words whose shaping the tests check: conjuncts (क्ष त्र ज्ञ श्र द्ध), the reph (र्य), the short i
# drawn before its consonant (कि), the long i, the nukta, and names of the demo.
HINDI_WORDS = ("प्रवीण", "सक्सेना", "संगठन", "सृजन", "अभियान", "जिला", "अध्यक्ष", "कार्यवृत्त",
               "क्ष", "त्र", "ज्ञ", "श्र", "द्ध", "र्य", "कि", "की", "ज़िला")


def pdftotext(data: bytes) -> str:
    """The PDF's text by poppler's pdftotext (``make install-test`` installs poppler-utils)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        if os.environ.get("TRACKER_REQUIRE_POPPLER") == "1":
            pytest.fail("pdftotext (poppler-utils) is required here (TRACKER_REQUIRE_POPPLER=1) and missing")
        pytest.skip("pdftotext (poppler-utils) is not installed and could not be: apt-get install poppler-utils")
    return subprocess.run([tool, "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def assert_pdf(data: bytes) -> None:
    assert data[:5] == b"%PDF-", data[:40]
    assert data.rstrip().endswith(b"%%EOF")


def embedded_fonts(data: bytes) -> set[str]:
    """The base names of the fonts embedded in the PDF (subset prefix dropped), e.g. Noto-Sans-Devanagari-PDF."""
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in _page_fonts(page).values():
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant.get("/FontDescriptor")
            if descriptor is not None and any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                names.add(str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1])
    return names


def _page_fonts(page) -> dict:
    resources = page.get("/Resources")
    fonts = resources.get_object().get("/Font") if resources is not None else None
    return {str(k): v.get_object() for k, v in (fonts.get_object().items() if fonts is not None else [])}


def _outline(glyf, name) -> tuple:
    """A glyph's outline, its components resolved: the key that matches one glyph across two fonts."""
    coords, ends, flags = glyf[name].getCoordinates(glyf)
    return tuple((round(x), round(y)) for x, y in coords), tuple(ends), tuple(f & 1 for f in flags)


class _EmbeddedFont:
    def __init__(self, font_dict):
        from fontTools.ttLib import TTFont

        descendant = font_dict["/DescendantFonts"][0].get_object()
        self.name = str(font_dict["/BaseFont"]).lstrip("/").split("+", 1)[-1]
        stream = descendant["/FontDescriptor"].get_object()["/FontFile2"].get_object()
        self.font = TTFont(io.BytesIO(stream.get_data()))
        self.order = self.font.getGlyphOrder()
        self.glyf = self.font["glyf"]
        gid_map = descendant.get("/CIDToGIDMap")
        self.cid_to_gid = None
        if gid_map is not None and str(gid_map) != "/Identity":
            raw = gid_map.get_object().get_data()
            self.cid_to_gid = [int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw), 2)]

    def outline(self, cid: int) -> tuple:
        gid = self.cid_to_gid[cid] if self.cid_to_gid is not None else cid
        return _outline(self.glyf, self.order[gid])


def drawn_glyphs(data: bytes) -> list[tuple[str, tuple]]:
    """Every glyph the PDF draws in a CID TrueType font, in content-stream order: (font name, outline)."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    reader = PdfReader(io.BytesIO(data))
    out: list[tuple[str, tuple]] = []
    for page in reader.pages:
        fonts = {name: _EmbeddedFont(f) for name, f in _page_fonts(page).items() if "/DescendantFonts" in f}
        _walk(ContentStream(page.get_contents(), reader), fonts, page, reader, out)
    return out


def _walk(content, fonts, owner, reader, out) -> None:
    from pypdf.generic import ContentStream

    current = None
    for operands, operator in content.operations:
        if operator == b"Tf":
            current = fonts.get(str(operands[0]))
        elif operator in (b"Tj", b"'", b'"', b"TJ") and current is not None:
            strings = operands[0] if operator == b"TJ" else [operands[-1]]
            for item in strings:
                if isinstance(item, bytes | str):
                    raw = bytes(item.original_bytes) if hasattr(item, "original_bytes") else bytes(item)
                    for i in range(0, len(raw) - 1, 2):
                        out.append((current.name, current.outline(int.from_bytes(raw[i:i + 2], "big"))))
        elif operator == b"Do":
            xobjects = owner["/Resources"].get_object().get("/XObject", {})
            xobject = xobjects.get_object().get(str(operands[0])) if xobjects else None
            if xobject is not None and xobject.get_object().get("/Subtype") == "/Form":
                form = xobject.get_object()
                inner = {**fonts, **{n: _EmbeddedFont(f) for n, f in _page_fonts(form).items() if "/DescendantFonts" in f}}
                _walk(ContentStream(form, reader), inner, form, reader, out)


@cache
def _full_font(path: Path):
    from fontTools.ttLib import TTFont

    return TTFont(path)


def harfbuzz_glyphs(text: str, font: Path = REGULAR, features: dict | None = None, script: str | None = None) -> list[tuple]:
    """The outlines of the glyphs HarfBuzz shapes ``text`` into with the complete TTF (empty ones left out)."""
    import uharfbuzz as hb

    blob = hb.Blob.from_file_path(str(font))
    hb_font = hb.Font(hb.Face(blob))
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    if script is not None:
        buf.script = script
    hb.shape(hb_font, buf, features or {})
    ttf = _full_font(font)
    order, glyf = ttf.getGlyphOrder(), ttf["glyf"]
    outlines = [_outline(glyf, order[info.codepoint]) for info in buf.glyph_infos]
    return [o for o in outlines if o[0]]


DOTTED_CIRCLE = "\u25cc"


def shaped_in(word: str, drawn: list[tuple[str, tuple]], fonts=(REGULAR, BOLD)) -> bool:
    """Whether the PDF draws ``word`` as HarfBuzz shapes it in one of ``fonts`` (a contiguous run of
    its non-empty glyphs)."""
    sequence = [outline for _name, outline in drawn if outline[0]]
    for font in fonts:
        wanted = harfbuzz_glyphs(word, font)
        n = len(wanted)
        if n and any(sequence[i:i + n] == wanted for i in range(len(sequence) - n + 1)):
            return True
    return False


def draws_dotted_circle(drawn: list[tuple[str, tuple]]) -> bool:
    circles = {tuple(harfbuzz_glyphs(DOTTED_CIRCLE, f)[0]) for f in (REGULAR, BOLD)}
    return any(outline in circles for _name, outline in drawn)
