"""Python's re with the load-time check and the time limit, against a linear-time engine (RE2).

    python bench/regex_guard.py [--sizes 1000,10000,100000] [--cap 5] [--limit 10]

Playbooks are shared and comments come from strangers, so a playbook's raw ``'/regex/'``
patterns run on hostile text. Replybook keeps Python's ``re`` behind two guards: the
load-time check (``_pattern_problem``: exponential patterns are refused) and the time
limit per comment (``runner.time_limit``: polynomial ones are stopped). The other way
would be to compile raw patterns with RE2, which never backtracks. Needs ``google-re2``
(module ``re2``) in the environment; it is not a dependency of replybook.

Prints three tables:
1. the built-in playbooks' raw patterns (and lint rules' ``pattern:`` regexes): how many
   the load check accepts, how many RE2 compiles, what RE2 lacks for the others, and how
   many of the ones it compiles read ``\\w \\b \\d \\s`` on non-ASCII text (RE2's are
   ASCII only, so they would match differently);
2. hand-written hostile patterns with a pump text each: refused at load or not, then the
   time of ``re.search`` (capped at ``--cap`` seconds by a timer) and of ``re2.search`` on
   texts of each of ``--sizes`` characters. Patterns the load check refuses run under re
   once, on 30 characters, since they are exponential;
3. ``replybook.draft`` inside ``time_limit()`` (``--limit`` seconds) with a playbook that
   extends the default one with one polynomial topic pattern, on a hostile comment and on
   ordinary text of each size, and the built-in default playbook on the same texts.
Ends with a few lines worked out from the numbers.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from replybook import draft, load_playbook, runner
from replybook.errors import UsageError
from replybook.playbook import _pattern_problem, builtin_playbooks

try:
    import re2
except ImportError:  # pragma: no cover - the benchmark's own requirement
    sys.exit("this benchmark needs google-re2 (module re2): pip install google-re2")

try:
    from re import _parser as sre  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python before 3.11
    import sre_parse as sre  # type: ignore[no-redef]

SMALL = 30  # characters of the one re run of a pattern the load check refuses
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
RE2_OPTIONS = re2.Options()
RE2_OPTIONS.log_errors = False  # a refused pattern is a result here, not a log line


# ---------------------------------------------------------------------------------------
# Table 1: the built-in playbooks' patterns


def raw_patterns(node: Any) -> Iterator[str]:
    """Every ``'/regex/'`` string in a playbook's data, as the regular expression."""
    if isinstance(node, dict):
        for value in node.values():
            yield from raw_patterns(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from raw_patterns(value)
    elif isinstance(node, str):
        text = node.strip()
        if len(text) >= 2 and text.startswith("/") and text.endswith("/"):
            yield text[1:-1]


def rule_patterns(data: dict[str, Any]) -> Iterator[str]:
    """The lint rules' ``pattern:`` regexes (one, or one per language)."""
    for rule in data.get("rules") or []:
        value = rule.get("pattern") if isinstance(rule, dict) else None
        for source in value.values() if isinstance(value, dict) else [value]:
            if isinstance(source, str) and source:
                yield source


def walk(items: Any) -> Iterator[tuple[str, Any]]:
    """Every (opcode name, argument) in a parsed pattern, at any depth."""
    for op, av in items:
        yield str(op), av
        yield from _inside(av)


def _inside(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, sre.SubPattern):
        yield from walk(value)
    elif isinstance(value, (list, tuple)):
        if len(value) == 2 and type(value[0]).__name__ == "_NamedIntConstant":
            yield str(value[0]), value[1]
            yield from _inside(value[1])
        else:
            for item in value:
                yield from _inside(item)


FEATURES = {
    "GROUPREF": "backreference",
    "GROUPREF_EXISTS": "conditional",
    "ATOMIC_GROUP": "atomic group",
    "POSSESSIVE_REPEAT": "possessive repeat",
}
UNICODE_CLASSES = {
    "CATEGORY_WORD",
    "CATEGORY_NOT_WORD",
    "CATEGORY_DIGIT",
    "CATEGORY_NOT_DIGIT",
    "CATEGORY_SPACE",
    "CATEGORY_NOT_SPACE",
    "AT_BOUNDARY",
    "AT_NON_BOUNDARY",
}
_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|Z)")


