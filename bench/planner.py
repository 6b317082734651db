"""Benchmark of the meeting planner: ``python -m bench.planner`` from the repository root.

A seeded synthetic state at about 70, 1,000 and 5,000 organizational districts (divisions of 3-11
districts, one co-in-charge per two divisions with some divisions sharing two, about 15 % spare
days, a few pins and unavailable people). Each size is planned a few times (median time, garbage
collector off while timing, as timeit does), every plan
is checked with the independent ``bench.plan_check.check``, and the last line printed is one JSON object:
``{"sizes": {"70": s, "1000": s, "5000": s}, "ratio_5000_1000": x, "violations": n}``.
"""

from __future__ import annotations

import gc
import json
import math
import random
import statistics
import sys
import time as clock
from datetime import date, time, timedelta

from bench.plan_check import check
from tracker.meetings.planner import District, Division, PlanRequest, plan

SIZES = (70, 1000, 5000)
RUNS = {70: 9, 1000: 9, 5000: 5}


def _division_sizes(rng: random.Random, n_districts: int) -> list[int]:
    """How many districts each division has: 3-11 each, adding up to ``n_districts``."""
    sizes: list[int] = []
    left = n_districts
    while left > 0:
        s = min(left, rng.randint(3, 11))
        sizes.append(s)
        left -= s
    return sizes


def _divisions(rng: random.Random, sizes: list[int], people: list[int]) -> list[Division]:
    """One co-in-charge per two divisions (some divisions share a second one), a fresh president per
    district; every person made is appended to ``people``."""

    def person() -> int:
        people.append(len(people) + 1)
        return people[-1]

    co = [person() for _k in range(math.ceil(len(sizes) / 2))]
    divisions = []
    for i, s in enumerate(sizes):
        reviewers = [co[i // 2]]
        if rng.random() < 0.1:  # some divisions have a second co-in-charge
            reviewers.append(co[rng.randrange(len(co))])
        districts = [District(f"d{i}_{j}", person()) for j in range(s)]
        divisions.append(Division(f"div{i}", districts, list(dict.fromkeys(reviewers))))
    return divisions


def _unavailable(
    rng: random.Random, people: list[int], dates: list[date], pinned: list[Division]
) -> dict[int, set[date]]:
    """One person in 40 unavailable on one date, except the people of the pinned divisions (so that
    the pins stay possible)."""
    unavailable: dict[int, set[date]] = {}
    for pid in rng.sample(people, max(1, len(people) // 40)):
        unavailable[pid] = {rng.choice(dates)}
    for div in pinned:
        for p in [d.president for d in div.districts] + div.co_incharges:
            unavailable.pop(p, None)
    return unavailable


def make_request(n_districts: int, seed: int = 2025) -> PlanRequest:
    rng = random.Random(seed * 100_003 + n_districts)
    people: list[int] = []
    divisions = _divisions(rng, _division_sizes(rng, n_districts), people)
    n_div = len(divisions)
    per_day = 2
    n_dates = math.ceil(n_div / per_day * 1.15) + 1
    start = date(2025, 9, 22)
    dates = [start + timedelta(days=k) for k in range(n_dates)]
    pins = {dates[0]: [divisions[0].code, divisions[1].code]}
    pinned = divisions[:2]
    if n_div > 6:
        pins[dates[-1]] = [divisions[5].code]
        pinned.append(divisions[5])
    return PlanRequest(
        divisions=divisions,
        dates=dates,
        per_day=per_day,
        pins=pins,
        window=(time(11, 0), time(18, 0)),
        group_minutes=120,
        one_to_one_minutes=15,
        unavailable=_unavailable(rng, people, dates, pinned),
        breaks=[(time(13, 30), time(14, 15)), (time(16, 0), time(16, 15))],  # lunch and tea
    )


def main() -> int:
    results: dict[str, float] = {}
    violations = 0
    for n in SIZES:
        req = make_request(n)
        times = []
        result = None
        for _ in range(RUNS[n]):
            gc.collect()
            gc.disable()  # as timeit does: time the planner, not a collection it happens to trigger
            try:
                t0 = clock.perf_counter()
                result = plan(req)
                times.append(clock.perf_counter() - t0)
            finally:
                gc.enable()
        med = statistics.median(times)
        results[str(n)] = round(med, 4)
        bad = (
            check(result, req)
            if result.days
            else ["no plan: " + "; ".join(f"{p.code} {p.params}" for p in result.problems)]
        )
        violations += len(bad)
        loads = [len(d.one_to_ones) for d in result.days]
        print(
            f"{n:>5} districts, {len(req.divisions)} divisions, {len(req.dates)} dates: "
            f"median {med * 1000:.1f} ms over {RUNS[n]} runs; largest day {max(loads, default=0)} "
            f"districts (average {sum(loads) / max(1, len(loads)):.1f}); violations {len(bad)}"
        )
        for line in bad[:5]:
            print("   ", line)
    ratio = results["5000"] / results["1000"] if results["1000"] else float("inf")
    print(json.dumps({"sizes": results, "ratio_5000_1000": round(ratio, 2), "violations": violations}))
    return 0 if violations == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
