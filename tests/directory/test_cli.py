"""``tracker directory import|export|search|reindex``."""

from __future__ import annotations

import json

import sqlalchemy as sa

from tracker.directory import operations as ops
from tracker.directory.models import Unit
from tracker.extensions import db


def _world():
    state = ops.create_unit({"code": "mp", "level": "state", "name_en": "Madhya Pradesh", "name_hi": "मध्य प्रदेश"})
    division = ops.create_unit({"code": "mp-narmadapuram", "level": "division", "parent": state,
                                "name_en": "Narmadapuram", "name_hi": "नर्मदापुरम"})
    person = ops.create_person({"name_en": "Praveen Saxena", "name_hi": "प्रवीण सक्सेना", "mobile": "9826012345"})
    db.session.commit()
    return division, person


def test_search_json(runner):
    division, person = _world()
    result = runner.invoke(args=["directory", "search", "narmada", "--format", "json"])
    assert result.exit_code == 0, result.output
    expected = {"kind": "unit", "id": division.id, "code": "mp-narmadapuram", "name_hi": "नर्मदापुरम",
                "name_en": "Narmadapuram"}
    assert json.loads(result.output)[0].items() >= expected.items()
    hits = json.loads(runner.invoke(args=["directory", "search", "प्रवीण", "--format", "json"]).output)
    assert [(h["kind"], h["id"], h["name_en"]) for h in hits] == [("person", person.id, "Praveen Saxena")]
    assert "code" not in hits[0]


def test_export_to_stdout_and_reimport(runner, tmp_path):
    _world()
    result = runner.invoke(args=["directory", "export", "units", "--lang", "en"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith("Code,Level")
    path = tmp_path / "units.xlsx"
    assert runner.invoke(args=["directory", "export", "units", "--format", "xlsx", "--out", str(path)]).exit_code == 0
    result = runner.invoke(args=["directory", "import", str(path), "--lang", "en"])
    assert result.exit_code == 0 and "Unchanged: 2" in result.output


def test_import_preview_commit_and_errors(runner, tmp_path):
    _world()
    good = tmp_path / "units.csv"
    good.write_text("Code,Level,Name (Hindi),Name (English),Parent code\n"
                    "mp-hoshangabad,district,होशंगाबाद,Hoshangabad,mp-narmadapuram\n", encoding="utf-8")
    result = runner.invoke(args=["directory", "import", str(good)])
    assert result.exit_code == 0 and "नया: 1" in result.output
    db.session.expire_all()
    assert db.session.scalar(sa.select(Unit).where(Unit.code == "mp-hoshangabad")) is None
    assert runner.invoke(args=["directory", "import", str(good), "--commit"]).exit_code == 0
    db.session.expire_all()
    assert db.session.scalar(sa.select(Unit).where(Unit.code == "mp-hoshangabad")) is not None

    bad = tmp_path / "bad.csv"
    bad.write_text("Code,Level,Name (Hindi),Name (English),Parent code\n"
                   "mp-harda,district,हरदा,Harda,mp-nowhere\n", encoding="utf-8")
    result = runner.invoke(args=["directory", "import", str(bad), "--commit", "--lang", "en"])
    assert result.exit_code == 1 and "mp-nowhere" in result.output
    db.session.expire_all()
    assert db.session.scalar(sa.select(Unit).where(Unit.code == "mp-harda")) is None


def test_reindex(runner):
    division, _ = _world()
    division.search_key = ""
    db.session.commit()
    result = runner.invoke(args=["directory", "reindex"])
    assert result.exit_code == 0 and "units: 1 नए किए गए" in result.output
    db.session.expire_all()
    assert db.session.get(Unit, division.id).search_key.strip()
