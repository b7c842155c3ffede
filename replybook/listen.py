"""Brand mentions in posts (pure): handles, names, hashtags, links, aliases, misspellings.

A :class:`Brand` is compiled once from a playbook's ``brand:`` section (or from plain lists)
and :meth:`Brand.find` lists where a text mentions it, each mention with its kind, the text
as written, its span in the text and how sure it is:

- ``handle``: ``@AcmeAir`` or another of the brand's handles, whole (``exact``, and the post
  addresses the brand: ``direct``); a longer handle that starts with one (``@AcmeAirFan``,
  a fan or parody account, or one of the brand's the playbook doesn't list) is ``possible``;
- ``name`` and ``alias``: a name as a whole word, its words written apart, together, with a
  hyphen or an underscore ("Acme Air", "AcmeAir", "Acme-Air"), with a language's case
  ending glued on ("AcmeAirille", "Акме Эйра") or any ending after a suffix mark
  ("AcmeAir'ın", "Acme Air:lle"): ``exact``, unless an ``exclude`` phrase is in its sentence;
- ``hashtag``: one of the brand's hashtags (``exact``), or a hashtag whose words hold a name
  ("#AcmeAirFail", "#acme_air_fail", "#АкмеЭйр": ``exact``; glued inside one uncased word,
  "#acmeairfail": ``possible``);
- ``url``: one of the brand's domains, with or without scheme, ``www.`` or a subdomain, with
  any path (``exact``);
- ``misspelling``: a word, or two words written apart, within the playbook's similarity of
  a name or alias (rapidfuzz ratio): only ever ``possible``, looked for only when nothing
  else was found exactly.

Text is normalised with :class:`replybook.lexicon.Fold` (case, Turkish dotted and dotless i,
Persian letter variants, zero-width non-joiners and marks dropped, ё as е), and every span
is mapped back to the text as given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from .lexicon import HASHTAG_BREAK, Fold, PhraseIndex
from .playbook import Playbook, domain_of

KINDS = ("handle", "name", "alias", "hashtag", "url", "misspelling")
"""The kinds of mention, strongest first."""

_RANK = {kind: rank for rank, kind in enumerate(KINDS)}
_SEPARATOR = r"(?:[^\S\n]+|[-_])?"  # between a name's words: spaces, a hyphen, or nothing
# The same where what follows is a word's first letter (never a space, - or _): only all
# the spaces, the hyphen or nothing can be followed by it, so the first of them there is
# is the one, and the pattern is never tried again with another.
_SEPARATOR_BEFORE_A_WORD = r"(?>[^\S\n]+|[-_]|)"
_BETWEEN_WORDS = None  # a name's separator, among its letters in _letters_and_separators
_LETTERS_FROM = re.compile(r"[^\W\d_]*")
_RATIO: Any = None  # rapidfuzz's ratio, imported on first use
# Patterns that start with a lookbehind are tried at every place in a text; one that
# starts with its first character is searched for it first. So the lookbehind comes
# after the "#" or "@", looking back at it too: the same matches, found faster.
_HASHTAG = re.compile(r"#(?<![\w#]#)(\w+)")
_BREAK = re.compile(HASHTAG_BREAK)
# Where a sentence ends: its punctuation before a space or the end, or a line break.
_SENTENCE_END = re.compile(r"[.!?؟…。]+(?=\s|$)|\n")
_TRAILING = ".,;:!?)]}>'\"»”›…"


class Mention(NamedTuple):
    """One place a text mentions the brand."""

    kind: str
    match: str  # the text as written
    start: int  # character offsets in the text: text[start:end] == match
    end: int
    certainty: str  # "exact" or "possible"
    direct: bool = False  # the brand is addressed with one of its @handles

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "match": self.match,
            "start": self.start,
            "end": self.end,
            "certainty": self.certainty,
        }


_new_mention: Any = tuple.__new__


def strongest(mentions: Sequence[Mention]) -> Mention | None:
    """The mention that says most: exact before possible, then by kind, then the first."""
    if len(mentions) < 2:
        return mentions[0] if mentions else None
    return min(
        mentions, key=lambda m: (m.certainty != "exact", not m.direct, _RANK[m.kind], m.start)
    )


class _Term(NamedTuple):
    kind: str  # "name" or "alias"
    shown: str
    words: tuple[str, ...]  # folded
    glued: str  # its words written together


def _flat(value: Any) -> list[str]:
    """A list, or every language's list of a {language: [...]} map, as one list of text."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [str(v) for items in value.values() for v in (items or [])]
    return [str(v) for v in value]


