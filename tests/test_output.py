"""Output: Rich only on a terminal, no colour with NO_COLOR, plain text in a pipe."""

from __future__ import annotations

import io

import pytest

from replybook import draft
from replybook.output import print_draft

from .conftest import NOW


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def complaint(default):
    return draft("My order still hasn't arrived", default, name="Dana", agent="Mia Koski", now=NOW)


def test_terminal_gets_a_coloured_panel(complaint, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    out = FakeTerminal()
    print_draft(complaint, "text", out)
    text = out.getvalue()
    assert "\x1b[" in text
    assert "╭" in text and "Public reply" in text


def test_no_color_keeps_the_panel_without_colour(complaint, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    out = FakeTerminal()
    print_draft(complaint, "text", out)
    text = out.getvalue()
    assert "╭" in text
    assert "\x1b[3" not in text and "\x1b[9" not in text  # no colour codes


def test_pipe_gets_plain_text(complaint):
    out = io.StringIO()
    print_draft(complaint, "text", out)
    text = out.getvalue()
    assert text.startswith("complaint → reply\n\nPublic reply:\n")
    assert "\x1b[" not in text and "╭" not in text
    assert complaint.public_reply in text and complaint.note in text


def test_lint_on_a_terminal_is_a_coloured_table(default, monkeypatch):
    from replybook.linter import lint
    from replybook.output import print_lint

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    out = FakeTerminal()
    print_lint([("reply.txt", lint("Hi, calm down. ^MK", default))], "text", out)
    text = out.getvalue()
    assert "\x1b[" in text
    assert "reply.txt" in text and "calm-down" in text
    assert "1 problem (1 error)" in text
