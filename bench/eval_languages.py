"""Decisions and detection in Turkish, Russian, Persian and Finnish.

    python bench/eval_languages.py [--eval ../shared/eval] [--playbook default] [--errors N]
                                   [--lang tr,ru,fa,fi]

Three parts, printed as tables (nothing is timed or asserted):

1. The hand-written sets bench/sets/decisions-<lang>.jsonl (bench/sets/README.md): each
   message is analysed with its thread (``context``) and decided,
   ``decide(analyze(text, pb, context=ctx), pb)``. Per language and half: rows, the share
   detected as the set's own language (``analysis.language``), intent and action accuracy,
   and the three failures that must never happen (a sarcastic complaint answered as praise,
   a specific problem moderated or skipped, a safety report not escalated); then a
   confusion table of intents per language (all rows).

2. The probe sets bench/sets/probe-<lang>.jsonl (en too), written the same way as the
   decision sets, later, to test the engine on messages nobody tuned it on: each row says
   its half, "tune" (written first; words were tuned on them) or "blind" (written after
   that tuning and never tuned on: the honest number).

3. The shared evaluation data (``--eval``), macro F1 as bench/eval_intent.py counts it:
   - Turkish abuse: ``analyze(text, pb).abusive`` against ``offensive`` on
     offenseval2020-tr.jsonl (target 0.72);
   - Russian and Persian complaints: ``decide(analyze(text, pb), pb).intent == "complaint"``
     against ``sentiment == "negative"``, the other class being ``positive``; ``neutral`` rows
     are left out; on sentirueval2016.jsonl and pars-absa.jsonl (targets 0.75).

The halves: the rows of each file are numbered 0, 1, 2... in file order (before neutral
rows are left out); even-numbered rows are the "tune" half, odd-numbered rows the
"held-out" half, in the own sets and the shared data alike. Words and thresholds are tuned
by looking at the tune half only; targets are claimed on the held-out half. ``--errors N``
prints up to N mismatches of each kind from the tune half only, on screen, for reading,
never for copying into the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eval_decisions import failures  # noqa: E402  (the never-do failures, counted alike)
from eval_intent import macro_f1  # noqa: E402

from replybook import analyze, decide, load_playbook  # noqa: E402

LANGS = ("tr", "ru", "fa", "fi")
PROBE_LANGS = ("en", *LANGS)
INTENTS = ("complaint", "question", "praise", "joke", "troll", "other")
HALVES = ("tune", "held-out")
PROBE_HALVES = ("tune", "blind")
SETS = ROOT / "bench" / "sets"


def _negative(row: dict[str, Any]) -> bool | None:
    """True for negative, False for positive, None (left out) for neutral."""
    sentiment = row.get("sentiment")
    return {"negative": True, "positive": False}.get(str(sentiment))


# (measure, file, gold label of a row or None to leave it out, predictor kind, target)
SHARED = (
    ("tr abusive", "offenseval2020-tr.jsonl", lambda r: bool(r["offensive"]), "abusive", 0.72),
    ("ru complaint", "sentirueval2016.jsonl", _negative, "complaint", 0.75),
    ("fa complaint", "pars-absa.jsonl", _negative, "complaint", 0.75),
)


def half(row_number: int) -> str:
    """The half of the file's row ``row_number`` (0-based): "tune" if even, else "held-out"."""
    return "tune" if row_number % 2 == 0 else "held-out"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def fmt(lines: list[tuple[str, ...]]) -> None:
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    for line in lines:
        print(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(line, widths, strict=True))
            )
        )


def short(text: str, n: int = 200) -> str:
    return " ".join(text.split())[:n]


# --- the own sets ---------------------------------------------------------------------


def load_set(lang: str, kind: str = "decisions") -> list[dict[str, Any]]:
    """The rows of ``bench/sets/<kind>-<lang>.jsonl`` (none when a probe set is missing).

    Decision sets split by row number; probe sets carry their half in each row: "tune"
    (written first, tuned on) or "blind" (written after the tuning, never tuned on).
    """
    path = SETS / f"{kind}-{lang}.jsonl"
    if kind != "decisions" and not path.exists():
        return []
    out = []
    for number, row in enumerate(read_jsonl(path)):
        out.append(
            {
                "id": str(row["id"]),
                "lang": row.get("lang") or lang,
                "text": row["text"],
                "context": row.get("context") or [],
                "gold": row,
                "half": str(row["half"]) if kind != "decisions" else half(number),
            }
        )
    return out


