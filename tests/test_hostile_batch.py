"""Hostile batch input: one bad record is an error record, never a traceback or a merge;
output files are whole or absent, never written through a planted file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from replybook.cli import app

runner = CliRunner()
AT = "2026-11-23T09:00:00Z"
OK = '{"id": "ok", "text": "thanks, love it!"}\n'
SUMMARY = 'replybook: {} of {} records failed (see their "error" fields)\n'


def draft(path: Path, *extra: str):
    return runner.invoke(
        app, ["draft", "--batch", str(path), "--no-store", "--received-at", AT, *extra]
    )


def records(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def assert_one_bad(result, error: dict) -> list[dict]:
    assert result.exit_code == 1, result.output
    assert result.stderr == SUMMARY.format(1, 2)
    out = records(result.stdout)
    assert out[0] == error
    assert out[1]["id"] == "ok" and out[1]["public_reply"]
    return out


def test_lone_surrogate_escape_is_replaced_and_drafted(tmp_path):
    path = write(tmp_path, "in.jsonl", '{"id": "s", "text": "my order is late \\ud83d"}\n' + OK)
    result = draft(path)
    assert result.exit_code == 0, result.output
    out = records(result.stdout)
    assert [o["id"] for o in out] == ["s", "ok"]
    assert out[0]["public_reply"] and "\ud83d" not in result.stdout


def test_lone_surrogate_in_a_csv_context_cell_is_replaced(tmp_path):
    cell = json.dumps([{"role": "customer", "text": "hi \ud83d"}]).replace('"', '""')
    path = write(tmp_path, "in.csv", f'id,text,context\nc,still late,"{cell}"\n')
    result = draft(path)
    assert result.exit_code == 0, result.output
    assert records(result.stdout)[0]["id"] == "c"


@pytest.mark.parametrize(
    "when", ["9999-12-31T23:59:59Z", "9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00"]
)
def test_received_at_out_of_range_is_an_error_record(tmp_path, when):
    line = json.dumps({"id": "y", "text": "my order is late", "received_at": when})
    result = draft(write(tmp_path, "in.jsonl", line + "\n" + OK))
    assert_one_bad(
        result,
        {"id": "y", "error": f"line 1: received_at: {when!r} is out of range (years 1900 to 8999)"},
    )


def test_received_at_out_of_range_in_csv_is_an_error_record(tmp_path):
    path = write(
        tmp_path, "in.csv", "id,text,received_at\ny,late again,9999-12-31T23:59:59Z\nok,thanks!,\n"
    )
    result = draft(path)
    assert result.exit_code == 1
    out = records(result.stdout)
    assert out[0] == {
        "id": "y",
        "error": "line 2: received_at: '9999-12-31T23:59:59Z' is out of range (years 1900 to 8999)",
    }
    assert out[1]["id"] == "ok"


def test_number_too_long_to_read_is_an_error_record(tmp_path):
    path = write(tmp_path, "in.jsonl", '{"id": ' + "9" * 5000 + ', "text": "late"}\n' + OK)
    assert_one_bad(
        draft(path),
        {"id": 1, "error": "line 1: not valid JSON (a number longer than 4,300 digits)"},
    )


def test_nesting_too_deep_is_an_error_record(tmp_path):
    path = write(tmp_path, "in.jsonl", "[" * 100_000 + "\n" + OK)
    assert_one_bad(draft(path), {"id": 1, "error": "line 1: not valid JSON (nested too deeply)"})


@pytest.mark.parametrize("word", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_ids_are_refused_never_written_as_invalid_json(tmp_path, word):
    path = write(tmp_path, "in.jsonl", f'{{"id": {word}, "text": "thanks!"}}\n' + OK)
    result = draft(path)
    out = records(result.stdout)  # every line is valid JSON
    assert out[0]["id"] == 1 and out[0]["error"].startswith("line 1: not valid JSON (")
    for line in result.stdout.splitlines():
        json.loads(line, parse_constant=lambda name: pytest.fail(f"{name} written"))
    assert result.exit_code == 1


def test_an_id_that_is_not_text_or_a_number_is_an_error_record(tmp_path):
    path = write(tmp_path, "in.jsonl", '{"id": {"a": 1}, "text": "thanks!"}\n' + OK)
    assert_one_bad(draft(path), {"id": 1, "error": "line 1: 'id' must be text or a number"})


def test_lint_batch_non_string_name_is_an_error_record(tmp_path):
    path = write(
        tmp_path,
        "in.jsonl",
        '{"id": "l", "text": "Hi Dana, sorry about that.", "name": 5}\n'
        '{"id": "m", "text": "Hi Dana, sorry.", "comment": ["x"]}\n'
        '{"id": "ok", "text": "Hi Dana, thanks so much!"}\n',
    )
    result = runner.invoke(app, ["lint", "--batch", str(path), "--fail-level", "never"])
    assert result.exit_code == 1
    assert result.stderr == SUMMARY.format(2, 3)
    out = records(result.stdout)
    assert out[0] == {"id": "l", "error": "line 1: 'name' must be text"}
    assert out[1] == {"id": "m", "error": "line 2: 'comment' must be text"}
    assert "findings" in out[2]


def test_record_line_over_the_limit_is_an_error_record(tmp_path):
    line = json.dumps({"id": "big", "text": "a" * 1_000_001})
    path = write(tmp_path, "in.jsonl", line + "\n" + OK)
    assert_one_bad(draft(path), {"id": 1, "error": "line 1: longer than 1 MB (1,000,000 bytes)"})


def test_csv_line_over_the_limit_is_an_error_record(tmp_path):
    path = write(tmp_path, "in.csv", "id,text\nbig," + "a" * 1_000_001 + "\nok,thanks!\n")
    result = draft(path)
    assert result.exit_code == 1
    out = records(result.stdout)
    assert out[0] == {"id": 2, "error": "line 2: longer than 1 MB (1,000,000 bytes)"}
    assert out[1]["id"] == "ok"


def test_csv_unterminated_quote_is_reported_never_merged(tmp_path):
    path = write(tmp_path, "in.csv", 'id,text\n1,thanks!\n2,"cut off\n3,second row\n4,third\n')
    result = draft(path)
    assert result.exit_code == 1
    assert result.stderr == SUMMARY.format(1, 2)
    out = records(result.stdout)
    assert out[0]["id"] == "1" and out[0]["public_reply"]
    assert out[1] == {
        "id": 3,
        "error": "line 3: a quote that is never closed runs to the end of the file (line 5);"
        " lines 3-5 not read",
    }


def test_csv_stray_quote_is_an_error_record(tmp_path):
    path = write(tmp_path, "in.csv", 'id,text\n1,"a" quoted then more\n2,thanks!\n')
    result = draft(path)
    assert result.exit_code == 1
    out = records(result.stdout)
    assert out[0] == {"id": 2, "error": "line 2: not valid CSV (',' expected after '\"')"}
    assert out[1]["id"] == "2"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_output_to_a_full_device_is_one_line_and_exit_2(tmp_path):
    path = write(tmp_path, "in.jsonl", OK)
    result = draft(path, "-o", "/dev/full")
    assert result.exit_code == 2
    assert result.stderr == "replybook: error: /dev/full: can't write: No space left on device\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_stdout_to_a_full_device_is_one_line_and_exit_2(tmp_path):
    path = write(tmp_path, "in.jsonl", OK)
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "replybook", "draft", "--batch", str(path), "--no-store"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert proc.returncode == 2
    assert proc.stderr == "replybook: error: <stdout>: can't write: No space left on device\n"


def test_output_fsync_failure_is_one_line_and_removes_the_temporary_file(tmp_path, monkeypatch):
    def no_space(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    out = tmp_path / "out" / "drafts.jsonl"
    out.parent.mkdir()
    result = draft(write(tmp_path, "in.jsonl", OK), "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr == f"replybook: error: {out}: can't write: No space left on device\n"
    assert list(out.parent.iterdir()) == []


def test_symlink_at_the_output_path_is_replaced_not_written_through(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    out = tmp_path / "drafts.jsonl"
    out.symlink_to(victim)
    result = draft(write(tmp_path, "in.jsonl", OK), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "precious\n"
    assert not out.is_symlink() and records(out.read_text())[0]["id"] == "ok"


def test_planted_temporary_name_is_never_written_through(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    out = tmp_path / "drafts.jsonl"
    inp = write(tmp_path, "in.jsonl", OK)
    code = (
        "import os, sys\n"
        "from replybook.cli import main\n"
        f"for pid in range(os.getpid(), os.getpid() + 50):\n"
        f"    p = {str(tmp_path)!r} + '/.drafts.jsonl.' + str(pid) + '.part'\n"
        f"    os.path.lexists(p) or os.symlink({str(victim)!r}, p)\n"
        f"sys.argv = ['replybook', 'draft', '--batch', {str(inp)!r}, '--no-store', '-o', "
        f"{str(out)!r}]\n"
        "main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert victim.read_text() == "precious\n"
    assert records(out.read_text())[0]["id"] == "ok"


def test_output_file_gets_the_usual_permissions(tmp_path):
    out = tmp_path / "drafts.jsonl"
    result = draft(write(tmp_path, "in.jsonl", OK), "-o", str(out))
    assert result.exit_code == 0
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask


def test_sigterm_removes_the_temporary_output_file(tmp_path):
    many = "".join(
        json.dumps({"id": i, "text": f"my order {i} still hasn't arrived"}) + "\n"
        for i in range(20_000)
    )
    inp = write(tmp_path, "in.jsonl", many)
    folder = tmp_path / "out"
    folder.mkdir()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "replybook",
            "draft",
            "--batch",
            str(inp),
            "--no-store",
            "-o",
            str(folder / "drafts.jsonl"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not any(folder.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert any(folder.iterdir()), "the batch never started writing"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM
    assert "Traceback" not in err
    assert list(folder.iterdir()) == []


def test_parallel_batch_reads_no_further_ahead_than_its_window():
    """Finding 17: a parallel batch keeps a bounded number of chunks in flight, so input is
    read only as fast as output is written (memory flat however long the input)."""
    from multiprocessing.pool import ThreadPool

    from replybook import batch as batch_module

    pulled = 0
    ahead = 4

    def chunks():
        nonlocal pulled
        for n in range(50):
            pulled += 1
            yield [(n, {"_line": n}, None)]

    def work(chunk):
        return [{"id": item[0]} for item in chunk]

    seen = []
    original = batch_module._worker_chunk
    batch_module._worker_chunk = work
    try:
        with ThreadPool(2) as pool:
            for outputs in batch_module._in_flight(pool, chunks(), ahead):
                seen.extend(o["id"] for o in outputs)
                # Chunks read but not handed back never exceed the window.
                assert pulled - len(seen) <= ahead
    finally:
        batch_module._worker_chunk = original
    assert seen == list(range(50))


def test_parallel_batch_with_a_store_reports_a_record_that_fails_while_settling(
    tmp_path, monkeypatch
):
    """A record that breaks while the main process settles it is one error record, not
    the end of the batch."""
    from replybook.runner import Drafter

    path = tmp_path / "in.jsonl"
    path.write_text(
        "".join(
            json.dumps({"id": n, "text": f"My order {n} is late"}) + "\n" for n in range(3)
        ),
        encoding="utf-8",
    )
    real = Drafter._settle

    def settle(self, obj, job):
        if job.ext_id == "1":
            raise ValueError("boom")
        return real(self, obj, job)

    monkeypatch.setattr(Drafter, "_settle", settle)
    result = runner.invoke(
        app, ["draft", "--batch", str(path), "--jobs", "2", "--db", str(tmp_path / "r.db")]
    )
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == [0, 1, 2]
    assert out[1] == {"id": 1, "error": "line 2: can't be processed (ValueError)"}
    assert "public_reply" in out[0] and "public_reply" in out[2]


@pytest.mark.parametrize("command", ["draft", "lint"])
def test_batch_output_escapes_del_c1_and_line_separators(tmp_path, command):
    """json.dumps writes DEL, C1 controls and U+2028/U+2029 raw; a batch line never does,
    and still decodes to exactly the same text."""
    ident = "a\x7fb\x85c\x9bd\u2028e\u2029f"
    path = write(tmp_path, "in.jsonl", json.dumps({"id": ident, "text": "Thanks, love it!"}) + "\n")
    args = [command, "--batch", str(path), "--no-store"]
    if command == "draft":
        args += ["--received-at", AT]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    line = result.stdout.rstrip("\n")
    assert "\n" not in line
    for raw in ("\x7f", "\x85", "\x9b", "\u2028", "\u2029"):
        assert raw not in line
    assert json.loads(line)["id"] == ident


@pytest.mark.parametrize(
    "args",
    [
        ["draft", "--batch", "/dev/zero", "--no-store"],
        ["lint", "--batch", "/dev/zero", "--no-store"],
        ["triage", "/dev/zero", "--no-store"],
        ["listen", "--playbook", "acme-air", "/dev/zero"],
    ],
)
def test_a_device_as_batch_input_is_refused_at_once(args):
    """/dev/zero never ends (and holds no line break): a batch, triage or listen that read
    it would run forever."""
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.endswith("/dev/zero: a device, not a file of records\n")
    assert result.stderr.count("\n") == 1


def test_a_pipe_as_batch_input_is_read_like_a_file(tmp_path):
    """`--batch <(jq ...)` is a pipe: it streams like stdin."""
    import threading

    fifo = tmp_path / "records"
    os.mkfifo(fifo)

    def feed():
        with open(fifo, "w", encoding="utf-8") as out:
            out.write(OK)

    writer = threading.Thread(target=feed)
    writer.start()
    result = draft(fifo)
    writer.join(timeout=10)
    assert result.exit_code == 0, result.stderr
    assert [r["id"] for r in records(result.stdout)] == ["ok"]
