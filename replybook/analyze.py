"""Comment -> Analysis: language, intent, abuse, topic, triggers (pure).

Everything the analysis knows about words comes from the playbook (``signals``, ``topics``,
``escalation.triggers``, ``cannot_grant``, ``faq``, ``languages``); this module only
decides how the scores combine.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from .detect import detect
from .errors import UsageError
from .lexicon import HASHTAG_BREAK, Fold, Match, PhraseIndex
from .playbook import Playbook, phrases_for, register_compiled

_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<!\w)@\w+")
# "#NotHappy" reads as "Not Happy": hashtags carry much of a comment's tone.
_HASHTAG = re.compile(r"(?<![\w#])#([^\W\d_]\w*)")
# Where a hashtag's words meet (compiled on first use, re caches it): most comments have none.
_CAMEL = HASHTAG_BREAK
_APOSTROPHE = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_DIGIT = re.compile(r"\d")
_PII = {
    "email": re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++\.[\w.-]+\b"),
    "phone": re.compile(r"(?<!\w)\+?\d[\d\s().-]{7,}\d(?!\w)"),
    "card": re.compile(r"\b(?:\d[ -]?){13,19}\b"),
}


class Thread(NamedTuple):
    """What the earlier messages of a thread say about the message that answers them."""

    messages: int = 0
    brand_replied: bool = False
    # The brand's last message asks the customer something (a detail, a DM).
    brand_asked: bool = False
    # The brand's last message offers a fix, steps or an answer.
    brand_helped: bool = False
    # The brand's last message asks whether the problem is fixed ("is it working now?"),
    # or whether it still fails ("are you still having issues?").
    brand_checked: bool = False
    brand_checked_still: bool = False
    # The customer complained earlier in the thread.
    complained: bool = False
    # An earlier customer message is an escalation (a legal threat, a safety report...).
    escalation: str | None = None
    escalation_phrase: str | None = None

    @property
    def follow_up(self) -> bool:
        """The brand has already answered a complaint in this thread."""
        return self.brand_replied and self.complained

    @property
    def answers_brand(self) -> bool:
        return self.brand_asked


NO_THREAD = Thread()


class Analysis(NamedTuple):
    """What a message is: the input to deciding, drafting and comment-aware lint rules.

    Only facts about the text live here (scores, phrases found, topics, triggers); what to
    do about them is :func:`replybook.decide.decide`'s.
    """

    text: str
    language: str
    abusive: bool
    rude: bool
    topic: str | None
    term: str | None
    key_phrase: str | None
    escalation: str | None
    refusal: str | None
    faq: str | None
    scores: dict[str, float]
    pii: tuple[str, ...]
    matches: dict[str, tuple[str, ...]]
    escalation_phrase: str | None = None
    # The customer's own loss or mistake ("I deleted all my photos"), the phrase found.
    loss: str | None = None
    # Putting it right needs personal data, account access or a sensitive matter.
    needs_private: bool = False
    thread: Thread = NO_THREAD
    brand_thing: str | None = None
    # Per signal kind, the weight of its most telling phrase found.
    peaks: dict[str, float] = {}
    # The message addresses a support account (playbook ``support_handles``).
    to_support: bool = False
    # Per signal kind, the sum of its positive weights alone (what a message says of that
    # kind, before the words that speak against it).
    cues: dict[str, float] = {}
    # The route (playbook ``routes``) one of whose phrases the message uses, and the phrase.
    route_match: str | None = None
    route_phrase: str | None = None
    # A review's star rating (1-5), when it came with one.
    rating: int | None = None
    # The support account it addresses (``to_support``), as written.
    support_handle: str | None = None

    @property
    def specific(self) -> bool:
        """Does the comment name a specific problem?"""
        return bool(self.topic or self.key_phrase or self.escalation or self.refusal)


def _compiled(playbook: Playbook, key: str, build: Any) -> Any:
    cache = playbook._cache
    if key not in cache:
        cache[key] = build()
    return cache[key]


_SECTIONS = ("topics", "escalation", "cannot_grant", "faq", "routes")


def language_fold(playbook: Playbook, lang: str) -> Fold | None:
    """How a language's phrase lists and texts are normalised alike (lexicon.Fold), from
    ``languages.<code>``."""
    key = f"fold:{lang}"
    cache = playbook._cache
    if key not in cache:
        cache[key] = Fold.from_spec((playbook.get("languages") or {}).get(lang) or {})
    return cache[key]


class _Lexicon:
    """Every phrase list the analysis reads, for one language, in one index: a comment is
    walked once for all of them.

    Signals: each kind's plain phrases form one list with a weight per phrase, so a phrase
    counts once and the longest phrase at a place wins ("not working" is not also "not");
    raw /regex/ phrases keep a list per weight.
    """

    def __init__(self, playbook: Playbook, lang: str) -> None:
        self.index = PhraseIndex(language_fold(playbook, lang))
        self.weights: dict[str, dict[str, float]] = {}
        # Every kind of signal the playbook has words for, in any language, so that the
        # decision can read a kind's score (zero) even where a language lacks its words.
        self.kinds = tuple(sorted(playbook.get("signals") or {}))
        spec = (playbook.get("languages") or {}).get(lang) or {}
        endings = tuple(str(e).casefold() for e in spec.get("apostrophe_optional") or ())
        clitics = contractions(playbook, lang)
        for kind in self.kinds:
            groups = ((playbook.get("signals") or {}).get(kind) or {}).get(lang) or {}
            weights: dict[str, float] = {}
            for weight, phrases in groups.items():
                for phrase in phrases:
                    phrase = phrase.strip()
                    if len(phrase) >= 2 and phrase[0] == phrase[-1] == "/":
                        self.index.add(("raw", kind, float(weight)), [phrase])
                    elif phrase:
                        weights.setdefault(phrase, float(weight))
            if endings:
                # "whats going on", "cant log in": the phrase as typed without apostrophes.
                for phrase, weight in list(weights.items()):
                    bare = _without_apostrophes(phrase, endings)
                    if bare != phrase:
                        weights.setdefault(bare, weight)
            self.index.add(("signal", kind), weights)
            self.weights[kind] = weights
        self.raw_keys = _raw_keys(self.index)
        for section in _SECTIONS:
            if section == "escalation":
                entries = ((playbook.get("escalation") or {}).get("triggers") or {}).items()
            else:
                # (`routes` holds its `default` beside the routes: a name, not an entry.)
                entries = (
                    (key, value.get("match"))
                    for key, value in (playbook.get(section) or {}).items()
                    if isinstance(value, dict)
                )
            # The entry's place in the playbook is part of its key: it breaks ties.
            for order, (key, match) in enumerate(entries):
                phrases = phrases_for(match, lang)
                if section == "topics" and clitics:
                    # "my parcel's been stuck": the topic's word with a verb on it.
                    phrases += [
                        p + c
                        for p in phrases
                        if not p.startswith("/") and "*" not in p
                        for c in clitics
                    ]
                self.index.add((section, key, order), phrases)
        # Escalation triggers told in words of their own: one word of each group in a
        # sentence (escalation.together). Key: ("together", kind, rule * 100 + group).
        self.together = _together_sizes(playbook, lang)
        together = (playbook.get("escalation") or {}).get("together") or {}
        for kind, by_lang in together.items():
            for r, rule in enumerate((by_lang or {}).get(lang) or ()):
                for g, words in enumerate(rule):
                    self.index.add(("together", str(kind), r * 100 + g), [str(w) for w in words])
        figures = phrases_for((playbook.get("escalation") or {}).get("figures"), lang)
        self.index.add(("figures", "", 0), figures)
        for group, spec in (playbook.get("negations") or {}).items():
            self.index.add(("negations", str(group), 0), phrases_for(spec.get("phrases"), lang))


def _together_sizes(playbook: Playbook, lang: str) -> dict[tuple[str, int], int]:
    """Each ``escalation.together`` rule of ``lang`` (its kind and place) and how many word
    groups it has, in playbook order."""
    together = (playbook.get("escalation") or {}).get("together") or {}
    return {
        (str(kind), r): len(rule)
        for kind, by_lang in together.items()
        for r, rule in enumerate((by_lang or {}).get(lang) or ())
    }


def contractions(playbook: Playbook, lang: str) -> tuple[str, ...]:
    """A language's ``contractions``: endings that put a verb on a word ("parcel's")."""
    spec = (playbook.get("languages") or {}).get(lang) or {}
    return tuple(str(e).casefold() for e in spec.get("contractions") or ())


