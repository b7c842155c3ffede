"""Batches: thousands of comments or replies from a JSONL or CSV export, and triage.

A batch streams: records are read, processed and written a chunk at a time, so memory
stays flat whatever the size of the input. Each chunk's store writes commit before its
output lines are written and flushed, so a killed run loses no record it already
reported. With ``--jobs N`` chunks go to worker processes; the store stays in this one.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from .compose import Draft, parse_time
from .errors import ReplybookError, UsageError
from .playbook import Playbook, load_playbook
from .runner import (
    DRAFT_FIELDS,
    LINT_FIELDS,
    Drafter,
    Linter,
    load_json,
    open_text,
    undecodable,
)

_FIELDS = tuple(dict.fromkeys((*DRAFT_FIELDS, *LINT_FIELDS)))  # each once, in order
# Output records are plain data, never cyclic: one encoder, without the cycle check.
_JSON = json.JSONEncoder(ensure_ascii=False, check_circular=False)

if TYPE_CHECKING:
    from .store import Store

CHUNK = 200


def parse_columns(spec: str | None, fields: Iterable[str]) -> dict[str, str]:
    """``text=message,name=author`` -> {field: column}. Unknown fields are a usage error."""
    mapping: dict[str, str] = {}
    if not spec:
        return mapping
    known = tuple(fields)
    for part in spec.split(","):
        if not part.strip():
            continue
        key, sep, column = part.partition("=")
        key, column = key.strip(), column.strip()
        if not sep or not key or not column:
            raise UsageError(f"--columns: expected FIELD=COLUMN, got {part.strip()!r}")
        if key not in known:
            raise UsageError(f"--columns: unknown field {key!r}; fields: {', '.join(known)}")
        mapping[key] = column
    return mapping


@dataclass
class Source:
    """Records from a JSONL or CSV file (or stdin), one at a time, with line numbers."""

    path: str
    columns: dict[str, str] = field(default_factory=dict)
    format: str | None = None
    bytes_read: int = 0
    size: int | None = None

    def records(self) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
        """(line number, record or None, error or None) for each input record."""
        stream = self._open()
        try:
            first = stream.readline()
            fmt = self.format or self._sniff(first)
            rest = _chain(first, stream)
            yield from (self._jsonl(rest) if fmt == "jsonl" else self._csv(rest))
        finally:
            if stream is not sys.stdin:
                stream.close()

    def _open(self) -> IO[str]:
        if self.path == "-":
            with contextlib.suppress(AttributeError, ValueError):
                sys.stdin.reconfigure(errors="surrogateescape", newline="")  # type: ignore[union-attr]
            return sys.stdin
        stream = open_text(self.path, errors="surrogateescape")
        self.size = os.fstat(stream.fileno()).st_size
        return stream

    def _sniff(self, first: str) -> str:
        suffix = Path(self.path).suffix.lower()
        if suffix in (".jsonl", ".ndjson", ".json"):
            return "jsonl"
        if suffix in (".csv", ".tsv"):
            return "csv"
        return "jsonl" if first.lstrip().startswith("{") else "csv"

    def _normalise(self, raw: dict[str, Any], line: int) -> dict[str, Any]:
        record: dict[str, Any] = {"_line": line}
        columns = self.columns
        for name in _FIELDS:
            value = raw.get(columns.get(name, name))
            if value is not None and value != "":
                record[name] = value
        return record

    def _jsonl(
        self, lines: Iterable[str]
    ) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
        for number, line in enumerate(lines, start=1):
            self.bytes_read += _size(line)
            if not line.strip():
                continue
            if undecodable(line):
                yield number, None, f"line {number}: not UTF-8 text"
                continue
            try:
                raw = load_json(line)
            except json.JSONDecodeError as exc:
                yield number, None, f"line {number}: not valid JSON ({exc.msg})"
                continue
            if not isinstance(raw, dict):
                yield number, None, f"line {number}: expected a JSON object"
                continue
            yield number, self._normalise(raw, number), None

    def _csv(self, lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
        counted = _Counting(lines, self)
        import csv

        reader = csv.DictReader(counted)
        try:
            header = reader.fieldnames
        except csv.Error as exc:
            raise UsageError(f"{self.path}: not a readable CSV header ({exc})") from None
        if header is None:
            return
        if any(undecodable(name) or _binary(name) for name in header):
            raise UsageError(f"{self.path}: not a UTF-8 JSONL or CSV file")
        wanted = self.columns.get("text", "text")
        if wanted not in header:
            raise UsageError(
                f"{self.path}: no {wanted!r} column (columns: {', '.join(header)});"
                " map one with --columns text=COLUMN"
            )
        rows = iter(reader)
        while True:
            try:
                raw = next(rows)
            except StopIteration:
                return
            except csv.Error as exc:
                yield reader.line_num, None, f"line {reader.line_num}: not valid CSV ({exc})"
                continue
            number = reader.line_num
            if any(isinstance(v, str) and undecodable(v) for v in raw.values()):
                yield number, None, f"line {number}: not UTF-8 text"
                continue
            if None in raw:
                yield number, None, f"line {number}: more fields than the header has"
                continue
            yield number, self._normalise(raw, number), None


def _binary(text: str) -> bool:
    """Control characters other than tab: bytes, not a text header."""
    return any(ch < " " and ch != "\t" for ch in text)


class _Counting:
    """Iterates lines for the csv module while counting bytes for the progress bar."""

    def __init__(self, lines: Iterable[str], source: Source) -> None:
        self.lines = iter(lines)
        self.source = source

    def __iter__(self) -> _Counting:
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.source.bytes_read += _size(line)
        return line


def _chain(first: str, rest: IO[str]) -> Iterator[str]:
    if first:
        yield first
    yield from rest


def _size(line: str) -> int:
    """The line's size in bytes as read (for the progress bar)."""
    return len(line) if line.isascii() else len(line.encode("utf-8", "surrogateescape"))


