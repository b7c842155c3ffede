"""The only module that prints. Rich for a terminal; plain text and JSON for scripts.

Rich is imported only when a terminal will see it: scripts piping JSON never pay for it.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import datetime

    from .batch import ListenResult, QueueItem
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


# Text from a comment, a name, an id, a reply or a note is data: it never reaches a terminal
# or a pipe as a control sequence. Each control character (C0 but newline and tab, DEL, C1)
# is shown as a visible placeholder: C0 as its Unicode control picture (ESC as "␛", BEL as
# "␇"), DEL as "␡", C1 as "�". Rich output also never reads such text as markup: it is
# always passed as a ``Text``, never inside a markup string.
_SAFE: dict[int, str] = {c: chr(0x2400 + c) for c in range(0x20) if c not in (0x09, 0x0A)}
_SAFE[0x7F] = "\u2421"
_SAFE.update({c: "\ufffd" for c in range(0x80, 0xA0)})
# Bidi embeddings and overrides (LRE, RLE, PDF, LRO, RLO) would reorder what a terminal
# shows after them; replybook's own right-to-left text uses isolates and marks, kept.
_SAFE.update({c: "\ufffd" for c in range(0x202A, 0x202F)})
# One line (a lint finding, a triage row): line breaks are shown too, as "␤".
_ONE_LINE = {**_SAFE, 0x0A: "\u2424", 0x2028: "\u2424", 0x2029: "\u2424"}
# json.dumps escapes C0 but writes DEL, C1 and the Unicode line separators as they are:
# escaped, the JSON still decodes to exactly the same text.
JSON_ESCAPES = {c: f"\\u{c:04x}" for c in (0x7F, *range(0x80, 0xA0), 0x2028, 0x2029)}


def safe(text: object, one_line: bool = False) -> str:
    """``text`` with every control character replaced by a visible placeholder; with
    ``one_line``, line breaks too."""
    return str(text).translate(_ONE_LINE if one_line else _SAFE)


_RAW_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029]")


def escape_json(line: str) -> str:
    """JSON text with what ``json.dumps`` leaves raw (DEL, C1, U+2028/U+2029) escaped:
    searched for first, since translating a whole line character by character is slow."""
    return line.translate(JSON_ESCAPES) if _RAW_IN_JSON.search(line) else line


def write_json(data: Any, stream: IO[str] | None = None) -> None:
    """One JSON object on one line, UTF-8 as is (not escaped), but for control characters
    and line separators, which are escaped."""
    out = stream or sys.stdout
    out.write(escape_json(json.dumps(data, ensure_ascii=False)) + "\n")


def draft_text(draft: Draft) -> str:
    """The plain-text form of a draft: what a pipe or a file gets."""
    lines = [f"{safe(draft.intent)} → {safe(draft.action)}"]
    if draft.public_reply:
        lines += ["", "Public reply:", safe(draft.public_reply)]
    if draft.private_reply:
        lines += ["", "Private follow-up:", safe(draft.private_reply)]
    lines += ["", "Note:", safe(draft.note)]
    if draft.lint:
        lines += ["", "Lint:"]
        lines += [f"  {_finding_line(f)}" for f in draft.lint]
    return "\n".join(lines) + "\n"


def _finding_line(f: Finding) -> str:
    return f"{safe(f.level, True)}: {safe(f.rule, True)}: {safe(f.message, True)}"


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


def _console(out: IO[str]) -> Any:
    """A Rich console for a terminal: no markup, emoji codes or highlighting read from
    anything it prints."""
    from rich.console import Console

    return Console(
        file=out,
        force_terminal=True,
        no_color=not use_color(out),
        highlight=False,
        markup=False,
        emoji=False,
    )


def _rich_draft(draft: Draft, out: IO[str]) -> None:
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    console = _console(out)
    style = _ACTION_STYLE.get(draft.action, "")
    title = Text.assemble((safe(draft.intent), "bold"), " → ", (safe(draft.action).upper(), style))
    parts: list[Any] = []
    if draft.public_reply:
        parts += [Text("Public reply", style="bold"), Text(safe(draft.public_reply)), Text("")]
        parts.append(Text(f"{len(draft.public_reply)} characters", style="dim"))
        parts.append(Text(""))
    if draft.private_reply:
        parts += [
            Text("Private follow-up", style="bold"),
            Text(safe(draft.private_reply)),
            Text(""),
        ]
    parts += [Text("Note", style="bold"), Text(safe(draft.note), style="dim")]
    if draft.lint:
        parts += [Text(""), Text("Lint", style="bold")]
        for f in draft.lint:
            parts.append(Text(_finding_line(f), style=_LEVEL_STYLE.get(f.level, "")))
    panel = Panel(Group(*parts), title=title, title_align="left", border_style=style or "none")
    console.print(panel)


# ---------------------------------------------------------------------------------------
# lint


_LEVEL_STYLE = {"error": "bold red", "warning": "yellow", "suggestion": "cyan"}
_GITHUB = {"error": "error", "warning": "warning", "suggestion": "notice"}
_GITHUB_SAFE = {**_SAFE, 0x0D: "%0D", 0x0A: "%0A"}


def _github_escape(text: str, prop: bool = False) -> str:
    """A workflow command's message (or, with ``prop``, property value): %, CR and LF
    escaped as GitHub's workflow-command syntax says, so the text can't end the command or
    start another; other control characters shown as placeholders."""
    text = str(text).replace("%", "%25").translate(_GITHUB_SAFE)
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
    results: list[tuple[str, list[Finding]]],
    fmt: str,
    stream: IO[str] | None = None,
    texts: Sequence[str] | None = None,
) -> None:
    """Findings per file in one of the formats: text, json, line, github, rdjson, sarif.

    ``texts`` are the files' texts, in the order of ``results``: rdjson counts columns in
    UTF-8 bytes and SARIF in UTF-16 code units, and end positions, from them (without them,
    both count characters, as the other formats do).
    """
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
    if fmt in ("rdjson", "sarif"):
        sources = list(texts) if texts is not None else [None] * len(results)
        build = _rdjson if fmt == "rdjson" else _sarif
        write_json(build(results, sources), out)
        return
    if fmt == "line":
        for path, found in results:
            for f in found:
                out.write(
                    f"{safe(path, True)}:{f.line}:{f.column}:{safe(f.level, True)}:"
                    f"{safe(f.rule, True)}:{safe(f.message, True)}\n"
                )
        return
    if fmt == "github":
        _github(results, out)
        return
    if is_terminal(out):
        _rich_lint(results, out)
        return
    from .linter import counts

    for path, found in results:
        if not found:
            continue
        out.write(f"{safe(path, True)}\n")
        for f in found:
            where = f"{f.line}:{f.column}"
            out.write(
                f"  {where:<7} {safe(f.level, True):<10} {safe(f.rule, True):<34} "
                f"{safe(f.message, True)}\n"
            )
    every = [f for _, found in results for f in found]
    out.write(_summary(counts(every)) + "\n")


# GitHub shows at most this many annotations of each kind (error, warning, notice) that one
# step makes, and 50 for a whole job; the rest are dropped without a word.
GITHUB_ANNOTATIONS_PER_KIND = 10
# A step summary of more than 1 MiB is not shown at all.
GITHUB_SUMMARY_LIMIT = 1024 * 1024
_SEVERITY_ORDER = {"error": 0, "warning": 1, "suggestion": 2}


def _by_severity(results: list[tuple[str, list[Finding]]]) -> list[tuple[str, Finding]]:
    """Every finding with its path: errors first, then warnings, then the rest, each in the
    order of the files and of the text."""
    every = [(path, f) for path, found in results for f in found]
    return sorted(every, key=lambda item: _SEVERITY_ORDER.get(item[1].level, 3))


def _github(results: list[tuple[str, list[Finding]]], out: IO[str]) -> None:
    """Workflow commands, errors first, at most :data:`GITHUB_ANNOTATIONS_PER_KIND` of each
    kind, then one line counting the rest; with ``GITHUB_STEP_SUMMARY`` set, a table of every
    finding appended to that file."""
    every = _by_severity(results)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        _step_summary(summary, every)
    shown: dict[str, int] = {}
    left: dict[str, int] = {}
    for path, f in every:
        command = _GITHUB.get(f.level, "notice")
        if shown.get(command, 0) >= GITHUB_ANNOTATIONS_PER_KIND:
            left[f.level] = left.get(f.level, 0) + 1
            continue
        shown[command] = shown.get(command, 0) + 1
        props = f"file={_github_escape(path, True)},line={f.line},col={f.column}"
        props += f",title={_github_escape(f.rule, True)}"
        out.write(f"::{command} {props}::{_github_escape(f.message)}\n")
    if left:
        more = sum(left.values())
        kinds = ", ".join(
            f"{left[k]} {k}{'s' if left[k] != 1 else ''}" for k in _SEVERITY_ORDER if k in left
        )
        where = "the step summary lists them all" if summary else "--format line lists them all"
        out.write(
            f"replybook: {more} more finding{'s' if more != 1 else ''} not shown as annotations"
            f" ({kinds}): GitHub shows {GITHUB_ANNOTATIONS_PER_KIND} errors,"
            f" {GITHUB_ANNOTATIONS_PER_KIND} warnings and {GITHUB_ANNOTATIONS_PER_KIND} notices"
            f" a step; {where}\n"
        )


_MARKDOWN_SPECIAL = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def markdown_text(text: object) -> str:
    """Text for a Markdown table cell that shows as written: on one line, every ASCII
    punctuation mark as an HTML character reference, so nothing in it is read as markup (a
    link, HTML, emphasis, a cell border, an @mention, an emoji code)."""
    shown = safe(text, one_line=True).replace("\t", " ")
    return "".join(f"&#{ord(c)};" if c in _MARKDOWN_SPECIAL else c for c in shown)


def _step_summary(path: str, every: list[tuple[str, Finding]]) -> None:
    """Append a Markdown table of every finding to GitHub's step summary file; past what
    the summary can hold (1 MiB), the rows left out are counted instead."""
    from .errors import UsageError
    from .linter import counts

    try:
        used = os.path.getsize(path)
    except OSError:
        used = 0
    totals = counts(f for _, f in every)
    lines = [f"### replybook lint: {_summary(totals)}", ""]
    if every:
        lines += [
            "| file | line | column | severity | rule | message |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
    # Room for the closing line, whatever it says.
    budget = GITHUB_SUMMARY_LIMIT - used - 200 - sum(len(x.encode()) + 1 for x in lines)
    omitted = 0
    for number, (file, f) in enumerate(every):
        row = (
            f"| {markdown_text(file)} | {f.line} | {f.column} | {markdown_text(f.level)} "
            f"| {markdown_text(f.rule)} | {markdown_text(f.message)} |"
        )
        size = len(row.encode()) + 1
        if size > budget:
            omitted = len(every) - number
            break
        budget -= size
        lines.append(row)
    if omitted:
        lines += ["", f"{omitted} more not listed: a step summary holds at most 1 MiB."]
    try:
        with open(path, "a", encoding="utf-8") as stream:
            stream.write("\n".join(lines) + "\n\n")
    except OSError as exc:
        reason = exc.strerror or exc
        raise UsageError(f"GITHUB_STEP_SUMMARY {path}: can't write: {reason}") from None


class _Positions:
    """Line and column of a character index in one text, in the units a format counts."""

    def __init__(self, text: str | None) -> None:
        self.text = text
        self.starts = [0] if text is None else [0, *(m.end() for m in re.finditer("\n", text))]

    def at(self, index: int, unit: str, fallback: tuple[int, int]) -> tuple[int, int]:
        """``unit``: ``utf8`` (bytes) or ``utf16`` (code units); both 1-based. Without the
        text: ``fallback`` (a finding's own line and character column)."""
        if self.text is None:
            return fallback
        from bisect import bisect_right

        line = bisect_right(self.starts, index)
        segment = self.text[self.starts[line - 1] : index]
        if segment.isascii():
            return line, len(segment) + 1
        if unit == "utf8":
            return line, len(segment.encode("utf-8", "surrogatepass")) + 1
        return line, len(segment.encode("utf-16-le", "surrogatepass")) // 2 + 1

    def span(self, f: Finding, unit: str) -> tuple[tuple[int, int], tuple[int, int]]:
        start = self.at(f.span[0], unit, (f.line, f.column))
        end = self.at(f.span[1], unit, (f.line, f.column + f.span[1] - f.span[0]))
        return start, end


_RDJSON_SEVERITY = {"error": "ERROR", "warning": "WARNING", "suggestion": "INFO"}


def _rdjson(
    results: list[tuple[str, list[Finding]]], texts: Sequence[str | None]
) -> dict[str, Any]:
    """Reviewdog's Diagnostic Format (rdjson: a ``DiagnosticResult``); columns are 1-based
    UTF-8 byte counts and ends exclusive, as its reviewdog.proto says."""
    diagnostics = []
    for (path, found), text in zip(results, texts, strict=True):
        where = _Positions(text)
        for f in found:
            (line, column), (end_line, end_column) = where.span(f, "utf8")
            span = {
                "start": {"line": line, "column": column},
                "end": {"line": end_line, "column": end_column},
            }
            diagnostic: dict[str, Any] = {
                "message": f.message,
                "location": {"path": path, "range": span},
                "severity": _RDJSON_SEVERITY.get(f.level, "INFO"),
                "code": {"value": f.rule},
            }
            if f.replacement is not None:
                diagnostic["suggestions"] = [{"range": span, "text": f.replacement}]
            diagnostics.append(diagnostic)
    return {"source": {"name": "replybook"}, "diagnostics": diagnostics}


SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_SARIF_LEVEL = {"error": "error", "warning": "warning", "suggestion": "note"}


def _artifact(path: str) -> dict[str, Any]:
    """A SARIF artifactLocation: a relative path as a relative URI reference (``/``-separated,
    percent-encoded), an absolute one as a ``file:`` URI; stdin has no URI."""
    if path == "<stdin>":
        return {"description": {"text": path}}
    from urllib.parse import quote

    if os.path.isabs(path):
        from pathlib import Path

        return {"uri": Path(path).as_uri()}
    return {"uri": quote(path.replace(os.sep, "/"))}


def _sarif(
    results: list[tuple[str, list[Finding]]], texts: Sequence[str | None]
) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run; columns in UTF-16 code units, said in
    ``columnKind`` (the spec's default when it is absent is Unicode code points)."""
    from . import __version__

    rules: dict[str, Finding] = {}
    for _, found in results:
        for f in found:
            rules.setdefault(f.rule, f)
    ids = sorted(rules)
    index = {rule: i for i, rule in enumerate(ids)}
    described = []
    for rule in ids:
        entry: dict[str, Any] = {
            "id": rule,
            "defaultConfiguration": {"level": _SARIF_LEVEL.get(rules[rule].level, "note")},
        }
        if rules[rule].why:
            entry["shortDescription"] = {"text": rules[rule].why}
        described.append(entry)
    out = []
    for (path, found), text in zip(results, texts, strict=True):
        where = _Positions(text)
        artifact = _artifact(path)
        for f in found:
            (line, column), (end_line, end_column) = where.span(f, "utf16")
            region = {
                "startLine": line,
                "startColumn": column,
                "endLine": end_line,
                "endColumn": end_column,
            }
            result: dict[str, Any] = {
                "ruleId": f.rule,
                "ruleIndex": index[f.rule],
                "level": _SARIF_LEVEL.get(f.level, "note"),
                "message": {"text": f.message},
                "locations": [
                    {"physicalLocation": {"artifactLocation": artifact, "region": region}}
                ],
            }
            if f.replacement is not None:
                change = {"deletedRegion": region, "insertedContent": {"text": f.replacement}}
                result["fixes"] = [
                    {
                        "description": {"text": f.message},
                        "artifactChanges": [
                            {"artifactLocation": artifact, "replacements": [change]}
                        ],
                    }
                ]
            out.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {"name": "replybook", "version": __version__, "rules": described}
                },
                "columnKind": "utf16CodeUnits",
                "results": out,
            }
        ],
    }


