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
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any, cast

_TOKEN = re.compile(r"\w+(?:['’&-]\w+)*|[^\w\s]")
_SIMPLE = re.compile(r"\w+(?:['&-]\w+)*")
_PLAIN = re.compile(r"\w+(?:['&-]\w+)*(?:\s+\w+(?:['&-]\w+)*)*")
_PREFIXES = "\0p"
_END = "\0$"
_LENGTHS = "\0l"


class _LazyPattern:
    """A regular expression compiled on first use: a one-shot lint compiles only the ones
    the reply's rules reach."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(*self._args)
        return getattr(compiled, name)


def lazy_pattern(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return cast("re.Pattern[str]", _LazyPattern(pattern, flags))

Node = dict[str, Any]

# Letters written more than one way: Arabic yeh, kaf, alef maksura and teh marbuta as
# Persian writes them; Russian ё as е; curly apostrophes as straight. One for one, so the
# text keeps its length.
_SAME = str.maketrans(
    {"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ё": "е", "Ё": "Е", "’": "'", "ʼ": "'", "‘": "'"}
)
# Dropped: Arabic-script diacritics, tatweel, invisible joiners and breaks (the
# zero-width non-joiner: "می‌کنم" and "میکنم" are one word) and directional marks.
_SAME_FOUND = re.compile("[" + re.escape("".join(map(chr, _SAME))) + "]")
_SAME_PAIRS = tuple((chr(c), str(s)) for c, s in _SAME.items())
# The Arabic-script letters among them, for raw /regex/ phrases: those are written with the
# standard letters and run on the text as typed, so "كيف پولم" (Arabic kaf and yeh) is
# searched as "کیف پولم". One for one, so a match's span is the original text's.
_ARABIC_SAME = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه"})
_ARABIC_FOUND = re.compile("[يىكة]")


def _arabic_letters_as_persian(text: str) -> str:
    """``text`` with Arabic yeh, alef maksura, kaf and teh marbuta as Persian writes them."""
    return text.translate(_ARABIC_SAME) if _ARABIC_FOUND.search(text) else text
_TURKISH_I = str.maketrans({"I": "i", "İ": "i", "ı": "i"})
_TURKISH_IS = tuple(map(chr, _TURKISH_I))
_DROP = re.compile(
    "[\u064b-\u065f\u0670\u0640\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\u061c\ufeff\u00ad]"
)
_SPACE = re.compile(r"\s")

# Where a hashtag's words meet: an underscore, or a change of case in any cased script
# ("#AcmeAirFail", "#acme_air_fail", "#KargoRezaleti", "#ПочтаРоссии"). A pattern, for
# re.sub and re.split on a hashtag's text (without the #).
_UPPER = "A-ZÀ-ÞА-ЯЁİ"
HASHTAG_BREAK = (
    rf"_+|(?<=[^\W\d_])(?<![{_UPPER}])(?=[{_UPPER}])"
    rf"|(?<=[{_UPPER}])(?=[{_UPPER}][a-zß-ÿа-яё])"
)


class Fold:
    """One language's text normalisation, used alike on phrase lists and on the text they
    are matched against, with spans mapped back to the original text.

    Every language: the letter variants and dropped marks above, and case folding.
    From the playbook's ``languages.<code>``: ``casing: turkish`` (I, ı, İ and i are one
    letter: "KIRIK" matches "kırık" and "kirik" typed without Turkish letters, "İADE"
    matches "iade"; casefold() alone makes "KIRIK" "kirik" and "İADE" a dotted
    "i" and a combining dot), ``suffix_marks`` (a suffix after an apostrophe is not part
    of the word: "DM'den" is "DM"), ``join_prefixes`` / ``join_suffixes`` (words
    written apart, together or with a non-joiner are one: "می کنم", "میکنم"), and ``stem``
    (a Snowball stemmer: each plain phrase word matches every word of its stem, worked out
    when the phrases are added, so no text is ever stemmed).
    """

    __slots__ = ("turkish", "marks", "prefixes", "suffixes", "stem", "_stemmer", "_joins")

    def __init__(
        self,
        turkish: bool = False,
        marks: str = "",
        prefixes: Collection[str] = (),
        suffixes: Collection[str] = (),
        stem: str | None = None,
    ) -> None:
        self.turkish = turkish
        self.marks = marks
        self.prefixes = tuple(sorted({p.casefold() for p in prefixes}))
        self.suffixes = tuple(sorted({x.casefold() for x in suffixes}))
        self.stem = stem
        self._stemmer: Any = None
        joins = []
        if self.prefixes:
            joins.append(r"(?<!\w)(?:" + "|".join(map(re.escape, self.prefixes)) + r")(\s+)(?=\w)")
        if self.suffixes:
            ends = "|".join(map(re.escape, self.suffixes))
            joins.append(r"(?<=\w)(\s+)(?:" + ends + r")(?!\w)")
        self._joins = re.compile("|".join(joins)) if joins else None

    def key(self) -> tuple[Any, ...]:
        return (self.turkish, self.marks, self.prefixes, self.suffixes, self.stem)

    @classmethod
    def from_key(cls, key: Sequence[Any] | None) -> Fold | None:
        if not key:
            return None
        turkish, marks, prefixes, suffixes, stem = key
        return cls(bool(turkish), str(marks), prefixes, suffixes, stem)

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any]) -> Fold | None:
        """The fold a ``languages.<code>`` entry asks for; None when it asks for nothing
        beyond what every language gets."""
        turkish = str(spec.get("casing") or "") == "turkish"
        marks = "".join(str(m) for m in spec.get("suffix_marks") or ())
        prefixes = [str(p) for p in spec.get("join_prefixes") or ()]
        suffixes = [str(p) for p in spec.get("join_suffixes") or ()]
        stem = str(spec["stem"]) if spec.get("stem") else None
        if not (turkish or marks or prefixes or suffixes or stem):
            return None
        return cls(turkish, marks, prefixes, suffixes, stem)

    def apply(self, text: str) -> tuple[str, list[int] | None]:
        """The folded text, and for each of its characters the index of the original one
        it came from (None when the two line up one for one)."""
        # Translating looks up every character: only where the text holds one to change
        # (a search, or for ASCII text a replace, costs a fraction of it).
        if text.isascii():
            if self.turkish and "I" in text:
                # Dotted and dotless i are one letter for matching: "KIRIK", "kırık" and
                # "kirik" (typed without Turkish letters) are one word, "İADE" is "iade".
                text = text.replace("I", "i")
        else:
            # Each letter replaced on its own (the ones that become are never replaced):
            # a translation looks each character up in a dict, replace() only scans.
            if _SAME_FOUND.search(text):
                for letter, same in _SAME_PAIRS:
                    if letter in text:
                        text = text.replace(letter, same)
            if self.turkish:
                for letter in _TURKISH_IS:
                    if letter in text:
                        text = text.replace(letter, "i")
        folded = text.casefold()
        if len(folded) != len(text):
            chars: list[str] = []
            where: list[int] = []
            for i, c in enumerate(text):
                f = c.casefold()
                chars.append(f)
                where += [i] * len(f)
            folded = "".join(chars)
            origin: list[int] | None = where
        else:
            origin = None
        if (
            self._joins is None
            and not self.marks
            and (folded.isascii() or _DROP.search(folded) is None)
        ):
            return folded, origin  # nothing to cut (most texts): _cuts would find none
        cuts = self._cuts(folded)
        if not cuts:
            return folded, origin
        # The pieces between the cuts, by slices (not character by character).
        base: Sequence[int] = origin if origin is not None else range(len(folded))
        pieces: list[str] = []
        kept: list[int] = []
        done = 0
        for a, b in sorted(cuts):
            if a > done:
                pieces.append(folded[done:a])
                kept.extend(base[done:a])
            done = max(done, b)
        pieces.append(folded[done:])
        kept.extend(base[done:])
        return "".join(pieces), kept

    def _cuts(self, folded: str) -> list[tuple[int, int]]:
        cuts = [m.span() for m in _DROP.finditer(folded)] if not folded.isascii() else []
        if self._joins is not None:
            for m in self._joins.finditer(folded):
                group = next(g for g in range(1, (m.re.groups or 0) + 1) if m.group(g))
                cuts.append(m.span(group))
        for mark in self.marks:
            start = 0
            while (at := folded.find(mark, start)) != -1:
                end = at + 1
                while end < len(folded) and folded[end].isalpha():
                    end += 1
                if at > 0 and folded[at - 1].isalnum() and end > at + 1:
                    cuts.append((at, end))
                start = end
        return cuts

    def by_letter(self) -> bool:
        """Does this fold change each letter on its own (no words joined, no suffixes cut
        after a mark)? Then a part of a text folds as that part of the folded text, where
        the two line up one for one."""
        return self._joins is None and not self.marks

    def phrase(self, phrase: str) -> str:
        """A phrase folded as texts are (raw /regex/ phrases are left alone)."""
        return self.apply(phrase)[0] if not _is_regex(phrase) else phrase

    def stemmed(self, token: str) -> str | None:
        """The stem a phrase word matches by, when the language has a stemmer and the
        word is long enough that its stem still says something."""
        if self.stem is None or len(token) < 5 or not token.isalpha():
            return None
        if self._stemmer is None:
            import snowballstemmer

            self._stemmer = snowballstemmer.stemmer(self.stem)
        stem = str(self._stemmer.stemWord(token))
        if len(stem) < 4 or not token.startswith(stem):
            return None
        return stem


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


_PLAIN_FOLD = Fold()


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Words, punctuation marks and emoji with their character spans, case-folded."""
    folded = text.casefold().replace("’", "'")
    if len(folded) == len(text):  # the usual case: fold once, spans still line up
        return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(folded)]
    return [
        (m.group(0).casefold().replace("’", "'"), m.start(), m.end()) for m in _TOKEN.finditer(text)
    ]


