"""The only module that prints. Rich for a terminal; plain text and JSON for scripts.

Rich is imported only when a terminal will see it: scripts piping JSON never pay for it.
"""

from __future__ import annotations

import json
import os
import sys
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import datetime

    from .batch import QueueItem
    from .compose import Draft
    from .linter import Finding
    from .selftest import Report
    from .store import Incident


def is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def use_color(stream: IO[str]) -> bool:
    """Colour only on a terminal, never with NO_COLOR set."""
    return is_terminal(stream) and not os.environ.get("NO_COLOR")


def write_json(data: Any, stream: IO[str] | None = None) -> None:
    """One JSON object on one line, UTF-8 as is (not escaped)."""
    out = stream or sys.stdout
    out.write(json.dumps(data, ensure_ascii=False) + "\n")


def draft_text(draft: Draft) -> str:
    """The plain-text form of a draft: what a pipe or a file gets."""
    lines = [f"{draft.intent} → {draft.action}"]
    if draft.public_reply:
        lines += ["", "Public reply:", draft.public_reply]
    if draft.private_reply:
        lines += ["", "Private follow-up:", draft.private_reply]
    lines += ["", "Note:", draft.note]
    if draft.lint:
        lines += ["", "Lint:"]
        lines += [f"  {f.level}: {f.rule}: {f.message}" for f in draft.lint]
    return "\n".join(lines) + "\n"


def print_draft(draft: Draft, fmt: str, stream: IO[str] | None = None) -> None:
    out = stream or sys.stdout
    if fmt == "json":
        write_json(draft.to_dict(), out)
        return
    if not is_terminal(out):
        out.write(draft_text(draft))
        return
    _rich_draft(draft, out)


_ACTION_STYLE = {
    "reply": "green",
    "escalate": "bold red",
    "moderate": "yellow",
    "skip": "dim",
    "review": "magenta",
}


def _rich_draft(draft: Draft, out: IO[str]) -> None:
    from rich.console import Console, Group
    from rich.panel import Panel
    from rich.text import Text

    console = Console(file=out, no_color=not use_color(out), highlight=False)
    style = _ACTION_STYLE.get(draft.action, "")
    title = Text.assemble((draft.intent, "bold"), " → ", (draft.action.upper(), style))
    parts: list[Any] = []
    if draft.public_reply:
        parts += [Text("Public reply", style="bold"), Text(draft.public_reply), Text("")]
        parts.append(Text(f"{len(draft.public_reply)} characters", style="dim"))
        parts.append(Text(""))
    if draft.private_reply:
        parts += [Text("Private follow-up", style="bold"), Text(draft.private_reply), Text("")]
    parts += [Text("Note", style="bold"), Text(draft.note, style="dim")]
    if draft.lint:
        parts += [Text(""), Text("Lint", style="bold")]
        for f in draft.lint:
            parts.append(Text(f"{f.level}: {f.rule}: {f.message}", style=_LEVEL_STYLE[f.level]))
    panel = Panel(Group(*parts), title=title, title_align="left", border_style=style or "none")
    console.print(panel)


# ---------------------------------------------------------------------------------------
# lint


_LEVEL_STYLE = {"error": "bold red", "warning": "yellow", "suggestion": "cyan"}
_GITHUB = {"error": "error", "warning": "warning", "suggestion": "notice"}


def _github_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def _summary(totals: dict[str, int]) -> str:
    problems = sum(totals.values())
    if not problems:
        return "No problems."
    parts = ", ".join(
        f"{totals[k]} {k}{'s' if totals[k] != 1 else ''}" for k in totals if totals[k]
    )
    return f"{problems} problem{'s' if problems != 1 else ''} ({parts})"


def print_lint(
    results: list[tuple[str, list[Finding]]], fmt: str, stream: IO[str] | None = None
) -> None:
    """Findings per file in one of the formats: text, json, line, github."""
    out = stream or sys.stdout
    if fmt == "json":
        from .linter import counts

        every = [f for _, found in results for f in found]
        write_json(
            {
                "files": [
                    {"path": path, "findings": [f.to_dict() for f in found]}
                    for path, found in results
                ],
                "counts": counts(every),
            },
            out,
        )
        return
    if fmt == "line":
        for path, found in results:
            for f in found:
                out.write(f"{path}:{f.line}:{f.column}:{f.level}:{f.rule}:{f.message}\n")
        return
    if fmt == "github":
        for path, found in results:
            for f in found:
                props = f"file={_github_escape(path, True)},line={f.line},col={f.column}"
                props += f",title={_github_escape(f.rule, True)}"
                out.write(f"::{_GITHUB[f.level]} {props}::{_github_escape(f.message)}\n")
        return
    if is_terminal(out):
        _rich_lint(results, out)
        return
    from .linter import counts

    for path, found in results:
        if not found:
            continue
        out.write(f"{path}\n")
        for f in found:
            where = f"{f.line}:{f.column}"
            out.write(f"  {where:<7} {f.level:<10} {f.rule:<34} {f.message}\n")
    every = [f for _, found in results for f in found]
    out.write(_summary(counts(every)) + "\n")