def print_fixes(path: str, applied: list[Finding], stream: IO[str] | None = None) -> None:
    """What ``lint --fix`` changed in one file, one line a change (stderr by default)."""
    out = stream or sys.stderr
    for f in applied:
        out.write(
            f"{safe(path, True)}:{f.line}:{f.column}: fixed {safe(f.rule, True)}: "
            f"'{safe(f.match, True)}' → '{safe(f.replacement or '', True)}'\n"
        )


def print_fix_total(changes: int, files: int, stream: IO[str] | None = None) -> None:
    """The line ``lint --fix`` ends with on stderr."""
    out = stream or sys.stderr
    if not changes:
        out.write("replybook: nothing to fix\n")
        return
    out.write(
        f"replybook: {changes} fix{'es' if changes != 1 else ''} in {files} "
        f"file{'s' if files != 1 else ''}\n"
    )


def _rich_lint(results: list[tuple[str, list[Finding]]], out: IO[str]) -> None:
    from rich.table import Table
    from rich.text import Text

    from .linter import counts

    console = _console(out)
    for path, found in results:
        if not found:
            continue
        console.print(Text(safe(path, True), style="bold underline"))
        table = Table(show_header=False, box=None, padding=(0, 1))
        for f in found:
            table.add_row(
                Text(f"{f.line}:{f.column}", style="dim"),
                Text(safe(f.level, True), style=_LEVEL_STYLE.get(f.level, "")),
                Text(safe(f.rule, True), style="bold"),
                Text(safe(f.message, True)),
            )
            table.add_row(Text(""), Text(""), Text(""), Text(safe(f.why, True), style="dim"))
        console.print(table)
    every = [f for _, found in results for f in found]
    totals = counts(every)
    style = "bold red" if totals["error"] else ("yellow" if totals["warning"] else "green")
    console.print(Text(_summary(totals), style=style))