def missing(source: str) -> list[str]:
    """What of Python's syntax a pattern uses that RE2 has no such thing for."""
    try:
        parsed = sre.parse(source)
    except Exception:
        return ["not valid for re either"]
    found = []
    for name, av in walk(parsed):
        if name in ("ASSERT", "ASSERT_NOT"):
            found.append("lookahead" if av[0] == 1 else "lookbehind")
        elif name in FEATURES:
            found.append(FEATURES[name])
    return sorted(set(found))


def re2_spelling(source: str) -> str:
    r"""The pattern as RE2 spells what it has under another name (\uXXXX, \Z)."""

    def spell(m: re.Match[str]) -> str:
        code = m.group(2)
        return m.group(1) + ("\\z" if code == "Z" else "\\x{" + code[1:] + "}")

    return _ESCAPE.sub(spell, source)


def ascii_reading(source: str) -> bool:
    """Does RE2 read this pattern differently on its own text: ``\\w \\b \\d \\s`` (ASCII
    only in RE2) in a pattern written with non-ASCII characters?"""
    if source.isascii():
        return False
    try:
        parsed = sre.parse(source)
    except Exception:
        return False
    return any(str(av) in UNICODE_CLASSES for _, av in walk(parsed))


@dataclass
class Verdict:
    source: str
    load_ok: bool
    re2_ok: bool
    lacks: list[str]  # RE2 refuses it: features it has no equivalent for
    respelled: bool  # RE2 refuses it only for spelling (\uXXXX, \Z)
    error: str  # RE2's message when neither explains the refusal
    ascii_differs: bool


def judge(source: str) -> Verdict:
    load_ok = _pattern_problem(source) is None
    try:
        re2.compile(source, RE2_OPTIONS)
        return Verdict(source, load_ok, True, [], False, "", ascii_reading(source))
    except Exception as exc:
        error = str(exc)
    lacks = missing(source)
    respelled = False
    if not lacks:
        try:
            re2.compile(re2_spelling(source), RE2_OPTIONS)
            respelled = True
        except Exception as exc:
            error = str(exc)
    return Verdict(source, load_ok, False, lacks, respelled, error, False)


def table_builtin() -> dict[str, Verdict]:
    print("Table 1: built-in raw patterns ('/regex/' strings; rules' pattern: regexes apart)")
    head = f"{'playbook':<24} {'patterns':>8} {'load ok':>8} {'RE2 ok':>7} {'RE2 no':>7}"
    print(f"{head} {'spelling':>9} {'ASCII':>6}  RE2 lacks")
    everything: dict[str, Verdict] = {}
    owners: dict[str, list[str]] = {}
    groups: list[tuple[str, set[str]]] = []
    for name in builtin_playbooks():
        data = load_playbook(name).data
        groups.append((name, set(raw_patterns(data))))
        groups.append((f"{name}: rule pattern:", set(rule_patterns(data))))
    for label, sources in [*groups, ("all, distinct", set().union(*(s for _, s in groups)))]:
        verdicts = [everything.get(s) or judge(s) for s in sorted(sources)]
        for v in verdicts:
            everything[v.source] = v
            if label != "all, distinct":
                owners.setdefault(v.source, []).append(label.split(":")[0])
        refused = [v for v in verdicts if not v.re2_ok]
        lacks: dict[str, int] = {}
        for v in refused:
            for feature in v.lacks:
                lacks[feature] = lacks.get(feature, 0) + 1
        said = ", ".join(f"{k} {n}" for k, n in sorted(lacks.items(), key=lambda kv: -kv[1]))
        print(
            f"{label:<24} {len(verdicts):>8} {sum(v.load_ok for v in verdicts):>8}"
            f" {len(verdicts) - len(refused):>7} {len(refused):>7}"
            f" {sum(v.respelled for v in refused):>9}"
            f" {sum(v.ascii_differs for v in verdicts):>6}  {said or '-'}"
        )
    print("RE2 no: refused by re2.compile; spelling: of those, compiled once \\uXXXX is written")
    print("\\x{XXXX} (and \\Z \\z); ASCII: compiled, but \\w \\b \\d \\s in a pattern written with")
    word = r"\w+"
    theirs, mine = re2.search(word, "данные"), re.search(word, "данные")
    print(f"non-ASCII letters, which RE2 reads as ASCII only (re2.search(r'{word}', 'данные') is")
    print(f"{theirs!r}; re finds {mine[0] if mine else None!r})")
    print("Refused by RE2 (distinct patterns; where; why):")
    for v in sorted(everything.values(), key=lambda v: (v.re2_ok, v.lacks, v.source)):
        if v.re2_ok:
            continue
        why = ", ".join(v.lacks) or ("\\uXXXX escape" if v.respelled else v.error[:40])
        where = ",".join(sorted(set(owners.get(v.source, []))))
        print(f"  {short(v.source, 56):<58} {where:<17} {why}")
    print()
    return everything


