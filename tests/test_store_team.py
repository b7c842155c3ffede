"""The team store shared by many machines: concurrent writers, migrations under a lock,
a server that stops mid-batch, credentials, moving a memory from SQLite to PostgreSQL.

Tests that take ``store_target`` run on SQLite and on PostgreSQL; ``pg_server`` ones on
PostgreSQL alone (skipped without a server, failed under CI).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from replybook import UsageError
from replybook.errors import StoreError
from replybook.store import SCHEMA_VERSION, Store, copy_store, open_store
from tests.pgserver import SECRET_PASSWORD, SECRET_USER, PgServer
from tests.test_cli import invoke

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
WRITERS = 20
RECORDS, STOP_AT = 1200, 200  # the mid-batch test: records in, records out when stopped


def _complaint(store, text: str, minute: float, ext_id: str | None = None, topic="delivery"):
    return store.observe(
        playbook="default",
        text=text,
        intent="complaint",
        action="reply",
        topic=topic,
        language="en",
        received_at=T0 + timedelta(minutes=minute),
        ext_id=ext_id,
        channel="x",
        agent="mia",
        sla_minutes=60,
    )


def _writer(target: str, worker: int, barrier, results) -> None:
    try:
        with open_store(target) as store:
            barrier.wait(60)
            pattern = _complaint(store, f"my parcel {worker} is late", 0, f"w{worker}")
            results.put((worker, pattern.state, pattern.incident.id if pattern.incident else 0))
    except BaseException as exc:  # reported to the parent, which fails the test
        results.put((worker, "error", repr(exc)))
        raise SystemExit(1) from None


def _run_at_once(target: str, count: int, job) -> list[tuple]:
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(count)
    results = ctx.Queue()
    procs = [ctx.Process(target=job, args=(target, w, barrier, results)) for w in range(count)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    found = [results.get(timeout=10) for _ in range(count)]
    assert [p.exitcode for p in procs] == [0] * count, found
    return found


def test_twenty_agents_drafting_the_same_complaint_at_once_open_one_incident(store_target):
    open_store(store_target).close()  # the schema exists; the race is on the incident
    found = _run_at_once(store_target, WRITERS, _writer)
    assert [f for f in found if f[1] == "error"] == []
    assert sorted(state for _, state, _ in found).count("incident") == WRITERS - 2
    with open_store(store_target) as store:
        (incident,) = store.incidents()
        assert incident.count == WRITERS
        linked = store.rows(
            "SELECT COUNT(*) FROM comments WHERE incident_id = ?", (incident.id,)
        )[0][0]
        assert linked == WRITERS
        assert store.counts() == {"comments": WRITERS, "replies": 0, "incidents": 1}
    assert {i for _, state, i in found if state == "incident"} == {incident.id}


def _opener(target: str, worker: int, barrier, results) -> None:
    try:
        barrier.wait(60)
        with open_store(target) as store:
            store.record_reply(playbook="default", text=f"reply {worker}", sent_at=T0)
            results.put((worker, store.schema_version))
    except BaseException as exc:
        results.put((worker, repr(exc)))
        raise SystemExit(1) from None


def test_machines_opening_a_new_store_at_once_migrate_it_once(store_target):
    found = _run_at_once(store_target, 10, _opener)
    assert sorted(v for _, v in found) == [SCHEMA_VERSION] * 10
    with open_store(store_target) as store:
        assert store.counts()["replies"] == 10


def test_the_same_comment_id_from_two_machines_is_counted_once(store_target):
    with open_store(store_target) as one, open_store(store_target) as two:
        _complaint(one, "my parcel is late", 0, "c-1")
        _complaint(two, "my parcel is late", 0, "c-1")
        assert one.counts()["comments"] == 1


def test_migrating_an_old_postgres_store_forward(pg_server):
    from replybook.store_pg import MIGRATIONS

    url = pg_server.fresh_url()
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE replybook_schema (version INTEGER NOT NULL)")
        conn.execute("INSERT INTO replybook_schema VALUES (1)")
        for statement in MIGRATIONS[0].split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute(
            "INSERT INTO comments (playbook, received_at, seen_at, intent, norm)"
            " VALUES ('default', 1, 1, 'complaint', 'old')"
        )
    result = invoke("db", "migrate", "--db", url)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith(f": schema {SCHEMA_VERSION} (migrated from schema 1)\n")
    again = invoke("db", "migrate", "--db", url)
    assert again.stdout.endswith(f": schema {SCHEMA_VERSION} (already up to date)\n")
    with open_store(url) as store:
        assert store.counts()["comments"] == 1
        assert store.rows("SELECT channel, agent, sla_minutes FROM comments") == [
            (None, None, None)
        ]


def test_a_newer_or_foreign_postgres_schema_is_refused(pg_server):
    import psycopg

    newer = pg_server.fresh_url()
    open_store(newer).close()
    with psycopg.connect(newer, autocommit=True) as conn:
        conn.execute("UPDATE replybook_schema SET version = 99")
    with pytest.raises(UsageError, match="made by a newer replybook"):
        open_store(newer)
    foreign = pg_server.fresh_url()
    with psycopg.connect(foreign, autocommit=True) as conn:
        conn.execute("CREATE TABLE comments (body TEXT)")
    with pytest.raises(UsageError, match="not a replybook store"):
        open_store(foreign)
    with psycopg.connect(foreign, autocommit=True) as conn:
        assert conn.execute("SELECT to_regclass('replybook_schema')").fetchone() == (None,)


def _secret_url(server: PgServer, password: str) -> str:
    return f"postgresql://{SECRET_USER}:{password}@127.0.0.1:{server.port}/postgres"


def test_credentials_are_never_printed(pg_server):
    if not isinstance(pg_server, PgServer):
        pytest.skip("needs the tests' own server")
    wrong = _secret_url(pg_server, "Wr0ng-Pa55")
    result = invoke("incidents", "--db", wrong)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "password authentication failed" in result.stderr
    assert "Wr0ng-Pa55" not in result.stderr
    assert f"postgresql://{SECRET_USER}@127.0.0.1:{pg_server.port}/postgres" in result.stderr
    in_query = f"postgresql://127.0.0.1:{pg_server.port}/postgres?user={SECRET_USER}&password=Qx-77"
    result = invoke("incidents", "--db", in_query)
    assert result.exit_code == 2 and "Qx-77" not in result.stderr
    assert "password=***" in result.stderr
    # The right password works; so does libpq's own PGPASSWORD with a URL that has none.
    right = invoke("incidents", "--db", _secret_url(pg_server, SECRET_PASSWORD))
    assert (right.exit_code, right.stderr) == (0, "")
    bare = f"postgresql://{SECRET_USER}@127.0.0.1:{pg_server.port}/postgres"
    env = invoke("incidents", "--db", bare, env={"PGPASSWORD": SECRET_PASSWORD})
    assert (env.exit_code, env.stderr) == (0, "")


def test_without_the_driver_a_postgres_url_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)
    result = invoke("incidents", "--db", "postgresql://mia@db.example/care")
    assert result.exit_code == 2
    assert result.stderr == (
        "replybook: error: PostgreSQL stores need the postgres extra:"
        " pip install 'replybook[postgres]'\n"
    )


def test_a_sqlite_run_never_imports_the_driver(tmp_path):
    code = (
        "import sys; from replybook.cli import main; sys.argv = ['replybook', 'draft', '--db',"
        f" {str(tmp_path / 'r.db')!r}, '-f', 'json', 'my order is late'];"
        "\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
        "assert 'psycopg' not in sys.modules, 'psycopg imported'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_server_restart_between_writes_is_reconnected(pg_server):
    if not isinstance(pg_server, PgServer):
        pytest.skip("needs the tests' own server")
    url = pg_server.fresh_url()
    with open_store(url) as store:
        _complaint(store, "my parcel is late", 0, "r-1")
        pg_server.stop("fast")
        pg_server.start()
        _complaint(store, "my parcel is late again", 1, "r-2")
        assert store.counts()["comments"] == 2


def test_a_server_lost_inside_a_transaction_is_one_error(pg_server):
    if not isinstance(pg_server, PgServer):
        pytest.skip("needs the tests' own server")
    url = pg_server.fresh_url()
    with open_store(url) as store:
        lost = pytest.raises(StoreError, match="lost the connection to the store")
        with lost as caught, store.transaction():
            _complaint(store, "my parcel is late", 0, "t-1")
            pg_server.stop("fast")
            _complaint(store, "my parcel is late again", 1, "t-2")
        assert "\n" not in str(caught.value)
    pg_server.start()
    with open_store(url) as store:
        assert store.counts()["comments"] == 0  # the open transaction, never committed


def test_stopping_the_server_mid_batch_loses_nothing_committed(pg_server, tmp_path):
    if not isinstance(pg_server, PgServer):
        pytest.skip("needs the tests' own server")
    url = pg_server.fresh_url()
    inbox = tmp_path / "inbox.jsonl"
    with inbox.open("w") as out:
        for n in range(RECORDS):
            text = f"order {n} has not arrived and nobody answers" if n % 2 else f"love it {n}"
            out.write(json.dumps({"id": f"m{n}", "text": text}) + "\n")
    env = {**os.environ, "REPLYBOOK_NO_PROGRESS": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "replybook", "draft", "--batch", str(inbox), "--db", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    written = []
    for line in proc.stdout:
        written.append(json.loads(line)["id"])
        if len(written) == STOP_AT:
            pg_server.stop("fast")
            break
    written += [json.loads(line)["id"] for line in proc.stdout]
    stderr = proc.stderr.read()
    assert proc.wait(60) == 2
    pg_server.start()
    assert stderr.count("\n") == 1, stderr
    assert stderr.startswith("replybook: error: postgresql://postgres@127.0.0.1:")
    assert "lost the connection to the store" in stderr
    assert "Traceback" not in stderr
    assert STOP_AT <= len(written) < RECORDS
    with open_store(url) as store:
        stored = {r[0] for r in store.rows("SELECT ext_id FROM comments")}
    assert set(written) <= stored  # every record written out was committed first
    # Run again: what is stored is not counted twice, and the rest is drafted.
    again = subprocess.run(
        [sys.executable, "-m", "replybook", "draft", "--batch", str(inbox), "--db", url],
        capture_output=True,
        text=True,
        env=env,
    )
    assert again.returncode == 0, again.stderr[-500:]
    with open_store(url) as store:
        assert store.counts()["comments"] == RECORDS


def _fill(store, prefix: str, start: float = 0) -> None:
    for n in range(3):
        _complaint(store, f"my parcel {n} is late", start + n, f"{prefix}{n}")
    _complaint(store, "no id on this one", start + 5)
    store.record_reply(playbook="default", text="Sorry, Dana!", sent_at=T0, comment_id=f"{prefix}0")


def test_db_copy_moves_a_memory_and_copying_twice_adds_nothing(store_target, tmp_path):
    source = tmp_path / "mine.db"
    with Store(source) as store:
        _fill(store, "a")
        (incident,) = store.incidents()
        store.close_incident(incident.id, now=T0 + timedelta(hours=1))
    first = invoke("db", "copy", "--from", str(source), "--to", store_target)
    assert first.exit_code == 0, first.stderr
    assert first.stdout.startswith("copied 4 comments, 1 reply and 1 incident from ")
    second = invoke("db", "copy", "--from", str(source), "--to", store_target)
    assert second.stdout.startswith("copied 0 comments, 0 replies and 0 incidents from ")
    with open_store(store_target) as store:
        assert store.counts() == {"comments": 4, "replies": 1, "incidents": 1}
        (copied,) = store.incidents(status="all")
        assert (copied.status, copied.count, copied.label) == ("closed", 4, "delivery")
        linked = store.rows(
            "SELECT COUNT(*) FROM comments WHERE incident_id = ?", (copied.id,)
        )[0][0]
        assert linked == 4
        assert store.recent_replies("default") == ["Sorry, Dana!"]


def test_db_copy_merges_two_memories_into_one(store_target, tmp_path):
    with Store(tmp_path / "a.db") as a, Store(tmp_path / "b.db") as b:
        _fill(a, "a")
        _fill(b, "b", start=600)
    for name in ("a.db", "b.db"):
        done = invoke("db", "copy", "--from", str(tmp_path / name), "--to", store_target)
        assert done.exit_code == 0, done.stderr
    with open_store(store_target) as store:
        assert store.counts() == {"comments": 8, "replies": 2, "incidents": 2}
        ids = sorted(i.id for i in store.incidents())
        assert len(set(ids)) == 2


def test_db_copy_errors(tmp_path):
    missing = invoke("db", "copy", "--from", str(tmp_path / "none.db"), "--to", "x.db")
    assert (missing.exit_code, missing.stderr) == (
        2,
        f"replybook: error: --from: no store at {tmp_path / 'none.db'}\n",
    )
    same = invoke("db", "copy", "--from", "a.db", "--to", "sqlite:///a.db")
    assert (same.exit_code, same.stderr) == (
        2,
        "replybook: error: --from and --to name the same store\n",
    )


def test_copy_store_between_kinds(store_target, tmp_path):
    with open_store(store_target) as team:
        _fill(team, "t")
        with Store(tmp_path / "backup.db") as backup:
            assert copy_store(team, backup) == {"comments": 4, "replies": 1, "incidents": 1}
            assert backup.incidents() == team.incidents()


def test_db_migrate_creates_a_sqlite_store(tmp_path):
    path = tmp_path / "new" / "team.db"
    result = invoke("db", "migrate", "--db", str(path))
    assert (result.exit_code, result.stdout) == (0, f"{path}: schema {SCHEMA_VERSION} (created)\n")
    assert Path(path).is_file()
