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
            "replybook: error: unknown channel 'myspace'; valid: chat, email, facebook, "
            "google-reviews, instagram, instagram-dm, linkedin, messenger, tiktok, whatsapp, x, "
            "youtube\n",
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


# -- thread context ----------------------------------------------------------------------

# A complaint the brand then answered with a fix, and one the brand answered with a question.
FIXED = [
    {"role": "customer", "text": "The app crashes every time I open my basket"},
    {
        "role": "brand",
        "text": "Sorry about that! Please update the app and restart your phone, "
        "that should fix it.",
    },
]
ASKED = [
    {"role": "customer", "text": "My order never arrived and nobody tells me anything"},
    {"role": "brand", "text": "So sorry! Could you send us your order number by DM?"},
]


def write_context(tmp_path: Path, messages: object, name: str = "thread.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(messages), encoding="utf-8")
    return str(path)


def rules_of(stdout: str) -> list[str]:
    return [r["rule"] for r in json.loads(stdout)["reasons"]]


def test_context_file_makes_thanks_after_a_fix_a_turnaround(tmp_path):
    alone = invoke("draft", "-f", "json", *AT, "great, thanks")
    threaded = invoke(
        "draft", "-f", "json", *AT, "--context", write_context(tmp_path, FIXED), "great, thanks"
    )
    assert alone.exit_code == threaded.exit_code == 0
    assert json.loads(threaded.stdout)["intent"] == "praise"
    assert "follow-up-turnaround" not in rules_of(alone.stdout)
    assert rules_of(threaded.stdout)[0] == "follow-up-turnaround"
    assert json.loads(alone.stdout)["public_reply"] != json.loads(threaded.stdout)["public_reply"]


def test_context_from_stdin():
    result = invoke(
        "draft", "-f", "json", *AT, "--context", "-", "great, thanks", input=json.dumps(FIXED)
    )
    assert result.exit_code == 0
    assert rules_of(result.stdout)[0] == "follow-up-turnaround"


def test_an_answer_to_the_brands_question_is_not_a_complaint(tmp_path):
    # The customer complained earlier in the thread: "ok, sent" answers the brand's
    # question and says nothing new against it.
    result = invoke(
        "draft", "-f", "json", *AT, "--context", write_context(tmp_path, ASKED), "ok, sent"
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["intent"], data["action"]) == ("other", "reply")


def test_an_earlier_escalation_in_the_thread_escalates_the_follow_up(tmp_path):
    thread = [{"role": "customer", "text": "I found a piece of glass in my soup"}]
    alone = invoke("draft", "-f", "json", *AT, "any update?")
    threaded = invoke(
        "draft", "-f", "json", *AT, "--context", write_context(tmp_path, thread), "any update?"
    )
    assert json.loads(alone.stdout)["action"] == "reply"
    assert json.loads(threaded.stdout)["action"] == "escalate"


CONTEXT_SHAPE = "{path}: expected a list of {{role, text}} messages, oldest first"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "{path}: not valid JSON (Expecting value)"),
        ('[{"role": "brand", "text": "hi"}', "{path}: not valid JSON (Expecting ',' delimiter)"),
        ('{"role": "brand", "text": "hi"}', CONTEXT_SHAPE),
        ('"just a sentence"', CONTEXT_SHAPE),
    ],
)
def test_a_malformed_context_file_is_one_line_and_exit_2(tmp_path, content, message):
    path = tmp_path / "thread.json"
    path.write_text(content, encoding="utf-8")
    result = invoke("draft", *AT, "--context", str(path), "great, thanks")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "replybook: error: " + message.format(path=path) + "\n"


@pytest.mark.parametrize(
    ("messages", "start"),
    [
        ([{"role": "bot", "text": "hi"}], "context[0].role must be "),
        ([{"role": "brand", "text": "hi"}, "hello"], "context[1] must be "),
        ([{"role": "customer", "text": 3}], "context[0].text must be "),
    ],
)
def test_a_malformed_message_in_the_context_is_one_line_and_exit_2(tmp_path, messages, start):
    result = invoke("draft", *AT, "--context", write_context(tmp_path, messages), "thanks")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("replybook: error: " + start)
    assert result.stderr.count("\n") == 1


def test_a_missing_context_file(tmp_path):
    result = invoke("draft", "--context", str(tmp_path / "nope.json"), "thanks")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"replybook: error: {tmp_path / 'nope.json'}: no such file\n"


@pytest.mark.parametrize(
    "args",
    [["draft", "--context", "-", "-"], ["draft", "--context", "-", "--batch", "-"]],
)
def test_context_and_the_comments_cannot_both_come_from_stdin(args):
    result = invoke(*args, input="[]")
    assert result.exit_code == 2
    assert result.stderr == (
        "replybook: error: --context - needs stdin to itself; give the other input as a file\n"
    )


# A brand playbook with a rule that reads the thread's decision: no apology once the
# customer says it's sorted.
TURNAROUND_RULE = """\
playbook: thread-rules
extends: default
rules:
  - id: apology-on-a-turnaround
    extends: existence
    when: {case: turnaround}
    level: error
    message: "The customer says it's sorted: thank them, don't apologise again ('{match}')."
    why: A turnaround gets thanks, not another apology (empathy-thanks).
    tokens: {en: [sorry]}
    examples:
      comment: "It works now, thanks!"
      bad: ["So sorry about that, glad it works now! ^MK"]
      good: ["Glad it works now, thanks for letting us know! ^MK"]
"""


def test_lint_with_context_sees_the_thread(tmp_path):
    book = tmp_path / "replybook.yaml"
    book.write_text(TURNAROUND_RULE, encoding="utf-8")
    reply = "Hi Dana, so sorry about that, glad it works now. Thanks for telling us! ^MK"
    common = ("lint", "--playbook", str(book), "-f", "line", "--comment", "great, thanks")
    alone = invoke(*common, "--name", "Dana", "-", input=reply)
    threaded = invoke(
        *common, "--name", "Dana", "--context", write_context(tmp_path, FIXED), "-", input=reply
    )
    assert (alone.exit_code, alone.stdout) == (0, "")
    assert threaded.exit_code == 1
    assert threaded.stdout == (
        "<stdin>:1:13:error:apology-on-a-turnaround:The customer says it's sorted: thank them,"
        " don't apologise again ('sorry').\n"
    )


def test_lint_context_needs_a_comment(tmp_path):
    result = invoke("lint", "--context", write_context(tmp_path, FIXED), "-", input="Thanks! ^MK")
    assert result.exit_code == 2
    assert result.stderr == (
        "replybook: error: --context needs --comment: the thread leads up to that comment\n"
    )


def test_lint_context_and_reply_cannot_both_come_from_stdin():
    result = invoke("lint", "--comment", "great, thanks", "--context", "-", input="[]")
    assert result.exit_code == 2
    assert result.stderr == (
        "replybook: error: --context - needs stdin to itself; give the other input as a file\n"
    )