# ---------------------------------------------------------------------------------------
# test


def print_report(
    name: str,
    report: Report,
    fmt: str,
    stream: IO[str] | None = None,
    coverage: bool = False,
    warnings_fail: bool = False,
) -> None:
    """A playbook's self-test; ``coverage`` adds a table of each rule's languages;
    ``warnings_fail``: its warnings fail it (``--fail-level warning``), and its first line
    says so."""
    out = stream or sys.stdout
    if fmt == "json":
        data = report.to_dict()
        if not coverage:
            data.pop("coverage", None)
        write_json({"playbook": name, **data}, out)
        return
    head = (
        f"{safe(name, True)}: {report.rules} rules, {report.examples} examples, "
        f"{report.drafts} drafts linted"
    )
    if report.failures:
        out.write(f"{head}: {len(report.failures)} failed\n")
    elif warnings_fail:
        count = len(report.warnings)
        out.write(f"{head}: {count} warning{'s' if count != 1 else ''} (--fail-level warning)\n")
    else:
        out.write(f"{head}: ok\n")
    for failure in report.failures:
        out.write(f"  {safe(failure.where, True)}: {safe(failure.problem, True)}\n")
    for warning in report.warnings:
        out.write(f"  warning: {safe(warning.where, True)}: {safe(warning.problem, True)}\n")
    if coverage and report.coverage:
        languages = sorted({lang for _, langs in report.coverage for lang in langs})
        width = max(len(rule) for rule, _ in report.coverage)
        out.write(f"{'rule':<{width}}  {safe('  '.join(languages), True)}\n")
        for rule, langs in report.coverage:
            marks = "  ".join(("✓" if x in langs else "-").center(len(x)) for x in languages)
            out.write(f"{safe(rule, True):<{width}}  {marks}\n")


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
            f"#{i.id:<4} {safe(i.status, True):<6} {i.count:>4} complaints  "
            f"{safe(i.label, True):<24} first {safe(i.first_seen, True)}  "
            f"last {safe(i.last_seen, True)}  ({safe(i.playbook, True)})\n"
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
        text = safe(item.text, True)
        excerpt = text if len(text) <= 60 else text[:57] + "..."
        out.write(
            f"{rank:>3}  {when:<16} {safe(item.id, True):<10} {safe(item.intent, True):<9} "
            f"{safe(item.action, True):<8} {safe(item.route or '-', True):<10} {incident:<5} "
            f"{excerpt}\n"
        )
    for error in errors:
        out.write(f"  !  {safe(error.get('error', ''), True)}\n")


