"""Search in both scripts (acceptance 2 of the directory issue)."""

from __future__ import annotations

import pytest

from tests.querycount import count_queries
from tracker.directory import operations as ops
from tracker.directory.search import make_search_key, normalize_tokens, reindex_all, search
from tracker.extensions import db


@pytest.fixture
def people():
    state = ops.create_unit({"code": "mp", "level": "state", "name_en": "Madhya Pradesh", "name_hi": "मध्य प्रदेश"})
    division = ops.create_unit({"code": "mp-narmadapuram", "level": "division", "parent": state,
                                "name_en": "Narmadapuram", "name_hi": "नर्मदापुरम"})
    hindi_only = ops.create_person({"name_hi": "प्रवीण सक्सेना", "name_en": "x", "mobile": "9826012345"})
    hindi_only.name_en = ""  # only the Devanagari name is known
    hindi_only.search_key = make_search_key(hindi_only.name_hi)
    latin_only = ops.create_person({"name_en": "Pravin Saxena", "name_hi": "x", "mobile": "9826012346"})
    latin_only.name_hi = ""
    latin_only.search_key = make_search_key(latin_only.name_en)
    other = ops.create_person({"name_en": "Sanjay Dutt", "name_hi": "संजय दत्त", "mobile": "9826012347"})
    db.session.commit()
    return {"hindi": hindi_only, "latin": latin_only, "other": other, "division": division}


@pytest.mark.parametrize("query", ["praveen", "Pravin", "PRAVEEN", "प्रवीण", "saxena", "सक्सेना", "praveen saxena",
                                   "प्रवीण सक्सेना", "prav", "sax"])
def test_name_in_either_script_finds_both_spellings(people, query):
    ids = {hit.id for hit in search(query) if hit.kind == "person"}
    assert ids == {people["hindi"].id, people["latin"].id}


@pytest.mark.parametrize("query", ["narmada", "Narmadapuram", "नर्मदा", "नर्मदापुरम"])
def test_place_names(people, query):
    hits = search(query)
    assert [(h.kind, h.id) for h in hits] == [("unit", people["division"].id)]
    assert hits[0].code == "mp-narmadapuram" and hits[0].name_hi == "नर्मदापुरम"


def test_every_word_must_match(people):
    assert search("praveen dutt") == []
    assert {h.id for h in search("sanjay")} == {people["other"].id}


def test_unit_code_and_kinds(people):
    assert [h.kind for h in search("mp-narmadapuram")] == ["unit"]
    assert all(h.kind == "unit" for h in search("narmada", kinds=("unit",)))
    assert search("narmada", kinds=("person",)) == []


def test_archived_hidden_unless_asked(people):
    ops.update_person(people["other"], {})
    people["other"].is_archived = True
    db.session.commit()
    assert search("sanjay") == []
    assert [h.id for h in search("sanjay", include_archived=True)] == [people["other"].id]


def test_current_posts_come_with_a_person_hit(people):
    from datetime import date

    district = ops.create_unit({"code": "mp-hoshangabad", "level": "district", "parent": people["division"],
                                "name_en": "Narmadapuram", "name_hi": "नर्मदापुरम"})
    ops.appoint(people["other"], district, "district_president", date(2025, 8, 16))
    db.session.commit()
    (hit,) = search("sanjay")
    assert [p["unit_id"] for p in hit.extra["posts"]] == [district.id]


def test_spelling_folds():
    pairs = [("Jabalpur", "जबलपुर"), ("Chhindwara", "छिंदवाड़ा"), ("Indore", "इंदौर"), ("Ujjain", "उज्जैन"),
             ("Hoshangabad", "होशंगाबाद"), ("Lakshmi", "लक्ष्मी"), ("Laxmi", "लक्ष्मी"), ("Singh", "सिंह"),
             ("Dubey", "दुबे"), ("Pandey", "पांडेय"), ("Shahdol", "शहडोल"), ("Tikamgarh", "टीकमगढ़"),
             ("Krishna", "कृष्ण"), ("Chauhan", "चौहान"), ("Rewa", "रीवा")]
    for latin, hindi in pairs:
        assert normalize_tokens(latin) == normalize_tokens(hindi), (latin, hindi)
    assert make_search_key("") == ""
    assert make_search_key("Bhopal-City", "भोपाल शहर").startswith(" ") and make_search_key("x").endswith(" ")


def test_query_count_is_bounded(people):
    for n in range(40):
        ops.create_person({"name_en": f"Praveen Kumar {n}", "name_hi": "प्रवीण कुमार", "mobile": f"98260{n:05d}"})
    db.session.commit()
    with count_queries() as counter:
        hits = search("praveen", limit=20)
    assert len([h for h in hits if h.kind == "person"]) == 20
    assert counter.count <= 3


def test_reindex_recomputes_keys(people):
    people["other"].search_key = " stale "
    db.session.commit()
    counts = reindex_all()
    db.session.commit()
    assert counts["people"] == 1
    assert {h.id for h in search("dutt")} == {people["other"].id}


def test_higher_units_and_whole_words_come_first(people):
    division = people["division"]
    block_parent = ops.create_unit({"code": "mp-itarsi", "level": "district", "parent": division,
                                    "name_en": "Itarsi", "name_hi": "इटारसी"})
    ops.create_unit({"code": "mp-narmada-block", "level": "block", "parent": block_parent,
                     "name_en": "Narmada Nagar", "name_hi": "नर्मदा नगर"})
    db.session.commit()
    assert [h.code for h in search("narmada")] == ["mp-narmada-block", "mp-narmadapuram"]  # whole word first
    assert [h.code for h in search("narm")] == ["mp-narmadapuram", "mp-narmada-block"]  # then by level
