"""Reply (+ optional comment) + playbook -> findings (pure).

Rules are data: each rule in a playbook's ``rules:`` names a rule *type* with ``extends``
and gives its parameters, a level, a message, a why (citing the rules digest) and examples.
The rule types are the small functions in this module, registered in ``RULE_TYPES``.

A rule with ``when:`` reads the decision on the comment the reply answers, and only runs
when lint is given that comment; ``when:`` is one mapping of facts that must all hold, or a
list of such mappings of which one must. A rule with ``scope: public`` only checks public
replies. A rule with ``channels: public`` is off on a channel whose conversation is already
private (``public: false``: an e-mail, a chat, a DM); one with ``channels: private`` only
runs on such a channel (lint is given it with ``channel``).
"""

from __future__ import annotations

import marshal
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from .analyze import Analysis, analyze, language_fold
from .decide import Decision, decide
from .detect import detect
from .errors import PlaybookError, UsageError
from .lexicon import Caseless, Fold, Match, PhraseIndex, words_of
from .lexicon import lazy_pattern as _lazy
from .phrasing import BIDI_CONTROLS, measured
from .playbook import (
    Playbook,
    is_public,
    language_text,
    load_playbook,
    phrases_for,
    register_compiled,
    text_for,
)

LEVELS = ("suggestion", "warning", "error")

_RANK = {level: i for i, level in enumerate(LEVELS)}
# Compiled on first use (re caches them): few replies need them.
_DISABLE = r"\{#\s*replybook:\s*disable(?:=([\w,\s-]+))?\s*#\}"
# A sentence ends at . ! ? followed by a space or the end; a dot inside a link or a number
# ("t.co/x", "2.5") doesn't end one.
# Sentence ends in every script the playbook's languages use (Persian "؟", "۔").
_SENTENCE = r"(?:[^.!?؟۔。！？\n]|[.!?؟۔。！？]+(?=[^\s.!?؟۔。！？]))+(?:[.!?؟۔。！？]+|$)"


class Finding(NamedTuple):
    """One problem in a reply. ``span`` is [start, end) in characters; line and column are
    1-based."""

    rule: str
    level: str
    message: str
    why: str
    line: int
    column: int
    span: tuple[int, int]
    match: str
    replacement: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape (README: "JSON output of lint")."""
        data: dict[str, Any] = {
            "rule": self.rule,
            "level": self.level,
            "message": self.message,
            "why": self.why,
            "line": self.line,
            "column": self.column,
            "span": list(self.span),
            "match": self.match,
        }
        if self.replacement is not None:
            data["replacement"] = self.replacement
        return data


def _alternatives(when: dict[str, Any] | list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """A ``when:`` value as a list of mappings of facts (none: no condition)."""
    if isinstance(when, dict):
        return [when] if when else []
    return list(when or [])


class Rule:
    """A compiled lint rule: a rule type, its parameters, and what to say when it fires."""

    __slots__ = (
        "id",
        "type",
        "level",
        "message",
        "why",
        "params",
        "when",
        "scope",
        "_examples",
        "skip_when",
        "channels",
    )

    def __init__(
        self,
        id: str,
        type: str,
        level: str,
        message: str,
        why: str,
        params: dict[str, Any],
        when: dict[str, Any] | list[dict[str, Any]] | None = None,
        scope: str = "any",
        examples: dict[str, Any] | bytes | None = None,
        skip_when: dict[str, Any] | list[dict[str, Any]] | None = None,
        channels: str = "any",
    ) -> None:
        self.id = id
        self.type = type
        self.level = level
        self.message = message
        self.why = why
        self.params = params
        # Alternatives, each a mapping of facts that must all hold (none: always applies).
        self.when = _alternatives(when)
        # Alternatives too, any of which switches the rule off; without the comment the rule
        # runs (unlike ``when``).
        self.skip_when = _alternatives(skip_when)
        self.scope = scope
        # any, public (not on a private channel) or private (only on one).
        self.channels = channels
        # From the playbook cache still marshalled: only `replybook test` reads examples.
        self._examples: dict[str, Any] | bytes = examples or {}

    @property
    def examples(self) -> dict[str, Any]:
        if isinstance(self._examples, bytes):
            self._examples = marshal.loads(self._examples)
        return self._examples  # type: ignore[return-value]

    def __repr__(self) -> str:
        return f"Rule({self.id!r}, {self.type!r}, {self.level!r})"


# The reply as the signature rules read it: text, own signatures, any sign-off at the end,
# whether it is an earlier part of a thread.
_Signoff = tuple[str, list[re.Match[str]], re.Match[str] | None, bool]


class Context:
    """What a rule type sees: the reply, and what is known about where it goes."""

    __slots__ = (
        "text",
        "original",
        "playbook",
        "lang",
        "analysis",
        "channel",
        "name",
        "history",
        "slot",
        "index",
        "_sentences",
        "_found",
        "_signoff",
        "_raw_done",
        "_part",
        "_part_known",
        "hidden",
    )

    def __init__(
        self,
        text: str,
        playbook: Playbook,
        lang: str,
        analysis: Analysis | None,
        channel: dict[str, Any] | None,
        name: str | None,
        history: Sequence[str],
        slot: str,
    ) -> None:
        self.text = text
        self.original = text  # with any directional marks (the reply as given)
        self.playbook = playbook
        self.lang = lang
        self.analysis = analysis
        self.channel = channel
        self.name = name
        self.history = history
        self.slot = slot
        self.index: PhraseIndex | None = None
        self._sentences: list[tuple[int, int]] | None = None
        self._found: dict[Any, list[Match]] | None = None
        self._raw_done: set[Any] = set()
        self._signoff: _Signoff | None = None
        self._part: tuple[int, int] | None = None
        self._part_known = False
        # Hidden characters in the reply as given: (start, end, what they are).
        self.hidden: list[tuple[int, int, str]] = []

    def found(self) -> dict[Any, list[Match]]:
        """What every rule's plain phrase lists match in the reply, by (rule id, list)."""
        if self._found is None:
            assert self.index is not None
            self._found = self.index.search_all(self.text, raw=False)
        return self._found

    def hits(self, rule: Rule, param: str) -> list[Match]:
        """Matches of one of the rule's phrase lists (``tokens``, ``unless``...) in the reply.

        Every rule's lists live in one index, so the reply is walked once for all of them.
        """
        if self.index is None:
            self.index = build_index([rule], self.lang, language_fold(self.playbook, self.lang))
        found = self._found if self._found is not None else self.found()
        key = (rule.id, param)
        if key in self.index.raw_keys and key not in self._raw_done:
            # Raw /regex/ phrases are run only for the rules that ask: an "unless" list,
            # for one, is read only where its rule found something.
            self.index.add_raw(self.text, key, found)
            self._raw_done.add(key)
        return found.get(key, [])

    def any_hit(self, rule: Rule, param: str) -> bool:
        """Does any of the rule's ``param`` phrases occur? (Plain ones are looked at first.)"""
        if self.index is not None and (rule.id, param) in self.found():
            return True
        return bool(self.hits(rule, param))

    def signoff(self, closings: Collection[str] = ()) -> _Signoff:
        """The reply without trailing links (and without the marker of the thread's last
        part: "... ^MK 2/2"), the playbook-format signatures in it, any sign-off at its very
        end, and whether it is an earlier part of a thread ("(1/2)"). ``closings``: words
        that can end a reply on their own but are nobody's name ("Thanks"). Read by both
        signature rules, found once."""
        if self._signoff is None:
            text = self.text.rstrip()
            if "http" in text or "www." in text or "#" in text:
                text = _without_trailing_links(text)
            text = text.rstrip(" .")
            part = None
            if text[-1:] in _PART_END:
                part = _THREAD_PART.search(text, max(0, len(text) - 8))
            if (
                part is not None
                and 0 < int(part.group(1)) <= int(part.group(2))
                and part.start() > 0
                and text[part.start() - 1].isspace()
            ):
                text = text[: part.start()].rstrip(" .")
            where = self.part()
            earlier_part = where is not None and where[0] < where[1]
            regex, leads = _signature_regex(self.playbook, self.lang)
            own = []
            if regex is not None and (leads is None or any(lead in text for lead in leads)):
                own = list(regex.finditer(text))
            generic = _signoff_at_end(text) or _bare_signoff(text, closings)
            self._signoff = (text, own, generic, earlier_part)
        return self._signoff

    def part(self) -> tuple[int, int] | None:
        """Which part of a thread of replies this one is, by its marker ("(1/2)" at the
        start, after any handles, or at the end, before any links or sign-off), if any.
        Found once: several rules ask."""
        if not self._part_known:
            self._part = self._find_part()
            self._part_known = True
        return self._part

    def _find_part(self) -> tuple[int, int] | None:
        if "/" not in self.text or _DIGIT_SLASH.search(self.text) is None:
            return None  # every marker has a digit, a slash and a digit
        found = _LEADING_PART.match(self.text)
        if found is None:
            text = self.text.rstrip()
            if "http" in text or "www." in text or "#" in text:
                text = _without_trailing_links(text)
            text = text.rstrip(" .")
            at_end = _signoff_at_end(text)
            if at_end is not None and at_end.start() > 0:
                text = text[: at_end.start()].rstrip(" .")  # "... 2/2 ^Linda"
            if text[-1:] in _PART_END:
                found = _THREAD_PART.search(text, max(0, len(text) - 8))
        if found is None:
            return None
        number, of = int(found.group(1)), int(found.group(2))
        return (number, of) if 0 < number <= of else None

    def sentence_span(self, index: int) -> tuple[int, int]:
        """Where the sentence holding character ``index`` starts and ends."""
        if self._sentences is None:
            self._sentences = [m.span() for m in re.finditer(_SENTENCE, self.text)]
        for start, end in self._sentences:
            if start <= index < end:
                return start, end
        return 0, len(self.text)

    def around(self, index: int, reach: int) -> tuple[int, int]:
        """Where the sentence holding ``index`` and the ``reach`` sentences either side of
        it start and end."""
        low, high = self.sentence_span(index)
        assert self._sentences is not None
        spans = self._sentences
        at = next((i for i, span in enumerate(spans) if span == (low, high)), None)
        if at is None:
            return low, high
        return spans[max(0, at - reach)][0], spans[min(len(spans) - 1, at + reach)][1]


