"""Shared fixtures. Tests never touch the user's cache folder."""

from __future__ import annotations

import os
import tempfile
from datetime import datetime, timezone

import pytest

os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="replybook-test-cache-")
os.environ.pop("REPLYBOOK_AGENT", None)
os.environ.pop("REPLYBOOK_PLAYBOOK", None)
os.environ.pop("NO_COLOR", None)
# A test run inside a GitHub Actions step must not write to that step's summary.
os.environ.pop("GITHUB_STEP_SUMMARY", None)
os.environ["REPLYBOOK_DB"] = os.path.join(tempfile.mkdtemp(prefix="replybook-test-db-"), "r.db")

from replybook import load_playbook  # noqa: E402
from replybook.playbook import Playbook  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def default() -> Playbook:
    return load_playbook("default")


@pytest.fixture(scope="session")
def acme() -> Playbook:
    return load_playbook("acme-air")


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture(autouse=True)
def _own_store(tmp_path, monkeypatch):
    """Every test gets an empty team store of its own; none touches the user's."""
    monkeypatch.setenv("REPLYBOOK_DB", str(tmp_path / "store" / "replybook.db"))
    monkeypatch.setenv("REPLYBOOK_NO_PROGRESS", "1")


def _unavailable(reason: str) -> None:
    """Skip a PostgreSQL test on a developer's machine without a server; fail under CI."""
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL tests must run under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server for this session (see tests/pgserver.py)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed (pip install -e '.[test]')")
    from tests.pgserver import ExternalServer, PgServer, binaries

    if os.environ.get("REPLYBOOK_TEST_PG"):
        yield ExternalServer(os.environ["REPLYBOOK_TEST_PG"])
        return
    bindir = binaries()
    if bindir is None:
        _unavailable("no PostgreSQL server binaries (initdb, pg_ctl) on this machine")
    try:
        server = PgServer(bindir)
    except Exception as exc:  # reported as the reason the tests can't run
        _unavailable(f"can't start a PostgreSQL server: {exc}")
    yield server
    server.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_target(request, tmp_path) -> str:
    """Where a store lives, once per kind: a SQLite file, a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "team.db")
    return request.getfixturevalue("pg_server").fresh_url()