def without_contraction(word: str, endings: tuple[str, ...]) -> str:
    """``word`` without one of ``endings`` ("parcel's" -> "parcel")."""
    low = word.casefold()
    cut = next((e for e in endings if low.endswith(e) and len(low) > len(e)), None)
    return word[: -len(cut)] if cut else word


def _without_apostrophes(phrase: str, endings: tuple[str, ...]) -> str:
    """``phrase`` with the apostrophe dropped from each word that ends in one of
    ``endings`` (a language's ``apostrophe_optional``: "what's" -> "whats")."""
    if "'" not in phrase:
        return phrase
    words = phrase.split(" ")
    for i, word in enumerate(words):
        folded = word.casefold()
        if "'" in word and folded.endswith(endings) and not folded.startswith("'"):
            words[i] = word.replace("'", "")
    return " ".join(words)


def _search(playbook: Playbook, lexicon: _Lexicon, text: str) -> dict[Any, list[Match]]:
    """The lexicon's phrases found in ``text``, less the matches a negation cancels: each
    group of ``negations`` lists the signal kinds it cancels (and ``topics``, for topic
    words), and a match of one of them that overlaps a phrase of the group doesn't count
    ("no problems at all", "not impressed", "it didn't crash")."""
    found = lexicon.index.search_all(text)
    cancels, sources, clauses = _compiled(
        playbook, "analyze:cancels", lambda: _cancels(playbook)
    )
    groups = [key for key in found if key[0] == "negations"]
    # A group whose phrases are a signal's: that signal's matches negate.
    borrowed = [
        (group, key)
        for key in found
        if key[0] in ("signal", "raw")
        for group in sources.get(key[1], ())
    ]
    if not groups and not borrowed:
        return found
    spans: dict[str, list[tuple[int, int]]] = {}

    def span(group: str, m: Match) -> tuple[int, int]:
        scope = clauses.get(group)
        if scope is None:
            return m.start(), m.end()
        until, backward = scope
        end = until.search(text, m.end())
        start = m.start()
        if backward:
            start = max((b.end() for b in until.finditer(text, 0, m.start())), default=0)
        return start, end.start() if end else len(text)

    for key in groups:
        for kind in cancels.get(key[1], ()):
            spans.setdefault(kind, []).extend(span(key[1], m) for m in found[key])
    for group, key in borrowed:
        for kind in cancels.get(group, ()):
            spans.setdefault(kind, []).extend(span(group, m) for m in found[key])
    out: dict[Any, list[Match]] = {}
    for key, matches in found.items():
        kind = key[1] if key[0] in ("signal", "raw") else key[0] if key[0] == "topics" else None
        if kind in spans:
            around = spans[kind]
            matches = [
                m for m in matches if not any(m.start() < b and a < m.end() for a, b in around)
            ]
            if not matches:
                continue
        out[key] = matches
    return out