def _cover(terms: Sequence[Sequence[str]]) -> tuple[str, ...]:
    """Few words such that each term holds one of them (its words are all in any text
    that holds it): the word most terms share first, the longer one of a tie."""
    left = [set(words) for words in terms]
    chosen: list[str] = []
    while left:
        counts: dict[str, int] = {}
        for words in left:
            for word in words:
                counts[word] = counts.get(word, 0) + 1
        best = max(counts, key=lambda w: (counts[w], len(w), w))
        chosen.append(best)
        left = [words for words in left if best not in words]
    return _minimal(chosen)


def _alternation(items: Iterable[str]) -> str:
    """Regular-expression text matching any of ``items`` (escaped), longest first."""
    unique = sorted(set(items), key=lambda s: (-len(s), s))
    return "|".join(map(re.escape, unique))


def _longest_first(items: Iterable[str]) -> str:
    """Regular-expression text matching any of ``items`` (escaped), the longest first
    (as :func:`_alternation` orders them), as a trie: the items that match at a place
    are ever each a start of the next longer one, so trying the longer branches of each
    letter before the item that ends there tries them in the same order."""

    def branches(ends: list[str]) -> str:
        heads: dict[str, list[str]] = {}
        for end in ends:
            if end:
                heads.setdefault(end[0], []).append(end[1:])
        parts = [re.escape(head) + branches(rest) for head, rest in heads.items()]
        body = parts[0] if len(parts) == 1 else f"(?:{'|'.join(parts)})" if parts else ""
        if "" in ends:
            return f"(?:{body})?" if body else ""
        return body

    return branches(sorted(set(items)))


def _letters_and_separators(words: Sequence[str]) -> tuple[str | None, ...]:
    """A name's letters, with ``_BETWEEN_WORDS`` between its words."""
    out: list[str | None] = []
    for word in words:
        if out:
            out.append(_BETWEEN_WORDS)
        out += word
    return tuple(out)


def _tried_in_order(terms: Sequence[tuple[tuple[str | None, ...], str]]) -> str:
    """Regular-expression text matching any of ``terms`` (letters and separators, each
    with the name of an empty group that closes it), tried in the order given, like
    their alternation, but with what they start with tried once.

    Terms in a row that start alike are tried as one branch from there: each letter, and
    each separator (it has one way to match before a letter), matches one way. Where all
    the terms start with a letter, no two that start with different letters can match at
    one place: they are tried by letter, those of each letter in their order."""
    runs: list[tuple[str | None, list[tuple[tuple[str | None, ...], str]]]] = []
    by_letter = all(letters and letters[0] is not _BETWEEN_WORDS for letters, _ in terms)
    for letters, name in terms:
        if not letters:
            runs.append(("", [(letters, name)]))  # ends here
            continue
        head = letters[0]
        same = [run for run in runs if run[0] == head] if by_letter else runs[-1:]
        if same and same[-1][0] == head:
            same[-1][1].append((letters[1:], name))
        else:
            runs.append((head, [(letters[1:], name)]))
    parts = []
    for head, rest in runs:
        if head == "":
            parts.append(f"(?P<{rest[0][1]}>)")
            continue
        first = _SEPARATOR_BEFORE_A_WORD if head is _BETWEEN_WORDS else re.escape(str(head))
        parts.append(first + _tried_in_order(rest))
    return parts[0] if len(parts) == 1 else f"(?:{'|'.join(parts)})"


def _minimal(anchors: Iterable[str]) -> tuple[str, ...]:
    """Anchors without those that hold another (finding the shorter one is enough)."""
    unique = sorted({a for a in anchors if a}, key=lambda a: (len(a), a))
    kept: list[str] = []
    for anchor in unique:
        if not any(k in anchor for k in kept):
            kept.append(anchor)
    return tuple(kept)


