"""Phrase lists from a playbook, compiled into regular expressions (pure).

Phrase syntax, kept small so agencies can write it without knowing regexes:

- words match whole words, case-insensitively; spaces match any run of whitespace;
- a trailing ``*`` on a word matches any ending (``refund*`` matches refunds, refunded);
- a phrase written ``/like this/`` is a raw regular expression.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD_EDGE_L = r"(?<![\w@#])"
_WORD_EDGE_R = r"(?!\w)"


def phrase_regex(phrase: str) -> str:
    """Turn one phrase into a regular expression source."""
    phrase = phrase.strip()
    if len(phrase) >= 2 and phrase.startswith("/") and phrase.endswith("/"):
        return f"(?:{phrase[1:-1]})"
    parts = []
    for word in phrase.split():
        if word.endswith("*") and len(word) > 1:
            parts.append(re.escape(word[:-1]) + r"\w*")
        else:
            parts.append(re.escape(word))
    body = r"\s+".join(parts)
    left = _WORD_EDGE_L if phrase[:1].isalnum() else ""
    right = _WORD_EDGE_R if (phrase[-1:].isalnum() or phrase.endswith("*")) else ""
    return f"{left}{body}{right}"


def compile_phrases(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive alternation for a list of phrases; None for an empty list.

    Longer phrases come first so the longest one wins where several start at the same place.
    """
    items = sorted({p for p in phrases if p and p.strip()}, key=len, reverse=True)
    if not items:
        return None
    return re.compile("|".join(phrase_regex(p) for p in items), re.IGNORECASE)


def check_phrase(phrase: str) -> str | None:
    """Return why a phrase does not compile, or None when it is fine."""
    try:
        re.compile(phrase_regex(phrase))
    except re.error as exc:
        return f"bad pattern {phrase!r}: {exc}"
    return None