def _rich_triage(
    queue: list[QueueItem], errors: list[dict[str, Any]], now: datetime, out: IO[str]
) -> None:
    from rich.table import Table
    from rich.text import Text

    console = _console(out)
    table = Table(title=f"Triage at {now:%Y-%m-%d %H:%M} UTC", title_justify="left")
    # A playbook without routes has no route column to show.
    routed = any(item.route for item in queue)
    names = ("#", "due", "id", "intent", "action", "route", "incident", "comment")
    for name in names if routed else tuple(n for n in names if n != "route"):
        table.add_column(name, overflow="fold" if name == "comment" else "ellipsis")
    for rank, item in enumerate(queue, start=1):
        when, overdue = _relative(item.due, now)
        text = safe(item.text, True)
        route = [Text(safe(item.route or "", True))] if routed else []
        table.add_row(
            Text(str(rank)),
            Text(when, style="bold red" if overdue else ""),
            Text(safe(item.id, True)),
            Text(safe(item.intent, True)),
            Text(safe(item.action, True), style=_ACTION_STYLE.get(item.action, "")),
            *route,
            Text(f"#{item.incident}" if item.incident else ""),
            Text(text if len(text) <= 80 else text[:77] + "..."),
        )
    console.print(table)
    for error in errors:
        console.print(Text(safe(error.get("error", ""), True), style="red"))


