"""The PDF machinery (tracker/core/pdf.py): the engine loaded lazily and refused clearly when missing, the
file names, the static files read from the package, and Devanagari drawn exactly as HarfBuzz shapes it
with the vendored complete font (and a check that sees broken shaping)."""

from __future__ import annotations

import io
import subprocess
import sys
from urllib.parse import unquote

import pytest

from tests.pdf_check import (
    HINDI_WORDS,
    REGULAR,
    assert_pdf,
    drawn_glyphs,
    draws_dotted_circle,
    embedded_fonts,
    harfbuzz_glyphs,
    pdftotext,
    shaped_in,
)
from tracker.core import pdf

pytestmark = pytest.mark.one_engine

MIXED = "बैठक Review meeting 2025 में 71 जिला अध्यक्ष"
REFERENCE = f"""<!doctype html><html lang="hi"><head><meta charset="utf-8">
<link rel="stylesheet" href="/static/css/pdf.css"></head><body>
<p>{' '.join(HINDI_WORDS)}</p>
<p>प्रवीण सक्सेना · संगठन सृजन अभियान · जिला अध्यक्ष · कार्यवृत्त · ज़िला</p>
<p>{MIXED}</p>
</body></html>"""


def _render(html: str = REFERENCE) -> bytes:
    return pdf.render_pdf(html, "http://localhost/")


