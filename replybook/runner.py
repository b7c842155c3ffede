"""Drafting and linting with the team's memory, one comment at a time (I/O: the store).

The decisions stay in the pure core (analyze, compose, linter); this module asks the store
what it remembers, hands that to the core, and remembers the result. Batches of thousands
live in :mod:`replybook.batch`.
"""

from __future__ import annotations

import re
import sys
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from .analyze import Analysis, analyze
from .compose import Draft, draft, parse_time
from .decide import decide
from .errors import UsageError
from .linter import counts, lint
from .playbook import Playbook

if TYPE_CHECKING:
    from .store import Pattern, Store

DRAFT_FIELDS = ("id", "text", "name", "handle", "channel", "received_at", "agent")
LINT_FIELDS = ("id", "text", "comment", "name", "channel")


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


def read_text(path: str) -> str:
    """A whole text file, or stdin for ``-``."""
    if path == "-":
        return sys.stdin.read()
    with open_text(path) as stream:
        try:
            return stream.read()
        except UnicodeDecodeError:
            raise UsageError(f"{path}: not UTF-8 text") from None


# ---------------------------------------------------------------------------------------
# One comment


class Drafter:
    """Drafts with the store's memory: observe the comment, then compose, then remember.

    ``defer``: in a worker process of a parallel batch there is no store; the main process
    settles each record with it (:meth:`settle`).
    """

    def __init__(
        self,
        playbook: Playbook,
        store: Store | None,
        now: datetime,
        defaults: dict[str, Any] | None = None,
        *,
        record: bool = False,
        defer: bool = False,
    ) -> None:
        self.playbook = playbook
        self.store = store
        self.now = now
        self.defaults = defaults or {}
        self.record = record
        self.defer = defer

    def options(self, record: dict[str, Any]) -> dict[str, Any]:
        merged = {k: v for k, v in self.defaults.items() if v is not None}
        merged.update(
            {k: record[k] for k in DRAFT_FIELDS if k in record and k not in ("id", "text")}
        )
        for key in ("name", "handle", "channel", "agent"):
            if key in merged and not isinstance(merged[key], str):
                raise UsageError(f"{key!r} must be text")
        return merged

    def one(self, text: str, ext_id: str | None = None, **options: Any) -> Draft:
        """Analyse, ask the store about patterns, compose; with ``record``, remember the reply."""
        if not isinstance(text, str) or not text.strip():
            raise UsageError("the comment is empty")
        arrived = parse_time(options.get("received_at"), self.now)
        analysis = analyze(text, self.playbook)
        pattern = self.observe(analysis, arrived, ext_id)
        result = self._compose(text, options, arrived, analysis, pattern)
        self._remember(result.public_reply, ext_id, options, result.channel)
        return result

    def _compose(
        self,
        text: str,
        options: dict[str, Any],
        arrived: datetime,
        analysis: Analysis,
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
        )

    def _remember(
        self, reply: str | None, ext_id: str | None, options: dict[str, Any], channel: Any
    ) -> None:
        if self.record and self.store is not None and reply:
            self.store.record_reply(
                playbook=self.playbook.name,
                text=reply,
                sent_at=self.now,
                comment_id=ext_id,
                agent=options.get("agent"),
                channel=channel,
            )

    def observe(self, analysis: Analysis, arrived: datetime, ext_id: str | None) -> Pattern | None:
        """What the team's memory says about this comment (None without a store)."""
        if self.store is None:
            return None
        settings = self.playbook.get("patterns") or {}
        decision = decide(analysis, self.playbook)
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
        )

    def draft_record(self, record: dict[str, Any]) -> Draft:
        """Draft one input record (its fields over the command line's defaults)."""
        if "text" not in record:
            raise UsageError('no "text"')
        options = self.options(record)
        if "received_at" in record:
            options["received_at"] = parse_time(record["received_at"], self.now, "received_at")
        return self.one(record["text"], ext_id=record_id(record), **options)

    def batch_record(self, record: dict[str, Any]) -> dict[str, Any]:
        result = self.draft_record(record)
        out = {"id": record.get("id", record["_line"]), **result.to_dict()}
        if self.defer:
            out["_record"] = record
        return out

    def settle(self, outputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Main-process side of a parallel batch: remember each comment in input order and
        redraft the few that turn out to be part of a pattern."""
        settled = []
        for obj in outputs:
            record = obj.pop("_record", None)
            if record is None or self.store is None:
                settled.append(obj)
                continue
            options = self.options(record)
            if "received_at" in record:
                options["received_at"] = parse_time(record["received_at"], self.now, "received_at")
            arrived = parse_time(options.get("received_at"), self.now)
            analysis = analyze(record["text"], self.playbook)
            pattern = self.observe(analysis, arrived, record_id(record))
            if pattern is not None and pattern.state != "none":
                result = self._compose(record["text"], options, arrived, analysis, pattern)
                obj = {"id": obj["id"], **result.to_dict()}
            self._remember(obj.get("public_reply"), record_id(record), options, obj.get("channel"))
            settled.append(obj)
        return settled


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
        options = self.defaults
        own: dict[str, Any] = {k: record[k] for k in ("comment", "name", "channel") if k in record}
        if own:
            options = {**options, **own}
        found = lint(
            text,
            self.playbook,
            comment=options.get("comment"),
            name=options.get("name"),
            channel=options.get("channel"),
            slot=options.get("slot", "public"),
            history=self.history,
        )
        return {
            "id": record.get("id", record["_line"]),
            "findings": [f.to_dict() for f in found],
            "counts": counts(found),
        }


def record_id(record: dict[str, Any]) -> str | None:
    value = record.get("id")
    return None if value is None else str(value)


def lint_history(
    store: Store | None, playbook: Playbook, history_file: list[str] | None
) -> list[str]:
    """The canned-reply history: the given file, else the store's recent replies."""
    if history_file is not None:
        return history_file
    if store is None:
        return []
    return store.recent_replies(playbook.name, int(playbook.get("history_size") or 200))
