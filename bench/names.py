"""Name-variant benchmark: ``python -m bench.names`` from the repository root.

Reads the real name pairs (``tests/directory/name_pairs.csv``: Devanagari ↔ Latin, from
../shared/data and the directory) and the Latin spelling variants (``tests/directory/name_variants.csv``:
Chaudhary/Choudhary/Chowdhury, Saxena/Saksena, Verma/Varma …) and measures, through the directory's
search on a fresh SQLite database (migrated like production), how often the person is among the
first 20 hits:

* ``latin_finds_devanagari``: a person stored with the Devanagari name only, searched by the Latin one;
* ``devanagari_finds_latin``: stored with the Latin name only, searched by the Devanagari one;
* ``variant_finds_devanagari`` / ``variant_finds_latin``: stored with the Devanagari name, or with the
  usual Latin spelling, searched by a variant;
* ``suggestion_found_by_devanagari``: stored with the Devanagari *suggested* for the Latin name
  (what the form fills in), searched by the real Devanagari spelling; ``suggestion_found_by_latin``
  the other way round.

Also printed, for information (no goal): how often the suggestion is exactly the real spelling.
Human-readable lines first; the LAST line is one JSON object with every rate and the misses; the exit
status is 1 when a rate is below ``GOAL`` (95 %).
"""

from __future__ import annotations

import csv
import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

GOAL = 0.95
LIMIT = 20
DATA = Path(__file__).resolve().parent.parent / "tests" / "directory"


@dataclass
class Rate:
    found: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.found / self.total if self.total else 1.0


def read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _store(names: list[str]) -> list:
    """People with these names, each in its own script only (as an import of one column would leave them)."""
    from tracker.directory.models import Person
    from tracker.directory.phonetic import is_devanagari
    from tracker.directory.search import make_search_key
    from tracker.extensions import db

    people = []
    for name in names:
        script = "name_hi" if is_devanagari(name) else "name_en"
        people.append(Person(**{script: name}, search_key=make_search_key(name)))
    db.session.add_all(people)
    db.session.flush()
    return people


def hit_rate(stored: list[str], queries: list[str]) -> Rate:
    """How often searching ``queries[i]`` finds the person named ``stored[i]`` (all stored at once)."""
    from tracker.directory.search import PERSON, search
    from tracker.extensions import db

    people = _store(stored)
    result = Rate(total=len(queries))
    for person, query, name in zip(people, queries, stored, strict=True):
        if person.id in {hit.id for hit in search(query, limit=LIMIT, kinds=(PERSON,))}:
            result.found += 1
        else:
            result.misses.append(f"{query} → {name}")
    for person in people:
        db.session.delete(person)
    db.session.flush()
    return result


def exact_rate(pairs: list[tuple[str, str]], convert) -> Rate:
    result = Rate(total=len(pairs))
    for source, expected in pairs:
        got = convert(source)
        if got == expected:
            result.found += 1
        else:
            result.misses.append(f"{source} → {got} (usual: {expected})")
    return result


def measure() -> dict[str, Rate]:
    """Every rate; call in an app context with the database migrated (flushes, leaves no rows)."""
    from tracker.directory.translit import to_devanagari, to_latin

    pairs = [(row["latin"], row["devanagari"]) for row in read_csv("name_pairs.csv")]
    variants = read_csv("name_variants.csv")
    latin, hindi = [p[0] for p in pairs], [p[1] for p in pairs]
    return {
        "latin_finds_devanagari": hit_rate(hindi, latin),
        "devanagari_finds_latin": hit_rate(latin, hindi),
        "variant_finds_devanagari": hit_rate([v["devanagari"] for v in variants], [v["variant"] for v in variants]),
        "variant_finds_latin": hit_rate([v["latin"] for v in variants], [v["variant"] for v in variants]),
        "suggestion_found_by_devanagari": hit_rate([to_devanagari(name) for name in latin], hindi),
        "suggestion_found_by_latin": hit_rate([to_latin(name) for name in hindi], latin),
        "suggestion_exact_devanagari": exact_rate(pairs, to_devanagari),
        "suggestion_exact_latin": exact_rate([(h, la) for la, h in pairs], to_latin),
    }


GOALS = ("latin_finds_devanagari", "devanagari_finds_latin", "variant_finds_devanagari", "variant_finds_latin",
         "suggestion_found_by_devanagari", "suggestion_found_by_latin")


def report(rates: dict[str, Rate], log=print) -> dict:
    for name, rate in rates.items():
        goal = f"goal ≥ {GOAL:.0%}" if name in GOALS else "information"
        log(f"{name:32} {rate.found:4}/{rate.total:<4} {rate.rate:7.1%}   ({goal})")
        for miss in rate.misses[:12 if name in GOALS else 6]:
            log(f"    miss: {miss}")
    failing = [name for name in GOALS if rates[name].rate < GOAL]
    return {
        "rates": {name: round(rate.rate, 4) for name, rate in rates.items()},
        "counts": {name: [rate.found, rate.total] for name, rate in rates.items()},
        "misses": {name: rates[name].misses for name in GOALS},
        "goal": GOAL, "failing": failing,
    }


def main() -> int:
    from bench.pages import make_app
    from tracker.commands import upgrade_database

    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(f"sqlite:///{tmp}/names.sqlite", tmp)
        with app.app_context():
            upgrade_database()
            summary = report(measure())
    print(json.dumps(summary, ensure_ascii=False))
    return 1 if summary["failing"] else 0


if __name__ == "__main__":
    sys.exit(main())