class Sink:
    """JSONL out: to stdout, flushed a chunk at a time, or to a file that appears whole
    (written beside it under a temporary name, then renamed) or not at all."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.tmp: str | None = None
        if path is None or path == "-":
            self.stream: IO[str] = sys.stdout
            self.path = None
            return
        if os.path.exists(path) and not os.path.isfile(path):
            # A device or pipe (/dev/null, a FIFO): written straight through. Renaming a
            # file over it would put a plain file in its place.
            try:
                self.stream = open(path, "w", encoding="utf-8")  # noqa: SIM115 (closed in commit/abort)
            except OSError as exc:
                raise UsageError(f"{path}: can't write: {exc.strerror or exc}") from None
            self.path = None
            return
        folder = os.path.dirname(os.path.abspath(path))
        self.tmp = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}.part")
        try:
            self.stream = open(self.tmp, "w", encoding="utf-8")  # noqa: SIM115 (closed in commit/abort)
        except OSError as exc:
            raise UsageError(f"{path}: can't write: {exc.strerror or exc}") from None

    def write(self, obj: dict[str, Any]) -> None:
        self.stream.write(_JSON.encode(obj) + "\n")

    def flush(self) -> None:
        self.stream.flush()

    def commit(self) -> None:
        if self.tmp is None:
            self.stream.flush()
            if self.stream is not sys.stdout:
                self.stream.close()
            return
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        os.replace(self.tmp, str(self.path))
        self.tmp = None

    def abort(self) -> None:
        if self.tmp is None and self.stream is not sys.stdout:
            self.stream.close()
        if self.tmp is not None:
            self.stream.close()
            with contextlib.suppress(OSError):
                os.unlink(self.tmp)
            self.tmp = None


# ---------------------------------------------------------------------------------------
# A batch


@dataclass
class BatchResult:
    records: int = 0
    failed: int = 0
    flagged: int = 0


Process = Callable[[dict[str, Any]], dict[str, Any]]


def _safe(
    process: Process, number: int, record: dict[str, Any] | None, error: str | None
) -> dict[str, Any]:
    if record is None:
        return {"id": number, "error": error or f"line {number}: unreadable"}
    try:
        return process(record)
    except ReplybookError as exc:
        return {"id": record.get("id", number), "error": f"line {number}: {exc}"}


def run_batch(
    source: Source,
    sink: Sink,
    process: Process,
    *,
    store: Store | None = None,
    jobs: int = 1,
    worker: tuple[Callable[..., Any], tuple[Any, ...]] | None = None,
    settle: Callable[[list[dict[str, Any]]], list[dict[str, Any]]] | None = None,
    progress: bool = False,
    fail_level: str | None = None,
) -> BatchResult:
    """Stream records through ``process`` into ``sink``, a chunk at a time.

    With ``jobs`` > 1, chunks go to worker processes built by ``worker`` (an initializer
    and its arguments) and ``process`` runs there; ``settle`` then finishes each chunk in
    this process (the store lives here). Output keeps input order.
    """
    result = BatchResult()
    bar = _Progress(source) if progress else None
    try:
        chunks = _chunks(source.records())
        if jobs > 1 and worker is not None:
            import multiprocessing

            ctx = multiprocessing.get_context("spawn" if sys.platform == "win32" else "fork")
            with ctx.Pool(jobs, initializer=worker[0], initargs=worker[1]) as pool:
                for outputs in pool.imap(_worker_chunk, chunks, chunksize=1):
                    if settle is not None and store is not None:
                        with store.transaction():
                            outputs = settle(outputs)
                    _emit(outputs, sink, result, fail_level, bar)
        else:
            for chunk in chunks:
                if store is not None:
                    with store.transaction():
                        outputs = [_safe(process, *item) for item in chunk]
                else:
                    outputs = [_safe(process, *item) for item in chunk]
                _emit(outputs, sink, result, fail_level, bar)
        sink.commit()
    except BaseException:
        sink.abort()
        raise
    finally:
        if bar is not None:
            bar.close()
    return result


def _chunks(records: Iterator[Any]) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in records:
        chunk.append(item)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _emit(
    outputs: list[dict[str, Any]],
    sink: Sink,
    result: BatchResult,
    fail_level: str | None,
    bar: _Progress | None,
) -> None:
    for obj in outputs:
        sink.write(obj)
        result.records += 1
        if "error" in obj:
            result.failed += 1
        elif fail_level is not None and _any_at(obj.get("findings") or [], fail_level):
            result.flagged += 1
    sink.flush()
    if bar is not None:
        bar.update(result.records)


def _any_at(findings: list[dict[str, Any]], level: str) -> bool:
    rank = {"suggestion": 0, "warning": 1, "error": 2}
    if level == "never":
        return False
    return any(rank[f["level"]] >= rank[level] for f in findings)


# Worker processes: each builds its own processor once.
_WORKER: dict[str, Process] = {}


def init_draft_worker(playbook: str | None, now: datetime, options: dict[str, Any]) -> None:
    """A worker's drafter, without a store: ``options`` from :meth:`Drafter.worker_options`."""
    drafter = Drafter(load_playbook(playbook), None, now, **options)
    _WORKER["process"] = drafter.batch_record


