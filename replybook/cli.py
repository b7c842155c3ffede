"""The command line: arguments in, API call, output and exit code out. No logic of its own.

Exit codes: 0 done; 1 findings or failed records (later commands); 2 usage error, bad
input, bad playbook or template. Every error is one line on stderr, never a traceback.
"""

from __future__ import annotations

import contextlib
import os
import sys
from datetime import datetime, timezone
from enum import Enum
from typing import Any

import typer
from typer.core import TyperGroup

from . import __version__
from .errors import ReplybookError, UsageError

try:  # typer >= 0.20 vendors click
    from typer._click.exceptions import ClickException
except ImportError:  # pragma: no cover - older typer with click as a dependency
    from click.exceptions import ClickException  # type: ignore[no-redef]


class ExitStatus:
    OK = 0
    FINDINGS = 1
    USAGE = 2


class _Group(TyperGroup):
    """Turns every error into one line on stderr and an exit code: the one place that does."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except ClickException as exc:
            _error(exc.format_message(), getattr(exc, "ctx", None))
            code = exc.exit_code
        except ReplybookError as exc:
            _error(str(exc))
            code = exc.exit_code
        except typer.Abort:
            code = 1
        except BrokenPipeError:
            # A pager or `head` closed stdout: not an error worth a line.
            sys.stderr.close()
            code = 0
        sys.exit(code if isinstance(code, int) else 0)


def _error(message: str, ctx: Any = None) -> None:
    prog = ctx.command_path if ctx is not None else "replybook"
    sys.stderr.write(f"{prog}: error: {message.strip().splitlines()[0]}\n")


app = typer.Typer(
    cls=_Group,
    name="replybook",
    help="Draft and lint replies to a brand's social-media comments, by a YAML playbook.",
    no_args_is_help=True,
    epilog="Example: replybook draft --agent 'Mia Koski' 'you lost my bag AGAIN'",
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
    text = "text"
    json = "json"


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"replybook {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Draft and lint replies to a brand's social-media comments, by a YAML playbook."""


def _read_text(text: str | None) -> str:
    if text is None or text == "-":
        if text is None and sys.stdin.isatty():
            raise UsageError("give the comment as an argument, or '-' to read it from stdin")
        data = sys.stdin.read()
    else:
        data = text
    if not data.strip():
        raise UsageError("the comment is empty")
    return data


@app.command(
    epilog=(
        "Example: replybook draft --name Dana --agent 'Mia Koski' --channel x "
        "'@AcmeAir you lost my bag AGAIN. Third time this year.'"
    )
)
def draft(
    text: str | None = typer.Argument(
        None, help="The comment, or '-' to read it from stdin.", show_default=False
    ),
    name: str | None = typer.Option(None, "--name", help="The customer's name, to greet them."),
    handle: str | None = typer.Option(None, "--handle", help="The customer's @handle."),
    agent: str | None = typer.Option(
        None,
        "--agent",
        envvar="REPLYBOOK_AGENT",
        help="Who signs: a playbook agent id or a name. Default: the team.",
    ),
    channel: str | None = typer.Option(
        None, "--channel", help="x, facebook, instagram, google-reviews, ... (the playbook's)."
    ),
    playbook: str | None = typer.Option(
        None,
        "--playbook",
        envvar="REPLYBOOK_PLAYBOOK",
        help="Playbook file or built-in name. Default: replybook.yaml here or above, "
        "else the built-in default.",
    ),
    received_at: str | None = typer.Option(
        None, "--received-at", help="When the comment arrived (ISO 8601). Default: now."
    ),
    variant: int | None = typer.Option(
        None, "--variant", min=1, help="Pick phrasing variant N instead of the stable hash."
    ),
    format: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
) -> None:
    """Turn a comment into a decision (reply, escalate, moderate, skip) and the replies."""
    from . import output
    from .compose import draft as make_draft
    from .playbook import load_playbook

    comment = _read_text(text)
    book = load_playbook(playbook)
    result = make_draft(
        comment,
        book,
        name=name,
        handle=handle,
        agent=agent,
        channel=channel,
        received_at=received_at,
        now=datetime.now(timezone.utc).replace(microsecond=0),
        variant=variant,
    )
    output.print_draft(result, format.value)


