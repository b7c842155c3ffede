"""Team memory: comments seen, replies sent, incidents. The only modules that touch a
database are this one (SQLite, and the logic both stores share) and :mod:`store_pg`
(PostgreSQL, for a team on one server).

SQLite is one file per person or machine (default ``$XDG_DATA_HOME/replybook/replybook.db``),
in WAL mode so that several runs from a shell loop can read and write at once; each write is
its own short transaction, so a killed run loses nothing it already reported. The schema
carries its version (``PRAGMA user_version`` in SQLite, a ``replybook_schema`` table in
PostgreSQL) and is migrated forward on open.

Incidents (the ``patterns`` rule): when complaints on the same topic, or with
near-identical wording, reach the playbook's threshold inside its window, an incident
opens; later matching complaints are linked to it. Lookups are blocked by playbook, topic
and time window through indexes, so their cost doesn't grow with the size of the store.
Every write that reads first (count, then open an incident) holds the playbook's write lock
for its transaction: SQLite's ``BEGIN IMMEDIATE``, PostgreSQL's transaction-scoped advisory
lock on the playbook's name. Two agents drafting the third complaint at the same moment
open one incident.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from .errors import StoreError, UsageError

# Each entry moves the schema from version i to i + 1. Never edit a released one: add.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE comments (
        id INTEGER PRIMARY KEY,
        playbook TEXT NOT NULL,
        ext_id TEXT,
        received_at REAL NOT NULL,
        seen_at REAL NOT NULL,
        language TEXT,
        intent TEXT NOT NULL,
        action TEXT,
        topic TEXT,
        norm TEXT NOT NULL,
        incident_id INTEGER REFERENCES incidents(id)
    );
    CREATE UNIQUE INDEX comments_ext ON comments(playbook, ext_id) WHERE ext_id IS NOT NULL;
    CREATE INDEX comments_topic_time ON comments(playbook, intent, topic, received_at);
    CREATE TABLE replies (
        id INTEGER PRIMARY KEY,
        playbook TEXT NOT NULL,
        sent_at REAL NOT NULL,
        text TEXT NOT NULL,
        comment_ext_id TEXT,
        agent TEXT,
        channel TEXT
    );
    CREATE INDEX replies_recent ON replies(playbook, id);
    CREATE TABLE incidents (
        id INTEGER PRIMARY KEY,
        playbook TEXT NOT NULL,
        topic TEXT,
        norm TEXT,
        label TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open',
        first_seen REAL NOT NULL,
        last_seen REAL NOT NULL,
        count INTEGER NOT NULL,
        closed_at REAL
    );
    CREATE INDEX incidents_open ON incidents(playbook, status, topic);
    """,
    # 2: complaints not yet in an incident, by time: the pattern lookups read only these,
    # so a window full of already-linked complaints costs nothing.
    """
    CREATE INDEX comments_unlinked ON comments(playbook, intent, topic, received_at)
        WHERE incident_id IS NULL;
    """,
    # 3: what a report needs: where and by whom a comment was handled and the minutes the
    # playbook gave for its first reply; replies found by the comment they answered.
    """
    ALTER TABLE comments ADD COLUMN channel TEXT;
    ALTER TABLE comments ADD COLUMN agent TEXT;
    ALTER TABLE comments ADD COLUMN sla_minutes INTEGER;
    CREATE INDEX comments_time ON comments(received_at);
    CREATE INDEX replies_comment ON replies(playbook, comment_ext_id, sent_at);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
_NORM = re.compile(r"https?://\S+|@\w+|[^\w\s]")


_FOREIGN = "not a replybook store (a SQLite database with tables replybook didn't make)"


def _apply(db: sqlite3.Connection, step: int) -> None:
    """Run migration ``step`` (version ``step`` to ``step + 1``), statement by statement, so
    it stays inside the caller's transaction."""
    for statement in MIGRATIONS[step].split(";"):
        if statement.strip():
            db.execute(statement)


def _layout(db: sqlite3.Connection) -> dict[str, tuple[str, ...]]:
    """Table name -> column names, for every table in the database."""
    names = [
        str(r[0])
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        name: tuple(str(c[1]) for c in db.execute("SELECT * FROM pragma_table_info(?)", (name,)))
        for name in names
    }


@cache
def _expected(version: int) -> dict[str, tuple[str, ...]]:
    """The tables replybook's own schema has at ``version`` (none at 0)."""
    db = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for step in range(min(max(version, 0), SCHEMA_VERSION)):
            _apply(db, step)
        return _layout(db)
    finally:
        db.close()


