"""One writer for every CSV and XLSX file: tracker/core/exports.py, which neutralises formulas (issue 17,
finding 2). Read from the source of ``tracker/`` with ``ast``: no other module makes a csv writer, an
openpyxl workbook or cell, or names a CSV/XLSX content type; reading files (``csv.reader``,
``openpyxl.load_workbook``) stays allowed.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "tracker"
WRITER = PACKAGE / "core" / "exports.py"
CSV_WRITING = {"writer", "DictWriter"}
# What a module may take from openpyxl: reading a workbook and its errors.
OPENPYXL_READING = {("openpyxl", "load_workbook"), ("openpyxl.utils.exceptions", "*")}
# Other spreadsheet writers must not come in through the back door.
OTHER_WRITERS = {"xlsxwriter", "pyexcel", "pandas", "tablib", "xlwt"}
CONTENT_TYPES = ("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml", "application/vnd.ms-excel")
# Module -> content types it may name, and why.
CONTENT_TYPE_ALLOWED = {
    "tracker/assets.py": "the list of types the server may compress; it writes no file",
}


def _import_violations(node: ast.Import, csv_names: set[str]) -> list[str]:
    """``import csv`` is noted (its writers are looked for later); openpyxl or another writer is refused."""
    found = []
    for alias in node.names:
        if alias.name == "csv":
            csv_names.add(alias.asname or "csv")
        elif alias.name.split(".")[0] == "openpyxl" or alias.name.split(".")[0] in OTHER_WRITERS:
            found.append(f"imports {alias.name}")
    return found


def _import_from_violations(node: ast.ImportFrom) -> list[str]:
    root = node.module.split(".")[0]
    reading = {(node.module, "*")} & OPENPYXL_READING
    found = []
    for alias in node.names:
        if node.module == "csv" and alias.name in CSV_WRITING:
            found.append(f"imports csv.{alias.name}")
        elif root == "openpyxl" and not reading and (node.module, alias.name) not in OPENPYXL_READING:
            found.append(f"imports {node.module}.{alias.name}")
        elif root in OTHER_WRITERS:
            found.append(f"imports {node.module}")
    return found


def _node_violations(node: ast.AST, name: str, csv_names: set[str]) -> list[str]:
    if isinstance(node, ast.Import):
        return _import_violations(node, csv_names)
    if isinstance(node, ast.ImportFrom) and node.module:
        return _import_from_violations(node)
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and name not in CONTENT_TYPE_ALLOWED:
        if any(kind in node.value for kind in CONTENT_TYPES):
            return [f"names the content type {node.value!r}"]
    return []


def _violations(source: str, name: str) -> list[str]:
    """What in ``source`` (the module ``name``, a path from the project's root) writes a spreadsheet."""
    tree = ast.parse(source, filename=name)
    csv_names: set[str] = set()
    found = [f"{name}:{node.lineno} {what}" for node in ast.walk(tree)
             for what in _node_violations(node, name, csv_names)]
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr in CSV_WRITING and isinstance(node.value, ast.Name)
                and node.value.id in csv_names):
            found.append(f"{name}:{node.lineno} uses {node.value.id}.{node.attr}")
    return found


def test_only_the_export_module_writes_csv_and_xlsx():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path != WRITER and "migrations" not in path.parts:
            wrong += _violations(path.read_text(encoding="utf-8"), path.relative_to(PACKAGE.parent).as_posix())
    assert not wrong, (
        "write CSV and XLSX files through tracker/core/exports.py (it neutralises formulas):\n" + "\n".join(wrong))


def test_the_check_sees_each_way_of_writing():
    """The checker itself: each of these would slip a file past the export module."""
    samples = {
        "import csv as c\nc.writer(x)\n": "uses c.writer",
        "from csv import DictWriter\n": "imports csv.DictWriter",
        "import openpyxl\n": "imports openpyxl",
        "from openpyxl import Workbook\n": "imports openpyxl.Workbook",
        "from openpyxl.cell import WriteOnlyCell\n": "imports openpyxl.cell.WriteOnlyCell",
        "import xlsxwriter\n": "imports xlsxwriter",
        "MIME = 'text/csv'\n": "names the content type",
    }
    for source, expected in samples.items():
        assert any(expected in v for v in _violations(source, "tracker/probe.py")), source
    allowed = ("import csv\nfrom openpyxl import load_workbook\n"
               "from openpyxl.utils.exceptions import InvalidFileException\ncsv.reader(x)\n")
    assert _violations(allowed, "tracker/probe.py") == []
