"""Batches, triage, incidents and sent on the command line; kill -9 safety."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from replybook.cli import app
from replybook.store import Store

runner = CliRunner()


def invoke(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def jsonl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


GOOD = {"id": "a1", "text": "My order still hasn't arrived", "name": "Dana"}


def test_draft_batch_keeps_order_ids_and_reports_bad_records(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(
        jsonl(
            GOOD,
            "{not json",
            {"id": "a3"},
            {"id": "a4", "text": "Love it", "received_at": "yesterday"},
            ["a list"],
            {"id": 6, "text": "you are all idiots", "channel": "facebook"},
            "",
            {"text": "no id here, thanks!"},
        ),
        encoding="utf-8",
    )
    result = invoke("draft", "--batch", str(path), "--received-at", "2026-11-23T09:00:00Z")
    assert result.exit_code == 1
    assert result.stderr == ('replybook: 4 of 7 records failed (see their "error" fields)\n')
    out = lines(result.stdout)
    assert [o["id"] for o in out] == ["a1", 2, "a3", "a4", 5, 6, 8]
    assert out[0]["intent"] == "complaint" and out[0]["public_reply"].startswith(
        ("Hi", "Hey", "Hello")
    )
    assert out[0]["due"] == "2026-11-23T10:00:00Z"
    assert out[1] == {
        "id": 2,
        "error": "line 2: not valid JSON (Expecting property name enclosed in double quotes)",
    }
    assert out[2] == {"id": "a3", "error": 'line 3: no "text"'}
    assert out[3]["error"].startswith("line 4: received_at: 'yesterday' is not an ISO 8601 time")
    assert out[4] == {"id": 5, "error": "line 5: expected a JSON object"}
    assert out[5]["action"] == "moderate" and out[5]["channel"] == "facebook"
    assert out[6]["intent"] == "praise"


def test_csv_with_mapped_columns(tmp_path):
    path = tmp_path / "inbox.csv"
    path.write_text(
        'msg_id,message,author,network\n1,"My parcel is late, again",Sam,facebook\n'
        '2,"Thanks, sorted!",Ana,x\n',
        encoding="utf-8",
    )
    result = invoke(
        "draft",
        "--batch",
        str(path),
        "--columns",
        "id=msg_id,text=message,name=author,channel=network",
    )
    assert result.exit_code == 0
    out = lines(result.stdout)
    assert [(o["id"], o["intent"], o["channel"]) for o in out] == [
        ("1", "complaint", "facebook"),
        ("2", "praise", "x"),
    ]
    assert "Sam" in out[0]["public_reply"]


def test_csv_without_a_text_column_is_a_usage_error(tmp_path):
    path = tmp_path / "inbox.csv"
    path.write_text("msg_id,message\n1,hello\n", encoding="utf-8")
    result = invoke("draft", "--batch", str(path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"replybook: error: {path}: no 'text' column (columns: msg_id, message); "
        "map one with --columns text=COLUMN\n"
    )


def test_bad_columns_spec():
    result = invoke("draft", "--batch", "-", "--columns", "txt=message", input="")
    assert result.exit_code == 2
    assert "unknown field 'txt'" in result.stderr


def test_batch_from_stdin():
    result = invoke(
        "draft", "--batch", "-", input=jsonl(GOOD, {"id": "b", "text": "lol 😂 great ad"})
    )
    assert result.exit_code == 0
    assert [o["id"] for o in lines(result.stdout)] == ["a1", "b"]


def test_output_file_is_written_whole(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "drafts.jsonl"
    result = invoke(
        "draft", "--batch", "-", "--output", str(out), input=jsonl(GOOD, GOOD | {"id": "a2"})
    )
    assert result.exit_code == 0 and result.stdout == ""
    assert [o["id"] for o in lines(out.read_text(encoding="utf-8"))] == ["a1", "a2"]
    assert [p.name for p in folder.iterdir()] == ["drafts.jsonl"]  # no temporary file left


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_output_to_a_pipe_or_device_is_written_through(tmp_path):
    # "--output /dev/null" must never put a plain file in the device's place: a named pipe
    # stands in for the device here.
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    result = invoke("draft", "--batch", "-", "--output", str(fifo), input=jsonl(GOOD))
    reader.join(timeout=10)
    assert result.exit_code == 0
    assert [o["id"] for o in lines(received[0])] == ["a1"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_output_file_not_written_on_a_usage_error(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "drafts.jsonl"
    result = invoke("draft", "--batch", str(tmp_path / "missing.jsonl"), "--output", str(out))
    assert result.exit_code == 2
    assert list(folder.iterdir()) == []


def test_jobs_give_the_same_output_in_the_same_order(tmp_path):
    records = [
        {"id": n, "text": text, "received_at": f"2026-11-23T09:{n:02d}:00Z"}
        for n, text in enumerate(
            [
                "My order is late",
                "where is my parcel",
                "order never came",
                "love the ad 😂",
                "you idiots",
                "Do you ship to Norway?",
                "my order is late again",
            ]
            * 4
        )
    ]
    path = tmp_path / "in.jsonl"
    path.write_text(jsonl(*records), encoding="utf-8")
    one = invoke("draft", "--batch", str(path), "--db", str(tmp_path / "one.db"))
    two = invoke("draft", "--batch", str(path), "--jobs", "2", "--db", str(tmp_path / "two.db"))
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout
    assert any(o["incident"] for o in lines(one.stdout))


def test_draft_remembers_and_links_incidents():
    for n in range(3):
        result = invoke(
            "draft",
            "-f",
            "json",
            "--id",
            f"c{n}",
            "--received-at",
            f"2026-11-23T09:0{n}:00Z",
            "My order still hasn't arrived",
        )
    data = json.loads(result.stdout)
    assert data["incident"] == 1
    assert "Incident #1 (delivery): 3 complaints since 2026-11-23T09:00:00Z" in data["note"]
    listed = invoke("incidents", "-f", "json")
    assert [i["count"] for i in json.loads(listed.stdout)["incidents"]] == [3]
    assert invoke("incidents").stdout.startswith("#1    open      3 complaints  delivery")
    closed = invoke("incidents", "close", "1")
    assert (closed.exit_code, closed.stdout) == (0, "closed incident 1 (delivery, 3 complaints)\n")
    again = invoke("incidents", "close", "1")
    assert (again.exit_code, again.stderr) == (
        2,
        "replybook: error: incident 1 is already closed\n",
    )
    assert invoke("incidents").stdout == "No open incidents.\n"


def test_no_store_remembers_nothing(tmp_path):
    for _ in range(3):
        result = invoke("draft", "-f", "json", "--no-store", "My order still hasn't arrived")
    assert json.loads(result.stdout)["incident"] is None
    assert not Path(os.environ["REPLYBOOK_DB"]).exists()


def test_sent_replies_feed_the_canned_check():
    reply = "Hi Dana, so sorry about your order. Please send us a DM and we'll track it. ^MK"
    recorded = invoke("sent", "--comment-id", "c1", "-", input=reply)
    assert (recorded.exit_code, recorded.stdout) == (0, "recorded reply 1 for default\n")
    again = invoke("lint", "-f", "line", "-", input=reply.replace("Dana", "Sam"))
    assert ":warning:canned-reply:9" in again.stdout
    assert invoke("lint", "-f", "line", "--no-store", "-", input=reply).stdout == ""


def test_draft_record_remembers_the_public_reply():
    result = invoke("draft", "-f", "json", "--record", "--agent", "Mia Koski", "My order is late")
    reply = json.loads(result.stdout)["public_reply"]
    with Store() as store:
        assert store.recent_replies("default") == [reply]


def test_lint_batch(tmp_path):
    path = tmp_path / "replies.jsonl"
    path.write_text(
        jsonl(
            {
                "id": "r1",
                "text": "Hi Dana, sorry about your order! Please DM us. ^MK",
                "comment": "my order is late",
            },
            {"id": "r2", "text": "As I already said, calm down. ^MK"},
            {"id": "r3"},
        ),
        encoding="utf-8",
    )
    result = invoke("lint", "--batch", str(path))
    assert result.exit_code == 1
    out = lines(result.stdout)
    assert out[0] == {
        "id": "r1",
        "findings": [],
        "counts": {"error": 0, "warning": 0, "suggestion": 0},
    }
    assert [f["rule"] for f in out[1]["findings"]] == [
        "blames-customer",
        "no-greeting",
        "calm-down",
    ]
    assert out[2] == {"id": "r3", "error": 'line 3: no "text"'}
    clean = invoke("lint", "--batch", "-", input=jsonl(out[0] | {"text": "Hi Ana, thanks! ^MK"}))
    assert clean.exit_code == 0


def test_triage_orders_the_queue(tmp_path):
    path = tmp_path / "inbox.jsonl"
    path.write_text(
        jsonl(
            {
                "id": "praise",
                "text": "Thanks, you sorted it!",
                "received_at": "2026-11-23T08:00:00Z",
            },
            {"id": "troll", "text": "you are all idiots", "received_at": "2026-11-23T08:00:00Z"},
            {"id": "late", "text": "Do you ship to Norway?", "received_at": "2026-11-23T09:00:00Z"},
            {
                "id": "legal",
                "text": "My lawyer will sue you",
                "received_at": "2026-11-23T09:00:00Z",
            },
            {"id": "early", "text": "Do you ship to Spain?", "received_at": "2026-11-23T07:00:00Z"},
            {"id": "rude", "text": "your company sucks", "received_at": "2026-11-23T07:00:00Z"},
            {"id": "bad"},
        ),
        encoding="utf-8",
    )
    result = invoke("triage", str(path), "-f", "json", "--now", "2026-11-23T09:45:00Z")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [row["id"] for row in data["queue"]] == [
        "legal",
        "early",
        "late",
        "praise",
        "troll",
        "rude",
    ]
    assert data["queue"][0] | {"text": ""} == {
        "rank": 1,
        "id": "legal",
        "priority": 0,
        "due": "2026-11-23T09:30:00Z",
        "intent": "complaint",
        "action": "escalate",
        "topic": None,
        "route": "support",
        "tags": ["intent:complaint", "lang:en", "escalation:legal", "route:support"],
        "incident": None,
        "text": "",
        "overdue": True,
    }
    assert [row["overdue"] for row in data["queue"]] == [True, True, False, False, True, False]
    assert data["errors"] == [{"id": "bad", "error": 'line 7: no "text"'}]
    plain = invoke("triage", str(path), "--now", "2026-11-23T09:45:00Z")
    assert plain.stdout.splitlines()[0].split()[:2] == ["1", "overdue"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.text(max_size=80), max_size=8))
def test_any_input_lines_give_one_result_each_and_no_crash(raw_lines):
    text = "".join(line.replace("\n", " ").replace("\r", " ") + "\n" for line in raw_lines)
    result = invoke("draft", "--batch", "-", "--no-store", input=text)
    assert result.exit_code in (0, 1, 2)
    if result.exit_code != 2:
        out = lines(result.stdout)
        assert all(("error" in o) != ("public_reply" in o) for o in out)


def test_kill_9_loses_nothing_reported_and_the_store_opens(tmp_path):
    db = tmp_path / "r.db"
    big = tmp_path / "big.jsonl"
    texts = ["My order is late", "where is my parcel??", "love the ad 😂", "Do you ship to Norway?"]
    big.write_text(
        jsonl(*({"id": n, "text": f"{texts[n % 4]} #{n}"} for n in range(200_000))),
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    with out.open("w") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "replybook", "draft", "--batch", str(big), "--db", str(db)],
            stdout=sink,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 120
        # Kill it once it has reported a few chunks, in the middle of the run.
        while out.stat().st_size < 100_000 and time.time() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert proc.poll() is None, "the batch ended before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    written = [
        json.loads(line)
        for line in out.read_text().splitlines(keepends=True)
        if line.endswith("\n")
    ]
    assert len(written) >= 50
    with Store(db) as store:
        seen = {r[0] for r in store.db.execute("SELECT ext_id FROM comments")}
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert {str(o["id"]) for o in written} <= seen


def test_triage_links_every_member_of_an_incident(tmp_path):
    path = tmp_path / "inbox.jsonl"
    path.write_text(
        jsonl(
            *(
                {"id": f"c{n}", "text": text, "received_at": f"2026-11-23T09:0{n}:00Z"}
                for n, text in enumerate(
                    [
                        "The app keeps crashing",
                        "Your app crashed again when I paid",
                        "App won't even open now!",
                        "Love the new store",
                    ]
                )
            )
        ),
        encoding="utf-8",
    )
    data = json.loads(
        invoke("triage", str(path), "-f", "json", "--now", "2026-11-23T09:30:00Z").stdout
    )
    links = {row["id"]: row["incident"] for row in data["queue"]}
    assert links == {"c0": 1, "c1": 1, "c2": 1, "c3": None}


def test_each_customers_own_late_parcel_is_no_incident(tmp_path):
    # The default playbook's delivery topic counts near-identical wording only.
    texts = ["My order hasn't arrived", "Where is my parcel?", "Order still missing!"]
    path = tmp_path / "inbox.jsonl"
    path.write_text(
        jsonl(
            *(
                {"id": f"c{n}", "text": text, "received_at": f"2026-11-23T09:0{n}:00Z"}
                for n, text in enumerate(texts)
            )
        ),
        encoding="utf-8",
    )
    data = json.loads(
        invoke("triage", str(path), "-f", "json", "--now", "2026-11-23T09:30:00Z").stdout
    )
    assert [row["incident"] for row in data["queue"]] == [None, None, None]


def test_progress_bar_on_a_terminal_only(tmp_path, monkeypatch):
    import io

    from replybook.batch import Sink, Source, run_batch

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    path = tmp_path / "in.jsonl"
    path.write_text(jsonl(*({"id": n, "text": "x"} for n in range(450))), encoding="utf-8")
    err = Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    out = tmp_path / "out.jsonl"
    result = run_batch(Source(str(path)), Sink(str(out)), lambda r: {"id": r["id"]}, progress=True)
    assert result.records == 450 and result.failed == 0
    assert "450 records" in err.getvalue()
    assert [o["id"] for o in lines(out.read_text())] == list(range(450))


def test_lines_that_are_not_utf8_become_error_records(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(
        b'{"id": "a", "text": "My order is late"}\n'
        b'{"id": "b", "text": "caf\xe9 \xff\xfe broken"}\n'
        b'{"id": "c", "text": "Thanks, sorted!"}\n'
    )
    result = invoke("draft", "--batch", str(path), "--no-store")
    assert result.exit_code == 1
    out = lines(result.stdout)
    assert [o["id"] for o in out] == ["a", 2, "c"]
    assert out[1] == {"id": 2, "error": "line 2: not UTF-8 text"}
    csv_path = tmp_path / "in.csv"
    csv_path.write_bytes(b"id,text\n1,fine\n2,bad \xff byte\n")
    out = lines(invoke("draft", "--batch", str(csv_path), "--no-store").stdout)
    assert out[1] == {"id": 3, "error": "line 3: not UTF-8 text"}


def test_a_binary_file_is_one_clear_error(tmp_path):
    path = tmp_path / "photo.bin"
    path.write_bytes(bytes(range(256)) * 4)
    result = invoke("draft", "--batch", str(path), "--no-store")
    assert result.exit_code == 2
    assert result.stderr == f"replybook: error: {path}: not a UTF-8 JSONL or CSV file\n"


def test_broken_csv_quoting_is_an_error_record(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text('id,text\n1,fine\n2,"open quote\n', encoding="utf-8")
    result = invoke("draft", "--batch", str(path), "--no-store")
    assert result.exit_code in (0, 1)
    assert lines(result.stdout)[0]["id"] == "1"


# -- thread context ----------------------------------------------------------------------

FIXED = [
    {"role": "customer", "text": "The app crashes every time I open my basket"},
    {"role": "brand", "text": "Sorry! Please update the app and restart, that should fix it."},
]
SHAPE = "context: expected a list of {role, text} messages, oldest first"


def test_context_in_batch_records_and_bad_ones_as_error_records(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(
        jsonl(
            {"id": "t1", "text": "great, thanks", "context": FIXED},
            {"id": "t2", "text": "great, thanks"},
            {"id": "b1", "text": "thanks", "context": "not json"},
            {"id": "b2", "text": "thanks", "context": {"role": "brand", "text": "hi"}},
            {"id": "b3", "text": "thanks", "context": [{"role": "bot", "text": "hi"}]},
            {"id": "b4", "text": "thanks", "context": ["hello"]},
            {"id": "t3", "text": "great, thanks", "context": json.dumps(FIXED)},
            {"id": "t4", "text": "great, thanks", "context": []},
        ),
        encoding="utf-8",
    )
    result = invoke("draft", "--batch", str(path), "--no-store")
    assert result.exit_code == 1
    assert result.stderr == 'replybook: 4 of 8 records failed (see their "error" fields)\n'
    out = lines(result.stdout)
    assert [o["id"] for o in out] == ["t1", "t2", "b1", "b2", "b3", "b4", "t3", "t4"]
    turnaround = [o["reasons"][0]["rule"] == "follow-up-turnaround" for o in out if "intent" in o]
    assert turnaround == [True, False, True, False]
    assert out[2] == {"id": "b1", "error": "line 3: context: not valid JSON (Expecting value)"}
    assert out[3] == {"id": "b2", "error": f"line 4: {SHAPE}"}
    assert out[4]["error"].startswith("line 5: context[0].role must be ")
    assert out[5]["error"].startswith("line 6: context[0] must be ")
    assert all("\n" not in o.get("error", "") for o in out)


def test_context_column_in_a_csv_batch(tmp_path):
    import csv

    path = tmp_path / "inbox.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["msg_id", "message", "thread"])
        writer.writerow(["1", "great, thanks", json.dumps(FIXED)])
        writer.writerow(["2", "great, thanks", ""])
        writer.writerow(["3", "great, thanks", "[{'role': 'brand'}]"])
    result = invoke(
        "draft",
        "--batch",
        str(path),
        "--no-store",
        "--columns",
        "id=msg_id,text=message,context=thread",
    )
    assert result.exit_code == 1
    out = lines(result.stdout)
    assert out[0]["reasons"][0]["rule"] == "follow-up-turnaround"
    assert out[1]["reasons"][0]["rule"] != "follow-up-turnaround"
    assert out[2] == {
        "id": "3",
        "error": "line 4: context: not valid JSON (Expecting property name enclosed in double"
        " quotes)",
    }


def test_context_on_the_command_line_is_the_default_for_records(tmp_path):
    thread = tmp_path / "thread.json"
    thread.write_text(json.dumps(FIXED), encoding="utf-8")
    records = jsonl(
        {"id": 1, "text": "great, thanks"}, {"id": 2, "text": "great, thanks", "context": []}
    )
    result = invoke("draft", "--batch", "-", "--no-store", "--context", str(thread), input=records)
    assert result.exit_code == 0
    rules = [o["reasons"][0]["rule"] for o in lines(result.stdout)]
    assert rules[0] == "follow-up-turnaround" and rules[1] != "follow-up-turnaround"


def test_jobs_with_context_and_a_store_give_the_sequential_output(tmp_path):
    glass = [{"role": "customer", "text": "I found a piece of glass in my soup"}]
    records = [
        {"id": n, "text": text, "context": context, "received_at": f"2026-11-23T09:{n:02d}:00Z"}
        for n, (text, context) in enumerate(
            [
                ("great, thanks", FIXED),
                ("any update?", glass),
                ("My order is late", []),
                ("where is my parcel", FIXED),
                ("still not working", FIXED),
                ("thanks", "[oops"),
                ("order never came", None),
            ]
            * 3
        )
    ]
    path = tmp_path / "in.jsonl"
    path.write_text(jsonl(*records), encoding="utf-8")
    one = invoke("draft", "--batch", str(path), "--db", str(tmp_path / "one.db"))
    two = invoke("draft", "--batch", str(path), "--jobs", "2", "--db", str(tmp_path / "two.db"))
    assert one.exit_code == two.exit_code == 1
    assert one.stdout == two.stdout
    out = lines(one.stdout)
    assert [o["action"] for o in out[:2]] == ["reply", "escalate"]
    assert any(o.get("incident") for o in out)
    with Store(tmp_path / "one.db") as first, Store(tmp_path / "two.db") as second:
        query = "SELECT ext_id, intent, action, incident_id FROM comments ORDER BY id"
        assert first.db.execute(query).fetchall() == second.db.execute(query).fetchall()


def test_lint_batch_records_with_context(tmp_path):
    book = tmp_path / "replybook.yaml"
    book.write_text(
        "playbook: thread-rules\nextends: default\nrules:\n"
        "  - id: apology-on-a-turnaround\n    extends: existence\n"
        "    when: {case: turnaround}\n    level: error\n"
        "    message: \"Don't apologise again ('{match}').\"\n"
        "    why: A turnaround gets thanks, not another apology (empathy-thanks).\n"
        "    tokens: {en: [sorry]}\n    examples:\n"
        '      comment: "It works now, thanks!"\n'
        '      bad: ["So sorry, glad it works! ^MK"]\n'
        '      good: ["Glad it works, thanks! ^MK"]\n',
        encoding="utf-8",
    )
    reply = "So sorry about that, glad it works now. Thanks for telling us! ^MK"
    records = jsonl(
        {"id": "r1", "text": reply, "comment": "great, thanks", "context": FIXED},
        {"id": "r2", "text": reply, "comment": "great, thanks"},
        {"id": "r3", "text": reply, "context": FIXED},
        {"id": "r4", "text": reply, "comment": "great, thanks", "context": {"a": 1}},
    )
    result = invoke("lint", "--batch", "-", "--playbook", str(book), input=records)
    assert result.exit_code == 1
    out = lines(result.stdout)
    assert [f["rule"] for f in out[0]["findings"]] == ["apology-on-a-turnaround"]
    assert out[1]["findings"] == []
    assert out[2] == {"id": "r3", "error": 'line 3: a "context" needs the "comment" it leads up to'}
    assert out[3] == {"id": "r4", "error": f"line 4: {SHAPE}"}


def test_triage_reads_the_thread(tmp_path):
    glass = [{"role": "customer", "text": "I found a piece of glass in my soup"}]
    records = jsonl(
        {"id": "q", "text": "Do you ship to Norway?", "received_at": "2026-11-23T08:00:00Z"},
        {"id": "plain", "text": "any update?", "received_at": "2026-11-23T09:00:00Z"},
        {
            "id": "thread",
            "text": "any update?",
            "context": glass,
            "received_at": "2026-11-23T09:00:00Z",
        },
        {"id": "bad", "text": "any update?", "context": 7},
    )
    result = invoke("triage", "-", "-f", "json", "--now", "2026-11-23T09:05:00Z", input=records)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [(r["id"], r["action"]) for r in data["queue"]][0] == ("thread", "escalate")
    assert {r["id"]: r["action"] for r in data["queue"]}["plain"] == "reply"
    assert data["errors"] == [{"id": "bad", "error": f"line 4: {SHAPE}"}]


def test_json_nested_too_deeply_is_an_error_record_not_a_crash(tmp_path):
    deep = "[" * 100_000
    path = tmp_path / "deep.jsonl"
    path.write_text(
        deep + "\n" + json.dumps({"id": "c", "text": "thanks", "context": deep}) + "\n",
        encoding="utf-8",
    )
    result = invoke("draft", "--batch", str(path), "--no-store")
    assert result.exit_code == 1
    assert lines(result.stdout) == [
        {"id": 1, "error": "line 1: not valid JSON (nested too deeply)"},
        {"id": "c", "error": "line 2: context: not valid JSON (nested too deeply)"},
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ['{"a": ', '"x"', "1", "1.5e3", "1e999", "NaN", "[", "]", "{", "}", ", ", '"k": ']
            + [" ", "\t", "\n", "\r", "\x0b", "\u00a0", "\\", '"\\ud800"', "null", "tru"]
        ),
        max_size=14,
    ).map("".join)
    | st.text(max_size=20)
)
def test_a_jsonl_line_reads_as_the_decoder_reads_it(line):
    from replybook.batch import _loads, _loads_line

    def read(how):
        try:
            return ("value", json.dumps(how(line)))
        except ValueError as exc:
            return ("error", type(exc), str(exc))

    assert read(_loads_line) == read(_loads)
