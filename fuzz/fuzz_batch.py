"""Fuzz the batch reader (replybook.batch.Source.records) with any JSONL or CSV file.

Every record read is a dict or an error record, never an exception; a whole file that
can't be read (a CSV without a text column...) may be one ReplybookError.

    python fuzz/fuzz_batch.py -max_total_time=600 fuzz/seeds/batch
"""

from __future__ import annotations

import os
import sys
import tempfile

import atheris

os.environ.setdefault("REPLYBOOK_NO_CACHE", "1")

with atheris.instrument_imports(include=["replybook"]):
    from replybook import ReplybookError
    from replybook.batch import Source

# The first byte picks the file's name: the suffix decides the format, else it is sniffed.
SUFFIXES = (".jsonl", ".csv", ".txt", ".tsv")
FOLDER = tempfile.mkdtemp(prefix="replybook-fuzz-batch-")


def test_one_input(data: bytes) -> None:
    suffix = SUFFIXES[data[0] % len(SUFFIXES)] if data else ".txt"
    path = os.path.join(FOLDER, "input" + suffix)
    with open(path, "wb") as out:
        out.write(data[1:])
    try:
        for number, record, error in Source(path).records():
            if not isinstance(number, int):
                raise AssertionError(f"line number {number!r}")
            if record is not None:
                if not isinstance(record, dict) or error is not None:
                    raise AssertionError(f"line {number}: record {record!r}, error {error!r}")
            elif not isinstance(error, str):
                raise AssertionError(f"line {number}: neither a record nor an error")
    except ReplybookError:
        return


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
