"""Every "now" of the app goes through its one clock (``tracker/timeutil.py``).

The source is read, not run: a call that reads the system clock by itself (``datetime.now()``,
``date.today()``, ``time.time()``, ``formatdate()`` without a time …) anywhere in ``tracker/`` or
``bench/`` outside the clock module would escape the ``NOW`` setting that tests and demos fix.
Migrations are frozen history and run without the app, so they are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLOCK_MODULE = "tracker/timeutil.py"  # now_utc(), today_local() and wall_now() (liveness only)
SKIPPED = ("tracker/migrations/",)

# (module, name) whose call without a time argument reads the system clock; the number is how many
# positional arguments it takes before the time one (None: any call reads the clock).
IMPLICIT_NOW = {
    ("datetime", "now"): None, ("datetime", "utcnow"): None, ("datetime", "today"): None,
    ("date", "today"): None,
    ("time", "time"): None, ("time", "time_ns"): None,
    ("time", "localtime"): 0, ("time", "gmtime"): 0, ("time", "ctime"): 0, ("time", "asctime"): 0,
    ("time", "strftime"): 1,
    ("email.utils", "formatdate"): 0, ("email.utils", "localtime"): 0,
}
CLASS_PATHS = {"datetime.datetime", "datetime.date"}  # the classes that carry the clock methods
TIME_KEYWORDS = {"timeval", "secs", "t", "dt"}  # a time handed in by name


def _sources() -> list[Path]:
    files = sorted((ROOT / "tracker").rglob("*.py")) + sorted((ROOT / "bench").rglob("*.py"))
    return [f for f in files if not f.relative_to(ROOT).as_posix().startswith(SKIPPED)]


class _NowFinder(ast.NodeVisitor):
    """Resolves the names a module imported (``from datetime import datetime as dt``, ``import time as t``)
    and reports each call that reads the system clock."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}  # local name -> "module" or "module.attribute"
        self.found: list[tuple[int, str]] = []

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.names[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            self.names[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def _dotted(self, node: ast.AST) -> str | None:
        if isinstance(node, ast.Name):
            return self.names.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self._dotted(node.value)
            return f"{base}.{node.attr}" if base else None
        return None

    def visit_Call(self, node: ast.Call) -> None:
        dotted = self._dotted(node.func)
        if dotted and "." in dotted:
            owner, name = dotted.rsplit(".", 1)
            if owner in CLASS_PATHS:
                owner = owner.rsplit(".", 1)[1]  # datetime.datetime -> datetime, datetime.date -> date
            key = (owner, name)
            if key in IMPLICIT_NOW:
                before = IMPLICIT_NOW[key]
                explicit = before is not None and (
                    len(node.args) > before or any(k.arg in TIME_KEYWORDS for k in node.keywords))
                if not explicit:
                    self.found.append((node.lineno, dotted))
        self.generic_visit(node)


def implicit_nows(path: Path) -> list[str]:
    finder = _NowFinder()
    finder.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    rel = path.relative_to(ROOT).as_posix()
    return [f"{rel}:{line}: {call}()" for line, call in finder.found]


def test_every_now_goes_through_the_one_clock():
    found = [hit for path in _sources() if path.relative_to(ROOT).as_posix() != CLOCK_MODULE
             for hit in implicit_nows(path)]
    assert found == [], "read the app's clock (tracker.timeutil.now_utc / today_local / wall_now) instead:\n" + \
        "\n".join(found)


def test_the_clock_module_is_where_the_system_clock_is_read():
    assert implicit_nows(ROOT / CLOCK_MODULE), "the scan no longer sees the one place that may read it"


READS_THE_SYSTEM_CLOCK = [
    "from datetime import datetime\ndatetime.now()",
    "from datetime import UTC, datetime as dt\ndt.now(UTC)",
    "import datetime\ndatetime.datetime.utcnow()",
    "from datetime import date\ndate.today()",
    "import time\ntime.time()",
    "from time import time\ntime()",
    "import time as t\nt.strftime('%H:%M')",
    "from email.utils import formatdate\nformatdate(usegmt=True)",
]
EXPLICIT_TIMES = [
    "from datetime import datetime\ndatetime.fromtimestamp(0)",
    "import time\ntime.monotonic()",
    "import time\ntime.strftime('%H:%M', time.gmtime(0))",
    "from email.utils import formatdate\nformatdate(0, usegmt=True)",
    "from tracker.timeutil import now_utc\nnow_utc()",
]


@pytest.mark.parametrize("source, reads_clock", [(s, True) for s in READS_THE_SYSTEM_CLOCK]
                         + [(s, False) for s in EXPLICIT_TIMES])
def test_the_scan_tells_the_system_clock_from_explicit_times(source, reads_clock):
    finder = _NowFinder()
    finder.visit(ast.parse(source))
    assert bool(finder.found) is reads_clock, source
