"""The test harness: a clock the app obeys, the app under gunicorn, message receivers, network cuts.

Built once for issue 11 and the issues after it. The fixtures are a pytest plugin
(``tests/harness/fixtures.py``, loaded by ``tests/conftest.py``), so every test can ask for them.

The clock (in the app itself, ``tracker/timeutil.py``)
    The setting ``NOW`` (environment ``TRACKER_NOW``), an ISO 8601 instant with its offset, fixes
    "now" for the whole app: ``now_utc()`` and ``today_local()`` are the only "now", read by model
    timestamps, policy (the self check-in window), operations, the reminders' jobs, pages and the CLI
    (only liveness, the scheduler's lease, runs on ``wall_now()``, real seconds).
    ``NOW_RUNNING_SINCE`` (Unix seconds) makes it run on from that instant. For a demo:
    ``TRACKER_NOW=2025-09-22T10:55:00+05:30 TRACKER_NOW_RUNNING_SINCE=$(date +%s) make run``.
    In a test: ``fixed_now("2025-09-22T09:30:00+05:30")`` (returns the instant as aware UTC;
    ``fixed_now(None)`` goes back to the real clock; undone when the test ends), or ``app_clock``
    for ``.set(...)``, ``.advance(minutes=5)`` and ``.now()`` on the same setting.

The served app (``tests/harness/server.py``)
    ``served_app`` (real clock) or ``serve_app(now=..., now_running=False, scheduler=False,
    webhook=..., smtp=..., env={...})``: gunicorn with ``tracker:create_app()`` in its own process
    group, on the run's database (SQLite file, or the PostgreSQL database of the run when
    ``TRACKER_TEST_DATABASE_URL`` is set), migrated by the ``app`` fixture and emptied after each
    test. It offers ``.url``, ``.kill()`` (SIGKILL to the server and its workers at once;
    ``.kill("scheduler")`` for one process, ``.start()`` brings it back), ``.stop()`` (SIGTERM, clean), ``.restart(kill=False, now=None, **SETTINGS)`` (same port, same
    database, same secret key: sessions survive), ``.cli("outbox", "deliver")`` (a ``tracker`` run
    with the same settings), ``.login_session(username, password)`` (a logged-in
    ``requests.Session``), ``.get(path)`` and ``.log_tail()``. The test writes through
    ``db.session`` as usual: factories commit; after writing by hand call ``served.sync()`` (commit,
    so the server sees it, and expire, so the test then reads what the server wrote). Every server
    is killed at teardown, and ``pytest_sessionfinish`` fails the run if one was left running.
    With ``scheduler=True`` a killed scheduler is replaced after its lease runs out, in real seconds
    (the lease does not follow the fixed clock).
    ``tracker scheduler`` stops promptly on SIGTERM at any moment, also while it starts up.

Receivers (``tests/harness/receivers.py``)
    ``webhook_receiver``: HTTP on 127.0.0.1 recording every request (``.requests``: method, path,
    query, headers, body, json); ``.answer(500, times=1)``, ``.hang(times=1, seconds=30)`` /
    ``.release()``, ``.wait_for(count, timeout)``. ``smtp_server``: aiosmtpd recording every message
    (``.received``: mail_from, rcpt_tos, message, ``.key``, ``.text()``, ``.ics()``), ``.refuse``
    (addresses answered 550), ``.wait_for(count)``. Both have ``.env()`` (for ``serve_app(webhook=,
    smtp=)`` and CLI runs) and ``.configure(app, monkeypatch)`` (for the test app: the channel of a
    message is chosen when it is queued, so configure the test app before queuing).
    ``tests/reminders/conftest.py`` keeps its own ``smtp_server``/``webhook_server`` for its tests.

Network cuts (``tests/harness/network.py``)
    ``cut_network(context)`` / ``restore_network(context)``: routes abort every request and the
    context is offline; a service worker's own requests fail too (its docstring says what works in
    Chromium and why both are used). The server-side cut is ``served.kill()`` + ``served.restart()``.

Journeys (``tests/journeys/helpers.py``)
    ``new_journey_context(browser, phone=..., locale="hi")``, ``login(page, username, password, base_url=None)``,
    ``ClickCounter(page).start()`` / ``.click(locator)`` / ``.count``, ``shot(page, name)``
    (``tests/artifacts/journeys/<name>.png``), ``assert_no_required_on_hidden(page)``,
    ``run_axe(page)`` (axe-core from ``tests/vendor``, WCAG 2.2 A/AA) and ``check_page(page, name)``
    (all three). ``tests/journeys/test_demo_journey.py`` shows them together.
"""
