"""The team store: schema, incidents, replies, concurrency."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from replybook import UsageError
from replybook.store import SCHEMA_VERSION, Store, TeamStore, normalise, open_store

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def complaint(
    store: TeamStore, text: str, minutes: float = 0, topic: str | None = "delivery", **kw
):
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
def store(store_target: str):
    """An empty store of each kind: every test that takes it runs on SQLite and PostgreSQL."""
    with open_store(store_target) as opened:
        yield opened


def test_new_store_is_versioned_and_empty(store):
    assert store.schema_version == SCHEMA_VERSION
    assert store.counts() == {"comments": 0, "replies": 0, "incidents": 0}


def test_new_sqlite_store_is_in_wal_mode(tmp_path):
    with Store(tmp_path / "r.db") as store:
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopening_keeps_the_data(store_target):
    with open_store(store_target) as first:
        complaint(first, "my order is late")
    with open_store(store_target) as second:
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


def test_a_topic_by_wording_opens_an_incident_only_for_near_identical_complaints(store):
    # Each customer's own late parcel: three of them are no outage.
    for n, text in enumerate(["my order is late", "where is my parcel", "order never arrived"]):
        assert complaint(store, text, n * 10, by_topic=False).state != "incident"
    # The same words from three customers in the window are one.
    locker = "parcel locker 12 won't open"
    same = [complaint(store, locker, 40 + n, by_topic=False) for n in range(3)]
    assert [p.state for p in same] == ["none", "possible", "incident"]
    incident = same[2].incident
    assert incident is not None and (incident.topic, incident.count) == ("delivery", 3)
    later = complaint(store, locker, 50, by_topic=False)
    assert later.incident is not None and later.incident.id == incident.id
    # Another wording on the topic is not folded into it.
    assert complaint(store, "my refund never came", 55, by_topic=False).state != "incident"


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
    linked = store.rows(
        "SELECT COUNT(*) FROM comments WHERE incident_id = ?", (third.incident.id,)
    )
    assert linked[0][0] == 4


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
    with open_store(path) as store:
        for n in range(count):
            complaint(store, f"order {worker}-{n} late", minutes=n, ext_id=f"{worker}-{n}")


def test_concurrent_runs_lose_nothing(store_target):
    path = store_target
    open_store(path).close()
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_observe_many, args=(path, w, 40)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    with open_store(path) as store:
        assert store.counts()["comments"] == 160
        (incident,) = store.incidents()
        linked = store.rows(
            "SELECT COUNT(*) FROM comments WHERE incident_id = ?", (incident.id,)
        )[0][0]
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
        assert store.schema_version == SCHEMA_VERSION == 3
        indexes = {
            r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type='index'")
        }
        assert "comments_unlinked" in indexes
        assert store.counts()["comments"] == 1


# -- the team's recent replies, as the drafts' history -----------------------------------


@pytest.fixture
def histories(monkeypatch):
    """Every history the drafter hands to ``draft``, in order; each reply it returns is
    marked with the length of that history, so that output shows what a draft was given
    (and a parallel run that gave a worker the wrong history would show it)."""
    import replybook.runner

    real = replybook.runner.draft
    seen: list[tuple[str, ...]] = []

    def draft(*args, history=(), **kwargs):
        seen.append(tuple(history))
        result = real(*args, history=history, **kwargs)
        if result.public_reply:
            result = result._replace(public_reply=f"{result.public_reply} #{len(history)}")
        return result

    monkeypatch.setattr(replybook.runner, "draft", draft)
    return seen


def cli(*args: str, input: str | None = None):
    from typer.testing import CliRunner

    from replybook.cli import app

    return CliRunner().invoke(app, list(args), input=input)


def test_draft_gets_the_teams_recent_replies_and_record_adds_to_them(histories):
    sent = cli("sent", "-", input="Hi Sam, sorry about the wait! DM us and we'll check. ^MK")
    assert sent.exit_code == 0
    first = cli("draft", "-f", "json", "--record", "My order is late")
    second = cli("draft", "-f", "json", "--record", "My order is late!")
    assert first.exit_code == second.exit_code == 0
    reply = json.loads(first.stdout)["public_reply"]
    assert histories == [
        ("Hi Sam, sorry about the wait! DM us and we'll check. ^MK",),
        (reply, "Hi Sam, sorry about the wait! DM us and we'll check. ^MK"),
    ]
    assert json.loads(second.stdout)["public_reply"].endswith(" #2")


def test_without_a_store_a_draft_has_no_history(histories):
    assert cli("sent", "-", input="An earlier reply. ^MK").exit_code == 0
    assert cli("draft", "--no-store", "My order is late").exit_code == 0
    assert histories == [()]


def test_history_size_comes_from_the_playbook(tmp_path, histories):
    book = tmp_path / "replybook.yaml"
    book.write_text("playbook: default\nextends: default\nhistory_size: 2\n", encoding="utf-8")
    for n in range(3):
        assert cli("sent", "--playbook", str(book), "-", input=f"Reply {n}. ^MK").exit_code == 0
    lines = jsonl_of("My order is late", "My parcel is late", "Where is my order")
    result = cli("draft", "--playbook", str(book), "--batch", "-", "--record", input=lines)
    assert result.exit_code == 0
    replies = [json.loads(line)["public_reply"] for line in result.stdout.splitlines()]
    assert histories == [
        ("Reply 2. ^MK", "Reply 1. ^MK"),
        (replies[0], "Reply 2. ^MK"),
        (replies[1], replies[0]),
    ]


def at(minutes: int) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


def jsonl_of(*texts: str) -> str:
    return "".join(
        json.dumps({"id": f"c{n}", "text": text, "received_at": at(n)}) + "\n"
        for n, text in enumerate(texts)
    )


def test_a_batch_reads_the_replies_once_and_keeps_them_current(monkeypatch, histories):
    calls = []
    real = Store.recent_replies

    def counted(self, playbook, limit=200):
        calls.append((playbook, limit))
        return real(self, playbook, limit)

    monkeypatch.setattr(Store, "recent_replies", counted)
    texts = ["My order is late", "My order is late again", "order still late", "Love it!"]
    result = cli("draft", "--batch", "-", "--record", input=jsonl_of(*texts))
    assert result.exit_code == 0
    assert calls == [("default", 200)]
    assert [len(h) for h in histories] == [0, 1, 2, 3]
    with Store() as store:
        assert tuple(store.recent_replies("default")) == (
            *reversed([json.loads(line)["public_reply"] for line in result.stdout.splitlines()]),
        )


@pytest.mark.parametrize("record", [True, False])
def test_jobs_draft_with_the_history_a_sequential_run_has(tmp_path, histories, record):
    texts = ["My order is late", "where is my parcel", "Do you ship to Norway?", "Love it!"]
    batch = jsonl_of(*(texts * 60))  # more than one chunk of records
    outputs = []
    for jobs, name in (("1", "one.db"), ("2", "two.db")):
        with Store(tmp_path / name) as store:
            store.record_reply(playbook="default", text="An earlier reply. ^MK", sent_at=T0)
        args = ["draft", "--batch", "-", "--jobs", jobs, "--db", str(tmp_path / name)]
        result = cli(*args, *(["--record"] if record else []), input=batch)
        assert result.exit_code == 0
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    marks = [
        json.loads(line)["public_reply"].rsplit(" #", 1)[1] for line in outputs[0].splitlines()
    ]
    if record:
        assert marks[:3] == ["1", "2", "3"] and marks[-1] == "200"
    else:
        assert set(marks) == {"1"}
    with Store(tmp_path / "one.db") as one, Store(tmp_path / "two.db") as two:
        assert one.recent_replies("default", 1000) == two.recent_replies("default", 1000)


def test_observe_counts_the_decision_made_with_the_thread(tmp_path):
    thread = tmp_path / "thread.json"
    thread.write_text(
        json.dumps([{"role": "customer", "text": "I found a piece of glass in my soup"}]),
        encoding="utf-8",
    )
    assert cli("draft", "--id", "a", "any update?").exit_code == 0
    assert cli("draft", "--id", "b", "--context", str(thread), "any update?").exit_code == 0
    with Store() as store:
        rows = store.db.execute("SELECT ext_id, action FROM comments ORDER BY id").fetchall()
    assert rows == [("a", "reply"), ("b", "escalate")]


def test_a_recorded_reply_steers_the_next_draft_away_from_it(tmp_path):
    comment = "My order still hasn't arrived and nobody answers my emails"

    def drafts(db: str, *extra: str) -> list[str]:
        replies = []
        for ext_id in ("a", "b"):
            args = ("draft", "-f", "json", "--db", db, "--id", ext_id, "--agent", "Mia Koski")
            result = cli(*args, "--received-at", "2026-11-23T09:00:00Z", *extra, comment)
            assert result.exit_code == 0
            replies.append(json.loads(result.stdout)["public_reply"])
        return replies

    plain = drafts(str(tmp_path / "plain.db"))
    recorded = drafts(str(tmp_path / "recorded.db"), "--record")
    # The same comment and the same memory of comments: without a recorded reply the
    # second draft is the first one again; with it, the draft picks other phrasings.
    assert plain[0] == plain[1] == recorded[0]
    assert recorded[1] != recorded[0]
    # Same input and same store state: the same draft.
    again = drafts(str(tmp_path / "again.db"), "--record")
    assert again == recorded


def test_seen_gives_each_comment_with_its_first_reply(store):
    def seen(ext_id, minutes, intent="complaint", action="reply", **kw):
        store.observe(
            playbook=kw.pop("playbook", "default"),
            text=f"text {ext_id}",
            intent=intent,
            action=action,
            topic=None,
            language="en",
            received_at=T0 + timedelta(minutes=minutes),
            ext_id=ext_id,
            channel=kw.pop("channel", "x"),
            agent=kw.pop("agent", "mia"),
            sla_minutes=kw.pop("sla", 60),
        )

    seen("a", 0)
    seen("b", 10, intent="abuse", action="moderate", sla=None)
    seen("c", 20, channel="instagram", agent=None, playbook="acme-air")
    seen("d", 60 * 24 * 3)  # three days later
    later = T0 + timedelta(minutes=45)
    store.record_reply(playbook="default", text="two", sent_at=later, comment_id="a", agent="li")
    store.record_reply(
        playbook="default", text="one", sent_at=T0 + timedelta(minutes=30), comment_id="a"
    )
    store.record_reply(playbook="default", text="elsewhere", sent_at=later, comment_id="c")
    rows = list(store.seen())
    assert [r.received_at for r in rows] == [
        T0,
        T0 + timedelta(minutes=10),
        T0 + timedelta(minutes=20),
        T0 + timedelta(days=3),
    ]
    first = rows[0]
    assert (first.playbook, first.channel, first.intent, first.action) == (
        "default",
        "x",
        "complaint",
        "reply",
    )
    # The first reply is the earliest sent; its sender (none given) leaves the drafter's name.
    assert (first.first_reply_at, first.agent, first.sla_minutes) == (
        T0 + timedelta(minutes=30),
        "mia",
        60,
    )
    assert (rows[1].action, rows[1].sla_minutes, rows[1].first_reply_at) == ("moderate", None, None)
    # A reply is matched within its playbook: acme-air's comment "c" has none.
    assert (rows[2].playbook, rows[2].first_reply_at, rows[2].agent) == ("acme-air", None, None)
    window = list(store.seen(since=T0 + timedelta(minutes=5), until=T0 + timedelta(days=1)))
    assert [r.intent for r in window] == ["abuse", "complaint"]
    assert [r.playbook for r in store.seen(playbook="acme-air")] == ["acme-air"]


def test_incident_spans(store):
    for minute in range(3):
        complaint(store, "order late", minute)
    complaint(store, "bill wrong", 100, topic="billing")
    complaint(store, "bill wrong", 101, topic="billing")
    complaint(store, "bill wrong", 102, topic="billing")
    (billing, delivery) = store.incidents()
    store.close_incident(delivery.id, now=T0 + timedelta(hours=5))
    spans = store.incident_spans()
    assert [(s.label, s.status, s.complaints) for s in spans] == [
        ("delivery", "closed", 3),
        ("billing", "open", 3),
    ]
    assert spans[0].first_seen == T0 and spans[0].closed_at == T0 + timedelta(hours=5)
    assert spans[1].closed_at is None
    assert store.incident_spans(since=T0 + timedelta(minutes=50)) == [spans[1]]