def short(source: str, width: int) -> str:
    return source if len(source) <= width else source[: width - 3] + "..."


# ---------------------------------------------------------------------------------------
# Table 2: hostile patterns


@dataclass
class Hostile:
    pattern: str
    kind: str  # how it backtracks, by hand: exponential or polynomial
    pump: str  # the text, said in words
    text: Callable[[int], str]  # a text of about n characters that almost matches


def letters(n: int) -> str:
    return "a" * n + "!"


HOSTILE = [
    Hostile(r"(a+)+$", "exp", '"a"*n + "!"', letters),
    Hostile(r"(a|a)+$", "exp", '"a"*n + "!"', letters),
    Hostile(r"(a|aa)+$", "exp", '"a"*n + "!"', letters),
    Hostile(r"(\w+\s?)*$", "exp", '"word"*(n/4) + "!"', lambda n: "word" * (n // 4) + "!"),
    Hostile(r"(x+x+)+y", "exp", '"x"*n', lambda n: "x" * n),
    Hostile(r"(\d+)*?z", "exp", '"1"*n + "!"', lambda n: "1" * n + "!"),
    Hostile(r"(\s*,\s*)+$", "exp", '", "*(n/2) + "!"', lambda n: ", " * (n // 2) + "!"),
    Hostile(r"\s*\s*\s*x", "poly", '" "*n + "!"', lambda n: " " * n + "!"),
    Hostile(r".*a.*a.*b", "poly", '"a"*n', lambda n: "a" * n),
    Hostile(r"[a-z]+[a-z]+$", "poly", '"a"*n + "!"', letters),
    Hostile(r"\s+$", "poly", '" "*n + "x"', lambda n: " " * n + "x"),
    Hostile(r"\b[\w.+-]+@[\w-]+\.\w+", "poly", '"a."*(n/2) + "@"', lambda n: "a." * (n // 2) + "@"),
    Hostile(r"(\w+)\s+\1\b", "poly", '"a"*n', lambda n: "a" * n),
    # The same e-mail pattern as the built-in playbooks now write it: starting only where a
    # run of address characters starts, never backtracking inside it (linear).
    Hostile(
        r"(?<![\w.+-])[\w.+-]++@[\w-]++\.\w+",
        "none",
        '"a."*(n/2) + "@"',
        lambda n: "a." * (n // 2) + "@",
    ),
]


class Capped(Exception):
    """The run went past the cap."""


def _expired(signum: int, frame: Any) -> None:
    raise Capped


def time_re(compiled: re.Pattern[str], text: str, cap: float) -> float | None:
    """Seconds of one search, or None when it ran past ``cap`` (re stops for signals)."""
    previous = signal.signal(signal.SIGALRM, _expired)
    start = time.perf_counter()
    try:
        signal.setitimer(signal.ITIMER_REAL, cap)
        compiled.search(text)
        return time.perf_counter() - start
    except Capped:
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def time_re2(compiled: Any, text: str) -> float:
    start = time.perf_counter()
    compiled.search(text)
    return time.perf_counter() - start


def shown(seconds: float | None, cap: float) -> str:
    if seconds is None:
        return f">{cap:g}s"
    if seconds < 0.001:
        return f"{seconds * 1e6:.0f}us"
    if seconds < 1:
        return f"{seconds * 1000:.1f}ms"
    return f"{seconds:.2f}s"


@dataclass
class HostileResult:
    case: Hostile
    load_ok: bool
    small: float | None  # the one re run at SMALL characters (refused patterns), or None
    re_times: dict[int, float | None | str]  # None: capped; "-": not run
    re2_times: dict[int, float | None]  # None: RE2 refuses the pattern


def table_hostile(sizes: list[int], cap: float) -> list[HostileResult]:
    print(f"Table 2: hostile patterns (re capped at {cap:g}s; times of one search)")
    head = f"{'pattern':<24} {'kind':<5} {'pump':<19} {'load':<7} {f're n={SMALL}':>8}"
    cols = "".join(f" {'re ' + f'{n:,}':>10} {'re2 ' + f'{n:,}':>11}" for n in sizes)
    print(head + cols)
    results = []
    for case in HOSTILE:
        load_ok = _pattern_problem(case.pattern) is None
        compiled = re.compile(case.pattern)
        try:
            bounded: Any = re2.compile(case.pattern, RE2_OPTIONS)
        except Exception:
            bounded = None
        small = None if load_ok else time_re(compiled, case.text(SMALL), cap)
        re_times: dict[int, float | None | str] = {}
        re2_times: dict[int, float | None] = {}
        capped = False
        for n in sizes:
            text = case.text(n)
            if not load_ok or capped:
                re_times[n] = "-"
            else:
                re_times[n] = found = time_re(compiled, text, cap)
                capped = found is None
            re2_times[n] = None if bounded is None else time_re2(bounded, text)
        results.append(HostileResult(case, load_ok, small, re_times, re2_times))
        row = f"{case.pattern:<24} {case.kind:<5} {case.pump:<19}"
        row += f" {'ok' if load_ok else 'refused':<7}"
        row += f" {'' if load_ok else shown(small, cap):>8}"
        for n in sizes:
            mine = re_times[n]
            theirs = re2_times[n]
            row += f" {mine if isinstance(mine, str) else shown(mine, cap):>10}"
            row += f" {'refused' if theirs is None else shown(theirs, cap):>11}"
        print(row)
    print("kind: how it backtracks (by hand); load: replybook's load check (_pattern_problem);")
    print(f"re n={SMALL}: the one re run of a refused pattern; -: not run (refused at load,")
    print("or capped at a smaller size); re2 refused: re2.compile raised. Compiled beforehand.")
    print()
    return results


# ---------------------------------------------------------------------------------------
# Table 3: the time limit in replybook


SLOW = r"\s*\s*\s*x"  # polynomial: loads, then backtracks on many spaces without an x
ORDINARY = (
    "My order is late again and nobody has answered my emails since Tuesday. ",
    "The tracking page says delivered but the parcel is not at my door. ",
    "Could you please check what happened and tell me when it will arrive? ",
    "I have been a customer for years and this is the third time this month. ",
)


def hostile_comment(n: int) -> str:
    head, tail = "my order is late", "!x"
    return head + " " * max(1, n - len(head) - len(tail)) + tail


def ordinary_comment(n: int) -> str:
    text = ""
    while len(text) < n:
        text += ORDINARY[len(text) % len(ORDINARY)]
    return text[:n].rstrip() or ORDINARY[0]


@dataclass
class DraftRun:
    playbook: str
    text: str
    size: int
    seconds: float
    outcome: str  # "finished", "stopped" or "error: ..."


def one_draft(text: str, playbook: Any) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        with runner.time_limit("the comment"):
            draft(text, playbook, now=NOW)
        outcome = "finished"
    except UsageError as exc:
        outcome = "stopped" if "longer than the limit" in str(exc) else f"error: {exc}"
    return time.perf_counter() - start, outcome


def table_limit(sizes: list[int], limit: float) -> list[DraftRun]:
    runner.TIME_LIMIT = limit
    print(f"Table 3: the time limit in replybook (TIME_LIMIT = {limit:g}s; one draft each)")
    with tempfile.TemporaryDirectory(prefix="replybook-regex-") as folder:
        path = Path(folder) / "replybook.yaml"
        path.write_text(
            "playbook: slow-topic\nextends: default\n"
            f"topics: {{late: {{match: {{en: ['/{SLOW}/']}}}}}}\n",
            encoding="utf-8",
        )
        # The throwaway playbook is not written to the user's playbook cache.
        os.environ["REPLYBOOK_NO_CACHE"] = "1"
        try:
            slow = load_playbook(path)
        finally:
            os.environ.pop("REPLYBOOK_NO_CACHE", None)
    default = load_playbook("default")
    cases = [
        (f"default + /{SLOW}/", slow, "hostile", hostile_comment),
        (f"default + /{SLOW}/", slow, "ordinary", ordinary_comment),
        ("default (built-in)", default, "hostile", hostile_comment),
        ("default (built-in)", default, "ordinary", ordinary_comment),
    ]
    for _, book, _, make in cases:
        one_draft(make(200), book)  # templates compiled, words indexed: not timed
    print(f"{'playbook':<26} {'comment':<9} {'chars':>8} {'seconds':>8}  outcome")
    runs = []
    for n in sizes:
        for label, book, kind, make in cases:
            text = make(n)
            seconds, outcome = one_draft(text, book)
            runs.append(DraftRun(label, kind, len(text), seconds, outcome))
            print(f"{label:<26} {kind:<9} {len(text):>8,} {seconds:>8.2f}  {outcome}")
    print('hostile: "my order is late" + spaces + "!x"; ordinary: four sentences repeated.')
    print()
    return runs


# ---------------------------------------------------------------------------------------


def summary(
    builtin: dict[str, Verdict], hostile: list[HostileResult], runs: list[DraftRun], args: Any
) -> None:
    print("Summary")
    verdicts = list(builtin.values())
    refused = [v for v in verdicts if not v.re2_ok]
    lacking = sum(bool(v.lacks) for v in refused)
    respelled = sum(v.respelled for v in refused)
    differs = sum(v.ascii_differs for v in verdicts)
    print(
        f"- built-in patterns (raw and rules'): {len(verdicts)} distinct, the load check refuses"
        f" {sum(not v.load_ok for v in verdicts)};"
    )
    print(
        f"  RE2 can't run {len(refused)}: {lacking} use a feature it lacks, {respelled} only"
        f" spell \\uXXXX, {len(refused) - lacking - respelled} other;"
    )
    print(
        f"  of the {len(verdicts) - len(refused)} it compiles, {differs} would match differently"
        " (\\w \\b \\d \\s are ASCII only"
    )
    print("  in RE2, and these patterns are written for non-ASCII text)")

    accepted = [r for r in hostile if r.load_ok]
    first_cap: dict[str, int] = {}  # pattern: the smallest size at which re hit the cap
    slowest: tuple[float, str, int] = (0.0, "-", 0)  # of the runs that finished
    for r in accepted:
        for n, t in r.re_times.items():
            if t is None:
                first_cap.setdefault(r.case.pattern, n)
            elif not isinstance(t, str) and t > slowest[0]:
                slowest = (t, r.case.pattern, n)
    print(f"- hostile patterns the load check accepts: {len(accepted)} of {len(hostile)}")
    if first_cap:
        soonest = min(first_cap.values())
        worst = [p for p, n in first_cap.items() if n == soonest]
        print(
            f"  worst re time: >{args.cap:g}s (the cap) already on {soonest:,} chars:"
            f" {', '.join(worst)}"
        )
        print(f"  {len(first_cap)} of the {len(accepted)} reach the cap at some size")
    print(
        f"  slowest re search that finished: {shown(slowest[0], args.cap)}"
        f" ({slowest[1]} on {slowest[2]:,} chars)"
    )
    missed = [r.case.pattern for r in accepted if r.case.kind == "exp"]
    print(f"  of them labelled exponential by hand: {len(missed)} ({', '.join(missed) or '-'})")
    re2_all = [t for r in hostile for t in r.re2_times.values() if t is not None]
    re2_no = [r.case.pattern for r in hostile if all(t is None for t in r.re2_times.values())]
    if re2_all:
        print(
            f"- RE2: slowest search of any hostile pattern {shown(max(re2_all), args.cap)}"
            f" (texts up to {max(args.sizes):,} chars);"
        )
        print(f"  it refuses {len(re2_no)} of {len(hostile)}: {', '.join(re2_no) or '-'}")
    limit = args.limit
    over = [r for r in runs if r.outcome == "stopped" or r.seconds > limit]
    stopped = [r for r in over if r.outcome == "stopped"]
    late = [r for r in runs if r.outcome == "finished" and r.seconds > limit]
    overshoot = max((r.seconds - limit for r in stopped), default=0.0)
    done = max((r.seconds for r in runs if r.outcome == "finished"), default=0.0)
    print(
        f"- time limit: {len(over)} of {len(runs)} drafts ran {limit:g}s; it stopped"
        f" {len(stopped)} of them, at most {overshoot:.2f}s past the limit"
    )
    print(
        f"  every draft that would have run longer was stopped: {'yes' if not late else 'no'}"
        f" ({len(late)} finished after the limit);"
    )
    print(f"  the slowest draft that finished took {done:.2f}s")
    errors = [r for r in runs if r.outcome.startswith("error")]
    if errors:
        print(f"  {len(errors)} drafts failed otherwise: {errors[0].outcome}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--cap", type=float, default=5.0, help="seconds of one re search, at most")
    parser.add_argument("--limit", type=float, default=10.0, help="replybook's TIME_LIMIT")
    args = parser.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",") if s]
    started = time.perf_counter()
    builtin = table_builtin()
    hostile = table_hostile(args.sizes, args.cap)
    runs = table_limit(args.sizes, args.limit)
    summary(builtin, hostile, runs, args)
    print(f"(whole run: {time.perf_counter() - started:.0f}s)")


if __name__ == "__main__":
    main()
