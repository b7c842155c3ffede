"""Where a draft's and a lint's time goes, stage by stage, in one process.

    python bench/stages.py [--eval ../shared/eval] [--repeat 7] [--limit 1000]

On the customer comments (with their threads) and brand replies of
../shared/eval/twcs.jsonl, times per record:
- analyze(comment, context=thread);
- decide(analysis);
- draft(comment) with its analysis and decision given (composing, rendering and linting
  its own public reply), and lint() of that public reply on its own: the difference is
  the composing and rendering;
- lint(brand reply), alone and against its comment's analysis;
- turning a draft into a JSON line.
Each stage runs over all records once per round; rounds are interleaved and the fastest
round counts (a shared machine drifts). CPU time, not wall time. Prints microseconds per
record and what that stage alone would allow per second.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from replybook import analyze, decide, draft, lint, load_playbook

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", default=str(ROOT.parent / "shared" / "eval"))
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--limit", type=int, default=1000)
    args = parser.parse_args()
    with open(Path(args.eval) / "twcs.jsonl", encoding="utf-8") as source:
        rows = [json.loads(line) for line in source]
    rows = [r for r in rows if r.get("text") and r.get("reply")][: args.limit]
    book = load_playbook("default")
    now = datetime(2026, 11, 23, tzinfo=timezone.utc)
    comments = [r["text"] for r in rows]
    threads = [r.get("context") or None for r in rows]
    replies = [r["reply"] for r in rows]
    analyses = [analyze(c, book, context=t) for c, t in zip(comments, threads, strict=True)]
    decisions = [decide(a, book) for a in analyses]
    given = list(zip(comments, analyses, decisions, strict=True))
    drafts = [draft(c, book, now=now, analysis=a, decision=d) for c, a, d in given]
    publics = [
        (d.public_reply, a, d.channel)
        for d, a in zip(drafts, analyses, strict=True)
        if d.public_reply
    ]

    def over(items: list, step: Callable) -> Callable[[], int]:
        def run() -> int:
            for item in items:
                step(item)
            return len(items)

        return run

    stages: dict[str, Callable[[], int]] = {
        "analyze(comment, thread)": over(
            list(zip(comments, threads, strict=True)),
            lambda p: analyze(p[0], book, context=p[1]),
        ),
        "decide(analysis)": over(analyses, lambda a: decide(a, book)),
        "draft, decision given": over(
            given, lambda p: draft(p[0], book, now=now, analysis=p[1], decision=p[2])
        ),
        "  of which: lint of its reply": over(
            publics, lambda p: lint(p[0], book, comment=p[1], channel=p[2])
        ),
        "draft -> JSON line": over(drafts, lambda d: json.dumps(d.to_dict(), ensure_ascii=False)),
        "lint(brand reply)": over(replies, lambda r: lint(r, book)),
        "lint(brand reply, analysis)": over(
            list(zip(replies, analyses, strict=True)),
            lambda p: lint(p[0], book, comment=p[1]),
        ),
    }
    best = {name: float("inf") for name in stages}
    counts = {}
    for _ in range(args.repeat):
        for name, run in stages.items():
            start = time.process_time()
            counts[name] = run()
            best[name] = min(best[name], time.process_time() - start)
    print(f"{len(rows)} twcs records, fastest of {args.repeat} interleaved rounds (CPU time)")
    print(f"{'stage':<32} {'µs/record':>10} {'records/s alone':>16}")
    for name in stages:
        per = best[name] / counts[name] * 1e6
        print(f"{name:<32} {per:>10.1f} {1e6 / per:>16,.0f}")
    drafted = counts["draft, decision given"]
    linting = best["  of which: lint of its reply"]
    composing = (best["draft, decision given"] - linting) / drafted * 1e6
    print(f"{'  of which: the rest, per draft':<32} {composing:>10.1f}")
    print("(the reply's lint is per public reply; not every draft has one)")
    print("a draft in a batch = analyze + decide + draft + JSON line (+ reading, the store);")
    print("targets for a batch: draft >= 3,000 records/s, lint >= 10,000 records/s")


if __name__ == "__main__":
    main()
