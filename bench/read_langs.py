"""A reading of drafts in Turkish, Russian, Persian or Finnish: post as is, light edit, or rewrite?

    python bench/read_langs.py --lang tr [--n 10] [--seed S] [--playbook default]

Picks ``--n`` messages of the hand-written set bench/sets/decisions-<lang>.jsonl at random
(``random.Random(S).sample`` of the set in file order) and drafts each with
``replybook.draft(text, playbook, context=...)``, its thread as ``context``, received at
``--received-at`` (default 2026-03-02T10:00:00Z, a weekday morning, so due times repeat).

Prints, on screen only, for each message: its id, thread and text; the hand label (intent,
action, flags); the decision (intent, case, action, flags and the phrase behind each); the
comment's and the reply's language; the public reply, the private reply, the note and lint
findings. The reader judges each draft as a community manager would
(../shared/LABELLING.md, "Reading a draft"): post as is, light edit, or rewrite (the
decision is wrong, the reply misreads the message, names the problem with broken words,
echoes an insult or personal data, laughs at a loss, promises too much, reads like a copy
of the last reply).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import textwrap
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import replybook  # noqa: E402
from replybook import load_playbook  # noqa: E402

LANGS = ("tr", "ru", "fa", "fi")
SETS = ROOT / "bench" / "sets"


def block(label: str, text: str | None, indent: str = "    ") -> str:
    if not text:
        return f"  {label}: -"
    lines = []
    for paragraph in text.splitlines() or [""]:
        lines += textwrap.wrap(paragraph, 92) or [""]
    return f"  {label}:\n" + "\n".join(indent + line for line in lines)


def show(number: int, row: dict[str, Any], playbook: Any, received_at: str) -> None:
    print("=" * 100)
    print(f"[{number}] {row['id']}")
    for message in row.get("context") or []:
        print(block(f"thread, {message.get('role')}", message.get("text")))
    print(block("COMMENT", row["text"]))
    gold_flags = ", ".join(sorted(row.get("flags") or [])) or "-"
    print(f"  label:    {row.get('intent')} / {row.get('action')}   flags: {gold_flags}")
    try:
        result = replybook.draft(
            row["text"], playbook, context=row.get("context") or None, received_at=received_at
        )
    except Exception as error:  # the reading goes on; the reader sees what failed
        print(f"  draft: failed ({type(error).__name__}: {error})")
        return
    decision = result.decision
    if decision is not None:
        flags = ", ".join(
            f"{flag} ({decision.evidence[flag]!r})" if flag in decision.evidence else flag
            for flag in sorted(decision.flags)
        )
        print(
            f"  decision: {decision.intent} / {decision.case} / {decision.action}"
            f"   flags: {flags or '-'}"
        )
        others = {k: v for k, v in decision.evidence.items() if k not in decision.flags}
        if others:
            print("  evidence: " + ", ".join(f"{k} {v!r}" for k, v in others.items()))
    else:
        print(f"  decision: {result.intent} / {result.case} / {result.action}")
    same = (row.get("intent"), row.get("action")) == (result.intent, result.action)
    due = f"   due: {result.due}" if result.due else ""
    print(
        f"  language: comment {result.analysis.language}, reply {result.language}"
        f"   topic: {result.topic or '-'}   channel: {result.channel}{due}"
        f"   {'as labelled' if same else 'NOT as labelled'}"
    )
    print(block("PUBLIC reply", result.public_reply))
    print(block("private reply", result.private_reply))
    if result.note:
        print(block("note", result.note))
    for finding in result.lint:
        print(f"  lint {finding.level}: {finding.rule}: {finding.message}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", required=True, choices=LANGS)
    parser.add_argument("--n", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--playbook", default="default")
    parser.add_argument("--received-at", default="2026-03-02T10:00:00Z")
    args = parser.parse_args()
    path = SETS / f"decisions-{args.lang}.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    sample = random.Random(args.seed).sample(rows, min(args.n, len(rows)))
    playbook = load_playbook(args.playbook)
    print(f"{len(sample)} drafts of {path.relative_to(ROOT)}, seed {args.seed}")
    for number, row in enumerate(sample, 1):
        show(number, row, playbook, args.received_at)
    print("=" * 100)
    print("judge each: post as is / light edit / rewrite (../shared/LABELLING.md)")


if __name__ == "__main__":
    main()
