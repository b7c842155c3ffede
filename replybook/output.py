"""The only module that prints. Rich for a terminal; plain text and JSON for scripts.

Rich is imported only when a terminal will see it: scripts piping JSON never pay for it.
"""

from __future__ import annotations

import json
import os
import sys
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .compose import Draft


def is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def use_color(stream: IO[str]) -> bool:
    """Colour only on a terminal, never with NO_COLOR set."""
    return is_terminal(stream) and not os.environ.get("NO_COLOR")


def write_json(data: Any, stream: IO[str] | None = None) -> None:
    """One JSON object on one line, UTF-8 as is (not escaped)."""
    out = stream or sys.stdout
    out.write(json.dumps(data, ensure_ascii=False) + "\n")


def draft_text(draft: Draft) -> str:
    """The plain-text form of a draft: what a pipe or a file gets."""
    lines = [f"{draft.intent} → {draft.action}"]
    if draft.public_reply:
        lines += ["", "Public reply:", draft.public_reply]
    if draft.private_reply:
        lines += ["", "Private follow-up:", draft.private_reply]
    lines += ["", "Note:", draft.note]
    return "\n".join(lines) + "\n"


def print_draft(draft: Draft, fmt: str, stream: IO[str] | None = None) -> None:
    out = stream or sys.stdout
    if fmt == "json":
        write_json(draft.to_dict(), out)
        return
    if not is_terminal(out):
        out.write(draft_text(draft))
        return
    _rich_draft(draft, out)


_ACTION_STYLE = {"reply": "green", "escalate": "bold red", "moderate": "yellow", "skip": "dim"}


def _rich_draft(draft: Draft, out: IO[str]) -> None:
    from rich.console import Console, Group
    from rich.panel import Panel
    from rich.text import Text

    console = Console(file=out, no_color=not use_color(out), highlight=False)
    style = _ACTION_STYLE.get(draft.action, "")
    title = Text.assemble((draft.intent, "bold"), " → ", (draft.action.upper(), style))
    parts: list[Any] = []
    if draft.public_reply:
        parts += [Text("Public reply", style="bold"), Text(draft.public_reply), Text("")]
        parts.append(Text(f"{len(draft.public_reply)} characters", style="dim"))
        parts.append(Text(""))
    if draft.private_reply:
        parts += [Text("Private follow-up", style="bold"), Text(draft.private_reply), Text("")]
    parts += [Text("Note", style="bold"), Text(draft.note, style="dim")]
    panel = Panel(Group(*parts), title=title, title_align="left", border_style=style or "none")
    console.print(panel)
