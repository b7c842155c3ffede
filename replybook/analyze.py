"""Comment -> Analysis: language, intent, abuse, topic, triggers (pure).

Everything the analysis knows about words comes from the playbook (``signals``, ``topics``,
``escalation.triggers``, ``cannot_grant``, ``faq``, ``languages``); this module only
decides how the scores combine.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, NamedTuple

from .lexicon import Match, PhraseIndex
from .playbook import Playbook, phrases_for

_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<!\w)@\w+")
# "#NotHappy" reads as "Not Happy": hashtags carry much of a comment's tone.
_HASHTAG = re.compile(r"(?<![\w#])#([^\W\d_]\w*)")
# Compiled on first use (re caches it): most comments have no hashtag.
_CAMEL = r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])"
_APOSTROPHE = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_DIGIT = re.compile(r"\d")
_PII = {
    "email": re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b"),
    "phone": re.compile(r"(?<!\w)\+?\d[\d\s().-]{7,}\d(?!\w)"),
    "card": re.compile(r"\b(?:\d[ -]?){13,19}\b"),
}


class Analysis(NamedTuple):
    """What a comment is: the input to drafting and to comment-aware lint rules."""

    text: str
    language: str
    intent: str
    abusive: bool
    rude: bool
    topic: str | None
    term: str | None
    key_phrase: str | None
    escalation: str | None
    refusal: str | None
    faq: str | None
    turnaround: bool
    scores: dict[str, float]
    pii: tuple[str, ...]
    matches: dict[str, tuple[str, ...]]

    @property
    def specific(self) -> bool:
        """Does the comment name a specific problem?"""
        return bool(self.topic or self.key_phrase or self.escalation or self.refusal)


def _compiled(playbook: Playbook, key: str, build: Any) -> Any:
    cache = playbook._cache
    if key not in cache:
        cache[key] = build()
    return cache[key]


_KINDS = ("complaint", "praise", "question", "joke", "abuse", "rude", "turnaround")
_SECTIONS = ("topics", "escalation", "cannot_grant", "faq")


class _Lexicon:
    """Every phrase list the analysis reads, for one language, in one index: a comment is
    walked once for all of them.

    Signals: each kind's plain phrases form one list with a weight per phrase, so a phrase
    counts once and the longest phrase at a place wins ("not working" is not also "not");
    raw /regex/ phrases keep a list per weight.
    """

    def __init__(self, playbook: Playbook, lang: str) -> None:
        self.index = PhraseIndex()
        self.weights: dict[str, dict[str, float]] = {}
        for kind in _KINDS:
            groups = ((playbook.get("signals") or {}).get(kind) or {}).get(lang) or {}
            weights: dict[str, float] = {}
            for weight, phrases in groups.items():
                for phrase in phrases:
                    phrase = phrase.strip()
                    if len(phrase) >= 2 and phrase[0] == phrase[-1] == "/":
                        self.index.add(("raw", kind, float(weight)), [phrase])
                    elif phrase:
                        weights.setdefault(phrase, float(weight))
            self.index.add(("signal", kind), weights)
            self.weights[kind] = weights
        self.raw_keys = _raw_keys(self.index)
        for section in _SECTIONS:
            if section == "escalation":
                entries = ((playbook.get("escalation") or {}).get("triggers") or {}).items()
            else:
                entries = (
                    (key, value.get("match"))
                    for key, value in (playbook.get(section) or {}).items()
                )
            for key, match in entries:
                self.index.add((section, key), phrases_for(match, lang))


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
        lexicon.raw_keys = _raw_keys(lexicon.index)
        playbook._cache[key] = lexicon


def _lexicon(playbook: Playbook, lang: str) -> _Lexicon:
    return _compiled(playbook, f"lexicon:{lang}", lambda: _Lexicon(playbook, lang))


def _score(
    lexicon: _Lexicon, found: dict[Any, list[Match]], kind: str
) -> tuple[float, tuple[str, ...]]:
    """Sum of weights of the distinct phrases of one signal kind found in a comment."""
    plain = found.get(("signal", kind))
    raw = [key for key in lexicon.raw_keys.get(kind, ()) if key in found]
    if not plain and not raw:
        return 0.0, ()
    weights = lexicon.weights[kind]
    seen: dict[str, float] = {}
    for m in plain or ():
        seen.setdefault(m.group(0).lower(), weights[m.phrase])
    total = sum(seen.values())
    hits = [text for text, weight in seen.items() if weight > 0]
    for key in raw:
        matches = found[key]
        if matches:
            distinct = {m.group(0).lower() for m in matches}
            total += key[2] * len(distinct)
            if key[2] > 0:
                hits.extend(distinct)
    return total, tuple(sorted(hits))


def _first_match(found: dict[Any, list[Match]], section: str) -> tuple[str, str] | None:
    """The entry whose phrases occur most often (ties: earliest in the text)."""
    best: tuple[int, int, str, str] | None = None
    for key, matches in found.items():
        if key[0] != section or not matches:
            continue
        rank = (-len(matches), matches[0].start(), key[1], matches[0].group(0))
        if best is None or rank < best:
            best = rank
    if best is None:
        return None
    return best[2], re.sub(r"\s+", " ", best[3].lower()).strip()


def detect_language(playbook: Playbook, text: str) -> str:
    """The most likely of the playbook's languages, by script, letters and stopwords."""
    default = str(playbook.get("language") or "en")
    plain = text.isascii()  # no other script, and none of the languages' own letters
    if not plain and _CYRILLIC.search(text):
        return "ru"
    if not plain and _ARABIC.search(text):
        return "fa"
    lowered = text.lower()
    words = Counter(_WORD.findall(lowered))
    if not words:
        return default
    sets, ascii_letters = _language_sets(playbook)
    # Counting letters only matters where a language's own letters may be in the text.
    if plain and not ascii_letters:
        letters: Counter[str] = Counter()
    else:
        letters = Counter(lowered)
    best, best_score = default, 0.0
    for lang, stop, chars in sets:
        value = sum(words[w] for w in stop.intersection(words))
        if letters:
            value += 2 * sum(letters[c] for c in chars.intersection(letters))
        if value > best_score:
            best, best_score = lang, value
    return best


