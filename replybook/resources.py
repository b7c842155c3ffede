"""Where the shipped playbooks and templates live: one function, one place.

In a source checkout they are the top-level ``playbooks/`` and ``templates/`` folders;
in an installed wheel they are packed under ``replybook/_data/``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def data_dir() -> Path:
    """Return the folder holding ``playbooks/`` and ``templates/``."""
    here = Path(__file__).resolve().parent
    packed = here / "_data"
    if (packed / "playbooks").is_dir():
        return packed
    return here.parent
