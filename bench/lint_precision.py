"""Lint precision on real brand replies, read against the comments they answer.

    python bench/lint_precision.py [--eval ../shared/eval] [--seed 1] [--sample 30]
                                   [--rules id,id] [--labels bench/labels/lint-precision.jsonl]

Lints the ``reply`` field of every record of twcs.jsonl and ibm-cdp.jsonl with the default
playbook, against the record's comment (``text``) and its thread (``context``), as
``replybook lint --comment`` does. Prints the number of findings per rule and level over the
whole set, then a seeded random sample of findings at warning or error (``--rules``: only
those rules), each with its rule, match, reply and comment, for a person to judge. The texts
are printed on screen for reading only, never for copying into the repository.

A person's verdicts go in ``--labels`` as JSON lines ``{"source", "id", "rule", "verdict"}``
(``verdict``: ``right`` or ``wrong``; ids only, never any text). With that file, the sample
is printed with the verdict already given to each finding, and the count of right ones.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import textwrap
from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from replybook import load_playbook  # noqa: E402
from replybook.linter import Finding, lint  # noqa: E402

SOURCES = ("twcs", "ibm-cdp")
SERIOUS = ("warning", "error")


class Found(NamedTuple):
    """One finding on one record's reply."""

    source: str
    id: str
    finding: Finding
    record: dict[str, Any]


def records(folder: Path) -> list[dict[str, Any]]:
    """Every record of the two sets that has a comment and a brand reply, in file order."""
    out = []
    for source in SOURCES:
        with (folder / f"{source}.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                record = json.loads(line)
                if str(record.get("reply") or "").strip() and str(record.get("text") or "").strip():
                    record.setdefault("source", source)
                    out.append(record)
    return out


def lint_all(rows: list[dict[str, Any]]) -> list[Found]:
    """Each reply linted against its comment and thread."""
    playbook = load_playbook("default")
    found = []
    for record in rows:
        context = [m for m in record.get("context") or [] if isinstance(m, dict)]
        for finding in lint(record["reply"], playbook, comment=record["text"], context=context):
            found.append(Found(record["source"], str(record["id"]), finding, record))
    return found


def read_labels(path: Path | None) -> dict[tuple[str, str, str], str]:
    """(source, id, rule) -> verdict, from a labels file (missing file: none)."""
    if path is None or not path.exists():
        return {}
    labels = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            labels[(row["source"], str(row["id"]), row["rule"])] = row["verdict"]
    return labels


def show(text: str, label: str) -> str:
    flat = " ".join(str(text).split())
    return textwrap.fill(
        flat, width=100, initial_indent=f"     {label:<9}", subsequent_indent=" " * 14
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", default=str(ROOT.parent / "shared" / "eval"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample", type=int, default=30, metavar="N")
    parser.add_argument("--rules", default="", help="sample only these rule ids (comma-separated)")
    parser.add_argument("--labels", type=Path, default=None, help="verdicts to show and count")
    args = parser.parse_args()

    rows = records(Path(args.eval))
    found = lint_all(rows)
    print(f"linted {len(rows)} brand replies ({', '.join(SOURCES)}) against their comments")
    print(
        f"findings: {len(found)}; replies with a warning or error: "
        f"{len({(f.source, f.id) for f in found if f.finding.level in SERIOUS})}\n"
    )
    by_rule = Counter((f.finding.rule, f.finding.level) for f in found)
    print(f"{'rule':<36} {'level':<11} {'count':>6}")
    for (rule, level), count in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"{rule:<36} {level:<11} {count:>6}")

    wanted = {r.strip() for r in args.rules.split(",") if r.strip()}
    pool = [
        f for f in found if f.finding.level in SERIOUS and (not wanted or f.finding.rule in wanted)
    ]
    sample = random.Random(args.seed).sample(pool, min(args.sample, len(pool)))
    labels = read_labels(args.labels)
    which = f" of {', '.join(sorted(wanted))}" if wanted else ""
    print(
        f"\nsample of {len(sample)} of {len(pool)} warnings and errors{which} (seed {args.seed}):"
    )
    verdicts: Counter[str] = Counter()
    for number, item in enumerate(sample, 1):
        f = item.finding
        verdict = labels.get((item.source, item.id, f.rule), "unjudged")
        verdicts[verdict] += 1
        print(f"\n{number:>3}. {f.rule} [{f.level}] {item.source} {item.id}  verdict: {verdict}")
        print(f"     match:   {f.match!r}")
        print(show(item.record["reply"], "reply:"))
        print(show(item.record["text"], "comment:"))
        thread = item.record.get("context") or []
        if thread:
            last = thread[-1]
            print(show(last.get("text", ""), f"{last.get('role', '?')}:"))
    if labels:
        print(
            f"\nverdicts: {verdicts['right']} right, {verdicts['wrong']} wrong, "
            f"{verdicts['unjudged']} unjudged, of {len(sample)}"
        )


if __name__ == "__main__":
    main()