_LanguageSets = tuple[list[tuple[str, set[str], set[str]]], bool]


def _language_sets(playbook: Playbook) -> _LanguageSets:
    """Per language its stopwords and own letters; and whether any own letter is ASCII."""

    def build() -> _LanguageSets:
        out = []
        for lang, spec in (playbook.get("languages") or {}).items():
            stop = {str(w).lower() for w in spec.get("stopwords") or []}
            out.append((lang, stop, set(spec.get("chars") or "")))
        return out, any(c.isascii() for _, _, chars in out for c in chars)

    return _compiled(playbook, "languages", build)


class _Own(NamedTuple):
    """How one language names the customer's own thing ("my bag", "our order"), from the
    playbook's ``languages:`` section."""

    regex: re.Pattern[str] | None
    breaks: frozenset[str]
    describing: re.Pattern[str] | None
    vague: frozenset[str]


def _own(playbook: Playbook, lang: str) -> _Own:
    def build() -> _Own:
        spec = (playbook.get("languages") or {}).get(lang) or {}
        words = [re.escape(str(w)) for w in spec.get("possessives") or []]
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

    return _compiled(playbook, f"own:{lang}", build)


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
    text = _URL.sub(" ", text)
    text = _MENTION.sub(" ", text)
    text = _HASHTAG.sub(lambda m: re.sub(_CAMEL, " ", m.group(1)), text)
    return text.translate(_APOSTROPHE)


def analyze(text: str, playbook: Playbook | None = None) -> Analysis:
    """Read a comment: language, intent, abuse, topic, escalation trigger, refusal, FAQ."""
    if playbook is None:
        from .playbook import load_playbook

        playbook = load_playbook("default")
    clean = _clean(text)
    lang = detect_language(playbook, clean)
    thresholds = {k: float(v) for k, v in (playbook.get("thresholds") or {}).items()}

    def over(kind: str, value: float) -> bool:
        return value >= thresholds.get(kind, 1.0)

    lexicon = _lexicon(playbook, lang)
    found = lexicon.index.search_all(clean)
    scores: dict[str, float] = {}
    matches: dict[str, tuple[str, ...]] = {}
    for kind in _KINDS:
        scores[kind], matches[kind] = _score(lexicon, found, kind)

    topic_hit = _first_match(found, "topics")
    escalation_hit = _first_match(found, "escalation")
    refusal_hit = _first_match(found, "cannot_grant")
    faq_hit = _first_match(found, "faq")
    topic, term = topic_hit if topic_hit else (None, None)
    key_phrase = _key_phrase(clean, _own(playbook, lang))
    # Naming something the brand sells or runs ("my order", "the app") makes a gripe a
    # complaint rather than a passing remark; the playbook says how much.
    if topic_hit:
        scores["complaint"] += thresholds.get("complaint_topic", 0.0)
    if key_phrase:
        scores["complaint"] += thresholds.get("complaint_possessive", 0.0)

    abusive = over("abuse", scores["abuse"])
    rude = abusive or over("rude", scores["rude"])
    complaint = over("complaint", scores["complaint"]) or refusal_hit is not None
    joke = over("joke", scores["joke"]) and not complaint
    # A laugh outweighs a "love" said in the same breath: that is banter, not a review.
    praise = (
        over("praise", scores["praise"])
        and scores["praise"] > scores["complaint"]
        and not (joke and scores["joke"] >= scores["praise"])
    )
    # A complaint that piles up problem words is specific even without a known topic.
    specific = bool(
        topic
        or escalation_hit
        or refusal_hit
        or (complaint and key_phrase)
        or over("specific", scores["complaint"])
    )

    asks_faq = faq_hit is not None and over("question", scores["question"])
    if rude and not specific and not praise:
        intent = "troll"
    elif asks_faq and not over("specific", scores["complaint"]):
        # A question the FAQ answers is a question, unless it is also a loud complaint.
        intent = "question"
    elif complaint and not praise:
        intent = "complaint"
    elif praise:
        intent = "praise"
    elif joke:
        intent = "joke"
    elif over("question", scores["question"]):
        intent = "question"
    elif escalation_hit:
        intent = "complaint"
    else:
        intent = "other"

    turnaround = intent == "praise" and over("turnaround", scores["turnaround"])
    digits = _DIGIT.search(text) is not None  # a phone or card number needs some
    pii = tuple(
        kind
        for kind, pattern in _PII.items()
        if (kind == "email" or digits) and pattern.search(text)
    )
    return Analysis(
        text=text,
        language=lang,
        intent=intent,
        abusive=abusive,
        rude=rude,
        topic=topic,
        term=term,
        key_phrase=key_phrase,
        escalation=escalation_hit[0] if escalation_hit else None,
        refusal=refusal_hit[0] if refusal_hit else None,
        faq=faq_hit[0] if faq_hit and intent in ("question", "other") else None,
        turnaround=turnaround,
        scores=scores,
        pii=pii,
        matches=matches,
    )
