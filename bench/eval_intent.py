"""Complaint and abuse detection against the shared evaluation data (macro F1).

    python bench/eval_intent.py [--eval ../shared/eval] [--playbook default] [--errors N]

Prints macro F1 (and precision and recall of the positive class) for:
- complaint: ``decide(analyze(text)).intent == "complaint"`` against complaints.jsonl
  (label ``complaint``);
- abusive: ``analyze(text).abusive`` (abuse found in the text, whatever is done about it)
  against tweeteval-offensive.jsonl (label ``offensive``).

Each set is split in two halves by row number: the rows of the file are numbered 0, 1, 2...
in file order; even-numbered rows are the "tune" half, odd-numbered rows the "held-out"
half. (The parity of the ``id`` field itself is no split: complaints.jsonl's ids are tweet
ids whose low bits are mostly even, which would put about three rows in four on one side.)
Words and thresholds are tuned by looking at the tune half only; the held-out half is the
one the targets are claimed on (complaint macro F1 >= 0.80, abusive macro F1 >= 0.78).
``--errors N`` prints up to N misclassified texts of each kind from the tune half only, on
screen, for reading, never for copying into the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from replybook import analyze, decide, load_playbook  # noqa: E402

HALVES = ("tune", "held-out")
TARGETS = {"complaint": 0.80, "abusive": 0.78}  # macro F1 on the held-out half


def half(row_number: int) -> str:
    """The half of the file's row ``row_number`` (0-based): "tune" if even, else "held-out"."""
    return "tune" if row_number % 2 == 0 else "held-out"


def macro_f1(pairs: Iterable[tuple[bool, bool]]) -> tuple[float, float, float, int]:
    """Macro F1 over the two classes, plus precision and recall of the positive class."""
    tp = fp = fn = tn = 0
    for gold, pred in pairs:
        if gold and pred:
            tp += 1
        elif pred:
            fp += 1
        elif gold:
            fn += 1
        else:
            tn += 1

    def f1(t: int, f_pos: int, f_neg: int) -> float:
        return 2 * t / (2 * t + f_pos + f_neg) if t else 0.0

    pos = f1(tp, fp, fn)
    neg = f1(tn, fn, fp)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return (pos + neg) / 2, precision, recall, tp + fp + fn + tn


def rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate(
    name: str,
    data: list[dict[str, Any]],
    label: str,
    predict: Callable[[str], bool],
    errors: int,
) -> list[tuple[str, str, float, float, float, int]]:
    results = [
        (row, half(number), bool(row[label]), predict(row["text"]))
        for number, row in enumerate(data)
    ]
    table = []
    for part in (*HALVES, "all"):
        chosen = [(g, p) for _, h, g, p in results if part in ("all", h)]
        f1, precision, recall, n = macro_f1(chosen)
        table.append((name, part, f1, precision, recall, n))
    if errors:
        tune = [(r, g, p) for r, h, g, p in results if h == "tune"]
        fps = [r for r, g, p in tune if p and not g][:errors]
        fns = [r for r, g, p in tune if g and not p][:errors]
        for kind, chosen_rows in (("false positives", fps), ("false negatives", fns)):
            print(f"\n--- {name}, tune half: {kind} (for reading only) ---")
            for r in chosen_rows:
                print(f"  {r['id']}: {' '.join(r['text'].split())[:200]}")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", default=str(ROOT.parent / "shared" / "eval"))
    parser.add_argument("--playbook", default="default")
    parser.add_argument(
        "--errors", type=int, default=0, help="print N misclassified texts (tune half only)"
    )
    args = parser.parse_args()
    folder = Path(args.eval)
    playbook = load_playbook(args.playbook)

    table = []
    table += evaluate(
        "complaint",
        rows(folder / "complaints.jsonl"),
        "complaint",
        lambda text: decide(analyze(text, playbook), playbook).intent == "complaint",
        args.errors,
    )
    table += evaluate(
        "abusive",
        rows(folder / "tweeteval-offensive.jsonl"),
        "offensive",
        lambda text: analyze(text, playbook).abusive,
        args.errors,
    )
    sources = {"complaint": "complaints.jsonl", "abusive": "tweeteval-offensive.jsonl"}
    print(
        f"\n{'measure':<10} {'set':<26} {'half':<9} {'rows':>5} {'macro F1':>9}"
        f" {'P(pos)':>7} {'R(pos)':>7} {'target':>7}"
    )
    for name, part, f1, precision, recall, n in table:
        target = ""
        if part == "held-out":
            met = "met" if f1 >= TARGETS[name] else "NOT met"
            target = f">= {TARGETS[name]:.2f} {met}"
        print(
            f"{name:<10} {sources[name]:<26} {part:<9} {n:>5} {f1:>9.3f}"
            f" {precision:>7.3f} {recall:>7.3f}  {target}"
        )
    print("halves by row number in the file: even = tune (look and tune here), odd = held-out")
    print("targets on the held-out half: complaint macro F1 >= 0.80, abusive macro F1 >= 0.78")


if __name__ == "__main__":
    main()