class Brand:
    """A brand's names, handles, hashtags, domains and aliases, compiled to find its
    mentions in any text. Built once (per playbook: :func:`brand_for`); :meth:`find`
    depends on nothing but the text (it remembers, up to 100,000 words, which words it
    has compared with the names: the same answer, found faster)."""

    def __init__(
        self,
        *,
        names: Iterable[str] = (),
        aliases: Iterable[str] = (),
        handles: Iterable[str] = (),
        hashtags: Iterable[str] = (),
        domains: Iterable[str] = (),
        exclude: Iterable[str] = (),
        endings: Iterable[str] = (),
        marks: str = "'",
        similarity: float = 85.0,
        min_letters: int = 6,
        turkish: bool = True,
    ) -> None:
        self.fold = Fold(turkish=turkish)
        # Each letter folded on its own (no words joined, no suffix marks cut): a part of a
        # text folds as that part of the text folded.
        self._fold_by_letter = self.fold.by_letter()
        fold = self.fold.phrase
        terms: list[_Term] = []
        for kind, values in (("name", names), ("alias", aliases)):
            for shown in values:
                words = tuple(w for w in re.split(r"[\s_-]+", fold(shown.strip())) if w)
                if words and not any(t.words == words for t in terms):
                    terms.append(_Term(kind, shown.strip(), words, "".join(words)))
        self.terms = tuple(terms)
        self.handles = tuple(
            dict.fromkeys(fold(h.strip().lstrip("@")) for h in handles if h.strip().lstrip("@"))
        )
        self.hashtags = frozenset(
            fold(t.strip().lstrip("#")) for t in hashtags if t.strip().lstrip("#")
        )
        self.domains = tuple(dict.fromkeys(domain_of(d) for d in domains if domain_of(d)))
        self._spaceless_domains = not any(" " in d for d in self.domains)
        self.endings = frozenset(fold(e) for e in endings if e.strip())
        self.marks = "".join(dict.fromkeys(fold(m) for m in marks if m.strip()))
        self.similarity = float(similarity)
        self.min_letters = int(min_letters)

        # Each pattern runs only on a text holding one of its anchors: most posts hold none.
        self._name_anchors = _cover([t.words for t in self.terms])
        self._handle_anchors = _minimal(self.handles)
        self._url_anchors = _minimal(self.domains)
        self._tag_anchors = _minimal([*self.hashtags, *self._name_anchors])
        # One text every exact mention holds (a name's word, a handle, hashtag or domain):
        # a post with none of them is only read for misspellings.
        self._anchors = _minimal(
            [*self._name_anchors, *self._handle_anchors, *self._url_anchors, *self.hashtags]
        )
        # An ASCII text can only hold the ASCII ones.
        self._ascii_anchors = _ascii(self._anchors)
        # Most often the names' anchors are all of them: a text holding one needs no
        # second look for the names and hashtags.
        self._names_anchored = self._name_anchors == self._anchors
        self._tags_anchored = self._tag_anchors == self._anchors
        self._names: re.Pattern[str] | None = None
        if self.terms:
            ending = _longest_first(self.endings)
            after = []
            if ending:
                after.append(f"(?:{ending})")
            if self.marks:
                after.append(f"[{re.escape(self.marks)}][^\\W\\d_]+")
            suffix = f"(?:{'|'.join(after)})?" if after else ""
            ordered = sorted(range(len(self.terms)), key=lambda i: -len(self.terms[i].glued))
            # The longest term first, each as its letters and the separators between its
            # words, and a group of its own where it ends (see _tried_in_order).
            spelled = [(_letters_and_separators(self.terms[i].words), f"t{i}") for i in ordered]
            self._names = re.compile(rf"(?<![\w@#]){_tried_in_order(spelled)}{suffix}(?!\w)")
        self._group_terms = {f"t{i}": term for i, term in enumerate(self.terms)}
        # Where a name can start: the first letters of its first word.
        self._first_words = _minimal(t.words[0][:4] for t in self.terms)
        self._ascii_first_words = _ascii(self._first_words)
        self._first_word_at = _searcher(self._first_words)
        self._ascii_first_word_at = _searcher(self._ascii_first_words)
        self._handle_re = (
            re.compile(rf"@(?<![\w@]@)(?:{_alternation(self.handles)})(\w*)")
            if self.handles
            else None
        )
        self._url_re = (
            re.compile(
                rf"(?<![\w.-])(?:https?://)?(?:[\w-]+\.)*(?:{_alternation(self.domains)})"
                r"(?![\w-]|\.\w)(?::\d+)?(?:[/?#]\S*)?"
            )
            if self.domains
            else None
        )
        # Misspellings: compared with each name written without spaces (aliases are
        # longer, and written as listed).
        self._targets = tuple(
            dict.fromkeys(
                t.glued for t in self.terms if t.kind == "name" and len(t.glued) >= self.min_letters
            )
        )
        self._fuzzy = bool(self._targets) and self.similarity < 100
        self._shortest = self._longest = 0
        if self._fuzzy:
            # A word can only come within the similarity of a target of length L when its
            # own length is within this range (ratio = 2 * common / (len1 + len2)).
            s = self.similarity / 100
            lengths = [len(t) for t in self._targets]
            self._shortest = max(self.min_letters, int(min(lengths) * s / (2 - s)))
            self._longest = int(max(lengths) * (2 - s) / s) + 1
        self._ending_sizes = sorted({len(e) for e in self.endings}, reverse=True)
        self._ending_tuple = tuple(self.endings)
        # A word within the similarity of a name keeps three of its letters in a row (one
        # letter changed, or two added, leave a run of three of seven): only a text holding
        # one of a name's three-letter runs is read for misspellings. An ASCII text can only
        # hold an ASCII name's.
        # Each name's runs, after its first and last letter (a text holding neither is in
        # another script); for ASCII texts, only the ASCII runs.
        self._grams = tuple(
            (t[0], t[-1], tuple(dict.fromkeys(t[i : i + 3] for i in range(len(t) - 2))))
            for t in self._targets
            if len(t) >= 3
        )
        self._ascii_grams = tuple(
            (first, last, ascii)
            for first, last, grams in self._grams
            if (ascii := tuple(g for g in grams if g.isascii()))
        )
        # With names of letters only, the runs are searched for with one pattern per set
        # of names a text can hold (see _gram_search).
        self._lettered = all(t.isalpha() for t in self._targets)
        self._gram_searches: dict[tuple[bool, int], Any] = {}
        # Words already compared with the names (plain words come back post after post).
        self._seen: dict[str, bool] = {}
        self._exclude: PhraseIndex | None = None
        phrases = [p.strip() for p in exclude if p.strip()]
        if phrases:
            self._exclude = PhraseIndex(self.fold)
            self._exclude.add(None, phrases)
        # Raw /regex/ exclude phrases run on strangers' text: the caller may time-limit them.
        self.guarded = any(_is_raw(p) for p in phrases)
        # A phrase matches only where its longest word is in the text: most texts that name
        # the brand hold none, and are never read word by word for them. (None: a raw
        # expression, which has to be run.)
        self._exclude_anchors: tuple[str, ...] | None = (
            None
            if self.guarded
            else _minimal(max(fold(p).replace("*", " ").split(), key=len) for p in phrases)
        )
        self._ascii_exclude_anchors = (
            _ascii(self._exclude_anchors) if self._exclude_anchors is not None else None
        )
        # Looked for all at once (there are many): None, a phrase must be looked for.
        self._excluded_in = _searcher(self._exclude_anchors)
        self._ascii_excluded_in = _searcher(self._ascii_exclude_anchors)

    @classmethod
    def from_playbook(cls, playbook: Playbook) -> Brand:
        """The brand of a playbook's ``brand:`` section, with its languages' name endings,
        suffix marks and casing."""
        brand = playbook.get("brand") or {}
        languages = playbook.get("languages") or {}
        endings: list[str] = []
        marks = ""
        turkish = False
        for spec in languages.values():
            spec = spec or {}
            endings += [str(e) for e in spec.get("name_endings") or ()]
            marks += "".join(str(m) for m in spec.get("suffix_marks") or ())
            turkish = turkish or str(spec.get("casing") or "") == "turkish"
        fuzzy = brand.get("misspellings") or {}
        return cls(
            names=[*_flat(brand.get("name")), *_flat(brand.get("names"))],
            aliases=_flat(brand.get("aliases")),
            handles=[*_flat(brand.get("handle")), *_flat(brand.get("handles"))],
            hashtags=_flat(brand.get("hashtags")),
            domains=[*_flat(brand.get("website")), *_flat(brand.get("domains"))],
            exclude=_flat(brand.get("exclude")),
            endings=endings,
            marks=marks,
            similarity=float(fuzzy.get("similarity", 85)),
            min_letters=int(fuzzy.get("min_letters", 6)),
            turkish=turkish,
        )

    def __bool__(self) -> bool:
        """Is there anything to look for?"""
        return bool(self.terms or self.handles or self.hashtags or self.domains)

    # -- finding ------------------------------------------------------------------------

    def find(self, text: str) -> list[Mention]:
        """Every mention of the brand in ``text``, in text order (see the module's doc)."""
        folded, origin = self.fold.apply(text)
        found: list[Mention] = []
        ruled_out = False
        if _any_in(self._ascii_anchors if folded.isascii() else self._anchors, folded):
            ruled_out = self._exact(text, folded, origin, found)
        # A post whose name an exclude phrase ruled out ("the Acme Air HVAC guy") names the
        # other trade: it is not searched for misspellings of the name it already holds.
        if self._fuzzy and not ruled_out and not _any_exact(found):
            guesses = self._misspellings(text, folded, origin, found)
            if guesses and self._exclude is not None:
                guesses = self._without_excluded(text, folded, guesses)
            found += guesses
        if len(found) > 1:
            found.sort(key=lambda m: (m.start, _RANK[m.kind]))
        return found

    def _exact(
        self, text: str, folded: str, origin: list[int] | None, found: list[Mention]
    ) -> bool:
        """Add the handles, links, names, aliases and hashtags found to ``found``; True when
        an exclude phrase ruled out a name found."""
        if self._handle_re is not None and "@" in folded and _any_in(self._handle_anchors, folded):
            for m in self._handle_re.finditer(folded):
                longer = bool(m.group(1))
                sure = "possible" if longer else "exact"
                found.append(
                    self._mention(text, origin, "handle", m.start(), m.end(), sure, not longer)
                )
        if self._url_re is not None and _any_in(self._url_anchors, folded):
            # A link holds a domain, so an anchor, and has no space before it: none starts
            # before the space before the first anchor (the pattern, which has to try
            # every place, tries only those after it).
            start = 0
            if self._spaceless_domains:
                first = min(at for a in self._url_anchors if (at := folded.find(a)) != -1)
                start = folded.rfind(" ", 0, first) + 1
            for m in self._url_re.finditer(folded, start):
                end = m.end()
                while end > m.start() and folded[end - 1] in _TRAILING:
                    end -= 1
                found.append(self._mention(text, origin, "url", m.start(), end, "exact"))
        names: list[Mention] = []
        if self._names is not None and (
            self._names_anchored or _any_in(self._name_anchors, folded)
        ):
            taken = [(m.start, m.end) for m in found]  # a name inside a link is the link
            for m in self._names_in(folded):
                term = self._group_terms[str(m.lastgroup)]
                mention = self._mention(text, origin, term.kind, m.start(), m.end(), "exact")
                if not taken or not _overlaps(mention, taken):
                    names.append(mention)
        if "#" in folded and (self._tags_anchored or _any_in(self._tag_anchors, folded)):
            names += self._hashtags(text, folded, origin, found)
        ruled_out = False
        if names and self._exclude is not None:
            kept = self._without_excluded(text, folded, names)
            ruled_out = len(kept) < len(names)
            names = kept
        found += names
        return ruled_out

    def _names_in(self, folded: str) -> list[re.Match[str]]:
        """The names' matches, tried only where a name's first word is (a search of the
        whole text for every name at every place costs more than the rest of a post):
        each place in turn, from past the last match."""
        assert self._names is not None
        match = self._names.match
        out: list[re.Match[str]] = []
        words = self._ascii_first_words if folded.isascii() else self._first_words
        if len(words) == 1:
            word = words[0]
            at = folded.find(word)
            while at != -1:
                m = match(folded, at)
                if m is not None:
                    out.append(m)
                at = folded.find(word, at + 1 if m is None else max(at + 1, m.end()))
            return out
        # Several words: one search for any of them (the next place each time).
        search = self._ascii_first_word_at if folded.isascii() else self._first_word_at
        at = 0
        while (hit := search(folded, at)) is not None:
            at = hit.start()
            m = match(folded, at)
            if m is not None:
                out.append(m)
            at = at + 1 if m is None else max(at + 1, m.end())
        return out

    def _mention(
        self,
        text: str,
        origin: list[int] | None,
        kind: str,
        start: int,
        end: int,
        certainty: str,
        direct: bool = False,
    ) -> Mention:
        if origin is not None:
            start, end = origin[start], origin[end - 1] + 1
        # Mention(...) without the Python-level __new__ a NamedTuple has: many per post.
        return _new_mention(Mention, (kind, text[start:end], start, end, certainty, direct))

    def _hashtags(
        self, text: str, folded: str, origin: list[int] | None, found: list[Mention]
    ) -> list[Mention]:
        """The brand's own hashtags (exact: never ruled out), and hashtags whose words
        hold a name."""
        out: list[Mention] = []
        for m in _HASHTAG.finditer(folded):
            body = m.group(1)
            if body in self.hashtags:
                found.append(self._mention(text, origin, "hashtag", m.start(), m.end(), "exact"))
                continue
            certainty = self._name_in_tag(text, folded, origin, m.start(1), m.end())
            if certainty is not None:
                out.append(self._mention(text, origin, "hashtag", m.start(), m.end(), certainty))
        return out

    def _name_in_tag(
        self, text: str, folded: str, origin: list[int] | None, start: int, end: int
    ) -> str | None:
        """Does the hashtag (its text from ``start`` to ``end`` in the folded text) hold a
        name: at its words' edges (exact), or inside one uncased word (possible)?"""
        at = start
        if origin is not None:
            start, end = origin[start], origin[end - 1] + 1
        tag = text[start:end]
        # Its words, as the original's case and underscores show them, each folded.
        bounds: list[tuple[int, int]] = []
        pos = 0
        for b in _BREAK.finditer(tag):
            if b.start() > pos:
                bounds.append((pos, b.start()))
            pos = max(pos, b.end())
        bounds.append((pos, len(tag)))
        written = [tag[a:b] for a, b in bounds]
        if origin is None and self._fold_by_letter:
            # The folded text lines up with the text, letter for letter: a word folded is
            # its part of it.
            words = [w for a, b in bounds if (w := folded[at + a : at + b])]
        else:
            words = [w for w in (self.fold.phrase(w) for w in written) if w]
        if self._tag_excluded(written, words):
            return None  # its words are an exclude phrase ("#AppleCup": "apple cup")
        joined = "".join(words)
        edges = [0]
        for w in words:
            edges.append(edges[-1] + len(w))
        best: str | None = None
        for term in self.terms:
            glued = term.glued
            at = joined.find(glued)
            while at != -1:
                stop = at + len(glued)
                if at in edges:
                    word_end = min(e for e in edges if e >= stop)
                    rest = joined[stop:word_end]
                    if not rest or rest[0].isdigit() or rest in self.endings:
                        return "exact"
                # Inside one word written in one case ("#acmeairfail"): maybe.
                inside = not any(at < e < stop for e in edges)
                if inside:
                    best = "possible"
                at = joined.find(glued, at + 1)
        return best

    def _tag_excluded(self, written: list[str], folded: list[str]) -> bool:
        """Are a hashtag's words (as written, and folded) one of the exclude phrases?"""
        if self._exclude is None:
            return False
        joined = " ".join(folded)
        search = self._ascii_excluded_in if joined.isascii() else self._excluded_in
        if search is not None and search(joined) is None:
            return False
        return bool(self._exclude.search_all(" ".join(written)).get(None))

    def _without_excluded(self, text: str, folded: str, mentions: list[Mention]) -> list[Mention]:
        """The mentions with no exclude phrase in their sentence."""
        assert self._exclude is not None
        search = self._ascii_excluded_in if folded.isascii() else self._excluded_in
        if search is not None and search(folded) is None:
            return mentions
        hits = self._exclude.search_all(text).get(None, [])
        if not hits:
            return mentions
        ends = [m.end() for m in _SENTENCE_END.finditer(text)]
        kept = []
        for mention in mentions:
            first = max((e for e in ends if e <= mention.start), default=0)
            last = min((e for e in ends if e >= mention.end), default=len(text))
            if not any(h.start() < last and h.end() > first for h in hits):
                kept.append(mention)
        return kept

    def _misspellings(
        self, text: str, folded: str, origin: list[int] | None, found: list[Mention]
    ) -> list[Mention]:
        """Words (and pairs of words written apart) within the similarity of a name."""
        ascii = folded.isascii()
        hits: Iterable[int]
        if self._lettered:
            chosen = 0
            for i, (first, last, _) in enumerate(self._ascii_grams if ascii else self._grams):
                if first in folded or last in folded:
                    chosen |= 1 << i
            if not chosen:
                return []
            hits = (m.start() for m in self._gram_search(ascii, chosen)(folded))
        else:
            hits = self._gram_hits(folded, ascii)
        out: list[Mention] = []
        taken = [(m.start, m.end) for m in found] if found else []
        end = -1
        for at in hits:
            if at < end:
                continue  # in the word just read
            start, end = _word_around(folded, at)
            spans = [(start, end, folded[start:end])]
            left = _beside(folded, start, -1)
            if left is not None:
                spans.append((left[0], end, folded[left[0] : left[1]] + spans[0][2]))
            right = _beside(folded, end, 1)
            if right is not None:
                spans.append((start, right[1], spans[0][2] + folded[right[0] : right[1]]))
            for a, b, option in spans:
                if self._similar(option):
                    mention = self._mention(text, origin, "misspelling", a, b, "possible")
                    if not taken or not _overlaps(mention, taken):
                        out.append(mention)
                        taken.append((mention.start, mention.end))
                    break
        return out

    def _gram_hits(self, folded: str, ascii: bool) -> list[int]:
        """Where the names' runs of three letters are in the text, in order (the runs of
        the names whose first or last letter it holds: another script's can't be)."""
        hits: list[int] = []
        for first, last, grams in self._ascii_grams if ascii else self._grams:
            if first not in folded and last not in folded:
                continue  # not even its first or last letter: another script
            for gram in grams:
                at = folded.find(gram)
                while at != -1:
                    hits.append(at)
                    at = folded.find(gram, at + 1)
        hits.sort()
        return hits

    def _gram_search(self, ascii: bool, chosen: int) -> Any:
        """``finditer`` of a pattern finding the runs of the ``chosen`` names (bits of
        their places in the table for ``ascii`` texts), compiled once per choice. A run
        found is not searched on from inside: with names of letters only, every run
        inside a run found is in the word read for it, which the reader skips (the same
        words as from :meth:`_gram_hits`, found with one search)."""
        key = (ascii, chosen)
        found = self._gram_searches.get(key)
        if found is None:
            if len(self._gram_searches) > 256:
                self._gram_searches.clear()
            table = self._ascii_grams if ascii else self._grams
            grams = [g for i, (_, _, runs) in enumerate(table) if chosen >> i & 1 for g in runs]
            found = self._gram_searches[key] = re.compile(_trie(grams)).finditer
        return found

    def _similar(self, option: str) -> bool:
        """Is a word (or two written together) within the similarity of a name, as written
        or without an ending glued to it ("Akme Airille")? Remembered per word."""
        size = len(option)
        if not self._shortest <= size <= self._longest + 8:
            return False
        seen = self._seen
        verdict = seen.get(option)
        if verdict is not None:
            return verdict
        global _RATIO
        if _RATIO is None:
            from rapidfuzz.fuzz import ratio

            _RATIO = ratio
        tries = [option] if size <= self._longest else []
        if size > self._shortest and option.endswith(self._ending_tuple):
            for cut in self._ending_sizes:
                stem = option[:-cut]
                fits = self._shortest <= len(stem) <= self._longest
                if fits and option[-cut:] in self.endings:
                    tries.append(stem)
        cutoff = self.similarity
        verdict = any(_RATIO(t, o, score_cutoff=cutoff) for o in tries for t in self._targets)
        if len(seen) > 100_000:
            seen.clear()
        seen[option] = verdict
        return verdict