# ---------------------------------------------------------------------------------------
# presets


def _reads(fields: dict[str, Any]) -> list[str]:
    """``text <- message (html)`` for each field a preset reads."""
    out = []
    for name, sources in fields.items():
        shown = []
        for source in sources:
            how = ", ".join(
                x for x in ("map" if "map" in source else "", source.get("normalise") or "") if x
            )
            shown.append(f"{source['path']} ({how})" if how else source["path"])
        out.append(f"{name} <- {' | '.join(shown)}")
    return out


def _filters(conditions: list[dict[str, Any]]) -> list[str]:
    out = []
    for c in conditions:
        value = c["value"]
        items = value if isinstance(value, list) else [value]
        shown = ", ".join(v if isinstance(v, str) else json.dumps(v) for v in items)
        answered = " (kept with --include-answered)" if c.get("answered") else ""
        out.append(f"{c['field']} {c['op']} {shown}{answered}")
    return out


def print_presets(presets: list[Any], fmt: str, stream: IO[str] | None = None) -> None:
    """The presets for ``--from``: a Rich table on a terminal, plain text in a pipe, or
    ``{"presets": [...]}`` (see README, "Presets")."""
    out = stream or sys.stdout
    rows = [p.to_dict() for p in presets]
    if fmt == "json":
        write_json({"presets": rows}, out)
        return
    if is_terminal(out):
        _rich_presets(rows, out)
        return
    for row in rows:
        out.write(f"{safe(row['name'], True)}: {safe(row['description'], True)}\n")
        out.write(f"  reference: {safe(row['reference'], True)}\n")
        where = ", ".join(row["records"])
        if row["replies"]:
            where += f"; replies in {', '.join(row['replies'])}"
        if row["conversation"]:
            where += f"; one conversation in {', '.join(row['conversation'])}"
        out.write(f"  records:   {safe(where, True)}\n")
        extras = [f"channel {row['channel']}"] if row["channel"] else []
        extras.append(f"ids {row['id_prefix']}N" if row["id_prefix"] else "ids as given")
        out.write(f"  {safe('; '.join(extras), True)}\n")
        for line in _reads(row["fields"]):
            out.write(f"  reads:     {safe(line, True)}\n")
        for line in _filters(row["filter"]):
            out.write(f"  keeps:     {safe(line, True)}\n")
        if row["author"] is not None:
            out.write(f"  author:    {safe(_authors(row['author']), True)}\n")
        lint = row["lint"]
        for line in _reads({k: v for k, v in lint["fields"].items() if row["fields"].get(k) != v}):
            out.write(f"  lint reads: {safe(line, True)}\n")
        if lint["filter"] != row["filter"]:
            for line in _filters(lint["filter"]):
                out.write(f"  lint keeps: {safe(line, True)}\n")
        if row["note"]:
            out.write(f"  note:      {safe(row['note'], True)}\n")
        out.write("\n")