def run(rows: list[dict[str, Any]], playbook: Any) -> None:
    for row in rows:
        analysis = analyze(row["text"], playbook, context=row["context"])
        row["analysis"] = analysis
        row["pred"] = decide(analysis, playbook)


def set_line(lang: str, part: str, rows: list[dict[str, Any]]) -> tuple[str, ...]:
    n = len(rows)
    if not n:
        return (lang, part, "0", "-", "-", "-", "-", "-", "-")
    detected = sum(r["analysis"].language == lang for r in rows) / n
    intent = sum(r["gold"]["intent"] == r["pred"].intent for r in rows) / n
    action = sum(r["gold"]["action"] == r["pred"].action for r in rows) / n
    counts = Counter(f for r in rows for f in failures(r))
    return (
        lang,
        part,
        str(n),
        f"{detected:.3f}",
        f"{intent:.3f}",
        f"{action:.3f}",
        str(counts["sarcasm thanked"]),
        str(counts["specific problem moderated/skipped"]),
        str(counts["escalation missed"]),
    )


def own_sets(langs: Iterable[str], playbook: Any, errors: int, kind: str = "decisions") -> None:
    data = {}
    for lang in langs:
        rows = load_set(lang, kind)
        if not rows:
            continue
        run(rows, playbook)
        data[lang] = rows
    if not data:
        return
    halves = HALVES if kind == "decisions" else PROBE_HALVES
    header = (
        "lang",
        "half",
        "rows",
        "detected",
        "intent",
        "action",
        "sarcasm thanked",
        "specific hidden",
        "esc missed",
    )
    lines = [header]
    for lang, rows in data.items():
        for part in (*halves, "all"):
            lines.append(set_line(lang, part, [r for r in rows if part in ("all", r["half"])]))
    everything = [r for rows in data.values() for r in rows]
    for part in (*halves, "all"):
        chosen = [r for r in everything if part in ("all", r["half"])]
        line = set_line("all", part, chosen)
        # "detected" for all languages: each row as its own set's language.
        if chosen:
            share = sum(r["analysis"].language == r["lang"] for r in chosen) / len(chosen)
            line = (*line[:3], f"{share:.3f}", *line[4:])
        lines.append(line)
    print(f"\nown sets (bench/sets/{kind}-<lang>.jsonl), decide(analyze(text, context))")
    fmt(lines)
    print(
        "detected: share of the set detected as its own language; never-do failures should all be 0"
    )

    for lang, rows in data.items():
        print(f"\nintent confusion, {lang} (all rows): gold rows, predicted columns")
        print("gold\\pred  " + " ".join(f"{i[:6]:>6}" for i in INTENTS))
        for gold in INTENTS:
            counts = Counter(r["pred"].intent for r in rows if r["gold"]["intent"] == gold)
            print(f"{gold:<10} " + " ".join(f"{counts[p]:>6}" for p in INTENTS))
        other = Counter(r["analysis"].language for r in rows if r["analysis"].language != lang)
        if other:
            print(
                "detected as another language: "
                + ", ".join(f"{k} {v}" for k, v in other.most_common())
            )

    if errors:
        for lang, rows in data.items():
            print(f"\n--- {lang} {kind} set, tune half: mismatches (for reading only) ---")
            shown = 0
            for r in rows:
                gold, pred = r["gold"], r["pred"]
                if r["half"] != "tune":
                    continue
                if gold["intent"] == pred.intent and gold["action"] == pred.action:
                    continue
                shown += 1
                if shown > errors:
                    break
                print(
                    f"- {r['id']} [{r['analysis'].language}] gold {gold['intent']}/"
                    f"{gold['action']} {sorted(gold.get('flags') or [])} -> {pred.intent}/"
                    f"{pred.action} {sorted(pred.flags)} {dict(pred.evidence)} {failures(r)}"
                )
                for message in r["context"][-3:]:
                    print(f"    [{message['role']}] {short(message['text'])}")
                print(f"    > {short(r['text'], 300)}")


