"""Drafting and linting with the team's memory, one comment at a time (I/O: the store).

The decisions stay in the pure core (analyze, decide, compose, linter); this module reads
the input's fields (a thread's messages among them), asks the store what it remembers (a
pattern, the team's recent replies), hands that to the core, and remembers the result.
Batches of thousands live in :mod:`replybook.batch`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import stat
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from .analyze import Analysis, analyze, check_rating
from .compose import Draft, draft, parse_time, sla_minutes
from .decide import Decision, decide
from .errors import ReplybookError, StoreError, UsageError, unexpected
from .linter import counts, lint
from .playbook import Playbook

if TYPE_CHECKING:
    from .store import Pattern, TeamStore

DRAFT_FIELDS = (
    "id", "text", "name", "handle", "channel", "received_at", "agent", "context", "lang",
    "rating", "url", "parent_id", "sent_at",
)
"""A draft record's fields; ``rating`` (1-5 stars), ``url`` and ``parent_id`` are carried
in the drafter's options, read by no decision yet; ``sent_at`` is when the reply was posted
(with ``record``)."""
LINT_FIELDS = ("id", "text", "comment", "name", "channel", "context", "lang")


def open_text(path: str, errors: str = "strict") -> IO[str]:
    """Open a UTF-8 text file for reading; every failure is one clear UsageError.

    ``errors="surrogateescape"`` lets a batch read on past bytes that aren't UTF-8 and
    report the lines that hold them (:func:`undecodable`).
    """
    try:
        return open(path, encoding="utf-8-sig", errors=errors, newline="")  # noqa: SIM115
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror or exc}") from None


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def undecodable(text: str) -> bool:
    """Did this text come from bytes that aren't UTF-8 (read with surrogateescape)?"""
    return not text.isascii() and _ESCAPED_BYTE.search(text) is not None


COMMENT_LIMIT = 100_000
"""The most characters a comment or a reply may have."""

FILE_LIMIT = 10 * 1024 * 1024
"""The most bytes a ``--context`` or ``--history`` file may have (10 MB)."""

TIME_LIMIT = 10.0
"""The most seconds one comment or reply may take to read, decide on and draft or lint.

A normal one takes a few milliseconds and one of 100,000 characters about a second; only a
playbook pattern that backtracks on a stranger's text (polynomially: ``\\s*\\s*x``, which
the load-time check lets through) comes near it. Enforced with a timer in the main thread
(Python's regular expression engine stops for signals); elsewhere not at all."""


@contextlib.contextmanager
def time_limit(what: str = "the comment") -> Iterator[None]:
    """Raise UsageError when the block runs longer than :data:`TIME_LIMIT` seconds.

    A timer already running (an outer block's, one left armed by a generator that was never
    finished, or the caller's own) is put back when the block ends, with what remained of
    it; one due before this limit is left to run as it is."""
    seconds = TIME_LIMIT
    if (
        seconds <= 0
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    remaining = signal.getitimer(signal.ITIMER_REAL)[0]
    if 0 < remaining <= seconds:
        # Someone else's timer is due first: it decides.
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise UsageError(
            f"{what} took longer than the limit of {seconds:g} seconds to process"
            " (a playbook pattern may backtrack on this text)"
        )

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, expired)
    # Once due, it fires again every tenth of a second until the block ends: code that
    # catches every exception (a cache read, a compile) can't swallow the limit for good.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if remaining > 0:
            left = remaining - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6))


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

_SURROGATE = re.compile("[\ud800-\udfff]")