def _authors(author: dict[str, Any]) -> str:
    """A preset's author section on one line: ``id <- from.id; username <- username``."""
    shown = [
        f"{kind} <- {', '.join(author[kind])}"
        for kind in ("id", "username", "name")
        if author[kind]
    ]
    staff = author.get("staff")
    if staff:
        values = ", ".join(str(v) for v in staff["in"])
        shown.append(f"{staff['list']} whose {staff['field']} is {values} are the brand's")
    return "; ".join(shown)


def _rich_presets(rows: list[dict[str, Any]], out: IO[str]) -> None:
    from rich.table import Table
    from rich.text import Text

    console = _console(out)
    table = Table(title="Presets for --from", title_justify="left", show_lines=True)
    for name in ("preset", "records", "fields read", "keeps"):
        table.add_column(name, overflow="fold")
    for row in rows:
        where = "\n".join(row["records"])
        if row["replies"]:
            where += "\nreplies: " + ", ".join(row["replies"])
        head = Text()
        head.append(safe(row["name"], True), style="bold")
        head.append("\n" + safe(row["description"]))
        head.append(f"\nids {row['id_prefix']}N" if row["id_prefix"] else "")
        table.add_row(
            head,
            Text(safe(where)),
            Text(
                safe(
                    "\n".join(
                        _reads(row["fields"])
                        + ([f"author: {_authors(row['author'])}"] if row["author"] else [])
                    )
                )
            ),
            Text(safe("\n".join(_filters(row["filter"])) or "everything")),
        )
    console.print(table)


# listen


class ListenTable:
    """listen's text output: one line per post as it is found (a stream, so memory stays
    flat), under a header: id, certainty, kind, whether addressed with @, what matched, and
    the post."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.out = stream or sys.stdout
        self.started = False

    def write(self, obj: dict[str, Any]) -> None:
        if not self.started:
            head = f"{'id':<12} {'certainty':<9} {'kind':<11} @ {'match':<24} post"
            self.out.write(head + "\n")
            self.started = True
        if "error" in obj:
            self.out.write(f"  !  {safe(obj['error'], True)}\n")
            return
        mention = obj.get("mention") or {}
        ident = safe(obj.get("id", "-"), True)
        text = safe(" ".join(str(obj.get("text", "")).split()), True)
        excerpt = text if len(text) <= 60 else text[:57] + "..."
        match = safe(mention.get("match", "-"), True)
        match = match if len(match) <= 24 else match[:21] + "..."
        self.out.write(
            f"{ident:<12} {safe(obj.get('certainty') or '-', True):<9} "
            f"{safe(mention.get('kind', '-'), True):<11} {'@' if obj.get('direct') else '-'} "
            f"{match:<24} {excerpt}\n"
        )


def listen_summary(result: ListenResult) -> str:
    """The line listen ends with on stderr: what was read, found, and left out."""
    posts = "post" if result.read == 1 else "posts"
    mentions = "mention" if result.mentions == 1 else "mentions"
    line = f"replybook: {result.read:,} {posts} read, {result.mentions:,} {mentions}"
    line += f" (exact {result.exact:,}, possible {result.possible:,})"
    from .listen import KINDS

    kinds = [f"{kind} {result.kinds[kind]:,}" for kind in KINDS if result.kinds.get(kind)]
    if kinds:
        line += ": " + ", ".join(kinds)
    extra = []
    if result.duplicates:
        plural = "s" if result.duplicates != 1 else ""
        extra.append(f"{result.duplicates:,} duplicate{plural} dropped")
    if result.earlier:
        extra.append(f"{result.earlier:,} before --since")
    if result.failed:
        extra.append(
            f"{result.failed:,} record{'s' if result.failed != 1 else ''} failed"
            ' (see their "error" fields)'
        )
    if extra:
        line += "; " + "; ".join(extra)
    return line + "\n"


# ---------------------------------------------------------------------------------------
# report


def _percent(share: float | None) -> str:
    """A share as a whole percentage that never rounds a miss up to 100% (nor one hit
    down to 0%)."""
    if share is None:
        return "-"
    value = round(share * 100)
    if value == 100 and share < 1:
        value = 99
    elif value == 0 and share > 0:
        value = 1
    return f"{value}%"


def _duration(minutes: float | None) -> str:
    return "-" if minutes is None else _span(int(round(minutes)))


def _cell(value: str | None, width: int = 24) -> str:
    """A group's value in a table: one line, placeholders for control characters, cut
    to ``width`` characters; ``-`` when nothing was recorded."""
    if value is None:
        return "-"
    text = safe(value, True)
    return text if len(text) <= width else text[: width - 1] + "…"


def _group_label(key: tuple[str | None, ...]) -> str:
    return " / ".join(_cell(v) for v in key)


_TOTAL_LABEL = "all"


def _table(header: list[str], rows: list[list[str]], left: int) -> list[str]:
    """Aligned columns: the first ``left`` to the left, the others to the right."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    out = []
    for row in [header, *rows]:
        cells = [c.ljust(widths[i]) if i < left else c.rjust(widths[i]) for i, c in enumerate(row)]
        out.append("  ".join(cells).rstrip())
    return out


