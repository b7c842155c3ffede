"""Fuzz replybook.draft: any comment, language and channel; only ReplybookError may escape.

python fuzz/fuzz_draft.py -max_total_time=600
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timezone

import atheris

os.environ.setdefault("REPLYBOOK_NO_CACHE", "1")

with atheris.instrument_imports(include=["replybook"]):
    import replybook
    import replybook.compose  # noqa: F401  (draft is loaded lazily; instrument it too)
    from replybook import ReplybookError, load_playbook

PLAYBOOK = load_playbook("default")
LANGS = [None, *PLAYBOOK.served()]
CHANNELS = [None, *sorted(PLAYBOOK.get("channels") or {})]
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    lang = fdp.PickValueInList(LANGS)
    if fdp.ConsumeBool():
        channel = fdp.PickValueInList(CHANNELS)
    else:
        channel = fdp.ConsumeUnicodeNoSurrogates(12)  # mostly unknown: UsageError
    text = fdp.ConsumeUnicodeNoSurrogates(fdp.remaining_bytes())
    try:
        result = replybook.draft(text, PLAYBOOK, channel=channel, lang=lang, now=NOW)
    except ReplybookError:
        return
    result.to_dict()


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
