"""One-shot start-up of `draft` and `lint`, two installed builds side by side.

    python bench/startup_vs.py BASE_REPLYBOOK HEAD_REPLYBOOK [--runs 30]

Each argument is the `replybook` console script of a separate install (for example a venv
with the previous release installed, and one with this checkout: `pip install .`). The
commands run interleaved, base then head, so that a shared machine's drift touches both
alike; each build's playbook cache is warmed first. Prints the median milliseconds of each
and head / base (target for a release: within 1.15x).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time

COMMENT = "@AcmeAir you lost my bag AGAIN. Third time this year."
REPLY = "Hi Dana, sorry about your bag. DM us. ^MK"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("head")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    commands = {"draft": ["draft", "--format", "json", COMMENT], "lint": ["lint", "-"]}
    builds = {"base": args.base, "head": args.head}
    # A store for each build: a newer build migrates its store, which an older one then
    # refuses (and exits early, timing nothing).
    folder = tempfile.mkdtemp()
    envs = {
        script: {**os.environ, "REPLYBOOK_DB": os.path.join(folder, f"{name}.db")}
        for name, script in builds.items()
    }

    def run(script: str, command: list[str]) -> float:
        start = time.perf_counter()
        done = subprocess.run(
            [script, *command], input=REPLY, capture_output=True, text=True, env=envs[script]
        )
        if done.returncode not in (0, 1):
            raise SystemExit(f"{script} {command[0]} failed: {done.stderr.strip()}")
        return (time.perf_counter() - start) * 1000

    for script in builds.values():
        for command in commands.values():
            run(script, command)  # warm the playbook cache
    times: dict[tuple[str, str], list[float]] = {(b, c): [] for b in builds for c in commands}
    for _ in range(args.runs):
        for build, script in builds.items():
            for name, command in commands.items():
                times[(build, name)].append(run(script, command))
    print(f"{'command':<8} {'base ms':>9} {'head ms':>9} {'head/base':>10}")
    for name in commands:
        base = statistics.median(times[("base", name)])
        head = statistics.median(times[("head", name)])
        print(f"{name:<8} {base:>9.1f} {head:>9.1f} {head / base:>9.2f}x")


if __name__ == "__main__":
    main()