# Where a clause ends, for a negation group of ``scope: clause``, and a sentence, for one
# of ``scope: sentence`` (what is supposed runs on past the comma: "let's say it doesn't
# arrive, can I still return it?").
_CLAUSE_END = re.compile(r"[,.;:!?\n،؛؟]|\s[-–—]\s")
_SENTENCE_END = re.compile(r"[.;!?\n؛؟]|\s[-–—]\s")
_SCOPES = {"clause": _CLAUSE_END, "sentence": _SENTENCE_END, "whole_clause": _CLAUSE_END}
# Scopes that reach back to where the clause began too: a question asked at the end of its
# clause, as verb-final languages do ("siparişimi iptal etmek için geç mi kaldım?").
_BACKWARD = frozenset({"whole_clause"})


_Scope = tuple[re.Pattern[str], bool]  # where the scope ends; does it reach back too


def _cancels(
    playbook: Playbook,
) -> tuple[dict[str, frozenset[str]], dict[str, tuple[str, ...]], dict[str, _Scope]]:
    """Each negation group's kinds (signal kinds, and ``topics``), the groups that take
    their phrases from a signal kind, by that kind, and where each group of clause or
    sentence scope stops cancelling."""
    groups = playbook.get("negations") or {}
    cancels = {
        str(g): frozenset(str(k) for k in spec.get("cancels") or ()) for g, spec in groups.items()
    }
    sources: dict[str, tuple[str, ...]] = {}
    for group, spec in groups.items():
        if spec.get("signal"):
            sources[str(spec["signal"])] = (*sources.get(str(spec["signal"]), ()), str(group))
    clauses = {
        str(g): (_SCOPES[str(spec["scope"])], spec["scope"] in _BACKWARD)
        for g, spec in groups.items()
        if spec.get("scope") in _SCOPES
    }
    return cancels, sources, clauses


def _raw_keys(index: PhraseIndex) -> dict[str, list[tuple[str, str, float]]]:
    """Each signal kind's keys of raw /regex/ phrases (one per weight)."""
    out: dict[str, list[tuple[str, str, float]]] = {}
    for key in index.raw_keys:
        if key[0] == "raw":
            out.setdefault(key[1], []).append(key)
    return out


