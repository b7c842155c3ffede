"""One error hierarchy. Every message is written for a person and fits on one line."""

from __future__ import annotations

import re


class ReplybookError(Exception):
    """Base of every error replybook raises on purpose; the CLI turns it into exit code 2."""

    exit_code = 2


class UsageError(ReplybookError):
    """Bad arguments or bad input text (empty comment, unknown channel, bad timestamp)."""


_NAME = re.compile(r"[\w-]{1,64}(?:\[\d+\])*")


def shown_key(key: object) -> str:
    """A key of a file as an error may show it: quoted when it looks like a key name, else
    not at all (a file that isn't a playbook, /etc/shadow, is never echoed through it)."""
    if isinstance(key, str) and _NAME.fullmatch(key):
        return repr(key)
    return "(a key that isn't a name)"


def _shown_path(path: str) -> str:
    return ".".join(p if _NAME.fullmatch(p) else "?" for p in path.split(".")) if path else ""


class StoreError(ReplybookError):
    """The team store failed while in use: a lost connection, a full disk, a server that
    went away. A batch stops at once (rather than fail every record after it); what was
    committed before it stays committed."""


class PlaybookError(ReplybookError):
    """A playbook that cannot be read or does not validate.

    The message names the file, the line and the key path where that is known.
    """

    def __init__(
        self, message: str, *, file: str | None = None, line: int | None = None, path: str = ""
    ) -> None:
        self.file = file
        self.line = line
        path = _shown_path(path)
        self.path = path
        self.reason = message
        where = file or "<playbook>"
        if line is not None:
            where += f":{line}"
        if path:
            where += f": {path}"
        super().__init__(f"{where}: {message}")


class TemplateError(ReplybookError):
    """A template that cannot be compiled or rendered."""


def unexpected(exc: Exception) -> str:
    """One line for a batch record that failed in a way nothing checked for."""
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if isinstance(exc, OverflowError):
        return "a date or number out of range"
    if isinstance(exc, UnicodeError):
        return "text that can't be written as UTF-8"
    return f"can't be processed ({type(exc).__name__})"