class Words:
    """A text's tokens, case-folded, for phrase matching. Their character spans are found
    only for the tokens a phrase matched, and only as far into the text as needed."""

    __slots__ = ("words", "_folded", "_starts", "_ends")

    def __init__(self, text: str, fold: Fold | None = None) -> None:
        self._ends: list[int] | None = None
        self._starts: list[int] = []
        if fold is not None or not text.isascii():
            folded, origin = (fold or _PLAIN_FOLD).apply(text)
            if origin is not None:
                # Letters dropped or folded to two: each token's span is mapped back.
                self._folded = ""
                self.words, self._starts, self._ends = [], [], []
                for m in _TOKEN.finditer(folded):
                    self.words.append(m.group(0))
                    self._starts.append(origin[m.start()])
                    self._ends.append(origin[m.end() - 1] + 1)
                return
        else:
            folded = text.casefold()
        if len(folded) == len(text):  # the usual case: fold once, spans still line up
            self._folded = folded
            # Tokens never span whitespace: most whitespace-separated chunks are one plain
            # word, and only the others need the tokenizer.
            words: list[str] = []
            for chunk in folded.split():
                if chunk.isalnum():
                    words.append(chunk)
                else:
                    words += _TOKEN.findall(chunk)
            self.words = words
        else:  # a letter folded to two ("ß" -> "ss"): spans come from the text itself
            tokens = tokenize(text)
            self._folded = ""
            self.words = [t for t, _, _ in tokens]
            self._starts = [start for _, start, _ in tokens]
            self._ends = [end for _, _, end in tokens]

    def spans(self, upto: int) -> tuple[list[int], list[int] | None]:
        """Where tokens start (at least up to token ``upto``), and where they end when that
        isn't start + length."""
        starts = self._starts
        if upto >= len(starts):
            # Tokens follow each other with only whitespace between, so each one is the
            # first occurrence of its text after the end of the one before.
            folded, words = self._folded, self.words
            k = len(starts)
            pos = starts[-1] + len(words[k - 1]) if starts else 0
            find, append = folded.find, starts.append
            for word in words[k : upto + 1]:
                pos = find(word, pos)
                append(pos)
                pos += len(word)
        return starts, self._ends