def _word_around(folded: str, at: int) -> tuple[int, int]:
    """The run of letters holding ``folded[at]``."""
    start = at
    while start > 0 and folded[start - 1].isalpha():
        start -= 1
    return start, _LETTERS_FROM.match(folded, at).end()  # type: ignore[union-attr]


_JOINERS = " \t\u00a0-_"


def _beside(folded: str, edge: int, step: int) -> tuple[int, int] | None:
    """The word next to the one ending (``step`` 1) or starting (-1) at ``edge``, when
    only spaces, a hyphen or an underscore are between them."""
    j = edge
    if step > 0:
        while j < len(folded) and folded[j] in _JOINERS:
            j += 1
        if j == edge or j >= len(folded) or not folded[j].isalpha():
            return None
        return _word_around(folded, j)
    while j > 0 and folded[j - 1] in _JOINERS:
        j -= 1
    if j == edge or j == 0 or not folded[j - 1].isalpha():
        return None
    return _word_around(folded, j - 1)


def _is_raw(phrase: str) -> bool:
    return len(phrase) >= 2 and phrase.startswith("/") and phrase.endswith("/")


def _any_exact(found: list[Mention]) -> bool:
    for m in found:  # noqa: SIM110 (a plain loop, no generator: this runs for every post)
        if m.certainty == "exact":
            return True
    return False