def export_state(playbook: Playbook) -> dict[str, Any]:
    """The playbook language's lexicon as plain data, for the playbook cache: a one-shot
    command loads it instead of building the word trie again."""
    lang = str(playbook.get("language") or "en")
    lexicon = _lexicon(playbook, lang)
    return {f"lexicon:{lang}": (lexicon.index.state(), lexicon.weights)}


def import_state(playbook: Playbook, state: dict[str, Any]) -> None:
    """Put what :func:`export_state` gave back into a playbook loaded from the cache."""
    for key, (index, weights) in state.items():
        lexicon = _Lexicon.__new__(_Lexicon)
        lexicon.index = PhraseIndex.from_state(index)
        lexicon.weights = weights
        lexicon.kinds = tuple(sorted(playbook.get("signals") or {}))
        lexicon.raw_keys = _raw_keys(lexicon.index)
        lexicon.together = _together_sizes(playbook, key.split(":", 1)[1])
        playbook._cache[key] = lexicon


def _lexicon(playbook: Playbook, lang: str) -> _Lexicon:
    return _compiled(playbook, f"lexicon:{lang}", lambda: _Lexicon(playbook, lang))


def _score(
    lexicon: _Lexicon, found: dict[Any, list[Match]], kind: str
) -> tuple[float, tuple[str, ...], float, float]:
    """Sum of weights of the distinct phrases of one signal kind found in a comment, the
    phrases (most telling first), the weight of the most telling one and the sum of the
    positive weights alone."""
    plain = found.get(("signal", kind))
    raw = [key for key in lexicon.raw_keys.get(kind, ()) if key in found]
    if not plain and not raw:
        return 0.0, (), 0.0, 0.0
    weights = lexicon.weights[kind]
    seen: dict[str, tuple[float, int]] = {}
    for m in plain or ():
        seen.setdefault(m.group(0).lower(), (weights[m.phrase], m.start()))
    for key in raw:
        for m in found[key]:
            seen.setdefault(m.group(0).lower(), (key[2], m.start()))
    total = sum(weight for weight, _ in seen.values())

    # The most telling phrases first (highest weight, then earliest): the first one is
    # what a reason names.
    hits = sorted(
        ((text, weight, at) for text, (weight, at) in seen.items() if weight > 0),
        key=lambda hit: (-hit[1], hit[2]),
    )
    peak = hits[0][1] if hits else 0.0
    return total, tuple(text for text, _, _ in hits), peak, sum(hit[1] for hit in hits)


def _first_match(found: dict[Any, list[Match]], section: str) -> tuple[str, str] | None:
    """The entry whose phrases occur most often; ties go to the one found first in the
    text, then to the longer phrase there ("non-refundable fare" over "non-refundable"),
    then to the entry listed first in the playbook."""
    best: tuple[int, int, int, int, str, str] | None = None
    for key, matches in found.items():
        if key[0] != section or not matches:
            continue
        first = matches[0]
        words = len(first.group(0).split())
        rank = (-len(matches), first.start(), -words, key[2], key[1], first.group(0))
        if best is None or rank < best:
            best = rank
    if best is None:
        return None
    return best[4], re.sub(r"\s+", " ", best[5].lower()).strip()


def _language_in_thread(
    playbook: Playbook, text: str, context: Sequence[Mapping[str, Any]] | None
) -> str:
    """The message's language (:func:`detect_language`); a message the detector can't be
    sure of ("TY-4482913", "Deterjan eksik", "ok") in a thread is in the language the
    thread is written in, when that is certain and served: an answer to the brand's
    question is answered in the thread's language."""
    found = detect_language(playbook, text)
    if not context or not isinstance(context, (list, tuple)):
        return found
    if detect(playbook, text if text.isascii() else _INVISIBLE.sub("", text)).certain:
        return found
    earlier = " ".join(
        str(m.get("text") or "")
        for m in context
        if isinstance(m, Mapping) and m.get("role") != "other"
    )
    thread = detect(playbook, _clean(earlier)) if earlier.strip() else None
    if thread is not None and thread.certain and thread.lang in playbook.served():
        return str(thread.lang)
    return found


_INVISIBLE = re.compile("[\u200b\u200d-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad]")


def detect_language(playbook: Playbook, text: str) -> str:
    """The message's language (replybook.detect): by script, letters, the playbook's
    words, and for uncertain Latin-script text a detector; with nothing to go on (only
    emoji, handles or links), the playbook's own. It may be a language the playbook
    doesn't serve: the decision then gives the message to a person."""
    if not text.isascii():
        text = _INVISIBLE.sub("", text)  # a byte-order mark is no Arabic letter
    found = detect(playbook, text)
    own = str(playbook.get("language") or "en")
    if found.lang is None:
        return own
    # A guess at a language we don't serve from a letter or two ("Q") is no reason to
    # hold a comment back for a person.
    guess = not found.certain and found.lang not in playbook.served()
    if guess and sum(c.isalpha() for c in text) < 3:
        return own
    return found.lang