_last: tuple[str, Fold | None, Words | None] = ("", None, None)


def words_of(text: str, fold: Fold | None = None) -> Words:
    """The tokens of a text, kept for the last text asked about (a comment or reply is read
    by several matchers in a row)."""
    global _last
    cached = _last[2]
    if _last[0] is not text or _last[1] is not fold or cached is None:
        cached = Words(text, fold)
        _last = (text, fold, cached)
    return cached


_JOINER = "\u200c"
# A non-joiner between two letters of a phrase word: where it may be written as a space.
_APART = re.compile(r"(?<=\w)\u200c(?=\w)")


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


class PhraseIndex:
    """Many phrase lists in one word trie, so a text is walked once for all of them.

    Each list has a key; :meth:`search_all` returns, per key, that list's matches:
    leftmost first, the longest at each place, not overlapping (like one alternation
    regular expression per list). Raw ``/regex/`` phrases are compiled per key on first use.
    """

    def __init__(self, fold: Fold | None = None) -> None:
        self.fold = fold
        self.trie: Node = {}
        self._raw_sources: dict[Any, list[str]] = {}
        self._raw: dict[Any, Caseless] = {}
        # The keys that have raw /regex/ phrases (a live view).
        self.raw_keys: Collection[Any] = self._raw_sources.keys()
        self._gate: Caseless | bool | None = None
        self._starts: dict[str, tuple[int, Any]] = {}

    def add(self, key: Any, phrases: Iterable[str]) -> None:
        for phrase in phrases:
            phrase = phrase.strip()
            if not phrase:
                continue
            if _is_regex(phrase):
                self._raw_sources.setdefault(key, []).append(phrase[1:-1])
                self._raw.pop(key, None)
                self._gate = None
                continue
            self._insert(key, phrase, phrase)
            if _JOINER in phrase:
                # A compound written with the zero-width non-joiner ("کم‌کیفیت") is as often
                # typed as two words ("کم کیفیت"): the phrase matches both ways.
                self._insert(key, _APART.sub(" ", phrase), phrase)

    def _insert(self, key: Any, phrase: str, shown: str) -> None:
        """Put one plain phrase into the trie; a match of it reports ``shown``."""
        fold = self.fold
        if fold is not None or not phrase.isascii():
            phrase = (fold or _PLAIN_FOLD).apply(phrase)[0]
        if _PLAIN.fullmatch(phrase):  # the common case: plain words, no wildcard
            steps = [(word, False) for word in phrase.casefold().split()]
        else:
            steps = _phrase_steps(phrase)
        if not steps:
            return
        if fold is not None and fold.stem is not None:
            steps = [
                (stem, True) if not prefix and (stem := fold.stemmed(token)) else (token, prefix)
                for token, prefix in steps
            ]
        self._starts.clear()
        node = self.trie
        for token, prefix in steps:
            if prefix:
                node = node.setdefault(_PREFIXES, {}).setdefault(token, {})
                node.pop(_LENGTHS, None)
            else:
                node = node.setdefault(token, {})
        node.setdefault(_END, {}).setdefault(key, shown)

    def __bool__(self) -> bool:
        return bool(self.trie) or bool(self._raw_sources)

    def state(self) -> tuple[Node, dict[Any, list[str]], Any]:
        """Plain data (marshal-able) that :meth:`from_state` turns back into this index."""
        return self.trie, self._raw_sources, self.fold.key() if self.fold else None

    @classmethod
    def from_state(cls, state: tuple[Node, dict[Any, list[str]], Any]) -> PhraseIndex:
        index = cls(Fold.from_key(state[2]))
        index.trie, index._raw_sources = state[0], state[1]
        index.raw_keys = index._raw_sources.keys()
        return index

    def search_all(self, text: str, *, raw: bool = True) -> dict[Any, list[Match]]:
        """Every list's matches in ``text``, by key (keys with none are left out). With
        ``raw`` False, raw ``/regex/`` phrases are left for :meth:`add_raw`, key by key."""
        tokens = words_of(text, self.fold)
        words = tokens.words
        count = len(words)
        trie = self.trie
        per_key: dict[Any, list[tuple[int, int, str]]] = {}
        starts = self._starts
        furthest = 0  # the end of the furthest match, in tokens
        for i, token in enumerate(words):
            # What a token leads to from the root, remembered across texts: most words of
            # most comments lead nowhere, and the same words come back.
            start = starts.get(token)
            if start is None:
                if len(starts) > 100_000:
                    starts.clear()
                start = starts[token] = _start(trie, token)
            if start is _NOWHERE:
                continue
            mode, data = start
            if mode == _ONE_WORD:
                # The common case: only one-word phrases start here; no walk needed.
                if i >= furthest:
                    furthest = i + 1
                for key, phrase in data:
                    found_for = per_key.get(key)
                    if found_for is None:
                        per_key[key] = [(i, i + 1, phrase)]
                    else:
                        found_for.append((i, i + 1, phrase))
                continue
            if mode == _LONGER:
                # Only phrases of more words start here, and most often the next word
                # isn't how any of them goes on: no walk.
                if i + 1 == count or words[i + 1] not in data:
                    continue
                ends = _walk_path(data, words, i, count)
            elif mode == _PATH:
                ends = _walk_path(data, words, i, count)
            else:
                ends = _walk(data, words, i, count)
            for key, (j, phrase) in ends.items():
                if j > furthest:
                    furthest = j
                found_for = per_key.get(key)
                if found_for is None:
                    per_key[key] = [(i, j, phrase)]
                else:
                    found_for.append((i, j, phrase))
        out: dict[Any, list[Match]] = {}
        if not per_key:
            return self._with_raw(text, out) if raw else out
        begins, finishes = tokens.spans(furthest - 1)
        for key, hits in per_key.items():
            kept = []
            last = 0
            for i, j, phrase in hits:
                if i >= last:
                    k = j - 1
                    end = finishes[k] if finishes else begins[k] + len(words[k])
                    kept.append(Match(text, begins[i], end, phrase))
                    last = j
            out[key] = kept
        return self._with_raw(text, out) if raw else out

    def _with_raw(self, text: str, out: dict[Any, list[Match]]) -> dict[Any, list[Match]]:
        if self._raw_sources:
            # The expressions with no plain text to look for first are scanned for all at
            # once: in most texts none of them matches.
            if self._gate is None:
                for key in self._raw_sources:
                    self._compiled_raw(key)
                bare = [self._raw_sources[k] for k, regex in self._raw.items() if not regex.needs]
                self._gate = any_of(s for sources in bare for s in sources) if bare else False
            subject = _arabic_letters_as_persian(text)
            hit = not isinstance(self._gate, Caseless) or self._gate.search(subject) is not None
            folded = subject.casefold()
            for key in self._raw_sources:
                self.add_raw(text, key, out, unscreened=hit, folded=folded)
        return out

    def _compiled_raw(self, key: Any) -> Caseless:
        regex = self._raw.get(key)
        if regex is None:
            regex = self._raw[key] = any_of(self._raw_sources[key])
        return regex

    def add_raw(
        self,
        text: str,
        key: Any,
        out: dict[Any, list[Match]],
        *,
        unscreened: bool = True,
        folded: str | None = None,
    ) -> None:
        """Add what one key's raw ``/regex/`` phrases match in ``text`` to ``out``, a result
        of :meth:`search_all` made with ``raw=False``. ``unscreened`` False: the key's
        expressions have no plain text to look for, and a scan already found none."""
        if key not in self._raw_sources:
            return
        regex = self._compiled_raw(key)
        if regex.needs is None and not unscreened:
            return
        subject = _arabic_letters_as_persian(text)
        if subject is not text:
            folded = None
        if not regex.possible(subject, folded):
            return
        extra = [
            Match(text, m.start(), m.end(), text[m.start() : m.end()])
            for m in regex.finditer(subject)
        ]
        if extra:
            merged = out.get(key, []) + extra
            merged.sort(key=lambda m: m.start())
            out[key] = merged