def _rich_lint(results: list[tuple[str, list[Finding]]], out: IO[str]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from .linter import counts

    console = Console(file=out, no_color=not use_color(out), highlight=False)
    for path, found in results:
        if not found:
            continue
        console.print(Text(path, style="bold underline"))
        table = Table(show_header=False, box=None, padding=(0, 1))
        for f in found:
            table.add_row(
                Text(f"{f.line}:{f.column}", style="dim"),
                Text(f.level, style=_LEVEL_STYLE[f.level]),
                Text(f.rule, style="bold"),
                Text(f.message),
            )
            table.add_row("", "", "", Text(f.why, style="dim"))
        console.print(table)
    every = [f for _, found in results for f in found]
    totals = counts(every)
    style = "bold red" if totals["error"] else ("yellow" if totals["warning"] else "green")
    console.print(Text(_summary(totals), style=style))


# ---------------------------------------------------------------------------------------
# test


def print_report(
    name: str, report: Report, fmt: str, stream: IO[str] | None = None, coverage: bool = False
) -> None:
    """A playbook's self-test; ``coverage`` adds a table of each rule's languages."""
    out = stream or sys.stdout
    if fmt == "json":
        data = report.to_dict()
        if not coverage:
            data.pop("coverage", None)
        write_json({"playbook": name, **data}, out)
        return
    head = (
        f"{name}: {report.rules} rules, {report.examples} examples, {report.drafts} drafts linted"
    )
    out.write(
        f"{head}: ok\n" if not report.failures else f"{head}: {len(report.failures)} failed\n"
    )
    for failure in report.failures:
        out.write(f"  {failure.where}: {failure.problem}\n")
    for warning in report.warnings:
        out.write(f"  warning: {warning.where}: {warning.problem}\n")
    if coverage and report.coverage:
        languages = sorted({lang for _, langs in report.coverage for lang in langs})
        width = max(len(rule) for rule, _ in report.coverage)
        out.write(f"{'rule':<{width}}  {'  '.join(languages)}\n")
        for rule, langs in report.coverage:
            marks = "  ".join(("✓" if x in langs else "-").center(len(x)) for x in languages)
            out.write(f"{rule:<{width}}  {marks}\n")


# ---------------------------------------------------------------------------------------
# incidents and triage


def print_incidents(incidents: list[Incident], fmt: str, stream: IO[str] | None = None) -> None:
    out = stream or sys.stdout
    if fmt == "json":
        write_json({"incidents": [i.to_dict() for i in incidents]}, out)
        return
    if not incidents:
        out.write("No open incidents.\n")
        return
    for i in incidents:
        out.write(
            f"#{i.id:<4} {i.status:<6} {i.count:>4} complaints  {i.label:<24} "
            f"first {i.first_seen}  last {i.last_seen}  ({i.playbook})\n"
        )


def _relative(due: str | None, now: datetime) -> tuple[str, bool]:
    if due is None:
        return "-", False
    from .compose import parse_time

    minutes = int((parse_time(due, None) - now).total_seconds() // 60)
    if minutes < 0:
        return f"overdue {_span(-minutes)}", True
    return f"in {_span(minutes)}", False


def _span(minutes: int) -> str:
    if minutes < 60:
        return f"{minutes}m"
    if minutes < 48 * 60:
        return f"{minutes // 60}h{minutes % 60:02d}m"
    return f"{minutes // 1440}d"


def print_triage(
    queue: list[QueueItem],
    errors: list[dict[str, Any]],
    now: datetime,
    fmt: str,
    stream: IO[str] | None = None,
) -> None:
    out = stream or sys.stdout
    if fmt == "json":
        rows = []
        for rank, item in enumerate(queue, start=1):
            _, overdue = _relative(item.due, now)
            rows.append({"rank": rank, **item.to_dict(), "overdue": overdue})
        write_json(
            {"now": now.isoformat().replace("+00:00", "Z"), "queue": rows, "errors": errors}, out
        )
        return
    if is_terminal(out):
        _rich_triage(queue, errors, now, out)
        return
    for rank, item in enumerate(queue, start=1):
        when, _ = _relative(item.due, now)
        incident = f"#{item.incident}" if item.incident else "-"
        excerpt = item.text if len(item.text) <= 60 else item.text[:57] + "..."
        out.write(
            f"{rank:>3}  {when:<16} {str(item.id):<10} {item.intent:<9} {item.action:<8} "
            f"{incident:<5} {excerpt}\n"
        )
    for error in errors:
        out.write(f"  !  {error['error']}\n")


def _rich_triage(
    queue: list[QueueItem], errors: list[dict[str, Any]], now: datetime, out: IO[str]
) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=out, no_color=not use_color(out), highlight=False)
    table = Table(title=f"Triage at {now:%Y-%m-%d %H:%M} UTC", title_justify="left")
    for name in ("#", "due", "id", "intent", "action", "incident", "comment"):
        table.add_column(name, overflow="fold" if name == "comment" else "ellipsis")
    for rank, item in enumerate(queue, start=1):
        when, overdue = _relative(item.due, now)
        table.add_row(
            str(rank),
            Text(when, style="bold red" if overdue else ""),
            str(item.id),
            item.intent,
            Text(item.action, style=_ACTION_STYLE.get(item.action, "")),
            f"#{item.incident}" if item.incident else "",
            item.text if len(item.text) <= 80 else item.text[:77] + "...",
        )
    console.print(table)
    for error in errors:
        console.print(Text(error["error"], style="red"))