Hit = tuple[int, int, dict[str, Any]]  # start, end, extra message fields
RuleType = Callable[[Rule, Context], Iterable[Hit]]


# ---------------------------------------------------------------------------------------
# Rule types


# Every phrase-list parameter of every rule type: all go into the one index of a playbook.
_PHRASE_PARAMS = (
    "tokens",
    "unless",
    "first",
    "then",
    "markers",
    "verbs",
    "nouns",
    "not_after",
    "breaks",
    "public",
    "declines",
)


def _swap_table(rule: Rule, lang: str) -> dict[str, str]:
    swaps = rule.params.get("swap") or {}
    if any(isinstance(v, dict) for v in swaps.values()):
        swaps = swaps.get(lang) or {}
    return {str(k): str(v) for k, v in swaps.items()}


def build_index(rules: Iterable[Rule], lang: str, fold: Fold | None = None) -> PhraseIndex:
    """One phrase index over every phrase list of ``rules``, keyed (rule id, parameter),
    normalised as the language asks (``fold``)."""
    index = PhraseIndex(fold)
    for rule in rules:
        for param in _PHRASE_PARAMS:
            phrases = [p for p in phrases_for(rule.params.get(param), lang) if "{name}" not in p]
            if phrases:
                index.add((rule.id, param), phrases)
        if rule.type == "substitution":
            index.add((rule.id, "swap"), list(_swap_table(rule, lang)))
    return index


def _unless(rule: Rule, ctx: Context, start: int) -> bool:
    """A match is excused when its sentence also has one of the rule's ``unless`` phrases."""
    excuses = ctx.hits(rule, "unless")
    if not excuses:
        return False
    low, high = ctx.sentence_span(start)
    return any(low <= m.start() < high for m in excuses)


