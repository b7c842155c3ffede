"""Which language a comment is written in, short comments too.

``detect(playbook, text)`` answers with a :class:`Detection`: the language (an ISO 639-1
code, or None when the text has no words: only emoji, handles or links), whether that is
certain, and how it was told. The language may be one the playbook doesn't serve (es,
de, et, ar, uk, ja...): such a comment goes to a person instead of being answered in
another language, so telling "not one of ours" matters as much as telling ours apart.

The steps, cheapest first:

1. ``script``: a script other than Latin decides alone. Cyrillic is Russian unless it has
   letters only Ukrainian, Belarusian, Bulgarian, Serbian, Macedonian or Kazakh use;
   Perso-Arabic is Persian unless it is clearly Arabic (none of Persian's پ چ ژ گ, and
   Arabic's own function words or letters) or Urdu, Pashto or Sorani by their letters;
   kana is Japanese, Hangul Korean, Han alone Chinese; Greek, Hebrew, Thai, Devanagari
   and the rest are their languages.
2. ``letters``: Turkish's own ğ ş ı İ, with no letter Turkish doesn't use.
3. ``words``: the playbook's words for each language it has (``languages.<code>``:
   ``stopwords`` above all, and every word of its phrase lists) when one language is
   clearly ahead. A plain-ASCII English comment ends here, and so does almost all of
   the traffic: the detector below is never imported for it.
4. ``detector``: what is left (Latin script with too little to go on, letters none of
   the playbook's languages use, Finnish beside Estonian, Turkish typed without its
   letters) goes to py3langid, restricted to the playbook's Latin-script languages and
   decoys: Estonian above all, and es, de, fr, pt, it, nl. With nothing but plain ASCII
   and no word of another language, English stays unless the detector is sure: "ok",
   "lol" and "hello?" are English, never a random language we don't serve.

Why py3langid (measured by ``bench/lang_detect.py`` on the eval sets and
bench/sets/detect-fi.jsonl; numbers in the commit that chose it): behind steps 1-3 it was
as accurate as lingua-language-detector's high-accuracy mode on every set, and more
accurate than lingua's low-accuracy mode on the short Finnish, Estonian and Turkish
texts that reach it; it loads in about 1 s and 120 MB once (lingua's high-accuracy
models: 3 s and 270 MB for the same ten languages), installs in 5 MB beside numpy (lingua:
96 MB), and answers in 30-100 us a text. What it does that code of ours wouldn't: a
character n-gram model of each language trained on real text, which tells Finnish from
Estonian and Turkish typed in ASCII from everything else, with no word list of ours.

Everything built from the playbook is kept in the playbook's cache.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from .playbook import Playbook

__all__ = ["Detection", "detect"]


@dataclass(frozen=True, slots=True)
class Detection:
    """A comment's language: ``lang`` (ISO 639-1, or None: nothing to go on), whether it
    is ``certain``, and ``how`` it was told: ``script``, ``letters``, ``words``,
    ``detector`` or ``none``."""

    lang: str | None
    certain: bool
    how: str


NOTHING = Detection(None, False, "none")

# Languages the detector may answer beside the playbook's own, so that a comment in one
# of them is called what it is instead of the closest of ours: Estonian (which shares
# Finnish's ä, ö and many of its short words) above all, then the unserved languages
# most often seen in brands' comments.
DECOYS = ("et", "es", "de", "fr", "pt", "it", "nl")

# Latin-script languages the detector is asked about (when the playbook has them).
_LATIN = frozenset(
    "en tr fi et es de fr pt it nl sv da no nb pl cs sk sl hr hu ro lt lv is ga cy ca eu gl"
    " id ms vi tl sw af sq az".split()
)

# Noise that says nothing of the language: links, e-mail addresses, @handles, a retweet's
# "RT", the # of a hashtag (its words stay), digits.
_NOISE = re.compile(
    r"(?:https?://|www\.)\S*|\S+@\S+\.\w+|@\w+|(?<!\w)RT(?!\w)|#|\d+", re.UNICODE
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
# A letter of any script but Latin (and the combining dot of a lowercased İ).
_OTHER = re.compile(
    r"[\u0370-\u03ff\u0400-\u052f\u0530-\u058f\u0590-\u05ff\u0600-\u06ff\u0750-\u077f"
    r"\u0900-\u0dff\u0e00-\u0eff\u1000-\u109f\u10a0-\u10ff\u1100-\u11ff\u1200-\u137f"
    r"\u1780-\u17ff\u1f00-\u1fff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf"
    r"\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ufb1d-\ufdff\ufe70-\ufeff\uff66-\uff9f]"
)

# Script ranges (first, last, script), in order: the first whose last is >= a letter's
# code point and whose first is <= it.
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0370, 0x03FF, "el"),
    (0x0400, 0x052F, "cyrillic"),
    (0x0530, 0x058F, "hy"),
    (0x0590, 0x05FF, "he"),
    (0x0600, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"),
    (0x0900, 0x097F, "hi"),
    (0x0980, 0x09FF, "bn"),
    (0x0A00, 0x0A7F, "pa"),
    (0x0A80, 0x0AFF, "gu"),
    (0x0B00, 0x0B7F, "or"),
    (0x0B80, 0x0BFF, "ta"),
    (0x0C00, 0x0C7F, "te"),
    (0x0C80, 0x0CFF, "kn"),
    (0x0D00, 0x0D7F, "ml"),
    (0x0D80, 0x0DFF, "si"),
    (0x0E00, 0x0E7F, "th"),
    (0x0E80, 0x0EFF, "lo"),
    (0x1000, 0x109F, "my"),
    (0x10A0, 0x10FF, "ka"),
    (0x1100, 0x11FF, "ko"),
    (0x1200, 0x137F, "am"),
    (0x1780, 0x17FF, "km"),
    (0x1F00, 0x1FFF, "el"),
    (0x3040, 0x30FF, "kana"),
    (0x3130, 0x318F, "ko"),
    (0x31F0, 0x31FF, "kana"),
    (0x3400, 0x4DBF, "han"),
    (0x4E00, 0x9FFF, "han"),
    (0xAC00, 0xD7AF, "ko"),
    (0xF900, 0xFAFF, "han"),
    (0xFB1D, 0xFB4F, "he"),
    (0xFB50, 0xFDFF, "arabic"),
    (0xFE70, 0xFEFF, "arabic"),
    (0xFF66, 0xFF9F, "kana"),
)

# Cyrillic letters that Russian doesn't use, by the language that does.
_CYRILLIC_OWN = (
    ("mk", "ѓќѕ"),
    ("sr", "ђћџјљњ"),
    ("be", "ў"),
    ("uk", "єїґі"),
    ("kk", "әғқңұһ"),
    ("mn", "өү"),
)
# Bulgarian's ъ is a vowel anywhere; Russian's only comes before е, ё, ю, я.
_BULGARIAN_YER = re.compile(r"ъ(?![еёюя])|ѝ")
# Russian's own letters, which Ukrainian, Belarusian and Bulgarian don't use.
_RUSSIAN_OWN = frozenset("ыэё")

# Arabic-script letters of other languages than Persian and Arabic.
_ARABIC_SCRIPT_OWN = (
    ("ur", "ٹڈڑںےۓ"),
    ("ps", "ټډړږښځڅۍې"),
    ("ckb", "ڕڵۆێە"),
)
_PERSIAN_OWN = frozenset("پچژگ")
# Arabic's own letter forms (Persian writes ی and ک), and its commonest function words
# that are no Persian word: the script rule's only words.
_ARABIC_OWN = frozenset("ةىيك")
_ARABIC_WORDS = frozenset(
    "في على إلى الى عن هذا هذه ذلك تلك التي الذي الذين أن إن لا لم لن هل كان كانت قد مع"
    " عند ليس يا أو ثم حتى كل انا أنا انت أنت نحن هو هي شكرا شكراً مرحبا لماذا ماذا كيف"
    " متى أين".split()
)

# Scripts that write a word in few letters: one of them counts as this many letters
# beside Latin ones.
_DENSE = {"han": 3, "kana": 2, "ko": 2}


def detect(playbook: Playbook, text: str) -> Detection:
    """The language of ``text``: by script, then letters, then the playbook's words, and
    only then, for uncertain Latin-script text, the detector."""
    if not text:
        return NOTHING
    if text.isascii():
        if "@" in text or "/" in text or "#" in text or "RT" in text or "www" in text:
            text = _NOISE.sub(" ", text)
        words = _WORD.findall(text.lower())
        if not words:
            return NOTHING
        return _latin(playbook, text, words, plain=True)
    clean = _NOISE.sub(" ", text)
    words = _WORD.findall(clean.lower())
    if not words:
        return NOTHING
    others = _OTHER.findall(clean)
    if others:
        found = _script(clean, others, words)
        if found is not None:
            return found
    # Latin letters beyond ASCII only count when they are letters (not curly quotes,
    # dashes or emoji).
    plain = all(w.isascii() for w in words)
    return _latin(playbook, clean, words, plain=plain)


# ---------------------------------------------------------------------------------------
# Scripts


def _script_of(char: str) -> str:
    code = ord(char)
    for first, last, script in _RANGES:
        if code <= last:
            return script if code >= first else ""
    return ""


def _script(text: str, others: list[str], words: list[str]) -> Detection | None:
    counts: dict[str, int] = {}
    for char in others:
        script = _script_of(char)
        if script:
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    script, count = max(counts.items(), key=lambda kv: kv[1] * _DENSE.get(kv[0], 1))
    weight = count * _DENSE.get(script, 1)
    latin = sum(len(w) for w in words if w.isascii())
    # Kaomoji and symbols borrow a letter or two from other scripts (ツ, ω, д): a script
    # decides when it is a word's worth and not a sliver beside Latin text.
    if weight < 2 or (weight < 6 and weight * 3 < latin):
        return None
    if script in ("kana", "han", "ko"):
        if "kana" in counts:
            return Detection("ja", True, "script")
        if "ko" in counts:
            return Detection("ko", True, "script")
        return Detection("zh", True, "script")
    if script == "cyrillic":
        return _cyrillic(text, words)
    if script == "arabic":
        return _arabic(text, words)
    return Detection(script, True, "script")


def _cyrillic(text: str, words: list[str]) -> Detection:
    lowered = text.lower()
    for lang, letters in _CYRILLIC_OWN:
        if any(c in lowered for c in letters):
            return Detection(lang, True, "script")
    if _BULGARIAN_YER.search(lowered):
        return Detection("bg", True, "script")
    certain = len(words) >= 3 or any(c in lowered for c in _RUSSIAN_OWN)
    return Detection("ru", certain, "script")


def _arabic(text: str, words: list[str]) -> Detection:
    for lang, letters in _ARABIC_SCRIPT_OWN:
        if any(c in text for c in letters):
            return Detection(lang, True, "script")
    if not any(c in text for c in _PERSIAN_OWN):
        arabic = sum(1 for w in words if w in _ARABIC_WORDS)
        arabic += any(c in text for c in _ARABIC_OWN)
        if arabic >= 2 or (arabic and len(words) <= 3):
            return Detection("ar", True, "script")
        return Detection("fa", len(words) >= 3, "script")
    return Detection("fa", True, "script")


# ---------------------------------------------------------------------------------------
# Latin script: letters, words, the detector


class _Languages:
    """What the Latin-script steps read from a playbook, built once per playbook."""

    __slots__ = ("default", "langs", "words", "stops", "own", "chars", "turkish", "detectable")

    def __init__(self, playbook: Playbook) -> None:
        spec = playbook.get("languages") or {}
        self.default = str(playbook.get("language") or "en")
        langs = [str(x) for x in spec]
        for extra in (self.default, *(playbook.get("serves") or ())):
            if str(extra) not in langs:
                langs.append(str(extra))
        self.langs = tuple(langs)
        index = {lang: n for n, lang in enumerate(self.langs)}
        # Per word, the places (in langs) of the languages it is a word of, and of those
        # it is a stopword of: one look-up a word.
        words: dict[str, set[int]] = {}
        stops: dict[str, set[int]] = {}
        for lang, entry in spec.items():
            for word in (entry or {}).get("stopwords") or ():
                for w in _WORD.findall(str(word).lower()):
                    stops.setdefault(w, set()).add(index[str(lang)])
        for lang, w in _phrase_words(playbook.data, set(self.langs)):
            words.setdefault(w, set()).add(index[lang])
        for w, places in stops.items():
            words.setdefault(w, set()).update(places)
        self.words = {w: tuple(sorted(p)) for w, p in words.items()}
        self.stops = {w: tuple(sorted(p)) for w, p in stops.items()}
        # Letters beyond ASCII that each language uses.
        self.own = {str(lang): set(str((e or {}).get("chars") or "")) for lang, e in spec.items()}
        self.chars = set().union(*self.own.values()) if self.own else set()
        # Turkish's own letters, when the playbook has Turkish.
        self.turkish = "tr" in self.langs
        self.detectable = tuple(
            dict.fromkeys(x for x in (*self.langs, *DECOYS) if x in _LATIN)
        )


def _phrase_words(data: Any, langs: set[str]) -> list[tuple[str, str]]:
    """Every (language, word) of the playbook's phrase lists and texts kept under a
    language's code (``signals.complaint.en``, ``topics.delivery.match.fi``...)."""
    out: list[tuple[str, str]] = []

    def strings(node: Any) -> list[str]:
        if isinstance(node, str):
            return [node]
        if isinstance(node, dict):
            return [s for v in node.values() for s in strings(v)]
        if isinstance(node, list):
            return [s for v in node for s in strings(v)]
        return []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str) and key in langs:
                    for s in strings(value):
                        if s.startswith("/"):  # a raw /regex/ phrase
                            continue
                        s = re.sub(r"\{[^}]*\}|\S+\*", " ", s)
                        out.extend((key, w) for w in _WORD.findall(s.lower()))
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    return out


