"""Canned sameness: how many complaint replies are near-copies of a reply sent just before.

    python bench/canned.py [--eval ../shared/eval] [--playbook default] [--limit N]
                           [--threshold 88] [--window 200]

Builds one batch, in a temporary folder that is deleted afterwards, of every English
(``lang == "en"``) message of twcs.jsonl and ibm-cdp.jsonl in ``created_at`` order, each
record with ``id`` (``<source>:<id>``), ``text``, ``context`` (the earlier thread messages)
and ``received_at``. Drafts it the way a team would, through the command line:

    replybook draft --batch FILE --db STORE --record --format json

with a fresh store, so each draft sees the replies recorded before it. Then, for every
message replybook decided is a complaint, takes the highest rapidfuzz ``fuzz.ratio`` of its
public reply against the ``--window`` (200) public replies before it in the batch, and
prints the share at ``--threshold`` (88) or more (target: at most 15%), with the shares at
95, 88 and 80. The brands' real replies (the ``reply`` field) to the same messages are
measured the same way against the brands' replies before them, as a baseline, both as
posted and with the leading @handles removed (replybook's replies have none). Each row is
given for all the complaints and for those of each source. Also the
median public reply length, and how many of replybook's own drafts its lint flags as
``canned-reply``. ``--limit N`` drafts only the first N messages.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("twcs", "ibm-cdp")
LEVELS = (95, 88, 80)
_LEADING_HANDLES = re.compile(r"^(?:\s*@\w+)+\s*")


def messages(eval_dir: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Every English message of twcs and ibm-cdp, oldest first, with its source row."""
    rows = []
    for source in SOURCES:
        with (eval_dir / f"{source}.jsonl").open(encoding="utf-8") as fh:
            for number, line in enumerate(fh):
                if not line.strip():
                    continue
                row = json.loads(line)
                if row.get("lang") == "en" and row.get("text"):
                    rows.append((row.get("created_at") or "", source, number, row))
    rows.sort(key=lambda item: item[:3])
    out = [{"source": source, **row} for _, source, _, row in rows]
    return out[:limit] if limit else out


def record(row: dict[str, Any]) -> dict[str, Any]:
    """The batch record for one message: what a team's inbox export would carry."""
    out: dict[str, Any] = {"id": f"{row['source']}:{row['id']}", "text": row["text"]}
    if row.get("context"):
        out["context"] = row["context"]
    if row.get("created_at"):
        out["received_at"] = row["created_at"]
    return out


def replybook_script() -> str:
    found = shutil.which("replybook", path=str(Path(sys.executable).parent))
    found = found or shutil.which("replybook")
    if found is None:
        sys.exit("replybook is not installed in this environment (pip install -e .)")
    return found


def draft_batch(
    rows: Sequence[dict[str, Any]],
    folder: Path,
    playbook: str,
    *,
    store: bool = True,
) -> list[dict[str, Any]]:
    """Draft ``rows`` in one ``replybook draft --batch`` run; one output object per row.

    With ``store``, a new store in ``folder`` and ``--record`` (each public reply is
    remembered as sent, as a team drafting and posting would); else ``--no-store``."""
    batch = folder / "batch.jsonl"
    with batch.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(record(row), ensure_ascii=False) + "\n")
    cmd = [replybook_script(), "draft", "--batch", str(batch), "--playbook", playbook]
    cmd += ["--format", "json"]
    cmd += ["--db", str(folder / "store.db"), "--record"] if store else ["--no-store"]
    done = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "REPLYBOOK_NO_PROGRESS": "1"},
    )
    if done.returncode not in (0, 1):
        sys.exit(f"replybook draft --batch failed ({done.returncode}): {done.stderr.strip()}")
    out = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    if len(out) != len(rows):
        sys.exit(f"expected {len(rows)} output records, got {len(out)}: {done.stderr.strip()}")
    return out