def init_lint_worker(playbook: str | None, history: list[str], defaults: dict[str, Any]) -> None:
    _WORKER["process"] = Linter(load_playbook(playbook), history, defaults).batch_record


def _worker_chunk(chunk: list[Any]) -> list[dict[str, Any]]:
    process = _WORKER["process"]
    return [_safe(process, *item) for item in chunk]


class _Progress:
    """A Rich progress bar on stderr (only built when stderr is a terminal)."""

    def __init__(self, source: Source) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.source = source
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[records]} records"),
            TextColumn("{task.fields[rate]}/s"),
            TimeElapsedColumn(),
            console=Console(file=sys.stderr),
            transient=False,
        )
        self.task = self.progress.add_task(
            Path(source.path).name if source.path != "-" else "stdin",
            total=source.size,
            records=0,
            rate="-",
        )
        self.progress.start()

    def update(self, records: int) -> None:
        elapsed = self.progress.tasks[0].elapsed or 0.0
        rate = f"{records / elapsed:,.0f}" if elapsed > 0 else "-"
        self.progress.update(
            self.task, completed=self.source.bytes_read, records=f"{records:,}", rate=rate
        )

    def close(self) -> None:
        self.progress.stop()


# ---------------------------------------------------------------------------------------
# Triage


class QueueItem(NamedTuple):
    """One comment in the triage queue."""

    id: Any
    priority: int
    due: str | None
    intent: str
    action: str
    topic: str | None
    incident: int | None
    text: str
    line: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "priority": self.priority,
            "due": self.due,
            "intent": self.intent,
            "action": self.action,
            "topic": self.topic,
            "incident": self.incident,
            "text": self.text,
        }


# Escalations and angry complaints first, then everything else that gets a reply, then
# what to moderate, and last what to leave alone; inside each, the soonest due first.
PRIORITY_URGENT, PRIORITY_REPLY, PRIORITY_MODERATE, PRIORITY_SKIP = 0, 1, 2, 3


def priority(result: Draft, playbook: Playbook) -> int:
    """The triage tier of a draft (lower is more urgent)."""
    if result.action == "escalate":
        return PRIORITY_URGENT
    if result.action == "moderate":
        return PRIORITY_MODERATE
    if result.action == "skip":
        return PRIORITY_SKIP
    angry_at = float((playbook.get("thresholds") or {}).get("specific", 4))
    a = result.analysis
    if result.intent == "complaint" and (a.rude or a.scores.get("complaint", 0) >= angry_at):
        return PRIORITY_URGENT
    return PRIORITY_REPLY


def triage_queue(source: Source, drafter: Drafter) -> tuple[list[QueueItem], list[dict[str, Any]]]:
    """Draft every record (remembering each in the store) and sort them into a queue."""
    items: list[QueueItem] = []
    errors: list[dict[str, Any]] = []
    for number, record, error in source.records():
        if record is None:
            errors.append({"id": number, "error": error})
            continue
        try:
            result = drafter.draft_record(record)
        except ReplybookError as exc:
            errors.append({"id": record.get("id", number), "error": f"line {number}: {exc}"})
            continue
        items.append(
            QueueItem(
                id=record.get("id", number),
                priority=priority(result, drafter.playbook),
                due=result.due,
                intent=result.intent,
                action=result.action,
                topic=result.topic,
                incident=result.incident,
                text=" ".join(record["text"].split()),
                line=number,
            )
        )
    if drafter.store is not None:
        # A complaint drafted before its incident opened is linked to it by now.
        links = drafter.store.incident_links(
            drafter.playbook.name, [str(i.id) for i in items if i.incident is None]
        )
        items = [i._replace(incident=links.get(str(i.id), i.incident)) for i in items]
    # No due time sorts last in its tier.
    items.sort(key=lambda i: (i.priority, i.due is None, _sortable(i.due), i.line))
    return items, errors


def _sortable(due: str | None) -> float:
    if due is None:
        return 0.0
    return parse_time(due, None).timestamp()
