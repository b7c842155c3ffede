"""Where real customer messages are routed (route), and by what.

    python bench/route.py [--eval ../shared/eval] [--playbook default]
                          [--show N] [--seed S] [--labels bench/labels/routes-reading.jsonl]

Reads ../shared/eval/twcs.jsonl and ibm-cdp.jsonl at run time (the texts are never stored),
analyses each message with its thread and decides, and prints per set the number of messages
per route, and per route what decided it (a complaint, an escalation, one of the route's
phrases, the intent, the topic, the default).

``--show N --seed S`` prints N messages picked by the seed (at most half of them support,
which most of both sets is), with their id, route, what routed it and the text, to judge by
hand on screen (never copy them into the repository). ``--labels FILE`` scores the routes
against hand labels stored as ids and labels only: one JSON object per line,
``{"source", "id", "route"}``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from replybook import analyze, decide, load_playbook  # noqa: E402

SETS = ("twcs", "ibm-cdp")
BY = (
    "complaint",
    "rating",
    "escalation",
    "thread",
    "phrase",
    "handle",
    "intent",
    "topic",
    "default",
)


def load(eval_dir: Path) -> list[dict[str, Any]]:
    rows = []
    for source in SETS:
        for line in (eval_dir / f"{source}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows.append(
                    {
                        "source": source,
                        "id": str(row["id"]),
                        "text": row["text"],
                        "context": row.get("context") or [],
                    }
                )
    return rows


def route(rows: list[dict[str, Any]], playbook: Any) -> None:
    for row in rows:
        decision = decide(analyze(row["text"], playbook, context=row["context"]), playbook)
        row["decision"] = decision


def print_counts(rows: list[dict[str, Any]], routes: tuple[str, ...]) -> None:
    print(
        f"{'set':<10} {'route':<11} {'messages':>8} {'share':>6}  "
        + " ".join(f"{b:>10}" for b in BY)
    )
    for source in (*SETS, "all"):
        mine = [r for r in rows if source in ("all", r["source"])]
        counts = Counter(r["decision"].route for r in mine)
        by = Counter((r["decision"].route, r["decision"].route_by) for r in mine)
        for name in routes:
            share = counts[name] / len(mine) if mine else 0.0
            cells = " ".join(f"{by[(name, b)]:>10}" for b in BY)
            print(f"{source:<10} {name:<11} {counts[name]:>8} {share:>6.1%}  {cells}")
        print(f"{source:<10} {'(total)':<11} {len(mine):>8}")


def show(rows: list[dict[str, Any]], count: int, seed: int) -> None:
    """A seeded sample to read by hand: at most half of it support."""
    rng = random.Random(seed)
    others = [r for r in rows if r["decision"].route != "support"]
    support = [r for r in rows if r["decision"].route == "support"]
    picked = rng.sample(others, min(len(others), count - count // 2))
    picked += rng.sample(support, min(len(support), count - len(picked)))
    for row in picked:
        d = row["decision"]
        found = d.evidence.get("route") or ""
        text = " ".join(row["text"].split())
        print(f"{row['source']}:{row['id']}  {d.route} by {d.route_by} ({found}) [{d.intent}]")
        print(f"    {text[:300]}")


def score(rows: list[dict[str, Any]], path: Path) -> None:
    labels = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            labels[(item["source"], str(item["id"]))] = item["route"]
    judged = [(r, labels[(r["source"], r["id"])]) for r in rows if (r["source"], r["id"]) in labels]
    right = [r for r, gold in judged if r["decision"].route == gold]
    print(f"hand labels: {len(judged)} judged, {len(right)} routed as labelled")
    for r, gold in judged:
        if r["decision"].route != gold:
            print(f"  {r['source']}:{r['id']}: routed {r['decision'].route}, labelled {gold}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", default=str(ROOT.parent / "shared" / "eval"))
    parser.add_argument("--playbook", default="default")
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--labels", default="")
    args = parser.parse_args()
    playbook = load_playbook(args.playbook)
    rows = load(Path(args.eval))
    route(rows, playbook)
    print_counts(rows, playbook.routes())
    if args.labels:
        score(rows, Path(args.labels))
    if args.show:
        show(rows, args.show, args.seed)


if __name__ == "__main__":
    main()
