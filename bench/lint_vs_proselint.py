"""Wall time of `replybook lint` against proselint 0.16 on real brand replies; lint precision.

    python bench/lint_vs_proselint.py [--runs 5] [--eval ../shared/eval] [--proselint PATH]
    python bench/lint_vs_proselint.py --precision 30 [--seed 0] [--eval ../shared/eval]

proselint lives in a venv of its own, so that replybook's environment stays clean:

    python3 -m venv /tmp/lintbench/proselint-venv \
        && /tmp/lintbench/proselint-venv/bin/pip install proselint==0.16.0

The replies are the ``reply`` field of twcs.jsonl in the evaluation folder (real brand
replies). They are written one per file into a temporary folder, deleted at the end;
nothing is written into the repository.

Timing mode runs, interleaved so that machine noise hits every row alike:
- `python -c pass` (the interpreter's floor);
- `proselint check -o json FILE...` over the first 1,000 non-empty replies, one process;
- `replybook lint --format json --fail-level never FILE...` over the same files, one process;
- `proselint check DRAFT` and `replybook lint --fail-level never DRAFT` on one short draft.
Prints median and best wall times and the ratios the targets are stated in
(replybook 1,000 <= 0.25x proselint 1,000; replybook single < 1.0x proselint single).

``--precision N`` instead lints every reply in twcs.jsonl with replybook (a few hundred paths
per call), counts the findings by rule, and prints a seeded random sample of N findings at
level warning or error, each with its whole reply, for a person to judge. The texts are
printed for reading only, never for copying into the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PROSELINT = Path("/tmp/lintbench/proselint-venv/bin/proselint")
DRAFT = "Hi Dana, sorry about your bag. Please send us a DM. ^MK\n"
CORPUS_SIZE = 1000
PATH_KEYS = ("file", "path", "source", "input", "name")


def load_replies(folder: Path, limit: int | None = None) -> list[str]:
    """Non-empty ``reply`` fields of twcs.jsonl, in file order, at most ``limit`` of them."""
    replies: list[str] = []
    with (folder / "twcs.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            reply = json.loads(line).get("reply") or ""
            if reply.strip():
                replies.append(reply)
                if limit is not None and len(replies) >= limit:
                    break
    return replies


def write_files(folder: Path, texts: Sequence[str]) -> list[Path]:
    """One ``NNNNN.txt`` per text (index in the name, so findings map back to their reply)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, text in enumerate(texts):
        path = folder / f"{index:05d}.txt"
        path.write_text(text + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def find_replybook() -> str:
    script = shutil.which("replybook", path=str(Path(sys.executable).parent)) or shutil.which(
        "replybook"
    )
    if script is None:
        sys.exit("replybook is not installed in this environment (pip install .)")
    return script


def run(cmd: Sequence[str], ok: Sequence[int] = (0,)) -> subprocess.CompletedProcess[str]:
    """Run ``cmd``; exit with its stderr if its exit code is not one of ``ok``."""
    proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8")
    if proc.returncode not in ok:
        shown = " ".join(cmd[:6]) + (" ..." if len(cmd) > 6 else "")
        sys.exit(f"{shown}: exit code {proc.returncode}\n{proc.stderr.strip()[-2000:]}")
    return proc


def parse_json_output(stdout: str) -> list[Any]:
    """One JSON document, or JSON Lines: the documents, either way."""
    try:
        return [json.loads(stdout)]
    except json.JSONDecodeError:
        return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def walk_findings(node: Any, where: str | None = None) -> Iterator[tuple[str | None, dict]]:
    """Every finding (a dict with ``rule`` and ``level``) in replybook's JSON output, with the
    file it belongs to: taken from a ``file``/``path``-like key of an enclosing object, or
    from the key of a mapping keyed by path."""
    if isinstance(node, dict):
        if "rule" in node and "level" in node:
            yield where, node
            return
        for key in PATH_KEYS:
            value = node.get(key)
            if isinstance(value, str) and value.endswith(".txt"):
                where = value
                break
        for key, value in node.items():
            here = key if key.endswith(".txt") else where
            yield from walk_findings(value, here)
    elif isinstance(node, list):
        for item in node:
            yield from walk_findings(item, where)


def count_proselint(stdout: str) -> int:
    data = json.loads(stdout)
    return sum(len(entry.get("diagnostics", [])) for entry in data.get("result", {}).values())


def count_replybook(stdout: str) -> int:
    return sum(1 for doc in parse_json_output(stdout) for _ in walk_findings(doc))


def timing(args: argparse.Namespace, proselint: str, replybook: str) -> None:
    replies = load_replies(Path(args.eval), CORPUS_SIZE)
    if not replies:
        sys.exit(f"no replies in {Path(args.eval) / 'twcs.jsonl'}")
    tmp = Path(tempfile.mkdtemp(prefix="lintbench-"))
    try:
        files = [str(p) for p in write_files(tmp / "replies", replies)]
        draft = tmp / "draft.txt"
        draft.write_text(DRAFT, encoding="utf-8")
        n = len(files)
        label_p, label_r = f"proselint x{n}", f"replybook lint x{n}"
        commands: dict[str, tuple[list[str], tuple[int, ...]]] = {
            "python -c pass": ([sys.executable, "-c", "pass"], (0,)),
            # proselint exits 1 when it finds anything; replybook never does with this level.
            label_p: ([proselint, "check", "-o", "json", *files], (0, 1)),
            label_r: (
                [replybook, "lint", "--format", "json", "--fail-level", "never", *files],
                (0,),
            ),
            "proselint single": ([proselint, "check", str(draft)], (0, 1)),
            "replybook lint single": (
                [replybook, "lint", "--fail-level", "never", str(draft)],
                (0,),
            ),
        }
        print(f"replies: first {n} non-empty `reply` fields of {Path(args.eval) / 'twcs.jsonl'}")
        print(f"  one file each in {tmp / 'replies'}; single draft: {DRAFT.strip()!r}")
        print("what was run (FILE... = all files in one process):")
        print(f"  {label_p:<22} {proselint} check -o json FILE...")
        print(f"  {label_r:<22} {replybook} lint --format json --fail-level never FILE...")
        print(f"  {'proselint single':<22} {proselint} check DRAFT")
        print(f"  {'replybook lint single':<22} {replybook} lint --fail-level never DRAFT")

        # Warm-up: byte-compiled caches, the playbook cache and the page cache, as on any
        # machine after a first run. Also counts what each tool found, for the record.
        found = {
            label_p: count_proselint(run(*commands[label_p]).stdout),
            label_r: count_replybook(run(*commands[label_r]).stdout),
        }
        for name in ("proselint single", "replybook lint single"):
            run(*commands[name])

        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, (cmd, ok) in commands.items():
                start = time.perf_counter()
                proc = subprocess.run(cmd, capture_output=True)
                elapsed = (time.perf_counter() - start) * 1000
                if proc.returncode not in ok:
                    sys.exit(f"{name}: exit code {proc.returncode}\n{proc.stderr.decode()[-2000:]}")
                times[name].append(elapsed)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    med = {name: statistics.median(values) for name, values in times.items()}
    print()
    print(f"{'command':<24} {'median ms':>10} {'best ms':>9}")
    for name, values in times.items():
        print(f"{name:<24} {med[name]:>10.1f} {min(values):>9.1f}")
    print()
    floor = med["python -c pass"]
    batch = med[label_r] / med[label_p]
    single = med["replybook lint single"] / med["proselint single"]
    print(f"replybook x{n} / proselint x{n}       = {batch:.3f}x  (target <= 0.25x)")
    print(f"replybook single / proselint single  = {single:.3f}x  (target < 1.0x)")
    print(
        f"python -c pass floor = {floor:.1f} ms; replybook single = "
        f"{med['replybook lint single'] / floor:.1f}x floor, proselint single = "
        f"{med['proselint single'] / floor:.1f}x floor"
    )
    print(
        f"per reply, less one start-up: proselint "
        f"{(med[label_p] - med['proselint single']) / n:.2f} ms, replybook "
        f"{(med[label_r] - med['replybook lint single']) / n:.2f} ms"
    )
    print(f"findings (all levels): proselint {found[label_p]}, replybook {found[label_r]}")


def precision(args: argparse.Namespace, replybook: str) -> None:
    replies = load_replies(Path(args.eval))
    tmp = Path(tempfile.mkdtemp(prefix="lintbench-"))
    findings: list[tuple[int, dict]] = []
    unmapped = 0
    try:
        files = [str(p) for p in write_files(tmp, replies)]
        for start in range(0, len(files), args.batch):
            chunk = files[start : start + args.batch]
            proc = run([replybook, "lint", "--format", "json", "--fail-level", "never", *chunk])
            for doc in parse_json_output(proc.stdout):
                for where, finding in walk_findings(doc):
                    if where is None:
                        unmapped += 1
                        continue
                    findings.append((int(Path(where).stem), finding))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    by_rule = Counter((f.get("rule", "?"), f.get("level", "?")) for _, f in findings)
    replies_hit = {i for i, f in findings if f.get("level") in ("warning", "error")}
    print(f"linted {len(replies)} replies from {Path(args.eval) / 'twcs.jsonl'}")
    print(f"findings: {len(findings)} in all; {len(replies_hit)} replies have a warning or error")
    if unmapped:
        print(f"({unmapped} findings could not be tied to a file and are left out)")
    print(f"\n{'rule':<32} {'level':<11} {'count':>6}")
    for (rule, level), count in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"{rule:<32} {level:<11} {count:>6}")

    serious = [(i, f) for i, f in findings if f.get("level") in ("warning", "error")]
    sample = random.Random(args.seed).sample(serious, min(args.precision, len(serious)))
    print(f"\nsample of {len(sample)} of {len(serious)} warnings and errors (seed {args.seed}):")
    for number, (index, finding) in enumerate(sample, 1):
        print(f"\n{number:>3}. {finding.get('rule')} [{finding.get('level')}] reply #{index}")
        print(f"     message: {finding.get('message')}")
        print(f"     match:   {finding.get('match')!r}")
        reply = " ".join(replies[index].split())
        print(
            textwrap.fill(
                reply, width=96, initial_indent="     reply:   ", subsequent_indent=" " * 14
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--eval", default=str(ROOT.parent / "shared" / "eval"))
    parser.add_argument(
        "--proselint",
        default=str(DEFAULT_PROSELINT),
        help="the proselint 0.16 executable (default: %(default)s)",
    )
    parser.add_argument(
        "--precision",
        type=int,
        default=0,
        metavar="N",
        help="lint every reply with replybook and print N sampled warnings/errors",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch", type=int, default=300, help="paths per replybook call")
    args = parser.parse_args()

    replybook = find_replybook()
    if args.precision:
        precision(args, replybook)
        return
    proselint = args.proselint
    if not (os.path.isfile(proselint) and os.access(proselint, os.X_OK)):
        sys.exit(
            f"proselint not found at {proselint}; create it with:\n"
            "  python3 -m venv /tmp/lintbench/proselint-venv && "
            "/tmp/lintbench/proselint-venv/bin/pip install proselint==0.16.0"
        )
    timing(args, proselint, replybook)


if __name__ == "__main__":
    main()