def _failure(path: Path, exc: sqlite3.DatabaseError) -> str:
    """One line for an SQLite error while opening the store."""
    reason = " ".join(str(exc).split())
    if isinstance(exc, sqlite3.OperationalError):
        if "locked" in reason or "busy" in reason:
            return f"{path}: the store is busy (another run held it for 30 s); try again"
        if "readonly" in reason or "read-only" in reason:
            return f"{path}: can't write the store ({reason})"
    return f"{path}: not a replybook store ({reason})"


class Incident:
    """An incident as the store knows it."""

    __slots__ = ("id", "playbook", "topic", "label", "status", "first_seen", "last_seen", "count")

    def __init__(
        self,
        id: int,
        playbook: str,
        topic: str | None,
        label: str,
        status: str,
        first_seen: str,
        last_seen: str,
        count: int,
    ) -> None:
        self.id = id
        self.playbook = playbook
        self.topic = topic
        self.label = label
        self.status = status
        self.first_seen = first_seen
        self.last_seen = last_seen
        self.count = count

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Incident) and self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash(self.id)

    def __repr__(self) -> str:
        return f"Incident({self.id}, {self.label!r}, {self.status}, count={self.count})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "playbook": self.playbook,
            "topic": self.topic,
            "label": self.label,
            "status": self.status,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "count": self.count,
        }


class Pattern(NamedTuple):
    """What the store says about a new complaint: ``state`` is ``none``, ``possible``
    (the second alike inside the window) or ``incident`` (linked to ``incident``)."""

    state: str
    similar: int
    incident: Incident | None = None


NO_PATTERN = Pattern("none", 1)


def default_path() -> Path:
    """``$REPLYBOOK_DB``, else ``$XDG_DATA_HOME/replybook/replybook.db``."""
    if os.environ.get("REPLYBOOK_DB"):
        return Path(os.environ["REPLYBOOK_DB"])
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "share"
    )
    return Path(base) / "replybook" / "replybook.db"


def normalise(text: str) -> str:
    """Lower case, no links, handles or punctuation, single spaces: for comparing wording."""
    return " ".join(_NORM.sub(" ", text.casefold()).split())


def _epoch(moment: datetime) -> float:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def _iso(epoch: float) -> str:
    text = datetime.fromtimestamp(epoch, timezone.utc).isoformat(timespec="seconds")
    return text.replace("+00:00", "Z")


def _candidates(norm: str, rows: list[tuple[int, str]]) -> tuple[list[int], dict[int, str]]:
    """Split rows into exact copies of ``norm`` and the ones worth a fuzzy comparison.

    With a handful of rows, near-identical wording must share at least half its words
    (Jaccard) to be compared at all, so a one-off draft against a small store rarely loads
    the fuzzy matcher. With many rows the fuzzy matcher (C code) is faster than the
    prefilter, so they all go to it.
    """
    exact = [row_id for row_id, other in rows if other == norm]
    rest = {row_id: other for row_id, other in rows if other != norm}
    if len(rest) > 20:
        return exact, rest
    words = set(norm.split())
    near: dict[int, str] = {}
    for row_id, other in rest.items():
        theirs = set(other.split())
        union = len(words | theirs)
        if union and len(words & theirs) / union >= 0.5:
            near[row_id] = other
    return exact, near


def _closest(norm: str, rows: list[tuple[int, str]], cutoff: float) -> int | None:
    """The id of the row whose wording is nearest ``norm``, if it is at least ``cutoff``."""
    exact, near = _candidates(norm, rows)
    if exact:
        return exact[0]
    if not near:
        return None
    from rapidfuzz import fuzz, process

    best = process.extractOne(norm, near, scorer=fuzz.ratio, score_cutoff=cutoff)
    return int(best[2]) if best is not None else None


def _alike(norm: str, rows: list[tuple[int, str]], cutoff: float) -> list[int]:
    """Ids of the rows whose wording is at least ``cutoff`` alike ``norm``."""
    exact, near = _candidates(norm, rows)
    if not near:
        return exact
    from rapidfuzz import fuzz, process

    found = process.extract(norm, near, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)
    return exact + [int(f[2]) for f in found]


