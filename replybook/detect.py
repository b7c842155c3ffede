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
3. ``words``: the playbook's words for its Latin-script languages (``stopwords`` in
   ``languages.<code>``, and every word of the phrase lists kept under the language's
   code), also typed without the language's own letters ("cok" for "çok"), when the
   default language's are clearly ahead. A plain-ASCII English comment ends here ("ok",
   "lol" and "hello?" too), and so does almost all of the traffic: the detector below is
   not even imported for it.
4. ``detector``: what is left (Latin script with too little to go on, letters none of
   the playbook's languages use, Finnish beside Estonian, Turkish typed without its
   letters) goes to py3langid, restricted to the playbook's Latin-script languages and
   decoys: Estonian above all, and es, de, fr, pt, it, nl. Each of a language's
   stopwords found makes it likelier. Plain ASCII with no word of another language stays
   in the default language unless the detector's choice is both likely and far likelier
   than the default: a short English text with no signal is never called a random
   language we don't serve.

Why py3langid: ``python bench/lang_detect.py --detector py3langid|lingua|lingua-low``
runs each candidate behind steps 1-3, with its thresholds tuned on the even rows of the
sets. The worst accuracy over the sets' even halves and their texts of five words or
fewer: py3langid 0.995; lingua-language-detector 0.955 in its high-accuracy mode and in
its low-accuracy mode (both call "Kus mu pakk on?" Finnish and miss short Turkish typed in
ASCII; low accuracy also calls short English texts Estonian or German). py3langid loads
in about 1 s and 115 MB, once, on the first uncertain text (lingua: 3 s and 280 MB in
high-accuracy mode for the same ten languages, 0.25 s and 25 MB in low), answers in
30-100 us a text, and installs in 5 MB beside numpy (lingua: 96 MB). What it does that
code of ours wouldn't: a character n-gram model of each language, trained on real text,
that tells Finnish from Estonian and Turkish typed in ASCII from everything else without
a word list of ours.

Everything built from the playbook is kept in the playbook's cache.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

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
    {
        "en",
        "tr",
        "fi",
        "et",
        "es",
        "de",
        "fr",
        "pt",
        "it",
        "nl",
        "sv",
        "da",
        "no",
        "nb",
        "pl",
        "cs",
        "sk",
        "sl",
        "hr",
        "hu",
        "ro",
        "lt",
        "lv",
        "is",
        "ga",
        "cy",
        "ca",
        "eu",
        "gl",
        "id",
        "ms",
        "vi",
        "tl",
        "sw",
        "af",
        "sq",
        "az",
    }
)

