"""Script-independent search over units and people.

Every unit and person stores a ``search_key``: the space-separated tokens of all its names (and
code), padded with a space on both sides (`` tok1 tok2 ``). Each word gives two tokens:

* its *literal* form: lower-case Latin without diacritics, or Devanagari without nukta
  (``verma``, ``वर्मा``), so that what was typed, in its own script, can match exactly;
* its *phonetic* key (:func:`tracker.directory.phonetic.phonetic_key`): a consonant skeleton that
  both scripts and the common Latin variants share (Verma, Varma and वर्मा give ``vrm``; Chaudhary,
  Choudhary, Chowdhury and चौधरी give ``cdr``);

and each two neighbouring words of a name, apart by a space, give the key of the two written as one
(Shanti Lal → ``sntl``, as शांतिलाल), which a query of several words may match as a whole.

A query is split the same way; each query word's phonetic key must be a prefix of some stored token
(``search_key LIKE '% vrm%'``; a Devanagari word's literal form may be one instead), all in SQL, so a search
costs a fixed number of queries however many rows exist. Hits are ranked by how they matched (the
sum over the query's words): the literal word exactly, then a literal prefix, then the phonetic key
exactly, then a phonetic prefix. When the key format changes, a migration recomputes every stored
key (0011 does) and ``tracker directory reindex`` (:func:`reindex_all`) does the same by hand.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from tracker.directory import search_index
from tracker.directory.models import Person, Post, PostRole, Unit, UnitLevel
from tracker.directory.phonetic import DEVANAGARI, is_devanagari, phonetic_key, plain_latin
from tracker.extensions import db
from tracker.i18n import name_order

_RUN = re.compile(rf"[{DEVANAGARI}]+|[^\W_{DEVANAGARI}]+")
_DROP = dict.fromkeys(map(ord, "\u200c\u200d"))  # ZWNJ, ZWJ
_NUKTA = "\u093c"


def literal_token(run: str) -> str:
    """What was typed, as stored for exact matching: lower-case Latin without diacritics, Devanagari without nukta."""
    if is_devanagari(run):
        return unicodedata.normalize("NFC", unicodedata.normalize("NFD", run).replace(_NUKTA, ""))
    return re.sub(r"[^a-z0-9]", "", plain_latin(run))


@dataclass(frozen=True)
class Term:
    """One word of a name or query: its literal form and its phonetic key."""

    literal: str
    key: str
    run: str = field(default="", compare=False)


def terms(*texts: str | None) -> list[Term]:
    """The distinct words of the texts, in order of appearance."""
    found: dict[Term, None] = {}
    for text in texts:
        for run in _RUN.findall((text or "").translate(_DROP)):
            term = Term(literal_token(run), phonetic_key(run), run)
            if term.literal or term.key:
                found[term] = None
    return list(found)


def normalize_tokens(*texts: str | None) -> list[str]:
    """Distinct phonetic keys of the texts, in order of appearance."""
    return list(dict.fromkeys(term.key for term in terms(*texts) if term.key))


def joined_key(words: Sequence[Term]) -> str:
    """The phonetic key of words written as one (Shanti Lal and शांतिलाल, हर्ष विजय and Harshvijay)."""
    scripts = {is_devanagari(term.run) for term in words}
    return phonetic_key("".join(term.run for term in words)) if len(scripts) == 1 else ""


def _spaced_words(text: str | None) -> list[Term | None]:
    """Each space-separated part of ``text`` as one word, or None for a part of several (Presid_nt, Bhopal-City):
    only words apart by a space may be written together."""
    parts = [_RUN.findall(part) for part in (text or "").translate(_DROP).split()]
    return [Term(literal_token(runs[0]), phonetic_key(runs[0]), runs[0]) if len(runs) == 1 else None
            for runs in parts if runs]


def _neighbours_joined(text: str | None) -> list[str]:
    words = _spaced_words(text)
    return [joined_key(pair) for pair in zip(words, words[1:], strict=False) if None not in pair]


def make_search_key(*texts: str | None) -> str:
    """The stored search key of an entity with these names/codes: `` tok1 tok2 ``.

    Literal words, then phonetic keys, then the phonetic keys of each two neighbouring words of a name joined.
    """
    tokens: dict[str, None] = {}
    per_text = [terms(text) for text in texts]
    for words in per_text:
        tokens.update(dict.fromkeys(t.literal for t in words if t.literal))
    for words in per_text:
        tokens.update(dict.fromkeys(t.key for t in words if t.key))
    for text in texts:
        tokens.update(dict.fromkeys(_neighbours_joined(text)))
    tokens.pop("", None)
    return f" {' '.join(tokens)} " if tokens else ""


def _prefix(column, token: str):
    return column.like(f"% {token}%") if token else sa.false()


def _word_match(column, term: Term):
    """The word's key is a prefix of a stored token. A Latin word whose literal form is a prefix has a key that
    is one too; a Devanagari one may not (शं… is sn, शंभू smb), so its literal form is tried as well."""
    if term.key and not is_devanagari(term.run):
        return _prefix(column, term.key)
    return sa.or_(_prefix(column, term.literal), _prefix(column, term.key))


def _query(text: str) -> tuple[list[Term], str]:
    """The words of a query and, for two words or more apart by spaces, their key written as one."""
    words = terms(text)
    spaced = _spaced_words(text)
    together = joined_key(spaced) if len(spaced) > 1 and None not in spaced else ""
    return words, together


def _words_match(column, words: Sequence[Term], together: str = ""):
    """Every word is a literal or phonetic prefix of a token, or the words written as one are."""
    each = sa.and_(*(_word_match(column, term) for term in words))
    return sa.or_(each, _prefix(column, together)) if together else each


def _word_patterns(term: Term) -> list[str]:
    """The LIKE patterns of which one matches when :func:`_word_match` does."""
    tokens = [term.key] if term.key and not is_devanagari(term.run) else [term.literal, term.key]
    return [f"% {token}%" for token in tokens if token]


def _indexed(table: str, id_column, words: Sequence[Term], together: str = ""):
    """The rows the database's search index says may match (see :mod:`tracker.directory.search_index`), by the
    query word whose patterns are the most selective; None when the index serves the LIKE itself or no word
    has patterns long enough. Every matching row passes it, so adding it changes no result."""
    dialect = db.session.get_bind().dialect.name
    extra = [f"% {together}%"] if together else []
    best = max(((_word_patterns(term) + extra) for term in words),
               key=lambda patterns: min(len(p) for p in patterns), default=[])
    return search_index.restrict(dialect, table, id_column, best)


def _with_index(table: str, id_column, column, words: Sequence[Term], together: str = ""):
    clause = _words_match(column, words, together)
    restriction = _indexed(table, id_column, words, together)
    return clause if restriction is None else sa.and_(restriction, clause)


def match_clause(column, text: str):
    """SQL: ``text`` matches the search key in ``column`` (see :func:`_words_match`); None if it has no words."""
    words, together = _query(text)
    return _words_match(column, words, together) if words else None


def _term_rank(column, term: Term):
    whole = [(column.like(f"% {term.literal} %"), 0), (column.like(f"% {term.literal}%"), 1)] if term.literal else []
    return sa.case(*whole, (column.like(f"% {term.key} %"), 2), else_=3)


def _rank(column, words: Sequence[Term]):
    """Exact words first, then literal prefixes, then phonetic matches (summed over the query's words)."""
    rank = _term_rank(column, words[0])
    for term in words[1:]:
        rank = rank + _term_rank(column, term)
    return rank


@dataclass(frozen=True)
class Hit:
    kind: str  # "unit" or "person"
    id: int
    code: str | None
    name_hi: str
    name_en: str
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        data = {"kind": self.kind, "id": self.id, "name_hi": self.name_hi, "name_en": self.name_en}
        if self.kind == "unit":
            data["code"] = self.code
        data.update(self.extra)
        return data


UNIT = "unit"
PERSON = "person"
KINDS = (UNIT, PERSON)


def unit_search_key(unit: Unit) -> str:
    return make_search_key(unit.name_hi, unit.name_en, unit.code)


def person_search_key(person: Person) -> str:
    return make_search_key(person.name_hi, person.name_en)


# Higher units first: a state before its divisions, districts and blocks.
_LEVEL_RANK = sa.case(*((Unit.level == level, n) for n, level in enumerate(UnitLevel)), else_=len(UnitLevel))


def _unit_hits(tokens: Sequence[Term], together: str, limit: int, include_archived: bool) -> list[Hit]:
    parent = aliased(Unit)
    query = (
        sa.select(Unit.id, Unit.code, Unit.name_hi, Unit.name_en, Unit.level, Unit.is_archived,
                  parent.name_hi, parent.name_en)
        .outerjoin(parent, parent.id == Unit.parent_id)
        .where(_with_index("units", Unit.id, Unit.search_key, tokens, together))
        .order_by(_rank(Unit.search_key, tokens), _LEVEL_RANK, Unit.name_en, Unit.id)
        .limit(limit)
    )
    if not include_archived:
        query = query.where(Unit.is_archived.is_(False))
    return [
        Hit(UNIT, row[0], row[1], row[2], row[3],
            {"level": str(row[4]), "archived": row[5], "parent_name_hi": row[6], "parent_name_en": row[7]})
        for row in db.session.execute(query)
    ]


def person_query(text: str, limit: int = 20, include_archived: bool = False) -> sa.Select | None:
    """The SQL of :func:`search`'s people (None for a query without words): to EXPLAIN it."""
    tokens, together = _query(text)
    return _person_query(tokens, together, limit, include_archived) if tokens else None


def _person_query(tokens: Sequence[Term], together: str, limit: int, include_archived: bool) -> sa.Select:
    query = (
        sa.select(Person.id, Person.name_hi, Person.name_en, Person.mobile, Person.is_archived)
        .where(_with_index("people", Person.id, Person.search_key, tokens, together))
        .order_by(_rank(Person.search_key, tokens), *name_order(Person), Person.id)
        .limit(limit)
    )
    if not include_archived:
        query = query.where(Person.is_archived.is_(False))
    return query


def _person_hits(tokens: Sequence[Term], together: str, limit: int, include_archived: bool) -> list[Hit]:
    query = _person_query(tokens, together, limit, include_archived)
    return [
        Hit(PERSON, row[0], None, row[1], row[2], {"mobile": row[3], "archived": row[4]})
        for row in db.session.execute(query)
    ]


def search(
    text: str, limit: int = 20, kinds: Sequence[str] = KINDS, include_archived: bool = False
) -> list[Hit]:
    """Units and people whose names match every word of ``text`` (one SQL query per kind).

    Units come before people; each kind returns at most ``limit`` hits.
    """
    tokens, together = _query(text)
    if not tokens:
        return []
    hits: list[Hit] = []
    if UNIT in kinds:
        hits += _unit_hits(tokens, together, limit, include_archived)
    if PERSON in kinds:
        hits += _with_current_posts(_person_hits(tokens, together, limit, include_archived))
    return hits


def _with_current_posts(hits: list[Hit]) -> list[Hit]:
    """Add each person's current posts (role and unit, both scripts): one query for all hits."""
    if not hits:
        return hits
    from tracker.directory.queries import current_post_clause
    from tracker.timeutil import today_local

    query = (
        sa.select(Post.person_id, PostRole.code, PostRole.title_hi, PostRole.title_en, Unit.id, Unit.name_hi,
                  Unit.name_en)
        .join(PostRole, PostRole.id == Post.role_id)
        .join(Unit, Unit.id == Post.unit_id)
        .where(Post.person_id.in_([hit.id for hit in hits]), current_post_clause(today_local()))
        .order_by(PostRole.sort_order, Post.start_date)
    )
    posts: dict[int, list[dict]] = {}
    for person_id, code, title_hi, title_en, unit_id, unit_hi, unit_en in db.session.execute(query):
        posts.setdefault(person_id, []).append(
            {"role": code, "title_hi": title_hi, "title_en": title_en, "unit_id": unit_id,
             "unit_name_hi": unit_hi, "unit_name_en": unit_en}
        )
    for hit in hits:
        hit.extra["posts"] = posts.get(hit.id, [])
    return hits


def reindex_all(batch_size: int = 1000) -> dict[str, int]:
    """Recompute every stored search key (after a change of the normalization); flushes only.

    Uses bulk UPDATEs by primary key, so the audit trail is not flooded with key changes.
    """
    counts = {}
    for model, key in ((Unit, unit_search_key), (Person, person_search_key)):
        batch: list[dict] = []
        for entity in db.session.scalars(sa.select(model).execution_options(yield_per=batch_size)):
            new_key = key(entity)
            if new_key != entity.search_key:
                batch.append({"id": entity.id, "search_key": new_key})
        for start in range(0, len(batch), batch_size):
            db.session.execute(sa.update(model), batch[start:start + batch_size])
        counts[model.__tablename__] = len(batch)
    db.session.flush()
    search_index.rebuild(db.session.connection())
    return counts
