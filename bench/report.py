"""Speed and peak memory of `replybook report` on stores of growing size.

    python bench/report.py [--sizes 10000,100000,1000000] [--group agent]

Fills a SQLite store in a temporary folder with invented comments (no real text: a report
reads none) spread over 90 days, 12 agents and 4 channels; four in five get a reply, most
within the playbook's minutes, and one in fifty is skipped; a few incidents, half closed.
Then times `replybook report --since 90d --format json` (by day, and with ``--group``) in a
process of its own, whose peak resident memory comes from getrusage in a wrapper. Memory
must not grow with the number of comments: a report keeps a tally per period and group.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from replybook.store import Store  # noqa: E402

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)
WRAPPER = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(elapsed, peak, done.returncode)
"""
ACTIONS = [("reply", "complaint", 60)] * 6 + [
    ("reply", "question", 120),
    ("escalate", "complaint", 30),
    ("moderate", "troll", 60),
]


def fill(path: Path, size: int, seed: int = 7) -> float:
    """Write ``size`` comments (and their replies) straight into a new store."""
    rng = random.Random(seed)
    start = time.perf_counter()
    store = Store(path)
    first = (NOW - timedelta(days=90)).timestamp()
    comments, replies = [], []
    for n in range(size):
        received = first + rng.random() * 90 * 86400
        if n % 50 == 0:
            action, intent, sla = "skip", "other", None
        else:
            action, intent, sla = rng.choice(ACTIONS)
        agent, channel = f"agent{rng.randrange(12)}", rng.choice(["x", "facebook", "ig", "gr"])
        comments.append(
            ("bench", f"c{n}", received, received, "en", intent, action, None, "", None,
             channel, agent, sla)
        )  # fmt: skip
        if action != "moderate" and rng.random() < 0.8:
            wait = rng.expovariate(1 / 40) * 60
            replies.append(("bench", received + wait, "A reply.", f"c{n}", agent, channel))
    with store.transaction():
        store._exec_many(
            "INSERT INTO comments (playbook, ext_id, received_at, seen_at, language, intent,"
            " action, topic, norm, incident_id, channel, agent, sla_minutes)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            comments,
        )
        store._exec_many(
            "INSERT INTO replies (playbook, sent_at, text, comment_ext_id, agent, channel)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            replies,
        )
        for n in range(max(1, size // 5000)):
            seen = first + rng.random() * 89 * 86400
            closed = seen + rng.random() * 2 * 86400 if n % 2 else None
            store._exec(
                "INSERT INTO incidents (playbook, topic, label, status, first_seen, last_seen,"
                " count, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                ("bench", f"t{n}", f"t{n}", "closed" if closed else "open", seen, seen, 3, closed),
            )
    store.close()
    return time.perf_counter() - start


def measure(cmd: list[str]) -> tuple[float, int, int]:
    out = subprocess.run(
        [sys.executable, "-c", WRAPPER, *cmd], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), int(out[1]), int(out[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--group", default="agent")
    args = parser.parse_args()
    exe = [sys.executable, "-m", "replybook"]
    now = ["--now", NOW.isoformat(), "--since", "90d", "--format", "json"]
    head = f"{'comments':>10}  {'fill s':>7}  {'report':<30} {'s':>6}  {'comments/s':>11}"
    print(f"{head}  {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            path = Path(folder) / f"r{size}.db"
            filled = fill(path, size)
            runs = [("by day", []), ("by day --group " + args.group, ["--group", args.group])]
            runs.append(("by week --group channel,agent", ["--by", "week", "-g", "channel,agent"]))
            for name, extra in runs:
                elapsed, peak, code = measure([*exe, "report", "--db", str(path), *now, *extra])
                assert code == 0, name
                print(
                    f"{size:>10,}  {filled:>7.1f}  {name:<30} {elapsed:>6.2f}  "
                    f"{size / elapsed:>11,.0f}  {peak / 1024:>8.1f}"
                )


if __name__ == "__main__":
    main()
