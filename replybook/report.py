"""Reports over the team's memory: comments seen and how they were handled, first-reply
times against the playbook's SLA, and incidents, per day or ISO week and per group.

Pure: rows in (the store's :class:`~replybook.store.Seen` and
:class:`~replybook.store.IncidentSpan`), a :class:`Report` out; the time the report is made
(``now``) is passed in. Rows stream through: what is kept is one tally per period and
group, with first-reply times as a count per whole second (a few thousand distinct values
however many replies), so memory doesn't grow with the number of comments.

How a comment counts (README, "Reports", says the same for people):

- *replied*: a reply to it was recorded as sent at or before ``now``.
- It is *due* when the playbook gave it minutes for a first reply (``sla_minutes``) and it
  wasn't moderated (a moderated comment is hidden, not answered, and nothing records when).
- A due comment is *within* SLA when its first reply came at most ``sla_minutes`` after it
  arrived, *late* when after that, *overdue* when no reply came and the due time has passed
  at ``now``, *open* when no reply came and it is not due yet. *breached* is late + overdue.
- *share* within SLA is within / (within + breached): open comments are left out until
  they are answered or overdue.
- First-reply minutes are from arrival to the first reply (a reply recorded before the
  comment arrived, a clock's skew, counts as 0). The median is the middle value, or the
  mean of the two middle ones; p90 is the nearest rank: the smallest value that at least
  90% of the values are at or under (rank ceil(0.9 n) of n, sorted).
- Incidents are counted in the period they opened in: opened, closed (by ``now``), still
  open, and the median time from the first complaint to closing.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, Any

from .errors import UsageError

if TYPE_CHECKING:
    from .store import IncidentSpan, Seen

PERIODS = ("day", "week")
GROUPS = ("channel", "playbook", "agent", "intent")
"""What rows can be grouped by (several at once: ``("channel", "agent")``)."""

DEFAULT_SPAN = {"day": 7, "week": 4}
"""Periods a report covers when ``since`` isn't given, the current one included."""

MAX_PERIODS = 3700
"""The most periods one report holds (ten years of days)."""

