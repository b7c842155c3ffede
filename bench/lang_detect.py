"""Language detection (replybook.detect) on labelled sets: accuracy, short texts, unserved.

    python bench/lang_detect.py [--eval ../shared/eval] [--detector py3langid|lingua|lingua-low]
                                [--errors N] [--half even|odd]

For each set: accuracy overall and on texts of five words or fewer, the share detected as
a language the playbook doesn't serve, the share with nothing to go on (None), the share
that reached the detector, and detections per second. Each set is reported whole and in
halves by 0-based row number: tune on the even half, judge on the odd one. Sets:
../shared/eval sentirueval2016 (ru), offenseval2020-tr (tr), pars-absa (fa), complaints
(en), twcs (its ``lang`` is a rough guess: reported, never a target) and
bench/sets/detect-fi.jsonl (Finnish, Estonian decoys, short Turkish). Target: 0.99 on each
set and on its short texts.

``--detector`` swaps the detector behind the script, letter and word steps for another
candidate (installed by hand: ``pip install lingua-language-detector``), to compare them
on the same texts; ``--errors N`` prints up to N misses per set. ``--tune`` searches the
detector's thresholds (``DETECTOR_MIN``, ``DETECTOR_RATIO``, ``STOPWORD_BOOST``) on the
even halves only, the non-English twcs rows standing in as decoys, and prints the best:
the worst accuracy over the sets and their short texts, then the fewest misses.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from replybook import detect as detect_module  # noqa: E402
from replybook import load_playbook  # noqa: E402

SETS = (
    ("ru", "sentirueval2016.jsonl", True),
    ("tr", "offenseval2020-tr.jsonl", True),
    ("fa", "pars-absa.jsonl", True),
    ("en", "complaints.jsonl", True),
    ("twcs", "twcs.jsonl", False),
    ("fi/et/tr", str(ROOT / "bench" / "sets" / "detect-fi.jsonl"), True),
)

_TOKEN = re.compile(r"\S+")
_NOT_A_WORD = re.compile(r"^(?:@\w+|https?://\S*|www\.\S*|#\S*|[\W\d_]+)$")
_NOISE = re.compile(r"@\w+|https?://\S*|www\.\S*")
_LETTERS = re.compile(r"[^\W\d_]{2}")


def words(text: str) -> int:
    """Words of the comment, not counting handles, links, hashtags, numbers or emoji."""
    return sum(1 for t in _TOKEN.findall(text) if not _NOT_A_WORD.match(t))


def right(got: str | None, row: dict[str, str]) -> bool:
    """The row's language, or None for a text with no word of two letters or more (only
    handles, links, numbers or emoji: nothing to go on)."""
    if got is None:
        return not _LETTERS.search(_NOISE.sub(" ", row["text"]))
    return got == row["lang"]


def lingua_loader(low: bool):  # type: ignore[no-untyped-def]
    def load(langs: tuple[str, ...]):  # type: ignore[no-untyped-def]
        from lingua import IsoCode639_1, LanguageDetectorBuilder

        codes = [
            getattr(IsoCode639_1, x.upper()) for x in langs if hasattr(IsoCode639_1, x.upper())
        ]
        builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
        if low:
            builder = builder.with_low_accuracy_mode()
        detector = builder.build()

        def rank(text: str) -> dict[str, float]:
            values = detector.compute_language_confidence_values(text)
            return {v.language.iso_code_639_1.name.lower(): v.value for v in values}

        return rank

    return load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval", default=str(ROOT.parent / "shared" / "eval"))
    parser.add_argument(
        "--detector", default="py3langid", choices=["py3langid", "lingua", "lingua-low"]
    )
    parser.add_argument("--errors", type=int, default=0)
    parser.add_argument("--half", choices=["even", "odd"], help="print errors of one half only")
    parser.add_argument("--tune", action="store_true", help="search thresholds on even rows")
    args = parser.parse_args()

    if args.detector.startswith("lingua"):
        detect_module._load_detector = lingua_loader(args.detector == "lingua-low")
    playbook = load_playbook()
    if args.tune:
        tune(playbook, Path(args.eval), args.detector)
        return
    served = set(detect_module._languages(playbook).langs)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    detect_module._detector(detect_module._languages(playbook).detectable)
    load_ms = 1000 * (time.perf_counter() - start)

    head = (
        f"{'set':9} {'half':4} {'n':>5} {'acc':>6} {'n<=5':>5} {'acc<=5':>6} "
        f"{'unserved':>8} {'none':>5} {'detector':>8} {'det/s':>7}"
    )
    print(f"detector: {args.detector}; served: {', '.join(sorted(served))}")
    print(head)
    print("-" * len(head))
    total_n, total_s = 0, 0.0
    for name, file, target in SETS:
        path = Path(file) if file.startswith("/") else Path(args.eval) / file
        if not path.exists():
            print(f"{name:9} (missing: {path})")
            continue
        rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
        texts = [r["text"] for r in rows]
        begin = time.perf_counter()
        found = [detect_module.detect(playbook, t) for t in texts]
        elapsed = time.perf_counter() - begin
        total_n += len(texts)
        total_s += elapsed
        rate = len(texts) / elapsed if elapsed else 0.0
        for half, keep in (("all", None), ("even", 0), ("odd", 1)):
            idx = [i for i in range(len(rows)) if keep is None or i % 2 == keep]
            short = [i for i in idx if words(texts[i]) <= 5]
            good = [right(found[i].lang, rows[i]) for i in idx]
            good_short = [right(found[i].lang, rows[i]) for i in short]
            unserved = sum(
                1 for i in idx if found[i].lang is not None and found[i].lang not in served
            )
            none = sum(1 for i in idx if found[i].lang is None)
            via = sum(1 for i in idx if found[i].how == "detector")
            acc = f"{sum(good) / len(idx):.3f}" if target else "  --  "
            acc_s = f"{sum(good_short) / len(short):.3f}" if target and short else "  --  "
            print(
                f"{name if half == 'all' else '':9} {half:4} {len(idx):5} {acc:>6} {len(short):5} "
                f"{acc_s:>6} {unserved / len(idx):8.3f} {none / len(idx):5.3f} "
                f"{via / len(idx):8.3f} {f'{rate:7.0f}' if half == 'all' else '':>7}"
            )
        if not target:
            by: dict[str, dict[str, int]] = {}
            for row, got in zip(rows, found, strict=True):
                by.setdefault(row["lang"], {}).setdefault(str(got.lang), 0)
                by[row["lang"]][str(got.lang)] += 1
            for lang, counts in sorted(by.items(), key=lambda kv: -sum(kv[1].values())):
                spread = ", ".join(
                    f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])
                )
                print(f"{'':9} {'':4} guessed {lang}: {spread}")
        if args.errors:
            shown = 0
            for i, (row, got) in enumerate(zip(rows, found, strict=True)):
                if args.half and i % 2 != (0 if args.half == "even" else 1):
                    continue
                if not right(got.lang, row) and shown < args.errors:
                    shown += 1
                    print(f"    {row['lang']} -> {got.lang} ({got.how}) {row['text'][:110]!r}")
    peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) / 1024
    print(
        f"\nall sets: {total_n / total_s:.0f} detections/s; detector load {load_ms:.0f} ms, "
        f"peak memory +{peak:.0f} MB after load"
    )


def tune(playbook: object, folder: Path, name: str, top: int = 12) -> None:
    sets = []
    for label, file, target in SETS:
        path = Path(file) if file.startswith("/") else folder / file
        if not path.exists() or label in ("ru", "fa"):  # decided by script alone
            continue
        rows = [
            json.loads(line) for n, line in enumerate(path.open(encoding="utf-8")) if n % 2 == 0
        ]
        if not target:  # rough labels: only the rows guessed unserved, as decoys
            rows = [r for r in rows if r["lang"] != "en"]
        sets.append(rows)
    seen: dict[str, dict[str, float]] = {}
    real = detect_module._detector

    def remembered(langs: tuple[str, ...]):  # type: ignore[no-untyped-def]
        rank = real(langs)

        def cached(text: str) -> dict[str, float]:
            if text not in seen:
                seen[text] = rank(text)
            return seen[text]

        return cached

    detect_module._detector = remembered
    results = []
    grid = itertools.product(
        [0.3, 0.4, 0.5, 0.6, 0.65, 0.7, 0.8], [2, 3, 4, 6, 8, 12], [0.5, 1.0, 2.0, 4.0]
    )
    for low, ratio, boost in grid:
        detect_module.DETECTOR_MIN = low
        detect_module.DETECTOR_RATIO = ratio
        detect_module.STOPWORD_BOOST = boost
        worst, misses = 1.0, 0
        for rows in sets:
            good = [right(detect_module.detect(playbook, r["text"]).lang, r) for r in rows]  # type: ignore[arg-type]
            short = [g for g, r in zip(good, rows, strict=True) if words(r["text"]) <= 5]
            worst = min(worst, sum(good) / len(good), sum(short) / len(short) if short else 1.0)
            misses += len(good) - sum(good)
        results.append((worst, -misses, low, ratio, boost))
    results.sort(reverse=True)
    print(
        f"{name}: worst accuracy, misses, DETECTOR_MIN, DETECTOR_RATIO, STOPWORD_BOOST (even rows)"
    )
    for worst, misses, low, ratio, boost in results[:top]:
        print(f"  {worst:.3f} {-misses:4} {low:5} {ratio:5} {boost:5}")


if __name__ == "__main__":
    main()