class Seen(NamedTuple):
    """A comment as a report counts it: when it arrived, where, who handled it, what was
    decided, the minutes the playbook gave for a first reply and when one was sent."""

    received_at: datetime
    playbook: str
    channel: str | None
    agent: str | None
    intent: str
    action: str | None
    sla_minutes: int | None
    first_reply_at: datetime | None


class IncidentSpan(NamedTuple):
    """An incident as a report counts it."""

    id: int
    playbook: str
    label: str
    status: str
    complaints: int
    first_seen: datetime
    closed_at: datetime | None


_INSERT_COMMENT = (
    "INSERT INTO comments (playbook, ext_id, received_at, seen_at, language, intent,"
    " action, topic, norm, incident_id, channel, agent, sla_minutes)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# Added to _INSERT_COMMENT: a comment id seen before keeps its row; a row comes back only
# when the comment was new.
_ONCE = " ON CONFLICT (playbook, ext_id) WHERE ext_id IS NOT NULL DO NOTHING RETURNING id"
_INCIDENT_FIELDS = "id, playbook, topic, label, status, first_seen, last_seen, count"


def _incident_of(row: tuple[Any, ...]) -> Incident:
    return Incident(
        int(row[0]), row[1], row[2], row[3], row[4], _iso(row[5]), _iso(row[6]), int(row[7])
    )


def _window(
    column: str,
    book: str,
    since: datetime | None,
    until: datetime | None,
    playbook: str | None,
) -> tuple[str, list[Any]]:
    """A WHERE clause and its arguments: ``column`` in [since, until) (open ends: all
    time), and only ``playbook``'s rows when one is given."""
    where = f"WHERE {column} >= ? AND {column} < ?"
    args: list[Any] = [
        _epoch(since) if since is not None else -1e18,
        _epoch(until) if until is not None else 1e18,
    ]
    if playbook is not None:
        where += f" AND {book} = ?"
        args.append(playbook)
    return where, args


def _moment(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(float(epoch), timezone.utc)


class TeamStore:
    """What every store does, written once against a few primitives that each database
    implements (:class:`Store` for SQLite, :class:`replybook.store_pg.PostgresStore`).

    SQL here uses ``?`` placeholders and only what SQLite and PostgreSQL both understand.
    Use as a context manager, or call :meth:`close`.
    """

    kind = "store"
    #: How the store is named in messages: a path, or a URL without its password.
    target = ""

    def __init__(self) -> None:
        self._depth = 0
        self._locked: set[str] = set()

    # -- what each database implements -------------------------------------------------------

    def _rows(self, sql: str, args: Any = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def _stream(self, sql: str, args: Any = ()) -> Iterator[tuple[Any, ...]]:
        """Rows of a query that may be large, a few thousand at a time."""
        raise NotImplementedError

    def _exec(self, sql: str, args: Any = ()) -> None:
        raise NotImplementedError

    def _exec_many(self, sql: str, rows: list[Any]) -> None:
        raise NotImplementedError

    def _insert(self, sql: str, args: Any) -> int:
        """Run an ``INSERT ... RETURNING id`` and give the id."""
        raise NotImplementedError

    def _begin(self) -> None:
        raise NotImplementedError

    def _commit(self) -> None:
        raise NotImplementedError

    def _rollback(self) -> None:
        raise NotImplementedError

    def _lock(self, playbook: str) -> None:
        """Take the playbook's write lock until the transaction ends (SQLite's BEGIN
        IMMEDIATE already holds the whole file's)."""

    def close(self) -> None:
        raise NotImplementedError

    @property
    def schema_version(self) -> int:
        raise NotImplementedError

    # -- shared --------------------------------------------------------------------------------

    def _row(self, sql: str, args: Any = ()) -> tuple[Any, ...] | None:
        rows = self._rows(sql, args)
        return rows[0] if rows else None

    def rows(self, sql: str, args: Any = ()) -> list[tuple[Any, ...]]:
        """Run a read-only query (``?`` placeholders) and give its rows: for tools, benches
        and tests that look inside a store of either kind."""
        return self._rows(sql, args)

    def __enter__(self) -> TeamStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self, playbook: str) -> Iterator[None]:
        # The playbook's write lock comes first, so two runs never interleave a
        # read-then-write (count, then open an incident) and lose an update. Inside
        # transaction() the outer transaction covers it.
        if self._depth:
            if playbook not in self._locked:
                self._lock(playbook)
                self._locked.add(playbook)
            yield
            return
        with self.transaction():
            self._lock(playbook)
            self._locked.add(playbook)
            yield

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes into one transaction (a batch commits every few hundred records)."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._begin()
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self._locked.clear()
            with suppress(StoreError):  # the connection is gone: so is the transaction
                self._rollback()
            raise
        self._depth = 0
        self._locked.clear()
        self._commit()

    # -- comments and incidents ------------------------------------------------------------

    def observe(
        self,
        *,
        playbook: str,
        text: str,
        intent: str,
        action: str,
        topic: str | None,
        language: str,
        received_at: datetime,
        ext_id: str | None = None,
        threshold: int = 3,
        window_hours: float = 24,
        similarity: float = 90,
        label: str | None = None,
        channel: str | None = None,
        agent: str | None = None,
        sla_minutes: int | None = None,
        by_topic: bool = True,
    ) -> Pattern:
        """Remember a comment; for a complaint, say whether it is part of a pattern.

        A comment id seen before (``ext_id``) is not counted twice: its earlier link is
        returned. Only complaints are compared, inside ``window_hours`` before it.
        ``channel``, ``agent`` and ``sla_minutes`` are kept for reports. ``by_topic``
        False: complaints on the topic are one pattern only when their wording is
        near-identical (each customer's own parcel is late: no outage).
        """
        norm = normalise(text)
        when = _epoch(received_at)
        since = when - window_hours * 3600
        values = [
            playbook,
            ext_id,
            when,
            time.time(),
            language,
            intent,
            action,
            topic,
            norm,
            None,
            channel,
            agent,
            sla_minutes,
        ]
        with self._write(playbook):
            # A comment that can't be part of a pattern needs only its insert (one round
            # trip to a server); its id, if seen before, keeps the earlier row.
            alone = intent != "complaint" or not (norm or topic is not None)
            if alone and (self._rows(_INSERT_COMMENT + _ONCE, values) or ext_id is None):
                return NO_PATTERN
            found: tuple[int | None] | None = None  # the topic's open incident, once looked up
            if alone or topic is None or not by_topic:
                row = None
                if ext_id is not None:
                    row = self._row(
                        "SELECT incident_id FROM comments WHERE playbook = ? AND ext_id = ?",
                        (playbook, ext_id),
                    )
                seen = None if row is None else int(row[0] or 0)
            else:
                # A complaint on a topic: whether its id was seen before, and the topic's
                # open incident, in one round trip.
                both = self._row(
                    "SELECT (SELECT COALESCE(incident_id, 0) FROM comments WHERE playbook = ?"
                    " AND ext_id = ?), (SELECT id FROM incidents WHERE playbook = ? AND"
                    " status = 'open' AND topic = ? AND last_seen >= ? ORDER BY id DESC LIMIT 1)",
                    (playbook, ext_id, playbook, topic, since),
                )
                assert both is not None
                seen = None if both[0] is None else int(both[0])
                found = (None if both[1] is None else int(both[1]),)
            if seen is not None:
                incident = self._incident(seen) if seen else None
                if incident is not None:
                    return Pattern("incident", incident.count, incident)
                return NO_PATTERN
            pattern = NO_PATTERN
            # A complaint with no words (a review's stars alone) is like every other by
            # its wording: only its topic, which it has none of, could make it a pattern.
            if intent == "complaint" and (norm or topic is not None):
                pattern = self._match(
                    playbook,
                    topic,
                    norm,
                    when,
                    since,
                    threshold,
                    similarity,
                    label,
                    found,
                    by_topic=by_topic,
                )
                values[9] = pattern.incident.id if pattern.incident else None
            self._exec(_INSERT_COMMENT, values)
        return pattern

    def _match(
        self,
        playbook: str,
        topic: str | None,
        norm: str,
        when: float,
        since: float,
        threshold: int,
        similarity: float,
        label: str | None,
        found: tuple[int | None] | None = None,
        *,
        by_topic: bool = True,
    ) -> Pattern:
        """``found``: the topic's open incident (or None in it), when the caller has looked.
        ``by_topic`` False: a topic's complaints are compared by wording, among that topic's."""
        if topic is not None and by_topic:
            if found is None:
                row = self._row(
                    "SELECT id FROM incidents WHERE playbook = ? AND status = 'open' AND"
                    " topic = ? AND last_seen >= ? ORDER BY id DESC LIMIT 1",
                    (playbook, topic, since),
                )
                found = (None if row is None else int(row[0]),)
            if found[0] is not None:
                return self._link(found[0], when)
            # An index range on (playbook, intent, topic, time), capped: the cost doesn't
            # grow with the store.
            members = [
                r[0]
                for r in self._rows(
                    "SELECT id FROM comments WHERE playbook = ? AND intent = 'complaint' AND"
                    " topic = ? AND received_at >= ? AND received_at <= ? AND incident_id IS NULL"
                    " ORDER BY received_at DESC LIMIT ?",
                    (playbook, topic, since, when, max(threshold, 1000)),
                )
            ]
        else:
            same = "topic IS NULL" if topic is None else "topic = ?"
            where = (playbook,) if topic is None else (playbook, topic)
            open_rows = self._rows(
                "SELECT id, norm FROM incidents WHERE playbook = ? AND status = 'open' AND"
                f" {same} AND norm IS NOT NULL AND last_seen >= ? ORDER BY id DESC LIMIT 100",
                (*where, since),
            )
            best = _closest(norm, [(int(r[0]), str(r[1])) for r in open_rows], similarity)
            if best is not None:
                return self._link(best, when)
            # Near-identical wording among the 500 most recent topic-less complaints: a
            # ceiling on the work, whatever the size of the store.
            recent = self._rows(
                "SELECT id, norm FROM comments WHERE playbook = ? AND intent = 'complaint' AND"
                f" {same} AND received_at >= ? AND received_at <= ? AND"
                " incident_id IS NULL ORDER BY received_at DESC LIMIT 500",
                (*where, since, when),
            )
            members = _alike(norm, [(int(r[0]), str(r[1])) for r in recent], similarity)
        similar = 1 + len(members)
        if similar < threshold:
            return Pattern("possible" if similar >= 2 else "none", similar)
        first_row = self._row(
            f"SELECT MIN(received_at) FROM comments WHERE id IN ({','.join('?' * len(members))})",
            members,
        )
        first = first_row[0] if first_row and first_row[0] is not None else when
        opened = self._row(
            "INSERT INTO incidents (playbook, topic, norm, label, first_seen, last_seen, count)"
            f" VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING {_INCIDENT_FIELDS}",
            (
                playbook,
                topic,
                None if topic and by_topic else norm,
                label or topic or norm[:60],
                min(first, when),
                when,
                similar,
            ),
        )
        assert opened is not None
        incident = _incident_of(opened)
        if members:
            self._exec_many(
                "UPDATE comments SET incident_id = ? WHERE id = ?",
                [(incident.id, m) for m in members],
            )
        return Pattern("incident", similar, incident)

    def _link(self, incident_id: int, when: float) -> Pattern:
        row = self._row(
            "UPDATE incidents SET count = count + 1,"
            " last_seen = CASE WHEN last_seen > ? THEN last_seen ELSE ? END WHERE id = ?"
            f" RETURNING {_INCIDENT_FIELDS}",
            (when, when, incident_id),
        )
        assert row is not None
        incident = _incident_of(row)
        return Pattern("incident", incident.count, incident)

    def _incident(self, incident_id: int) -> Incident | None:
        row = self._row(f"SELECT {_INCIDENT_FIELDS} FROM incidents WHERE id = ?", (incident_id,))
        return None if row is None else _incident_of(row)

    def incident_links(self, playbook: str, ext_ids: list[str]) -> dict[str, int]:
        """Comment id -> incident id, for those of ``ext_ids`` linked to one."""
        links: dict[str, int] = {}
        for start in range(0, len(ext_ids), 500):
            part = ext_ids[start : start + 500]
            rows = self._rows(
                "SELECT ext_id, incident_id FROM comments WHERE playbook = ? AND incident_id"
                f" IS NOT NULL AND ext_id IN ({','.join('?' * len(part))})",
                [playbook, *part],
            )
            links.update({str(ext): int(inc) for ext, inc in rows})
        return links

    def incidents(self, *, playbook: str | None = None, status: str = "open") -> list[Incident]:
        """Incidents, newest first."""
        sql = "SELECT id FROM incidents WHERE (? = 'all' OR status = ?)"
        args: list[Any] = [status, status]
        if playbook is not None:
            sql += " AND playbook = ?"
            args.append(playbook)
        rows = self._rows(sql + " ORDER BY last_seen DESC, id DESC", args)
        return [i for (r,) in rows if (i := self._incident(int(r))) is not None]

    def close_incident(self, incident_id: int, *, now: datetime) -> Incident:
        found = self._row("SELECT playbook FROM incidents WHERE id = ?", (incident_id,))
        if found is None:
            raise UsageError(f"no incident {incident_id}")
        with self._write(str(found[0])):
            row = self._row("SELECT status FROM incidents WHERE id = ?", (incident_id,))
            if row is None:
                raise UsageError(f"no incident {incident_id}")
            if row[0] == "closed":
                raise UsageError(f"incident {incident_id} is already closed")
            self._exec(
                "UPDATE incidents SET status = 'closed', closed_at = ? WHERE id = ?",
                (_epoch(now), incident_id),
            )
        incident = self._incident(incident_id)
        assert incident is not None
        return incident

    # -- replies ----------------------------------------------------------------------------

    def record_reply(
        self,
        *,
        playbook: str,
        text: str,
        sent_at: datetime,
        comment_id: str | None = None,
        agent: str | None = None,
        channel: str | None = None,
    ) -> int:
        """Remember a reply that was posted (for the canned-reply check and reports)."""
        with self.transaction():
            return self._insert(
                "INSERT INTO replies (playbook, sent_at, text, comment_ext_id, agent, channel)"
                " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (playbook, _epoch(sent_at), text, comment_id, agent, channel),
            )

    def recent_replies(self, playbook: str, limit: int = 200) -> list[str]:
        """The last ``limit`` replies sent for a playbook, newest first."""
        rows = self._rows(
            "SELECT text FROM replies WHERE playbook = ? ORDER BY id DESC LIMIT ?",
            (playbook, limit),
        )
        return [str(r[0]) for r in rows]

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("comments", "replies", "incidents"):
            row = self._row(f"SELECT COUNT(*) FROM {table}")
            out[table] = int(row[0]) if row else 0
        return out

    # -- reports ----------------------------------------------------------------------------

    def seen(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        playbook: str | None = None,
    ) -> Iterator[Seen]:
        """Comments received in [since, until), oldest first, each with its first reply.

        ``agent`` is who sent the first reply, else who drafted it.
        """
        sql = (
            "SELECT c.received_at, c.playbook, c.channel, c.intent, c.action, c.sla_minutes,"
            " c.agent, r.sent_at, r.agent FROM comments c LEFT JOIN replies r ON r.id = ("
            " SELECT r2.id FROM replies r2 WHERE r2.playbook = c.playbook AND"
            " r2.comment_ext_id = c.ext_id ORDER BY r2.sent_at, r2.id LIMIT 1)"
        )
        where, args = _window("c.received_at", "c.playbook", since, until, playbook)
        for row in self._stream(f"{sql} {where} ORDER BY c.received_at, c.id", args):
            received, book, channel, intent, action, sla, agent, sent, sender = row
            yield Seen(
                datetime.fromtimestamp(float(received), timezone.utc),
                str(book),
                channel,
                sender if sender is not None else agent,
                str(intent),
                action,
                int(sla) if sla is not None else None,
                _moment(sent),
            )

    def incident_spans(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        playbook: str | None = None,
    ) -> list[IncidentSpan]:
        """Incidents opened in [since, until), oldest first."""
        sql = "SELECT id, playbook, label, status, count, first_seen, closed_at FROM incidents"
        where, args = _window("first_seen", "playbook", since, until, playbook)
        sql = f"{sql} {where}"
        return [
            IncidentSpan(
                int(r[0]),
                str(r[1]),
                str(r[2]),
                str(r[3]),
                int(r[4]),
                datetime.fromtimestamp(float(r[5]), timezone.utc),
                _moment(r[6]),
            )
            for r in self._rows(sql + " ORDER BY first_seen, id", args)
        ]


# Columns copied from one store to another, table by table (ids are the target's own).
_COMMENT_COLUMNS = (
    "playbook, ext_id, received_at, seen_at, language, intent, action, topic, norm,"
    " incident_id, channel, agent, sla_minutes"
)
_REPLY_COLUMNS = "playbook, sent_at, text, comment_ext_id, agent, channel"
_INCIDENT_COLUMNS = "playbook, topic, norm, label, status, first_seen, last_seen, count, closed_at"


def copy_store(source: TeamStore, target: TeamStore, *, chunk: int = 2000) -> dict[str, int]:
    """Copy every comment, reply and incident of ``source`` into ``target``, in one
    transaction on the target; give how many of each were copied.

    The target may already hold a team's memory: incidents get the target's own ids (and
    the comments follow them), a comment id the target has already seen for the playbook
    is not copied twice, and a reply or incident it already holds (same playbook, time and
    text) is skipped, so copying the same file twice changes nothing.
    """
    copied = {"comments": 0, "replies": 0, "incidents": 0}
    # Into an empty store (the usual first copy) nothing needs looking up before it's added.
    fresh_target = target.counts() == copied
    with target.transaction():
        ids: dict[int, int] = {}
        for row in source._rows(f"SELECT id, {_INCIDENT_COLUMNS} FROM incidents ORDER BY id"):
            old, values = int(row[0]), row[1:]
            book, topic, norm, label, first = values[0], values[1], values[2], values[3], values[5]
            same = target._row(
                "SELECT id FROM incidents WHERE playbook = ? AND first_seen = ? AND label = ?"
                " AND COALESCE(topic, '') = COALESCE(?, '') AND COALESCE(norm, '') ="
                " COALESCE(?, '')",
                (book, first, label, topic, norm),
            )
            if same is not None and not fresh_target:
                ids[old] = int(same[0])
                continue
            ids[old] = target._insert(
                f"INSERT INTO incidents ({_INCIDENT_COLUMNS}) VALUES"
                f" ({', '.join('?' * len(values))}) RETURNING id",
                values,
            )
            copied["incidents"] += 1
        batch: list[tuple[Any, ...]] = []

        def known(values: tuple[Any, ...]) -> bool:
            if values[1] is not None:
                return bool(
                    target._row(
                        "SELECT 1 FROM comments WHERE playbook = ? AND ext_id = ?",
                        (values[0], values[1]),
                    )
                )
            return bool(
                target._row(
                    "SELECT 1 FROM comments WHERE received_at = ? AND playbook = ? AND"
                    " ext_id IS NULL AND seen_at = ? AND norm = ?",
                    (values[2], values[0], values[3], values[8]),
                )
            )

        def flush() -> None:
            fresh = batch if fresh_target else [v for v in batch if not known(v)]
            if fresh:
                target._exec_many(
                    f"INSERT INTO comments ({_COMMENT_COLUMNS}) VALUES"
                    f" ({', '.join('?' * 13)})",
                    fresh,
                )
            copied["comments"] += len(fresh)
            batch[:] = []

        for row in source._stream(f"SELECT {_COMMENT_COLUMNS} FROM comments ORDER BY id"):
            fields = list(row)
            if fields[9] is not None:
                fields[9] = ids.get(int(fields[9]))
            batch.append(tuple(fields))
            if len(batch) >= chunk:
                flush()
        flush()
        replies: list[tuple[Any, ...]] = []
        for row in source._stream(f"SELECT {_REPLY_COLUMNS} FROM replies ORDER BY id"):
            if not fresh_target and target._row(
                "SELECT 1 FROM replies WHERE playbook = ? AND sent_at = ? AND text = ? AND"
                " COALESCE(comment_ext_id, '') = COALESCE(?, '')",
                (row[0], row[1], row[2], row[3]),
            ):
                continue
            replies.append(tuple(row))
            if len(replies) >= chunk:
                target._exec_many(
                    f"INSERT INTO replies ({_REPLY_COLUMNS}) VALUES ({', '.join('?' * 6)})",
                    replies,
                )
                copied["replies"] += len(replies)
                replies.clear()
        if replies:
            target._exec_many(
                f"INSERT INTO replies ({_REPLY_COLUMNS}) VALUES ({', '.join('?' * 6)})", replies
            )
            copied["replies"] += len(replies)
    return copied


def _sqlite_error(path: Path, exc: sqlite3.Error) -> StoreError:
    reason = " ".join(str(exc).split())
    if "locked" in reason or "busy" in reason:
        return StoreError(f"{path}: the store is busy (another run held it for 30 s); try again")
    return StoreError(f"{path}: the store failed ({reason})")


class Store(TeamStore):
    """The SQLite store: a file on this machine."""

    kind = "sqlite"

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        super().__init__()
        self.path = Path(path) if path is not None else default_path()
        self.target = str(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise UsageError(f"{self.path}: can't open the store: {exc}") from None
        try:
            self._open()
        except UsageError:
            self.db.close()
            raise
        except StoreError as exc:
            self.db.close()
            cause = exc.__cause__
            if isinstance(cause, sqlite3.DatabaseError):
                raise UsageError(_failure(self.path, cause)) from None
            raise UsageError(str(exc)) from None
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise UsageError(_failure(self.path, exc)) from None

    def _open(self) -> None:
        """Check and migrate the schema under the write lock, then switch to WAL.

        The write lock comes first (BEGIN IMMEDIATE, waiting up to 30 s for another run),
        and only then is the version read and the schema checked and migrated, all in one
        transaction: a run that finds a store half made by another one waits for it,
        rather than migrating it a second time. A file that isn't a replybook store is
        refused before anything in it is changed (its journal mode included).
        """
        self.db.execute("PRAGMA foreign_keys=ON")
        with self.transaction():
            self._migrate()
        self._wal()
        self.db.execute("PRAGMA synchronous=NORMAL")

    def _wal(self) -> None:
        # Switching to WAL needs the file to itself for a moment, and SQLite reports
        # "locked" at once rather than wait when other runs are opening it too: retry,
        # within the same 30 s as any other wait for the store.
        deadline = time.monotonic() + 30
        pause = 0.005
        while True:
            try:
                mode = self.db.execute("PRAGMA journal_mode").fetchone()[0]
                if str(mode).lower() != "wal":
                    self.db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if time.monotonic() > deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 0.1)

    def __enter__(self) -> Store:
        return self

    def close(self) -> None:
        self.db.close()

    def _rows(self, sql: str, args: Any = ()) -> list[tuple[Any, ...]]:
        try:
            return self.db.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as exc:
            raise _sqlite_error(self.path, exc) from exc

    def _stream(self, sql: str, args: Any = ()) -> Iterator[tuple[Any, ...]]:
        try:
            cursor = self.db.execute(sql, args)
            while True:
                rows = cursor.fetchmany(2000)
                if not rows:
                    return
                yield from rows
        except sqlite3.DatabaseError as exc:
            raise _sqlite_error(self.path, exc) from exc

    def _exec(self, sql: str, args: Any = ()) -> None:
        try:
            self.db.execute(sql, args)
        except sqlite3.DatabaseError as exc:
            raise _sqlite_error(self.path, exc) from exc

    def _exec_many(self, sql: str, rows: list[Any]) -> None:
        try:
            self.db.executemany(sql, rows)
        except sqlite3.DatabaseError as exc:
            raise _sqlite_error(self.path, exc) from exc

    def _insert(self, sql: str, args: Any) -> int:
        try:
            return int(self.db.execute(sql, args).fetchone()[0])
        except sqlite3.DatabaseError as exc:
            raise _sqlite_error(self.path, exc) from exc

    def _begin(self) -> None:
        self._exec("BEGIN IMMEDIATE")

    def _commit(self) -> None:
        self._exec("COMMIT")

    def _rollback(self) -> None:
        self._exec("ROLLBACK")

    def _migrate(self) -> None:
        # Called inside transaction(): the write lock is held, so no other run can be
        # creating or migrating the schema between this read and the writes below.
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        found = _layout(self.db)
        if version > SCHEMA_VERSION:
            if found and not set(_expected(SCHEMA_VERSION)) <= set(found):
                raise UsageError(f"{self.path}: {_FOREIGN}")
            raise UsageError(
                f"{self.path}: made by a newer replybook (schema {version}); upgrade replybook"
            )
        if version < 0 or found != _expected(version):
            if version == 0 and found:
                raise UsageError(f"{self.path}: {_FOREIGN}")
            raise UsageError(
                f"{self.path}: not a replybook store (schema version {version} without"
                " replybook's tables, or with others)"
            )
        self.migrated_from = version
        if version == SCHEMA_VERSION:
            return
        if version == 0 and self._has_objects():
            raise UsageError(f"{self.path}: {_FOREIGN}")
        for step in range(version, SCHEMA_VERSION):
            _apply(self.db, step)
        self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _has_objects(self) -> bool:
        return self.db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])


SQLiteStore = Store

_URL = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")


def is_postgres(target: str | os.PathLike[str] | None) -> bool:
    """Whether ``target`` names a PostgreSQL server (``postgresql://`` or ``postgres://``)."""
    return isinstance(target, str) and target.lower().startswith(("postgresql://", "postgres://"))


def open_store(target: str | os.PathLike[str] | None = None) -> TeamStore:
    """The store ``target`` names: a PostgreSQL URL, else a SQLite file (None: the default
    file). PostgreSQL's driver is imported only here, only for a PostgreSQL URL."""
    if is_postgres(target):
        from .store_pg import PostgresStore

        return PostgresStore(str(target))
    return Store(target)
