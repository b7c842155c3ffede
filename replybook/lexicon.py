"""Phrase lists from a playbook, matched against text (pure).

Phrase syntax, kept small so agencies can write it without knowing regexes:

- words match whole words, case-insensitively; spaces match any run of whitespace;
- a trailing ``*`` on a word matches any ending (``refund*`` matches refunds, refunded);
- punctuation and emoji are words of their own (``?!``, ``<3``, ``😂``);
- a phrase written ``/like this/`` is a raw regular expression.

Plain phrases go into a word trie, not a regular expression: building it costs next to
nothing, which matters for a command that starts, drafts one comment and exits. Only raw
``/regex/`` phrases are compiled, and only on first use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_TOKEN = re.compile(r"\w+(?:['’&-]\w+)*|[^\w\s]")
_SIMPLE = re.compile(r"\w+(?:['&-]\w+)*")
_PLAIN = re.compile(r"\w+(?:['&-]\w+)*(?:\s+\w+(?:['&-]\w+)*)*")
_PREFIXES = "\0p"
_END = "\0$"

Node = dict[str, Any]


class Match:
    """One phrase found in a text: like ``re.Match``, enough for the callers."""

    __slots__ = ("_start", "_end", "_text", "phrase")

    def __init__(self, text: str, start: int, end: int, phrase: str) -> None:
        self._text = text
        self._start = start
        self._end = end
        self.phrase = phrase

    def group(self, index: int = 0) -> str:
        return self._text[self._start : self._end]

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def span(self) -> tuple[int, int]:
        return (self._start, self._end)


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Words, punctuation marks and emoji with their character spans, case-folded."""
    return [
        (m.group(0).casefold().replace("’", "'"), m.start(), m.end()) for m in _TOKEN.finditer(text)
    ]


_last: tuple[str, list[tuple[str, int, int]]] = ("", [])


def _tokens(text: str) -> list[tuple[str, int, int]]:
    # Several matchers read the same comment in a row: tokenize it once.
    global _last
    if _last[0] is not text:
        _last = (text, tokenize(text))
    return _last[1]


def _is_regex(phrase: str) -> bool:
    return len(phrase) >= 2 and phrase.startswith("/") and phrase.endswith("/")


def _phrase_steps(phrase: str) -> list[tuple[str, bool]]:
    """A phrase as (token, is_prefix) steps."""
    steps: list[tuple[str, bool]] = []
    for chunk in phrase.split():
        wildcard = chunk.endswith("*") and len(chunk) > 1
        if wildcard:
            chunk = chunk[:-1]
        if _SIMPLE.fullmatch(chunk):  # most phrases: one plain word, no regex scan needed
            toks = [chunk.casefold()]
        else:
            toks = [t for t, _, _ in tokenize(chunk)]
        for i, tok in enumerate(toks):
            steps.append((tok, wildcard and i == len(toks) - 1))
    return steps


class PhraseMatcher:
    """Finds the phrases of one list in a text, leftmost first, longest at each place."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self.trie: Node = {}
        raw: list[str] = []
        for phrase in phrases:
            phrase = phrase.strip()
            if not phrase:
                continue
            if _is_regex(phrase):
                raw.append(phrase[1:-1])
                continue
            if _PLAIN.fullmatch(phrase):  # the common case: plain words, no wildcard
                steps = [(word, False) for word in phrase.casefold().split()]
            else:
                steps = _phrase_steps(phrase)
            if not steps:
                continue
            node = self.trie
            for token, prefix in steps:
                if prefix:
                    node = node.setdefault(_PREFIXES, {}).setdefault(token, {})
                else:
                    node = node.setdefault(token, {})
            node.setdefault(_END, phrase)
        self._raw_source = "|".join(f"(?:{r})" for r in raw)
        self._raw: re.Pattern[str] | None = None

    def __bool__(self) -> bool:
        return bool(self.trie) or bool(self._raw_source)

    def _longest(self, tokens: list[tuple[str, int, int]], i: int) -> tuple[int, str] | None:
        """The longest phrase starting at token i: (index after it, phrase)."""
        best: tuple[int, str] | None = None
        frontier = [(self.trie, i)]
        while frontier:
            node, j = frontier.pop()
            if _END in node and j > i and (best is None or j > best[0]):
                best = (j, node[_END])
            if j >= len(tokens):
                continue
            token = tokens[j][0]
            child = node.get(token)
            if child is not None:
                frontier.append((child, j + 1))
            prefixes = node.get(_PREFIXES)
            if prefixes:
                for cut in range(1, len(token) + 1):
                    sub = prefixes.get(token[:cut])
                    if sub is not None:
                        frontier.append((sub, j + 1))
        return best

    def finditer(self, text: str) -> list[Match]:
        tokens = _tokens(text)
        found: list[Match] = []
        if self.trie:
            i = 0
            while i < len(tokens):
                hit = self._longest(tokens, i)
                if hit is None:
                    i += 1
                    continue
                end, phrase = hit
                found.append(Match(text, tokens[i][1], tokens[end - 1][2], phrase))
                i = end
        if self._raw_source:
            if self._raw is None:
                self._raw = re.compile(self._raw_source, re.IGNORECASE)
            found.extend(
                Match(text, m.start(), m.end(), m.group(0)) for m in self._raw.finditer(text)
            )
            found.sort(key=lambda m: m.start())
        return found

    def search(self, text: str) -> Match | None:
        found = self.finditer(text)
        return found[0] if found else None


def compile_phrases(phrases: Iterable[str]) -> PhraseMatcher | None:
    """A matcher for a list of phrases; None for an empty list."""
    matcher = PhraseMatcher(phrases)
    return matcher if matcher else None


def check_phrase(phrase: str) -> str | None:
    """Return why a phrase can't be used, or None when it is fine."""
    phrase = phrase.strip()
    if _is_regex(phrase):
        try:
            re.compile(phrase[1:-1])
        except re.error as exc:
            return f"bad pattern {phrase!r}: {exc}"
        return None
    if not _phrase_steps(phrase):
        return f"empty phrase {phrase!r}"
    return None
