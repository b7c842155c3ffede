"""A reading of drafts beside the brand's real reply: post as is, light edit, or rewrite?

    python bench/read_drafts.py --seed S [--n 40] [--cold] [--eval ../shared/eval]
                                [--playbook default] [--force]
    python bench/read_drafts.py --seed S --tally

Picks a seeded random sample of ``--n`` English (``lang == "en"``) messages of twcs.jsonl
and ibm-cdp.jsonl (``random.Random(S).sample`` of all of them in ``created_at`` order), and
drafts them through the command line (``replybook draft --batch``), each record with its
thread (``context``) and ``received_at``, in a temporary folder that is deleted afterwards:

- by default, warm, as in real use: the whole English set is drafted in one batch in
  ``created_at`` order with a fresh store and ``--record`` (as bench/canned.py does), and
  the sampled messages' drafts are taken from that run, so each saw the replies the team
  had recorded before it;
  Each brand gets a store of its own (its team's memory): a team answering for one brand
  never sees another brand's complaints or replies. ``--one-store`` puts every brand in one
  store, as bench/canned.py does;
- ``--cold``: only the sample is drafted, with ``--no-store``.

Prints, on screen only, for each message: its id, thread and text; the decision (intent,
case, action, flags and the phrase behind each, from ``decide(analyze(text, context=...))``;
the batch's own intent and action beside it if they differ); the public and private reply
and lint findings; and the brand's real reply. The reader judges each draft as a
community manager would (../shared/LABELLING.md, "Reading a draft").

Writes bench/labels/reading-<S>.jsonl, a template of one ``{"id", "verdict": null,
"why": null}`` line per sampled message (ids only, never any text), unless it already
exists (``--force`` overwrites it). Fill in ``verdict`` with ``"post"``, ``"light edit"``
or ``"rewrite"``, and ``why`` (required for a rewrite). ``--tally`` reads the filled file
and prints the shares (target: at least 75% post or light edit, every rewrite explained).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import textwrap
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from canned import draft_batch, messages  # noqa: E402

from replybook import analyze, decide, load_playbook  # noqa: E402

VERDICTS = ("post", "light edit", "rewrite")
LABELS = ROOT / "bench" / "labels"


def key(row: dict[str, Any]) -> str:
    return f"{row['source']}:{row['id']}"


def block(label: str, text: str | None, indent: str = "    ") -> str:
    if not text:
        return f"  {label}: -"
    lines = []
    for paragraph in text.splitlines() or [""]:
        lines += textwrap.wrap(paragraph, 92) or [""]
    return f"  {label}:\n" + "\n".join(indent + line for line in lines)


def show(number: int, row: dict[str, Any], out: dict[str, Any], playbook: Any) -> None:
    print("=" * 100)
    when = row.get("created_at") or "?"
    print(f"[{number}] {key(row)}   brand: {row.get('brand') or '?'}   at {when}")
    for message in row.get("context") or []:
        print(block(f"thread, {message.get('role')}", message.get("text")))
    print(block("MESSAGE", row["text"]))
    try:
        decision = decide(analyze(row["text"], playbook, context=row.get("context")), playbook)
    except Exception as error:  # the reading goes on; the reader sees what failed
        print(f"  decision: failed ({type(error).__name__}: {error})")
        differs = True
    else:
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
        differs = (out.get("intent"), out.get("action")) != (decision.intent, decision.action)
    if "error" in out:
        print(f"  draft: failed: {out['error']}")
        print(block("brand's real reply", row.get("reply")))
        return
    if differs:
        print(f"  the batch drafted it as: {out.get('intent')} / {out.get('action')}")
    extra = f"   topic: {out.get('topic') or '-'}"
    if out.get("incident") is not None:
        extra += f"   incident: #{out['incident']}"
    print(f"  channel: {out.get('channel')}{extra}")
    print(block("PUBLIC reply", out.get("public_reply")))
    print(block("private reply", out.get("private_reply")))
    for finding in out.get("lint") or []:
        print(f"  lint {finding.get('level')}: {finding.get('rule')}: {finding.get('message')}")
    print(block("BRAND's real reply", row.get("reply")))


def template_path(seed: int) -> Path:
    return LABELS / f"reading-{seed}.jsonl"


def write_template(path: Path, ids: list[str], force: bool) -> None:
    if path.exists() and not force:
        print(f"\n{path.relative_to(ROOT)} already exists: left as it is (--force overwrites)")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for row_id in ids:
            fh.write(json.dumps({"id": row_id, "verdict": None, "why": None}) + "\n")
    print(f"\nwrote {path.relative_to(ROOT)}: fill in verdict ({' | '.join(VERDICTS)}) and why")


def tally(seed: int) -> None:
    path = template_path(seed)
    if not path.exists():
        sys.exit(f"{path} does not exist: run with --seed {seed} first")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    counts = Counter(row.get("verdict") for row in rows)
    judged = sum(counts[v] for v in VERDICTS)
    unknown = [r["id"] for r in rows if r.get("verdict") not in (*VERDICTS, None)]
    unexplained = [r["id"] for r in rows if r.get("verdict") == "rewrite" and not r.get("why")]
    print(f"reading-{seed}: {len(rows)} drafts, {judged} judged")
    print(f"{'verdict':<12} {'n':>4} {'share':>7}")
    for verdict in VERDICTS:
        share = counts[verdict] / judged if judged else 0.0
        print(f"{verdict:<12} {counts[verdict]:>4} {share:>7.1%}")
    usable = (counts["post"] + counts["light edit"]) / judged if judged else 0.0
    print(f"{'post + light':<12} {counts['post'] + counts['light edit']:>4} {usable:>7.1%}")
    print(f"not judged yet: {counts[None]}")
    if unknown:
        print(f"unknown verdicts (use {', '.join(VERDICTS)}): {', '.join(unknown)}")
    print(f"rewrites without a why: {len(unexplained)} {' '.join(unexplained)}".rstrip())
    print("target: at least 75% post or light edit, every rewrite explained")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--cold", action="store_true", help="draft the sample alone, no store")
    parser.add_argument(
        "--one-store", action="store_true", help="warm: one store for every brand, not one each"
    )
    parser.add_argument("--eval", default=str(ROOT.parent / "shared" / "eval"))
    parser.add_argument("--playbook", default="default")
    parser.add_argument("--force", action="store_true", help="overwrite the labels template")
    parser.add_argument("--tally", action="store_true", help="count the filled-in verdicts")
    args = parser.parse_args()
    if args.tally:
        tally(args.seed)
        return

    everything = messages(Path(args.eval))
    sample = random.Random(args.seed).sample(everything, min(args.n, len(everything)))
    folder = Path(tempfile.mkdtemp(prefix="replybook-reading-"))
    try:
        if args.cold:
            chosen = sorted(sample, key=lambda r: (r.get("created_at") or "", key(r)))
            out = draft_batch(chosen, folder, args.playbook, store=False)
        elif args.one_store:
            out = draft_batch(everything, folder, args.playbook)
        else:
            out = []
            brands: dict[str, list[dict[str, Any]]] = {}
            for row in everything:
                brands.setdefault(str(row.get("brand") or "?"), []).append(row)
            for number, rows in enumerate(brands.values()):
                own = folder / f"brand-{number}"
                own.mkdir()
                out += draft_batch(rows, own, args.playbook)
        drafted = {str(o.get("id")): o for o in out}
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    playbook = load_playbook(args.playbook)
    how = (
        "alone, no store"
        if args.cold
        else f"from batches of all {len(everything)} with --record"
        + (", one store" if args.one_store else ", one store per brand")
    )
    print(f"seed {args.seed}: {len(sample)} of {len(everything)} English messages, drafted {how}")
    for number, row in enumerate(sample, 1):
        show(number, row, drafted[key(row)], playbook)
    print("=" * 100)
    write_template(template_path(args.seed), [key(row) for row in sample], args.force)


if __name__ == "__main__":
    main()