def _overlaps(mention: Mention, spans: list[tuple[int, int]]) -> bool:
    """Does the mention overlap one of the spans?"""
    start, end = mention.start, mention.end
    for a, b in spans:  # noqa: SIM110
        if a < end and start < b:
            return True
    return False


def _ascii(anchors: tuple[str, ...]) -> tuple[str, ...]:
    """The anchors an ASCII text can hold."""
    return tuple(a for a in anchors if a.isascii())


_NEVER = re.compile(r"(?!)")


def _trie(items: Iterable[str]) -> str:
    """Regular-expression text matching where any of ``items`` is (escaped), as a trie:
    at each place one branch per next character, so a search tries each place once (an
    alternation of many items tries every item). Which item is found is left open: for
    a search whether one is there."""

    def branches(ends: list[str]) -> str:
        if "" in ends:
            return ""  # an item ends here: any longer one holds it
        heads: dict[str, list[str]] = {}
        for end in ends:
            heads.setdefault(end[0], []).append(end[1:])
        parts = [re.escape(head) + branches(rest) for head, rest in heads.items()]
        return parts[0] if len(parts) == 1 else f"(?:{'|'.join(parts)})"

    unique = sorted(set(items))
    return branches(unique) if unique else _NEVER.pattern


def _searcher(anchors: tuple[str, ...] | None) -> Any:
    """``search`` of a pattern that finds any of the anchors (None for None)."""
    return None if anchors is None else re.compile(_trie(anchors)).search


def _any_in(anchors: tuple[str, ...], folded: str) -> bool:
    # A plain loop, no generator: this runs for every post and every kind of term.
    for anchor in anchors:  # noqa: SIM110
        if anchor in folded:
            return True
    return False


def brand_for(playbook: Playbook) -> Brand:
    """The playbook's :class:`Brand`, compiled once."""
    found = playbook._cache.get("listen")
    if found is None:
        found = playbook._cache["listen"] = Brand.from_playbook(playbook)
    return found