class _Own(NamedTuple):
    """How one language names the customer's own thing ("my bag", "our order"), from the
    playbook's ``languages:`` section."""

    regex: re.Pattern[str] | None
    breaks: frozenset[str]
    describing: re.Pattern[str] | None
    vague: frozenset[str]


def _own(playbook: Playbook, lang: str, whose: str = "possessives") -> _Own:
    def build() -> _Own:
        spec = (playbook.get("languages") or {}).get(lang) or {}
        words = [re.escape(str(w)) for w in spec.get(whose) or []]
        word = r"[^\W\d_][\w'-]*"
        regex = (
            re.compile(rf"(?<!\w)(?:{'|'.join(words)})\s+({word}(?:\s+{word}){{0,2}})", re.I)
            if words
            else None
        )
        endings = [re.escape(str(e)) for e in spec.get("describing_endings") or []]
        # "non-refundable", "damaged": a word that describes the noun after it.
        describing = re.compile(rf"\w+-\w+|\w{{2,}}(?:{'|'.join(endings)})", re.I)
        return _Own(
            regex=regex,
            breaks=frozenset(str(w).lower() for w in spec.get("phrase_breaks") or []),
            describing=describing if endings else None,
            vague=frozenset(str(w).lower() for w in spec.get("vague") or []),
        )

    return _compiled(playbook, f"own:{whose}:{lang}", build)


def _key_phrase(text: str, own: _Own) -> str | None:
    """The customer's own words for what went wrong: "my bag", "our non-refundable ticket"."""
    if own.regex is None:
        return None
    for match in own.regex.finditer(text):
        words: list[str] = []
        for word in match.group(1).split():
            if word.lower() in own.breaks:
                break
            words.append(word)
            if own.describing is None or not own.describing.fullmatch(word):
                break
        if words and words[-1].lower() not in own.vague:
            return " ".join(words).lower()
    return None


def _clean(text: str) -> str:
    """The comment without links and @handles; hashtags split into words; straight quotes."""
    # Each step only where the text holds what it looks for: most comments have no link,
    # hashtag or curly quote, and a scan that finds nothing costs as much as one that does.
    if "://" in text or "www." in text.lower():
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _MENTION.sub(" ", text)
    if "#" in text:
        text = _HASHTAG.sub(lambda m: re.sub(_CAMEL, " ", m.group(1)), text)
    if "\u2019" in text or "\u2018" in text or "\u02bc" in text:
        text = text.translate(_APOSTROPHE)
    return text


def _thread(
    playbook: Playbook, lang: str, context: Sequence[Mapping[str, Any]] | None
) -> Thread:
    """Read the earlier messages of a thread (oldest first)."""
    if not context:
        return NO_THREAD
    if not isinstance(context, (list, tuple)):
        raise UsageError("context must be a list of {role, text} messages, oldest first")
    thresholds = _thresholds(playbook)
    lexicon = _lexicon(playbook, lang)
    brand_replied = complained = False
    last_brand: dict[Any, list[Match]] | None = None
    escalation: tuple[str, str] | None = None
    for index, message in enumerate(context):
        if not isinstance(message, Mapping):
            raise UsageError(f"context[{index}] must be an object with role and text")
        role, body = message.get("role"), message.get("text")
        if role not in ("customer", "brand", "other"):
            raise UsageError(f"context[{index}].role must be 'customer', 'brand' or 'other'")
        if not isinstance(body, str):
            raise UsageError(f"context[{index}].text must be text")
        if role == "other":
            continue  # someone else in the thread: neither the customer nor the brand
        body = _clean(body)
        found = _search(playbook, lexicon, body)
        if role == "brand":
            brand_replied = True
            last_brand = found
            continue
        last_brand = None  # the customer spoke after it: the brand's turn is answered
        # A complaint, or a request for help with a problem, is what a thread turns on.
        if _score(lexicon, found, "complaint")[0] >= thresholds.get("complaint", 1.0) or (
            _score(lexicon, found, "help_request")[0] >= thresholds.get("help_request", 1.0)
        ):
            complained = True
        hit = _escalation(found) or _together(lexicon, found, body)
        if hit and escalation is None:
            escalation = hit
    asked = helped = checked = checked_still = False
    if last_brand is not None:

        def says(kind: str) -> bool:
            assert last_brand is not None
            return _score(lexicon, last_brand, kind)[0] >= thresholds.get(kind, 1.0)

        asked, helped = says("brand_ask"), says("brand_fix")
        checked, checked_still = says("brand_check"), says("brand_check_still")
    return Thread(
        messages=len(context),
        brand_replied=brand_replied,
        brand_asked=asked,
        brand_helped=helped or (brand_replied and not asked),
        brand_checked=checked,
        brand_checked_still=checked_still,
        complained=complained,
        escalation=escalation[0] if escalation else None,
        escalation_phrase=escalation[1] if escalation else None,
    )


