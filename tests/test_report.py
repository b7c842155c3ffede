"""The report's core: store rows in, numbers out (hand-computed)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from replybook.errors import UsageError
from replybook.report import (
    Tally,
    build,
    default_since,
    median,
    nearest_rank,
    parse_moment,
    period_label,
    period_of,
    zone,
)
from replybook.store import IncidentSpan, Seen

UTC = timezone.utc
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def at(day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def seen(
    received: datetime,
    reply_after: float | None = None,
    *,
    sla: int | None = 60,
    action: str = "reply",
    channel: str | None = "x",
    agent: str | None = "mia",
    playbook: str = "acme",
    intent: str = "complaint",
) -> Seen:
    sent = received + timedelta(minutes=reply_after) if reply_after is not None else None
    return Seen(received, playbook, channel, agent, intent, action, sla, sent)


def span(
    ident: int, first: datetime, closed: datetime | None = None, playbook: str = "acme"
) -> IncidentSpan:
    status = "closed" if closed is not None else "open"
    return IncidentSpan(ident, playbook, f"topic {ident}", status, 3, first, closed)


def report(rows, spans=(), **options):
    options.setdefault("since", at(23, 0))
    options.setdefault("until", at(27, 0))
    options.setdefault("now", NOW)
    return build(rows, spans, **options)


# -- percentiles ------------------------------------------------------------------------


def test_median_is_the_middle_value_or_the_mean_of_the_two_middle_ones():
    assert median(Counter([5])) == 5
    assert median(Counter([1, 2, 3, 4])) == 2.5
    assert median(Counter([1, 9, 2])) == 2
    assert median(Counter({10: 3, 40: 1})) == 10  # 10 10 10 40
    assert median(Counter({10: 2, 40: 2})) == 25  # 10 10 40 40
    assert median(Counter()) is None


def test_p90_is_the_nearest_rank():
    # rank ceil(0.9 * n): n = 10 -> the 9th, n = 11 -> the 10th, n = 4 -> the 4th.
    assert nearest_rank(Counter(range(1, 11)), 90) == 9
    assert nearest_rank(Counter(range(1, 12)), 90) == 10
    assert nearest_rank(Counter([1, 2, 3, 4]), 90) == 4
    assert nearest_rank(Counter([7]), 90) == 7
    assert nearest_rank(Counter({1: 9, 100: 1}), 90) == 1
    assert nearest_rank(Counter({1: 8, 100: 2}), 90) == 100
    assert nearest_rank(Counter(), 90) is None


# -- one comment at a time --------------------------------------------------------------


def tally(*rows: Seen, now: datetime = NOW):
    t = Tally()
    for row in rows:
        t.add(row, now)
    return t.stats()


def test_a_reply_at_the_due_time_is_within_and_a_minute_later_is_late():
    s = tally(seen(at(23), 60), seen(at(23), 61))
    assert (s.due, s.within, s.late, s.overdue, s.open) == (2, 1, 1, 0, 0)
    assert s.breached == 1 and s.share == 0.5


def test_unreplied_is_overdue_past_its_due_time_and_open_before_it():
    # Due at 10:00: at 10:00 it is still open, a second later overdue.
    row = seen(at(26, 9))
    assert tally(row, now=at(26, 10)).open == 1
    assert tally(row, now=at(26, 10) + timedelta(seconds=1)).overdue == 1


def test_open_comments_are_left_out_of_the_share():
    rows = (seen(at(26, 11, 30)), seen(at(23), 10), seen(at(23), 90), seen(at(23)))
    s = tally(*rows)
    assert (s.due, s.within, s.late, s.overdue, s.open) == (4, 1, 1, 1, 1)
    assert s.share == round(1 / 3, 4)


def test_a_reply_after_now_has_not_been_sent_yet():
    s = tally(seen(at(26, 11), 120))  # sent at 13:00, the report is as of 12:00
    assert (s.replied, s.open, s.median_minutes) == (0, 1, None)


def test_a_share_with_one_miss_in_many_is_never_shown_as_all():
    t = Tally(within=19999, late=1)
    assert t.stats().share == 0.9999
    assert Tally(within=1, overdue=19999).stats().share == 0.0001
    assert Tally(within=2, late=1).stats().share == 0.6667


def test_moderated_and_skipped_comments_are_not_due():
    s = tally(
        seen(at(23), action="moderate"),
        seen(at(23), sla=None, action="skip"),
        seen(at(23), 5, action="escalate", sla=30),
        seen(at(23), sla=240, action="review"),
    )
    assert (s.seen, s.moderated, s.skipped, s.escalated, s.reviewed) == (4, 1, 1, 1, 1)
    assert (s.due, s.within, s.overdue) == (2, 1, 1)


def test_comments_without_an_sla_count_as_seen_and_replied_only():
    s = tally(seen(at(23), 30, sla=None))
    assert (s.seen, s.replied, s.due, s.share) == (1, 1, 0, None)
    assert s.median_minutes == 30.0


def test_first_reply_minutes_median_and_p90():
    waits = (10, 20, 30, 40, 50, 60, 70, 80, 90, 600)
    s = tally(*(seen(at(23), w, sla=None) for w in waits))
    assert s.median_minutes == 55.0
    assert s.p90_minutes == 90.0


def test_a_reply_recorded_before_its_comment_waited_no_time():
    s = tally(seen(at(23), -5))
    assert (s.within, s.median_minutes) == (1, 0.0)


def test_seconds_are_kept_in_the_minutes():
    s = tally(seen(at(23), 1.5, sla=None), seen(at(23), 2.25, sla=None))
    assert s.median_minutes == round((90 + 135) / 2 / 60, 1)


# -- periods and groups -----------------------------------------------------------------


def test_days_are_every_day_of_the_range_with_zeros_where_nothing_came():
    r = report([seen(at(24), 10)])
    assert [p.label for p in r.periods] == ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26"]
    assert [p.total.seen for p in r.periods] == [0, 1, 0, 0]
    assert r.total.seen == 1 and r.total.within == 1


def test_iso_weeks_start_on_monday():
    sunday_late = datetime(2026, 11, 29, 23, 59, 59, tzinfo=UTC)
    monday = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
    assert period_of(sunday_late, "week", UTC).isoformat() == "2026-11-23"
    assert period_of(monday, "week", UTC).isoformat() == "2026-11-30"
    assert period_label(period_of(monday, "week", UTC), "week") == "2026-W49"
    # ISO week-numbering years: 2027-01-01 (a Friday) is in week 53 of 2026.
    new_year = datetime(2027, 1, 1, tzinfo=UTC)
    assert period_label(period_of(new_year, "week", UTC), "week") == "2026-W53"
    r = report(
        [seen(sunday_late, 5), seen(monday, 5), seen(monday, 90)],
        since=at(16, 0),
        until=datetime(2026, 12, 7, tzinfo=UTC),
        by="week",
        now=datetime(2026, 12, 7, tzinfo=UTC),
    )
    assert [(p.label, p.total.seen, p.total.within) for p in r.periods] == [
        ("2026-W47", 0, 0),
        ("2026-W48", 1, 1),
        ("2026-W49", 2, 1),
    ]
    assert r.periods[1].start == at(23, 0) and r.periods[1].end == at(30, 0)


def test_a_time_zone_moves_the_day_boundary():
    helsinki = ZoneInfo("Europe/Helsinki")  # UTC+2 in November
    late = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)  # 00:30 on the 24th in Helsinki
    assert period_of(late, "day", UTC).isoformat() == "2026-11-23"
    assert period_of(late, "day", helsinki).isoformat() == "2026-11-24"
    r = report([seen(late, 5)], since=at(23, 0), until=at(25, 0), tz=helsinki)
    assert [(p.label, p.total.seen) for p in r.periods] == [
        ("2026-11-23", 0),
        ("2026-11-24", 1),
        ("2026-11-25", 0),
    ]
    # Periods are local days: the first starts at local midnight, before ``since``.
    assert r.periods[0].start == datetime(2026, 11, 22, 22, tzinfo=UTC)
    assert r.periods[0].partial and r.periods[-1].partial
    data = r.to_dict()
    assert data["tz"] == "Europe/Helsinki"
    assert data["periods"][0]["start"] == "2026-11-23T00:00:00+02:00"
    assert data["periods"][0]["end"] == "2026-11-24T00:00:00+02:00"


def test_a_day_with_a_clock_change_is_23_hours_long():
    helsinki = ZoneInfo("Europe/Helsinki")
    since = datetime(2026, 3, 29, tzinfo=helsinki)
    r = report([], since=since, until=since + timedelta(days=1), tz=helsinki, now=NOW)
    (day,) = r.periods
    assert day.label == "2026-03-29"
    assert day.end - day.start == timedelta(hours=23)


def test_groups_are_the_same_in_every_period_named_values_first():
    rows = [
        seen(at(23), 10, channel="x", agent="mia"),
        seen(at(23), 90, channel="facebook", agent=None),
        seen(at(24), 20, channel="x", agent="ali"),
        seen(at(24), 30, channel="x", agent="mia"),
    ]
    r = report(rows, group=("channel", "agent"))
    keys = [g.key for g in r.groups]
    assert keys == [("facebook", None), ("x", "ali"), ("x", "mia")]
    for period in r.periods:
        assert [g.key for g in period.groups] == keys
    day = {g.key: g.stats for g in r.periods[0].groups}
    assert (day[("x", "mia")].within, day[("facebook", None)].late) == (1, 1)
    assert day[("x", "ali")].seen == 0
    total = {g.key: g.stats for g in r.groups}
    assert total[("x", "mia")].seen == 2 and total[("x", "mia")].median_minutes == 20.0
    assert r.total.seen == 4 and r.total.share == 0.75
    assert r.to_dict()["groups"][0]["key"] == {"channel": "facebook", "agent": None}


def test_rows_outside_the_range_or_another_playbook_are_left_out():
    rows = [
        seen(at(22, 23, 59), 5),
        seen(at(23), 5),
        seen(at(23), 5, playbook="other"),
        seen(at(27), 5),
    ]
    r = report(rows, playbook="acme")
    assert r.total.seen == 1


# -- incidents --------------------------------------------------------------------------


def test_incidents_count_in_the_period_they_opened():
    spans = [
        span(1, at(20), at(21)),  # before the range, closed: nowhere
        span(2, at(21)),  # before the range, open: only in the open list
        span(3, at(23, 9), at(23, 12)),  # 3 hours
        span(4, at(23, 10), at(24, 10)),  # 24 hours
        span(5, at(24, 8)),
        span(6, at(25, 8), at(26, 18)),  # closed after now: still open then
    ]
    r = report([], spans)
    days = [p.total.incidents for p in r.periods]
    assert [(d.opened, d.closed, d.open) for d in days] == [
        (2, 2, 0),
        (1, 0, 1),
        (1, 0, 1),
        (0, 0, 0),
    ]
    assert days[0].median_close_minutes == round((180 + 1440) / 2, 1)
    assert r.total.incidents.opened == 4 and r.total.incidents.median_close_minutes == 810.0
    assert [i.id for i in r.open_incidents] == [2, 5, 6]
    assert r.open_incidents[0].open_minutes == 5 * 24 * 60 + 3 * 60


def test_incidents_join_playbook_groups_only():
    spans = [span(1, at(23), playbook="acme"), span(2, at(23), playbook="zeta")]
    by_book = report([seen(at(23), 5)], spans, group=("playbook",))
    assert [g.key for g in by_book.groups] == [("acme",), ("zeta",)]
    assert [g.stats.incidents.opened for g in by_book.periods[0].groups] == [1, 1]
    assert by_book.periods[0].total.incidents.opened == 2
    by_channel = report([seen(at(23), 5)], spans, group=("channel",))
    assert by_channel.periods[0].groups[0].stats.incidents is None
    assert by_channel.periods[0].total.incidents.opened == 2


# -- the range --------------------------------------------------------------------------


def test_the_default_range_is_seven_days_or_four_weeks_with_the_current_one():
    assert default_since(NOW, "day", UTC) == at(20, 0)
    assert default_since(NOW, "week", UTC) == datetime(2026, 11, 2, tzinfo=UTC)
    assert len(report([], since=default_since(NOW, "day", UTC), until=NOW).periods) == 7
    # Until midnight exactly: the day it ends is not in it.
    assert default_since(at(27, 0), "day", UTC) == at(20, 0)
    assert default_since(at(27, 0, 1), "day", UTC) == at(21, 0)


def test_since_and_until_read_iso_dates_and_spans_back_from_now():
    helsinki = zone("Europe/Helsinki")
    assert parse_moment("7d", NOW, UTC, "--since") == NOW - timedelta(days=7)
    assert parse_moment("2w", NOW, UTC, "--since") == NOW - timedelta(weeks=2)
    assert parse_moment("12h", NOW, UTC, "--since") == at(26, 0)
    assert parse_moment("2026-11-23", NOW, UTC, "--since") == at(23, 0)
    assert parse_moment("2026-11-23", NOW, helsinki, "--since") == at(22, 22)
    assert parse_moment("2026-11-23T09:00:00Z", NOW, helsinki, "--since") == at(23, 9)
    assert parse_moment("2026-11-23T11:00+02:00", NOW, UTC, "--since") == at(23, 9)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("last week", "--since: 'last week' is not an ISO 8601 time (e.g. 2026-11-23T09:30:00Z)"),
        ("0200-01-01", "--since: '0200-01-01' is out of range (years 1900 to 8999)"),
        ("999999w", "--since: '999999w' is out of range (years 1900 to 8999)"),
    ],
)
def test_a_bad_time_is_one_clear_error(value, message):
    with pytest.raises(UsageError) as info:
        parse_moment(value, NOW, UTC, "--since")
    assert str(info.value) == message


def test_a_bad_time_zone_or_range_is_one_clear_error():
    with pytest.raises(UsageError, match="not a known time zone"):
        zone("Mars/Olympus")
    with pytest.raises(UsageError, match="not a known time zone"):
        zone("../../etc/passwd")
    with pytest.raises(UsageError, match="--since must be before --until"):
        report([], since=at(25), until=at(25))
    with pytest.raises(UsageError, match="at most 3,700 periods"):
        report([], since=datetime(1901, 1, 1, tzinfo=UTC), until=NOW)


def test_the_json_form_has_the_documented_fields():
    r = report([seen(at(23), 10)], [span(1, at(23))], group=("agent",)).to_dict()
    assert list(r) == [
        "since",
        "until",
        "now",
        "tz",
        "by",
        "group",
        "playbook",
        "periods",
        "total",
        "groups",
        "open_incidents",
    ]
    assert list(r["periods"][0]) == ["period", "start", "end", "partial", "total", "groups"]
    stats = r["total"]
    assert list(stats) == [
        "seen",
        "replied",
        "escalated",
        "moderated",
        "skipped",
        "reviewed",
        "sla",
        "first_reply",
        "incidents",
    ]
    assert list(stats["sla"]) == ["due", "within", "breached", "late", "overdue", "open", "share"]
    assert stats["first_reply"] == {"median_minutes": 10.0, "p90_minutes": 10.0}
    assert stats["incidents"] == {"opened": 1, "closed": 0, "open": 1, "median_close_minutes": None}
    assert r["open_incidents"] == [
        {
            "id": 1,
            "playbook": "acme",
            "label": "topic 1",
            "complaints": 3,
            "first_seen": "2026-11-23T09:00:00Z",
            "open_minutes": 4500.0,
        }
    ]


def test_rows_in_any_order_give_the_same_report():
    helsinki = ZoneInfo("Europe/Helsinki")
    rows = [
        seen(at(day, hour), wait, agent=agent)
        for day in (23, 24, 25)
        for hour, wait, agent in ((0, 10, "mia"), (21, 70, "ali"), (22, 30, None), (23, 5, "mia"))
    ]
    options = {"group": ("agent",), "tz": helsinki}
    assert report(rows[::-1], **options) == report(rows, **options)
    days = [p.total.seen for p in report(rows, **options).periods]
    # 22:00 and 23:00 UTC are the next day in Helsinki; until (27th 00:00 UTC) is 02:00
    # there, so the 27th is a period too, empty.
    assert days == [2, 4, 4, 2, 0]