def existence(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """Each of the rule's ``tokens`` found in the reply is a finding (one where a plain
    phrase and a /regex/ one overlap: "maybe try" in "maybe try reading it next time")."""
    end = -1
    for m in ctx.hits(rule, "tokens"):
        if m.start() >= end and not _unless(rule, ctx, m.start()):
            end = m.end()
            yield m.start(), m.end(), {}


def substitution(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """``swap: {say-not-this: say-this}``: each match, with its replacement."""
    found = ctx.hits(rule, "swap")
    if not found:
        return
    lowered = {k.casefold(): v for k, v in _swap_table(rule, ctx.lang).items()}
    spec = (ctx.playbook.get("languages") or {}).get(ctx.lang) or {}
    turkish = str(spec.get("casing") or "") == "turkish"
    for m in found:
        replacement = lowered.get(m.phrase.casefold(), "")
        # A phrase the playbook writes in small letters, capitalised in the reply (it
        # starts a sentence): so is its replacement, and a fix reads as written.
        first, key = ctx.text[m.start() : m.start() + 1], m.phrase[:1]
        if first.isupper() and not key.isupper():
            replacement = capitalise(replacement, turkish)
        yield m.start(), m.end(), {"replacement": replacement}


def capitalise(text: str, turkish: bool = False) -> str:
    """``text`` with its first letter a capital (with Turkish casing, i is İ and ı is I)."""
    if not text or not text[0].islower():
        return text
    first = text[0]
    if turkish and first in "iı":
        return ("İ" if first == "i" else "I") + text[1:]
    upper = first.upper()
    return (upper if len(upper) == 1 else first) + text[1:]


def _patterns(value: Any, lang: str) -> str | None:
    """A rule's ``pattern``: one expression, or one per language ({en: ..., ru: ...})."""
    if isinstance(value, dict):
        found = value.get(lang)
        return str(found) if found else None
    return str(value) if value else None


def pattern(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """Each match of the rule's regular expression ``pattern`` (the reply's language's, when
    the rule has one per language)."""
    cache = rule.params.setdefault("_compiled", {})
    key = ("pattern", ctx.lang)
    if key not in cache:
        source = _patterns(rule.params.get("pattern"), ctx.lang)
        cache[key] = (
            None
            if source is None
            else re.compile(source)
            if rule.params.get("case_sensitive")
            else Caseless(source)
        )
    regex = cache[key]
    if regex is None:
        return
    if isinstance(regex, Caseless) and not regex.possible(ctx.text):
        return  # none of the text every match must hold is there
    for m in regex.finditer(ctx.text):
        if m.end() > m.start() and not _unless(rule, ctx, m.start()):
            yield m.start(), m.end(), {}


def occurrence(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """Too many (``max``) or too few (``min``) of ``tokens``; or, with ``scope: length``,
    more characters than ``max`` or than the channel's limit."""
    if rule.params.get("measure") == "length":
        limit = rule.params.get("max")
        if limit is None and ctx.channel is not None:
            limit = ctx.channel.get("max_chars")
        weight = int(ctx.channel.get("mark_weight") or 1) if ctx.channel else 1
        size = measured(ctx.original.rstrip(), weight)
        if limit and size > int(limit):
            label = ctx.channel.get("label") if ctx.channel else "this channel"
            fields = {"count": size, "limit": limit, "channel": label}
            yield min(int(limit), len(ctx.text.rstrip())), len(ctx.text.rstrip()), fields
        return
    found = ctx.hits(rule, "tokens")
    most, least = rule.params.get("max"), rule.params.get("min")
    if most is not None and len(found) > int(most):
        extra = found[int(most)]
        yield extra.start(), found[-1].end(), {"count": len(found), "limit": most}
    if least is not None and len(found) < int(least):
        yield 0, 0, {"count": len(found), "limit": least}


def _other_part(rule: Rule, ctx: Context) -> bool:
    """Is the reply a part of a thread of replies that the rule's ``parts`` leaves alone?
    ``parts: first`` checks only the first part ("1/3"), ``parts: none`` no part, ``any``
    (the default) every part as a reply of its own."""
    parts = rule.params.get("parts", "any")
    if parts == "any":
        return False
    where = ctx.part()
    return where is not None and where[1] > 1 and (parts == "none" or where[0] > 1)


def required(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """At least one of ``tokens`` must appear. ``{name}`` stands for the customer's first
    name; where it isn't known those tokens drop out (and a rule left with none is skipped).

    In one part of a thread of replies ("(2/3)"), ``parts: first`` checks only the first
    part (a greeting), ``parts: none`` no part (an apology may be in another part);
    ``parts: any``, the default, checks each part as a reply of its own."""
    if _other_part(rule, ctx):
        return
    if ctx.any_hit(rule, "tokens"):
        return
    cache = rule.params.setdefault("_compiled", {})
    lists = cache.get(f"tokens:{ctx.lang}")
    if lists is None:
        tokens = phrases_for(rule.params.get("tokens"), ctx.lang)
        lists = cache[f"tokens:{ctx.lang}"] = (tokens, [t for t in tokens if "{name}" in t])
    tokens, with_name = lists
    if with_name and ctx.name and ctx.name.strip():
        first = re.escape(ctx.name.split()[0])
        for token in with_name:
            parts = [re.escape(part) for part in token.split("{name}")]
            if re.search(r"(?<!\w)" + first.join(parts) + r"(?!\w)", ctx.text, re.IGNORECASE):
                return
    if len(with_name) == len(tokens) and not (ctx.name and ctx.name.strip()):
        return  # only name tokens, and no name to look for
    yield 0, 0, {}


def sequence(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """Where one of ``then`` appears (in a sentence without an ``unless`` phrase), one of
    ``first`` must come before it. ``parts`` as for ``required``: what comes first may be in
    an earlier part of a thread."""
    if _other_part(rule, ctx):
        return
    later = [m for m in ctx.hits(rule, "then") if not _unless(rule, ctx, m.start())]
    if not later:
        return
    start = later[0].start()
    if not any(m.end() <= start for m in ctx.hits(rule, "first")):
        yield start, later[0].end(), {}


def shouting(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """ALL-CAPS words of ``min_letters`` letters or more, and runs of ``min_run`` capitalised
    words; words in ``allow`` and sign-off initials (``*HKC``, ``^MK``) don't count."""
    min_letters = int(rule.params.get("min_letters", 4))
    min_run = int(rule.params.get("min_run", 3))
    cache = rule.params.setdefault("_compiled", {})
    allow = cache.get("allow")
    if allow is None:
        allow = cache["allow"] = {str(a) for a in rule.params.get("allow") or []}
    text = ctx.text
    if text.isascii():  # capitals runs, then whole-word checks: quicker than the regex below
        end = len(text)
        caps = [
            m
            for m in _ASCII_CAPS.finditer(text)
            if (m.start() == 0 or text[m.start() - 1] not in _ASCII_WORD)
            and (m.end() == end or text[m.end()] not in _ASCII_WORD)
        ]
    else:
        # Every letter a capital: a run of kana or ideographs around "URL" is no shouting.
        caps = [
            m
            for m in _CAPS_WORD.finditer(text)
            if all(c.isupper() for c in m.group(0) if c.isalpha())
        ]
    words = [
        m
        for m in caps
        if m.group(0) not in allow
        and ctx.text[max(m.start() - 1, 0) : m.start()] not in ("*", "^", "/", "-", "~")
    ]
    if words and ("http" in text or "www." in text):
        # Capitals inside a link ("...?clk=SITESEARCH") are part of an address, not a voice.
        links = [m.span() for m in _LINK.finditer(text)]
        words = [m for m in words if not any(a <= m.start() < b for a, b in links)]
    if not words:
        return
    run: list[re.Match[str]] = []
    flagged: set[int] = set()
    for m in [*words, None]:
        if m is not None and run and ctx.text[run[-1].end() : m.start()].strip() == "":
            run.append(m)
            continue
        if len(run) >= min_run:
            flagged.update(x.start() for x in run)
        run = [m] if m is not None else []
    for m in words:
        if m.start() in flagged or len(m.group(0)) >= min_letters:
            yield m.start(), m.end(), {}


# Words of two letters or more with no letter in a-z: all-caps words (and words written
# wholly in other scripts); isupper() then keeps the all-caps ones.
_CAPS_WORD = _lazy(r"\b[^\W\d_a-z]{2,}\b")
_ASCII_CAPS = _lazy(r"[A-Z]{2,}")
_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
# Capitals in any script with case ("[ИМЯ]", "Мария", "Ayşe"); a caseless script has none.
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁ"
# Fill-in markers in any script: "[NAME]", "[ИМЯ]", "<name>", "<имя>", "‹имя›". Every
# part is bounded or stops at its own opening mark: a reply of 100,000 "{{" is one pass.
_PLACEHOLDERS = _lazy(
    r"\{\{[^{}\n]{0,200}\}\}|\{%[^{}\n]{0,200}?%\}|"
    rf"\[(?:[{_UPPER}][{_UPPER} _-]*|name|first name|agent|x+)\]|"
    r"\[[\u0600-\u06ff][\u0600-\u06ff\u200c ]{0,20}\]|"
    r"<(?:[^\W\d_A-Z][^\W\d_]*(?:[ _-][^\W\d_]+)*)>|‹[^›\n]{1,30}›|"
    r"\b(?:XXX+|TODO|TBD|FIXME|INSERT [A-Z ]+)\b|\$\{\w+\}"
)


def placeholder(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """Leftover template syntax and fill-in markers: ``{{ }}``, ``{% %}``, ``[NAME]``,
    ``<name>``, ``TODO``."""
    text = ctx.text
    # Every placeholder holds one of these: a text with none of them needs no regex scan.
    if (
        "{" in text
        or "[" in text
        or "<" in text
        or "XXX" in text
        or "TODO" in text
        or "TBD" in text
        or "FIXME" in text
        or "INSERT" in text
        or "‹" in text
    ):
        for m in _PLACEHOLDERS.finditer(text):
            yield m.start(), m.end(), {}


# Any sign-off at the very end: "-KB", "*KevinM", "^cr", "/MT", "--JV", "~ Ana", "– Team";
# it starts with one of the marks, after a space or punctuation.
_SIGNOFF = _lazy(
    r"(?:[-–—~]{1,2}\s?\w[\w.]*(?:[\s-][^\W\d_][\w.]*){0,3}|[*^/]\s?[^\W\d_][\w.]{0,20})[\s.]*$"
)
_SIGNOFF_MARKS = "-–—~*^/"
_SIGNOFF_REACH = 80  # characters from the end
_HASHTAG = _lazy(r"#\w+")
_THREAD_PART = _lazy(r"[(\[]?(\d{1,2})/(\d{1,2})[)\]]?$")
_PART_END = "0123456789)]"
_DIGIT_SLASH = _lazy(r"\d/\d")
_LEADING_PART = _lazy(r"\s*(?:[@.]\w+[\s,]+)*[(\[]?(\d{1,2})/(\d{1,2})[)\]]?\s")
# A sign-off with no mark: a name or initials alone after the last sentence or link
# ("... in place. Trinity", "... https://t.co/x TN").
_BARE_NAME = _lazy(
    rf"(?<![\w'’-])(?:[{_UPPER}][^\W\d_]*(?:-[{_UPPER}][^\W\d_]*)*"
    rf"(?: [{_UPPER}][^\W\d_]*(?:-[{_UPPER}]\w*)*){{0,4}}"
    rf"|[{_UPPER}]{{2,4}})$"
)
_ENDS_SENTENCE = ".!?؟۔。！？"
_LAST_WORD = _lazy(r"[^\W\d_]+$")
_ENDS_LINK = _lazy(r"(?:https?://|www\.)\S+$")


def _signature_regex(
    playbook: Playbook, lang: str
) -> tuple[re.Pattern[str] | None, tuple[str, ...] | None]:
    """The playbook's signature formats in a language (its own, ``languages.<code>.
    signature``, else the playbook's) as one expression, and the plain text each starts
    with (None when one starts with a name or initials): a reply holding none of those
    texts has no signature in the playbook's format. Names and initials in any script."""
    cached = playbook._cache.get(("lint:signature", lang))
    if cached is not None:
        return cached
    brand = dict(playbook.get("brand") or {})
    brand["team"] = language_text(playbook, lang, "team")
    fills = {
        "agent.initials": r"[^\W\d_]{1,4}(?!\w)",
        "agent.name": r"[^\W\d_][\w.'-]*(?: [^\W\d_][\w.'-]*){0,3}",
        "agent.first": r"[^\W\d_][\w'-]*",
    }
    options: list[str] = []
    leads: list[str] | None = []
    spec = ((playbook.get("languages") or {}).get(lang) or {}).get("signature")
    for source in (spec or playbook.get("signature") or {}).values():
        parts = re.split(r"(\{\{.*?\}\})", str(source).strip())
        out = []
        for part in parts:
            expr = re.fullmatch(r"\{\{\s*([\w.]+)\s*\}\}", part)
            if expr is None:
                out.append(re.escape(part))
            elif expr.group(1) in fills:
                out.append(fills[expr.group(1)])
            elif expr.group(1).startswith("brand.") and brand.get(expr.group(1)[6:]):
                out.append(re.escape(str(brand[expr.group(1)[6:]])))
            else:
                out.append(r"\S.{0,40}?")
        if out and "".join(out):
            # Sign-offs without a name to fill go first: "Terveisin Acme Air Care" is the
            # team's, not an agent "Acme" followed by more words.
            named = any(re.fullmatch(r"\{\{\s*agent\.[\w.]+\s*\}\}", p) for p in parts)
            options.insert(len(options) if named else 0, "".join(out))
            if leads is not None and parts[0]:
                leads.append(parts[0])
            else:
                leads = None
    compiled = re.compile("|".join(f"(?:{o})" for o in options)) if options else None
    found = (compiled, tuple(leads) if leads is not None else None)
    playbook._cache[("lint:signature", lang)] = found
    return found


def _without_trailing_links(text: str) -> str:
    """The text without the links and hashtags it ends with ("... ^MK https://t.co/x #care")."""
    while True:
        parts = text.rsplit(None, 1)
        if len(parts) < 2:
            return text
        head, last = parts
        if last.startswith(("http://", "https://", "www.")) or _HASHTAG.fullmatch(last):
            text = head.rstrip()
        else:
            return text


def _signoff_at_end(text: str) -> re.Match[str] | None:
    """Any sign-off at the very end of ``text`` (its last 80 characters): the leftmost
    place, after a space or punctuation, where one starts and runs to the end."""
    start = max(0, len(text) - _SIGNOFF_REACH)
    places = []
    for mark in _SIGNOFF_MARKS:
        at = text.find(mark, start)
        while at >= 0:
            places.append(at)
            at = text.find(mark, at + 1)
    for at in sorted(places):
        if at == 0 or text[at - 1].isspace() or text[at - 1] in ".!?,)":
            found = _SIGNOFF.match(text, at)
            if found is not None:
                return found
    return None


def _bare_signoff(text: str, closings: Collection[str]) -> re.Match[str] | None:
    """A name or initials alone at the very end, after a sentence or a link, that isn't one
    of ``closings`` (case-folded); or after one of ``closings`` and a comma that start the
    last sentence ("... within 24 hours. Regards, Idea Care")."""
    found = _BARE_NAME.search(text, max(0, len(text) - 40))
    if found is None:
        return None
    before = text[: found.start()].rstrip()
    if before.endswith((",", "،")):
        closing = _LAST_WORD.search(before[:-1])
        if closing is not None and closing.group(0).casefold() in closings:
            before = before[: closing.start()].rstrip()
            if not before or before[-1] in _ENDS_SENTENCE or _ENDS_LINK.search(before):
                return found
        return None
    if not before or not (before[-1] in _ENDS_SENTENCE or _ENDS_LINK.search(before)):
        return None
    if found.group(0).split()[0].casefold() in closings:
        return None
    return found


def signature(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """A sign-off at the end, once. With ``check: format``, a sign-off that isn't in the
    playbook's signature format. ``closings``: words that may end a reply alone but are
    no signature ("Thanks")."""
    cache = rule.params.setdefault("_compiled", {})
    closings = cache.get(f"closings:{ctx.lang}")
    if closings is None:
        closings = cache[f"closings:{ctx.lang}"] = frozenset(
            c.casefold() for c in phrases_for(rule.params.get("closings"), ctx.lang)
        )
    text, own, generic, earlier_part = ctx.signoff(closings)
    if earlier_part:
        return  # one part of a thread ("1/2"): the sign-off comes with the last part
    if rule.params.get("check") == "format":
        ends_with_own = bool(own) and own[-1].end() == len(text)
        if generic is not None and not ends_with_own:
            yield generic.start(), generic.end(), {}
        return
    if not own and generic is None:
        yield len(text), len(text), {"problem": "no signature"}
        return
    if len(own) > 1:
        yield own[1].start(), own[1].end(), {"problem": "signed more than once"}
    elif own and own[-1].end() != len(text) and generic is None:
        yield own[-1].start(), own[-1].end(), {"problem": "the signature isn't at the end"}


def similarity(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """Near-duplicate (``threshold`` %) of a reply already sent: a canned reply."""
    if not ctx.history:
        return
    from rapidfuzz import fuzz, process, utils

    threshold = float(rule.params.get("threshold", 85))
    best = process.extractOne(
        ctx.text,
        ctx.history,
        scorer=fuzz.token_sort_ratio,
        processor=utils.default_process,
        score_cutoff=threshold,
    )
    if best is not None:
        past = " ".join(str(best[0]).split())
        shown = past if len(past) <= 60 else past[:57] + "..."
        yield 0, len(ctx.text.rstrip()), {"score": round(best[1]), "past": shown}


# Handles, hashtags and links: not what a message is about.
_NOT_PROSE = _lazy(r"[@#]\w+|https?://\S+|www\.\S+")
_LINK = _lazy(r"https?://\S+|www\.\S+")
# Words of letters only, with an apostrophe inside ("it's"), as the common-words list has them.
_LETTERS = _lazy(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def _content_stems(
    text: str, common: Collection[str], least: int, links: bool = False
) -> set[str]:
    """The text's words of ``least`` letters or more that aren't in ``common``, cut to five
    letters ("delayed" and "delays" meet); handles, hashtags and links left out. With
    ``links``, the words of its links' paths count too (a help page's address says what it
    is about: ".../Information-on-Banned-Accounts")."""
    plain = _NOT_PROSE.sub(" ", text) if ("@" in text or "#" in text or "/" in text) else text
    if links and "/" in text:
        for m in _LINK.finditer(text):
            # The path only: the host names the brand, not the problem.
            path = m.group(0).split("/", 3)[3:] if "://" in m.group(0) else [m.group(0)]
            plain += " " + re.sub(r"[\W\d_]+", " ", " ".join(path))
    words = _LETTERS.findall(plain.casefold())
    return {w[:5] for w in words if len(w) >= least and w not in common}



def _common_words(rule: Rule, playbook: Playbook, lang: str) -> frozenset[str]:
    """Words too common to show what a reply is about: the language's stopwords and vague
    nouns (``languages:``) and the rule's ``common`` list. Worked out once."""
    cache = rule.params.setdefault("_compiled", {})
    found = cache.get(f"common:{lang}")
    if found is None:
        spec = (playbook.get("languages") or {}).get(lang) or {}
        words = [*(spec.get("stopwords") or []), *(spec.get("vague") or [])]
        words += phrases_for(rule.params.get("common"), lang)
        found = cache[f"common:{lang}"] = frozenset(str(w).casefold() for w in words)
    return found


def relevant(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """The reply mentions what the comment was about: its topic's words, key phrase, the
    brand's thing it names, or (``shared: true``) any word of its own of ``min_letters``
    letters or more that isn't common (``common``, and the language's stopwords and vague
    nouns)."""
    a = ctx.analysis
    if a is None:
        return
    words: list[str] = []
    if a.term:
        words.append(a.term)
    if a.brand_thing:
        words += [a.brand_thing, a.brand_thing.split()[-1]]
    if a.key_phrase:
        words += [a.key_phrase, a.key_phrase.split()[-1]]
    if a.topic:
        topic = (ctx.playbook.get("topics") or {}).get(a.topic) or {}
        words += phrases_for(topic.get("match"), ctx.lang)
        mention = text_for(topic.get("mention"), ctx.lang)
        if mention and a.term:
            words.append(mention.replace("{term}", a.term).split()[-1])
    if not words:
        return
    stems = {w.split()[-1].casefold().rstrip("s") for w in words if w.strip() and w[0] != "/"}
    # " token token ... ": a stem of 3 letters or more may start a word, a shorter one must
    # be the whole word; a substring search does either in one pass.
    reply = " " + " ".join(words_of(ctx.text, language_fold(ctx.playbook, ctx.lang)).words) + " "
    mentioned = any(
        (" " + stem) in reply if len(stem) >= 3 else (" " + stem + " ") in reply for stem in stems
    )
    if not mentioned and rule.params.get("shared"):
        common = _common_words(rule, ctx.playbook, ctx.lang)
        least = int(rule.params.get("min_letters", 4))
        own = _content_stems(a.text, common, least)
        mentioned = bool(own) and not own.isdisjoint(
            _content_stems(ctx.text, common, least, links=True)
        )
    if not mentioned:
        about = a.key_phrase or a.term or a.topic or "it"
        yield 0, 0, {"about": about}


def alternatives(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """A refusal offers at least ``min`` alternatives: the playbook's own, or phrased as
    options ("instead", "or", "alternatively"). With ``declines``, only a reply that says
    no (one of those phrases: "we can't", "unfortunately") needs them."""
    a = ctx.analysis
    if a is None or not a.refusal:
        return
    if rule.params.get("declines") and not ctx.any_hit(rule, "declines"):
        return  # the reply doesn't say no: nothing to offer instead of
    least = int(rule.params.get("min", 2))
    entry = (ctx.playbook.get("cannot_grant") or {}).get(a.refusal) or {}
    offered = [str(x) for x in (entry.get("alternatives") or {}).get(ctx.lang) or []]
    lowered = ctx.text.casefold()
    count = sum(1 for option in offered if option.casefold() in lowered)
    if count >= least:
        return
    marker_hits = len(ctx.hits(rule, "markers"))
    if marker_hits >= least:
        return
    yield 0, 0, {"count": count, "limit": least}


# Words, for counting how far apart two phrases are; a clause mark ends a reach backwards.
_WORDS = _lazy(r"\w+(?:['’]\w+)*")
_CLAUSE_MARK = _lazy(r"[,;:()،؛]")


def _word_count(text: str) -> int:
    return len(_WORDS.findall(text))


def request(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """Asking for one of ``nouns``: one of ``verbs`` followed, in the same sentence and
    within ``within`` words, by one of ``nouns`` ("reply here with your account number").

    Not a request where one of ``not_after`` ends at most ``before`` words before the verb
    in the same clause ("never share your password", "we'll send it to your address") or
    right before the noun ("tell us what happened, no account number"); nor where the verb
    ends its clause ("just to confirm, did you reset your password?") or one of ``breaks``
    comes between the verb and the noun ("give us your user name so we can pull up your
    account details"). Not in public where one of ``unless`` (a private channel) comes
    between the verb and the noun, or elsewhere in the sentence or the ``reach`` sentences
    either side ("Can you give us the booking reference? Please send it by DM."), as long
    as the sentence names no public place (``public``: "DM us or reply here with your PIN").
    In the languages listed in ``either_order`` the noun may also come first and the verb
    after it ("رمز عبور را اینجا بفرستید"), by the same checks.
    """
    nouns = ctx.hits(rule, "nouns")
    verbs = ctx.hits(rule, "verbs") if nouns else []
    if not verbs:
        return
    within = int(rule.params.get("within", 8))
    before = int(rule.params.get("before", 3))
    reach = int(rule.params.get("reach", 1))
    text = ctx.text

    def close_before(at: int, low: int, words: int) -> bool:
        """One of ``not_after`` ends at most ``words`` words before ``at``, same clause."""
        return any(
            low <= m.end() <= at
            and not _CLAUSE_MARK.search(text, m.end(), at)
            and _word_count(text[m.end() : at]) <= words
            for m in ctx.hits(rule, "not_after")
        )

    def found(first: Match, second: Match, low: int, high: int) -> bool:
        """The words from ``first`` to ``second`` ask for the data, in public."""
        between = text[first.end() : second.start()]
        if second.start() >= high or _word_count(between) > within:
            return False
        if _CLAUSE_MARK.match(between.lstrip()) or any(
            first.end() <= m.start() < second.start() for m in ctx.hits(rule, "breaks")
        ):
            return False
        if close_before(first.start(), low, before) or close_before(second.start(), low, 1):
            return False
        private = ctx.hits(rule, "unless")
        if any(first.start() <= m.start() < second.end() for m in private):
            return False
        start, end = ctx.around(first.start(), reach)
        return not (
            any(start <= m.start() < end for m in private)
            and not any(low <= m.start() < high for m in ctx.hits(rule, "public"))
        )

    taken = 0  # where the last finding ended: one finding per request
    for verb in verbs:
        if verb.start() < taken:
            continue
        low, high = ctx.sentence_span(verb.start())
        noun = next((n for n in nouns if n.start() >= verb.end()), None)
        if noun is None:
            break  # no noun after this verb, nor after any later one
        if found(verb, noun, low, high):
            taken = noun.end()
            yield verb.start(), noun.end(), {}
    if ctx.lang not in (rule.params.get("either_order") or ()):
        return
    # Where the data may come first and the asking verb end the sentence ("رمز عبور را
    # اینجا بفرستید"): the same checks, the noun first.
    for noun in nouns:
        if noun.start() < taken:
            continue
        low, high = ctx.sentence_span(noun.start())
        asked = next((v for v in verbs if v.start() >= noun.end()), None)
        if asked is None:
            break
        if found(noun, asked, low, high):
            taken = asked.end()
            yield noun.start(), asked.end(), {}


def _signal_index(rule: Rule, playbook: Playbook, lang: str) -> PhraseIndex:
    """One phrase list: the rule's ``tokens`` and the phrases of the playbook's ``signals``
    kinds it names, of weight ``min_weight`` or more. Built once per playbook and language."""
    key = ("lint:signals", rule.id, lang)
    index = playbook._cache.get(key)
    if index is None:
        least = float(rule.params.get("min_weight", 1))
        phrases = list(phrases_for(rule.params.get("tokens"), lang))
        signals = playbook.get("signals") or {}
        for kind in rule.params.get("signals") or []:
            groups = (signals.get(kind) or {}).get(lang) or {}
            for weight, listed in groups.items():
                if float(weight) >= least:
                    phrases += [str(p) for p in listed or []]
        index = PhraseIndex(language_fold(playbook, lang))
        index.add("echo", phrases)
        playbook._cache[key] = index
    return index


def echo(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """The comment's insults or swearing repeated in the reply: each phrase of the rule's
    list (``tokens``, and the playbook's ``signals`` kinds of weight ``min_weight`` or more)
    found in both the comment and the reply is a finding where the reply has it."""
    a = ctx.analysis
    if a is None:
        return
    kinds = rule.params.get("signals") or []
    if kinds and not rule.params.get("tokens") and not any(a.matches.get(k) for k in kinds):
        return  # the analysis found none of those signals' phrases in the comment
    index = _signal_index(rule, ctx.playbook, ctx.lang)
    in_reply = index.search_all(ctx.text).get("echo")
    if not in_reply:
        return
    # A plain phrase is known by its pattern ("fuck*" takes in "fucking" and "fuck"); a
    # /regex/ one by the text it matched.
    said = {m.phrase.casefold() for m in index.search_all(a.text).get("echo", [])}
    for m in in_reply:
        if m.phrase.casefold() in said and not _unless(rule, ctx, m.start()):
            yield m.start(), m.end(), {}


# Hidden characters

# Characters that show nothing, by name: a rule reading the reply never sees them.
_INVISIBLE = {
    "\u200b": "zero-width space",
    "\u200c": "zero-width non-joiner",
    "\u200d": "zero-width joiner",
    "\u2060": "word joiner",
    "\ufeff": "byte-order mark",
    "\u00ad": "soft hyphen",
    "\u034f": "combining grapheme joiner",
    "\u180e": "Mongolian vowel separator",
    "\u2061": "invisible function application",
    "\u2062": "invisible times",
    "\u2063": "invisible separator",
    "\u2064": "invisible plus",
}
_BIDI_NAMES = {
    "\u2066": "left-to-right isolate",
    "\u2067": "right-to-left isolate",
    "\u2068": "first-strong isolate",
    "\u2069": "pop directional isolate",
    "\u200e": "left-to-right mark",
    "\u200f": "right-to-left mark",
    "\u202a": "left-to-right embedding",
    "\u202b": "right-to-left embedding",
    "\u202c": "pop directional formatting",
    "\u202d": "left-to-right override",
    "\u202e": "right-to-left override",
    "\u061c": "Arabic letter mark",
}
# Embeddings and overrides reorder what follows: replybook never writes them, so they are
# flagged even in a right-to-left reply (whose isolates and marks are its own).
_OVERRIDES = "\u202a\u202b\u202c\u202d\u202e"
_HIDDEN = _lazy("[" + "".join(_INVISIBLE) + BIDI_CONTROLS + "]")
_RIGHT_TO_LEFT = _lazy("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
# Cyrillic letters that look like Latin ones, and the other way round.
_CYRILLIC_TWINS = dict(zip("аеорсухіјѕԁАВЕКМНОРСТХУІЈЅ", "aeopcyxijsdABEKMHOPCTXYIJS", strict=True))
_LATIN_TWINS = {latin: cyrillic for cyrillic, latin in _CYRILLIC_TWINS.items()}
_LETTER_RUN = _lazy(r"[^\W\d_]+")
_HAS_CYRILLIC = _lazy("[\u0400-\u04ff\u0500-\u052f]")
_HAS_LATIN = _lazy("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


class Normalised(NamedTuple):
    """The reply as the rules read it: ``text``; where each of its characters came from
    in the reply as given (``spans``, [start, end); None when it is the reply as given);
    the indexes dropped from it; and the hidden characters found, as (start, end, what)."""

    text: str
    spans: list[tuple[int, int]] | None
    dropped: frozenset[int]
    hidden: list[tuple[int, int, str]]


def _arabic_letter(c: str) -> bool:
    return bool(_RIGHT_TO_LEFT.match(c)) and unicodedata.category(c)[0] in "LM"


def _emoji_side(c: str) -> bool:
    """Part of an emoji sequence (a zero-width joiner between two is the emoji's own)."""
    return c == "\ufe0f" or unicodedata.category(c) in ("So", "Sk")


def _hidden_kind(text: str, i: int, rtl: bool) -> tuple[bool, str | None]:
    """Whether the invisible or directional character at ``i`` is dropped, and what it is
    called when it is to be reported (None: it is the reply's own)."""
    c = text[i]
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    code = f"U+{ord(c):04X}"
    if c in _BIDI_NAMES:
        own = rtl and c not in _OVERRIDES
        return True, None if own else f"a {_BIDI_NAMES[c]} ({code})"
    if c == "\u200c" and before and after and _arabic_letter(before) and _arabic_letter(after):
        return False, None  # Persian writes one inside a word: "می‌کنم"
    if c == "\u200d" and before and after and (_emoji_side(before) or _emoji_side(after)):
        return False, None  # an emoji sequence: 👩‍💻
    return True, f"a {_INVISIBLE[c]} ({code})"


def _script_letter(c: str) -> str:
    if c in _CYRILLIC_TWINS or c in _LATIN_TWINS:
        return "twin"
    if _HAS_CYRILLIC.match(c):
        return "cyrillic"
    if _HAS_LATIN.match(c):
        return "latin"
    return "other"


def normalise(text: str, lang: str = "en") -> Normalised:
    """The reply as lint's rules read it: NFKC (full-width letters as ASCII), invisible
    characters and directional controls dropped (but a non-joiner between Persian letters,
    and a joiner inside an emoji), and look-alike letters of another script inside a word
    written as the word's own (a Cyrillic "а" in "pаssword"; a word of look-alikes only is
    read in the script of ``lang``'s alphabet). All-Cyrillic and all-Latin words are left
    as they are."""
    if text.isascii():
        return Normalised(text, None, frozenset(), [])
    marks = _HIDDEN.search(text) is not None
    mixed = _HAS_CYRILLIC.search(text) is not None and _HAS_LATIN.search(text) is not None
    if not marks and not mixed and unicodedata.is_normalized("NFKC", text):
        return Normalised(text, None, frozenset(), [])
    hidden: list[tuple[int, int, str]] = []
    dropped: set[int] = set()
    if marks:
        rtl = _RIGHT_TO_LEFT.search(text) is not None
        for m in _HIDDEN.finditer(text):
            drop, what = _hidden_kind(text, m.start(), rtl)
            if drop:
                dropped.add(m.start())
            if what is not None:
                hidden.append((m.start(), m.end(), what))
    # NFKC a base character with the marks that follow it at a time, so that every
    # character of the result knows where in the reply it came from.
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    known: dict[str, str] = {}  # NFKC of each character met
    base, base_at, base_out = "", 0, 0  # the base character and the marks after it
    for i, c in enumerate(text):
        if i in dropped:
            continue
        if c < "\x80":
            out.append(c)
            spans.append((i, i + 1))
            base, base_at, base_out = c, i, len(out) - 1
            continue
        if base and unicodedata.combining(c):
            base += c
            piece = unicodedata.normalize("NFKC", base)
            del out[base_out:], spans[base_out:]
            out.extend(piece)
            spans.extend([(base_at, i + 1)] * len(piece))
            continue
        if c not in known:
            known[c] = unicodedata.normalize("NFKC", c)
        piece = known[c]
        base, base_at, base_out = c, i, len(out)
        out.extend(piece)
        spans.extend([(i, i + 1)] * len(piece))
    folded = "".join(out)
    if mixed or not folded.isascii():
        for m in _LETTER_RUN.finditer(folded):
            word = m.group(0)
            if word.isascii() or not _HAS_CYRILLIC.search(word) or not _HAS_LATIN.search(word):
                continue
            kinds = [_script_letter(c) for c in word]
            latin, cyrillic = kinds.count("latin"), kinds.count("cyrillic")
            to_latin = latin > cyrillic or (latin == cyrillic and lang != "ru")
            twins, script = (_CYRILLIC_TWINS, "Cyrillic") if to_latin else (_LATIN_TWINS, "Latin")
            named = word if len(word) <= 40 else word[:37] + "..."
            for k, c in enumerate(word):
                if c in twins:
                    at = m.start() + k
                    out[at] = twins[c]
                    where = spans[at]
                    shown = text[where[0] : where[1]]
                    what = f"a {script} '{shown}' (U+{ord(c):04X}) in the word '{named}'"
                    hidden.append((where[0], where[1], what))
        folded = "".join(out)
    if folded == text and not dropped:
        return Normalised(text, None, frozenset(), hidden)
    hidden.sort()
    return Normalised(folded, spans, frozenset(dropped), hidden)


def hidden_characters(rule: Rule, ctx: Context) -> Iterator[Hit]:
    """Each invisible character (zero-width space, soft hyphen, word joiner...), each
    directional control in a left-to-right reply (and each embedding or override in any
    reply), and each look-alike letter of another script inside a word ("pаssword" with a
    Cyrillic "а"), as it is in the reply as given. A right-to-left reply's own isolates and
    marks, a non-joiner between Persian letters and a joiner inside an emoji are not."""
    for start, end, what in ctx.hidden:
        yield start, end, {"what": what, _AS_GIVEN: True}


# A hit's field: its span is in the reply as given, not in the text the rules read.
_AS_GIVEN = "_as_given"


RULE_TYPES: dict[str, RuleType] = {
    "existence": existence,
    "substitution": substitution,
    "pattern": pattern,
    "occurrence": occurrence,
    "required": required,
    "sequence": sequence,
    "shouting": shouting,
    "placeholder": placeholder,
    "signature": signature,
    "similarity": similarity,
    "relevant": relevant,
    "alternatives": alternatives,
    "request": request,
    "echo": echo,
    "hidden": hidden_characters,
}
# Keys every rule may have; the rest are its type's parameters.
_COMMON = {
    "id",
    "extends",
    "level",
    "message",
    "why",
    "when",
    "skip_when",
    "scope",
    "channels",
    "examples",
}
_CHANNELS = ("any", "public", "private")
_WHEN_KEYS = {
    "intent",
    "case",
    "abusive",
    "refusal",
    "topic",
    "escalation",
    "specific",
    "angry",
    "sarcastic",
    "mistake",
    "mixed",
    "follow_up",
    "question",
    "thanks",
    "help",
    "brand_replied",
}


# ---------------------------------------------------------------------------------------
# Compiling rules from a playbook


def export_state(playbook: Playbook) -> dict[str, Any]:
    """The compiled rules and their phrase index as plain data, for the playbook cache."""
    lang = str(playbook.get("language") or "en")
    rules = compile_rules(playbook)
    return {
        "rules": [
            (
                r.id,
                r.type,
                r.level,
                r.message,
                r.why,
                r.params,
                r.when,
                r.scope,
                marshal.dumps(r.examples),
                r.skip_when,
                r.channels,
            )
            for r in rules
        ],
        "index": (lang, build_index(rules, lang, language_fold(playbook, lang)).state()),
    }


def import_state(playbook: Playbook, state: dict[str, Any]) -> None:
    """Put what :func:`export_state` gave back into a playbook loaded from the cache."""
    playbook._cache["lint:rules"] = [Rule(*fields) for fields in state["rules"]]
    lang, index = state["index"]
    playbook._cache[("lint:index", lang)] = PhraseIndex.from_state(index)


def _origin(playbook: Playbook, path: str) -> tuple[str | None, int | None]:
    """The file and line a rule's key came from, or the nearest parent's."""
    probe = path
    while probe:
        if probe in playbook.origins:
            return playbook.origins[probe]
        probe = probe.rpartition(".")[0]
    return (playbook.files[-1] if playbook.files else None), None


def _rule_error(playbook: Playbook, where: str, message: str, key: str = "") -> None:
    path = f"{where}.{key}" if key else where
    file, line = _origin(playbook, path)
    raise PlaybookError(message, file=file, line=line, path=path)


def compile_rules(playbook: Playbook) -> list[Rule]:
    """The playbook's rules, checked, minus its ``disable:`` list. Cached per playbook."""
    cached = playbook._cache.get("lint:rules")
    if cached is not None:
        return cached
    disabled = set(playbook.get("disable") or [])
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, raw in enumerate(playbook.get("rules") or []):
        where = f"rules[{index}]"

        if not isinstance(raw, dict):
            _rule_error(playbook, where, "a rule must be a mapping")
        rule_id = raw.get("id")
        if not isinstance(rule_id, str) or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", rule_id):
            _rule_error(playbook, where, "a rule needs a kebab-case id", "id")
        where = f"rules.{rule_id}"
        if rule_id in seen:
            _rule_error(playbook, where, f"rule id {rule_id!r} is used twice", "id")
        seen.add(rule_id)
        kind = raw.get("extends")
        if kind not in RULE_TYPES:
            _rule_error(
                playbook,
                where,
                f"unknown rule type {kind!r}; known: {', '.join(sorted(RULE_TYPES))}",
                "extends",
            )
        level = raw.get("level", "warning")
        if level not in LEVELS:
            _rule_error(playbook, where, f"level must be one of {', '.join(LEVELS)}", "level")
        for key in ("message", "why"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                _rule_error(playbook, where, f"a rule needs a {key}", key)
        for key in ("when", "skip_when"):
            value = raw.get(key) or []
            if any(
                not isinstance(each, dict) or not each or set(each) - _WHEN_KEYS
                for each in (value if isinstance(value, list) else [value])
            ):
                known = ", ".join(sorted(_WHEN_KEYS))
                _rule_error(
                    playbook,
                    where,
                    f"{key}: takes a mapping (or a list of mappings) of {known}",
                    key,
                )
        channels = raw.get("channels", "any")
        if channels not in _CHANNELS:
            _rule_error(
                playbook, where, f"channels must be one of {', '.join(_CHANNELS)}", "channels"
            )
        examples = raw.get("examples") or {}
        if not examples.get("bad") or not examples.get("good"):
            _rule_error(
                playbook, where, "a rule needs at least one bad and one good example", "examples"
            )
        if rule_id in disabled:
            continue
        params = {k: v for k, v in raw.items() if k not in _COMMON}
        if kind == "pattern":
            value = params.get("pattern", "")
            for source in value.values() if isinstance(value, dict) else [value]:
                try:
                    re.compile(str(source))
                except re.error as exc:
                    _rule_error(playbook, where, f"bad pattern: {exc}", "pattern")
        rules.append(
            Rule(
                id=rule_id,
                type=kind,
                level=level,
                message=raw["message"],
                why=raw["why"],
                params=params,
                when=raw.get("when"),
                scope=str(raw.get("scope", "any")),
                examples=examples,
                skip_when=raw.get("skip_when"),
                channels=channels,
            )
        )
    playbook._cache["lint:rules"] = rules
    return rules


def _facts(
    analysis: Analysis | None, playbook: Playbook, decision: Decision | None
) -> dict[str, Any] | None:
    """What ``when:`` can ask about a comment: the same decision draft makes."""
    if analysis is None:
        return None
    if decision is None:
        decision = decide(analysis, playbook)
    facts = decision.facts(analysis)
    flags = facts.pop("flags", None) or ()
    # Two flags of the decision that rules ask about as facts of their own: mixed praise
    # and complaint (thanks for the kind words are right), and a complaint the brand has
    # already answered in the thread.
    facts["mixed"] = "mixed" in flags
    facts["follow_up"] = "follow_up" in flags
    # Facts of the analysis: the message asks something (a complaint put as a question wants
    # an answer more than an apology), it thanks the brand (a "you're welcome" answers that
    # as well as thanks back), and the brand has spoken in the thread already (what it said
    # then, an apology among it, needn't be said again).
    # And it asks for help with something of the customer's ("I need help changing my
    # password"): help is owed, an apology only if something went wrong on our side.
    limits = playbook.get("thresholds") or {}
    for fact, kind in (("question", "question"), ("thanks", "thanks"), ("help", "help_request")):
        facts[fact] = analysis.scores.get(kind, 0.0) >= float(limits.get(kind, 1.0))
    facts["brand_replied"] = analysis.thread.brand_replied
    return facts


# Rule types that find nothing unless one of their phrase lists does: a rule of these types
# is skipped when that list has no match in the reply.
_SILENT_WITHOUT = {
    "existence": "tokens",
    "substitution": "swap",
    "sequence": "then",
    "request": "nouns",
}


def _plan(
    rules: Iterable[Rule], facts: dict[str, Any] | None, slot: str, public: bool | None = None
) -> list[tuple[Rule, RuleType, tuple[str, str] | None]]:
    """The rules that apply, each with its rule type and the phrase list it can't do without.
    ``public`` is whether the reply's channel is public (None: no channel given)."""
    return [
        (
            rule,
            RULE_TYPES[rule.type],
            (rule.id, _SILENT_WITHOUT[rule.type]) if rule.type in _SILENT_WITHOUT else None,
        )
        for rule in rules
        if _applies(rule, facts, slot, public)
    ]


def _applies(
    rule: Rule, facts: dict[str, Any] | None, slot: str, public: bool | None = None
) -> bool:
    if rule.scope not in ("any", slot):
        return False
    if rule.channels == "public" and public is False:
        return False
    if rule.channels == "private" and public is not False:
        return False
    if facts is not None and any(_holds(each, facts) for each in rule.skip_when):
        return False
    if not rule.when:
        return True
    if facts is None:
        return False
    return any(_holds(each, facts) for each in rule.when)


def _holds(conditions: dict[str, Any], facts: dict[str, Any]) -> bool:
    """Every condition of one ``when:`` mapping holds (a list value: any of its values)."""
    for key, wanted in conditions.items():
        allowed = wanted if isinstance(wanted, list) else [wanted]
        if facts[key] not in allowed:
            return False
    return True


# ---------------------------------------------------------------------------------------
# Running


def _positions(text: str) -> Callable[[int], tuple[int, int]]:
    """Line and column (1-based) of a character index, by one table of where lines start:
    a reply with many findings isn't counted through once for each."""
    if "\n" not in text:
        return lambda index: (1, index + 1)
    starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def position(index: int) -> tuple[int, int]:
        line = bisect_right(starts, index)
        return line, index - starts[line - 1] + 1

    return position


def _disabled_lines(text: str) -> dict[int, set[str] | None]:
    """Line number -> rule ids switched off on that line (None: every rule)."""
    out: dict[int, set[str] | None] = {}
    if "replybook" not in text:
        return out
    for number, line in enumerate(text.split("\n"), start=1):
        for m in re.finditer(_DISABLE, line):
            if m.group(1) is None:
                out[number] = None
            else:
                ids = {x.strip() for x in m.group(1).split(",") if x.strip()}
                current = out.get(number, set())
                out[number] = None if current is None else current | ids
    return out


def disabled_in(source: str) -> set[str] | None:
    """Rules a template switches off with ``{# replybook: disable=... #}`` anywhere in it
    (None: every rule). The marker is a Jinja comment, gone from the rendered reply, so it
    applies to the whole reply the template renders."""
    found: set[str] = set()
    for ids in _disabled_lines(source).values():
        if ids is None:
            return None
        found |= ids
    return found


def _format(template: str, fields: dict[str, Any]) -> str:
    try:
        return template.format(**fields)
    except (KeyError, IndexError, ValueError):
        return template


def reply_language(playbook: Playbook, text: str) -> str:
    """The language a reply is written in, if the playbook serves it, else its own. A
    reply is the team's own writing in one of the playbook's languages: the detector for
    strangers' comments is never loaded for it."""
    found = detect(playbook, text, guess=False).lang
    own = str(playbook.get("language") or "en")
    return found if found in playbook.served() else own


def lint(
    text: str,
    playbook: Playbook | None = None,
    *,
    comment: str | Analysis | None = None,
    context: Sequence[Any] | None = None,
    decision: Decision | None = None,
    name: str | None = None,
    channel: str | None = None,
    slot: str = "public",
    history: Sequence[str] = (),
    rules: Sequence[Rule] | None = None,
    disable: Collection[str] | None = (),
    lang: str | None = None,
) -> list[Finding]:
    """Check a reply against the playbook's rules; findings sorted by position.

    ``disable`` switches rules off for the whole reply (None: all of them), as a template's
    markers do (:func:`disabled_in`).

    ``comment`` (text or its :class:`Analysis`) turns on the rules that read the comment,
    with ``context`` its thread and ``decision`` the decision on it, when already made;
    ``name`` the greeting-by-name check; ``channel`` the length limit; ``history`` (replies
    already sent) the canned-reply check. ``slot`` is ``public`` or ``private``.

    The reply is checked in ``lang`` (a draft's language), else in the language it is
    written in when the playbook serves it, else in the playbook's own language.
    """
    if playbook is None:
        playbook = load_playbook("default")
    channel_spec = None
    public: bool | None = None
    if channel is not None:
        channels = playbook.get("channels") or {}
        if channel not in channels:
            raise UsageError(f"unknown channel {channel!r}; valid: {', '.join(sorted(channels))}")
        channel_spec = dict(channels[channel])
        channel_spec.setdefault("label", channel)
        public = is_public(playbook, channel)
    analysis = (
        analyze(comment, playbook, context=context) if isinstance(comment, str) else comment
    )
    lang = lang or reply_language(playbook, text)
    # The rules read the reply normalised (:func:`normalise`: no invisible characters or
    # directional marks, full-width letters as ASCII, look-alike letters in a word's own
    # script); findings point into the reply as given.
    original = text
    seen = normalise(text, lang)
    text, origin = seen.text, seen.spans
    ctx = Context(text, playbook, lang, analysis, channel_spec, name, history, slot)
    ctx.original = original
    ctx.hidden = seen.hidden
    if disable is None:
        return []
    facts = _facts(analysis, playbook, decision)
    if rules is None:
        # The playbook's rules: their index, and which apply (that depends only on the slot
        # and a few facts about the comment), worked out once.
        index = playbook._cache.get(("lint:index", lang))
        if index is None:
            index = playbook._cache[("lint:index", lang)] = build_index(
                compile_rules(playbook), lang, language_fold(playbook, lang)
            )
        which = ("lint:active", slot, public, None if facts is None else tuple(facts.values()))
        applicable = playbook._cache.get(which)
        if applicable is None:
            applicable = playbook._cache[which] = _plan(
                compile_rules(playbook), facts, slot, public
            )
    else:
        index = build_index(rules, lang, language_fold(playbook, lang))
        applicable = _plan(rules, facts, slot, public)
    ctx.index = index
    off = _disabled_lines(original)
    position = _positions(original)
    found = ctx.found()
    raw_keys = ctx.index.raw_keys
    findings: list[Finding] = []
    for rule, check, needs in applicable:
        if needs is not None and needs not in found and needs not in raw_keys:
            continue  # the phrases it looks for aren't in the reply
        if disable and rule.id in disable:
            continue
        for start, end, fields in check(rule, ctx):
            as_given = _AS_GIVEN in fields
            if as_given:
                fields = {k: v for k, v in fields.items() if k != _AS_GIVEN}
            elif origin is not None:
                empty = end <= start
                start = origin[start][0] if start < len(origin) else len(original)
                end = start if empty else max(start, origin[end - 1][1])
            line, column = position(start)
            if off and line in off and (off[line] is None or rule.id in off[line]):  # type: ignore[operator]
                continue
            match = original[start:end]
            if seen.dropped and not as_given:
                match = "".join(
                    c for at, c in enumerate(match, start) if at not in seen.dropped
                )
            values = {"match": match, **fields}
            findings.append(
                Finding(
                    rule=rule.id,
                    level=rule.level,
                    message=_format(rule.message, values),
                    why=rule.why,
                    line=line,
                    column=column,
                    span=(start, end),
                    match=match,
                    replacement=fields.get("replacement"),
                )
            )
    if len(findings) > 1:
        findings.sort(key=lambda f: (f.span[0], -_RANK[f.level], f.rule))
    return findings


def fixable(findings: Iterable[Finding]) -> list[Finding]:
    """The findings whose rule carries a replacement (a ``substitution``) that changes the
    text."""
    return [f for f in findings if f.replacement is not None and f.replacement != f.match]


def apply_fixes(text: str, findings: Iterable[Finding]) -> tuple[str, list[Finding]]:
    """``text`` with each fixable finding's span replaced by its replacement, and the
    findings applied, in the order of the text.

    Findings whose spans overlap one already taken are left (the earliest, then the
    longest, wins): each replacement is put in the text as it was linted, so two that
    overlap can't both be. Lint the result again to see what is left.
    """
    chosen: list[Finding] = []
    end = -1
    for f in sorted(fixable(findings), key=lambda f: (f.span[0], f.span[0] - f.span[1])):
        start, stop = f.span
        if start < end or start >= stop or stop > len(text):
            continue
        chosen.append(f)
        end = stop
    if not chosen:
        return text, []
    parts: list[str] = []
    at = 0
    for f in chosen:
        parts += [text[at : f.span[0]], f.replacement or ""]
        at = f.span[1]
    parts.append(text[at:])
    return "".join(parts), chosen


def at_or_above(findings: Iterable[Finding], level: str) -> list[Finding]:
    """Findings at ``level`` or more severe; ``never`` gives none."""
    if level == "never":
        return []
    return [f for f in findings if _RANK[f.level] >= _RANK[level]]


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    out = {"error": 0, "warning": 0, "suggestion": 0}
    for f in findings:
        out[f.level] += 1
    return out


register_compiled("lint", export_state, import_state)
