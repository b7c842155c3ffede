"""Fuzz replybook.lint: any reply, with or without a comment; every span inside the reply.

python fuzz/fuzz_lint.py -max_total_time=600
"""

from __future__ import annotations

import os
import sys

import atheris

os.environ.setdefault("REPLYBOOK_NO_CACHE", "1")

with atheris.instrument_imports(include=["replybook"]):
    from replybook import ReplybookError, lint, load_playbook

PLAYBOOK = load_playbook("default")


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    comment = (
        fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 300)) if fdp.ConsumeBool() else None
    )
    text = fdp.ConsumeUnicodeNoSurrogates(fdp.remaining_bytes())
    try:
        findings = lint(text, PLAYBOOK, comment=comment)
    except ReplybookError:
        return
    for f in findings:
        start, end = f.span
        if not (0 <= start <= end <= len(text)):
            raise AssertionError(
                f"{f.rule}: span {f.span} outside a reply of {len(text)} characters"
            )


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