def _thresholds(playbook: Playbook) -> dict[str, float]:
    return _compiled(
        playbook,
        "analyze:thresholds",
        lambda: {k: float(v) for k, v in (playbook.get("thresholds") or {}).items()},
    )


_SENTENCE_END = re.compile(r"[.!?؟\n]+")


def _together(
    lexicon: _Lexicon, found: dict[Any, list[Match]], text: str
) -> tuple[str, str] | None:
    """An escalation told in words of its own (``escalation.together``): the first rule,
    in playbook order, with a word of each of its groups in one sentence, none of them
    inside a figure of speech. The phrase is the sentence's stretch from the first of
    those words to the last."""
    if not lexicon.together:
        return None
    spans = [(m.start(), m.end()) for m in found.get(("figures", "", 0)) or ()]
    hits: dict[tuple[str, int], dict[int, list[Match]]] = {}
    for key, matches in found.items():
        if key[0] != "together":
            continue
        rule, group = divmod(int(key[2]), 100)
        real = [m for m in matches if not any(a <= m.start() and m.end() <= b for a, b in spans)]
        if real:
            hits.setdefault((str(key[1]), rule), {})[group] = real
    if not hits:
        return None
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    bounds = list(zip([0, *ends], [*ends, len(text)], strict=True))
    for (kind, rule), size in lexicon.together.items():
        groups = hits.get((kind, rule))
        if not groups or len(groups) < size:
            continue
        for a, b in bounds:
            chosen = []
            for group in range(size):
                inside = [m for m in groups.get(group, ()) if a <= m.start() < b]
                if not inside:
                    break
                chosen.append(inside[0])
            else:
                start = min(m.start() for m in chosen)
                end = max(m.end() for m in chosen)
                return kind, re.sub(r"\s+", " ", text[start:end].lower()).strip()
    return None


def _escalation(found: dict[Any, list[Match]]) -> tuple[str, str] | None:
    """The escalation trigger found, unless every match of it is part of a figure of speech
    or a product name ("before I explode", "Fire TV")."""
    figures = found.get(("figures", "", 0))
    if figures:
        spans = [(m.start(), m.end()) for m in figures]
        kept: dict[Any, list[Match]] = {}
        for key, matches in found.items():
            if key[0] != "escalation":
                continue
            real = [
                m for m in matches if not any(a <= m.start() and m.end() <= b for a, b in spans)
            ]
            if real:
                kept[key] = real
        found = kept
    return _first_match(found, "escalation")