def _languages(playbook: Playbook) -> _Languages:
    cache = playbook._cache
    found = cache.get("detect:languages")
    if found is None:
        found = cache["detect:languages"] = _Languages(playbook)
    return found  # type: ignore[no-any-return]


# A language's words are "clearly ahead" when they are at least this share of the words
# and ahead of every other language's by at least this many.
WORDS_SHARE = 0.5
WORDS_LEAD = 1
# With plain ASCII and no word of another language, the detector's answer replaces the
# default language only when it is at least this sure.
DETECTOR_SURE = 0.9


def _latin(playbook: Playbook, text: str, words: list[str], *, plain: bool) -> Detection:
    langs = _languages(playbook)
    alien = False
    if not plain:
        letters = {c for w in words if not w.isascii() for c in w if not c.isascii()}
        alien = bool(letters - langs.chars - {"\u0307"})
        if langs.turkish and not alien and (letters & _TURKISH_OWN or "İ" in text):
            return Detection("tr", True, "letters")
    known = [0] * len(langs.langs)
    stops = [0] * len(langs.langs)
    for word in words:
        for n in langs.words.get(word, ()):
            known[n] += 1
        for n in langs.stops.get(word, ()):
            stops[n] += 1
    best = max(range(len(known)), key=lambda n: (known[n], stops[n])) if known else -1
    if best >= 0 and known[best]:
        lead = known[best] - max((k for n, k in enumerate(known) if n != best), default=0)
        lang = langs.langs[best]
        if (
            lang == langs.default
            and plain
            and stops[best]
            and lead >= WORDS_LEAD
            and known[best] >= WORDS_SHARE * len(words)
        ):
            return Detection(lang, True, "words")
    # Any evidence for a language other than the default: the detector decides freely.
    other = alien or not plain or any(
        k for n, k in enumerate(known) if langs.langs[n] != langs.default
    )
    ranked = _detector(langs.detectable)(" ".join(words))
    if not ranked:
        return Detection(langs.default, False, "none")
    top, score = ranked[0]
    if top != langs.default and not other and score < DETECTOR_SURE:
        return Detection(langs.default, False, "detector")
    return Detection(top, score >= DETECTOR_SURE, "detector")


_TURKISH_OWN = frozenset("ğşı")

# ---------------------------------------------------------------------------------------
# The detector: imported on first use only.

_DETECTORS: dict[tuple[str, ...], Callable[[str], Sequence[tuple[str, float]]]] = {}


def _detector(langs: tuple[str, ...]) -> Callable[[str], Sequence[tuple[str, float]]]:
    found = _DETECTORS.get(langs)
    if found is None:
        found = _DETECTORS[langs] = _load_detector(langs)
    return found


def _load_detector(langs: tuple[str, ...]) -> Callable[[str], Sequence[tuple[str, float]]]:
    """A function from text to (language, probability) best first, over ``langs``."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([x for x in langs if x in identifier.nb_classes] or None)

    def rank(text: str) -> Sequence[tuple[str, float]]:
        return identifier.rank(text)[:2]  # type: ignore[no-any-return]

    return rank