def report_text(report: Any, chart: bool = False) -> str:
    """The report as text tables (README, "Reports"); ``chart``: with block-character
    charts of the share within SLA."""
    grouped = bool(report.group)
    what = " / ".join(report.group)
    scope = f"playbook {safe(report.playbook, True)}" if report.playbook else "all playbooks"
    lines = [f"replybook report by {report.by}, {scope}", safe(report.span_text(), True), ""]
    head = [report.by] + ([what] if grouped else [])
    rows: list[tuple[str, str, Any]] = []  # (period, group, stats)
    for period in report.periods:
        rows.append((period.label + ("*" if period.partial else ""), _TOTAL_LABEL, period.total))
        for g in period.groups:
            if g.stats.seen or (g.stats.incidents is not None and g.stats.incidents.opened):
                rows.append(("", _group_label(g.key), g.stats))
    rows.append(("total", _TOTAL_LABEL, report.total))
    rows.extend(("", _group_label(g.key), g.stats) for g in report.groups)

    def lead(period: str, label: str) -> list[str]:
        return [period] + ([label] if grouped else [])

    comments = [
        lead(p, g)
        + [str(s.seen), str(s.replied), str(s.escalated), str(s.moderated), str(s.skipped)]
        + [str(s.reviewed)]
        for p, g, s in rows
        if grouped or g == _TOTAL_LABEL
    ]
    lines.append("Comments")
    lines += _table(
        head + ["seen", "replied", "escalated", "moderated", "skipped", "reviewed"],
        comments,
        len(head),
    )
    sla = [
        lead(p, g)
        + [str(s.due), str(s.within), str(s.late), str(s.overdue), str(s.open)]
        + [_percent(s.share), _duration(s.median_minutes), _duration(s.p90_minutes)]
        for p, g, s in rows
        if grouped or g == _TOTAL_LABEL
    ]
    lines += ["", "First replies against the SLA"]
    lines += _table(
        head + ["due", "within", "late", "overdue", "open", "in SLA", "median", "p90"],
        sla,
        len(head),
    )
    lines += _incident_lines(report)
    if any(p.partial for p in report.periods):
        lines += ["", f"* only part of the {report.by} is in the report"]
    if chart:
        lines += [""] + report_chart_lines(report)
    return "\n".join(lines) + "\n"


def _incident_lines(report: Any) -> list[str]:
    lines = ["", "Incidents"]
    by_playbook = report.group == ("playbook",)
    rows = []
    for period in report.periods:
        total = period.total.incidents
        if total is None or not total.opened:
            continue
        rows.append([period.label] + ([_TOTAL_LABEL] if by_playbook else []) + _counts(total))
        for g in period.groups if by_playbook else ():
            if g.stats.incidents is not None and g.stats.incidents.opened:
                rows.append([""] + [_group_label(g.key)] + _counts(g.stats.incidents))
    if not rows:
        lines.append("none opened")
    else:
        total = report.total.incidents
        rows.append(["total"] + ([_TOTAL_LABEL] if by_playbook else []) + _counts(total))
        head = [report.by] + (["playbook"] if by_playbook else [])
        lines += _table(
            head + ["opened", "closed", "open", "median time to close"], rows, len(head)
        )
    opened = report.open_incidents
    lines += ["", f"Open incidents: {len(opened)}"]
    shown = 20
    for i in opened[:shown]:
        lines.append(
            f"  #{i.id:<4} {i.complaints:>4} complaints  open {_duration(i.open_minutes):<7} "
            f"{_cell(i.label, 40)}  ({_cell(i.playbook, 40)})"
        )
    if len(opened) > shown:
        lines.append(f"  ... and {len(opened) - shown} more (replybook incidents)")
    return lines


