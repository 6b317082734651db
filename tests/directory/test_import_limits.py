"""Imports are bounded (issue 17, finding 5; acceptance 4): rows, columns, cells and size, set by the
``IMPORT_MAX_*`` settings; a file over a limit is refused early, with its row, in the user's language,
never with a 500 or a worker that runs out of time."""

from __future__ import annotations

import io
import time

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from tests.directory.import_files import csv_with_cell, xlsx_of_cells, xlsx_of_rows
from tests.factories import make_user
from tracker.directory import io as dio
from tracker.directory.models import Person
from tracker.extensions import db

SMALL = dio.Limits(rows=5, columns=12, cell_chars=50, file_mb=1, unpacked_mb=1)
HEADERS = "ID,Name (Hindi),Name (English),Mobile,Email,Language,Channel,Note,Archived"


def _people_csv(rows: int) -> bytes:
    lines = [HEADERS] + [f",राम {n},Ram {n},94250{n:05d},,hi,sms,,no" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def _refusal(data: bytes, name: str, limits: dio.Limits | None = None) -> str:
    with pytest.raises(dio.ImportFileError) as refused:
        dio.read_tables(data, name, limits)
    return str(refused.value)


def _upload(client, data: bytes, name: str):
    return client.post("/directory/import", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


@pytest.fixture
def office(client, auth):
    make_user("office", "office", locale="en")
    auth.login("office")


# --- acceptance 4: a huge cell, a million rows --------------------------------------------------


def test_a_cell_of_300000_characters_is_refused_quickly(client, office):
    started = time.monotonic()
    response = _upload(client, csv_with_cell(300_000), "people.csv")
    elapsed = time.monotonic() - started
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and elapsed < 5, (response.status_code, elapsed)
    assert "Row 2: a cell holds more than 2,000 characters." in page
    assert client.get("/directory/import").status_code == 200  # and the app goes on
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 0


def test_a_million_row_xlsx_is_refused_quickly(client, office):
    data = xlsx_of_rows(1_000_000, compact=True)
    assert len(data) < 300_000  # small as uploaded: only unpacked is it large
    started = time.monotonic()
    response = _upload(client, data, "people.xlsx")
    elapsed = time.monotonic() - started
    assert response.status_code == 400 and elapsed < 5, (response.status_code, elapsed)
    assert "Unpacked, this Excel file is larger than 24 MB." in response.get_data(as_text=True)
    assert client.get("/directory/import").status_code == 200


def test_a_million_rows_stop_at_the_row_limit_even_under_a_larger_size_limit(app, client, office, monkeypatch):
    """With room for the unpacked size, the rows are counted as the sheet streams by, and the file is
    refused at the first row over the limit, before openpyxl reads it."""
    monkeypatch.setitem(app.config, "IMPORT_MAX_UNPACKED_MB", 100)
    started = time.monotonic()
    response = _upload(client, xlsx_of_rows(1_000_000, compact=True), "people.xlsx")
    elapsed = time.monotonic() - started
    assert response.status_code == 400 and elapsed < 5, (response.status_code, elapsed)
    assert "Row 20002: the file has more than 20,000 rows. Split it into smaller files." in response.get_data(
        as_text=True)


def test_refusals_are_in_hindi_for_a_hindi_user(client, auth):
    make_user("office", "office_hi", locale="hi")
    auth.login("office_hi")
    page = _upload(client, csv_with_cell(300_000), "people.csv").get_data(as_text=True)
    assert "पंक्ति 2: एक खाने में 2,000 से अधिक अक्षर हैं।" in page


# --- each limit ----------------------------------------------------------------------------------


def test_rows_over_the_limit_are_refused_at_the_first_one(en):
    dio.read_tables(_people_csv(5), "people.csv", SMALL)  # at the limit: read
    assert _refusal(_people_csv(6), "people.csv", SMALL) == (
        "Row 7: the file has more than 5 rows. Split it into smaller files.")
    workbook = xlsx_of_rows(6)
    assert _refusal(workbook, "people.xlsx", SMALL) == "Row 7: the file has more than 5 rows. Split it into smaller files."


def test_rows_of_every_table_count_together(en):
    book = Workbook()
    for title, rows in (("first", 3), ("second", 3)):
        sheet = book.create_sheet(title)
        sheet.append(HEADERS.split(","))
        for n in range(rows):
            sheet.append([None, f"राम {n}", f"Ram {title} {n}", f"94251{n:04d}{len(title)}"])
    del book["Sheet"]
    buffer = io.BytesIO()
    book.save(buffer)
    assert _refusal(buffer.getvalue(), "people.xlsx", SMALL) == (
        "Sheet “second”, row 4: the file has more than 5 rows. Split it into smaller files.")


def test_a_long_cell_is_refused_with_its_row(en):
    dio.read_tables(csv_with_cell(50), "people.csv", SMALL)
    assert _refusal(csv_with_cell(51), "people.csv", SMALL) == "Row 2: a cell holds more than 50 characters."
    cells = [HEADERS.split(","), ["", "राम", "Ram", "9425000001", "", "hi", "sms", "x" * 51]]
    assert _refusal(xlsx_of_cells(cells), "people.xlsx", SMALL) == (
        "Sheet “people”, row 2: a cell holds more than 50 characters.")


def test_a_cell_over_the_csv_modules_own_limit_is_refused_not_a_500(en):
    """131,072 characters is where the csv module gives up ("field larger than field limit")."""
    assert _refusal(csv_with_cell(300_000), "people.csv") == "Row 2: a cell holds more than 2,000 characters."


def test_too_many_columns(en):
    wide = (HEADERS + "\n" + ",राम,Ram,9425000001" + ",a" * 9 + "\n").encode()
    assert _refusal(wide, "people.csv", SMALL) == "Row 2 has more than 12 columns."
    cells = [HEADERS.split(","), ["", "राम", "Ram", "9425000001"] + ["a"] * 9]
    assert _refusal(xlsx_of_cells(cells), "people.xlsx", SMALL) == "Row 2 has more than 12 columns."
    trailing = (HEADERS + "\n" + ",राम,Ram,9425000001" + "," * 40 + "\n").encode()
    assert dio.read_tables(trailing, "people.csv", SMALL)  # empty cells at the end do not count


def test_file_and_unpacked_size(en):
    big = _people_csv(2) + b"\n" * (1024 * 1024)
    assert _refusal(big, "people.csv", SMALL) == "The file is larger than 1 MB. Split it into smaller files."
    assert _refusal(xlsx_of_rows(30_000), "people.xlsx", SMALL) == (
        "Unpacked, this Excel file is larger than 1 MB. Split it into smaller files.")


def test_a_sheet_with_a_dtd_is_not_read(en):
    """No XML entities (the "billion laughs"): a DTD has no place in an XLSX file."""
    bomb = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    assert _refusal(xlsx_of_rows(2, doctype=bomb), "people.xlsx") == (
        "This is not an Excel (.xlsx) file that can be read.")


def test_limits_come_from_the_settings(app, en, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 2)
    assert _refusal(_people_csv(3), "people.csv") == "Row 4: the file has more than 2 rows. Split it into smaller files."


def test_command_line_import_refuses_cleanly(runner, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_with_cell(300_000))
    result = runner.invoke(args=["directory", "import", str(path), "--lang", "en"])
    assert result.exit_code == 1
    assert "Row 2: a cell holds more than 2,000 characters." in result.output