# Noise that says nothing of the language: links, e-mail addresses, @handles, a retweet's
# "RT", digits. Hashtags (#NTVGenLaPlata2012, #mrrobot) are mostly names: Latin-script
# scores leave them out when the text has other words.
_NOISE = re.compile(r"(?:https?://|www\.)\S*|\S+@\S+\.\w+|@\w+|(?<!\w)RT(?!\w)|\d+", re.UNICODE)
_HASHTAG = re.compile(r"#\w+", re.UNICODE)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
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
_BULGARIAN_YER = re.compile(r"ъ(?=[бвгджзйклмнпрстфхцчшщ])|ѝ")
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
    {
        "في",
        "على",
        "إلى",
        "الى",
        "عن",
        "هذا",
        "هذه",
        "ذلك",
        "تلك",
        "التي",
        "الذي",
        "الذين",
        "أن",
        "إن",
        "لا",
        "لم",
        "لن",
        "هل",
        "كان",
        "كانت",
        "قد",
        "مع",
        "عند",
        "ليس",
        "يا",
        "أو",
        "ثم",
        "حتى",
        "كل",
        "انا",
        "أنا",
        "انت",
        "أنت",
        "نحن",
        "هو",
        "هي",
        "شكرا",
        "شكراً",
        "مرحبا",
        "لماذا",
        "ماذا",
        "كيف",
        "متى",
        "أين",
    }
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
        if "@" in text or "/" in text or "RT" in text or "www" in text:
            text = _NOISE.sub(" ", text)
        lowered = text.lower()
        words = _WORD.findall(_HASHTAG.sub(" ", lowered)) if "#" in text else None
        return _latin(playbook, text, words or _WORD.findall(lowered), plain=True)
    # A curly apostrophe is an apostrophe ("I’m").
    clean = _NOISE.sub(" ", text.replace("’", "'") if "’" in text else text)
    lowered = clean.lower()
    words = _WORD.findall(lowered)
    if not words:
        return NOTHING
    others = _OTHER.findall(clean)
    if others:
        found = _script(clean, others, words)
        if found is not None:
            return found
    # Latin script: its letters beyond ASCII, without the odd letter of another script
    # (a kaomoji's ω), and without hashtags when there is more.
    latin = [w for w in words if w.isascii() or _LATIN_LETTERS.fullmatch(w)]
    if "#" in clean:
        latin = [w for w in _WORD.findall(_HASHTAG.sub(" ", lowered)) if w in latin] or latin
    return _latin(playbook, clean, latin, plain=all(w.isascii() for w in latin))


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
    # Kaomoji and symbols borrow a letter from other scripts (ツ, ω, д): a script decides
    # with two letters or more (one Han or Hangul syllable alone is a word), and beside
    # Latin text only when it is not a sliver of it.
    if count < 2 and (latin or script not in ("han", "ko")):
        return None
    if latin and weight < 6 and weight * 3 < latin:
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
    russian = any(c in lowered for c in _RUSSIAN_OWN)
    if not russian and _BULGARIAN_YER.search(lowered):
        return Detection("bg", True, "script")
    certain = russian or len(words) >= 3
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

    __slots__ = ("default", "home", "langs", "words", "stops", "chars", "turkish", "detectable")

    def __init__(self, playbook: Playbook) -> None:
        spec = playbook.get("languages") or {}
        self.default = str(playbook.get("language") or "en")
        langs = [str(x) for x in spec]
        for extra in (self.default, *(playbook.get("serves") or ())):
            if str(extra) not in langs:
                langs.append(str(extra))
        self.langs = tuple(langs)
        self.home = self.langs.index(self.default)
        index = {lang: n for n, lang in enumerate(self.langs)}
        # Letters beyond ASCII that the languages use. A language whose letters are of
        # another script (Russian, Persian) never competes in Latin text: the Latin words
        # in its lists ("lol", "ok") are borrowed.
        own = {str(lang): str((e or {}).get("chars") or "") for lang, e in spec.items()}
        latin = {lang for lang in self.langs if _LATIN_LETTERS.fullmatch(own.get(lang) or "a")}
        self.chars = set("".join(own[lang] for lang in own if lang in latin))
        # Per word, the places (in langs) of the languages it is a word of, and of those it
        # is a stopword of: one look-up a word. A language's words count typed without
        # its own letters too ("cok" for "çok", "missa" for "missä").
        words: dict[str, set[int]] = {}
        stops: dict[str, set[int]] = {}
        for lang, entry in spec.items():
            if str(lang) not in latin:
                continue
            for word in (entry or {}).get("stopwords") or ():
                for w in _WORD.findall(str(word).lower()):
                    for form in {w, w.translate(_FOLD)}:
                        stops.setdefault(form, set()).add(index[str(lang)])
        for lang, w in _phrase_words(playbook.data, latin):
            for form in {w, w.translate(_FOLD)}:
                words.setdefault(form, set()).add(index[lang])
        for w, places in stops.items():
            words.setdefault(w, set()).update(places)
        self.words = {w: tuple(sorted(p)) for w, p in words.items()}
        self.stops = {w: tuple(sorted(p)) for w, p in stops.items()}
        self.turkish = "tr" in self.langs
        self.detectable = tuple(dict.fromkeys(x for x in (*self.langs, *DECOYS) if x in _LATIN))


