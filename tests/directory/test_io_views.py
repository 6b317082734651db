"""Import and export pages: policy, preview, commit, downloads."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa

from tests.factories import make_user
from tracker.directory import operations as ops
from tracker.directory.models import Unit
from tracker.extensions import db

UNITS = (
    "Code,Level,District kind,Name (Hindi),Name (English),Parent code\n"
    "mp-sehore,district,whole,सीहोर,Sehore,mp-bhopal\n"
)
BAD_UNITS = UNITS + "mp-vidisha,district,whole,विदिशा,Vidisha,mp-nowhere\n"


def _world():
    state = ops.create_unit({"code": "mp", "level": "state", "name_en": "Madhya Pradesh", "name_hi": "मध्य प्रदेश"})
    ops.create_unit({"code": "mp-bhopal", "level": "division", "parent": state, "name_en": "Bhopal", "name_hi": "भोपाल"})
    db.session.commit()


def _upload(client, text: str, name: str = "units.csv"):
    return client.post("/directory/import", data={"file": (io.BytesIO(text.encode()), name)},
                       content_type="multipart/form-data")


def _unit_codes() -> set[str]:
    return set(db.session.scalars(sa.select(Unit.code)))


def test_denials(client, auth):
    assert client.get("/directory/import").status_code == 302
    assert client.get("/directory/export/units.csv").status_code == 302
    for role in ("president", "coordinator", "incharge"):
        make_user(role, f"u_{role}")
        auth.login(f"u_{role}")
        assert client.get("/directory/import").status_code == 403
        assert client.get("/directory/export/people.xlsx").status_code == 403
        assert client.post("/directory/import/commit", data={"token": "0" * 32, "ext": "csv"}).status_code == 403
        auth.logout()


def test_preview_then_commit(client, auth):
    _world()
    make_user("office", "office")
    auth.login("office")
    assert client.get("/directory/import").status_code == 200
    response = _upload(client, UNITS)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "mp-sehore" in html
    assert _unit_codes() == {"mp", "mp-bhopal"}
    token = re.search(r'name="token"[^>]*value="([0-9a-f]{32})"', html) or re.search(
        r'value="([0-9a-f]{32})"[^>]*name="token"', html)
    response = client.post("/directory/import/commit", data={"token": token.group(1), "ext": "csv",
                                                             "filename": "units.csv"})
    assert response.status_code == 302
    assert "mp-sehore" in _unit_codes()
    # the kept file is gone after the commit
    again = client.post("/directory/import/commit", data={"token": token.group(1), "ext": "csv"})
    assert again.status_code == 302 and "mp-sehore" in _unit_codes()


def test_bad_file_shows_errors_and_no_commit_button(client, auth):
    _world()
    make_user("admin", "admin")
    auth.login("admin")
    html = _upload(client, BAD_UNITS).get_data(as_text=True)
    assert "mp-nowhere" in html and "/directory/import/commit" not in html
    assert _unit_codes() == {"mp", "mp-bhopal"}
    assert _upload(client, "hello", "notes.txt").status_code == 400
    assert _upload(client, "a,b\n1,2\n", "x.csv").status_code == 400


def test_commit_refuses_a_forged_token(client, auth):
    make_user("office", "office")
    auth.login("office")
    assert client.post("/directory/import/commit", data={"token": "../../etc/passwd", "ext": "csv"}).status_code == 400


def test_exports_and_templates_download(client, auth):
    _world()
    make_user("office", "office")
    auth.login("office")
    response = client.get("/directory/export/units.csv")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert "mp-bhopal" in response.get_data().decode("utf-8-sig")
    xlsx = client.get("/directory/export/posts.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    template = client.get("/directory/import/template/people.csv?lang=hi").get_data().decode("utf-8-sig")
    assert template.startswith("आईडी,")
    assert client.get("/directory/export/secrets.csv").status_code == 404