def _counts(stats: Any) -> list[str]:
    return [
        str(stats.opened),
        str(stats.closed),
        str(stats.open),
        _duration(stats.median_close_minutes),
    ]


_EIGHTHS = " ▏▎▍▌▋▊▉█"
_SPARKS = "▁▂▃▄▅▆▇█"
_BAR = 30


def _bar(share: float) -> str:
    """A bar of :data:`_BAR` characters, to an eighth of a character."""
    eighths = round(share * _BAR * 8)
    if eighths == _BAR * 8 and share < 1:
        eighths -= 1  # never a full bar for a miss
    full, rest = divmod(eighths, 8)
    bar = "█" * full + (_EIGHTHS[rest] if rest else "")
    return bar + "░" * (_BAR - len(bar))


def report_chart_lines(report: Any) -> list[str]:
    """The share within SLA per period as bars (the team's total), and per group as a
    sparkline: for reading on a terminal."""
    lines = [f"Within SLA by {report.by}"]
    width = max(len(p.label) for p in report.periods)
    for p in report.periods:
        s = p.total
        if s.share is None:
            lines.append(f"{p.label:<{width}}  {' ' * _BAR}  {'-':>4}  nothing due")
            continue
        counted = s.within + s.breached
        lines.append(
            f"{p.label:<{width}}  {_bar(s.share)}  {_percent(s.share):>4}  {s.within} of {counted}"
        )
    if report.group:
        what = " / ".join(report.group)
        scale = "▁ 0% … █ 100%, · nothing due"
        lines += ["", f"Within SLA per {what}, a mark a {report.by} ({scale})"]
        labels = [_group_label(g.key) for g in report.groups]
        width = max(len(label) for label in labels) if labels else 0
        for index, g in enumerate(report.groups):
            marks = "".join(
                "·" if s.share is None else _SPARKS[min(7, int(s.share * 8))]
                for s in (p.groups[index].stats for p in report.periods)
            )
            lines.append(f"{labels[index]:<{width}}  {marks}  {_percent(g.stats.share):>4}")
    return lines


REPORT_CSV_COLUMNS = (
    "period",
    "start",
    "end",
    "partial",
    "seen",
    "replied",
    "escalated",
    "moderated",
    "skipped",
    "reviewed",
    "sla_due",
    "sla_within",
    "sla_breached",
    "sla_late",
    "sla_overdue",
    "sla_open",
    "sla_share",
    "first_reply_median_minutes",
    "first_reply_p90_minutes",
    "incidents_opened",
    "incidents_closed",
    "incidents_open",
    "incidents_median_close_minutes",
)
"""The CSV's columns after ``period`` .. ``partial`` come the groups' (``channel``,
``agent``...), then the counts."""

# A cell a spreadsheet would run as a formula (=, +, -, @, or a tab or CR before one).
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(value: str | None) -> str:
    if value is None:
        return ""
    text = safe(value, True)
    return "'" + text if text.startswith(_FORMULA) else text


def _number(value: float | int | None) -> str:
    if value is None:
        return ""
    return str(value)


def report_csv(report: Any, stream: IO[str]) -> None:
    """One row per period and group (per period with no groups), with a header row."""
    import csv

    from .report import iso

    writer = csv.writer(stream, lineterminator="\n")
    head = list(REPORT_CSV_COLUMNS)
    writer.writerow(head[:4] + list(report.group) + head[4:])
    for period in report.periods:
        lead = [period.label, iso(period.start), iso(period.end), str(period.partial).lower()]
        items = [(g.key, g.stats) for g in period.groups] if report.group else [((), period.total)]
        for key, s in items:
            incidents = s.incidents
            writer.writerow(
                lead
                + [_csv_text(v) for v in key]
                + [
                    _number(x)
                    for x in (
                        s.seen,
                        s.replied,
                        s.escalated,
                        s.moderated,
                        s.skipped,
                        s.reviewed,
                        s.due,
                        s.within,
                        s.breached,
                        s.late,
                        s.overdue,
                        s.open,
                        s.share,
                        s.median_minutes,
                        s.p90_minutes,
                    )
                ]
                + (
                    [
                        _number(incidents.opened),
                        _number(incidents.closed),
                        _number(incidents.open),
                        _number(incidents.median_close_minutes),
                    ]
                    if incidents is not None
                    else ["", "", "", ""]
                )
            )


def print_report_stats(report: Any, fmt: str, stream: IO[str], chart: bool = False) -> None:
    """``replybook report`` in its format: text (``chart``: with the terminal charts),
    json (one object) or csv."""
    if fmt == "json":
        write_json(report.to_dict(), stream)
    elif fmt == "csv":
        report_csv(report, stream)
    else:
        stream.write(report_text(report, chart))
