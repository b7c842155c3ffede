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
from replybook import playbook as _playbook_module  # noqa: E402
from replybook.playbook import Playbook  # noqa: E402
from replybook.resources import data_dir  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def _memoize_shipped_yaml() -> None:
    """Parse each shipped playbook file (playbooks/, lang/*.yaml) once per test process.

    Hundreds of tests load a playbook of their own that ``extends: default``; each such load
    would parse the default playbook and its language files again (about 1.5 s of YAML each).
    The parse of a shipped file doesn't depend on the test, so it is kept, keyed like the
    on-disk cache by path, size and modification time, and every caller gets its own copy
    (loading mutates what it reads). A test's own files, and any file outside the shipped
    playbooks folder, are always read by the real reader; an error is never kept.
    """
    import marshal

    real = _playbook_module._read_yaml
    shipped = str(data_dir() / "playbooks") + os.sep
    kept: dict[tuple[str, int, int], tuple[bytes, dict]] = {}

    def read_yaml(path):  # type: ignore[no-untyped-def]
        name = os.path.realpath(path)
        if not name.startswith(shipped):
            return real(path)
        st = os.stat(name)
        key = (str(path), st.st_size, st.st_mtime_ns)
        if key not in kept:
            data, origins = real(path)
            try:
                kept[key] = (marshal.dumps(data), dict(origins))
            except ValueError:  # a value marshal can't copy: not kept
                return data, origins
        blob, origins = kept[key]
        return marshal.loads(blob), dict(origins)

    _playbook_module._read_yaml = read_yaml


_memoize_shipped_yaml()


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

