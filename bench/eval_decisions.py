"""Decision accuracy against hand labels of real customer messages.

    python bench/eval_decisions.py [--eval ../shared/eval] [--playbook default] [--errors N]
                                   [--split tune|held-out|all]

The labels live in bench/labels/decisions-{twcs,ibm-cdp}*.jsonl as ids and labels only (intent,
action, flags), made by hand from LABELLING.md, from each message and its thread, before
any tuning. The texts are read from the evaluation folder at run time and never stored.

Each labelled message is analysed with its thread (``context``) and decided. Printed, per
half and overall:
- intent and action accuracy (targets: intent >= 0.88, action >= 0.95);
- the three failures that must never happen: a sarcastic complaint answered as praise, a
  specific problem moderated or skipped, a safety report not escalated;
- a confusion table of intents.

The halves: a message is in the "tune" half when the first hex digit of
sha1("<source>:<id>") is even, else in the "held-out" half. Rules and words are tuned on
the tune half only; the held-out half is what the numbers claim. ``--errors N`` prints up
to N mismatches of the chosen split, with their text, for reading on screen (never copy
them into the repository).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from replybook import analyze, decide, load_playbook  # noqa: E402

INTENTS = ("complaint", "question", "praise", "joke", "troll", "other")
SAFETY = "safety"


def half(source: str, row_id: str) -> str:
    digit = int(hashlib.sha1(f"{source}:{row_id}".encode()).hexdigest()[0], 16)
    return "tune" if digit % 2 == 0 else "held-out"


def load(eval_dir: Path) -> list[dict[str, Any]]:
    """Every labelled message joined with its text and thread."""
    labels: dict[tuple[str, str], dict[str, Any]] = {}
    for path in sorted((ROOT / "bench" / "labels").glob("decisions-*.jsonl")):
        stem = path.stem.removeprefix("decisions-")
        source = next((s for s in ("twcs", "ibm-cdp") if stem.startswith(s)), None)
        if source is None:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                labels[(source, str(row["id"]))] = row
    out = []
    for source in ("twcs", "ibm-cdp"):
        for line in (eval_dir / f"{source}.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            label = labels.get((source, str(row["id"])))
            if label is None:
                continue
            out.append(
                {
                    "source": source,
                    "id": str(row["id"]),
                    "text": row["text"],
                    "context": row.get("context") or [],
                    "gold": label,
                    "half": half(source, str(row["id"])),
                }
            )
    return out


def run(rows: list[dict[str, Any]], playbook: Any) -> None:
    for row in rows:
        analysis = analyze(row["text"], playbook, context=row["context"])
        decision = decide(analysis, playbook)
        row["pred"] = decision
        row["analysis"] = analysis


def failures(row: dict[str, Any]) -> list[str]:
    """The never-do failures this row shows."""
    gold, pred = row["gold"], row["pred"]
    out = []
    flags = set(gold.get("flags") or ())
    if "sarcastic" in flags and gold["intent"] == "complaint" and pred.intent in ("praise", "joke"):
        out.append("sarcasm thanked")
    if (
        ("specific_problem" in flags or gold["intent"] == "complaint")
        and gold["action"] in ("reply", "escalate")
        and pred.action in ("moderate", "skip")
    ):
        out.append("specific problem moderated/skipped")
    if gold["action"] == "escalate" and pred.action != "escalate":
        out.append("escalation missed")
    return out


def table(rows: list[dict[str, Any]], name: str) -> tuple[str, ...]:
    n = len(rows)
    if not n:
        return (name, "0", "-", "-", "-", "-", "-")
    intent = sum(r["gold"]["intent"] == r["pred"].intent for r in rows) / n
    action = sum(r["gold"]["action"] == r["pred"].action for r in rows) / n
    counts = Counter(f for r in rows for f in failures(r))
    return (
        name,
        str(n),
        f"{intent:.3f}",
        f"{action:.3f}",
        str(counts["sarcasm thanked"]),
        str(counts["specific problem moderated/skipped"]),
        str(counts["escalation missed"]),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval", default=str(ROOT.parent / "shared" / "eval"))
    parser.add_argument("--playbook", default="default")
    parser.add_argument("--errors", type=int, default=0)
    parser.add_argument("--split", choices=("tune", "held-out", "all"), default="tune")
    args = parser.parse_args()
    playbook = load_playbook(args.playbook)
    rows = load(Path(args.eval))
    run(rows, playbook)

    header = ("set", "rows", "intent", "action", "sarcasm thanked", "specific hidden", "esc missed")
    lines = [header]
    for name in ("tune", "held-out"):
        lines.append(table([r for r in rows if r["half"] == name], name))
    for source in ("twcs", "ibm-cdp"):
        lines.append(table([r for r in rows if r["source"] == source], source))
    lines.append(table(rows, "all"))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                        for i, (cell, w) in enumerate(zip(line, widths, strict=True))))
    print("targets: intent >= 0.88, action >= 0.95, and no failure of the three kinds")

    chosen = [r for r in rows if args.split == "all" or r["half"] == args.split]
    print(f"\nintent confusion ({args.split}): gold rows, predicted columns")
    print("gold\\pred  " + " ".join(f"{i[:6]:>6}" for i in INTENTS))
    for gold in INTENTS:
        counts = Counter(r["pred"].intent for r in chosen if r["gold"]["intent"] == gold)
        print(f"{gold:<10} " + " ".join(f"{counts[p]:>6}" for p in INTENTS))

    if args.errors:
        shown = 0
        print(f"\nmismatches ({args.split}), for reading only:")
        for r in chosen:
            gold, pred = r["gold"], r["pred"]
            if gold["intent"] == pred.intent and gold["action"] == pred.action:
                continue
            shown += 1
            if shown > args.errors:
                break
            print(
                f"- {r['source']}:{r['id']} gold {gold['intent']}/{gold['action']} "
                f"{sorted(gold.get('flags') or [])} -> {pred.intent}/{pred.action} "
                f"{sorted(pred.flags)} {dict(pred.evidence)} {failures(r)}"
            )
            for message in r["context"][-3:]:
                print(f"    [{message['role']}] {' '.join(message['text'].split())[:200]}")
            print(f"    > {' '.join(r['text'].split())[:300]}")


if __name__ == "__main__":
    main()
