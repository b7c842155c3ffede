"""Hostile input: text from a comment, a name, an id or a reply is data wherever it is
printed. It is never read as Rich markup, and never reaches a terminal or a pipe as a
control sequence."""

from __future__ import annotations

import io
import json

import pytest
from typer.testing import CliRunner

from replybook import draft
from replybook.batch import QueueItem
from replybook.cli import app
from replybook.linter import Finding
from replybook.output import print_draft, print_lint, print_triage, safe, write_json

from .conftest import NOW

runner = CliRunner()

TITLE = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"
LINK = "[link=https://evil.example]click[/link]"
HOSTILE = f"[/]{TITLE}you lost my bag {CLEAR}{LINK} [bold]x\x9b31m\x7f"
NOW_ISO = "2026-11-23T09:45:00Z"


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def terminal(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    return FakeTerminal()


def assert_inert(text: str) -> None:
    """Nothing from the data acts on a terminal: no OSC (title, hyperlink), no clear
    screen, no bell, no C1 or DEL; markup tags are shown, not applied."""
    assert "\x1b]" not in text  # no title and no hyperlink (OSC 8)
    assert "\x07" not in text and CLEAR not in text
    assert not any(0x80 <= ord(c) < 0xA0 or c == "\x7f" for c in text)
    assert "https://evil.example" in text or "[link" in text or "..." in text


def no_escape_at_all(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text


def queue_item(text: str, id: object = "c1") -> QueueItem:
    return QueueItem(id, 1, "2026-11-23T10:00:00Z", "complaint", "reply", None, None, text, 1)


def finding(message: str, match: str = "x") -> Finding:
    return Finding("rule-id", "warning", message, "why", 1, 1, (0, 1), match)


def test_safe_shows_every_control_character_as_a_placeholder():
    controls = "".join(chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)])
    shown = safe(controls)
    assert "\n" in shown and "\t" in shown
    assert all(ord(c) >= 0xA0 or c in "\n\t" for c in shown)
    assert safe("\x1b[2J") == "␛[2J" and safe("\x07") == "␇"
    assert "\n" not in safe("a\nb\u2028c", one_line=True)


# -- triage ------------------------------------------------------------------------------


def test_triage_on_a_terminal_prints_comment_markup_and_escapes_as_text(terminal):
    text = "[/]" + TITLE + "you lost my bag " + CLEAR + LINK
    print_triage([queue_item(text, id=f"[bold]{CLEAR}")], [], NOW, "text", terminal)
    out = terminal.getvalue()
    assert_inert(out)
    assert "␛" in out and "[/]" in out and "[link=" in out


def test_triage_on_a_terminal_survives_a_comment_starting_with_a_closing_tag(terminal):
    for text in ("[/]", "[/] you lost my bag", "[bold]", "[/bold]", LINK, ":smile: [red]x"):
        out = FakeTerminal()
        print_triage([queue_item(text)], [{"error": f"[/]{text}"}], NOW, "text", out)
        assert text.split()[0] in out.getvalue()


def test_triage_in_a_pipe_prints_no_escape_from_the_comment():
    records = json.dumps({"id": f"id{CLEAR}", "text": HOSTILE}) + "\n"
    records += json.dumps({"id": "e\x1b", "text": "line one\nline two \x1b[2J"}) + "\n"
    result = runner.invoke(app, ["triage", "-", "--no-store", "--now", NOW_ISO], input=records)
    assert result.exit_code == 0, result.output
    no_escape_at_all(result.stdout)
    assert "[/]" in result.stdout and "[link=" in result.stdout
    assert len(result.stdout.splitlines()) == 2  # a newline in a comment doesn't split a row


def test_triage_json_keeps_the_comment_exact_and_escaped():
    records = json.dumps({"id": "j1", "text": HOSTILE}) + "\n"
    result = runner.invoke(
        app, ["triage", "-", "--no-store", "--now", NOW_ISO, "-f", "json"], input=records
    )
    assert result.exit_code == 0, result.output
    no_escape_at_all(result.stdout)
    assert "\x9b" not in result.stdout and "\x7f" not in result.stdout
    assert json.loads(result.stdout)["queue"][0]["text"] == HOSTILE


# -- draft -------------------------------------------------------------------------------


@pytest.fixture
def hostile_draft(default):
    return draft(HOSTILE, default, name=f"Dana{TITLE}", agent="Mia Koski", now=NOW)


def test_draft_panel_on_a_terminal_carries_no_escape_from_the_comment(default, terminal):
    result = draft(HOSTILE, default, name="Dana", agent="Mia Koski", now=NOW)
    # whatever the drafting keeps of the comment, the panel shows it as text
    result = result._replace(note=result.note + "\n" + HOSTILE, public_reply=HOSTILE)
    print_draft(result, "text", terminal)
    out = terminal.getvalue()
    assert_inert(out)
    assert "␛" in out and "[link=" in out and "[/]" in out


