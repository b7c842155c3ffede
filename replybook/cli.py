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
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from . import __version__
from .errors import ReplybookError, UsageError

if TYPE_CHECKING:
    from collections.abc import Callable

    from .linter import Finding

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
        _safe_streams()
        try:
            if sys.stdout is None:
                raise UsageError("stdout is closed: nowhere to write the output")
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
        except OSError as exc:  # what is read is checked: this is the output (a full disk)
            _error(f"can't write the output: {exc.strerror or exc}")
            code = ExitStatus.USAGE
        sys.exit(code if isinstance(code, int) else 0)


def _escape_unencodable(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: what stdout can't encode, written as JSON's ``\\uXXXX`` escapes
    (a pair of them beyond the BMP), as ``json.dumps(ensure_ascii=True)`` would: JSON stays
    valid JSON, text stays readable, and a lone surrogate is written, not a crash."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = []
    for char in exc.object[exc.start : exc.end]:
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            out.append(f"\\u{0xD800 | (code >> 10):04x}\\u{0xDC00 | (code & 0x3FF):04x}")
        else:
            out.append(f"\\u{code:04x}")
    return "".join(out), exc.end


def _safe_streams() -> None:
    """stdout and stderr never fail on a character they can't encode (an ASCII locale, a
    lone surrogate): it is escaped instead (see :func:`_escape_unencodable`)."""
    import codecs

    if sys.stderr is None:  # started with stderr closed: errors go nowhere, not a crash
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115
    try:
        codecs.lookup_error("replybook-escape")
    except LookupError:
        codecs.register_error("replybook-escape", _escape_unencodable)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(Exception):
                reconfigure(errors="replybook-escape")


def _error(message: str, ctx: Any = None) -> None:
    from .output import safe

    prog = ctx.command_path if ctx is not None else "replybook"
    lines = message.strip().splitlines() or [""]
    sys.stderr.write(f"{prog}: error: {safe(lines[0], one_line=True)}\n")


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


_DB_HELP = (
    "The team's memory: a SQLite file or a postgresql:// URL. Default: $REPLYBOOK_DB, else"
    " ~/.local/share/replybook/replybook.db."
)
_OWN_HELP = (
    "With --from: one of the brand's own accounts, whose comments are the brand's (a"
    " source's id prefix and id, fb:104523318876, or a username, @acme.shop); repeatable,"
    " added to the playbook's brand.accounts."
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


def _read_text(text: str | None, what: str = "comment", empty: bool = False) -> str:
    """The comment (or reply) of the argument, or of stdin; ``empty``: it may be empty (a
    review's rating alone), and with no argument on a terminal it is."""
    from .runner import check_length, read_comment

    if text is None or text == "-":
        if text is None and sys.stdin.isatty():
            if empty:
                return ""
            raise UsageError(f"give the {what} as an argument, or '-' to read it from stdin")
        data = read_comment("-", what)
    else:
        data = check_length(_arg(text, f"the {what}"), what)
    if not data.strip() and not empty:
        raise UsageError(f"the {what} is empty")
    return data


def _arg(value: str, what: str) -> str:
    """Text from the command line: bytes that weren't UTF-8 (escaped by Python as lone
    surrogates) are an error, never a crash later."""
    from .runner import undecodable

    if undecodable(value):
        raise UsageError(f"{what} is not UTF-8 text")
    return value


def _args(**values: str | None) -> None:
    """Check each text option's value (see :func:`_arg`); ``comment_id`` is ``--comment-id``."""
    for key, value in values.items():
        if value is not None:
            _arg(value, "--" + key.replace("_", "-"))


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
    context: str | None = typer.Option(
        None,
        "--context",
        help="The thread before the comment: a JSON file ('-': stdin) of "
        '[{"role": "customer"|"brand", "text": ...}], oldest first.',
    ),
    lang: str | None = typer.Option(
        None, "--lang", help="The comment's language (en, tr, ru, fa, fi...). Default: detected."
    ),
    rating: str | None = typer.Option(
        None,
        "--rating",
        metavar="N",
        help="A review's stars (1-5): 1-2 is a complaint, 4-5 praise; the text may be empty.",
        show_default=False,
    ),
    format: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
    comment_id: str | None = typer.Option(
        None, "--id", help="The comment's id in your inbox: seen twice, counted once."
    ),
    record: bool = typer.Option(
        False, "--record", help="Remember the public reply as sent (for the canned check)."
    ),
    sent_at: str | None = typer.Option(
        None,
        "--sent-at",
        help="With --record: when the reply was posted (ISO 8601), for reports' first-reply"
        " times. Default: now; a batch record's sent_at wins.",
    ),
    batch: str | None = typer.Option(
        None, "--batch", help="Draft every record of a JSONL or CSV file ('-': stdin), to JSONL."
    ),
    columns: str | None = typer.Option(
        None, "--columns", help="Map fields to the batch's columns: text=message,name=author."
    ),
    preset: str | None = typer.Option(
        None,
        "--from",
        help="The batch is an export or API response of this source (see replybook presets).",
    ),
    include_answered: bool = typer.Option(
        False, "--include-answered", help="With --from: also what is already answered."
    ),
    own: list[str] | None = typer.Option(None, "--own", metavar="ACCOUNT", help=_OWN_HELP),
    output_file: str | None = typer.Option(
        None, "--output", "-o", help="Write the batch's JSONL here (whole or not at all)."
    ),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes for a batch."),
    db: str | None = typer.Option(None, "--db", help=_DB_HELP),
    no_store: bool = typer.Option(False, "--no-store", help="Remember nothing from this run."),
) -> None:
    """Turn a comment into a decision (reply, escalate, moderate, skip) and the replies."""
    from . import output
    from .playbook import load_playbook
    from .runner import Drafter, time_limit

    _args(name=name, handle=handle, agent=agent, channel=channel, lang=lang, id=comment_id)
    _check_from(preset, include_answered, batch, own)
    posted = _sent_at(sent_at, record)
    stars = _rating(rating)
    playbook = _playbook_path(playbook)
    book = load_playbook(playbook)
    _check_lang(book, lang)
    owner = _owner(book, preset, own)
    now = _now()
    if context == "-" and (batch == "-" or (batch is None and text in (None, "-"))):
        raise UsageError(_STDIN_TWICE)
    thread = _read_context(context)
    defaults = {
        "name": name,
        "handle": handle,
        "agent": agent,
        "channel": channel,
        "received_at": received_at,
        "variant": variant,
        "context": thread,
        "lang": lang,
        "rating": stars,
        "sent_at": posted,
    }
    store = _open_store(db, no_store)
    try:
        drafter = Drafter(book, store, now, defaults, record=record)
        if batch is not None:
            _run_batch(
                batch,
                columns,
                output_file,
                jobs,
                drafter.batch_record,
                store,
                worker=("draft", (playbook, now, drafter.worker_options())),
                settle=drafter.settle,
                preset=preset,
                include_answered=include_answered,
                owner=owner,
            )
            return
        # A rating alone is a review to answer: its text may be empty.
        comment = _read_text(text, empty=stars is not None)
        with time_limit():
            result = drafter.one(comment, ext_id=comment_id, **drafter.options({}))
    finally:
        if store is not None:
            store.close()
    output.print_draft(result, format.value)


def _sent_at(value: str | None, record: bool) -> datetime | None:
    """``draft --sent-at``: a time, and only with ``--record`` (nothing else is sent)."""
    if value is None:
        return None
    if not record:
        raise UsageError("--sent-at needs --record: it says when the recorded reply was posted")
    from .runner import sent_time

    return sent_time(_arg(value, "--sent-at"), "--sent-at")


def _playbook_path(value: str | None) -> str:
    """Which playbook a command loads: a built-in name first (``default`` is the built-in
    even beside a file named ``default``), else the file; with none given,
    ``replybook.yaml`` in the current folder or a parent up to the repository root (a
    folder with ``.git``) or the home folder, named on stderr, else the built-in default."""
    from .playbook import builtin_playbooks

    builtins = builtin_playbooks()
    if value is not None:
        if value in builtins:
            return str(builtins[value])
        if os.path.isdir(value):
            raise UsageError(f"{value}: is a folder, not a playbook file")
        if os.path.exists(value) and not os.path.isfile(value):
            raise UsageError(f"{value}: not a regular file (give a playbook file or name)")
        return value
    found = _find_playbook()
    if found is None:
        return str(builtins["default"])
    sys.stderr.write(f"replybook: using playbook {found}\n")
    return found


def _find_playbook() -> str | None:
    from pathlib import Path

    from .playbook import PLAYBOOK_FILENAME

    try:
        here = Path.cwd().resolve()
        home = Path.home().resolve()
    except (OSError, RuntimeError):
        return None
    for folder in (here, *here.parents):
        candidate = folder / PLAYBOOK_FILENAME
        with contextlib.suppress(OSError):
            if candidate.is_file():
                return str(candidate)
            if folder == home or (folder / ".git").exists():
                return None
    return None


def _check_lang(book: Any, lang: str | None) -> None:
    """--lang must be a language the playbook answers in."""
    if lang is not None and lang not in book.served():
        served = ", ".join(book.served())
        raise UsageError(f"--lang {lang!r}: this playbook answers in {served}")


def _rating(value: str | None) -> int | None:
    """--rating: a whole number from 1 to 5."""
    if value is None:
        return None
    from .analyze import check_rating

    try:
        return check_rating(_arg(value, "--rating"))
    except UsageError:
        raise UsageError("--rating must be a whole number from 1 to 5") from None


def _check_route(book: Any, route: str | None) -> None:
    """--route must name one of the playbook's routes."""
    if route is None:
        return
    names = book.routes()
    if not names:
        raise UsageError("--route: this playbook has no routes")
    if route not in names:
        raise UsageError(f"--route {route!r}: unknown route; valid: {', '.join(sorted(names))}")


_STDIN_TWICE = "--context - needs stdin to itself; give the other input as a file"


def _read_context(path: str | None) -> list[Any] | None:
    """The thread of ``--context``: a JSON list of earlier messages, oldest first."""
    if path is None:
        return None
    from .runner import read_context

    return read_context(path)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _open_store(db: str | None, no_store: bool) -> Any:
    if no_store:
        return None
    from .store import open_store

    return open_store(_db_path(db))


def _db_path(db: str | None) -> str | None:
    """``--db`` (else ``$REPLYBOOK_DB``): a file path, ``sqlite:///path`` or a PostgreSQL
    URL; any other URL is refused rather than taken for a folder name."""
    value = db if db is not None else os.environ.get("REPLYBOOK_DB") or None
    if value is None:
        return None
    return _db_location(value, "--db" if db is not None else "REPLYBOOK_DB")


def is_url(value: str) -> bool:
    import re

    return re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", value) is not None


def _shown(where: str) -> str:
    """A store's name as a message shows it (a path as typed, a URL without password)."""
    from .output import safe

    return safe(where, one_line=True)


def _db_location(value: str, where: str) -> str:
    """A store named on the command line: see :func:`_db_path`."""
    import re

    _arg(value, where)
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", value)
    if match is None:
        return value
    scheme = match.group(1).lower()
    if scheme == "sqlite" and value.lower().startswith("sqlite:///") and value[10:]:
        return value[10:]  # sqlite:///rel.db, sqlite:////abs/path.db
    if scheme in ("postgresql", "postgres"):
        return value
    raise UsageError(
        f"{where}: {scheme}:// is not supported; give a file path (SQLite) or a"
        " postgresql:// URL"
    )


def _run_batch(
    path: str,
    columns: str | None,
    output_file: str | None,
    jobs: int,
    process: Any,
    store: Any,
    *,
    worker: tuple[str, tuple[Any, ...]],
    settle: Any = None,
    fail_level: str | None = None,
    preset: str | None = None,
    include_answered: bool = False,
    owner: Any = None,
) -> None:
    """Run a batch, then exit: 1 when a record failed (or, for lint, was flagged)."""
    from . import output
    from .batch import (
        Sink,
        init_draft_worker,
        init_lint_worker,
        read_records,
        run_batch,
    )

    kind, args = worker
    source = read_records(
        path, preset, columns, mode=kind, include_answered=include_answered, owner=owner
    )
    sink = Sink(output_file)
    initializer = init_draft_worker if kind == "draft" else init_lint_worker
    result = run_batch(
        source,
        sink,
        process,
        store=store,
        jobs=jobs,
        worker=(initializer, args),
        settle=settle,
        progress=output.is_terminal(sys.stderr) and not os.environ.get("REPLYBOOK_NO_PROGRESS"),
        fail_level=fail_level,
    )
    _say_skipped(source)
    if result.failed:
        sys.stderr.write(
            f"replybook: {result.failed} of {result.records} records failed "
            '(see their "error" fields)\n'
        )
    if result.failed or result.flagged:
        raise typer.Exit(ExitStatus.FINDINGS)


def _check_from(
    preset: str | None, include_answered: bool, batch: str | None, own: list[str] | None = None
) -> None:
    """``--from`` names a batch's shape: it needs ``--batch``, and a preset that exists;
    ``--own`` needs a preset that can tell who wrote a record."""
    if preset is None:
        if include_answered:
            raise UsageError("--include-answered needs --from: a preset says what is answered")
        if own:
            raise UsageError("--own needs --from: a preset says which field names the author")
        return
    _arg(preset, "--from")
    if batch is None:
        raise UsageError("--from needs --batch: it names the shape of the batch file")
    from .presets import account_problem, all_presets, load_preset

    loaded = load_preset(preset)
    for value in own or ():
        problem = account_problem(_arg(value, "--own"))
        if problem is not None:
            raise UsageError(f"--own: {problem}")
    if own and loaded.author is None:
        able = ", ".join(p.name for p in all_presets() if p.author is not None)
        raise UsageError(
            f"--own: the {loaded.name} preset can't tell who wrote a record"
            f" (presets that can: {able})"
        )


def _owner(book: Any, preset: str | None, own: list[str] | None) -> Any:
    """The brand's own accounts, for a preset: the playbook's ``brand:`` section's, and
    ``--own``."""
    if preset is None:
        return None
    from .presets import Owner

    return Owner.of(book.get("brand"), own or ())


def _say_skipped(source: Any) -> None:
    if source.preset is not None and source.skipped:
        noun = "record" if source.skipped == 1 else "records"
        mine = (
            f" ({source.skipped_own} written by the brand's own accounts)"
            if source.skipped_own
            else ""
        )
        sys.stderr.write(
            f"replybook: {source.skipped} {noun} left out by the {source.preset.name}"
            f" preset's filters{mine}\n"
        )


class LintFormat(str, Enum):
    text = "text"
    json = "json"
    line = "line"
    github = "github"
    rdjson = "rdjson"
    sarif = "sarif"


class FailLevel(str, Enum):
    suggestion = "suggestion"
    warning = "warning"
    error = "error"
    never = "never"


class Slot(str, Enum):
    public = "public"
    private = "private"


def _read_file(path: str) -> str:
    """A reply to lint (``-``: stdin): a regular file of at most 100,000 characters."""
    from .runner import read_comment

    return read_comment(path, "reply")


def _read_history(path: str) -> list[str]:
    """Replies already sent: one per line, or JSONL with a "text" or "reply" field."""
    import json

    from .runner import load_json

    replies = []
    from .runner import clean, read_text

    for number, line in enumerate(read_text(path).splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if line.startswith(("{", '"')):
            try:
                value = load_json(line)
            except json.JSONDecodeError as exc:
                raise UsageError(f"{path}:{number}: not valid JSON: {exc.msg}") from None
            if isinstance(value, dict):
                value = value.get("text") or value.get("reply")
            if not isinstance(value, str):
                raise UsageError(f'{path}:{number}: expected a "text" or "reply" string')
            replies.append(clean(value))
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
    context: str | None = typer.Option(
        None,
        "--context",
        help="The thread before the comment (needs --comment): a JSON file ('-': stdin) of "
        '[{"role": "customer"|"brand", "text": ...}], oldest first.',
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
    lang: str | None = typer.Option(
        None, "--lang", help="The reply's language. Default: the language it is written in."
    ),
    playbook: str | None = typer.Option(
        None, "--playbook", envvar="REPLYBOOK_PLAYBOOK", help="Playbook file or built-in name."
    ),
    format: LintFormat = typer.Option(
        LintFormat.text, "--format", "-f", help="text, json, line, github, rdjson or sarif."
    ),
    fix: bool = typer.Option(
        False,
        "--fix",
        help="Put the substitution rules' replacements in the files, then report what is left.",
    ),
    fail_level: FailLevel = typer.Option(
        FailLevel.error, "--fail-level", help="Exit 1 on findings at or above this level."
    ),
    batch: str | None = typer.Option(
        None, "--batch", help="Lint every record of a JSONL or CSV file ('-': stdin), to JSONL."
    ),
    columns: str | None = typer.Option(
        None, "--columns", help="Map fields to the batch's columns: text=reply,comment=message."
    ),
    preset: str | None = typer.Option(
        None,
        "--from",
        help="The batch is an export or API response of this source (see replybook presets).",
    ),
    include_answered: bool = typer.Option(
        False, "--include-answered", help="With --from: also what is already answered."
    ),
    own: list[str] | None = typer.Option(None, "--own", metavar="ACCOUNT", help=_OWN_HELP),
    output_file: str | None = typer.Option(
        None, "--output", "-o", help="Write the batch's JSONL here (whole or not at all)."
    ),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes for a batch."),
    db: str | None = typer.Option(None, "--db", help=_DB_HELP),
    no_store: bool = typer.Option(
        False, "--no-store", help="Don't compare with the replies the store remembers."
    ),
) -> None:
    """Check a reply against the playbook, alone or against the comment it answers."""
    from . import output
    from .linter import at_or_above
    from .linter import lint as run_lint
    from .playbook import load_playbook
    from .runner import Linter, check_length, clean, lint_history, time_limit

    _args(comment=comment, name=name, channel=channel, lang=lang)
    _check_from(preset, include_answered, batch, own)
    if comment is not None:
        comment = check_length(clean(comment))
    playbook = _playbook_path(playbook)
    book = load_playbook(playbook)
    _check_lang(book, lang)
    if context is not None and comment is None and batch is None:
        raise UsageError("--context needs --comment: the thread leads up to that comment")
    reads_stdin = batch == "-" or history == "-" or (batch is None and "-" in (files or ["-"]))
    if context == "-" and reads_stdin:
        raise UsageError(_STDIN_TWICE)
    thread = _read_context(context)
    past_file = _read_history(history) if history else None
    # Without --history, the replies the team's store remembers are the history; a store
    # that doesn't exist yet has none, and lint doesn't create one.
    store = None
    if past_file is None and not no_store:
        from .store import default_path, is_postgres

        if db is not None or is_postgres(_db_path(None)) or default_path().exists():
            store = _open_store(db, False)
    try:
        past = lint_history(store, book, past_file)
    finally:
        if store is not None:
            store.close()
    if batch is not None:
        if fix:
            raise UsageError("--fix rewrites reply files, and --batch records are none: drop one")
        if format in (LintFormat.rdjson, LintFormat.sarif):
            raise UsageError(f"--format {format.value} is for reply files; --batch writes JSONL")
        defaults = {
            "comment": comment,
            "context": thread,
            "name": name,
            "channel": channel,
            "slot": slot.value,
            "lang": lang,
        }
        linter = Linter(book, past, defaults)
        _run_batch(
            batch,
            columns,
            output_file,
            jobs,
            linter.batch_record,
            None,
            worker=("lint", (playbook, past, defaults)),
            fail_level=fail_level.value,
            preset=preset,
            include_answered=include_answered,
            owner=_owner(book, preset, own),
        )
        return
    paths = list(files or [])
    if not paths:
        if sys.stdin.isatty():
            raise UsageError("give reply files to check, or '-' to read one from stdin")
        paths = ["-"]
    if fix and "-" in paths:
        raise UsageError("--fix rewrites the files it lints: give reply files, not stdin")

    def check(text: str) -> list[Finding]:
        with time_limit("the reply"):
            return run_lint(
                text,
                book,
                comment=comment,
                context=thread,
                name=name,
                channel=channel,
                slot=slot.value,
                history=past,
                lang=lang,
            )

    results = []
    texts = []
    changes = changed = 0
    for path in paths:
        if fix:
            text, found, applied = _fix_file(path, check)
            output.print_fixes(path, applied)
            changes += len(applied)
            changed += bool(applied)
        else:
            text = _read_file(path)
            found = check(text)
        results.append(("<stdin>" if path == "-" else path, found))
        texts.append(text)
    if fix:
        output.print_fix_total(changes, changed)
    output.print_lint(results, format.value, texts=texts)
    every = [f for _, found in results for f in found]
    if at_or_above(every, fail_level.value):
        raise typer.Exit(ExitStatus.FINDINGS)


# A fix can make room for another (two replacements that overlapped): the file is linted
# and fixed again, this many times at most, and never back into a text it already was.
_FIX_PASSES = 5


def _fix_file(
    path: str, check: Callable[[str], list[Finding]]
) -> tuple[str, list[Finding], list[Finding]]:
    """``lint --fix`` on one file: the substitution rules' replacements put in its text,
    written back in place (whole or not at all, its encoding and mode kept); then the text,
    what is left to find in it, and the fixes made (each where it was in the text it was
    made in)."""
    from .linter import apply_fixes
    from .runner import read_reply_file, replace_file

    text, bom, encoding = read_reply_file(path)
    original = text
    seen = {text}
    found = check(text)
    applied: list[Finding] = []
    for _ in range(_FIX_PASSES):
        fixed, done = apply_fixes(text, found)
        if not done or fixed in seen:
            break
        applied += done
        seen.add(fixed)
        text = fixed
        found = check(text)
    if text != original:
        replace_file(path, bom + text.encode(encoding))
    return text, found, applied


@app.command(
    "test",
    epilog=(
        "Example: replybook test playbooks/acme.yaml; "
        "replybook test --fail-level warning playbooks/*.yaml"
    ),
)
def test_playbook(
    playbooks: list[str] | None = typer.Argument(
        None,
        help="Playbook files or built-in names (several: each is tested). Default: as for draft.",
        show_default=False,
    ),
    format: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
    coverage: bool = typer.Option(
        False, "--coverage", help="Also show the languages each rule's examples cover."
    ),
    fail_level: FailLevel = typer.Option(
        FailLevel.error,
        "--fail-level",
        help="Exit 1 on failures (error), also on warnings (warning, suggestion), or never.",
    ),
) -> None:
    """Check a playbook: every rule's examples, and every template drafted and linted, in
    every language it serves."""
    from . import output
    from .playbook import load_playbook
    from .selftest import run

    failed = False
    level = fail_level.value
    names: list[str | None] = list(playbooks or []) or [None]
    for playbook in names:
        book = load_playbook(_playbook_path(playbook))
        report = run(book)
        warnings_fail = level in ("warning", "suggestion") and bool(report.warnings)
        output.print_report(
            book.name, report, format.value, coverage=coverage, warnings_fail=warnings_fail
        )
        if level != "never" and (report.failures or warnings_fail):
            failed = True
    if failed:
        raise typer.Exit(ExitStatus.FINDINGS)


@app.command(epilog="Example: replybook sent --comment-id 1842 --agent mia reply.txt")
def sent(
    text: str | None = typer.Argument(
        None, help="The reply as posted, a file, or '-' for stdin.", show_default=False
    ),
    comment_id: str | None = typer.Option(None, "--comment-id", help="The comment it answered."),
    agent: str | None = typer.Option(
        None, "--agent", envvar="REPLYBOOK_AGENT", help="Who sent it."
    ),
    channel: str | None = typer.Option(None, "--channel", help="Where it was posted."),
    at: str | None = typer.Option(
        None,
        "--sent-at",
        "--at",
        help="When it was posted (ISO 8601), for reports' first-reply times. Default: now.",
    ),
    playbook: str | None = typer.Option(
        None, "--playbook", envvar="REPLYBOOK_PLAYBOOK", help="Playbook file or built-in name."
    ),
    db: str | None = typer.Option(None, "--db", help=_DB_HELP),
) -> None:
    """Remember a reply that was posted, so lint can flag near-copies of it (no-canned)."""
    from .playbook import load_playbook
    from .runner import sent_time

    _args(comment_id=comment_id, agent=agent, channel=channel)
    posted = _now() if at is None else sent_time(_arg(at, "--sent-at"), "--sent-at")
    if text is not None and text != "-" and os.path.exists(text):
        body = _read_file(text)  # a regular file, or an error naming what it is
    else:
        body = _read_text(text, "reply")
    body = body.strip()
    if not body:
        raise UsageError("the reply is empty")
    book = load_playbook(_playbook_path(playbook))
    store = _open_store(db, False)
    try:
        number = store.record_reply(
            playbook=book.name,
            text=body,
            sent_at=posted,
            comment_id=comment_id,
            agent=agent,
            channel=channel,
        )
    finally:
        store.close()
    sys.stdout.write(f"recorded reply {number} for {book.name}\n")


incidents_app = typer.Typer(
    cls=_Group,
    help="Incidents: complaints that repeat (patterns). Lists the open ones.",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(incidents_app, name="incidents")

db_app = typer.Typer(
    cls=_Group,
    help="The team store itself: migrate its schema, copy it to another store.",
    no_args_is_help=True,
)
app.add_typer(db_app, name="db")


@db_app.command("migrate", epilog="Example: replybook db migrate --db postgresql://mia@db/care")
def db_migrate(db: str | None = typer.Option(None, "--db", help=_DB_HELP)) -> None:
    """Create the store or bring its schema up to this version (under a lock: safe while
    other machines open it)."""
    from .store import SCHEMA_VERSION

    store = _open_store(db, False)
    try:
        before = getattr(store, "migrated_from", SCHEMA_VERSION)
        where = store.target
    finally:
        store.close()
    if before == SCHEMA_VERSION:
        change = "already up to date"
    elif before == 0:
        change = "created"
    else:
        change = f"migrated from schema {before}"
    sys.stdout.write(f"{_shown(where)}: schema {SCHEMA_VERSION} ({change})\n")


@db_app.command(
    "copy", epilog="Example: replybook db copy --from team.db --to postgresql://mia@db/care"
)
def db_copy(
    source: str = typer.Option(..., "--from", help="The store to copy: a file or a URL."),
    target: str = typer.Option(..., "--to", help="The store to copy into (made if need be)."),
) -> None:
    """Copy every comment, reply and incident of one store into another, in one
    transaction: a team's SQLite memory onto its PostgreSQL server. Copying twice copies
    nothing the second time."""
    from .store import copy_store

    frm, to = _db_location(source, "--from"), _db_location(target, "--to")
    if frm == to:
        raise UsageError("--from and --to name the same store")
    if not is_url(frm) and not os.path.isfile(frm):
        raise UsageError(f"--from: no store at {_shown(frm)}")
    with _open_store(frm, False) as old, _open_store(to, False) as new:
        copied = copy_store(old, new)
        shown_from, shown_to = old.target, new.target
    counted = [
        f"{copied[table]} {word if copied[table] == 1 else table}"
        for table, word in (
            ("comments", "comment"),
            ("replies", "reply"),
            ("incidents", "incident"),
        )
    ]
    sys.stdout.write(
        f"copied {counted[0]}, {counted[1]} and {counted[2]} from {_shown(shown_from)} to"
        f" {_shown(shown_to)}\n"
    )


@incidents_app.callback(epilog="Example: replybook incidents; replybook incidents close 3")
def incidents_list(
    ctx: typer.Context,
    show_all: bool = typer.Option(False, "--all", help="Closed incidents too."),
    playbook: str | None = typer.Option(
        None, "--playbook", help="Only this playbook's incidents (its name)."
    ),
    format: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
    db: str | None = typer.Option(None, "--db", help=_DB_HELP),
) -> None:
    """List open incidents with their counts and first and last seen."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = {"db": db}
        return
    from . import output

    store = _open_store(db, False)
    try:
        found = store.incidents(playbook=playbook, status="all" if show_all else "open")
    finally:
        store.close()
    output.print_incidents(found, format.value)


@incidents_app.command("close", epilog="Example: replybook incidents close 3")
def incidents_close(
    ctx: typer.Context,
    incident_id: int = typer.Argument(..., help="The incident's number."),
    db: str | None = typer.Option(None, "--db", help=_DB_HELP),
) -> None:
    """Close an incident: later complaints start counting afresh."""
    if not 1 <= incident_id < 2**63:  # SQLite's integers: a bigger one can't be any id
        raise UsageError(f"no incident {incident_id}")
    store = _open_store(db or (ctx.obj or {}).get("db"), False)
    try:
        incident = store.close_incident(incident_id, now=_now())
    finally:
        store.close()
    sys.stdout.write(
        f"closed incident {incident.id} ({incident.label}, {incident.count} complaints)\n"
    )


class ReportFormat(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"


class ReportPeriod(str, Enum):
    day = "day"
    week = "week"


@app.command(
    epilog=(
        "Example: replybook report --by week --group agent; "
        "replybook report --since 30d --group channel --format csv -o sla.csv --chart sla.svg"
    )
)
def report(
    since: str | None = typer.Option(
        None,
        "--since",
        help="From this time: ISO 8601, a date, or back from now (12h, 7d, 2w). Default: the"
        " last 7 days (--by day) or 4 weeks (--by week), today's or this week's included.",
    ),
    until: str | None = typer.Option(
        None, "--until", help="Up to this time, not included (as --since). Default: now."
    ),
    by: ReportPeriod = typer.Option(
        ReportPeriod.day, "--by", help="day, or week (ISO weeks, from Monday)."
    ),
    group: list[str] | None = typer.Option(
        None,
        "--group",
        "-g",
        help="Rows per channel, playbook, agent or intent; several: --group channel,agent."
        " Default: none (the team's total).",
    ),
    playbook: str | None = typer.Option(
        None, "--playbook", help="Only this playbook's comments (its name, or its file)."
    ),
    tz: str | None = typer.Option(
        None,
        "--tz",
        envvar="REPLYBOOK_TZ",
        help="Days and weeks in this time zone (an IANA name: Europe/Helsinki). Default: UTC.",
    ),
    at: str | None = typer.Option(
        None,
        "--now",
        help="Report as of this time (ISO 8601): replies sent, SLAs passed and incidents"
        " closed by then. Default: now.",
    ),
    format: ReportFormat = typer.Option(
        ReportFormat.text, "--format", "-f", help="text, json or csv."
    ),
    output_file: str | None = typer.Option(
        None, "--output", "-o", help="Write the report here (whole or not at all)."
    ),
    chart: str | None = typer.Option(
        None,
        "--chart",
        help="Chart the share within SLA: FILE.svg, or '-' for block-character charts in"
        " the text output (shown anyway when it goes to a terminal).",
    ),
    db: str | None = typer.Option(None, "--db", help=_DB_HELP),
) -> None:
    """Report from the team's memory, per day or week: comments seen, replied, escalated,
    moderated; first replies against the playbook's SLA; incidents opened and closed."""
    from . import output
    from .report import build, default_since, parse_moment, zone

    _args(since=since, until=until, playbook=playbook, tz=tz, now=at, output=output_file)
    _args(chart=chart)
    zone_info = zone(tz)
    groups = _report_groups(group or [])
    now = parse_moment(at, _now(), zone_info, "--now") if at is not None else _now()
    end = parse_moment(until, now, zone_info, "--until") if until is not None else now
    start = (
        parse_moment(since, now, zone_info, "--since")
        if since is not None
        else default_since(end, by.value, zone_info)
    )
    if not start < end:
        raise UsageError("--since must be before --until")
    svg = _chart_target(chart, format.value, output_file)
    name = _report_playbook(playbook)
    path = _db_path(db)
    from .store import default_path, is_postgres

    missing = None
    if not is_postgres(path):
        where = path if path is not None else str(default_path())
        if not os.path.exists(where):
            if db is not None:
                raise UsageError(f"{where}: no such store")
            missing = where
    if missing is not None:
        sys.stderr.write(f"replybook: no store at {output.safe(missing, True)} yet\n")
        result = build(
            [], [], since=start, until=end, now=now, by=by.value, group=groups, tz=zone_info,
            playbook=name,
        )
    else:
        store = _open_store(db, False)
        try:
            result = build(
                store.seen(since=start, until=end, playbook=name),
                store.incident_spans(until=end, playbook=name),
                since=start,
                until=end,
                now=now,
                by=by.value,
                group=groups,
                tz=zone_info,
                playbook=name,
            )
        finally:
            store.close()
    _write_report(result, format.value, output_file, chart, svg)


def _write_report(
    result: Any, fmt: str, output_file: str | None, chart: str | None, svg: str | None
) -> None:
    """The chart file first, then the report: each whole or not at all."""
    from . import output
    from .batch import Sink

    if svg is not None:
        from .chart import report_svg

        picture = Sink(svg)
        try:
            picture.stream.write(report_svg(result))
            picture.commit()
        except BaseException:
            picture.abort()
            raise
    sink = Sink(output_file)
    blocks = chart == "-" or (
        chart is None and sink.stream is sys.stdout and output.is_terminal(sys.stdout)
    )
    try:
        if fmt == "csv" and sink.stream is not sys.stdout:
            sink.stream.write("\ufeff")  # a spreadsheet then reads the file as UTF-8
        output.print_report_stats(result, fmt, sink.stream, chart=blocks and fmt == "text")
        sink.commit()
    except BaseException:
        sink.abort()
        raise


def _report_groups(values: list[str]) -> tuple[str, ...]:
    """``--group``: names, repeated or comma-separated; ``none`` alone is the team's total."""
    from .report import GROUPS

    names: list[str] = []
    for value in values:
        names += [part.strip() for part in value.split(",") if part.strip()]
    if "none" in names:
        if set(names) != {"none"}:
            raise UsageError("--group none is the team's total alone: give it by itself")
        return ()
    for name in names:
        if name not in GROUPS:
            choices = ", ".join((*GROUPS, "none"))
            raise UsageError(f"--group: unknown {name!r}; choose from {choices}")
    return tuple(dict.fromkeys(names))


def _chart_target(chart: str | None, fmt: str, output_file: str | None) -> str | None:
    """The SVG file ``--chart`` names (None: no file; ``-`` draws in the text output)."""
    if chart is None:
        return None
    if chart == "-":
        if fmt != "text":
            raise UsageError(
                "--chart - draws in the text output; with --format json or csv give a FILE.svg"
            )
        return None
    if not chart.lower().endswith(".svg"):
        raise UsageError(f"--chart: {chart!r}: give a FILE.svg, or '-' for a chart in the text")
    if output_file is not None and os.path.abspath(chart) == os.path.abspath(output_file):
        raise UsageError("--chart and --output name the same file")
    return chart


def _report_playbook(value: str | None) -> str | None:
    """``report --playbook``: a playbook's name; a built-in name or a playbook file is read
    for its name."""
    if value is None:
        return None
    from .playbook import builtin_playbooks, load_playbook

    if value in builtin_playbooks() or os.path.isfile(value):
        return str(load_playbook(_playbook_path(value)).name)
    return value


@app.command(epilog="Example: replybook triage inbox.csv --columns text=message,id=msg_id")
def triage(
    file: str = typer.Argument(..., help="JSONL or CSV of comments, or '-' for stdin."),
    columns: str | None = typer.Option(
        None, "--columns", help="Map fields to the file's columns: text=message,name=author."
    ),
    preset: str | None = typer.Option(
        None,
        "--from",
        help="The file is an export or API response of this source (see replybook presets).",
    ),
    include_answered: bool = typer.Option(
        False, "--include-answered", help="With --from: also what is already answered."
    ),
    own: list[str] | None = typer.Option(None, "--own", metavar="ACCOUNT", help=_OWN_HELP),
    channel: str | None = typer.Option(None, "--channel", help="Default channel."),
    playbook: str | None = typer.Option(
        None, "--playbook", envvar="REPLYBOOK_PLAYBOOK", help="Playbook file or built-in name."
    ),
    lang: str | None = typer.Option(
        None, "--lang", help="Every comment's language (else each record's lang, else detected) "
    ),
    format: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
    at: str | None = typer.Option(
        None, "--now", help="Triage as of this time (ISO 8601); records without one arrive then."
    ),
    route: str | None = typer.Option(
        None, "--route", help="Only one team's queue: support, sales, marketing, community..."
    ),
    db: str | None = typer.Option(None, "--db", help=_DB_HELP),
    no_store: bool = typer.Option(False, "--no-store", help="Remember nothing from this run."),
) -> None:
    """Print the comments as a queue: most urgent first, trolls last, with due times."""
    from . import output
    from .batch import read_records, triage_queue
    from .compose import parse_time
    from .playbook import load_playbook
    from .runner import Drafter

    _args(channel=channel, lang=lang, route=route)
    _check_from(preset, include_answered, file, own)
    book = load_playbook(_playbook_path(playbook))
    _check_lang(book, lang)
    _check_route(book, route)
    now = parse_time(at, _now(), "--now")
    store = _open_store(db, no_store)
    try:
        drafter = Drafter(book, store, now, {"channel": channel, "lang": lang})
        source = read_records(
            file,
            preset,
            columns,
            include_answered=include_answered,
            owner=_owner(book, preset, own),
        )
        if store is not None:
            with store.transaction():
                queue, errors = triage_queue(source, drafter, route)
        else:
            queue, errors = triage_queue(source, drafter, route)
    finally:
        if store is not None:
            store.close()
    output.print_triage(queue, errors, now, format.value)
    _say_skipped(source)
    if errors:
        raise typer.Exit(ExitStatus.FINDINGS)


@app.command(epilog="Example: replybook presets; replybook presets --format json")
def presets(
    format: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
) -> None:
    """List the presets for --from: each source's records, the fields read, the filters."""
    from . import output
    from .presets import all_presets

    output.print_presets(all_presets(), format.value)


@app.command(
    epilog=(
        "Example: replybook listen --playbook acme-air posts.jsonl | "
        "replybook draft --batch - --no-store"
    )
)
def listen(
    feeds: list[str] | None = typer.Argument(
        None, help="JSONL or CSV files of posts, or '-' for stdin.", show_default=False
    ),
    playbook: str | None = typer.Option(
        None,
        "--playbook",
        envvar="REPLYBOOK_PLAYBOOK",
        help="Playbook file or built-in name: its brand: section says what to listen for.",
    ),
    columns: str | None = typer.Option(
        None, "--columns", help="Map fields to the feed's columns: text=message,id=post_id."
    ),
    preset: str | None = typer.Option(
        None,
        "--from",
        help="The feeds are exports or API responses of this source (see replybook presets).",
    ),
    include_answered: bool = typer.Option(
        False, "--include-answered", help="With --from: also what is already answered."
    ),
    own: list[str] | None = typer.Option(None, "--own", metavar="ACCOUNT", help=_OWN_HELP),
    since: str | None = typer.Option(
        None, "--since", help="Only posts received at or after this time (ISO 8601)."
    ),
    format: Format = typer.Option(Format.json, "--format", "-f", help="json (JSONL) or text."),
    every: bool = typer.Option(
        False, "--all", help="Every post, those that don't mention the brand too."
    ),
    output_file: str | None = typer.Option(
        None, "--output", "-o", help="Write the output here (whole or not at all)."
    ),
) -> None:
    """Print the posts that mention the brand, with and without @, as JSONL for draft --batch
    and triage."""
    from . import output
    from .batch import Sink, Source, parse_columns, read_records
    from .batch import listen as run_listen
    from .compose import parse_time
    from .listen import brand_for
    from .playbook import load_playbook
    from .runner import DRAFT_FIELDS

    _args(since=since)
    _check_from(preset, include_answered, "feeds", own)
    paths = list(feeds or [])
    if not paths:
        if sys.stdin.isatty():
            raise UsageError("give the posts to listen to as files, or '-' to read stdin")
        paths = ["-"]
    if paths.count("-") > 1:
        raise UsageError("'-' (stdin) can be read only once")
    for path in paths:
        _arg(path, "a feed's name")
        if path != "-" and os.path.isdir(path):
            raise UsageError(f"{path}: is a folder, not a file of posts")
    book = load_playbook(_playbook_path(playbook))
    brand = brand_for(book)
    if not brand:
        raise UsageError(
            f"playbook {book.name!r} names no brand to listen for: set brand.name, names, "
            "handle, handles, hashtags or domains"
        )
    after = parse_time(since, None, "--since") if since is not None else None
    if preset is None:
        mapping = parse_columns(columns, DRAFT_FIELDS)
        sources = [Source(path, mapping) for path in paths]
    else:
        owner = _owner(book, preset, own)
        sources = [
            read_records(path, preset, columns, include_answered=include_answered, owner=owner)
            for path in paths
        ]
    sink = Sink(output_file)
    table = output.ListenTable(sink.stream) if format == Format.text else None
    try:
        result = run_listen(
            sources, brand, table.write if table is not None else sink, since=after, every=every
        )
        sink.commit()
    except BaseException:
        sink.abort()
        raise
    for source in sources:
        _say_skipped(source)
    sys.stderr.write(output.listen_summary(result))
    if result.failed:
        raise typer.Exit(ExitStatus.FINDINGS)


def _app_for(args: list[str]) -> typer.Typer:
    """The app to run: for a plain ``replybook COMMAND ...``, one holding just that command.

    Typer turns every registered command into a click command on each run; building only
    the one asked for saves a few milliseconds of every one-shot draft. Anything else
    (help, completion, the incidents group) gets the whole app.
    """
    if not args or args[0].startswith("-"):
        return app
    for info in app.registered_commands:
        name = info.name or (info.callback.__name__ if info.callback else None)
        if name == args[0]:
            solo = typer.Typer(
                cls=_Group,
                name="replybook",
                add_completion=False,
                pretty_exceptions_enable=False,
                context_settings={"help_option_names": ["-h", "--help"]},
            )
            solo.registered_callback = app.registered_callback
            solo.registered_commands = [info]
            return solo
    return app


def main() -> None:
    """Console-script entry point.

    Ends with ``os._exit`` once output is flushed: a one-shot command has nothing to clean
    up, and skipping the interpreter's teardown is a measurable part of its start-up cost.
    """
    code: int
    try:
        _app_for(sys.argv[1:])()
        code = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            sys.stderr.write(f"{exc.code}\n")
            code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (BrokenPipeError, ValueError):
            pass
        except OSError as exc:  # the output's last bytes, to a full disk
            if stream is sys.stdout:
                with contextlib.suppress(OSError, ValueError):
                    _error(f"can't write the output: {exc.strerror or exc}")
                code = code or ExitStatus.USAGE
    os._exit(code)
