"""The command line: exact exit codes and output, through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from replybook import __version__
from replybook.cli import app

runner = CliRunner()
AT = ["--received-at", "2026-11-23T09:00:00Z"]


def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), input=input, env=env)


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == f"replybook {__version__}\n"


def test_help_shows_a_worked_example():
    result = invoke("draft", "--help")
    assert result.exit_code == 0
    assert "Example: replybook draft --name Dana" in result.stdout
    for option in (
        "--name",
        "--handle",
        "--agent",
        "--channel",
        "--playbook",
        "--received-at",
        "--variant",
        "--format",
    ):
        assert option in result.stdout


def test_no_arguments_shows_help():
    result = invoke()
    assert "draft" in result.stdout


def test_draft_json_is_one_object_with_the_contract_fields():
    result = invoke(
        "draft",
        "--format",
        "json",
        *AT,
        "--name",
        "Dana",
        "--agent",
        "Mia Koski",
        "My order still hasn't arrived",
    )
    assert result.exit_code == 0
    assert result.stdout.count("\n") == 1
    data = json.loads(result.stdout)
    assert data["intent"] == "complaint" and data["action"] == "reply"
    assert data["due"] == "2026-11-23T10:00:00Z"
    assert data["channel"] == "x"
    assert data["public_reply"].endswith("^MK")
    assert all(set(r) == {"rule", "why"} for r in data["reasons"])


def test_draft_reads_stdin_with_dash():
    result = invoke("draft", "-f", "json", *AT, "-", input="Thanks, you sorted it!\n")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["intent"] == "praise"


def test_draft_text_output_when_piped():
    result = invoke(
        "draft", *AT, "--agent", "Mia Koski", "--variant", "1", "you are all fucking idiots"
    )
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "troll → moderate"
    assert "Public reply:" not in result.stdout
    assert "\x1b[" not in result.stdout  # no colour codes in a pipe


def test_agent_from_environment():
    result = invoke(
        "draft", "-f", "json", *AT, "My order is late", env={"REPLYBOOK_AGENT": "Joe Demir"}
    )
    assert json.loads(result.stdout)["public_reply"].endswith("^JD")


def test_brand_playbook_by_name():
    result = invoke(
        "draft",
        "-f",
        "json",
        *AT,
        "--playbook",
        "acme-air",
        "--agent",
        "mia",
        "you lost my suitcase",
    )
    data = json.loads(result.stdout)
    assert data["topic"] == "baggage"
    assert data["due"] == "2026-11-23T09:45:00Z"


@pytest.mark.parametrize(
    ("args", "input", "message"),
    [
        (["draft", ""], None, "replybook: error: the comment is empty\n"),
        (["draft", "-"], "  \n", "replybook: error: the comment is empty\n"),
        (
            ["draft", "--channel", "myspace", "hello"],
            None,
            "replybook: error: unknown channel 'myspace'; valid: facebook, google-reviews, "
            "instagram, linkedin, tiktok, x, youtube\n",
        ),
        (
            ["draft", "--received-at", "soon", "hello"],
            None,
            "replybook: error: --received-at: 'soon' is not an ISO 8601 time "
            "(e.g. 2026-11-23T09:30:00Z)\n",
        ),
        (["draft", "--zzzz", "hello"], None, "replybook draft: error: No such option: --zzzz\n"),
        (
            ["draft", "--variant", "0", "hello"],
            None,
            "replybook draft: error: Invalid value for '--variant': 0 is not in the range x>=1.\n",
        ),
    ],
)
def test_user_errors_are_one_line_and_exit_2(args, input, message):
    result = invoke(*args, input=input)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == message


def test_bad_playbook_names_file_and_line(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: default\nchannels:\n  x: {max_chars: lots}\n", encoding="utf-8")
    result = invoke("draft", "--playbook", str(bad), "hello")
    assert result.exit_code == 2
    assert result.stderr == (
        f"replybook: error: {bad}:3: channels.x.max_chars: expected a whole number >= 0, got text\n"
    )


def test_missing_playbook_file():
    result = invoke("draft", "--playbook", "nope.yaml", "hello")
    assert result.exit_code == 2
    assert result.stderr == "replybook: error: nope.yaml: file not found\n"


def test_template_injection_from_the_command_line():
    result = invoke("draft", "-f", "json", *AT, "my order {{ 7*7 }} is late {% if true %}")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert "{{ 7*7 }}" in data["note"] and "49" not in data["note"]


def test_python_m_entry_point():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "replybook", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout == f"replybook {__version__}\n"


def test_console_entry_builds_only_the_command_asked_for():
    from replybook.cli import _app_for

    solo = _app_for(["draft", "hello"])
    assert [c.callback.__name__ for c in solo.registered_commands] == ["draft"]
    assert _app_for(["--help"]) is app
    assert _app_for(["incidents", "close", "1"]) is app
    assert _app_for([]) is app


def test_console_entry_drafts_and_fails_like_the_app():
    import subprocess
    import sys

    ok = subprocess.run(
        [
            sys.executable,
            "-m",
            "replybook",
            "draft",
            "-f",
            "json",
            "--no-store",
            "my order is late",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0 and json.loads(ok.stdout)["intent"] == "complaint"
    bad = subprocess.run(
        [sys.executable, "-m", "replybook", "draft", "--channel", "fax", "--no-store", "hi"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("replybook: error: unknown channel 'fax'")