class Caseless:
    """A case-insensitive regular expression. Where its source has no capital letter (escapes
    aside), over ASCII text it runs as a plain one on the lower-cased text: the same matches
    at the same places, found about three times faster than with ``re.IGNORECASE``."""

    __slots__ = ("_source", "_plain", "_folding", "_lower_ok", "needs")

    def __init__(self, source: str, needs: Needs | None | bool = True) -> None:
        self._source = source
        # Compiled on first use, each: a one-shot command mostly needs only one of them.
        self._plain: re.Pattern[str] | None = None
        self._folding: re.Pattern[str] | None = None
        self._lower_ok = not any(c.isupper() for c in re.sub(r"\\.", "", source))
        # Text that every match holds: without it, a scan can't find anything. (``needs``:
        # worked out by the caller already.)
        if needs is True:
            pieces = required_pieces(source)
            needs = (pieces,) if pieces else None
        self.needs: Needs | None = needs or None

    def possible(self, text: str, folded: str | None = None) -> bool:
        """Could the expression match anywhere in ``text`` (``folded``: the same, case-folded,
        when the caller has it)? False: it certainly can't."""
        needs = self.needs
        if needs is None:
            return True
        if folded is None:
            folded = text.casefold()
        # Plain loops, no generators: this runs for every text and every expression.
        for alternative in needs:
            for pieces in alternative:
                for piece in pieces:
                    if piece in folded:
                        break
                else:
                    break  # no piece of this list: this alternative can't match
            else:
                return True
        return False

    @property
    def pattern(self) -> str:
        return self._source

    def _target(self, text: str) -> tuple[re.Pattern[str], str]:
        # Only ASCII text: elsewhere lower-casing and the expression's case rules part ways
        # ("ſ" matches "s" ignoring case, but stays "ſ" lower-cased; "İ" grows a letter).
        if self._lower_ok and text.isascii():
            if self._plain is None:
                self._plain = re.compile(self._source)
            return self._plain, text.lower()
        if self._folding is None:
            self._folding = re.compile(self._source, re.IGNORECASE)
        return self._folding, text

    def finditer(self, text: str, pos: int = 0) -> Iterator[re.Match[str]]:
        """Matches; use their spans on ``text`` (their groups may be lower-cased)."""
        regex, target = self._target(text)
        return regex.finditer(target, pos)

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        regex, target = self._target(text)
        return regex.search(target, pos)


