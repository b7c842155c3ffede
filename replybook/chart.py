"""The share of first replies within SLA over time, as an SVG line chart: one line for the
team and one per group (the busiest few), with axes, labels, a legend and a tooltip on
each point. Pure: a :class:`~replybook.report.Report` in, SVG text out.

Every text from the store (agent names, channels, labels) is escaped for XML, and
characters XML can't hold at all (control characters, lone surrogates) are shown as
placeholders first, so the file is always well-formed.
"""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape

from .output import safe

MAX_LINES = 8
"""The most groups drawn beside the team's line: those with the most comments due."""

# Okabe-Ito: told apart with every common colour-vision deficiency, with dashes for more.
_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#999999")
_DASHES = ("", "6 3", "2 3", "8 3 2 3")
_TEAM = "#000000"

_WIDTH, _HEIGHT = 960, 480
_LEFT, _RIGHT, _TOP, _BOTTOM = 80, 260, 70, 90
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_QUOTES = {'"': "&quot;", "'": "&apos;"}


def xml_text(value: object, limit: int | None = None) -> str:
    """``value`` as XML character data or an attribute's value: one line, control
    characters as placeholders, what XML can't hold as U+FFFD, markup escaped; cut to
    ``limit`` characters (before escaping)."""
    text = _NOT_XML.sub("\ufffd", safe(value, one_line=True))
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return escape(text, _QUOTES)


def _label(key: tuple[str | None, ...]) -> str:
    return " / ".join("-" if v is None else v for v in key)


def _percent(share: float) -> str:
    value = round(share * 100)
    if value == 100 and share < 1:
        value = 99
    elif value == 0 and share > 0:
        value = 1
    return f"{value}%"