_EARLIEST = datetime(1900, 1, 1, tzinfo=timezone.utc)
_LATEST = datetime(9000, 1, 1, tzinfo=timezone.utc)
_RELATIVE = re.compile(r"(\d{1,6})\s*([mhdw])", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


# ---------------------------------------------------------------------------------------
# Time


def parse_moment(value: str, now: datetime, tz: tzinfo, what: str) -> datetime:
    """``--since`` / ``--until``: an ISO 8601 time or date (without an offset: in ``tz``),
    or a span back from ``now``: ``90m``, ``12h``, ``7d``, ``2w``."""
    from .compose import parse_time

    text = value.strip()
    relative = _RELATIVE.fullmatch(text)
    if relative is not None:
        amount, unit = int(relative.group(1)), relative.group(2).lower()
        try:
            moment = now - timedelta(**{_UNITS[unit]: amount})
        except OverflowError:
            moment = _EARLIEST - timedelta(days=1)
    else:
        moment = parse_time(text, None, what)
        bare = text[:-1] if text.endswith(("Z", "z")) else text
        if not text.endswith(("Z", "z")) and datetime.fromisoformat(bare).tzinfo is None:
            moment = moment.replace(tzinfo=tz)
    check_range(moment, what, value)
    return moment.astimezone(timezone.utc)


def check_range(moment: datetime, what: str, shown: object) -> None:
    """A time a report can count from or to: years 1900 to 8999."""
    try:
        inside = _EARLIEST <= moment.astimezone(timezone.utc) < _LATEST
    except (OverflowError, ValueError):
        inside = False
    if not inside:
        raise UsageError(f"{what}: {shown!r} is out of range (years 1900 to 8999)")


def period_of(moment: datetime, by: str, tz: tzinfo) -> date:
    """The first local day of the period ``moment`` falls in (weeks start on Monday)."""
    day = moment.astimezone(tz).date()
    return day - timedelta(days=day.weekday()) if by == "week" else day


def _next(day: date, by: str) -> date:
    return day + timedelta(days=7 if by == "week" else 1)


def _midnight(day: date, tz: tzinfo) -> datetime:
    """Local midnight of ``day``, in UTC (where a clock change skips midnight, the first
    moment of the day)."""
    # In UTC: Python compares and subtracts two times of one zone by their clocks, which
    # a clock change makes wrong; a midnight that doesn't exist moves on to a real time.
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(timezone.utc)


def period_label(day: date, by: str) -> str:
    """``2026-11-23`` for a day, ``2026-W48`` for an ISO week."""
    if by == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return day.isoformat()


def default_since(until: datetime, by: str, tz: tzinfo) -> datetime:
    """The start of the report's first period when ``since`` isn't given: the period of
    the last moment before ``until``, and :data:`DEFAULT_SPAN` periods back in all."""
    last = period_of(until - timedelta(microseconds=1), by, tz)
    step = 7 if by == "week" else 1
    return _midnight(last - timedelta(days=step * (DEFAULT_SPAN[by] - 1)), tz)


def iso(moment: datetime) -> str:
    """ISO 8601 to the second; UTC as ``Z``."""
    text = moment.isoformat(timespec="seconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def local(moment: datetime, tz: tzinfo) -> str:
    """``2026-11-23 09:30``: a time as a person reads it, in the report's time zone."""
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def zone(name: str | None) -> tzinfo:
    """The time zone of ``--tz`` (an IANA name such as ``Europe/Helsinki``); None: UTC."""
    if name is None or name.strip().upper() in ("UTC", "Z"):
        return timezone.utc
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(name.strip())
    except (KeyError, ValueError, OSError, UnicodeError):  # ZoneInfoNotFoundError is a KeyError
        raise UsageError(
            f"--tz: {name!r} is not a known time zone (an IANA name such as"
            " Europe/Helsinki, Europe/Istanbul, Asia/Tehran or UTC)"
        ) from None


def zone_name(tz: tzinfo) -> str:
    return "UTC" if tz is timezone.utc else str(getattr(tz, "key", tz))


# ---------------------------------------------------------------------------------------
# Numbers


def median(values: Counter[int]) -> float | None:
    """The middle value of a multiset (the mean of the two middle ones for an even count)."""
    n = sum(values.values())
    if not n:
        return None
    low = _rank(values, (n + 1) // 2)
    high = _rank(values, n // 2 + 1)
    return (low + high) / 2


def nearest_rank(values: Counter[int], percent: float) -> float | None:
    """The nearest-rank percentile: the value at rank ceil(percent / 100 * n), sorted."""
    n = sum(values.values())
    if not n:
        return None
    return float(_rank(values, max(1, math.ceil(percent / 100 * n))))


def _rank(values: Counter[int], rank: int) -> int:
    """The ``rank``-th smallest value (1-based) of a multiset given as value -> count."""
    seen = 0
    for value in sorted(values):
        seen += values[value]
        if seen >= rank:
            return value
    raise ValueError(rank)


def _share(part: int, whole: int) -> float | None:
    """``part / whole`` to 4 decimals, never rounded up to 1 while one is missing (nor
    down to 0 while one is there)."""
    if not whole:
        return None
    share = round(part / whole, 4)
    if share == 1 and part < whole:
        return 0.9999
    if share == 0 and part > 0:
        return 0.0001
    return share


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


# ---------------------------------------------------------------------------------------
# Tallies


@dataclass
class Tally:
    """Counts for one period and group, built one comment at a time."""

    seen: int = 0
    replied: int = 0
    escalated: int = 0
    moderated: int = 0
    skipped: int = 0
    reviewed: int = 0
    within: int = 0
    late: int = 0
    overdue: int = 0
    open: int = 0
    waits: Counter[int] = field(default_factory=Counter)  # first-reply seconds -> replies
    incidents: IncidentTally | None = None

    def add(self, row: Seen, now: datetime) -> None:
        self.seen += 1
        action = row.action
        if action == "escalate":
            self.escalated += 1
        elif action == "moderate":
            self.moderated += 1
        elif action == "skip":
            self.skipped += 1
        elif action == "review":
            self.reviewed += 1
        sent = row.first_reply_at
        wait: float | None = None
        if sent is not None and sent <= now:
            self.replied += 1
            wait = max(0.0, (sent - row.received_at).total_seconds())
            self.waits[round(wait)] += 1
        if row.sla_minutes is None or action == "moderate":
            return
        allowed = row.sla_minutes * 60
        if wait is not None:
            if wait <= allowed:
                self.within += 1
            else:
                self.late += 1
        elif (now - row.received_at).total_seconds() > allowed:
            self.overdue += 1
        else:
            self.open += 1

    def merge(self, other: Tally) -> None:
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.waits.update(other.waits)
        if other.incidents is not None:
            if self.incidents is None:
                self.incidents = IncidentTally()
            self.incidents.merge(other.incidents)

    def stats(self) -> Stats:
        breached = self.late + self.overdue
        counted = self.within + breached
        return Stats(
            seen=self.seen,
            replied=self.replied,
            escalated=self.escalated,
            moderated=self.moderated,
            skipped=self.skipped,
            reviewed=self.reviewed,
            due=counted + self.open,
            within=self.within,
            breached=breached,
            late=self.late,
            overdue=self.overdue,
            open=self.open,
            share=_share(self.within, counted),
            median_minutes=_minutes(median(self.waits)),
            p90_minutes=_minutes(nearest_rank(self.waits, 90)),
            incidents=self.incidents.stats() if self.incidents is not None else None,
        )


_COUNTS = (
    "seen",
    "replied",
    "escalated",
    "moderated",
    "skipped",
    "reviewed",
    "within",
    "late",
    "overdue",
    "open",
)


@dataclass
class IncidentTally:
    """Incidents for one period (and playbook), one at a time."""

    opened: int = 0
    closed: int = 0
    durations: Counter[int] = field(default_factory=Counter)  # seconds to close -> incidents

    def add(self, span: IncidentSpan, now: datetime) -> None:
        self.opened += 1
        if span.closed_at is not None and span.closed_at <= now:
            self.closed += 1
            seconds = max(0.0, (span.closed_at - span.first_seen).total_seconds())
            self.durations[round(seconds)] += 1

    def merge(self, other: IncidentTally) -> None:
        self.opened += other.opened
        self.closed += other.closed
        self.durations.update(other.durations)

    def stats(self) -> IncidentStats:
        return IncidentStats(
            opened=self.opened,
            closed=self.closed,
            open=self.opened - self.closed,
            median_close_minutes=_minutes(median(self.durations)),
        )


# ---------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class IncidentStats:
    """Incidents opened in a period: how many, closed by ``now``, still open, and the
    median minutes from the first complaint to closing (None: none closed)."""

    opened: int
    closed: int
    open: int
    median_close_minutes: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "opened": self.opened,
            "closed": self.closed,
            "open": self.open,
            "median_close_minutes": self.median_close_minutes,
        }


@dataclass(frozen=True)
class Stats:
    """What a period and group add up to (see the module's docstring for each count)."""

    seen: int
    replied: int
    escalated: int
    moderated: int
    skipped: int
    reviewed: int
    due: int
    within: int
    breached: int
    late: int
    overdue: int
    open: int
    share: float | None
    median_minutes: float | None
    p90_minutes: float | None
    incidents: IncidentStats | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "seen": self.seen,
            "replied": self.replied,
            "escalated": self.escalated,
            "moderated": self.moderated,
            "skipped": self.skipped,
            "reviewed": self.reviewed,
            "sla": {
                "due": self.due,
                "within": self.within,
                "breached": self.breached,
                "late": self.late,
                "overdue": self.overdue,
                "open": self.open,
                "share": self.share,
            },
            "first_reply": {"median_minutes": self.median_minutes, "p90_minutes": self.p90_minutes},
            "incidents": self.incidents.to_dict() if self.incidents is not None else None,
        }


Key = tuple[str | None, ...]


@dataclass(frozen=True)
class Group:
    """One group's numbers: ``key`` holds a value per grouping (None: not recorded)."""

    key: Key
    stats: Stats


@dataclass(frozen=True)
class Period:
    """One day or week: its label, its bounds (local midnights, in UTC; ``start``
    inclusive, ``end`` exclusive), whether the report covers only part of it, the team's
    total and each group's numbers (every group of the report, in the same order in every
    period)."""

    label: str
    start: datetime
    end: datetime
    partial: bool
    total: Stats
    groups: tuple[Group, ...]


@dataclass(frozen=True)
class OpenIncident:
    """An incident still open at ``now`` (opened before ``until``, maybe before ``since``)."""

    id: int
    playbook: str
    label: str
    complaints: int
    first_seen: datetime
    open_minutes: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "playbook": self.playbook,
            "label": self.label,
            "complaints": self.complaints,
            "first_seen": iso(self.first_seen),
            "open_minutes": self.open_minutes,
        }


@dataclass(frozen=True)
class Report:
    """A whole report: its range [since, until) and ``now``, how it was cut (``by``,
    ``group``, ``playbook``), each period, the totals over the range and the incidents
    still open. ``zone`` is the time zone itself, ``tz`` its name."""

    since: datetime
    until: datetime
    now: datetime
    tz: str
    by: str
    group: tuple[str, ...]
    playbook: str | None
    periods: tuple[Period, ...]
    total: Stats
    groups: tuple[Group, ...]
    open_incidents: tuple[OpenIncident, ...]
    zone: tzinfo = timezone.utc

    def span_text(self) -> str:
        """``2026-11-17 00:00 to 2026-11-24 00:00 UTC, as of 2026-11-23 16:00``."""
        return (
            f"{local(self.since, self.zone)} to {local(self.until, self.zone)} {self.tz},"
            f" as of {local(self.now, self.zone)}"
        )

    def key_dict(self, key: Key) -> dict[str, str | None]:
        return dict(zip(self.group, key, strict=True))

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form (README, "Reports")."""

        def groups(items: Iterable[Group]) -> list[dict[str, Any]]:
            return [{"key": self.key_dict(g.key), **g.stats.to_dict()} for g in items]

        return {
            "since": iso(self.since),
            "until": iso(self.until),
            "now": iso(self.now),
            "tz": self.tz,
            "by": self.by,
            "group": list(self.group),
            "playbook": self.playbook,
            "periods": [
                {
                    "period": p.label,
                    "start": iso(p.start.astimezone(self.zone)),
                    "end": iso(p.end.astimezone(self.zone)),
                    "partial": p.partial,
                    "total": p.total.to_dict(),
                    "groups": groups(p.groups),
                }
                for p in self.periods
            ],
            "total": self.total.to_dict(),
            "groups": groups(self.groups),
            "open_incidents": [i.to_dict() for i in self.open_incidents],
        }


# ---------------------------------------------------------------------------------------
# Building


def _sort_key(key: Key) -> tuple[tuple[int, str], ...]:
    # Recorded values by name, then "not recorded" last.
    return tuple((1, "") if v is None else (0, v) for v in key)


def _keyer(group: Sequence[str]) -> Callable[[Any], Key]:
    """A row's group key, read by position (rows are named tuples)."""
    from .store import Seen

    where = [Seen._fields.index(name) for name in group]
    if not where:
        return lambda row: ()
    if len(where) == 1:
        (only,) = where
        return lambda row: (row[only],)
    return lambda row: tuple(row[i] for i in where)


def build(
    seen: Iterable[Seen],
    spans: Iterable[IncidentSpan],
    *,
    since: datetime,
    until: datetime,
    now: datetime,
    by: str = "day",
    group: Sequence[str] = (),
    tz: tzinfo = timezone.utc,
    playbook: str | None = None,
) -> Report:
    """The report of the comments in ``seen`` and incidents in ``spans`` received (opened)
    in [since, until), per period (``by``: day or week, in ``tz``) and ``group``, as of
    ``now``. Rows outside the range are left out of the periods; ``spans`` may reach back
    before ``since``, for the incidents still open."""
    group = tuple(group)
    since, until, now = (t.astimezone(timezone.utc) for t in (since, until, now))
    if by not in PERIODS:
        raise UsageError(f"by must be one of {', '.join(PERIODS)}, not {by!r}")
    for name in group:
        if name not in GROUPS:
            raise UsageError(f"unknown group {name!r}; groups: {', '.join(GROUPS)}")
    if len(set(group)) != len(group):
        raise UsageError("each group may be named once")
    if not since < until:
        raise UsageError("--since must be before --until")
    first = period_of(since, by, tz)
    last = period_of(until - timedelta(microseconds=1), by, tz)
    count = (last - first).days // (7 if by == "week" else 1) + 1
    if count > MAX_PERIODS:
        raise UsageError(
            f"{count:,} {by}s from --since to --until: a report holds at most"
            f" {MAX_PERIODS:,} periods (use --by week or a shorter range)"
        )
    cells: dict[tuple[date, Key], Tally] = {}
    key_of = _keyer(group)
    # Rows come oldest first: the period of the last one is most often the next one's.
    day, start, end = first, _midnight(first, tz), _midnight(_next(first, by), tz)
    for row in seen:
        received = row.received_at
        if not since <= received < until:
            continue
        if playbook is not None and row.playbook != playbook:
            continue
        if not start <= received < end:
            day = period_of(received, by, tz)
            start, end = _midnight(day, tz), _midnight(_next(day, by), tz)
        where = (day, key_of(row))
        cell = cells.get(where)
        if cell is None:
            cell = cells[where] = Tally()
        cell.add(row, now)
    # An incident knows its playbook only: it joins a group made of the playbook alone,
    # else only the period's total (key None).
    by_playbook = group == ("playbook",)
    incidents: dict[tuple[date, Key | None], IncidentTally] = {}
    still_open: list[OpenIncident] = []
    for span in spans:
        if playbook is not None and span.playbook != playbook:
            continue
        if span.first_seen >= until or span.first_seen > now:
            continue
        if span.closed_at is None or span.closed_at > now:
            minutes = round((now - span.first_seen).total_seconds() / 60, 1)
            still_open.append(
                OpenIncident(
                    span.id, span.playbook, span.label, span.complaints, span.first_seen, minutes
                )
            )
        if span.first_seen < since:
            continue
        key: Key | None = (span.playbook,) if by_playbook else None
        where_incident = (period_of(span.first_seen, by, tz), key)
        tally = incidents.get(where_incident)
        if tally is None:
            tally = incidents[where_incident] = IncidentTally()
        tally.add(span, now)
    keys = {key for _, key in cells}
    keys.update(key for _, key in incidents if key is not None)
    ordered = sorted(keys, key=_sort_key) if group else []
    periods = []
    overall = Tally(incidents=IncidentTally())
    per_group = {key: Tally(incidents=IncidentTally() if by_playbook else None) for key in ordered}
    day = first
    while day <= last:
        total = Tally(incidents=IncidentTally())
        rows = []
        for key in ordered if group else [()]:
            cell = cells.get((day, key)) or Tally()
            if by_playbook:
                cell.incidents = incidents.get((day, key)) or IncidentTally()
            total.merge(cell)
            if group:
                per_group[key].merge(cell)
                rows.append(Group(key, cell.stats()))
        loose = incidents.get((day, None))
        if loose is not None:
            assert total.incidents is not None
            total.incidents.merge(loose)
        overall.merge(total)
        start, end = _midnight(day, tz), _midnight(_next(day, by), tz)
        periods.append(
            Period(
                period_label(day, by),
                start,
                end,
                start < since or end > until,
                total.stats(),
                tuple(rows),
            )
        )
        day = _next(day, by)
    return Report(
        since=since,
        until=until,
        now=now,
        tz=zone_name(tz),
        by=by,
        group=group,
        playbook=playbook,
        periods=tuple(periods),
        total=overall.stats(),
        groups=tuple(Group(key, per_group[key].stats()) for key in ordered),
        open_incidents=tuple(sorted(still_open, key=lambda i: (i.first_seen, i.id))),
        zone=tz,
    )