_ZERO_WIDTH = ("\\b", "\\B", "\\A", "^")


def _structure(source: str, i: int = 0) -> Iterator[tuple[int, str, int]]:
    """Each ``(``, ``)`` and ``|`` of an expression from ``i`` on, outside escapes and
    classes: (index, character, group depth before it)."""
    depth = 0
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = _class_end(source, i)
            continue
        if ch in "()|":
            yield i, ch, depth
            depth += 1 if ch == "(" else -1 if ch == ")" else 0
        i += 1


def _group_end(source: str, i: int) -> int:
    """The index just past the ``)`` closing the group that opens at ``source[i]``."""
    for at, ch, depth in _structure(source, i):
        if ch == ")" and depth == 1:
            return at + 1
    return len(source)


def _class_end(source: str, i: int) -> int:
    """The index just past the ``]`` closing the class that opens at ``source[i]``."""
    i += 2 if source[i + 1 : i + 2] == "]" else 1
    while i < len(source) and source[i] != "]":
        i += 2 if source[i] == "\\" else 1
    return i + 1


def _split_top(source: str) -> list[str]:
    """``source`` cut at its top-level ``|``."""
    cuts = [at for at, ch, depth in _structure(source) if ch == "|" and depth == 0]
    bounds = zip([-1, *cuts], [*cuts, len(source)], strict=True)
    return [source[start + 1 : end] for start, end in bounds]