# --- the shared evaluation data ----------------------------------------------------------


def shared(folder: Path, playbook: Any, errors: int, langs: Iterable[str]) -> None:
    predictors: dict[str, Callable[[str], tuple[bool, str]]] = {
        "abusive": lambda text: _abusive(text, playbook),
        "complaint": lambda text: _complaint(text, playbook),
    }
    table = []
    for name, filename, gold_of, kind, target in SHARED:
        if name.split()[0] not in langs:
            continue
        path = folder / filename
        if not path.exists():
            print(f"\n{name}: {path} not found, left out")
            continue
        results = []
        for number, row in enumerate(read_jsonl(path)):
            gold = gold_of(row)
            if gold is None:
                continue
            pred, detected = predictors[kind](row["text"])
            results.append((row, half(number), gold, pred, detected))
        lang = name.split()[0]
        for part in (*HALVES, "all"):
            chosen = [r for r in results if part in ("all", r[1])]
            f1, precision, recall, n = macro_f1((g, p) for _, _, g, p, _ in chosen)
            own = sum(d == lang for *_, d in chosen) / len(chosen) if chosen else 0.0
            table.append((name, filename, part, n, f1, precision, recall, own, target))
        if errors:
            tune = [r for r in results if r[1] == "tune"]
            fps = [r for r in tune if r[3] and not r[2]][:errors]
            fns = [r for r in tune if r[2] and not r[3]][:errors]
            for label, chosen_rows in (("false positives", fps), ("false negatives", fns)):
                print(f"\n--- {name}, tune half: {label} (for reading only) ---")
                if not chosen_rows:
                    print("  (none)")
                for row, *_, detected in chosen_rows:
                    print(f"  {row['id']} [{detected}]: {short(row['text'])}")
    if not table:
        return
    print(
        f"\n{'measure':<13} {'set':<24} {'half':<9} {'rows':>5} {'macro F1':>9}"
        f" {'P(pos)':>7} {'R(pos)':>7} {'detected':>8} {'target':>7}"
    )
    for name, filename, part, n, f1, precision, recall, own, target in table:
        mark = ""
        if part == "held-out":
            mark = f">= {target:.2f} {'met' if f1 >= target else 'missed'}"
        elif part == "tune":
            mark = f"({'met' if f1 >= target else 'missed'})"
        print(
            f"{name:<13} {filename:<24} {part:<9} {n:>5} {f1:>9.3f}"
            f" {precision:>7.3f} {recall:>7.3f} {own:>8.3f}  {mark}"
        )
    print(
        "halves by row number in the file: even = tune (look and tune here), odd = held-out;"
        " ru/fa: negative vs positive, neutral rows left out"
    )
    print(
        "targets on the held-out half: tr abusive macro F1 >= 0.72,"
        " ru and fa complaint macro F1 >= 0.75; detected: share detected as the set's language"
    )


def _abusive(text: str, playbook: Any) -> tuple[bool, str]:
    analysis = analyze(text, playbook)
    return analysis.abusive, analysis.language


def _complaint(text: str, playbook: Any) -> tuple[bool, str]:
    analysis = analyze(text, playbook)
    return decide(analysis, playbook).intent == "complaint", analysis.language


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", default=str(ROOT.parent / "shared" / "eval"))
    parser.add_argument("--playbook", default="default")
    parser.add_argument(
        "--errors", type=int, default=0, help="print N misclassified texts (tune half only)"
    )
    parser.add_argument(
        "--lang",
        default=",".join(PROBE_LANGS),
        help="comma-separated languages (default: en,tr,ru,fa,fi; en has only a probe set)",
    )
    args = parser.parse_args()
    langs = [code.strip() for code in args.lang.split(",") if code.strip()]
    unknown = [code for code in langs if code not in PROBE_LANGS]
    if unknown:
        parser.error(f"unknown language {', '.join(unknown)}; valid: {', '.join(PROBE_LANGS)}")
    playbook = load_playbook(args.playbook)
    own_sets([code for code in langs if code in LANGS], playbook, args.errors)
    own_sets(langs, playbook, args.errors, kind="probe")
    own_sets(langs, playbook, args.errors, kind="probe2")
    shared(Path(args.eval), playbook, args.errors, langs)


if __name__ == "__main__":
    main()
