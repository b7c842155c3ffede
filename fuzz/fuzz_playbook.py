"""Fuzz load_playbook: `extends: default` and any YAML after it; only PlaybookError escapes.

python fuzz/fuzz_playbook.py -max_total_time=600 fuzz/seeds/playbook
"""

from __future__ import annotations

import os
import sys
import tempfile

import atheris

os.environ["REPLYBOOK_NO_CACHE"] = "1"  # every input read from its file, never a cache

with atheris.instrument_imports(include=["replybook"]):
    from replybook import PlaybookError, load_playbook

FOLDER = tempfile.mkdtemp(prefix="replybook-fuzz-playbook-")
PATH = os.path.join(FOLDER, "replybook.yaml")


def test_one_input(data: bytes) -> None:
    with open(PATH, "wb") as out:
        out.write(b"extends: default\n" + data)
    try:
        load_playbook(PATH)
    except PlaybookError:
        return


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
