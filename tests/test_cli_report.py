"""replybook report, and the --sent-at of sent and draft --record: a store filled through
the real commands, exact output and exit codes."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import pytest
from typer.testing import CliRunner

import replybook.cli
import replybook.output
from replybook.cli import app
from replybook.store import Store

runner = CliRunner()
NOW = "2026-11-26T12:00:00Z"
RANGE = ["--since", "2026-11-23", "--until", "2026-11-27", "--now", NOW]


@pytest.fixture(autouse=True)
def _utc(monkeypatch):
    monkeypatch.delenv("REPLYBOOK_TZ", raising=False)


def invoke(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def clock(monkeypatch, when: str) -> None:
    moment = datetime.fromisoformat(when.replace("Z", "+00:00")).astimezone(timezone.utc)
    monkeypatch.setattr(replybook.cli, "_now", lambda: moment)


def ok(result):
    assert result.exit_code == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """A store of one week, made by draft, sent and incidents close:

    - 23rd 09:00 x, mia: a complaint answered in 20 minutes (within its 60)
    - 23rd 10:00 facebook, ali: a complaint answered in 90 minutes (late)
    - 24th 08:00 x: the third delivery complaint (an incident opens at the first's time,
      23rd 09:00); mia sends a reply 45 minutes later (within); the incident is closed on
      the 24th at 11:00, 26 hours after it began
    - 25th 08:00 x: a troll, moderated (no reply due)
    - 25th 09:00 facebook: a complaint never answered (overdue at the report's now)
    - 26th 11:00 x: a question not answered yet, due at 13:00 (open at 12:00)
    """
    folder = tmp_path_factory.mktemp("report")
    path = str(folder / "team.db")
    # The default playbook's rules, with delivery complaints counted by topic (as an outage
    # would be), so that three differently worded ones open the incident.
    book = folder / "book.yaml"
    book.write_text(
        "playbook: default\nextends: default\ntopics:\n  delivery:\n    incident_by: topic\n",
        encoding="utf-8",
    )
    base = ["--db", path, "--playbook", str(book)]
    drafts = [
        ("c1", "x", "mia", "2026-11-23T09:00:00Z", "2026-11-23T09:20:00Z",
         "My order still hasn't arrived"),
        ("c2", "facebook", "ali", "2026-11-23T10:00:00Z", "2026-11-23T11:30:00Z",
         "My order still hasn't arrived and nobody answers"),
        ("c3", "x", None, "2026-11-24T08:00:00Z", None, "my order never arrived"),
        ("c4", "x", None, "2026-11-25T08:00:00Z", None, "you are all fucking idiots"),
        ("c5", "facebook", None, "2026-11-25T09:00:00Z", None,
         "The app keeps crashing when I pay, this is useless"),
        ("c6", "x", None, "2026-11-26T11:00:00Z", None, "What are your opening hours?"),
    ]  # fmt: skip
    for ident, channel, agent, received, sent, text in drafts:
        args = [*base, "--id", ident, "--channel", channel, "--received-at", received]
        if agent is not None:
            args += ["--agent", agent]
        if sent is not None:
            args += ["--record", "--sent-at", sent]
        ok(invoke("draft", *args, text))
    reply = "Sorry about the wait, Sam: DM us the order number and we'll chase it. ^MK"
    ok(invoke("sent", *base, "--comment-id", "c3", "--agent", "mia",
              "--sent-at", "2026-11-24T08:45:00Z", "-", input=reply))  # fmt: skip
    with pytest.MonkeyPatch.context() as monkeypatch:
        clock(monkeypatch, "2026-11-24T11:00:00Z")
        closed = ok(invoke("incidents", "close", "1", "--db", path))
    assert closed.stdout.startswith("closed incident 1 (delivery, 3 complaints)")
    return path


TEXT = """\
replybook report by day, all playbooks
2026-11-23 00:00 to 2026-11-27 00:00 UTC, as of 2026-11-26 12:00

Comments
day         seen  replied  escalated  moderated  skipped  reviewed
2026-11-23     2        2          0          0        0         0
2026-11-24     1        1          0          0        0         0
2026-11-25     2        0          0          1        0         0
2026-11-26     1        0          0          0        0         0
total          6        3          0          1        0         0

First replies against the SLA
day         due  within  late  overdue  open  in SLA  median    p90
2026-11-23    2       1     1        0     0     50%     55m  1h30m
2026-11-24    1       1     0        0     0    100%     45m    45m
2026-11-25    1       0     0        1     0      0%       -      -
2026-11-26    1       0     0        0     1       -       -      -
total         5       2     1        1     1     50%     45m  1h30m

Incidents
day         opened  closed  open  median time to close
2026-11-23       1       1     0                26h00m
total            1       1     0                26h00m

Open incidents: 0
"""


def test_the_text_report(db):
    result = ok(invoke("report", "--db", db, *RANGE))
    assert result.stdout == TEXT
    assert result.stderr == ""


def test_the_text_report_per_channel_and_agent_with_its_charts(db):
    result = ok(invoke("report", "--db", db, *RANGE, "--group", "channel,agent", "--chart", "-"))
    head, sla = result.stdout.split("\n\nFirst replies against the SLA\n")
    assert head.splitlines()[3:] == [
        "Comments",
        "day         channel / agent  seen  replied  escalated  moderated  skipped  reviewed",
        "2026-11-23  all                 2        2          0          0        0         0",
        "            facebook / ali      1        1          0          0        0         0",
        "            x / mia             1        1          0          0        0         0",
        "2026-11-24  all                 1        1          0          0        0         0",
        "            x / mia             1        1          0          0        0         0",
        "2026-11-25  all                 2        0          0          1        0         0",
        "            facebook / -        1        0          0          0        0         0",
        "            x / -               1        0          0          1        0         0",
        "2026-11-26  all                 1        0          0          0        0         0",
        "            x / -               1        0          0          0        0         0",
        "total       all                 6        3          0          1        0         0",
        "            facebook / ali      1        1          0          0        0         0",
        "            facebook / -        1        0          0          0        0         0",
        "            x / mia             2        2          0          0        0         0",
        "            x / -               2        0          0          1        0         0",
    ]
    chart = sla.split("\n\nWithin SLA by day\n")[1]
    assert chart.splitlines() == [
        "2026-11-23  ███████████████░░░░░░░░░░░░░░░   50%  1 of 2",
        "2026-11-24  ██████████████████████████████  100%  1 of 1",
        "2026-11-25  ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░    0%  0 of 1",
        "2026-11-26                                     -  nothing due",
        "",
        "Within SLA per channel / agent, a mark a day (▁ 0% … █ 100%, · nothing due)",
        "facebook / ali  ▁···    0%",
        "facebook / -    ··▁·    0%",
        "x / mia         ██··  100%",
        "x / -           ····     -",
    ]


def test_the_json_report(db):
    result = ok(invoke("report", "--db", db, *RANGE, "--group", "channel", "-f", "json"))
    data = json.loads(result.stdout)
    assert result.stdout.count("\n") == 1
    assert {k: data[k] for k in ("since", "until", "now", "tz", "by", "group", "playbook")} == {
        "since": "2026-11-23T00:00:00Z",
        "until": "2026-11-27T00:00:00Z",
        "now": NOW,
        "tz": "UTC",
        "by": "day",
        "group": ["channel"],
        "playbook": None,
    }
    assert [p["period"] for p in data["periods"]] == [
        "2026-11-23",
        "2026-11-24",
        "2026-11-25",
        "2026-11-26",
    ]
    assert data["total"] == {
        "seen": 6,
        "replied": 3,
        "escalated": 0,
        "moderated": 1,
        "skipped": 0,
        "reviewed": 0,
        "sla": {
            "due": 5,
            "within": 2,
            "breached": 2,
            "late": 1,
            "overdue": 1,
            "open": 1,
            "share": 0.5,
        },
        "first_reply": {"median_minutes": 45.0, "p90_minutes": 90.0},
        "incidents": {"opened": 1, "closed": 1, "open": 0, "median_close_minutes": 1560.0},
    }
    groups = {g["key"]["channel"]: g for g in data["groups"]}
    assert list(groups) == ["facebook", "x"]
    assert groups["x"]["sla"] == {
        "due": 3,
        "within": 2,
        "breached": 0,
        "late": 0,
        "overdue": 0,
        "open": 1,
        "share": 1.0,
    }
    assert groups["x"]["incidents"] is None  # an incident has no channel
    first = data["periods"][0]
    assert (first["start"], first["end"], first["partial"]) == (
        "2026-11-23T00:00:00Z",
        "2026-11-24T00:00:00Z",
        False,
    )
    assert [g["key"] for g in first["groups"]] == [{"channel": "facebook"}, {"channel": "x"}]
    assert data["open_incidents"] == []


def test_the_csv_report_has_a_row_per_period_and_group(db):
    result = ok(invoke("report", "--db", db, *RANGE, "--group", "channel", "--format", "csv"))
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == [
        "period", "start", "end", "partial", "channel", "seen", "replied", "escalated",
        "moderated", "skipped", "reviewed", "sla_due", "sla_within", "sla_breached",
        "sla_late", "sla_overdue", "sla_open", "sla_share", "first_reply_median_minutes",
        "first_reply_p90_minutes", "incidents_opened", "incidents_closed", "incidents_open",
        "incidents_median_close_minutes",
    ]  # fmt: skip
    assert len(rows) == 1 + 4 * 2
    assert rows[1] == [
        "2026-11-23", "2026-11-23T00:00:00Z", "2026-11-24T00:00:00Z", "false", "facebook",
        "1", "1", "0", "0", "0", "0", "1", "0", "1", "1", "0", "0", "0.0", "90.0", "90.0",
        "", "", "", "",
    ]  # fmt: skip
    assert rows[4][:5] == ["2026-11-24", "2026-11-24T00:00:00Z", "2026-11-25T00:00:00Z",
                           "false", "x"]  # fmt: skip
    assert rows[4][17:] == ["1.0", "45.0", "45.0", "", "", "", ""]
    assert rows[8][4:] == [
        "x", "1", "0", "0", "0", "0", "0", "1", "0", "0", "0", "0", "1", "", "", "",
        "", "", "", "",
    ]  # fmt: skip


def test_csv_without_groups_carries_the_incidents(db):
    result = ok(invoke("report", "--db", db, *RANGE, "-f", "csv"))
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert len(rows) == 5
    assert rows[1][-4:] == ["1", "1", "0", "1560.0"]
    assert rows[2][-4:] == ["0", "0", "0", ""]


def test_weeks_and_a_time_zone(db):
    result = ok(
        invoke(
            "report", "--db", db, "--by", "week", "--tz", "Asia/Tehran", "-f", "json",
            "--since", "2026-11-23T03:30:00+03:30", "--until", "2026-11-30", "--now", NOW,
        )
    )  # fmt: skip
    data = json.loads(result.stdout)
    assert data["tz"] == "Asia/Tehran"
    assert data["since"] == "2026-11-23T00:00:00Z"
    assert data["until"] == "2026-11-29T20:30:00Z"
    (week,) = data["periods"]
    assert (week["period"], week["start"], week["partial"]) == (
        "2026-W48",
        "2026-11-23T00:00:00+03:30",
        True,
    )
    assert week["total"]["seen"] == 6


def test_one_playbook_by_name_or_file(db):
    other = json.loads(
        ok(invoke("report", "--db", db, *RANGE, "--playbook", "acme-air", "-f", "json")).stdout
    )
    assert other["playbook"] == "acme-air" and other["total"]["seen"] == 0
    named = json.loads(
        ok(invoke("report", "--db", db, *RANGE, "--playbook", "default", "-f", "json")).stdout
    )
    assert named["playbook"] == "default" and named["total"]["seen"] == 6
    unknown = json.loads(
        ok(invoke("report", "--db", db, *RANGE, "--playbook", "nobody", "-f", "json")).stdout
    )
    assert unknown["playbook"] == "nobody" and unknown["total"]["seen"] == 0


def test_the_svg_chart_is_xml_and_escapes_a_hostile_agent(tmp_path):
    path = str(tmp_path / "r.db")
    hostile = "</text><script>alert(1)</script>\x1b[31m&\"'"
    ok(invoke("draft", "--db", path, "--id", "h1", "--record", "--agent", hostile,
              "--received-at", "2026-11-24T09:00:00Z", "--sent-at", "2026-11-24T09:10:00Z",
              "My order still hasn't arrived"))  # fmt: skip
    svg = tmp_path / "sla.svg"
    result = ok(invoke("report", "--db", path, *RANGE, "--group", "agent", "--chart", str(svg)))
    assert "Within SLA" not in result.stdout  # the block chart is for terminals and --chart -
    text = svg.read_text(encoding="utf-8")
    assert "<script" not in text and "\x1b" not in text
    root = ET.fromstring(text)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    words = ["".join(e.itertext()) for e in root.iter(f"{ns}text")]
    assert words[0] == "Share of first replies within SLA, by day"
    shown = "</text><script>alert(1)</script>␛[31m&\"'"
    assert shown[:17] + "…" in words  # the legend cuts a long name
    tips = ["".join(e.itertext()) for e in root.iter(f"{ns}title")]
    assert f"{shown}, 2026-11-24: 100% within SLA (1 of 1)" in tips
    assert "all, 2026-11-24: 100% within SLA (1 of 1)" in tips
    text = ok(invoke("report", "--db", path, *RANGE, "--group", "agent", "--chart", "-")).stdout
    assert "\x1b" not in text
    assert f"            {shown[:23]}…     1        1" in text


def test_an_empty_store_is_a_report_of_zeros(tmp_path):
    path = str(tmp_path / "r.db")
    Store(path).close()
    result = ok(invoke("report", "--db", path, *RANGE, "-f", "json"))
    data = json.loads(result.stdout)
    assert [p["total"]["seen"] for p in data["periods"]] == [0, 0, 0, 0]
    assert data["total"]["sla"]["share"] is None and data["groups"] == []
    text = ok(invoke("report", "--db", path, *RANGE, "--chart", "-")).stdout
    assert "total          0        0          0          0        0         0\n" in text
    assert "Incidents\nnone opened\n\nOpen incidents: 0\n" in text
    assert "2026-11-26                                     -  nothing due\n" in text
    svg = tmp_path / "empty.svg"
    ok(invoke("report", "--db", path, *RANGE, "--chart", str(svg)))
    root = ET.fromstring(svg.read_text(encoding="utf-8"))
    words = ["".join(e.itertext()) for e in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "no first reply was due in this range" in words


def test_a_terminal_gets_the_charts_without_asking(db, monkeypatch):
    monkeypatch.setattr(replybook.output, "is_terminal", lambda stream: True)
    text = ok(invoke("report", "--db", db, *RANGE)).stdout
    assert text.startswith(TEXT)
    assert "\nWithin SLA by day\n2026-11-23  ███████████████░░░" in text


def test_no_store_yet_is_a_report_of_zeros_and_a_note(tmp_path, monkeypatch):
    missing = tmp_path / "none" / "r.db"
    monkeypatch.setenv("REPLYBOOK_DB", str(missing))
    result = ok(invoke("report", *RANGE, "-f", "csv"))
    assert result.stderr == f"replybook: no store at {missing} yet\n"
    assert len(result.stdout.splitlines()) == 5
    assert not missing.exists()


def test_the_default_range_is_the_last_seven_days(tmp_path, monkeypatch):
    clock(monkeypatch, "2026-11-26T12:00:00Z")
    path = str(tmp_path / "r.db")
    Store(path).close()
    data = json.loads(ok(invoke("report", "--db", path, "-f", "json")).stdout)
    assert (data["since"], data["until"]) == ("2026-11-20T00:00:00Z", NOW)
    assert len(data["periods"]) == 7 and data["periods"][-1]["partial"]
    weeks = json.loads(ok(invoke("report", "--db", path, "--by", "week", "-f", "json")).stdout)
    assert [p["period"] for p in weeks["periods"]] == [
        "2026-W45",
        "2026-W46",
        "2026-W47",
        "2026-W48",
    ]


def test_output_files_are_written_whole(db, tmp_path):
    out = tmp_path / "sla.csv"
    svg = tmp_path / "sla.svg"
    result = ok(invoke("report", "--db", db, *RANGE, "-f", "csv", "-o", str(out),
                       "--chart", str(svg)))  # fmt: skip
    assert result.stdout == ""
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfperiod,start,end,partial,seen,")
    assert len(data.decode("utf-8-sig").splitlines()) == 5
    ET.fromstring(svg.read_text(encoding="utf-8"))
    text = tmp_path / "r.txt"
    ok(invoke("report", "--db", db, *RANGE, "-o", str(text)))
    assert text.read_text(encoding="utf-8") == TEXT


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "last tuesday"],
         "--since: 'last tuesday' is not an ISO 8601 time (e.g. 2026-11-23T09:30:00Z)"),
        (["--until", "2026-13-01"],
         "--until: '2026-13-01' is not an ISO 8601 time (e.g. 2026-11-23T09:30:00Z)"),
        (["--since", "2026-11-25", "--until", "2026-11-24"], "--since must be before --until"),
        (["--since", "99999w"], "--since: '99999w' is out of range (years 1900 to 8999)"),
        (["--since", "1901-01-01"],
         "45,986 days from --since to --until: a report holds at most 3,700 periods (use"
         " --by week or a shorter range)"),
        (["--tz", "Mars/Base"],
         "--tz: 'Mars/Base' is not a known time zone (an IANA name such as Europe/Helsinki,"
         " Europe/Istanbul, Asia/Tehran or UTC)"),
        (["--group", "none", "--group", "agent"],
         "--group none is the team's total alone: give it by itself"),
        (["--group", "channel,team"],
         "--group: unknown 'team'; choose from channel, playbook, agent, intent, none"),
        (["--chart", "sla.png"],
         "--chart: 'sla.png': give a FILE.svg, or '-' for a chart in the text"),
        (["--chart", "-", "-f", "json"],
         "--chart - draws in the text output; with --format json or csv give a FILE.svg"),
        (["--chart", "same.svg", "-o", "same.svg"], "--chart and --output name the same file"),
    ],
)  # fmt: skip
def test_bad_options_are_one_line_and_exit_2(args, message, tmp_path):
    path = str(tmp_path / "r.db")
    Store(path).close()
    result = invoke("report", "--db", path, "--now", NOW, *args)
    assert result.exit_code == 2
    assert result.stderr == f"replybook: error: {message}\n"
    assert result.stdout == ""


def test_a_missing_db_named_on_the_command_line_is_an_error(tmp_path):
    missing = tmp_path / "typo.db"
    result = invoke("report", "--db", str(missing), *RANGE)
    assert result.exit_code == 2
    assert result.stderr == f"replybook: error: {missing}: no such store\n"
    assert not missing.exists()


# -- --sent-at --------------------------------------------------------------------------


def replies(path: str) -> list[tuple[str | None, str | None, float]]:
    with Store(path) as store:
        rows = store.rows("SELECT comment_ext_id, agent, sent_at FROM replies ORDER BY id")
    return [(r[0], r[1], float(r[2])) for r in rows]


def epoch(when: str) -> float:
    return datetime.fromisoformat(when.replace("Z", "+00:00")).timestamp()


def test_sent_keeps_at_as_an_alias_of_sent_at(tmp_path):
    path = str(tmp_path / "r.db")
    ok(invoke("sent", "--db", path, "--comment-id", "a", "--sent-at", "2026-11-24T08:45:00Z",
              "-", input="One reply. ^MK"))  # fmt: skip
    ok(invoke("sent", "--db", path, "--comment-id", "b", "--at", "2026-11-24T10:00:00+02:00",
              "-", input="Another reply. ^MK"))  # fmt: skip
    assert replies(path) == [
        ("a", None, epoch("2026-11-24T08:45:00Z")),
        ("b", None, epoch("2026-11-24T08:00:00Z")),
    ]
    bad = invoke("sent", "--db", path, "--sent-at", "soon", "-", input="A reply. ^MK")
    assert bad.exit_code == 2
    assert bad.stderr == (
        "replybook: error: --sent-at: 'soon' is not an ISO 8601 time (e.g. 2026-11-23T09:30:00Z)\n"
    )


def test_draft_sent_at_needs_record_and_a_time_after_the_comment(tmp_path):
    path = str(tmp_path / "r.db")
    lone = invoke("draft", "--db", path, "--sent-at", "2026-11-24T08:45:00Z", "Where is my order?")
    assert lone.exit_code == 2
    assert lone.stderr == (
        "replybook: error: --sent-at needs --record: it says when the recorded reply was posted\n"
    )
    early = invoke("draft", "--db", path, "--record", "--id", "e", "--received-at",
                   "2026-11-24T09:00:00Z", "--sent-at", "2026-11-24T08:00:00Z",
                   "Where is my order?")  # fmt: skip
    assert early.exit_code == 2
    assert early.stderr == (
        "replybook: error: sent_at 2026-11-24T08:00:00Z is before received_at"
        " 2026-11-24T09:00:00Z: a reply can't be posted before the comment it answers\n"
    )
    with Store(path) as store:
        assert store.counts() == {"comments": 0, "replies": 0, "incidents": 0}


def test_draft_record_without_sent_at_sends_now(tmp_path, monkeypatch):
    clock(monkeypatch, "2026-11-24T12:00:00Z")
    path = str(tmp_path / "r.db")
    ok(invoke("draft", "--db", path, "--record", "--id", "n", "--agent", "mia",
              "--received-at", "2026-11-24T09:00:00Z", "Where is my order?"))  # fmt: skip
    assert replies(path) == [("n", "mia", epoch("2026-11-24T12:00:00Z"))]


def test_a_batch_record_sent_at_wins_over_the_option(tmp_path):
    path = str(tmp_path / "r.db")
    lines = [
        {"id": "b1", "text": "Where is my order?", "received_at": "2026-11-24T09:00:00Z",
         "sent_at": "2026-11-24T09:30:00Z"},
        {"id": "b2", "text": "My order never arrived", "received_at": "2026-11-24T09:00:00Z"},
        {"id": "b3", "text": "My parcel is late", "received_at": "2026-11-24T09:00:00Z",
         "sent_at": "yesterday"},
        {"id": "b4", "text": "Still no parcel", "received_at": "2026-11-24T09:00:00Z",
         "sent_at": "2026-11-24T08:59:00Z"},
    ]  # fmt: skip
    batch = "".join(json.dumps(line) + "\n" for line in lines)
    result = invoke("draft", "--db", path, "--record", "--batch", "-", "--sent-at",
                    "2026-11-24T10:00:00Z", input=batch)  # fmt: skip
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o.get("error") for o in out] == [
        None,
        None,
        "line 3: sent_at: 'yesterday' is not an ISO 8601 time (e.g. 2026-11-23T09:30:00Z)",
        "line 4: sent_at 2026-11-24T08:59:00Z is before received_at 2026-11-24T09:00:00Z:"
        " a reply can't be posted before the comment it answers",
    ]
    assert replies(path) == [
        ("b1", None, epoch("2026-11-24T09:30:00Z")),
        ("b2", None, epoch("2026-11-24T10:00:00Z")),
    ]
    report = json.loads(ok(invoke("report", "--db", path, *RANGE, "-f", "json")).stdout)
    assert report["total"]["first_reply"] == {"median_minutes": 45.0, "p90_minutes": 60.0}
    assert report["total"]["seen"] == 2  # the failed records were never counted


def test_a_parallel_batch_records_the_same_times(tmp_path):
    path = str(tmp_path / "r.db")
    lines = [
        {"id": f"p{n}", "text": "Where is my order?", "received_at": "2026-11-24T09:00:00Z",
         "sent_at": f"2026-11-24T09:{n:02d}:00Z"}
        for n in range(1, 5)
    ]  # fmt: skip
    batch = "".join(json.dumps(line) + "\n" for line in lines)
    ok(invoke("draft", "--db", path, "--record", "--batch", "-", "--jobs", "2", input=batch))
    assert [r[2] for r in replies(path)] == [
        epoch(f"2026-11-24T09:{n:02d}:00Z") for n in range(1, 5)
    ]


def test_a_comment_drafted_and_recorded_without_an_id_counts_as_replied(tmp_path):
    path = str(tmp_path / "team.db")
    ok(
        invoke(
            "draft", "--db", path, "--record", "--agent", "mia", "--channel", "x",
            "--received-at", "2026-11-26T10:00:00Z", "--sent-at", "2026-11-26T10:05:00Z",
            "My order still hasn't arrived",
        )
    )
    data = json.loads(ok(invoke("report", "--db", path, *RANGE, "--format", "json")).stdout)
    assert (data["total"]["seen"], data["total"]["replied"]) == (1, 1)
    assert data["total"]["first_reply"]["median_minutes"] == 5.0
    with Store(path) as store:
        ((ext_id, comment_id),) = store.rows(
            "SELECT c.ext_id, r.comment_ext_id FROM comments c, replies r"
        )
    assert ext_id == comment_id and ext_id.startswith("~") and len(ext_id) == 33
