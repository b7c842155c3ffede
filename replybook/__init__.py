"""replybook: draft and lint replies to a brand's social-media comments, by a playbook.

Public API::

    from replybook import load_playbook, analyze, draft
    playbook = load_playbook()            # replybook.yaml nearby, else the built-in default
    result = draft("you lost my bag", playbook, name="Dana", agent="Mia Koski")
"""

from __future__ import annotations

__version__ = "0.1.0"

from .analyze import Analysis, analyze  # noqa: E402
from .decide import Decision, Reason, decide  # noqa: E402
from .errors import PlaybookError, ReplybookError, TemplateError, UsageError  # noqa: E402
from .linter import Finding, lint  # noqa: E402
from .playbook import Playbook, load_playbook  # noqa: E402

__all__ = [
    "Analysis",
    "Decision",
    "Draft",
    "Finding",
    "Playbook",
    "PlaybookError",
    "Reason",
    "ReplybookError",
    "TemplateError",
    "UsageError",
    "__version__",
    "analyze",
    "decide",
    "draft",
    "lint",
    "load_playbook",
]


def __getattr__(name: str) -> object:
    # compose pulls in Jinja; load it only when a draft is asked for.
    if name in ("draft", "Draft"):
        from . import compose

        return getattr(compose, name)
    raise AttributeError(name)