def _optional_after(source: str, i: int) -> bool:
    """Does a quantifier at ``source[i]`` let what comes before it match nothing?"""
    return source[i : i + 1] in ("?", "*") or source[i : i + 2] == "{0" or source[i : i + 3] == "{,"


def _runs(source: str) -> tuple[list[str], list[tuple[str, ...]]]:
    """Read one alternative: its plain-text runs, and for each group it must match whose
    every alternative starts with plain text, those starts."""
    runs: list[str] = []
    groups: list[tuple[str, ...]] = []
    run, i = "", 0
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            nxt = source[i + 1 : i + 2]
            if nxt and not nxt.isalnum():
                run += nxt
            else:
                runs.append(run)
                run = ""
            i += 2
        elif ch in "*+?{":
            runs.append(run[:-1])  # the character before is optional or repeated
            run = ""
            i = (source.find("}", i) + 1 or len(source)) if ch == "{" else i + 1
        elif ch == "[":
            runs.append(run)
            run = ""
            i = _class_end(source, i)
        elif ch == "(":
            runs.append(run)
            run = ""
            end = _group_end(source, i)
            inner = source[i + 1 : end - 1]
            if inner.startswith("?"):
                if inner.startswith("?:"):
                    inner = inner[2:]
                elif inner.startswith("?P<"):
                    inner = inner[inner.find(">") + 1 :]
                else:
                    inner = ""  # a lookaround or flags: not text the match holds
            if inner and not _optional_after(source, end):
                starts = tuple(_leading(alt) for alt in _split_top(inner))
                if all(starts):
                    groups.append(starts)
            i = end
        elif ch in ".^$|)":
            runs.append(run)
            run = ""
            i += 1
        else:
            run += ch
            i += 1
    runs.append(run)
    return [r for r in runs if r], groups


