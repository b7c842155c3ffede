"""Incident detection cost as the team store grows.

    python bench/store_growth.py [--sizes 1000,10000,100000] [--repeat 200]

For each size, fills a fresh store with that many comments (a mix of topics, complaints and
other intents, topic-less complaints with varied wording; half inside the 24-hour window,
half over the month before), then times drafting one comment through
the store: `Drafter.one` (analyse, decide, observe, compose, lint) and `Store.observe` alone, for a
complaint with a topic and a topic-less one. Prints the median microseconds per call.
Target: the cost must not grow linearly with the store.
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
from replybook.store import Store, normalise  # noqa: E402

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
TOPICS = ["delivery", "billing", "account", "app", "connectivity", "product", "service", None]
WORDS = ["order", "parcel", "late", "broken", "refund", "app", "crash", "login", "charge", "wifi"]


def fill(store: Store, size: int, rng: random.Random) -> None:
    """Insert ``size`` comments directly (the bench measures lookups, not inserts)."""
    rows = []
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
    with store.transaction():
        store.db.executemany(
            "INSERT INTO comments (playbook, ext_id, received_at, seen_at, language, intent,"
            " action, topic, norm) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def median_us(fn, repeat: int) -> float:
    times = []
    for n in range(repeat):
        start = time.perf_counter()
        fn(n)
        times.append((time.perf_counter() - start) * 1e6)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    playbook = load_playbook("default")
    folder = Path(tempfile.mkdtemp(prefix="replybook-store-"))
    rows = []
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            rng = random.Random(size)
            with Store(folder / f"s{size}.db") as store:
                fill(store, size, rng)
                drafter = Drafter(playbook, store, NOW)

                def draft_topic(n: int, drafter: Drafter = drafter) -> None:
                    drafter.one(
                        f"My order {n} still hasn't arrived", ext_id=f"t{n}", received_at=NOW
                    )

                def draft_free(n: int, drafter: Drafter = drafter) -> None:
                    drafter.one(
                        f"Your thing keeps doing the weird flicker {n} again, useless",
                        ext_id=f"f{n}",
                        received_at=NOW,
                    )

                def observe_topic(n: int, store: Store = store) -> None:
                    store.observe(
                        playbook="default",
                        text=f"order {n} late",
                        intent="complaint",
                        action="reply",
                        topic="billing",
                        language="en",
                        received_at=NOW,
                        ext_id=f"o{n}",
                    )

                def observe_free(n: int, store: Store = store) -> None:
                    store.observe(
                        playbook="default",
                        text=f"weird flicker {n} again useless",
                        intent="complaint",
                        action="reply",
                        topic=None,
                        language="en",
                        received_at=NOW,
                        ext_id=f"p{n}",
                    )

                rows.append(
                    (
                        size,
                        median_us(draft_topic, args.repeat),
                        median_us(draft_free, args.repeat),
                        median_us(observe_topic, args.repeat),
                        median_us(observe_free, args.repeat),
                    )
                )
        print(
            f"{'comments in store':>18} {'draft (topic)':>14} {'draft (no topic)':>17} "
            f"{'observe (topic)':>16} {'observe (no topic)':>19}   (median µs)"
        )
        for size, a, b, c, d in rows:
            print(f"{size:>18,} {a:>14.0f} {b:>17.0f} {c:>16.0f} {d:>19.0f}")
        print("target: no linear growth with the store (10x the comments, not 10x the time)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