def analyze(
    text: str,
    playbook: Playbook | None = None,
    *,
    context: Sequence[Mapping[str, Any]] | None = None,
    lang: str | None = None,
    rating: int | None = None,
) -> Analysis:
    """Read a message: language, signal scores and the phrases behind them, topic,
    escalation trigger, refusal, FAQ, route phrase, personal data; with ``context`` (the
    earlier messages of its thread, oldest first, each ``{"role": "customer" | "brand",
    "text"}``) what the thread says too. ``lang`` is the message's language when known
    (``--lang``, a record's ``lang``); else it is detected, else the playbook's own.
    ``rating`` is a review's stars, a whole number from 1 to 5 (the decision reads it)."""
    if playbook is None:
        from .playbook import load_playbook

        playbook = load_playbook("default")
    if rating is not None:
        rating = check_rating(rating)
    clean = _clean(text)
    lang = lang or _language_in_thread(playbook, clean, context)
    thresholds = _thresholds(playbook)

    def over(kind: str, value: float) -> bool:
        return value >= thresholds.get(kind, 1.0)

    lexicon = _lexicon(playbook, lang)
    found = _search(playbook, lexicon, clean)
    scores: dict[str, float] = {}
    matches: dict[str, tuple[str, ...]] = {}
    peaks: dict[str, float] = {}
    cues: dict[str, float] = {}
    # Most kinds have no phrase in a given comment: those score zero without a look.
    present = {key[1] for key in found if key[0] == "signal" or key[0] == "raw"}
    for kind in lexicon.kinds:
        if kind in present:
            scores[kind], matches[kind], peaks[kind], cues[kind] = _score(lexicon, found, kind)
        else:
            scores[kind], matches[kind], peaks[kind], cues[kind] = 0.0, (), 0.0, 0.0

    topic_hit = _first_match(found, "topics")
    for key, entry in (playbook.get("topics") or {}).items():
        kind = entry.get("signal") if isinstance(entry, Mapping) else None
        if kind and matches.get(kind) and over(kind, scores.get(kind, 0.0)):
            topic_hit = (str(key), matches[kind][0])
            break
    escalation_hit = _escalation(found) or _together(lexicon, found, clean)
    refusal_hit = _first_match(found, "cannot_grant")
    faq_hit = _first_match(found, "faq")
    route_hit = _first_match(found, "routes")
    topic, term = topic_hit if topic_hit else (None, None)
    if term:
        term = without_contraction(term, contractions(playbook, lang))
    key_phrase = _key_phrase(clean, _own(playbook, lang))
    # The brand's thing the customer names ("fix your potato towers"): not the customer's
    # to be sorry about, but it makes a rude message specific.
    brand_thing = _key_phrase(clean, _own(playbook, lang, "brand_possessives"))
    # Naming something the brand sells or runs ("my order", "the app") makes a gripe a
    # complaint rather than a passing remark; the playbook says how much.
    if topic_hit:
        scores["complaint"] = scores.get("complaint", 0.0) + thresholds.get("complaint_topic", 0)
    if key_phrase:
        scores["complaint"] = scores.get("complaint", 0.0) + thresholds.get(
            "complaint_possessive", 0.0
        )
    if faq_hit is None and over("question", scores.get("question", 0.0)):
        faq_hit = _faq_by_words(playbook, lang, clean)

    thread = _thread(playbook, lang, context)
    if escalation_hit is None and thread.escalation:
        escalation_hit = (thread.escalation, thread.escalation_phrase or "")

    abusive = over("abuse", scores.get("abuse", 0.0))
    rude = abusive or over("rude", scores.get("rude", 0.0))
    loss = matches.get("loss") if over("loss", scores.get("loss", 0.0)) else None

    digits = _DIGIT.search(text) is not None  # a phone or card number needs some
    at = text.find("@")
    email = at >= 0 and text.find(".", at) > at  # an address has a dot after its "@"
    pii = tuple(
        kind
        for kind, pattern in _PII.items()
        if (email if kind == "email" else digits) and pattern.search(text)
    )
    entry = ((playbook.get("topics") or {}).get(topic) or {}) if topic else {}
    needs_private = bool(entry.get("private", True)) if topic else bool(refusal_hit)
    handle = _support_handle(playbook, text)
    return Analysis(
        text=text,
        language=lang,
        abusive=abusive,
        rude=rude,
        topic=topic,
        term=term,
        key_phrase=key_phrase,
        escalation=escalation_hit[0] if escalation_hit else None,
        refusal=refusal_hit[0] if refusal_hit else None,
        faq=faq_hit[0] if faq_hit else None,
        scores=scores,
        pii=pii,
        matches=matches,
        escalation_phrase=escalation_hit[1] if escalation_hit else None,
        loss=loss[0] if loss else None,
        needs_private=needs_private or bool(pii),
        thread=thread,
        brand_thing=brand_thing,
        peaks=peaks,
        cues=cues,
        to_support=handle is not None,
        support_handle=handle,
        route_match=route_hit[0] if route_hit else None,
        route_phrase=route_hit[1] if route_hit else None,
        rating=rating,
    )


RATING_PROBLEM = "rating must be a whole number from 1 to 5"


def check_rating(value: Any) -> int:
    """A review's star rating as a whole number from 1 to 5: an int, a whole float (4.0) or
    its digits as text ("4", a CSV cell); anything else is a UsageError."""
    number: Any = value
    if isinstance(value, str):
        text = value.strip()
        try:
            number = int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                raise UsageError(RATING_PROBLEM) from None
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        raise UsageError(RATING_PROBLEM)
    if isinstance(number, float):
        if not number.is_integer():
            raise UsageError(RATING_PROBLEM)
        number = int(number)
    if not 1 <= number <= 5:
        raise UsageError(RATING_PROBLEM)
    return int(number)


def _support_handle(playbook: Playbook, text: str) -> str | None:
    """The first of the playbook's support handles the message addresses, if any."""
    if "@" not in text:
        return None
    pattern = _compiled(playbook, "support-handles", lambda: _handle_pattern(playbook))
    if pattern is None:
        return None
    return next((h for h in _MENTION.findall(text) if pattern.fullmatch(h)), None)