def report_svg(report: Any) -> str:
    """The chart of ``report`` (a :class:`replybook.report.Report`) as an SVG document."""
    periods = report.periods
    plot_w = _WIDTH - _LEFT - _RIGHT
    plot_h = _HEIGHT - _TOP - _BOTTOM
    step = plot_w / max(len(periods) - 1, 1)

    def x(index: int) -> float:
        return _LEFT + (index * step if len(periods) > 1 else plot_w / 2)

    def y(share: float) -> float:
        return _TOP + plot_h * (1 - share)

    scope = f"playbook {report.playbook}" if report.playbook else "all playbooks"
    title = f"Share of first replies within SLA, by {report.by}"
    subtitle = f"{report.span_text()}; {scope}"
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{_HEIGHT}"'
        f' viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" font-family="sans-serif" font-size="12">',
        f"<title>{xml_text(title)}</title>",
        f"<desc>{xml_text(subtitle)}</desc>",
        f'<rect width="{_WIDTH}" height="{_HEIGHT}" fill="#ffffff"/>',
        f'<text x="{_LEFT}" y="28" font-size="16" font-weight="bold">{xml_text(title)}</text>',
        f'<text x="{_LEFT}" y="48" fill="#555555">{xml_text(subtitle)}</text>',
    ]
    # The y axis: 0 to 100%, a grid line every 20%.
    for tick in range(0, 101, 20):
        ty = y(tick / 100)
        out.append(
            f'<line x1="{_LEFT}" y1="{ty:.1f}" x2="{_LEFT + plot_w}" y2="{ty:.1f}"'
            f' stroke="{"#888888" if tick == 0 else "#e3e3e3"}"/>'
        )
        out.append(f'<text x="{_LEFT - 8}" y="{ty + 4:.1f}" text-anchor="end">{tick}%</text>')
    out.append(
        f'<text x="16" y="{_TOP + plot_h / 2:.1f}" text-anchor="middle"'
        f' transform="rotate(-90 16 {_TOP + plot_h / 2:.1f})">within SLA</text>'
    )
    # The x axis: a label per period, at most about 12 of them.
    every = max(1, -(-len(periods) // 12))
    base = _TOP + plot_h
    for index, period in enumerate(periods):
        px = x(index)
        out.append(
            f'<line x1="{px:.1f}" y1="{base}" x2="{px:.1f}" y2="{base + 4}" stroke="#888888"/>'
        )
        if index % every == 0:
            out.append(
                f'<text x="{px:.1f}" y="{base + 16}" text-anchor="end"'
                f' transform="rotate(-35 {px:.1f} {base + 16})">{xml_text(period.label)}</text>'
            )
    # The lines: the team's, then the busiest groups'.
    series: list[tuple[str, str, str, float, list[Any], float | None]] = []
    series.append(("all", _TEAM, "", 3.0, [p.total for p in periods], report.total.share))
    ranked = sorted(
        range(len(report.groups)),
        key=lambda i: (-report.groups[i].stats.due, i),
    )
    shown = [i for i in ranked if report.groups[i].stats.due][:MAX_LINES]
    for n, index in enumerate(sorted(shown)):
        group = report.groups[index]
        colour = _COLOURS[n % len(_COLOURS)]
        dash = _DASHES[(n // len(_COLOURS)) % len(_DASHES)]
        stats = [p.groups[index].stats for p in periods]
        series.append((_label(group.key), colour, dash, 2.0, stats, group.stats.share))
    drawn = False
    # The team's line last, on top of the groups'.
    for name, colour, dash, width, stats, _ in series[1:] + series[:1]:
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        run: list[str] = []
        runs: list[list[str]] = []
        for index, s in enumerate(stats):
            if s.share is None:
                if run:
                    runs.append(run)
                run = []
                continue
            run.append(f"{x(index):.1f},{y(s.share):.1f}")
        if run:
            runs.append(run)
        out.append(f'<g fill="none" stroke="{colour}" stroke-width="{width}"{dashes}>')
        for points in runs:
            if len(points) > 1:
                out.append(f'<polyline points="{" ".join(points)}"/>')
        out.append("</g>")
        out.append(f'<g fill="{colour}">')
        for index, s in enumerate(stats):
            if s.share is None:
                continue
            drawn = True
            tip = (
                f"{name}, {periods[index].label}: {_percent(s.share)} within SLA"
                f" ({s.within} of {s.within + s.breached})"
            )
            out.append(
                f'<circle cx="{x(index):.1f}" cy="{y(s.share):.1f}" r="3.5">'
                f"<title>{xml_text(tip)}</title></circle>"
            )
        out.append("</g>")
    if not drawn:
        out.append(
            f'<text x="{_LEFT + plot_w / 2:.1f}" y="{_TOP + plot_h / 2:.1f}"'
            ' text-anchor="middle" fill="#555555">no first reply was due in this range</text>'
        )
    # The legend: each line's name and its share over the whole range.
    lx = _LEFT + plot_w + 24
    out.append(
        f'<text x="{lx}" y="{_TOP}" font-weight="bold">{xml_text(_legend_head(report))}</text>'
    )
    for n, (name, colour, dash, width, _, share) in enumerate(series):
        ly = _TOP + 22 + n * 20
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        overall = "-" if share is None else _percent(share)
        out.append(
            f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 24}" y2="{ly - 4}" stroke="{colour}"'
            f' stroke-width="{width}"{dashes}/>'
        )
        out.append(f'<text x="{lx + 30}" y="{ly}">{xml_text(name, 18)}</text>')
        out.append(f'<text x="{_WIDTH - 12}" y="{ly}" text-anchor="end">{overall}</text>')
    hidden = sum(1 for g in report.groups if g.stats.due) - len(shown)
    if hidden > 0:
        ly = _TOP + 22 + len(series) * 20
        more = f"{hidden} more not drawn"
        out.append(f'<text x="{lx}" y="{ly}" fill="#555555">{xml_text(more)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _legend_head(report: Any) -> str:
    return " / ".join(report.group) if report.group else "team"
