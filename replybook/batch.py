"""Batches: thousands of comments or replies from a JSONL or CSV export, and triage.

A batch streams: records are read, processed and written a chunk at a time, so memory
stays flat whatever the size of the input. Each chunk's store writes commit before its
output lines are written and flushed, so a killed run loses no record it already
reported. With ``--jobs N`` chunks go to worker processes; the store stays in this one.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import os
import re
import signal
import stat
import sys
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from .analyze import check_rating
from .compose import Draft, parse_time
from .errors import ReplybookError, StoreError, UsageError, unexpected
from .output import escape_json
from .playbook import Playbook, load_playbook
from .runner import (
    DRAFT_FIELDS,
    FILE_LIMIT,
    LINT_FIELDS,
    Drafter,
    Linter,
    open_text,
    time_limit,
    undecodable,
)

_FIELDS = tuple(dict.fromkeys((*DRAFT_FIELDS, *LINT_FIELDS)))  # each once, in order
# Output records are plain data, never cyclic: one encoder, without the cycle check.
# NaN and Infinity are not JSON: never written (allow_nan=False), never read (see _loads).
_JSON = json.JSONEncoder(ensure_ascii=False, check_circular=False, allow_nan=False)


def _encoder() -> Callable[[Any], str]:
    """``_JSON.encode``, with the C encoder it builds on every call built once instead (a
    third of the time of a short record), where the json module has one."""
    from json import encoder

    make = getattr(encoder, "c_make_encoder", None)
    if make is None:
        return _JSON.encode
    iterencode = make(
        None, _JSON.default, encoder.encode_basestring, None, ": ", ", ", False, False, False
    )
    return lambda obj: "".join(iterencode(obj, 0))


_encode = _encoder()
_encode_text: Callable[[str], str] = json.encoder.encode_basestring

# The longest record line a batch reads (bytes, line ending excluded); a longer one is an
# error record, read past without holding it in memory.
MAX_LINE = 1_000_000
MAX_LINE_TEXT = "1 MB (1,000,000 bytes)"
# Fields that must be text when given (JSONL can hold anything).
_TEXT_FIELDS = ("text", "comment", "name", "handle", "channel", "agent", "lang", "url", "parent_id")
# A received_at a reply's due time can be worked out from.
_EARLIEST = datetime(1900, 1, 1, tzinfo=timezone.utc)
_LATEST = datetime(9000, 1, 1, tzinfo=timezone.utc)
# A lone surrogate (half of a cut emoji, "\ud83d" in JSON) can't be written as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")
# What a JSON line can't be written with: a lone surrogate, or what escape_json escapes.
_UNWRITTEN = re.compile("[\ud800-\udfff\x7f-\x9f\u2028\u2029]")

if TYPE_CHECKING:
    from .listen import Brand, Mention
    from .presets import Own, Owner, Preset, Tables
    from .store import TeamStore

CHUNK = 200
# Chunks a parallel batch keeps in flight per worker process (read, not yet written).
AHEAD = 2


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


def read_records(
    path: str,
    preset: str | Preset | None = None,
    columns: str | dict[str, str] | None = None,
    *,
    mode: str = "draft",
    include_answered: bool = False,
    owner: Owner | None = None,
) -> Source:
    """The records of a batch file (``-``: stdin), ready for a batch, triage or listening.

    ``preset`` (a name from ``replybook presets``, a preset file, or a loaded preset) reads
    a source's export or API shape; ``columns`` (``text=message,name=author`` or a mapping)
    maps fields to columns, over the preset's mapping for the fields it names. ``mode`` is
    ``draft`` or ``lint`` (a preset reads the replies for lint). ``owner``: the brand's own
    accounts (:class:`replybook.presets.Owner`), whose comments a draft leaves out and a
    lint reads. Iterate :meth:`Source.records` for ``(number, record or None, error or
    None)``; afterwards ``skipped`` counts the records the preset's filters left out, and
    ``skipped_own`` those of them the brand's own accounts wrote.
    """
    fields = DRAFT_FIELDS if mode == "draft" else LINT_FIELDS
    if isinstance(preset, str):
        from .presets import load_preset

        preset = load_preset(preset)
    if isinstance(columns, dict):
        mapping = parse_columns(",".join(f"{k}={v}" for k, v in columns.items()), fields)
    else:
        mapping = parse_columns(columns, fields)
    return Source(
        path,
        mapping,
        preset=preset,
        mode=mode,
        include_answered=include_answered,
        owner=owner,
    )


@dataclass
class Source:
    """Records from a JSONL or CSV file (or stdin), one at a time, with line numbers.

    With a ``preset``, records come out already mapped from the source's shape, and a JSON
    document (a whole API response, the records in a list inside it) is read too: its
    records are numbered in order, so ``line N`` is record N."""

    path: str
    columns: dict[str, str] = field(default_factory=dict)
    format: str | None = None
    bytes_read: int = 0
    size: int | None = None
    preset: Preset | None = None
    mode: str = "draft"
    include_answered: bool = False
    owner: Owner | None = None
    skipped: int = 0
    skipped_own: int = 0
    # Keep each record's fields as read in ``_raw`` (listen writes the other columns back).
    keep: bool = False
    _base_own: Own | None = field(default=None, repr=False)

    def records(self) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
        """(line number, record or None, error or None) for each input record."""
        stream = self._open()
        try:
            if self.preset is not None:
                yield from self._preset_records(stream)
                return
            lines = _bounded(stream)
            first = next(lines, "")
            fmt = self.format or self._sniff(first if isinstance(first, str) else "")
            rest = _chain(first, lines)
            yield from (self._jsonl(rest) if fmt == "jsonl" else self._csv(rest))
        finally:
            if stream is not sys.stdin:
                stream.close()

    # -- presets ------------------------------------------------------------------------

    def _preset_records(
        self, stream: IO[str]
    ) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
        suffix = Path(self.path).suffix.lower() if self.path != "-" else ""
        fmt = self.format or {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}.get(
            suffix, "csv" if suffix in (".csv", ".tsv") else None
        )
        first = ""
        if fmt == "json":
            yield from self._document(stream, "")
            return
        lines = _bounded(stream)
        if fmt is None:
            first = stream.readline(MAX_LINE + 1)
            fmt = self._sniff_document(first)
            if fmt == "jsonl" and first.strip():
                second = next(lines, "")
                if not second:
                    fmt = "json"  # one line, the whole file: a minified document
                lines = _chain(second, lines)
            if fmt == "json":
                yield from self._document(stream, first)
                return
            lines = _chain(first, lines)
        if fmt == "csv":
            yield from self._csv(lines)
        else:
            yield from self._jsonl(lines)

    def _sniff_document(self, first: str) -> str:
        """What a preset's input is, from its first line: a JSON document (a list, or an
        object that goes on past its first line), JSONL (an object a line), else CSV."""
        head = first.lstrip("\ufeff \t\r\n")
        if head.startswith("["):
            return "json"
        if not head.startswith("{"):
            return "csv" if head else "jsonl"
        try:
            _loads(first)
        except ValueError:
            return "json"
        return "jsonl"

    def _document(
        self, stream: IO[str], first: str
    ) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
        """A whole JSON document (at most 10 MB): its records, numbered from 1."""
        assert self.preset is not None
        where = "<stdin>" if self.path == "-" else self.path
        if self.size is not None and self.size > FILE_LIMIT:
            raise UsageError(
                f"{where}: a JSON document longer than the limit of 10 MB"
                " (give one record a line, JSONL, for more)"
            )
        text = first + stream.read(FILE_LIMIT + 1 - len(first))
        size = _size(text)
        if size > FILE_LIMIT:
            raise UsageError(
                f"{where}: a JSON document longer than the limit of 10 MB"
                " (give one record a line, JSONL, for more)"
            )
        self.bytes_read = size
        if undecodable(text):
            raise UsageError(f"{where}: not UTF-8 text")
        try:
            document = _loads(text)
        except ValueError as exc:
            if isinstance(exc, json.JSONDecodeError) and exc.msg == "Extra data":
                # More than one JSON value: JSONL under a .json name.
                self.bytes_read = 0
                yield from self._jsonl(text.splitlines(keepends=True))
                return
            raise UsageError(f"{where}: not valid JSON ({_json_problem(exc)})") from None
        own = self._own(document)
        tables = self.preset.tables(document)
        for number, (raw, parent) in enumerate(self.preset.items(document), start=1):
            yield from self._mapped(raw, parent, number, own, tables)

    def _own(self, document: Any = None) -> Own:
        """The brand's accounts as the preset tells them, with the staff ``document`` lists
        (worked out once, and again only for a document that can list staff)."""
        assert self.preset is not None
        author = self.preset.author
        if document is not None and author is not None and author.staff is not None:
            return self.preset.own(self.owner, document)
        if self._base_own is None:
            self._base_own = self.preset.own(self.owner)
        return self._base_own

    def _mapped(
        self,
        raw: Any,
        parent: Any,
        number: int,
        own: Own | None = None,
        tables: Tables | None = None,
    ) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
        """One source record through the preset: nothing when its filters leave it out."""
        assert self.preset is not None
        if not isinstance(raw, dict):
            yield number, None, f"line {number}: expected a JSON object"
            return
        if own is None:
            own = self._own()
        mapped = self.preset.expand(
            raw,
            parent,
            mode=self.mode,
            columns=self.columns,
            include_answered=self.include_answered,
            own=own,
            tables=tables,
        )
        if mapped is None:
            self.skipped += 1
            if own and self.mode == "draft" and self.preset.authored(raw, own):
                self.skipped_own += 1
            return
        yield number, self._normalise(mapped, number, {}), None

    def _open(self) -> IO[str]:
        if self.path == "-":
            with contextlib.suppress(AttributeError, ValueError):
                sys.stdin.reconfigure(errors="surrogateescape", newline="")  # type: ignore[union-attr]
            return sys.stdin
        # A file or a pipe (`<(jq ...)` is one) streams; a device never ends (/dev/zero).
        with contextlib.suppress(OSError):  # open_text says what is wrong with the path
            mode = os.stat(self.path).st_mode
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
                raise UsageError(f"{self.path}: a device, not a file of records")
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

    def _normalise(
        self,
        raw: dict[str, Any],
        line: int,
        columns: dict[str, str] | None = None,
        *,
        plain: bool = False,
    ) -> dict[str, Any]:
        """The record's fields, checked: a record that can't be processed carries its
        reason in ``_error`` (and keeps its id, when the id itself is fine). ``plain``: the
        record was read from JSON without a backslash, so its text holds no lone surrogate
        (and is not cleaned of them)."""
        record: dict[str, Any] = {"_line": line}
        if columns is None:
            columns = self.columns
        pairs, texts, simple = _reading(columns).held(raw)
        # The common record has no field to convert, and once each is text, none to check.
        strings = simple
        for name, key in pairs:
            value = raw[key]
            if value is not None and value != "":
                if simple:
                    if type(value) is not str:
                        strings = False
                elif name == "context" and isinstance(value, str):
                    # JSON text (a CSV cell): read here, so its text is checked like the
                    # rest; what isn't JSON is left for the context check to report.
                    with contextlib.suppress(ValueError):
                        value = _loads(value)
                        plain = False
                elif name == "rating" and isinstance(value, str) and value.strip().isdigit():
                    value = int(value)  # a CSV cell
                elif name == "parent_id" and isinstance(value, int) and not isinstance(value, bool):
                    value = str(value)
                record[name] = value if plain else _clean(value)
        problem = None if strings else _problem(record, texts)
        if problem is not None:
            record["_error"] = problem
            if problem.startswith("'id'"):
                del record["id"]
        if self.keep:
            record["_raw"] = raw
        return record

    def _jsonl(
        self, lines: Iterable[str | _Overlong]
    ) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
        for number, line in enumerate(lines, start=1):
            if isinstance(line, _Overlong):
                self.bytes_read += line.size
                yield number, None, f"line {number}: longer than {MAX_LINE_TEXT}"
                continue
            if line.isascii():
                self.bytes_read += len(line)
            else:
                try:
                    self.bytes_read += len(line.encode("utf-8"))
                except UnicodeEncodeError:  # bytes that weren't UTF-8, read as surrogates
                    self.bytes_read += _size(line)
                    if undecodable(line):
                        yield number, None, f"line {number}: not UTF-8 text"
                        continue
            if line[:1] != "{" and not line.strip():
                continue
            try:
                raw = _loads_line(line)
            except ValueError as exc:
                yield number, None, f"line {number}: not valid JSON ({_json_problem(exc)})"
                continue
            if self.preset is not None and isinstance(raw, (dict, list)):
                own = self._own(raw)
                tables = self.preset.tables(raw)
                for item, parent in self.preset.items(raw):
                    yield from self._mapped(item, parent, number, own, tables)
                continue
            if not isinstance(raw, dict):
                yield number, None, f"line {number}: expected a JSON object"
                continue
            yield number, self._normalise(raw, number, plain="\\" not in line), None

    def _csv(
        self, lines: Iterable[str | _Overlong]
    ) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
        counted = _Counting(lines, self)
        import csv

        # strict: a quote in the wrong place is an error, never text run together.
        reader = csv.DictReader(counted, strict=True)
        try:
            header = reader.fieldnames
        except csv.Error as exc:
            raise UsageError(f"{self.path}: not a readable CSV header ({exc})") from None
        except _LineTooLong:
            raise UsageError(f"{self.path}: a header longer than {MAX_LINE_TEXT}") from None
        if header is None:
            return
        if any(undecodable(name) or _binary(name) for name in header):
            raise UsageError(f"{self.path}: not a UTF-8 JSONL or CSV file")
        wanted = self.columns.get("text", "text")
        if self.preset is None and wanted not in header:
            raise UsageError(
                f"{self.path}: no {wanted!r} column (columns: {', '.join(header)});"
                " map one with --columns text=COLUMN"
            )
        rows = iter(reader)
        # The csv reader's own count: DictReader's is only updated by a row read whole.
        lines_read = reader.reader
        while True:
            start = lines_read.line_num + counted.skipped + 1
            counted.row_bytes = 0
            try:
                raw = next(rows)
            except StopIteration:
                return
            except _LineTooLong:
                number = lines_read.line_num + counted.skipped  # the long line counted
                yield number, None, f"line {number}: longer than {MAX_LINE_TEXT}"
                continue
            except csv.Error as exc:
                number = lines_read.line_num + counted.skipped
                if "end of data" in str(exc):
                    # A quote never closed: its field swallowed every row after it.
                    lines = f"line {start}" if start >= number else f"lines {start}-{number}"
                    yield (
                        start,
                        None,
                        (
                            f"line {start}: a quote that is never closed runs to the end of the"
                            f" file (line {number}); {lines} not read"
                        ),
                    )
                    continue
                yield number, None, f"line {number}: not valid CSV ({exc})"
                continue
            number = lines_read.line_num + counted.skipped
            if counted.row_bytes > MAX_LINE:
                yield start, None, f"line {start}: a record longer than {MAX_LINE_TEXT}"
                continue
            if any(isinstance(v, str) and undecodable(v) for v in raw.values()):
                yield number, None, f"line {number}: not UTF-8 text"
                continue
            if None in raw:
                yield number, None, f"line {number}: more fields than the header has"
                continue
            if self.preset is not None:
                yield from self._mapped(raw, None, number)
                continue
            yield number, self._normalise(raw, number), None


class _Reading:
    """Each field with the key it is read from (``columns`` maps some), in field order;
    and, for each set of those keys a record holds, the pairs it holds and which of them
    must be text, worked out once (the records of a feed hold one or two such sets)."""

    __slots__ = ("pairs", "_keys", "_held")

    def __init__(self, pairs: tuple[tuple[str, str], ...]) -> None:
        self.pairs = pairs
        self._keys = frozenset(key for _, key in pairs)
        self._held: dict[frozenset[Any], _Held] = {}

    def held(self, raw: dict[Any, Any]) -> _Held:
        """The (field, key) pairs whose key ``raw`` holds and those fields that must be
        text, each in field order; and whether all of them are read as they are and need
        no check but being text."""
        keys = self._keys.intersection(raw)
        found = self._held.get(keys)
        if found is None:
            if len(self._held) > 1000:
                self._held.clear()
            pairs = tuple((name, key) for name, key in self.pairs if key in keys)
            names = {name for name, _ in pairs}
            texts = tuple(name for name in _TEXT_FIELDS if name in names)
            simple = names.issubset(_AS_READ)
            found = self._held[keys] = _Held(pairs, texts, simple)
        return found


class _Held(NamedTuple):
    pairs: tuple[tuple[str, str], ...]
    texts: tuple[str, ...]
    simple: bool


# The fields a record's value is taken of as it is, and that need no check when text
# (the others are converted, or checked further, by Source._normalise and _problem).
_AS_READ = frozenset(_FIELDS) - {"context", "rating", "parent_id", "received_at"}


_KEYS: dict[tuple[tuple[str, str], ...], _Reading] = {}


def _reading(columns: dict[str, str]) -> _Reading:
    """How records are read with a mapping of fields to columns: worked out once per
    mapping."""
    if not columns:
        return _PLAIN_READING
    mapping = tuple(columns.items())
    found = _KEYS.get(mapping)
    if found is None:
        if len(_KEYS) > 100:
            _KEYS.clear()
        found = _KEYS[mapping] = _Reading(
            tuple((name, columns.get(name, name)) for name in _FIELDS)
        )
    return found


_PLAIN_READING = _Reading(tuple((name, name) for name in _FIELDS))


def _binary(text: str) -> bool:
    """Control characters other than tab: bytes, not a text header."""
    return any(ch < " " and ch != "\t" for ch in text)


class _Counting:
    """Iterates lines for the csv module while counting bytes for the progress bar (and
    for the record being read: ``row_bytes`` since the last complete row)."""

    def __init__(self, lines: Iterable[str | _Overlong], source: Source) -> None:
        self.lines = iter(lines)
        self.source = source
        self.row_bytes = 0
        self.skipped = 0  # long lines read past, which the csv reader never saw

    def __iter__(self) -> _Counting:
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        if isinstance(line, _Overlong):
            self.source.bytes_read += line.size
            self.skipped += 1
            raise _LineTooLong
        size = _size(line)
        self.source.bytes_read += size
        self.row_bytes += size - (len(line) - len(line.rstrip("\r\n")))
        return line


class _Overlong(NamedTuple):
    """A line longer than MAX_LINE, read past: only its size is kept."""

    size: int


class _LineTooLong(Exception):
    """A CSV line longer than MAX_LINE (raised to the csv reader's caller)."""


def _bounded(stream: IO[str]) -> Iterator[str | _Overlong]:
    """The stream's lines, each at most MAX_LINE bytes; a longer one is an _Overlong."""
    while True:
        line = stream.readline(MAX_LINE + 1)
        if not line:
            return
        if len(line) <= MAX_LINE // 4:  # most lines: too short for either limit below
            yield line
            continue
        ended = line.endswith(("\n", "\r"))
        if not ended and len(line) > MAX_LINE:
            size = _size(line)
            while not ended:
                more = stream.readline(1 << 16)
                if not more:
                    break
                size += _size(more)
                ended = more.endswith(("\n", "\r"))
            yield _Overlong(size)
            continue
        if _size(line.rstrip("\r\n")) > MAX_LINE:
            yield _Overlong(_size(line))
            continue
        yield line


def _chain(first: str | _Overlong, rest: Iterator[str | _Overlong]) -> Iterator[str | _Overlong]:
    # itertools' chain, not a generator: every line of a batch goes through it.
    return itertools.chain((first,), rest) if first else rest


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large a number")
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _loads(text: str) -> Any:
    """JSON as a batch reads it: NaN and Infinity (and numbers too large for a float) are
    refused, as are numbers too long to read and nesting too deep; each a ValueError."""
    try:
        return _DECODER.decode(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None


# One decoder for every line (json.loads with options builds a new one each call).
_DECODER = json.JSONDecoder(parse_constant=_no_constant, parse_float=_finite)
_SCAN = _DECODER.scan_once  # type: ignore[attr-defined]
# What the decoder lets follow a value.
_BLANK: re.Pattern[str] = json.decoder.WHITESPACE  # type: ignore[attr-defined]


def _loads_line(line: str) -> Any:
    """``_loads`` of one JSONL line. The common line, an object and its line ending, is
    read by the decoder's own scanner without the steps around it; any other (and any
    line the scanner refuses, for the decoder's own error) by ``_loads``. So is a line
    that might nest deeply: how deep is too deep depends on the calls the scanner is
    under, and the scanner called here, fewer calls down, would read deeper."""
    if line[:1] == "{" and (len(line) < 300 or line.count("[") + line.count("{") < 300):
        try:
            value, end = _SCAN(line, 0)
        except (StopIteration, ValueError, RecursionError):
            return _loads(line)
        size = len(line)
        if end == size or (end == size - 1 and line[end] == "\n"):
            return value
        if _BLANK.match(line, end).end() == size:  # type: ignore[union-attr]
            return value
    return _loads(line)


def _json_problem(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return exc.msg
    message = str(exc)
    if "integer string conversion" in message:
        digits = getattr(sys, "get_int_max_str_digits", lambda: 4300)()
        return f"a number longer than {digits:,} digits"
    return message


def _clean(value: Any) -> Any:
    """The value with every lone surrogate in its text replaced by U+FFFD (iteratively:
    nesting as deep as JSON allows)."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value) if not value.isascii() else value
    if not isinstance(value, (list, dict)):
        return value
    root: list[Any] = [value]
    stack: list[tuple[Any, Any]] = [(root, 0)]
    while stack:
        holder, key = stack.pop()
        item = holder[key]
        if isinstance(item, str):
            if not item.isascii():
                holder[key] = _SURROGATE.sub("\ufffd", item)
        elif isinstance(item, list):
            item = holder[key] = list(item)
            stack.extend((item, i) for i in range(len(item)))
        elif isinstance(item, dict):
            item = holder[key] = {
                (_SURROGATE.sub("\ufffd", k) if isinstance(k, str) else k): v
                for k, v in item.items()
            }
            stack.extend((item, k) for k in item)
    return root[0]


def _problem(record: dict[str, Any], texts: Iterable[str] = _TEXT_FIELDS) -> str | None:
    """Why a record can't be processed, checked before anything reads it (else None).
    ``texts``: the fields that must be text which the record may hold."""
    ident = record.get("id")
    if ident is not None and (isinstance(ident, bool) or not isinstance(ident, (str, int, float))):
        return "'id' must be text or a number"
    for key in texts:
        if key in record and not isinstance(record[key], str):
            return f"{key!r} must be text"
    if "rating" in record:
        try:
            check_rating(record["rating"])
        except ReplybookError as exc:
            return str(exc)
    when = record.get("received_at")
    if when is not None:
        try:
            moment = parse_time(when, None, "received_at")
            utc = moment.astimezone(timezone.utc)
        except ReplybookError as exc:
            return str(exc)
        except (OverflowError, ValueError):
            utc = None
        if utc is None or not _EARLIEST <= utc < _LATEST:
            return f"received_at: {when!r} is out of range (years 1900 to 8999)"
    return None


def _size(line: str) -> int:
    """The line's size in bytes as read (for the progress bar)."""
    return len(line) if line.isascii() else len(line.encode("utf-8", "surrogateescape"))


class Sink:
    """JSONL out: to stdout, flushed a chunk at a time, or to a file that appears whole
    (written beside it under a temporary name, then renamed) or not at all.

    The temporary file has an unpredictable name and is created anew (never through a
    file or symlink planted there); a symlink at the output path is replaced, never
    written through. Every write failure is one UsageError, and the temporary file is
    removed.
    """

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.tmp: str | None = None
        self.name = "<stdout>"
        if path is None or path == "-":
            self.stream: IO[str] = sys.stdout
            self.path = None
            return
        self.name = path
        try:
            info: os.stat_result | None = os.lstat(path)
        except FileNotFoundError:
            info = None
        except OSError as exc:
            raise self._error(exc) from None
        if info is not None and stat.S_ISDIR(info.st_mode):
            raise UsageError(f"{path}: can't write: is a folder, not a file")
        if info is not None and not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
            # A device or pipe (/dev/null, a FIFO): written straight through. Renaming a
            # file over it would put a plain file in its place.
            flags = os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NOCTTY", 0)
            try:
                fd = os.open(path, flags)
            except OSError as exc:
                raise self._error(exc) from None
            self.stream = os.fdopen(fd, "w", encoding="utf-8")
            self.path = None
            return
        folder = os.path.dirname(os.path.abspath(path))
        try:
            fd, self.tmp = tempfile.mkstemp(
                prefix=f".{os.path.basename(path)}.", suffix=".part", dir=folder
            )
        except OSError as exc:
            raise self._error(exc) from None
        try:
            if hasattr(os, "fchmod"):
                # The mode a new file gets (mkstemp's is private to its owner).
                mask = os.umask(0o22)
                os.umask(mask)
                os.fchmod(fd, 0o666 & ~mask)
            self.stream = os.fdopen(fd, "w", encoding="utf-8")
        except BaseException as exc:
            os.close(fd)
            self._remove()
            if isinstance(exc, OSError):
                raise self._error(exc) from None
            raise

    def _error(self, exc: OSError) -> UsageError:
        return UsageError(f"{self.name}: can't write: {exc.strerror or exc}")

    def _failed(self, exc: OSError) -> UsageError | OSError:
        """What to raise for a failed write: a broken pipe on stdout stays one (the CLI
        ends quietly on it); anything else is a usage error."""
        if self.stream is sys.stdout:
            if isinstance(exc, BrokenPipeError):
                return exc
            # Python flushes stdout again on the way out: let that go nowhere.
            with contextlib.suppress(OSError, ValueError, AttributeError):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
                os.close(devnull)
        return self._error(exc)

    def write(self, obj: dict[str, Any]) -> bool:
        """Write one record; False when it can't be JSON and an error record went instead."""
        written = True
        try:
            line = _encode(obj)
        except (ValueError, TypeError, RecursionError):
            ident = obj.get("id")
            if not isinstance(ident, (str, int)) or isinstance(ident, bool):
                ident = None
            line = _JSON.encode({"id": ident, "error": "a record that can't be written as JSON"})
            written = False
        if not line.isascii():
            # One scan for what needs either fix; most lines need neither. All it looks for
            # is unprintable: most lines are ruled out by a test faster than the scan.
            if not line.isprintable() and _UNWRITTEN.search(line):
                if _SURROGATE.search(line):
                    line = _SURROGATE.sub("\ufffd", line)
                line = escape_json(line)
        elif "\x7f" in line:
            line = line.replace("\x7f", "\\u007f")
        try:
            self.stream.write(line + "\n")
        except OSError as exc:
            raise self._failed(exc) from None
        return written

    def write_post(
        self, fields: dict[str, Any], found: list[Mention], best: Mention | None
    ) -> None:
        """Write one post as listen does: its ``fields``, then what was found. The line
        :meth:`write` writes for ``_with_found(fields, found, best)``, with only the fields
        encoded as a dict: the mentions, all alike, are written out directly."""
        try:
            head = _encode(fields)
        except (ValueError, TypeError, RecursionError):
            self.write(_with_found(fields, found, best))  # its error record
            return
        tail = _found_json(found, best)
        line = head[:-1] + tail if len(head) > 2 else "{" + tail[2:]
        # What the mentions hold is text of the post, which is in the fields: what either
        # fix needs is in the head if it is in the line.
        if not head.isascii():
            if not head.isprintable() and _UNWRITTEN.search(head):
                line = line[:-1]
                if _SURROGATE.search(line):
                    line = _SURROGATE.sub("\ufffd", line)
                line = escape_json(line) + "\n"
        elif "\x7f" in head:
            line = line.replace("\x7f", "\\u007f")
        try:
            self.stream.write(line)
        except OSError as exc:
            raise self._failed(exc) from None

    def flush(self) -> None:
        try:
            self.stream.flush()
        except OSError as exc:
            raise self._failed(exc) from None

    def commit(self) -> None:
        try:
            self.stream.flush()
            if self.tmp is None:
                if self.stream is not sys.stdout:
                    self.stream.close()
                return
            os.fsync(self.stream.fileno())
            self.stream.close()
            os.replace(self.tmp, str(self.path))
        except OSError as exc:
            raise self._failed(exc) from None
        self.tmp = None

    def abort(self) -> None:
        if self.stream is not sys.stdout:
            with contextlib.suppress(OSError, ValueError):
                self.stream.close()
        self._remove()

    def _remove(self) -> None:
        if self.tmp is not None:
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
    if "_error" in record:
        return {"id": record.get("id", number), "error": f"line {number}: {record['_error']}"}
    try:
        with time_limit("the record"):
            return process(record)
    except StoreError:
        raise  # the store is gone: every record after this one would fail the same way
    except ReplybookError as exc:
        return {"id": record.get("id", number), "error": f"line {number}: {exc}"}
    except Exception as exc:  # one bad record never ends a batch
        return {"id": record.get("id", number), "error": f"line {number}: {unexpected(exc)}"}


def run_batch(
    source: Source,
    sink: Sink,
    process: Process,
    *,
    store: TeamStore | None = None,
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
    restore = _terminate_cleanly() if sink.tmp is not None else None
    try:
        chunks = _chunks(source.records())
        if jobs > 1 and worker is not None:
            import multiprocessing

            ctx = multiprocessing.get_context("spawn" if sys.platform == "win32" else "fork")
            with ctx.Pool(jobs, initializer=worker[0], initargs=worker[1]) as pool:
                steps = _in_flight(
                    pool, chunks, AHEAD * jobs, settle if store is not None else None, store
                )
                for outputs in steps:
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
        if restore is not None:
            restore()
        if bar is not None:
            bar.close()
    return result


class Terminated(SystemExit):
    """SIGTERM, raised so that a batch cleans up (its temporary output file) on the way out."""


def _terminate_cleanly() -> Callable[[], None] | None:
    """Make SIGTERM raise :class:`Terminated` in this process (not in forked workers, which
    end as before) until the returned function restores the old handler."""
    if threading.current_thread() is not threading.main_thread():
        return None
    owner = os.getpid()

    def handler(signum: int, frame: Any) -> None:
        if os.getpid() != owner:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise Terminated(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except (ValueError, OSError):
        return None

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore


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
        written = sink.write(obj)
        result.records += 1
        if "error" in obj or not written:
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
_WORKER: dict[str, Callable[..., Any]] = {}


def init_draft_worker(playbook: str | None, now: datetime, options: dict[str, Any]) -> None:
    """A worker's drafter, without a store: ``options`` from :meth:`Drafter.worker_options`."""
    drafter = Drafter(load_playbook(playbook), None, now, **options)
    _WORKER["process"] = drafter.batch_record
    _WORKER["finish"] = drafter.finish


def init_lint_worker(playbook: str | None, history: list[str], defaults: dict[str, Any]) -> None:
    _WORKER["process"] = Linter(load_playbook(playbook), history, defaults).batch_record


class _InFlight:
    """One chunk of a parallel batch: the workers' outputs (``first``), once settled with
    the store in this process (``outputs``), and the records workers compose after that
    (``later``)."""

    __slots__ = ("first", "outputs", "later")

    def __init__(self, first: Any) -> None:
        self.first = first
        self.outputs: list[dict[str, Any]] | None = None
        self.later: Any = None

    def done(self) -> bool:
        return self.outputs is not None and (self.later is None or self.later.ready())

    def result(self) -> list[dict[str, Any]]:
        assert self.outputs is not None
        if self.later is not None:
            for index, obj in self.later.get():
                self.outputs[index] = obj
        return self.outputs


def _in_flight(
    pool: Any,
    chunks: Iterator[list[Any]],
    ahead: int,
    settle: Callable[[list[dict[str, Any]]], list[dict[str, Any]]] | None = None,
    store: TeamStore | None = None,
) -> Iterator[list[dict[str, Any]]]:
    """The workers' outputs, chunk by chunk in input order, with at most ``ahead`` chunks
    read and not yet handed back: input is read only as fast as output is written, so
    memory stays flat however fast the workers or slow the main process.

    With ``settle``, each chunk is settled with the store here, in input order, as soon as
    the workers hand it back (read and decided on); the records it marks ``_finish`` go
    back to a worker to be composed, knowing what the store said, while this process
    settles the next chunks."""
    pending: deque[_InFlight] = deque()
    more = True
    while True:
        while more and len(pending) < ahead:
            chunk = next(chunks, None)
            if chunk is None:
                more = False
            else:
                pending.append(_InFlight(pool.apply_async(_worker_chunk, (chunk,))))
        if not pending:
            return
        todo = next((c for c in pending if c.outputs is None), None)
        if todo is not None:
            outputs = todo.first.get()
            if settle is not None and store is not None:
                with store.transaction():
                    outputs = settle(outputs)
                later = [(i, o.pop("_finish")) for i, o in enumerate(outputs) if "_finish" in o]
                if later:
                    todo.later = pool.apply_async(_worker_finish, (later,))
            todo.outputs = outputs
        if todo is None:
            # Every chunk read is settled and no more can be read: wait for the oldest.
            yield pending.popleft().result()
        while pending and pending[0].done():
            yield pending.popleft().result()


def _worker_finish(items: list[tuple[int, Any]]) -> list[tuple[int, dict[str, Any]]]:
    finish = _WORKER["finish"]
    return [(index, finish(item)) for index, item in items]


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
    # The team's queue it was routed to (playbook ``routes``) and its tags.
    route: str | None = None
    tags: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "priority": self.priority,
            "due": self.due,
            "intent": self.intent,
            "action": self.action,
            "topic": self.topic,
            "route": self.route,
            "tags": list(self.tags),
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


def triage_queue(
    source: Source, drafter: Drafter, route: str | None = None
) -> tuple[list[QueueItem], list[dict[str, Any]]]:
    """Draft every record (remembering each in the store) and sort them into a queue;
    with ``route``, only that route's (one team's queue)."""
    items: list[QueueItem] = []
    errors: list[dict[str, Any]] = []
    for number, record, error in source.records():
        if record is None:
            errors.append({"id": number, "error": error})
            continue
        if "_error" in record:
            errors.append(
                {"id": record.get("id", number), "error": f"line {number}: {record['_error']}"}
            )
            continue
        try:
            with time_limit("the record"):
                result = drafter.draft_record(record)
        except ReplybookError as exc:
            errors.append({"id": record.get("id", number), "error": f"line {number}: {exc}"})
            continue
        except Exception as exc:  # one bad record never ends a triage
            errors.append(
                {"id": record.get("id", number), "error": f"line {number}: {unexpected(exc)}"}
            )
            continue
        decision = result.decision
        routed = decision.route if decision else None
        if route is not None and routed != route:
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
                text=" ".join(str(record.get("text", "")).split()),
                line=number,
                route=routed,
                tags=decision.tags if decision else (),
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


# ---------------------------------------------------------------------------------------
# Listening


@dataclass
class ListenResult:
    """What a listen run read and found (the summary on stderr)."""

    read: int = 0
    mentions: int = 0
    exact: int = 0
    possible: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    duplicates: int = 0
    earlier: int = 0
    failed: int = 0


# Fields listen adds to a record; a column of the same name in the input is replaced.
LISTEN_FIELDS = ("mention", "mentions", "certainty", "direct")


def listen(
    sources: Sequence[Source],
    brand: Brand,
    write: Callable[[dict[str, Any]], Any] | Sink,
    *,
    since: datetime | None = None,
    every: bool = False,
) -> ListenResult:
    """Stream the posts of ``sources`` (in turn) through ``brand.find`` and ``write`` each
    one that mentions the brand (with ``every``, each one) as its record plus ``mention``,
    ``mentions``, ``certainty`` and ``direct``: to a :class:`Sink` as JSON lines, or to a
    function, as a dict. A post with an id seen before is dropped; with ``since``, so is
    one received before it (a post without ``received_at`` is kept). Records that can't be
    read are written as ``{"id", "error"}``. Only the ids seen are kept in memory."""
    from .listen import strongest

    sink = write if isinstance(write, Sink) else None
    if isinstance(write, Sink):
        write = write.write
    result = ListenResult()
    seen: set[str] = set()
    named = len(sources) > 1
    find, guarded = brand.find, brand.guarded
    # What every post adds to, counted here and kept in result at the end.
    read = mentions = exact = 0
    kinds = result.kinds
    for source in sources:
        source.keep = True
        # The columns read into a record's fields, and listen's own: not written again.
        used = frozenset({source.columns.get(f, f) for f in _FIELDS}.union(LISTEN_FIELDS))
        where = f"{'<stdin>' if source.path == '-' else source.path}: " if named else ""
        for number, record, error in source.records():
            read += 1
            if record is None or "_error" in record:
                result.failed += 1
                reason = error if record is None else f"line {number}: {record['_error']}"
                ident = number if record is None else record.get("id", number)
                write({"id": ident, "error": f"{where}{reason or f'line {number}: unreadable'}"})
                continue
            text = record.get("text")
            if text is None:
                result.failed += 1
                problem = f'{where}line {number}: no "text"'
                write({"id": record.get("id", number), "error": problem})
                continue
            if since is not None:
                arrived = record.get("received_at")
                if arrived is not None and parse_time(arrived, None) < since:
                    result.earlier += 1
                    continue
            ident = record.get("id")  # a record holds no None
            if ident is not None:
                key = str(ident)
                if key in seen:
                    result.duplicates += 1
                    continue
                seen.add(key)
            try:
                if guarded:
                    with time_limit("the post"):
                        found = find(text)
                else:
                    found = find(text)
            except ReplybookError as exc:
                result.failed += 1
                write({"id": record.get("id", number), "error": f"{where}line {number}: {exc}"})
                continue
            except Exception as exc:  # one bad post never ends a run
                result.failed += 1
                problem = unexpected(exc)
                write({"id": record.get("id", number), "error": f"{where}line {number}: {problem}"})
                continue
            if found:
                best = found[0] if len(found) == 1 else strongest(found)
                assert best is not None
                mentions += 1
                if best.certainty == "exact":
                    exact += 1
                kinds[best.kind] = kinds.get(best.kind, 0) + 1
            elif every:
                best = None
            else:
                continue
            if sink is not None:
                sink.write_post(_fields(record, used), found, best)
            else:
                write(_with_found(_fields(record, used), found, best))
    result.read, result.mentions = read, mentions
    result.exact, result.possible = exact, mentions - exact
    return result


def _fields(record: dict[str, Any], used: frozenset[str]) -> dict[str, Any]:
    """A post's fields as listen writes them: under the names ``draft --batch`` reads,
    then the input's other columns as they were (``used``: the columns read into those
    fields). (A record's keys are its fields' names, ``_line`` and, kept, ``_raw``.)"""
    out = record.copy()
    del out["_line"]
    raw = out.pop("_raw", _NOTHING)
    # A preset's record is mapped from a nested shape: only its fields are written.
    if not used.issuperset(raw):
        for key, value in raw.items():
            if key not in used and key not in out:
                out[key] = value
    return out


_NOTHING: dict[str, Any] = {}


def _with_found(out: dict[str, Any], found: list[Mention], best: Mention | None) -> dict[str, Any]:
    """A post's fields (``out``, added to) with what was found."""
    mentions = [m.to_dict() for m in found]
    out["mention"] = mentions[found.index(best)] if best is not None else None
    out["mentions"] = mentions
    out["certainty"] = best.certainty if best is not None else None
    out["direct"] = any(m.direct for m in found)
    return out


def _found_json(found: list[Mention], best: Mention | None) -> str:
    """The end of a post's JSON line: what :func:`_with_found` adds, as the encoder writes
    it (a mention's kind and certainty are plain words: only its match is escaped)."""
    if best is None:
        return ', "mention": null, "mentions": [], "certainty": null, "direct": false}\n'
    if len(found) == 1:  # most posts
        kind, match, start, end, certainty, direct = best
        one = _MENTION_JSON % (kind, _encode_text(match), start, end, certainty)
        return _FOUND % (one, one, certainty, "true" if direct else "false")
    parts = [
        _MENTION_JSON % (m.kind, _encode_text(m.match), m.start, m.end, m.certainty) for m in found
    ]
    return _FOUND % (
        parts[found.index(best)],
        ", ".join(parts),
        best.certainty,
        "true" if any(m.direct for m in found) else "false",
    )


_MENTION_JSON = '{"kind": "%s", "match": %s, "start": %d, "end": %d, "certainty": "%s"}'
_FOUND = ', "mention": %s, "mentions": [%s], "certainty": "%s", "direct": %s}\n'

