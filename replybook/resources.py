"""Where the shipped playbooks, templates and presets live: one function, one place.

In a source checkout they are the top-level ``playbooks/``, ``templates/`` and ``presets/``
folders;
in an installed wheel they are packed under ``replybook/_data/``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def data_dir() -> Path:
    """Return the folder holding ``playbooks/``, ``templates/`` and ``presets/``."""
    here = Path(__file__).resolve().parent
    packed = here / "_data"
    if (packed / "playbooks").is_dir():
        return packed
    return here.parent