def _leading(source: str) -> str:
    """The plain text an expression starts with (after zero-width checks like ``\\b``)."""
    while True:
        if source.startswith(_ZERO_WIDTH):
            source = source[1:] if source.startswith("^") else source[2:]
        elif source.startswith("(") and _optional_after(source, _group_end(source, 0)):
            # an optional group first ("(?:home )?address"): the text after it leads
            end = _group_end(source, 0)
            source = (
                source[source.find("}", end) + 1 :] if source[end] == "{" else source[end + 1 :]
            )
        else:
            break
    run = ""
    for n, ch in enumerate(source):
        if ch == "\\":
            return run
        if ch in "*+?{":
            return run[:-1]
        if ch in ".^$|()[":
            return run
        run += ch
        if n + 1 == len(source):
            return run
    return run


Pieces = tuple[str, ...]  # plain texts, case-folded: a match holds at least one of them
Needs = tuple[tuple[Pieces, ...], ...]  # any one alternative, all of its pieces-lists


def required_pieces(source: str) -> tuple[Pieces, ...] | None:
    """What a match of the regular expression must hold, as lists of pieces of plain text:
    one piece of each list. A list is a plain run of its top level ("you should"), or the
    starts of a group it must match ("(?:we'll|i will)"). The most telling lists come first
    (longest shortest piece), three at most. None when it can't tell (top-level
    alternatives, verbose mode, nothing plain)."""
    if "(?x" in source or re.match(r"\(\?[a-wyz]*x", source):
        return None  # verbose mode: spaces are not text
    if len(_split_top(source)) > 1:
        return None
    runs, groups = _runs(source)
    options = [(run,) for run in runs] + groups
    if not options:
        return None
    options.sort(key=lambda pieces: (-min(len(p) for p in pieces), len(pieces)))
    # Past the first, a list earns its check only with pieces of three letters or more.
    telling = [options[0], *(o for o in options[1:3] if min(len(p) for p in o) >= 3)]
    return tuple(tuple(dict.fromkeys(p.casefold() for p in pieces)) for pieces in telling)


