"""Accuracy of replybook's comment analysis against the shared evaluation data.

    python bench/eval_intent.py [--eval ../shared/eval] [--playbook default] [--errors N]

Prints macro F1 for:
- ``intent == "complaint"`` against complaints.jsonl (label ``complaint``);
- ``abusive`` against tweeteval-offensive.jsonl (label ``offensive``).
Each set is also split in two halves by row id (even / odd) so that tuning on one half can
be checked on the other. ``--errors N`` prints N misclassified texts of each kind, for
reading, never for copying into the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from replybook import analyze, load_playbook  # noqa: E402


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


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate(
    name: str, data: list[dict], label: str, predict: Callable[[str], bool], errors: int
) -> list[tuple[str, str, float, float, float, int]]:
    results = [(row, bool(row[label]), predict(row["text"])) for row in data]
    table = []
    for part, keep in (
        ("all", lambda i: True),
        ("even", lambda i: i % 2 == 0),
        ("odd", lambda i: i % 2 == 1),
    ):
        chosen = [(g, p) for idx, (_, g, p) in enumerate(results) if keep(idx)]
        f1, precision, recall, n = macro_f1(chosen)
        table.append((name, part, f1, precision, recall, n))
    if errors:
        fps = [r["text"] for r, g, p in results if p and not g][:errors]
        fns = [r["text"] for r, g, p in results if g and not p][:errors]
        print(f"\n--- {name}: false positives ---")
        for text in fps:
            print("  ", text.replace("\n", " ")[:200])
        print(f"--- {name}: false negatives ---")
        for text in fns:
            print("  ", text.replace("\n", " ")[:200])
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", default=str(ROOT.parent / "shared" / "eval"))
    parser.add_argument("--playbook", default="default")
    parser.add_argument("--errors", type=int, default=0)
    args = parser.parse_args()
    folder = Path(args.eval)
    playbook = load_playbook(args.playbook)

    table = []
    table += evaluate(
        "complaint (complaints.jsonl)",
        rows(folder / "complaints.jsonl"),
        "complaint",
        lambda text: analyze(text, playbook).intent == "complaint",
        args.errors,
    )
    table += evaluate(
        "abusive (tweeteval-offensive.jsonl)",
        rows(folder / "tweeteval-offensive.jsonl"),
        "offensive",
        lambda text: analyze(text, playbook).abusive,
        args.errors,
    )
    print(f"\n{'measure':<38} {'rows':>5} {'macro F1':>9} {'P(pos)':>7} {'R(pos)':>7}")
    for name, part, f1, precision, recall, n in table:
        print(f"{name + ' ' + part:<38} {n:>5} {f1:>9.3f} {precision:>7.3f} {recall:>7.3f}")
    print("targets: complaint macro F1 >= 0.75, abusive macro F1 >= 0.72")


if __name__ == "__main__":
    main()
