"""The team store: schema, incidents, replies, concurrency."""

from __future__ import annotations

import multiprocessing
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from replybook import UsageError
from replybook.store import SCHEMA_VERSION, Store, normalise

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def complaint(store: Store, text: str, minutes: float = 0, topic: str | None = "delivery", **kw):
    return store.observe(
        playbook=kw.pop("playbook", "default"),
        text=text,
        intent=kw.pop("intent", "complaint"),
        action="reply",
        topic=topic,
        language="en",
        received_at=T0 + timedelta(minutes=minutes),
        **kw,
    )


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "r.db") as opened:
        yield opened


def test_new_store_is_versioned_and_in_wal_mode(store):
    assert store.schema_version == SCHEMA_VERSION
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.counts() == {"comments": 0, "replies": 0, "incidents": 0}


def test_reopening_keeps_the_data(tmp_path):
    with Store(tmp_path / "r.db") as first:
        complaint(first, "my order is late")
    with Store(tmp_path / "r.db") as second:
        assert second.counts()["comments"] == 1


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "r.db"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(UsageError, match="newer replybook"):
        Store(path)


def test_a_file_that_is_not_a_store(tmp_path):
    path = tmp_path / "r.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(UsageError, match="not a replybook store"):
        Store(path)


def test_third_complaint_on_a_topic_opens_an_incident(store):
    assert complaint(store, "my order is late", 0).state == "none"
    second = complaint(store, "where is my parcel", 10)
    assert (second.state, second.similar) == ("possible", 2)
    third = complaint(store, "order never arrived", 20)
    assert third.state == "incident"
    assert third.incident is not None
    assert (third.incident.count, third.incident.topic) == (3, "delivery")
    assert third.incident.first_seen == "2026-11-23T09:00:00Z"
    fourth = complaint(store, "still no delivery", 30)
    assert fourth.incident is not None and fourth.incident.id == third.incident.id
    assert fourth.incident.count == 4
    assert fourth.incident.last_seen == "2026-11-23T09:30:00Z"
    linked = store.db.execute("SELECT COUNT(*) FROM comments WHERE incident_id = ?", (1,))
    assert linked.fetchone()[0] == 4


def test_only_complaints_inside_the_window_count(store):
    complaint(store, "my order is late", 0)
    complaint(store, "order late", 60 * 25)  # next day: outside the 24 h window
    assert complaint(store, "order late again", 60 * 25 + 5).state == "possible"
    complaint(store, "thanks!", 60 * 25 + 6, intent="praise")
    assert store.incidents() == []


def test_topics_and_playbooks_are_counted_apart(store):
    complaint(store, "my order is late", 0)
    complaint(store, "billing is wrong", 1, topic="billing")
    complaint(store, "my order is late", 2, playbook="acme-air")
    assert complaint(store, "order late", 3).state == "possible"


def test_a_comment_id_is_counted_once(store):
    complaint(store, "my order is late", 0, ext_id="c1")
    complaint(store, "my order is late", 0, ext_id="c1")
    complaint(store, "my order is late", 0, ext_id="c1")
    assert store.counts()["comments"] == 1
    assert store.incidents() == []


def test_near_identical_wording_without_a_topic(store):
    text = "Your checkout page shows error 504 again"
    complaint(store, text, 0, topic=None)
    complaint(store, "your checkout page shows error 504 again!!", 5, topic=None)
    complaint(store, "Something completely different is wrong here", 6, topic=None)
    third = complaint(store, "Your checkout page shows error 504 again.", 7, topic=None)
    assert third.state == "incident" and third.incident is not None
    assert third.incident.count == 3
    later = complaint(store, "your checkout page shows error 504 AGAIN", 8, topic=None)
    assert later.incident is not None and later.incident.id == third.incident.id


def test_closing_an_incident(store):
    for minute in range(3):
        complaint(store, "order late", minute)
    (incident,) = store.incidents()
    closed = store.close_incident(incident.id, now=T0)
    assert closed.status == "closed"
    assert store.incidents() == []
    assert [i.id for i in store.incidents(status="all")] == [incident.id]
    with pytest.raises(UsageError, match="already closed"):
        store.close_incident(incident.id, now=T0)
    with pytest.raises(UsageError, match="no incident 99"):
        store.close_incident(99, now=T0)
    # later complaints count afresh
    assert complaint(store, "order late", 10).state == "none"


def test_replies_sent(store):
    for n in range(5):
        store.record_reply(playbook="default", text=f"reply {n}", sent_at=T0)
    store.record_reply(playbook="acme-air", text="other brand", sent_at=T0)
    assert store.recent_replies("default", limit=3) == ["reply 4", "reply 3", "reply 2"]


def test_normalise():
    assert normalise("@Brand Where's MY order?? https://t.co/x") == "where s my order"


def _observe_many(path: str, worker: int, count: int) -> None:
    with Store(path) as store:
        for n in range(count):
            complaint(store, f"order {worker}-{n} late", minutes=n, ext_id=f"{worker}-{n}")


def test_concurrent_runs_lose_nothing(tmp_path):
    path = str(tmp_path / "r.db")
    Store(path).close()
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_observe_many, args=(path, w, 40)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    with Store(path) as store:
        assert store.counts()["comments"] == 160
        (incident,) = store.incidents()
        linked = store.db.execute(
            "SELECT COUNT(*) FROM comments WHERE incident_id = ?", (incident.id,)
        ).fetchone()[0]
        assert incident.count == linked == 160


def test_an_old_schema_is_migrated_forward(tmp_path):
    from replybook.store import MIGRATIONS

    path = tmp_path / "r.db"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.execute(
        "INSERT INTO comments (playbook, received_at, seen_at, intent, norm)"
        " VALUES ('default', 1, 1, 'complaint', 'old')"
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION == 2
        indexes = {
            r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type='index'")
        }
        assert "comments_unlinked" in indexes
        assert store.counts()["comments"] == 1
