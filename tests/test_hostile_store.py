"""Hostile stores: first runs racing to create one, and files that aren't replybook stores."""

from __future__ import annotations

import multiprocessing
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from replybook import UsageError
from replybook.store import MIGRATIONS, SCHEMA_VERSION, Store

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
RUNS = 10


def _first_run(path: str, worker: int, barrier: object, errors: object) -> None:
    barrier.wait()  # type: ignore[attr-defined]
    try:
        with Store(path) as store:
            store.record_reply(playbook="default", text=f"reply {worker}", sent_at=T0)
    except Exception as exc:  # reported to the parent, which fails the test
        errors.put(f"{worker}: {exc}")  # type: ignore[attr-defined]
        raise SystemExit(1) from None


@pytest.mark.parametrize("round_", range(4))
def test_first_runs_at_once_on_a_new_store_all_succeed(tmp_path: Path, round_: int) -> None:
    path = str(tmp_path / f"new-{round_}.db")
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(RUNS)
    errors = ctx.Queue()
    procs = [ctx.Process(target=_first_run, args=(path, w, barrier, errors)) for w in range(RUNS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    failures = []
    while not errors.empty():
        failures.append(errors.get())
    assert failures == []
    assert [p.exitcode for p in procs] == [0] * RUNS
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.counts()["replies"] == RUNS
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _draft(db: Path, text: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "replybook",
        "draft",
        "--db",
        str(db),
        "--record",
        "--format",
        "json",
        text,
    ]


@pytest.mark.parametrize("round_", range(2))
def test_first_drafts_at_once_on_a_new_store_all_succeed(tmp_path: Path, round_: int) -> None:
    db = tmp_path / "sub" / "team.db"
    procs = [
        subprocess.Popen(
            _draft(db, f"My order #{n} still hasn't arrived"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(RUNS)
    ]
    results = [(p.wait(120), *p.communicate()) for p in procs]
    assert [(rc, err) for rc, _, err in results] == [(0, "")] * RUNS
    with Store(db) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.counts()["replies"] == RUNS


def _refused(path: Path) -> None:
    before = path.read_bytes()
    with pytest.raises(UsageError) as info:
        Store(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert "not a replybook store" in message
    assert path.read_bytes() == before, "a foreign file is never changed"
    assert not Path(f"{path}-wal").exists()


def _foreign(path: Path, version: int, schema: str = "") -> Path:
    db = sqlite3.connect(path)
    if schema:
        db.executescript(schema)
    db.execute(f"PRAGMA user_version = {version}")
    db.commit()
    db.close()
    return path


@pytest.mark.parametrize("version", [0, 1, 2, 7, SCHEMA_VERSION + 5, -1])
def test_a_foreign_database_is_refused_whatever_its_user_version(
    tmp_path: Path, version: int
) -> None:
    path = _foreign(
        tmp_path / "app.db",
        version,
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);"
        " INSERT INTO users (email) VALUES ('a@example.com');",
    )
    _refused(path)


def test_a_user_version_replybook_never_wrote_is_refused(tmp_path: Path) -> None:
    # No tables at all, but a version that claims a schema which isn't there.
    _refused(_foreign(tmp_path / "a.db", 2))
    _refused(_foreign(tmp_path / "b.db", -3))


def test_a_store_with_tables_missing_or_changed_is_refused(tmp_path: Path) -> None:
    # replybook's tables and version, minus a table.
    _refused(
        _foreign(
            tmp_path / "a.db",
            SCHEMA_VERSION,
            "".join(MIGRATIONS) + "DROP TABLE replies;",
        )
    )
    # Same table names, other columns.
    _refused(
        _foreign(
            tmp_path / "b.db",
            SCHEMA_VERSION,
            "CREATE TABLE comments (x); CREATE TABLE replies (y); CREATE TABLE incidents (z);",
        )
    )
    # replybook's tables plus someone else's.
    _refused(
        _foreign(
            tmp_path / "c.db",
            SCHEMA_VERSION,
            "".join(MIGRATIONS) + "CREATE TABLE users (id INTEGER);",
        )
    )


def test_a_real_store_of_every_version_still_opens(tmp_path: Path) -> None:
    for version in range(1, SCHEMA_VERSION + 1):
        path = _foreign(tmp_path / f"v{version}.db", version, "".join(MIGRATIONS[:version]))
        with Store(path) as store:
            assert store.schema_version == SCHEMA_VERSION
    # An empty file (touched, never written) is a new store.
    empty = tmp_path / "empty.db"
    empty.touch()
    with Store(empty) as store:
        assert store.schema_version == SCHEMA_VERSION


def test_the_cli_refuses_a_foreign_database_with_exit_2_and_one_line(tmp_path: Path) -> None:
    path = _foreign(tmp_path / "app.db", 2, "CREATE TABLE users (id INTEGER PRIMARY KEY);")
    before = path.read_bytes()
    proc = subprocess.run(
        _draft(path, "My order still hasn't arrived"), capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert str(path) in lines[0] and "not a replybook store" in lines[0]
    assert "Traceback" not in proc.stderr
    assert path.read_bytes() == before


def test_a_garbage_file_is_refused_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    path.write_bytes(b"this is not sqlite" * 100)
    _refused(path)
