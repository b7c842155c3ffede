"""Batch throughput and peak memory of `replybook draft --batch` and `replybook lint --batch`.

    python bench/batch.py [--eval ../shared/eval] [--sizes 10000,100000] [--jobs 1]
                          [--repeat 1] [--only draft,lint] [--context] [--pg auto|URL]

Builds inputs from ../shared/eval/twcs.jsonl (customer texts for draft; brand replies with
the comment they answer for lint), repeated with fresh ids up to each size, in a temporary
folder that is deleted afterwards. Each run is a separate process; its peak resident memory
comes from getrusage in a wrapper process of its own. Prints records per second and peak
memory per size, with and without the team store. Targets (one process): draft >= 3,000
records/s, lint >= 10,000 records/s; memory must not grow with the input.

``--repeat N`` runs each command N times, interleaved, and prints the median and the best
rate (a shared machine's speed drifts from minute to minute); ``--only`` keeps the runs
whose names start with one of the given words. ``--context`` gives each draft record, and
each lint record with a comment, the comment's thread (``context``) as well; without it the
inputs are the same as they have always been, so rates stay comparable over time.
``--pg`` adds ``draft (postgres)``: the same batch with the team store on PostgreSQL (a URL,
or ``auto`` for a throwaway server started here, fsync on); every run with a store starts
from an empty one.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs one command and prints its wall time and peak RSS (KiB): a process of its own, so
# RUSAGE_CHILDREN is this one command's.
WRAPPER = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(elapsed, peak, done.returncode)
"""


def build(source: Path, folder: Path, size: int, threads: bool = False) -> tuple[Path, Path, Path]:
    rows = [json.loads(line) for line in source.open(encoding="utf-8") if line.strip()]
    drafts = folder / f"draft-{size}.jsonl"
    lints = folder / f"lint-{size}.jsonl"
    alone = folder / f"lint-alone-{size}.jsonl"
    with (
        drafts.open("w", encoding="utf-8") as d,
        lints.open("w", encoding="utf-8") as lt,
        alone.open("w", encoding="utf-8") as la,
    ):
        for n in range(size):
            row = rows[n % len(rows)]
            stamp = row.get("created_at") or "2017-10-31T22:00:00Z"
            thread = {"context": row["context"]} if threads and row.get("context") else {}
            record = {"id": n, "text": row["text"], "received_at": stamp, **thread}
            d.write(json.dumps(record) + "\n")
            reply = row.get("reply") or "Thanks!"
            lt.write(json.dumps({"id": n, "text": reply, "comment": row["text"], **thread}) + "\n")
            la.write(json.dumps({"id": n, "text": reply}) + "\n")
    return drafts, lints, alone


def fresh_schema(url: str, name: str) -> str:
    """An empty schema ``name`` on the server at ``url``, and the URL that uses it."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        conn.execute(f"CREATE SCHEMA {name}")
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{name}"


def measure(cmd: list[str]) -> tuple[float, int, int]:
    out = subprocess.run(
        [sys.executable, "-c", WRAPPER, *cmd], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), int(out[1]), int(out[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", default=str(ROOT.parent / "shared" / "eval"))
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--only", default="")
    parser.add_argument("--context", action="store_true", help="records carry their threads")
    parser.add_argument(
        "--pg",
        default="",
        help="a PostgreSQL URL for 'draft (postgres)'; 'auto' starts a throwaway server",
    )
    args = parser.parse_args()
    server = None
    if args.pg == "auto":
        sys.path.insert(0, str(ROOT))
        from tests.pgserver import PgServer, binaries

        found = binaries()
        if found is None:
            sys.exit("no PostgreSQL server binaries on this machine")
        server = PgServer(found, durable=True)
    only = [w for w in args.only.split(",") if w]
    script = shutil.which("replybook", path=str(Path(sys.executable).parent)) or "replybook"
    sizes = [int(s) for s in args.sizes.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="replybook-batch-"))
    try:
        rows = []
        for size in sizes:
            drafts, lints, alone = build(Path(args.eval) / "twcs.jsonl", folder, size, args.context)
            jobs = ["--jobs", str(args.jobs)]
            runs = {
                "draft --no-store": [script, "draft", "--batch", str(drafts), "--no-store", *jobs],
                "draft (store)": [
                    script,
                    "draft",
                    "--batch",
                    str(drafts),
                    "--db",
                    "{sqlite}",
                    *jobs,
                ],
                "lint (reply alone)": [
                    script,
                    "lint",
                    "--batch",
                    str(alone),
                    "--no-store",
                    "--fail-level",
                    "never",
                    *jobs,
                ],
                "lint (with comment)": [
                    script,
                    "lint",
                    "--batch",
                    str(lints),
                    "--no-store",
                    "--fail-level",
                    "never",
                    *jobs,
                ],
            }
            if server is not None or args.pg:
                runs["draft (postgres)"] = [
                    script,
                    "draft",
                    "--batch",
                    str(drafts),
                    "--db",
                    "{postgres}",
                    *jobs,
                ]
            runs = {k: v for k, v in runs.items() if not only or k.startswith(tuple(only))}
            results: dict[str, list[tuple[float, int, int]]] = {name: [] for name in runs}
            for turn in range(args.repeat):
                for name, cmd in runs.items():
                    # Each run with a store starts from an empty one of its own.
                    fresh = {"{sqlite}": str(folder / f"s{size}-{turn}.db")}
                    if "{postgres}" in cmd:
                        fresh["{postgres}"] = server.fresh_url() if server else fresh_schema(
                            args.pg, f"bench_{size}_{turn}"
                        )
                    results[name].append(measure([fresh.get(part, part) for part in cmd]))
            for name, done in results.items():
                times = sorted(elapsed for elapsed, _, _ in done)
                median = times[len(times) // 2]
                peak = max(p for _, p, _ in done) / 1024
                code = max(c for _, _, c in done)
                rows.append((name, size, median, size / median, size / times[0], peak, code))
        threads = "with threads" if args.context else "without threads"
        print(f"jobs = {args.jobs}, runs of each = {args.repeat}, records {threads}")
        head = f"{'run':<20} {'records':>8} {'seconds':>8} {'records/s':>10} {'best/s':>8}"
        print(f"{head} {'peak MiB':>9} {'exit':>5}")
        for name, size, elapsed, rate, best, peak, code in rows:
            print(
                f"{name:<20} {size:>8,} {elapsed:>8.2f} {rate:>10,.0f} {best:>8,.0f}"
                f" {peak:>9.1f} {code:>5}"
            )
        print("seconds and records/s: the median run; best/s: the fastest")
        print("targets: draft >= 3,000 records/s, lint >= 10,000 records/s (one process);")
        print("         peak memory flat from 10,000 to 100,000 records;")
        print("         draft (postgres) at least half of draft (store), SQLite's")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if server is not None:
            server.close()


if __name__ == "__main__":
    main()
