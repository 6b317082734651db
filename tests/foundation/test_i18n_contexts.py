"""Words with two meanings have one catalog entry per meaning (pgettext contexts), and the catalog
tools keep the senses apart (issue 15)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from flask_babel import force_locale

from tests.factories import make_unit, make_user
from tracker.i18n import _ as gettext
from tracker.i18n import pgettext
from tracker.i18n_check import fill, load, missing, problems, save

ROOT = Path(__file__).resolve().parents[2]
HI = ROOT / "translations" / "hi" / "LC_MESSAGES" / "messages.po"

# Found by a review of the catalog: English words that the app uses in two senses with two Hindi words.
# Every use of such a word names its sense; a bare ``_("State")`` would bring back the outbox's
# "State" column reading प्रदेश (the geographic state) instead of स्थिति (a message's state).
AMBIGUOUS = {
    "State": {"status": "स्थिति", "unit level": "प्रदेश"},
    # the outbox's sending (the activity, a section) and a message being sent (its state)
    "Sending": {"activity": "संदेश भेजना", "status": "भेजा जा रहा है"},
    # an action item that is done (its state) and the button that marks a problem as dealt with
    "Done": {"status": "पूरा हुआ", "button": "हो गया"},
    # who chairs a session ("Chair: …", the chairing) and the person invited as its chair ("invited as …")
    "Chair": {None: "अध्यक्षता", "invitee role": "सत्र अध्यक्ष"},
}


# Reviewed and found in one sense only (issue 15's review of the catalog): the Hindi of that sense. A
# second sense needs a context (and a line in AMBIGUOUS), not a new Hindi word for both.
ONE_SENSE = {
    "Post": "पद",  # a position in a unit (never "to post")
    "Session": "सत्र",  # a sitting of a meeting (never a login session)
    "Division": "संभाग",  # the revenue division (never a part or a split)
    "Present": "उपस्थित",  # attendance (never "to present")
    "Status": "स्थिति",
    "Level": "स्तर",  # of a unit
    "Unit": "इकाई",  # of the party
    "Order": "क्रम",  # a position in a list (never a command)
    "Open": "खुला",  # an action item's state
    "Minutes": "मिनट",  # a duration (never the minutes of a meeting)
    "Reply": "जवाब",
    "Draft": "प्रारूप",
}


def test_the_reviewed_words_keep_their_one_sense():
    catalog = load(HI)
    assert {word: catalog.get(word).string for word in ONE_SENSE} == ONE_SENSE


def test_each_sense_of_an_ambiguous_word_has_its_own_pinned_hindi(app):
    with force_locale("hi"):
        assert pgettext("status", "State") == "स्थिति"
        assert pgettext("unit level", "State") == "प्रदेश"
        for word, senses in AMBIGUOUS.items():
            for context, hindi in senses.items():
                assert (pgettext(context, word) if context else gettext(word)) == hindi
    with force_locale("en"):
        assert pgettext("status", "State") == pgettext("unit level", "State") == "State"


def test_no_ambiguous_word_is_used_without_its_sense():
    catalog = load(HI)
    for word, senses in AMBIGUOUS.items():
        entries = {msg.context: msg.string for msg in catalog if msg.id == word}
        if None not in senses:
            assert None not in entries, f"{word!r} is used without a context at {catalog.get(word).locations}"
        assert entries == senses


def test_the_outbox_state_column_reads_sthiti_and_the_unit_level_pradesh(client, auth):
    make_user("office", "office", locale="hi")
    make_unit("state", name_hi="मध्य प्रदेश", name_en="Madhya Pradesh")
    auth.login("office")
    outbox = client.get("/outbox/").get_data(as_text=True)
    assert '<label for="state">स्थिति</label>' in outbox  # the filter of a message's state
    assert ">प्रदेश<" not in outbox
    units = client.get("/directory/units").get_data(as_text=True)
    assert '<option value="state">प्रदेश</option>' in units and '<td data-label="स्तर">प्रदेश</td>' in units


def test_the_enum_titles_take_their_sense(app):
    from tracker.meetings.models import InvitationKind
    from tracker.reminders.models import MessageState
    from tracker.reviews.models import ItemStatus

    with force_locale("hi"):
        assert str(InvitationKind.CHAIR.title) == "सत्र अध्यक्ष"
        assert str(MessageState.SENDING.title) == "भेजा जा रहा है"
        assert str(ItemStatus.DONE.title) == "पूरा हुआ"


def _catalog_file(tmp_path) -> Path:
    catalog = Catalog(locale="hi")
    catalog.add("State", context="status")
    catalog.add("State", context="unit level")
    catalog.add("Name")
    path = tmp_path / "hi" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    save(catalog, path)
    return path


def test_the_catalog_tools_keep_the_senses_apart(tmp_path):
    path = _catalog_file(tmp_path)
    assert {(m.get("context"), m["id"]) for m in missing(path)} == {("status", "State"), ("unit level", "State"),
                                                                     (None, "Name")}
    assert "(context 'status')" in "\n".join(problems(tmp_path))
    # A bare msgid fills only the entry without a context; a sense is filled by "context\x04msgid".
    assert fill(path, {"State": "प्रदेश", "Name": "नाम"}) == 1
    assert fill(path, {"status\x04State": "स्थिति", "unit level\x04State": "प्रदेश"}) == 2
    assert {(m.context, m.string) for m in load(path) if m.id == "State"} == {("status", "स्थिति"),
                                                                              ("unit level", "प्रदेश")}
    assert problems(tmp_path) == []
