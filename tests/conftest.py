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