def _handle_pattern(playbook: Playbook) -> re.Pattern[str] | None:
    parts = []
    for entry in playbook.get("support_handles") or []:
        entry = str(entry)
        if len(entry) >= 2 and entry[0] == entry[-1] == "/":
            parts.append(entry[1:-1])
        else:
            parts.append(re.escape(entry))
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE) if parts else None


def detail_words(playbook: Playbook, analysis: Analysis) -> int:
    """How many words say what the message is about: not function words, not vague nouns,
    not the words of a signal phrase (an insult, "terrible"). Abuse has none to speak of.

    Worked out only when a decision needs it (few do), not for every message."""
    lang, clean, matches = analysis.language, _clean(analysis.text), analysis.matches
    ignore = _plain_words(playbook, lang)
    said = {
        word
        for kind in ("abuse", "rude", "complaint", "praise", "thanks", "question", "joke")
        for phrase in matches.get(kind, ())
        for word in phrase.split()
    }
    return sum(
        1
        for word in _WORD.findall(clean.lower())
        if len(word) > 2 and word not in ignore and word not in said
    )


def _plain_words(playbook: Playbook, lang: str) -> frozenset[str]:
    """Words that never say what a message is about: function words and vague nouns."""

    def build() -> frozenset[str]:
        spec = (playbook.get("languages") or {}).get(lang) or {}
        words: set[str] = set()
        for key in ("stopwords", "phrase_breaks", "vague", "possessives", "brand_possessives"):
            words |= {str(w).lower() for w in spec.get(key) or []}
        return frozenset(words)

    return _compiled(playbook, f"plain-words:{lang}", build)


def _faq_by_words(playbook: Playbook, lang: str, clean: str) -> tuple[str, str] | None:
    """An FAQ entry whose meaning-bearing words the question shares, spelling aside
    ("what hours are you opening" finds "opening hours"): every word of one of the entry's
    keyword sets, or of one of its phrases without the language's function words, must be
    in the question, matched by rapidfuzz's ratio so that small misspellings and endings
    still count."""
    sets = _faq_words(playbook, lang)
    if not sets:
        return None
    words = {w.lower() for w in _WORD.findall(clean)}
    if not words:
        return None
    # A keyword and the word that matches it share their first two letters, near enough
    # always: sets with a keyword no word of the question starts like are left out early.
    starts = {w[:2] for w in words}
    sets = [(key, needed) for key, needed in sets if all(w[:2] in starts for w in needed)]
    if not sets:
        return None
    from rapidfuzz import fuzz, process

    cutoff = float(_thresholds(playbook).get("faq_similarity", 85))
    best: tuple[float, str, str] | None = None
    for key, needed in sets:
        total = 0.0
        for word in needed:
            if word in words:
                total += 100.0
                continue
            hit = process.extractOne(word, words, scorer=fuzz.ratio, score_cutoff=cutoff)
            if hit is None:
                # A shared stem of five letters or more: "open" / "opening".
                stem = next((w for w in words if len(w) >= 4 and word.startswith(w)), None)
                if stem is None:
                    total = -1.0
                    break
                total += cutoff
            else:
                total += float(hit[1])
        if total < 0:
            continue
        score = total / len(needed)
        if best is None or score > best[0]:
            best = (score, key, " ".join(needed))
    return (best[1], best[2]) if best else None


def _faq_words(playbook: Playbook, lang: str) -> list[tuple[str, tuple[str, ...]]]:
    def build() -> list[tuple[str, tuple[str, ...]]]:
        spec = (playbook.get("languages") or {}).get(lang) or {}
        function = {str(w).lower() for w in spec.get("stopwords") or []}
        function |= {str(w).lower() for w in spec.get("phrase_breaks") or []}
        out: list[tuple[str, tuple[str, ...]]] = []
        for key, entry in (playbook.get("faq") or {}).items():
            keywords = phrases_for(entry.get("keywords"), lang)
            phrases = keywords or [
                p for p in phrases_for(entry.get("match"), lang) if not p.startswith("/")
            ]
            for phrase in phrases:
                words = tuple(
                    w.lower().rstrip("*")
                    for w in _WORD.findall(phrase)
                    if w.lower() not in function and len(w) > 2
                )
                if len(words) >= 2 or (words and keywords):
                    out.append((key, words))
        return out

    return _compiled(playbook, f"faq-words:{lang}", build)


register_compiled("analyze", export_state, import_state)
