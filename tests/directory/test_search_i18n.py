"""Search, import and export pages in Hindi: no English UI text leaks into their main content."""

from __future__ import annotations

import io

from tests.factories import make_user
from tests.i18n_support import english_leaks
from tracker.directory import operations as ops
from tracker.extensions import db


def test_search_and_import_pages_have_no_english_in_hindi(client, auth):
    state = ops.create_unit({"code": "mp", "level": "state", "name_en": "Madhya Pradesh", "name_hi": "मध्य प्रदेश"})
    ops.create_unit({"code": "mp-bhopal", "level": "division", "parent": state, "name_en": "Bhopal", "name_hi": "भोपाल"})
    ops.create_person({"name_en": "Praveen Saxena", "name_hi": "प्रवीण सक्सेना", "mobile": "9826012345"})
    db.session.commit()
    make_user("office", "office_hi")
    auth.login("office_hi")
    client.post("/locale", data={"locale": "hi"})
    bad_file = ("कोड,स्तर,नाम (हिन्दी),नाम (अंग्रेज़ी),ऊपर की इकाई का कोड\n"
                "mp-x,district,क,X,nowhere\nmp-sehore,district,सीहोर,Sehore,mp-bhopal\n").encode()
    pages = {
        "/search?q=praveen": client.get("/search?q=praveen"),
        "/search?q=zzz": client.get("/search?q=zzz"),
        "/directory/import": client.get("/directory/import"),
        "preview": client.post("/directory/import", data={"file": (io.BytesIO(bad_file), "u.csv")},
                               content_type="multipart/form-data"),
    }
    for url, response in pages.items():
        html = response.get_data(as_text=True)
        assert 'lang="hi"' in html, url
        main = html.split("<main", 1)[1].split("</main>", 1)[0]  # these pages' own text; the menu is shared
        assert english_leaks(main) == [], f"{url}: {english_leaks(main)}"
    assert "nowhere" in pages["preview"].get_data(as_text=True)