def test_draft_text_in_a_pipe_carries_no_escape_from_the_note_or_reply(hostile_draft):
    result = hostile_draft._replace(
        note=hostile_draft.note + "\nComment: " + HOSTILE,
        private_reply=f"Hi {CLEAR}",
        lint=[finding(f"'{TITLE}'")],
    )
    out = io.StringIO()
    print_draft(result, "text", out)
    no_escape_at_all(out.getvalue())
    assert "Comment: [/]␛]0;pwned␇" in out.getvalue()


def test_draft_on_the_command_line_carries_no_escape_in_a_pipe():
    result = runner.invoke(app, ["draft", "--no-store", "--name", f"D{CLEAR}", HOSTILE])
    assert result.exit_code == 0, result.output
    no_escape_at_all(result.stdout)
    assert not any(0x80 <= ord(c) < 0xA0 or c == "\x7f" for c in result.stdout)


def test_draft_json_stays_exact_json_with_no_raw_control_character(hostile_draft):
    result = hostile_draft._replace(public_reply=HOSTILE + "\u2028")
    out = io.StringIO()
    print_draft(result, "json", out)
    text = out.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")
    assert not any(ord(c) < 0x20 and c != "\n" or 0x7F <= ord(c) < 0xA0 for c in text)
    assert "\u2028" not in text
    assert json.loads(text)["public_reply"] == HOSTILE + "\u2028"


def test_write_json_leaves_other_text_unescaped():
    out = io.StringIO()
    write_json({"t": "Hyvää päivää 🙂 سلام"}, out)
    assert out.getvalue() == '{"t": "Hyvää päivää 🙂 سلام"}\n'


# -- lint --------------------------------------------------------------------------------


def test_lint_line_format_keeps_a_finding_spanning_a_newline_on_one_line():
    result = runner.invoke(app, ["lint", "--format", "line", "-"], input="Hi, calm\ndown. ^MK")
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith("<stdin>:") for line in lines)
    assert any("calm-down" in line for line in lines)


def test_lint_text_and_line_formats_show_control_characters_as_placeholders():
    found = [("reply\x1b.txt", [finding(f"'{TITLE}\nnext{CLEAR}'", match=f"{TITLE}\n")])]
    for fmt in ("text", "line"):
        out = io.StringIO()
        print_lint(found, fmt, out)
        no_escape_at_all(out.getvalue())
        rows = [row for row in out.getvalue().splitlines() if "rule-id" in row]
        assert len(rows) == 1 and "␛]0;pwned␇␤next␛[2J" in rows[0]


def test_lint_on_a_terminal_prints_a_message_as_text_not_markup(terminal):
    print_lint([("[bold]r.txt", [finding(f"[/]{LINK}{TITLE}\nx")])], "text", terminal)
    out = terminal.getvalue()
    assert_inert(out)
    assert "[/]" in out and "[link=" in out and "[bold]r.txt" in out


def test_lint_github_format_cannot_be_given_a_second_command_by_a_reply():
    message = "50% off\r\n::error file=x::injected\n%0A::warning::two" + CLEAR
    out = io.StringIO()
    print_lint([("a:b,c.txt", [finding(message)])], "github", out)
    text = out.getvalue()
    assert text.count("\n") == 1 and "\r" not in text
    assert text.startswith("::warning file=a%3Ab%2Cc.txt,line=1,col=1,title=rule-id::")
    assert "50%25 off%0D%0A::error file=x::injected%0A%250A::warning::two" in text
    no_escape_at_all(text)


def test_incidents_and_errors_are_shown_as_text():
    from replybook.output import print_incidents

    class Incident:
        id, status, count = 1, "open", 3
        label, first_seen, last_seen, playbook = f"bag{CLEAR}\n", "t1", "t2", "default"

    out = io.StringIO()
    print_incidents([Incident()], "text", out)  # type: ignore[list-item]
    no_escape_at_all(out.getvalue())
    assert out.getvalue().count("\n") == 1


def test_bidi_overrides_are_shown_as_placeholders_but_isolates_are_kept():
    """An RLO in a comment would reorder the rest of a terminal line; replybook's own
    right-to-left text uses isolates and marks, which stay."""
    assert safe("a\u202eb\u202ac\u202cd") == "a\ufffdb\ufffdc\ufffdd"
    assert safe("\u2067سلام\u2069 \u200f") == "\u2067سلام\u2069 \u200f"


def test_an_error_line_never_carries_control_characters_from_a_value():
    result = runner.invoke(
        app, ["draft", "hello", "--no-store", "--channel", "x\x1b]0;owned\x07\u202e\nline2"]
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\u202e" not in result.stderr
