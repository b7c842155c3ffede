"""Incident detection cost as the team store grows, on SQLite and PostgreSQL.

    python bench/store_growth.py [--sizes 1000,100000,1000000] [--repeat 200]
                                 [--kinds sqlite,postgresql] [--pg auto|URL]

For each size, fills a fresh store with that many comments (a mix of topics, complaints and
other intents, topic-less complaints with varied wording; half inside the 24-hour window,
half over the month before), then times drafting one comment through
the store: `Drafter.one` (analyse, decide, observe, compose, lint; committed each, as a single
draft is) and `TeamStore.observe` alone inside one transaction (as a batch runs it), for a
complaint with a topic and a topic-less one. Prints the median microseconds per call.
Target: the cost must not grow linearly with the store. PostgreSQL runs on a throwaway
server started here (``--pg auto``, fsync on, the default) or on the server a URL names (each
size in a schema of its own, dropped afterwards).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from replybook import load_playbook  # noqa: E402
from replybook.runner import Drafter  # noqa: E402
from replybook.store import TeamStore, normalise, open_store  # noqa: E402

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
TOPICS = ["delivery", "billing", "account", "app", "connectivity", "product", "service", None]
WORDS = ["order", "parcel", "late", "broken", "refund", "app", "crash", "login", "charge", "wifi"]


def fill(store: TeamStore, size: int, rng: random.Random) -> None:
    """Insert ``size`` comments directly (the bench measures lookups, not inserts)."""
    rows = []

    def flush() -> None:
        with store.transaction():
            store._exec_many(
                "INSERT INTO comments (playbook, ext_id, received_at, seen_at, language, intent,"
                " action, topic, norm) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        rows.clear()

    for n in range(size):
        topic = rng.choice(TOPICS)
        intent = "complaint" if rng.random() < 0.6 else rng.choice(["praise", "question", "other"])
        words = " ".join(rng.choice(WORDS) for _ in range(8)) + f" {n}"
        # Half inside the 24-hour window, half over the month before it.
        span = 24 * 60 if n % 2 else 30 * 24 * 60
        when = (NOW - timedelta(minutes=rng.uniform(0, span))).timestamp()
        rows.append(
            ("default", f"seed-{n}", when, when, "en", intent, "reply", topic, normalise(words))
        )
        if len(rows) >= 20000:
            flush()
    if rows:
        flush()


def median_us(fn, repeat: int) -> float:
    times = []
    for n in range(repeat):
        start = time.perf_counter()
        fn(n)
        times.append((time.perf_counter() - start) * 1e6)
    return statistics.median(times)


def measure(store: TeamStore, playbook, repeat: int) -> tuple[float, float, float, float]:
    drafter = Drafter(playbook, store, NOW)

    def draft_topic(n: int) -> None:
        drafter.one(f"My order {n} still hasn't arrived", ext_id=f"t{n}", received_at=NOW)

    def draft_free(n: int) -> None:
        drafter.one(
            f"Your thing keeps doing the weird flicker {n} again, useless",
            ext_id=f"f{n}",
            received_at=NOW,
        )

    def observe(n: int, text: str, topic: str | None, prefix: str) -> None:
        store.observe(
            playbook="default",
            text=text,
            intent="complaint",
            action="reply",
            topic=topic,
            language="en",
            received_at=NOW,
            ext_id=f"{prefix}{n}",
        )

    drafts = (median_us(draft_topic, repeat), median_us(draft_free, repeat))
    # The lookups alone, as a batch makes them: inside one transaction, no commit each.
    with store.transaction():
        topic = median_us(lambda n: observe(n, f"order {n} late", "billing", "o"), repeat)
        free = median_us(
            lambda n: observe(n, f"weird flicker {n} again useless", None, "p"), repeat
        )
    return (*drafts, topic, free)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--kinds", default="sqlite,postgresql")
    parser.add_argument("--pg", default="auto", help="a PostgreSQL URL, or auto")
    args = parser.parse_args()
    playbook = load_playbook("default")
    kinds = [k for k in args.kinds.split(",") if k]
    folder = Path(tempfile.mkdtemp(prefix="replybook-store-"))
    server = None
    if "postgresql" in kinds and args.pg == "auto":
        from tests.pgserver import PgServer, binaries

        found = binaries()
        if found is None:
            sys.exit("no PostgreSQL server binaries on this machine (give --pg URL)")
        server = PgServer(found, durable=True)
    rows = []
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            for kind in kinds:
                rng = random.Random(size)
                if kind == "sqlite":
                    target = str(folder / f"s{size}.db")
                elif server is not None:
                    target = server.fresh_url()
                else:
                    from batch import fresh_schema

                    target = fresh_schema(args.pg, f"bench_growth_{size}")
                with open_store(target) as store:
                    started = time.perf_counter()
                    fill(store, size, rng)
                    filled = time.perf_counter() - started
                    rows.append((kind, size, filled, *measure(store, playbook, args.repeat)))
                print(f"  {kind} {size:,}: filled in {filled:.1f} s", file=sys.stderr)
        print(
            f"{'store':<11} {'comments':>10} {'draft (topic)':>14} {'draft (no topic)':>17} "
            f"{'observe (topic)':>16} {'observe (no topic)':>19}   (median µs)"
        )
        for kind, size, _, a, b, c, d in rows:
            print(f"{kind:<11} {size:>10,} {a:>14.0f} {b:>17.0f} {c:>16.0f} {d:>19.0f}")
        print("draft: one comment, committed (a single draft's cost, fsync included);")
        print("observe: the incident lookup and insert alone, inside a batch's transaction")
        print("target: no linear growth with the store (10x the comments, not 10x the time)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if server is not None:
            server.close()


if __name__ == "__main__":
    main()