def decode(data: bytes, where: str, what: str = "text") -> str:
    """Bytes as text: UTF-8 (with or without a BOM), or UTF-16 with its BOM.

    Anything else is one UsageError: replybook never guesses at an encoding.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                break
    else:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    raise UsageError(f"{where}: the {what} is not UTF-8 text (nor UTF-16 with a BOM)")


def clean(text: str) -> str:
    """Text with every lone surrogate (JSON's ``"\\ud83d"`` without its pair, an emoji cut
    in half by an export) replaced by U+FFFD, so nothing downstream fails to encode it."""
    return _SURROGATE.sub("\ufffd", text) if not text.isascii() else text


def check_length(text: str, what: str = "comment", where: str = "") -> str:
    """A comment or reply of at most :data:`COMMENT_LIMIT` characters."""
    if len(text) > COMMENT_LIMIT:
        prefix = f"{where}: " if where else ""
        raise UsageError(f"{prefix}the {what} is longer than the limit of 100,000 characters")
    return text


def _limit_words(limit: int) -> str:
    return "10 MB" if limit == FILE_LIMIT else f"{limit:,} bytes"


def read_bytes(path: str, limit: int) -> bytes:
    """At most ``limit`` bytes of a regular file, or of stdin for ``-``; more is an error.

    Only a regular file is read: a FIFO, a device (``/dev/zero``) or a folder is refused
    before a byte is read (a FIFO is opened without waiting for a writer).
    """
    where = "<stdin>" if path == "-" else path
    if path == "-":
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:  # a text-only stdin (an embedding program's)
            data = sys.stdin.read(limit + 1).encode("utf-8", "surrogateescape")
        else:
            data = stream.read(limit + 1)
    else:
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except FileNotFoundError:
            raise UsageError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise UsageError(f"{path}: is a folder, not a file") from None
        except OSError as exc:
            raise UsageError(f"{path}: {exc.strerror or exc}") from None
        try:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise UsageError(f"{path}: is a folder, not a file")
            if not stat.S_ISREG(info.st_mode):
                raise UsageError(f"{path}: not a regular file (give a file, or '-' for stdin)")
            if info.st_size > limit:
                data = b"x" * (limit + 1)
            else:
                with os.fdopen(fd, "rb", closefd=False) as stream:
                    data = stream.read(limit + 1)
        except OSError as exc:
            raise UsageError(f"{path}: {exc.strerror or exc}") from None
        finally:
            os.close(fd)
    if len(data) > limit:
        raise UsageError(f"{where}: longer than the limit of {_limit_words(limit)}")
    return data


def read_text(path: str, limit: int = FILE_LIMIT, what: str = "text") -> str:
    """A whole text file, or stdin for ``-``: a regular file of at most ``limit`` bytes,
    UTF-8 or UTF-16 with a BOM (see :func:`decode`); lone surrogates replaced."""
    where = "<stdin>" if path == "-" else path
    return clean(decode(read_bytes(path, limit), where, what))


def read_comment(path: str, what: str = "comment") -> str:
    """A comment or reply from a file or stdin: at most 100,000 characters."""
    # Four bytes a character at most in UTF-8, two more for a UTF-16 BOM.
    where = "<stdin>" if path == "-" else path
    try:
        data = read_bytes(path, COMMENT_LIMIT * 4 + 3)
    except UsageError as exc:
        if "longer than the limit" not in str(exc):
            raise
        raise UsageError(
            f"{where}: the {what} is longer than the limit of 100,000 characters"
        ) from None
    return check_length(clean(decode(data, where, what)), what, where)


def text_encoding(data: bytes) -> tuple[bytes, str]:
    """The byte order mark ``data`` starts with (``b""``: none) and the encoding
    :func:`decode` reads it in."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return bom, encoding
    return b"", "utf-8"


def read_reply_file(path: str) -> tuple[str, bytes, str]:
    """A reply file to rewrite (``lint --fix``): its text as :func:`read_comment` reads it,
    and the byte order mark and encoding to write it back in."""
    data = read_bytes(path, COMMENT_LIMIT * 4 + 3)
    bom, encoding = text_encoding(data)
    text = check_length(decode(data, path, "reply"), "reply", path)
    return text, bom, encoding