# Letters beyond ASCII as they are typed without them.
_FOLD = str.maketrans(
    "äåáàâãāöóòôõøüúùûūıíìîïğşșšçćčéèêëēñńžż",
    "aaaaaaaoooooouuuuuiiiiigsssccceeeeennzz",
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
                        s = re.sub(r"\{[^}]*\}|\S+\*", " ", s.replace("’", "'"))
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
    return found


# The default language's words are "clearly ahead" when they are ahead of every other
# language's and all of the words ("Yes.", "Replied via DM"), or most of four words or
# more, or hold a stopword of three letters or more ("the", not "a" or "no", which other
# languages write too) and are a good share of the words, or a smaller share with three
# stopwords or more.
WORDS_MOST = 0.6
WORDS_SHARE = 0.4
WORDS_FEW = 0.25
# Plain ASCII with no word of any other language stays in the default language unless the
# detector's choice is at least this likely and this many times likelier than the default.
DETECTOR_MIN = 0.4
DETECTOR_RATIO = 4.0
# How much likelier each stopword of a language makes it, beside the detector's odds.
STOPWORD_BOOST = 1.0
# The detector's answer is certain at this probability.
DETECTOR_SURE = 0.9

_TURKISH_OWN = frozenset("ğşı")
# Latin letters (Basic Latin to Latin Extended-B, Latin Extended Additional) and the
# combining dot of a lowercased İ.
_LATIN_LETTERS = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff\u0307']+")
_MARKS = frozenset("\u0307")


def _latin(playbook: Playbook, text: str, words: list[str], *, plain: bool) -> Detection:
    if not words:
        return NOTHING
    langs = _languages(playbook)
    alien = False
    if not plain:
        letters = {c for w in words if not w.isascii() for c in w if not c.isascii()}
        alien = bool(letters - langs.chars - _MARKS)
        if langs.turkish and not alien and (letters & _TURKISH_OWN or "İ" in text):
            return Detection("tr", True, "letters")
    count = len(langs.langs)
    known = [0] * count
    stops = [0] * count
    long_stops = 0  # the default language's stopwords of three letters or more
    home = langs.home
    for word in words:
        for n in langs.words.get(word, ()):
            known[n] += 1
        for n in langs.stops.get(word, ()):
            stops[n] += 1
            if n == home and len(word) > 2:
                long_stops += 1
    others = max((k for n, k in enumerate(known) if n != home), default=0)
    mine = known[home]
    size = len(words)
    if (
        plain
        and mine > others
        and (
            mine == size
            or (mine >= WORDS_MOST * size and size > 3)
            or long_stops
            and (mine >= WORDS_SHARE * size or stops[home] >= 3 and mine >= WORDS_FEW * size)
        )
    ):
        return Detection(langs.default, True, "words")
    # Evidence of another language than the default: the detector chooses freely.
    evidence = alien or not plain or others > 0
    ranked = _detector(langs.detectable)(" ".join(words))
    if not ranked:
        return Detection(langs.default, False, "none")
    # The playbook's stopwords found weigh in: each makes its language this much likelier
    # ("mi" and "artik" tip a Turkish text typed in ASCII over Estonian).
    if any(stops):
        ranked = dict(ranked)
        for n, hits in enumerate(stops):
            if hits and langs.langs[n] in ranked:
                ranked[langs.langs[n]] *= 1.0 + STOPWORD_BOOST * hits
        total = sum(ranked.values()) or 1.0
        ranked = {lang: p / total for lang, p in ranked.items()}
    top = max(ranked, key=ranked.__getitem__)
    p = ranked[top]
    if (
        top != langs.default
        and not evidence
        and (p < DETECTOR_MIN or p < DETECTOR_RATIO * ranked.get(langs.default, 0.0))
    ):
        return Detection(langs.default, False, "detector")
    return Detection(top, p >= DETECTOR_SURE, "detector")


# ---------------------------------------------------------------------------------------
# The detector: imported on first use only.

_DETECTORS: dict[tuple[str, ...], Callable[[str], dict[str, float]]] = {}


def _detector(langs: tuple[str, ...]) -> Callable[[str], dict[str, float]]:
    found = _DETECTORS.get(langs)
    if found is None:
        found = _DETECTORS[langs] = _load_detector(langs)
    return found


def _load_detector(langs: tuple[str, ...]) -> Callable[[str], dict[str, float]]:
    """A function from text to each language's probability, over ``langs``."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([x for x in langs if x in identifier.nb_classes] or None)

    def rank(text: str) -> dict[str, float]:
        return dict(identifier.rank(text))

    return rank
