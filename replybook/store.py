"""Team memory in SQLite: comments seen, replies sent, incidents. The only module that
touches the database.

One file per team (default ``$XDG_DATA_HOME/replybook/replybook.db``), in WAL mode so that
several runs from a shell loop can read and write at once; each write is its own short
transaction, so a killed run loses nothing it already reported. The schema carries its
version in ``PRAGMA user_version`` and is migrated forward on open.

Incidents (the ``patterns`` rule): when complaints on the same topic, or with
near-identical wording, reach the playbook's threshold inside its window, an incident
opens; later matching complaints are linked to it. Lookups are blocked by playbook, topic
and time window through indexes, so their cost doesn't grow with the size of the store.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from .errors import UsageError

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


class Store:
    """An open store. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self._depth = 0
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

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        # BEGIN IMMEDIATE takes the write lock up front, so two runs never interleave a
        # read-then-write (count, then open an incident) and lose an update. Inside
        # transaction() the outer transaction covers it.
        if self._depth:
            yield self.db
            return
        with self.transaction():
            yield self.db

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
        self.db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self.db.execute("ROLLBACK")
            raise
        self._depth = 0
        self.db.execute("COMMIT")

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
    ) -> Pattern:
        """Remember a comment; for a complaint, say whether it is part of a pattern.

        A comment id seen before (``ext_id``) is not counted twice: its earlier link is
        returned. Only complaints are compared, inside ``window_hours`` before it.
        """
        norm = normalise(text)
        when = _epoch(received_at)
        since = when - window_hours * 3600
        with self._write() as db:
            if ext_id is not None:
                row = db.execute(
                    "SELECT incident_id FROM comments WHERE playbook = ? AND ext_id = ?",
                    (playbook, ext_id),
                ).fetchone()
                if row is not None:
                    incident = self._incident(row[0]) if row[0] else None
                    if incident is not None:
                        return Pattern("incident", incident.count, incident)
                    return NO_PATTERN
            incident_id = None
            pattern = NO_PATTERN
            # A complaint with no words (a review's stars alone) is like every other by
            # its wording: only its topic, which it has none of, could make it a pattern.
            if intent == "complaint" and (norm or topic is not None):
                pattern = self._match(
                    db, playbook, topic, norm, when, since, threshold, similarity, label
                )
                incident_id = pattern.incident.id if pattern.incident else None
            db.execute(
                "INSERT INTO comments (playbook, ext_id, received_at, seen_at, language, intent,"
                " action, topic, norm, incident_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    playbook,
                    ext_id,
                    when,
                    time.time(),
                    language,
                    intent,
                    action,
                    topic,
                    norm,
                    incident_id,
                ),
            )
        return pattern

    def _match(
        self,
        db: sqlite3.Connection,
        playbook: str,
        topic: str | None,
        norm: str,
        when: float,
        since: float,
        threshold: int,
        similarity: float,
        label: str | None,
    ) -> Pattern:
        if topic is not None:
            row = db.execute(
                "SELECT id FROM incidents WHERE playbook = ? AND status = 'open' AND topic = ?"
                " AND last_seen >= ? ORDER BY id DESC LIMIT 1",
                (playbook, topic, since),
            ).fetchone()
            if row is not None:
                return self._link(db, row[0], when)
            # An index range on (playbook, intent, topic, time), capped: the cost doesn't
            # grow with the store.
            members = [
                r[0]
                for r in db.execute(
                    "SELECT id FROM comments WHERE playbook = ? AND intent = 'complaint' AND"
                    " topic = ? AND received_at >= ? AND received_at <= ? AND incident_id IS NULL"
                    " ORDER BY received_at DESC LIMIT ?",
                    (playbook, topic, since, when, max(threshold, 1000)),
                )
            ]
        else:
            open_rows = db.execute(
                "SELECT id, norm FROM incidents WHERE playbook = ? AND status = 'open' AND"
                " topic IS NULL AND last_seen >= ? ORDER BY id DESC LIMIT 100",
                (playbook, since),
            ).fetchall()
            best = _closest(norm, open_rows, similarity)
            if best is not None:
                return self._link(db, best, when)
            # Near-identical wording among the 500 most recent topic-less complaints: a
            # ceiling on the work, whatever the size of the store.
            recent = db.execute(
                "SELECT id, norm FROM comments WHERE playbook = ? AND intent = 'complaint' AND"
                " topic IS NULL AND received_at >= ? AND received_at <= ? AND"
                " incident_id IS NULL ORDER BY received_at DESC LIMIT 500",
                (playbook, since, when),
            ).fetchall()
            members = _alike(norm, recent, similarity)
        similar = 1 + len(members)
        if similar < threshold:
            return Pattern("possible" if similar >= 2 else "none", similar)
        first = db.execute(
            f"SELECT MIN(received_at) FROM comments WHERE id IN ({','.join('?' * len(members))})",
            members,
        ).fetchone()[0]
        cur = db.execute(
            "INSERT INTO incidents (playbook, topic, norm, label, first_seen, last_seen, count)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                playbook,
                topic,
                None if topic else norm,
                label or topic or norm[:60],
                min(first, when),
                when,
                similar,
            ),
        )
        incident_id = int(cur.lastrowid or 0)
        db.executemany(
            "UPDATE comments SET incident_id = ? WHERE id = ?", [(incident_id, m) for m in members]
        )
        incident = self._incident(incident_id)
        assert incident is not None
        return Pattern("incident", similar, incident)

    def _link(self, db: sqlite3.Connection, incident_id: int, when: float) -> Pattern:
        db.execute(
            "UPDATE incidents SET count = count + 1, last_seen = MAX(last_seen, ?) WHERE id = ?",
            (when, incident_id),
        )
        incident = self._incident(incident_id)
        assert incident is not None
        return Pattern("incident", incident.count, incident)

    def _incident(self, incident_id: int) -> Incident | None:
        row = self.db.execute(
            "SELECT id, playbook, topic, label, status, first_seen, last_seen, count"
            " FROM incidents WHERE id = ?",
            (incident_id,),
        ).fetchone()
        if row is None:
            return None
        return Incident(row[0], row[1], row[2], row[3], row[4], _iso(row[5]), _iso(row[6]), row[7])

    def incident_links(self, playbook: str, ext_ids: list[str]) -> dict[str, int]:
        """Comment id -> incident id, for those of ``ext_ids`` linked to one."""
        links: dict[str, int] = {}
        for start in range(0, len(ext_ids), 500):
            part = ext_ids[start : start + 500]
            rows = self.db.execute(
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
        rows = self.db.execute(sql + " ORDER BY last_seen DESC, id DESC", args).fetchall()
        return [i for (r,) in rows if (i := self._incident(r)) is not None]

    def close_incident(self, incident_id: int, *, now: datetime) -> Incident:
        with self._write() as db:
            row = db.execute("SELECT status FROM incidents WHERE id = ?", (incident_id,)).fetchone()
            if row is None:
                raise UsageError(f"no incident {incident_id}")
            if row[0] == "closed":
                raise UsageError(f"incident {incident_id} is already closed")
            db.execute(
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
        """Remember a reply that was posted (for the canned-reply check)."""
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO replies (playbook, sent_at, text, comment_ext_id, agent, channel)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (playbook, _epoch(sent_at), text, comment_id, agent, channel),
            )
        return int(cur.lastrowid or 0)

    def recent_replies(self, playbook: str, limit: int = 200) -> list[str]:
        """The last ``limit`` replies sent for a playbook, newest first."""
        rows = self.db.execute(
            "SELECT text FROM replies WHERE playbook = ? ORDER BY id DESC LIMIT ?",
            (playbook, limit),
        ).fetchall()
        return [r[0] for r in rows]

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("comments", "replies", "incidents"):
            out[table] = int(self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        return out