class LintFormat(str, Enum):
    text = "text"
    json = "json"
    line = "line"
    github = "github"


class FailLevel(str, Enum):
    suggestion = "suggestion"
    warning = "warning"
    error = "error"
    never = "never"


class Slot(str, Enum):
    public = "public"
    private = "private"


def _read_file(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a folder, not a file") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror or exc}") from None


def _read_history(path: str) -> list[str]:
    """Replies already sent: one per line, or JSONL with a "text" or "reply" field."""
    import json

    replies = []
    for number, line in enumerate(_read_file(path).splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if line.startswith(("{", '"')):
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                raise UsageError(f"{path}:{number}: not valid JSON: {exc.msg}") from None
            if isinstance(value, dict):
                value = value.get("text") or value.get("reply")
            if not isinstance(value, str):
                raise UsageError(f'{path}:{number}: expected a "text" or "reply" string')
            replies.append(value)
        else:
            replies.append(line)
    return replies


@app.command(
    epilog=(
        "Example: replybook lint --comment 'I want a refund NOW' --name Sam reply.txt; "
        "replybook lint --format line --fail-level warning drafts/*.txt"
    )
)
def lint(
    files: list[str] | None = typer.Argument(
        None, help="Reply files to check, or '-' for stdin.", show_default=False
    ),
    comment: str | None = typer.Option(
        None, "--comment", help="The comment the reply answers: turns on comment-aware rules."
    ),
    name: str | None = typer.Option(
        None, "--name", help="The customer's name: check the greeting."
    ),
    channel: str | None = typer.Option(
        None, "--channel", help="Check the channel's length limit (x, facebook, ...)."
    ),
    history: str | None = typer.Option(
        None, "--history", help="Replies already sent (one per line, or JSONL): canned check."
    ),
    slot: Slot = typer.Option(Slot.public, "--slot", help="public or private reply."),
    playbook: str | None = typer.Option(
        None, "--playbook", envvar="REPLYBOOK_PLAYBOOK", help="Playbook file or built-in name."
    ),
    format: LintFormat = typer.Option(
        LintFormat.text, "--format", "-f", help="text, json, line or github."
    ),
    fail_level: FailLevel = typer.Option(
        FailLevel.error, "--fail-level", help="Exit 1 on findings at or above this level."
    ),
) -> None:
    """Check a reply against the playbook, alone or against the comment it answers."""
    from . import output
    from .linter import at_or_above
    from .linter import lint as run_lint
    from .playbook import load_playbook

    paths = list(files or [])
    if not paths:
        if sys.stdin.isatty():
            raise UsageError("give reply files to check, or '-' to read one from stdin")
        paths = ["-"]
    book = load_playbook(playbook)
    past = _read_history(history) if history else []
    results = []
    for path in paths:
        text = _read_file(path)
        found = run_lint(
            text, book, comment=comment, name=name, channel=channel, slot=slot.value, history=past
        )
        results.append(("<stdin>" if path == "-" else path, found))
    output.print_lint(results, format.value)
    every = [f for _, found in results for f in found]
    if at_or_above(every, fail_level.value):
        raise typer.Exit(ExitStatus.FINDINGS)


@app.command(
    "test",
    epilog="Example: replybook test playbooks/acme.yaml",
)
def test_playbook(
    playbook: str | None = typer.Argument(
        None, help="Playbook file or built-in name. Default: as for draft.", show_default=False
    ),
    format: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
) -> None:
    """Check a playbook: every rule's examples, and every template drafted and linted."""
    from . import output
    from .playbook import load_playbook
    from .selftest import run

    book = load_playbook(playbook)
    report = run(book)
    output.print_report(book.name, report, format.value)
    if report.failures:
        raise typer.Exit(ExitStatus.FINDINGS)


def main() -> None:
    """Console-script entry point.

    Ends with ``os._exit`` once output is flushed: a one-shot command has nothing to clean
    up, and skipping the interpreter's teardown is a measurable part of its start-up cost.
    """
    code: int
    try:
        app()
        code = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            sys.stderr.write(f"{exc.code}\n")
            code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BrokenPipeError, ValueError):
            stream.flush()
    os._exit(code)
