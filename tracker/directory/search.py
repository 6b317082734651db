"""Script-independent search over units and people.

Every unit and person stores a ``search_key``: the space-separated, normalized
tokens of all its names (and code), padded with a space on both sides
(`` tok1 tok2 ``).  Normalizing maps Devanagari and Latin spellings of the same
name to the same token:

1. Devanagari runs are transliterated to Harvard-Kyoto with
   ``indic_transliteration`` (nukta dropped, ड़/ढ़ read as r, anusvara as n,
   ऋ as ri, श/ष as s); Latin runs are lower-cased.
2. Both then go through one phonetic fold: x→ks, q→k, z→j, w→v, y→i, ph→f,
   ee→i, oo→u, ou/au→o, e→i (Rewa/रीवा, Betul/बैतूल), the h of aspirates is
   dropped (bh→b, sh→s, chh→c), ng→n, m before b/p → n, jn→gy, doubled
   letters collapse, every ``a`` is dropped (which also removes the schwa that
   Hindi does not pronounce: जबलपुर → jabalapura and "Jabalpur" both give
   ``jblpur``) and a final i is dropped (Indore/इंदौर, Dubey/दुबे).

So "praveen", "Pravin" and "प्रवीण" all give ``prvin``; "saxena" and "सक्सेना"
give ``sksin``.  A query is normalized the same way and each query token must
be a prefix of some stored token: ``search_key LIKE '% tok%'``, all in SQL, so
a search costs a fixed number of queries however many rows exist.  The fold is
deliberately lossy (recall over precision): a name search should rather show
one extra hit than miss the person the office is looking for.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import sqlalchemy as sa
from indic_transliteration import sanscript
from sqlalchemy.orm import aliased

from tracker.directory.models import Person, Post, PostRole, Unit, UnitLevel
from tracker.extensions import db
from tracker.i18n import name_order

_DEVANAGARI = "\u0900-\u097f"
_RUN = re.compile(rf"[{_DEVANAGARI}]+|[^\W_{_DEVANAGARI}]+")
_NUKTA = "\u093c"
_DROP = dict.fromkeys(map(ord, "\u200c\u200d"))  # ZWNJ, ZWJ
# Harvard-Kyoto letters (case-sensitive) → plain Latin, applied before lower-casing.
_HK = (("R", "ri"), ("z", "s"), ("S", "s"), ("M", "n"), ("G", "n"), ("J", "n"), ("H", ""))
_FOLD = (
    ("x", "ks"), ("q", "k"), ("z", "j"), ("w", "v"), ("y", "i"), ("ph", "f"), ("ck", "k"),
    ("ee", "i"), ("oo", "u"), ("ou", "o"), ("au", "o"), ("jn", "gy"), ("e", "i"),
)
_ASPIRATE = re.compile(r"(?<=[bcdgjklmnprstv])h+")
_NASAL = re.compile(r"m(?=[bp])")
_DOUBLE = re.compile(r"(.)\1+")


def _latinize_devanagari(run: str) -> str:
    run = unicodedata.normalize("NFD", run)
    run = run.replace("\u0921" + _NUKTA, "\u0930").replace("\u0922" + _NUKTA, "\u0930")
    run = run.replace(_NUKTA, "")
    text = sanscript.transliterate(run, sanscript.DEVANAGARI, sanscript.HK)
    for hk, latin in _HK:
        text = text.replace(hk, latin)
    return text.lower()


@lru_cache(maxsize=65536)
def normalize_token(run: str) -> str:
    """The normalized form of one word (Devanagari or Latin); may be empty. Cached: names repeat a lot
    and transliteration is the slow part."""
    if re.match(rf"[{_DEVANAGARI}]", run):
        text = _latinize_devanagari(run)
    else:
        text = unicodedata.normalize("NFKD", run.lower())
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for old, new in _FOLD:
        text = text.replace(old, new)
    text = _ASPIRATE.sub("", text)
    text = text.replace("ng", "n")
    text = _NASAL.sub("n", text)
    text = _DOUBLE.sub(r"\1", _DOUBLE.sub(r"\1", text).replace("a", ""))
    if len(text) > 1 and text.endswith("i"):
        text = text[:-1]
    return re.sub(r"[^a-z0-9]", "", text)


def normalize_tokens(*texts: str | None) -> list[str]:
    """Distinct normalized tokens of the texts, in order of appearance."""
    tokens: dict[str, None] = {}
    for text in texts:
        for run in _RUN.findall((text or "").translate(_DROP)):
            token = normalize_token(run)
            if token:
                tokens[token] = None
    return list(tokens)


def make_search_key(*texts: str | None) -> str:
    """The stored search key of an entity with these names/codes: `` tok1 tok2 ``."""
    tokens = normalize_tokens(*texts)
    return f" {' '.join(tokens)} " if tokens else ""


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


def _match_clause(column, tokens: Sequence[str]):
    return sa.and_(*(column.like(f"% {token}%") for token in tokens))


def _rank(column, tokens: Sequence[str]):
    """Whole-word matches of the first token first, then prefix matches."""
    return sa.case((column.like(f"% {tokens[0]} %"), 0), else_=1)


# Higher units first: a state before its divisions, districts and blocks.
_LEVEL_RANK = sa.case(*((Unit.level == level, n) for n, level in enumerate(UnitLevel)), else_=len(UnitLevel))


def _unit_hits(tokens: Sequence[str], limit: int, include_archived: bool) -> list[Hit]:
    parent = aliased(Unit)
    query = (
        sa.select(Unit.id, Unit.code, Unit.name_hi, Unit.name_en, Unit.level, Unit.is_archived,
                  parent.name_hi, parent.name_en)
        .outerjoin(parent, parent.id == Unit.parent_id)
        .where(_match_clause(Unit.search_key, tokens))
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


def _person_hits(tokens: Sequence[str], limit: int, include_archived: bool) -> list[Hit]:
    query = (
        sa.select(Person.id, Person.name_hi, Person.name_en, Person.mobile, Person.is_archived)
        .where(_match_clause(Person.search_key, tokens))
        .order_by(_rank(Person.search_key, tokens), *name_order(Person), Person.id)
        .limit(limit)
    )
    if not include_archived:
        query = query.where(Person.is_archived.is_(False))
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
    tokens = normalize_tokens(text)
    if not tokens:
        return []
    hits: list[Hit] = []
    if UNIT in kinds:
        hits += _unit_hits(tokens, limit, include_archived)
    if PERSON in kinds:
        hits += _with_current_posts(_person_hits(tokens, limit, include_archived))
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
    return counts
