"""Start-up cost of one `replybook draft --format json`, and drafts per second via the API.

    python bench/startup.py [--runs 30]

Runs, interleaved so that machine noise hits every row alike:
- `python -c pass` (the interpreter's floor);
- `python -c "import typer, jinja2, yaml, rapidfuzz, rich.console"` (the five dependencies);
- `replybook draft --format json COMMENT` (the console script of the installed package).
Prints median and best wall times and the two ratios the targets are stated in
(draft <= 10x the floor; draft <= 0.8x the bare import). The playbook cache is warmed once
first, as it is after any first run on a user's machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMENT = "@AcmeAir you lost my bag AGAIN. Third time this year."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    script = shutil.which("replybook", path=str(Path(sys.executable).parent)) or shutil.which(
        "replybook"
    )
    if script is None:
        sys.exit("replybook is not installed in this environment (pip install .)")
    # The drafts are remembered in a throwaway store, never the user's.
    env = {**os.environ, "REPLYBOOK_DB": os.path.join(tempfile.mkdtemp(), "bench.db")}
    deps = "import typer, jinja2, yaml, rapidfuzz, rich.console"
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "import 5 deps": [sys.executable, "-c", deps],
        "replybook draft -f json": [script, "draft", "--format", "json", COMMENT],
        "  ... --no-store": [script, "draft", "--format", "json", "--no-store", COMMENT],
    }
    # Warm the playbook cache, as any first run on a user's machine does.
    subprocess.run(commands["replybook draft -f json"], capture_output=True, check=True, env=env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            start = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True, env=env)
            times[name].append((time.perf_counter() - start) * 1000)

    med = {name: statistics.median(values) for name, values in times.items()}
    print(f"{'command':<26} {'median ms':>10} {'best ms':>9}")
    for name, values in times.items():
        print(f"{name:<26} {med[name]:>10.1f} {min(values):>9.1f}")
    print()
    for label, key in (("draft", "replybook draft -f json"), ("--no-store", "  ... --no-store")):
        ratio_floor = med[key] / med["python -c pass"]
        ratio_deps = med[key] / med["import 5 deps"]
        print(f"{label:<10} / python floor = {ratio_floor:.2f}x  (target <= 10x)")
        print(f"{label:<10} / 5-dep import = {ratio_deps:.2f}x  (target <= 0.8x)")

    sys.path.insert(0, str(ROOT))
    from datetime import datetime, timezone

    from replybook import draft as make_draft
    from replybook import load_playbook

    playbook = load_playbook("default")
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    texts = [f"{COMMENT} ({i})" for i in range(2000)]
    for text in texts[:50]:
        make_draft(text, playbook, now=now, agent="Mia Koski")
    start = time.perf_counter()
    for text in texts:
        make_draft(text, playbook, now=now, agent="Mia Koski")
    elapsed = time.perf_counter() - start
    print(
        f"API drafts per second  = {len(texts) / elapsed:,.0f}"
        f"  (one process, {len(texts)} comments)"
    )


if __name__ == "__main__":
    main()
