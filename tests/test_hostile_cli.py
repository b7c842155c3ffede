"""Hostile input at the command line: bytes that aren't text, special files, sizes, ids,
stdout encodings, store URLs and playbook look-up. Each is one line on stderr and exit 2,
never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from replybook.cli import app
from replybook.playbook import builtin_playbooks

runner = CliRunner()
AT = ["--received-at", "2026-11-23T09:00:00Z"]
BAG = "you lost my bag AGAIN"


def invoke(*args: str, input: str | bytes | None = None):
    return runner.invoke(app, list(args), input=input)


def one_error(result, message: str) -> None:
    """Exit 2 with exactly one line on stderr, and no traceback."""
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr == f"replybook: error: {message}\n"


def run(*args: str, env: dict[str, str] | None = None, input: bytes | None = None):
    full = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "replybook", *args],
        input=input,
        capture_output=True,
        env=full,
        timeout=60,
    )


# -- 1. bytes that aren't UTF-8 --------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [b"caf\xe9: you lost my bag", b"\x80\x81\xfe bag", b"\xff\xfeh\x00\x00\xd8"],
    ids=["latin-1", "invalid-utf-8", "broken-utf-16"],
)
def test_undecodable_stdin_comment_is_one_error_line(data):
    result = invoke("draft", "--no-store", *AT, "-", input=data)
    one_error(result, "<stdin>: the comment is not UTF-8 text (nor UTF-16 with a BOM)")


@pytest.mark.parametrize(
    "data",
    [
        "\ufeff" + BAG,
        BAG,
    ],
    ids=["utf-8-bom", "utf-8"],
)
def test_utf8_stdin_with_or_without_bom_is_read(data):
    result = invoke("draft", "--no-store", "--format", "json", *AT, "-", input=data.encode())
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["intent"] == "complaint"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_stdin_with_bom_is_read(encoding):
    bom = b"\xff\xfe" if encoding == "utf-16-le" else b"\xfe\xff"
    data = bom + BAG.encode(encoding)
    result = invoke("draft", "--no-store", "--format", "json", *AT, "-", input=data)
    assert result.exit_code == 0, result.output
    expected = invoke("draft", "--no-store", "--format", "json", *AT, BAG)
    assert result.stdout == expected.stdout


def test_undecodable_argv_comment_is_one_error_line():
    comment = os.fsdecode(b"caf\xe9 lost my bag")
    one_error(invoke("draft", "--no-store", *AT, comment), "the comment is not UTF-8 text")


def test_undecodable_argv_option_is_one_error_line():
    name = os.fsdecode(b"D\xe9na")
    result = invoke("draft", "--no-store", *AT, "--name", name, BAG)
    one_error(result, "--name is not UTF-8 text")


def test_undecodable_argv_reaches_no_traceback_in_a_real_process():
    done = run("draft", "--no-store", *AT, os.fsdecode(b"caf\xe9 bag"))
    assert done.returncode == 2
    assert done.stderr == b"replybook: error: the comment is not UTF-8 text\n"


def test_undecodable_lint_file_is_one_error_line(tmp_path):
    reply = tmp_path / "reply.txt"
    reply.write_bytes(b"Sorry Dana, we'll fix it \xe9")
    result = invoke("lint", "--no-store", str(reply))
    one_error(result, f"{reply}: the reply is not UTF-8 text (nor UTF-16 with a BOM)")


def test_lone_surrogate_in_context_does_not_crash_draft(tmp_path):
    thread = tmp_path / "thread.json"
    thread.write_text('[{"role": "customer", "text": "my bag \\ud83d"}]', encoding="utf-8")
    result = invoke("draft", "--no-store", "--format", "json", *AT, "--context", str(thread), BAG)
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)


def test_lone_surrogate_in_batch_records_does_not_crash_draft_lint_or_triage(tmp_path):
    comments = tmp_path / "in.jsonl"
    comments.write_text('{"id": 1, "text": "you lost my bag \\ud83d", "name": "D\\ud83d"}\n')
    replies = tmp_path / "replies.jsonl"
    replies.write_text('{"id": 1, "text": "Sorry Dana \\ud83d", "comment": "bag \\ud83d"}\n')
    drafted = invoke("draft", "--no-store", *AT, "--batch", str(comments))
    assert drafted.exit_code == 0, drafted.output
    assert json.loads(drafted.stdout)["id"] == 1
    linted = invoke("lint", "--no-store", "--fail-level", "never", "--batch", str(replies))
    assert linted.exit_code == 0, linted.output
    assert json.loads(linted.stdout)["id"] == 1
    triaged = invoke("triage", "--no-store", "--now", "2026-11-23T09:00:00Z", str(comments))
    assert triaged.exit_code == 0, triaged.output


def test_lone_surrogate_in_history_does_not_crash_lint(tmp_path):
    history = tmp_path / "sent.jsonl"
    history.write_text('{"text": "Sorry \\ud83d"}\n"\\udc00"\n', encoding="utf-8")
    reply = tmp_path / "reply.txt"
    reply.write_text("Hi Dana, sorry about your bag. ^MK", encoding="utf-8")
    result = invoke("lint", "--history", str(history), "--fail-level", "never", str(reply))
    assert result.exit_code == 0, result.output


# -- 2. special files and sizes ---------------------------------------------------------


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_device_as_lint_input_is_refused(device):
    one_error(
        invoke("lint", "--no-store", device),
        f"{device}: not a regular file (give a file, or '-' for stdin)",
    )


@pytest.mark.parametrize("option", ["--context", "--history"])
def test_device_as_context_or_history_is_refused(option, tmp_path):
    reply = tmp_path / "reply.txt"
    reply.write_text("Hi Dana, sorry. ^MK")
    args = ["lint", "--comment", BAG] if option == "--context" else ["lint"]
    result = invoke(*args, option, "/dev/zero", str(reply))
    one_error(result, "/dev/zero: not a regular file (give a file, or '-' for stdin)")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("command", ["lint", "context", "history", "sent"])
def test_fifo_is_refused_without_waiting_for_a_writer(command, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reply = tmp_path / "reply.txt"
    reply.write_text("Hi Dana, sorry. ^MK")
    args = {
        "lint": ["lint", "--no-store", str(fifo)],
        "context": ["draft", "--no-store", *AT, "--context", str(fifo), BAG],
        "history": ["lint", "--history", str(fifo), str(reply)],
        "sent": ["sent", "--db", str(tmp_path / "r.db"), str(fifo)],
    }[command]
    done = run(*args)  # a process of its own: a hang is a timeout, not a stuck suite
    assert done.returncode == 2
    assert (
        done.stderr
        == (
            f"replybook: error: {fifo}: not a regular file (give a file, or '-' for stdin)\n"
        ).encode()
    )


def test_endless_stdin_is_bounded():
    with open("/dev/zero", "rb") as zero:
        done = subprocess.run(
            [sys.executable, "-m", "replybook", "draft", "--no-store", "-"],
            stdin=zero,
            capture_output=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert done.stderr == (
        b"replybook: error: <stdin>: the comment is longer than the limit of 100,000 characters\n"
    )


def test_comment_over_the_limit_is_refused():
    one_error(
        invoke("draft", "--no-store", *AT, "a" * 100_001),
        "the comment is longer than the limit of 100,000 characters",
    )


def test_comment_at_the_limit_is_drafted():
    result = invoke("draft", "--no-store", "--format", "json", *AT, "bag " * 25_000)
    assert result.exit_code == 0, result.output


def test_reply_file_over_the_limit_is_refused(tmp_path):
    reply = tmp_path / "reply.txt"
    reply.write_text("é" * 100_001, encoding="utf-8")
    one_error(
        invoke("lint", "--no-store", str(reply)),
        f"{reply}: the reply is longer than the limit of 100,000 characters",
    )


def test_batch_record_over_the_limit_is_an_error_record(tmp_path):
    comments = tmp_path / "in.jsonl"
    comments.write_text(
        json.dumps({"id": "big", "text": "a" * 100_001}) + "\n" + '{"text": "hi"}\n'
    )
    result = invoke("draft", "--no-store", *AT, "--batch", str(comments))
    assert result.exit_code == 1
    first = json.loads(result.stdout.splitlines()[0])
    assert first["id"] == "big"
    assert "the comment is longer than the limit of 100,000 characters" in first["error"]


def test_context_file_over_10_mb_is_refused(tmp_path):
    thread = tmp_path / "thread.json"
    with thread.open("wb") as out:
        out.truncate(10 * 1024 * 1024 + 1)
    result = invoke("draft", "--no-store", *AT, "--context", str(thread), BAG)
    one_error(result, f"{thread}: longer than the limit of 10 MB")


# -- 3. ids, stdout encodings, store URLs ----------------------------------------------


def test_incident_id_too_big_for_sqlite_is_one_error_line():
    one_error(
        invoke("incidents", "close", "99999999999999999999"), "no incident 99999999999999999999"
    )


@pytest.mark.parametrize(
    ("lang", "comment", "name"),
    [("tr", "çantamı kaybettiniz, rezalet", "Ayşe"), ("fa", "چمدانم را گم کردید", "مریم")],
)
def test_text_draft_on_an_ascii_stdout_is_escaped_not_a_crash(lang, comment, name):
    done = run(
        "draft",
        "--no-store",
        *AT,
        "--lang",
        lang,
        "--name",
        name,
        comment,
        env={"PYTHONIOENCODING": "ascii"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    done.stdout.decode("ascii")
    assert b"\\u" in done.stdout


def test_json_draft_on_an_ascii_stdout_is_valid_json():
    comment = "çantamı kaybettiniz 😀"
    done = run(
        "draft",
        "--no-store",
        "--format",
        "json",
        *AT,
        "--lang",
        "tr",
        comment,
        env={"PYTHONIOENCODING": "ascii"},
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout.decode("ascii"))
    utf8 = run(
        "draft",
        "--no-store",
        "--format",
        "json",
        *AT,
        "--lang",
        "tr",
        comment,
        env={"PYTHONIOENCODING": "utf-8"},
    )
    assert data == json.loads(utf8.stdout.decode("utf-8"))


@pytest.mark.parametrize(
    "url", ["postgresql://nowhere.invalid/db", "postgres://u:pw-77@nowhere.invalid:5432/db"]
)
def test_an_unreachable_postgres_url_is_one_line_without_creating_folders(
    url, tmp_path, monkeypatch
):
    pytest.importorskip("psycopg")
    monkeypatch.chdir(tmp_path)
    result = invoke("draft", "--db", url, *AT, BAG)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "can't connect to the store" in result.stderr
    assert "nowhere.invalid" in result.stderr and "pw-77" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_other_url_as_db_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("incidents", "--db", "mysql://host/db")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "mysql:// is not supported" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_sqlite_url_as_db_is_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("incidents", "--db", "sqlite:///team.db")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "team.db").is_file()


# -- 4. which playbook -------------------------------------------------------------------


def _acme(folder: Path) -> Path:
    target = folder / "replybook.yaml"
    target.write_text(builtin_playbooks()["acme-air"].read_text(encoding="utf-8"))
    return target


def test_builtin_name_wins_over_a_file_of_that_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "default").write_text("junk: [\n")
    result = invoke("draft", "--no-store", *AT, "--playbook", "default", BAG)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_discovered_playbook_is_named_on_stderr(tmp_path, monkeypatch):
    found = _acme(tmp_path)
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    result = invoke("draft", "--no-store", "--format", "json", *AT, BAG)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"replybook: using playbook {found.resolve()}\n"


def test_discovery_stops_at_the_repository_root(tmp_path, monkeypatch):
    _acme(tmp_path)
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "src").mkdir()
    monkeypatch.chdir(repo / "src")
    result = invoke("draft", "--no-store", "--format", "json", *AT, BAG)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_discovery_stops_at_the_home_folder(tmp_path, monkeypatch):
    _acme(tmp_path)
    home = tmp_path / "home"
    (home / "work").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(home / "work")
    result = invoke("draft", "--no-store", "--format", "json", *AT, BAG)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_as_playbook_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "book.yaml"
    os.mkfifo(fifo)
    done = run("draft", "--no-store", *AT, "--playbook", str(fifo), BAG)
    assert done.returncode == 2
    assert (
        done.stderr
        == (
            f"replybook: error: {fifo}: not a regular file (give a playbook file or name)\n"
        ).encode()
    )


def test_folder_as_playbook_is_one_error_line(tmp_path):
    result = invoke("draft", "--no-store", *AT, "--playbook", str(tmp_path), BAG)
    one_error(result, f"{tmp_path}: is a folder, not a playbook file")


# -- output devices ---------------------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize("form", ["text", "json"])
def test_full_disk_on_stdout_is_one_error_line(form):
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "replybook", "draft", "--no-store", "-f", form, *AT, BAG],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    assert done.returncode == 2
    assert done.stderr == b"replybook: error: can't write the output: No space left on device\n"


def test_closed_stdout_is_one_error_line():
    done = subprocess.run(
        [sys.executable, "-m", "replybook", "draft", "--no-store", *AT, BAG],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=60,
        preexec_fn=lambda: os.close(1),
    )
    assert done.returncode == 2
    assert done.stderr == b"replybook: error: stdout is closed: nowhere to write the output\n"