def test_the_app_starts_and_imports_no_weasyprint_until_a_pdf_is_asked_for(tmp_path):
    """Without WeasyPrint (blocked here) the app still starts; tracker never imports it at start-up."""
    code = ("import sys; sys.modules['weasyprint'] = None\n"
            "from tracker import create_app\n"
            f"app = create_app({{'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path}/x.db', 'SECRET_KEY': 'x'}})\n"
            "from tracker.core import pdf\n"
            "print(pdf.pdf_available())\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"TRACKER_INSTANCE_PATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().endswith("False")
    check = subprocess.run([sys.executable, "-c", "import tracker, sys; from tracker import create_app; "
                            "print('weasyprint' in sys.modules)"], capture_output=True, text=True)
    assert check.stdout.strip() == "False", check.stderr


def test_pdf_available_here():
    assert pdf.pdf_available()


def test_content_disposition_has_an_ascii_name_and_the_devanagari_one():
    header = pdf.content_disposition("दिन-की-सूची-2025-09-22.pdf")
    assert header.startswith("attachment; filename=\"")
    ascii_part = header.split('filename="', 1)[1].split('"', 1)[0]
    assert ascii_part.isascii() and ascii_part.endswith("-2025-09-22.pdf") and len(ascii_part) > 15
    assert "din" in ascii_part
    assert unquote(header.split("filename*=UTF-8''", 1)[1]) == "दिन-की-सूची-2025-09-22.pdf"
    assert pdf.ascii_filename("Day sheet.pdf") == "Day-sheet.pdf"
    assert pdf.dated_filename("Attendance: Day 1 / A", None) == "Attendance-Day-1-A.pdf"


def test_static_urls_are_read_from_the_package_and_nothing_else():
    assert pdf.static_file("http://localhost/static/css/pdf.css?v=abc") == pdf.STATIC / "css" / "pdf.css"
    assert pdf.static_file("https://tracker.example/static/vendor/fonts/noto-sans-devanagari-full/"
                           "NotoSansDevanagari-Regular.ttf").is_file()
    for url in ("http://localhost/static/../config.py", "http://localhost/static/%2e%2e/config.py",
                "http://localhost/agenda", "file:///etc/passwd", "http://localhost/static/css/missing.css"):
        assert pdf.static_file(url) is None, url


def test_a_pdf_fetches_nothing_from_outside(monkeypatch):
    """A page that names an outside image gets no request made: the fetcher refuses it."""
    import urllib.request

    def no_network(*args, **kwargs):  # pragma: no cover - would mean a fetch was tried
        raise AssertionError("the PDF engine opened a URL")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", no_network)
    data = _render('<html><body><img src="http://203.0.113.9/x.png"><p>ok</p></body></html>')
    assert_pdf(data)


def test_the_reference_words_are_drawn_as_harfbuzz_shapes_them():
    data = _render()
    assert_pdf(data)
    assert "Noto-Sans-Devanagari-PDF" in embedded_fonts(data)
    drawn = drawn_glyphs(data)
    for word in (*HINDI_WORDS, "प्रवीण सक्सेना", "संगठन सृजन अभियान", "जिला अध्यक्ष"):
        assert shaped_in(word, drawn, fonts=(REGULAR,)), word
    for word in MIXED.split():  # the mixed Hindi/English line: each word shaped whole, in its own font
        if not word.isascii():
            assert shaped_in(word, drawn, fonts=(REGULAR,)), word
    assert not draws_dotted_circle(drawn)
    text = pdftotext(data)
    assert "Review meeting 2025" in text and "71" in text


def test_the_check_sees_shaping_that_is_wrong(tmp_path):
    """The same check fails on broken input: the text drawn with a copy of the font that has no GSUB
    (no conjuncts, ि after its consonant), and HarfBuzz's own output with the Indic shaper switched off."""
    from fontTools.ttLib import TTFont

    broken = TTFont(REGULAR)
    del broken["GSUB"]
    broken.save(tmp_path / "broken.ttf")
    html = REFERENCE.replace('<link rel="stylesheet" href="/static/css/pdf.css">',
                             f'<style>@font-face {{ font-family: Broken; src: url("file://{tmp_path}/broken.ttf"); }}'
                             'body { font-family: Broken; }</style>')
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    data = weasyprint.HTML(string=html).write_pdf(font_config=fonts)
    drawn = drawn_glyphs(data)
    conjuncts = ("प्रवीण", "अध्यक्ष", "कार्यवृत्त", "क्ष", "त्र", "ज्ञ", "श्र", "द्ध", "र्य")
    wrong = [w for w in conjuncts if not shaped_in(w, drawn, fonts=(REGULAR,))]
    assert wrong == list(conjuncts)
    assert sum(1 for name, _o in drawn if name == "Broken") > 50  # the words were drawn, only wrongly
    # Shaped as if Latin (no Indic reordering): ि stays after क, the conjuncts split; the check sees it.
    for word in ("कि", "क्ष", "प्रवीण"):
        latin = harfbuzz_glyphs(word, REGULAR, script="Latn")
        assert latin != harfbuzz_glyphs(word, REGULAR)
        assert not shaped_in(word, [("x", o) for o in latin], fonts=(REGULAR,))


def test_mixed_lines_do_not_use_the_web_subsets():
    """The PDF embeds the complete fonts, not the web font's subsets (their family is another name)."""
    data = _render()
    names = embedded_fonts(data)
    assert names <= {"Noto-Sans-Devanagari-PDF", "Noto-Sans-Devanagari-PDF-Bold", "Noto-Sans-PDF", "Noto-Sans-PDF-Bold"}, names
    assert "Noto-Sans-PDF" in names  # the Latin words of the mixed line


def test_refused_clearly_when_the_engine_is_missing(monkeypatch, client, auth):
    """WeasyPrint (or Pango) missing: 503 with a message in the reader's language; HTML and JSON."""
    from tests.factories import make_user

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint now raises ImportError
    assert not pdf.pdf_available()
    with pytest.raises(pdf.PdfUnavailable):
        _render()
    make_user("office", "office_pdf", locale="en")
    auth.login("office_pdf")
    response = client.get("/attendance/reports/rates?format=pdf")
    assert response.status_code == 503
    assert "PDFs cannot be made on this server" in response.get_data(as_text=True)
    client.post("/locale", data={"locale": "hi"})
    response = client.get("/attendance/reports/rates?format=pdf")
    assert response.status_code == 503
    assert "PDF नहीं बन सकती" in response.get_data(as_text=True)
    response = client.get("/attendance/reports/rates?format=pdf", headers={"Accept": "application/json"})
    assert response.status_code == 503 and "PDF" in response.get_json()["detail"]


def test_pdfs_read_no_outside_font():
    """Every font a PDF names is embedded (no reliance on the reader's fonts)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(_render()))
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor
