#!/usr/bin/env python3
"""Translation chores, safe for several people working at once (a file lock serialises writers).

    python scripts/i18n.py update            # extract + merge into hi and en, English filled with itself
    python scripts/i18n.py missing [--grep PATH]   # untranslated Hindi messages as JSON (optionally only those from PATH)
    python scripts/i18n.py fill FILE.json    # {msgid: Hindi} (plural: {msgid: [one, other]}) into the hi catalog
"""

from __future__ import annotations

import fcntl
import json
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker.i18n_check import fill, fill_identity, missing  # noqa: E402

TR = ROOT / "translations"
KEYWORDS = ["-k", "_l", "-k", "N_", "-k", "Nn_:1,2", "-k", "pgettext:1c,2", "-k", "npgettext:1c,2,3",
            "-k", "lazy_pgettext:1c,2", "-k", "lazy_npgettext:1c,2,3"]


@contextmanager
def locked():
    TR.mkdir(exist_ok=True)
    with (TR / ".lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def pybabel(*args):
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)


def update():
    pot = TR / "messages.pot"
    pybabel("extract", "-F", "babel.cfg", *KEYWORDS, "--sort-by-file", "--no-wrap", "-o", str(pot),
            ".")
    for lang in ("hi", "en"):
        po = TR / lang / "LC_MESSAGES" / "messages.po"
        if not po.exists():
            pybabel("init", "-i", str(pot), "-d", str(TR), "-l", lang, "--no-wrap")
        else:
            pybabel("update", "-i", str(pot), "-d", str(TR), "-l", lang, "--no-fuzzy-matching", "--no-wrap",
                    "--ignore-obsolete")
    fill_identity(TR / "en" / "LC_MESSAGES" / "messages.po")


def main(argv):
    if not argv:
        print(__doc__)
        return 2
    cmd = argv[0]
    if cmd == "update":
        with locked():
            update()
        return 0
    if cmd == "missing":
        items = missing(TR / "hi" / "LC_MESSAGES" / "messages.po")
        if len(argv) > 2 and argv[1] == "--grep":
            items = [i for i in items if any(argv[2] in loc for loc in i["locations"])]
        print(json.dumps(items, ensure_ascii=False, indent=1))
        return 0
    if cmd == "fill":
        mapping = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
        with locked():
            n = fill(TR / "hi" / "LC_MESSAGES" / "messages.po", mapping)
        print(f"filled {n} messages")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