def replace_file(path: str, data: bytes) -> None:
    """Put ``data`` in the file at ``path`` whole or not at all: written to a temporary
    file in the same folder with the file's own mode, then renamed over it (through a
    symlink, its target is the file rewritten). Any failure is one UsageError, and the
    temporary file is gone."""
    import tempfile

    target = os.path.realpath(path)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
        fd, tmp = tempfile.mkstemp(
            prefix=f".{os.path.basename(target)}.", suffix=".part", dir=os.path.dirname(target)
        )
    except OSError as exc:
        raise UsageError(f"{path}: can't write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise UsageError(f"{path}: can't write: {exc.strerror or exc}") from None
        raise


def load_json(text: str) -> Any:
    """``json.loads``, where JSON nested too deeply to read is a JSONDecodeError like any
    other unreadable JSON (not a RecursionError): input is the user's, never a bug."""
    try:
        return json.loads(text)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", text, 0) from None


# ---------------------------------------------------------------------------------------
# Threads


def parse_context(value: Any, where: str = "context") -> list[Any]:
    """A thread's earlier messages, oldest first: a list, or JSON text holding one (a CSV
    column, a ``--context`` file).

    Only the shape is checked here; each message's ``role`` and ``text`` are checked by
    :func:`replybook.analyze.analyze`, which owns what a role may be.
    """
    if isinstance(value, str):
        try:
            value = load_json(value)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{where}: not valid JSON ({exc.msg})") from None
    if not isinstance(value, list):
        raise UsageError(f"{where}: expected a list of {{role, text}} messages, oldest first")
    return [_clean_message(message) for message in value]


def _clean_message(message: Any) -> Any:
    if isinstance(message, dict) and isinstance(message.get("text"), str):
        text = clean(message["text"])
        if text is not message["text"]:
            return {**message, "text": text}
    return message


def read_context(path: str) -> list[Any]:
    """The thread in a JSON file (``-``: stdin), for ``--context``."""
    return parse_context(read_text(path), "<stdin>" if path == "-" else path)


def history_size(playbook: Playbook) -> int:
    """How many of the team's recent replies count as its history (playbook ``history_size``)."""
    value = playbook.get("history_size")
    return 200 if value is None else max(0, int(value))


# ---------------------------------------------------------------------------------------
# One comment


class Job(NamedTuple):
    """A record read and decided on in a worker process, for the main process to settle."""

    text: str
    ext_id: str | None
    options: dict[str, Any]
    arrived: datetime
    analysis: Analysis
    decision: Decision
    line: int


class Finish(NamedTuple):
    """A record read and decided on in a worker, settled with the store in the main
    process (``pattern``: what the store found), for a worker to compose."""

    id: Any
    job: Job
    pattern: Pattern | None


class Drafter:
    """Drafts with the store's memory: decide, observe the comment, compose, remember.

    ``history`` is the team's recent replies for the playbook (newest first), read from
    the store once and kept current in memory as replies are recorded, so a batch reads
    no replies per record; the draft uses it to pick phrasings unlike them.

    ``defer``: in a worker process of a parallel batch there is no store: the worker reads
    and decides, the main process settles each record with the store (:meth:`settle`),
    and a worker composes it after that (:meth:`finish`), or the main process does (see
    :attr:`workers_compose`).
    """

    def __init__(
        self,
        playbook: Playbook,
        store: TeamStore | None,
        now: datetime,
        defaults: dict[str, Any] | None = None,
        *,
        record: bool = False,
        defer: bool = False,
        history: Sequence[str] | None = None,
    ) -> None:
        self.playbook = playbook
        self.store = store
        self.now = now
        self.defaults = {k: v for k, v in (defaults or {}).items() if v is not None}
        self.record = record
        self.defer = defer
        self.history_size = history_size(playbook)
        # A tuple: a draft can hold on to it while later records replace it.
        self._history: tuple[str, ...] | None = None if history is None else tuple(history)
        channels = playbook.get("channels") or {}
        self._channels = frozenset(channels)
        self.default_channel = str(playbook.get("default_channel") or next(iter(channels), ""))

    # -- reading a record ---------------------------------------------------------------

    def options(self, record: dict[str, Any]) -> dict[str, Any]:
        """The record's own fields over the command line's defaults, checked."""
        merged = dict(self.defaults)
        merged.update(
            {k: record[k] for k in DRAFT_FIELDS if k in record and k not in ("id", "text")}
        )
        for key in ("name", "handle", "channel", "agent", "lang", "url", "parent_id"):
            if key in merged and not isinstance(merged[key], str):
                raise UsageError(f"{key!r} must be text")
            if key in merged:
                merged[key] = clean(merged[key])
        if "context" in merged:
            merged["context"] = parse_context(merged["context"])
        if "rating" in merged:
            merged["rating"] = check_rating(merged["rating"])
        if "sent_at" in merged:
            merged["sent_at"] = sent_time(merged["sent_at"], "sent_at")
        # Checked before the store sees the comment: a record that can't be drafted is
        # never counted towards a pattern, however the batch is run.
        channel = merged.get("channel")
        if channel is not None and channel not in self._channels:
            raise UsageError(
                f"unknown channel {channel!r}; valid: {', '.join(sorted(self._channels))}"
            )
        return merged

    def _read(self, record: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        options = self.options(record)
        if "text" not in record and options.get("rating") is None:
            raise UsageError('no "text"')
        if "received_at" in record:
            options["received_at"] = parse_time(record["received_at"], self.now, "received_at")
        # A review may be stars alone (an empty text cell).
        text = record.get("text", "")
        return (clean(text) if isinstance(text, str) else text), options

    def assess(self, text: Any, options: dict[str, Any]) -> tuple[datetime, Analysis, Decision]:
        """When the comment arrived, and the analysis and decision on it (with its thread)."""
        rating = options.get("rating")
        if not isinstance(text, str) or (not text.strip() and rating is None):
            raise UsageError("the comment is empty")
        check_length(text)
        arrived = parse_time(options.get("received_at"), self.now)
        lang = options.get("lang") or None
        analysis = analyze(
            text, self.playbook, context=options.get("context"), lang=lang, rating=rating
        )
        return arrived, analysis, decide(analysis, self.playbook)

    # -- drafting -----------------------------------------------------------------------

    def one(self, text: str, ext_id: str | None = None, **options: Any) -> Draft:
        """Decide, ask the store about patterns, compose; with ``record``, remember the reply."""
        if isinstance(text, str):
            text = clean(text)
        arrived, analysis, decision = self.assess(text, options)
        self._check_sent(options, arrived)
        ext_id = self._linkable(ext_id)
        pattern = self.observe(analysis, arrived, ext_id, decision, options)
        result = self._compose(text, options, arrived, analysis, decision, pattern)
        self._remember(result.public_reply, ext_id, options, result.channel)
        return result

    def history(self) -> tuple[str, ...]:
        """The team's recent replies for this playbook, newest first (read once)."""
        if self._history is None:
            if self.store is None or not self.history_size:
                self._history = ()
            else:
                self._history = tuple(
                    self.store.recent_replies(self.playbook.name, self.history_size)
                )
        return self._history

    def _compose(
        self,
        text: str,
        options: dict[str, Any],
        arrived: datetime,
        analysis: Analysis,
        decision: Decision,
        pattern: Pattern | None,
    ) -> Draft:
        return draft(
            text,
            self.playbook,
            name=options.get("name"),
            handle=options.get("handle"),
            agent=options.get("agent"),
            channel=options.get("channel"),
            received_at=arrived,
            now=self.now,
            variant=options.get("variant"),
            analysis=analysis,
            pattern=pattern if pattern is not None and pattern.state != "none" else None,
            context=options.get("context"),
            decision=decision,
            history=self.history(),
        )

    def _check_sent(self, options: dict[str, Any], arrived: datetime) -> None:
        """A reply recorded as posted before the comment it answers arrived, both times
        given, is a mistake in one of them (checked before the store sees the comment).
        Without both given a clock's skew is no error: a report counts it as no wait."""
        sent = options.get("sent_at")
        if self.record and sent is not None and "received_at" in options and sent < arrived:
            raise UsageError(
                f"sent_at {_iso(sent)} is before received_at {_iso(arrived)}: a reply can't"
                " be posted before the comment it answers"
            )

    def _linkable(self, ext_id: str | None) -> str | None:
        """A comment drafted with ``--record`` and no id of its own gets one (``~`` and 32
        random hex digits), so that the store links the reply recorded with it to it and a
        report counts it answered."""
        if ext_id is None and self.record and self.store is not None:
            import uuid

            return "~" + uuid.uuid4().hex
        return ext_id

    def _remember(
        self, reply: str | None, ext_id: str | None, options: dict[str, Any], channel: Any
    ) -> None:
        if self.record and self.store is not None and reply:
            self.store.record_reply(
                playbook=self.playbook.name,
                text=reply,
                sent_at=options.get("sent_at") or self.now,
                comment_id=ext_id,
                agent=options.get("agent"),
                channel=channel,
            )
            # What the store would now return, without asking it.
            if self.history_size:
                self._history = (reply, *self.history()[: self.history_size - 1])

    def observe(
        self,
        analysis: Analysis,
        arrived: datetime,
        ext_id: str | None,
        decision: Decision | None = None,
        options: dict[str, Any] | None = None,
    ) -> Pattern | None:
        """What the team's memory says about this comment (None without a store).

        ``decision`` is the one made on the comment with its thread: the store counts a
        complaint only when that decision says it is one.
        """
        if self.store is None:
            return None
        if decision is None:
            decision = decide(analysis, self.playbook)
        settings = self.playbook.get("patterns") or {}
        topic = analysis.topic
        entry = ((self.playbook.get("topics") or {}).get(topic) or {}) if topic else {}
        return self.store.observe(
            playbook=self.playbook.name,
            text=analysis.text,
            intent=decision.intent,
            action=decision.action,
            topic=analysis.topic,
            language=analysis.language,
            received_at=arrived,
            ext_id=ext_id,
            threshold=int(settings.get("threshold", 3)),
            window_hours=float(settings.get("window_hours", 24)),
            similarity=float(settings.get("similarity", 90)),
            label=analysis.topic,
            channel=(options or {}).get("channel") or self.default_channel,
            agent=(options or {}).get("agent"),
            sla_minutes=sla_minutes(self.playbook, decision),
            by_topic=entry.get("incident_by", "topic") != "wording",
        )

    def draft_record(self, record: dict[str, Any]) -> Draft:
        """Draft one input record (its fields over the command line's defaults)."""
        text, options = self._read(record)
        return self.one(text, ext_id=record_id(record), **options)

    # -- parallel batches ---------------------------------------------------------------

    @property
    def workers_compose(self) -> bool:
        """Whether worker processes compose the replies, or only read and decide.

        With ``record`` each reply depends on the replies recorded before it (the
        history), which only the main process knows in input order: it composes them all
        there. Otherwise the history stays what the store held at the start, and a worker
        that has it composes exactly what this process would.
        """
        return not (self.record and self.store is not None)

    def worker_options(self) -> dict[str, Any]:
        """What a worker process needs to draft as this drafter would (keyword arguments
        of :class:`Drafter` besides the playbook and the time)."""
        return {
            "defaults": self.defaults,
            "defer": self.store is not None,
            "history": self.history(),
        }

    def batch_record(self, record: dict[str, Any]) -> dict[str, Any]:
        """One batch output object; in a worker of a parallel batch with a store, with the
        ``_job`` the main process settles."""
        record_key = record.get("id", record["_line"])
        if not self.defer:
            return {"id": record_key, **self.draft_record(record).to_dict()}
        text, options = self._read(record)
        arrived, analysis, decision = self.assess(text, options)
        self._check_sent(options, arrived)
        # Composed once the store has said whether it is part of a pattern (:meth:`finish`).
        job = Job(text, record_id(record), options, arrived, analysis, decision, record["_line"])
        return {"id": record_key, "_job": job}

    def settle(self, outputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Main-process side of a parallel batch: remember each comment in input order,
        then compose where the workers didn't or couldn't know enough (a pattern the
        store found; the history as replies are recorded)."""
        settled = []
        for obj in outputs:
            job: Job | None = obj.pop("_job", None)
            if job is None or self.store is None:
                settled.append(obj)
                continue
            try:
                with time_limit("the record"):
                    settled.append(self._settle(obj, job))
            except StoreError:
                raise  # the store is gone: every record after this one would fail the same way
            except ReplybookError as exc:
                settled.append({"id": obj["id"], "error": f"line {job.line}: {exc}"})
            except Exception as exc:  # one bad record never ends a batch
                settled.append({"id": obj["id"], "error": f"line {job.line}: {unexpected(exc)}"})
        return settled

    def _settle(self, obj: dict[str, Any], job: Job) -> dict[str, Any]:
        ext_id = self._linkable(job.ext_id)
        pattern = self.observe(job.analysis, job.arrived, ext_id, job.decision, job.options)
        if self.workers_compose:
            # A worker composes it, knowing the pattern (its history is this one's: nothing
            # is recorded in this mode).
            return {"id": obj["id"], "_finish": Finish(obj["id"], job, pattern)}
        result = self._compose(
            job.text, job.options, job.arrived, job.analysis, job.decision, pattern
        )
        obj = {"id": obj["id"], **result.to_dict()}
        self._remember(obj.get("public_reply"), ext_id, job.options, obj.get("channel"))
        return obj

    def finish(self, item: Finish) -> dict[str, Any]:
        """Worker-process side: compose a record the main process settled with the store."""
        job = item.job
        try:
            with time_limit("the record"):
                result = self._compose(
                    job.text, job.options, job.arrived, job.analysis, job.decision, item.pattern
                )
        except ReplybookError as exc:
            return {"id": item.id, "error": f"line {job.line}: {exc}"}
        except Exception as exc:  # one bad record never ends a batch
            return {"id": item.id, "error": f"line {job.line}: {unexpected(exc)}"}
        return {"id": item.id, **result.to_dict()}


class Linter:
    """Lints with the store's memory: the replies already sent are the canned-reply history."""

    def __init__(
        self, playbook: Playbook, history: list[str], defaults: dict[str, Any] | None = None
    ) -> None:
        self.playbook = playbook
        self.history = history
        self.defaults = {k: v for k, v in (defaults or {}).items() if v is not None}

    def batch_record(self, record: dict[str, Any]) -> dict[str, Any]:
        text = record.get("text")
        if text is None:
            raise UsageError('no "text"')
        if not isinstance(text, str) or not text.strip():
            raise UsageError("the reply is empty")
        text = check_length(clean(text), "reply")
        options = self.defaults
        own: dict[str, Any] = {
            k: record[k] for k in ("comment", "name", "channel", "context", "lang") if k in record
        }
        if own:
            options = {**options, **own}
            for key in ("comment", "name", "channel", "lang"):
                if isinstance(options.get(key), str):
                    options[key] = clean(options[key])
            if isinstance(options.get("comment"), str):
                check_length(options["comment"])
        context = options.get("context")
        if context is not None:
            if options.get("comment") is None:
                raise UsageError('a "context" needs the "comment" it leads up to')
            context = parse_context(context)
        found = lint(
            text,
            self.playbook,
            comment=options.get("comment"),
            context=context,
            name=options.get("name"),
            channel=options.get("channel"),
            slot=options.get("slot", "public"),
            history=self.history,
            lang=options.get("lang") or None,
        )
        return {
            "id": record.get("id", record["_line"]),
            "findings": [f.to_dict() for f in found],
            "counts": counts(found),
        }


_EARLIEST = datetime(1900, 1, 1, tzinfo=timezone.utc)
_LATEST = datetime(9000, 1, 1, tzinfo=timezone.utc)


def sent_time(value: Any, what: str = "--sent-at") -> datetime:
    """When a reply was posted: an ISO 8601 time (naive means UTC) from 1900 to 8999."""
    moment = parse_time(value, None, what)
    try:
        inside = _EARLIEST <= moment.astimezone(timezone.utc) < _LATEST
    except (OverflowError, ValueError):
        inside = False
    if not inside:
        raise UsageError(f"{what}: {value!r} is out of range (years 1900 to 8999)")
    return moment


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def record_id(record: dict[str, Any]) -> str | None:
    value = record.get("id")
    return None if value is None else str(value)


def lint_history(
    store: TeamStore | None, playbook: Playbook, history_file: list[str] | None
) -> list[str]:
    """The canned-reply history: the given file, else the store's recent replies."""
    if history_file is not None:
        return history_file
    size = history_size(playbook)
    if store is None or not size:
        return []
    return store.recent_replies(playbook.name, size)