def nearest(replies: Sequence[str | None], chosen: Sequence[int], window: int) -> list[float]:
    """For each index in ``chosen``, the highest fuzz.ratio of its reply against the
    ``window`` replies before it (replies that are None don't count, nor take a place)."""
    earlier: list[int] = []  # positions of the non-empty replies seen so far
    at: dict[int, int] = {}  # reply index -> how many non-empty replies came before it
    for index, reply in enumerate(replies):
        at[index] = len(earlier)
        if reply:
            earlier.append(index)
    scores = []
    for index in chosen:
        reply = replies[index]
        if not reply:
            continue
        before = [replies[i] or "" for i in earlier[max(0, at[index] - window) : at[index]]]
        best = process.extractOne(reply, before, scorer=fuzz.ratio) if before else None
        scores.append(float(best[1]) if best else 0.0)
    return scores


def shares(scores: Sequence[float], threshold: float) -> tuple[int, float, list[float]]:
    n = len(scores)
    if not n:
        return 0, 0.0, [0.0 for _ in LEVELS]
    return (
        n,
        sum(s >= threshold for s in scores) / n,
        [sum(s >= level for s in scores) / n for level in LEVELS],
    )


def strip_handles(text: str | None) -> str | None:
    return _LEADING_HANDLES.sub("", text) if text else text


def median_length(texts: Sequence[str | None]) -> float:
    lengths = [len(t) for t in texts if t]
    return statistics.median(lengths) if lengths else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", default=str(ROOT.parent / "shared" / "eval"))
    parser.add_argument("--playbook", default="default")
    parser.add_argument("--limit", type=int, default=None, help="draft the first N messages")
    parser.add_argument("--threshold", type=float, default=88.0, help="fuzz.ratio (default 88)")
    parser.add_argument("--window", type=int, default=200, help="replies before (default 200)")
    args = parser.parse_args()

    rows = messages(Path(args.eval), args.limit)
    folder = Path(tempfile.mkdtemp(prefix="replybook-canned-"))
    try:
        out = draft_batch(rows, folder, args.playbook)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    failed = [o["id"] for o in out if "error" in o]
    complaints = [i for i, o in enumerate(out) if o.get("intent") == "complaint"]
    ours = [o.get("public_reply") for o in out]
    theirs = [row.get("reply") for row in rows]
    bare = [strip_handles(r) for r in theirs]
    table = [
        ("replybook drafts", ours),
        ("brands' replies, as posted", theirs),
        ("brands' replies, no @handles", bare),
    ]

    print(
        f"{len(rows)} English messages (twcs + ibm-cdp) in one batch with a store and --record,"
        f" playbook {args.playbook}"
    )
    by_intent: dict[str, int] = {}
    for o in out:
        key = o.get("intent") or "error"
        by_intent[key] = by_intent.get(key, 0) + 1
    print("replybook's intents: " + ", ".join(f"{k} {v}" for k, v in sorted(by_intent.items())))
    if failed:
        print(f"records that failed: {len(failed)} (first ids: {', '.join(failed[:5])})")
    print(
        f"\ncomplaint replies: highest fuzz.ratio against the {args.window} public replies"
        " before each, in the same batch"
    )
    levels = " ".join(f"{'>= ' + str(level):>7}" for level in LEVELS)
    head = f"{'replies':<30} {'messages':<8} {'n':>5} {'>= ' + format(args.threshold, 'g'):>8}"
    print(f"{head}  {levels}")
    for name, replies in table:
        for subset in ("all", *SOURCES):
            chosen = [i for i in complaints if subset in ("all", rows[i]["source"])]
            scores = nearest(replies, chosen, args.window)
            n, share, dist = shares(scores, args.threshold)
            cells = " ".join(f"{d:>7.1%}" for d in dist)
            label = name if subset == "all" else ""
            print(f"{label:<30} {subset:<8} {n:>5} {share:>8.1%}  {cells}")
    print(f"target: at most 15% of replybook's complaint replies at {args.threshold:g} or more")

    print(f"\n{'median public reply length':<30} {'all':>8} {'complaints':>11}")
    for name, replies in table:
        every = median_length(replies)
        of_complaints = median_length([replies[i] for i in complaints])
        print(f"{name:<30} {every:>8.0f} {of_complaints:>11.0f}")

    flagged = sum(
        any(f.get("rule") == "canned-reply" for f in o.get("lint") or [])
        for o in out
        if o.get("public_reply")
    )
    drafted = sum(1 for o in out if o.get("public_reply"))
    print(f"\nreplybook's own lint: canned-reply on {flagged} of {drafted} public replies")


if __name__ == "__main__":
    main()