def any_of(sources: Iterable[str]) -> Caseless:
    """One case-insensitive regular expression matching where any of ``sources`` does."""
    sources = list(sources)
    each = [required_pieces(source) for source in sources]
    needs = None if None in each else tuple(pieces for pieces in each if pieces)
    if all(source.startswith("^") for source in sources):
        # Anchored as a whole, so a search tries the start only, not every place.
        return Caseless("^(?:" + "|".join(f"(?:{s[1:]})" for s in sources) + ")", needs)
    return Caseless("|".join(f"(?:{source})" for source in sources), needs)


_NOWHERE: tuple[int, Any] = (0, None)
_ONE_WORD, _PATH, _BRANCHES, _LONGER = 1, 2, 3, 4


def _start(trie: Node, token: str) -> tuple[int, Any]:
    """Where a token leads from the root: nowhere; only to one-word phrases (their keys and
    phrases); down a single path (its node), which may end no phrase at this token and
    have no wildcard next (``_LONGER``: only the next word can lead on); or down several
    (the nodes)."""
    first = _prefix_children(trie, token)
    if token in trie:
        first.append(trie[token])
    if not first:
        return _NOWHERE
    node = first[0]
    if len(first) == 1 and _PREFIXES not in node:
        if len(node) == 1 and _END in node:
            return _ONE_WORD, tuple(node[_END].items())
        if _END not in node:
            return _LONGER, node
        return _PATH, node
    return _BRANCHES, first


def _walk_path(node: Node, words: list[str], i: int, count: int) -> dict[Any, tuple[int, str]]:
    """Per key, the longest phrase matching ``words`` from ``i`` on, where the trie has no
    wildcards on the way: a single path to follow."""
    ends: dict[Any, tuple[int, str]] = {}
    j = i + 1
    while True:
        found = node.get(_END)
        if found:
            for key, phrase in found.items():
                ends[key] = (j, phrase)  # further along is longer
        if j >= count:
            return ends
        if _PREFIXES in node:
            return _walk([node], words, j - 1, count, ends)
        child = node.get(words[j])
        if child is None:
            return ends
        node = child
        j += 1


def _walk(
    first: list[Node],
    words: list[str],
    i: int,
    count: int,
    ends: dict[Any, tuple[int, str]] | None = None,
) -> dict[Any, tuple[int, str]]:
    """Like :func:`_walk_path`, trying every branch a wildcard opens. ``first`` are the
    nodes reached with ``words[i]``; ``ends`` what was already found before them."""
    if ends is None:
        ends = {}
    frontier = [(node, i + 1) for node in first]
    while frontier:
        node, j = frontier.pop()
        found = node.get(_END)
        if found:
            for key, phrase in found.items():
                best = ends.get(key)
                if best is None or j > best[0]:
                    ends[key] = (j, phrase)
        if j >= count:
            continue
        word = words[j]
        child = node.get(word)
        if child is not None:
            frontier.append((child, j + 1))
        if _PREFIXES in node:
            frontier.extend((sub, j + 1) for sub in _prefix_children(node, word))
    return ends


def _prefix_children(node: Node, token: str) -> list[Node]:
    """Children of ``node`` reached by a wildcard prefix of ``token`` (``refund*``)."""
    prefixes = node.get(_PREFIXES)
    if not prefixes:
        return []
    lengths = node.get(_LENGTHS)
    if lengths is None:
        lengths = sorted({len(p) for p in prefixes})
        node[_LENGTHS] = lengths
    out = []
    for cut in lengths:
        if cut > len(token):
            break
        sub = prefixes.get(token[:cut])
        if sub is not None:
            out.append(sub)
    return out


class PhraseMatcher:
    """One phrase list: finds its phrases in a text, leftmost first, longest at each place."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self.index = PhraseIndex()
        self.index.add(None, phrases)

    def __bool__(self) -> bool:
        return bool(self.index)

    def finditer(self, text: str) -> list[Match]:
        return self.index.search_all(text).get(None, [])

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
