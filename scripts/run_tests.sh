#!/usr/bin/env bash
# The whole suite: on SQLite, then on PostgreSQL when TRACKER_TEST_DATABASE_URL is set or a server
# answers on 127.0.0.1:5432. TRACKER_REQUIRE_POSTGRES=1 makes a missing server an error;
# TRACKER_REQUIRE_BROWSER=1 makes the browser tests mandatory (they install Chromium when missing).
# The browser tests run first (journeys and the harness's own; screenshots in tests/artifacts/).
# Tests that serve the app with gunicorn (tests/harness) kill it at teardown; a run that leaves one
# running fails. Each phase prints its time: the whole run must stay under 15 minutes on 2 cores.
set -uo pipefail
cd "$(dirname "$0")/.."
# Keep the compiled modules (and pytest's rewritten test modules) between processes: with
# PYTHONDONTWRITEBYTECODE set, as on this machine's image, each of the run's pytest processes spent 11 s
# rewriting the test modules again, and each app process it starts half a second compiling the package.
unset PYTHONDONTWRITEBYTECODE
PY=.venv/bin/python
status=0

pg_url="${TRACKER_TEST_DATABASE_URL:-}"
if [ -z "$pg_url" ]; then
  if $PY - <<'PYEOF' 2>/dev/null
import psycopg
psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", connect_timeout=3).close()
PYEOF
  then
    pg_url="postgresql://postgres@127.0.0.1:5432/test"
  elif [ "${TRACKER_REQUIRE_POSTGRES:-0}" = 1 ]; then
    if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
      echo "PostgreSQL is not answering: starting it"
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
      sleep 3
      pg_url="postgresql://postgres@127.0.0.1:5432/test"
    else
      echo "PostgreSQL is required (TRACKER_REQUIRE_POSTGRES=1) but does not answer" >&2
      exit 1
    fi
  fi
fi

if [ "${TRACKER_REQUIRE_BROWSER:-0}" = 1 ]; then
  bash scripts/ensure_browser.sh || { echo "could not install Chromium for the browser tests" >&2; exit 1; }
fi

echo "== translations check"
.venv/bin/tracker translations compile >/dev/null && .venv/bin/tracker translations check || status=1

# The browser tests wait on Chromium and on the page more than on the CPU: two workers (pytest-xdist), each
# with a database and an instance folder of its own.
echo "== browser tests (Playwright + Chromium, SQLite, 2 workers) [at ${SECONDS}s]"
TRACKER_TEST_DATABASE_URL= $PY -m pytest -m browser -n 2 -v -p no:cacheprovider "$@" || status=1

# Two lanes side by side (two cores): SQLite, then PostgreSQL. Each lane runs the suite and then the tests that
# start processes of their own and time how they stop ("serial"); a lock keeps the two lanes' serial phases
# apart, so those tests never share the machine with each other, only with the other lane's suite.
# The outputs are printed one after the other when both lanes have finished.
logs=$(mktemp -d)
# The PostgreSQL lane leaves out the tests marked one_engine (they do not depend on the engine; tests/conftest.py).
lane() {  # lane NAME URL
  local name=$1 url=$2 rc=0 skip=""
  [ -n "$url" ] && skip=" and not one_engine"
  TRACKER_TEST_DATABASE_URL="$url" $PY -m pytest -m "not browser and not serial$skip" -p no:cacheprovider "${@:3}" || rc=1
  echo "== process tests on $name [lane at $((SECONDS - lane_started))s]"
  flock "$logs/serial.lock" env TRACKER_TEST_DATABASE_URL="$url" \
    $PY -m pytest -m "serial and not browser$skip" -p no:cacheprovider "${@:3}" || rc=1
  echo "== $name lane finished after $((SECONDS - lane_started))s"
  return $rc
}
lane_started=$SECONDS
echo "== suite and process tests on SQLite$([ -n "$pg_url" ] && echo " and on PostgreSQL ($pg_url), side by side") [at ${SECONDS}s]"
lane SQLite "" "$@" >"$logs/sqlite" 2>&1 &
sqlite_pid=$!
if [ -n "$pg_url" ]; then
  lane PostgreSQL "$pg_url" "$@" >"$logs/postgresql" 2>&1 &
  pg_pid=$!
fi
wait "$sqlite_pid" || status=1
echo "== SQLite lane (finished at ${SECONDS}s)"
cat "$logs/sqlite"
if [ -n "$pg_url" ]; then
  wait "$pg_pid" || status=1
  echo "== PostgreSQL lane ($pg_url) (finished at ${SECONDS}s)"
  cat "$logs/postgresql"
else
  echo "== PostgreSQL not available: suite ran on SQLite only"
fi
rm -rf "$logs"

echo "== ran for $((SECONDS / 60)) min $((SECONDS % 60)) s"
if [ $status = 0 ]; then echo "== all green"; else echo "== FAILED" >&2; fi
exit $status
