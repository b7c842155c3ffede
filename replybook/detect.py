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
runs each candidate behind steps 1-3, and ``--tune`` searches its thresholds on the even
rows of the sets. The worst accuracy over the sets' even halves and their texts of five
words or fewer, each candidate at its best thresholds: py3langid 0.999;
lingua-language-detector 0.977 in its high-accuracy mode and 0.955 in its low-accuracy
mode (both call "Kus mu pakk on?" Finnish, and short English with no word the playbook
knows German, French or Spanish: "Galaxy S8 btw", "PAY ATTENTION TO ME"). py3langid
loads once a process, on its first uncertain text: about 1 s the first time (unpacking
its model), then 0.3-0.6 s from the part kept in replybook's cache folder, and 90 MB
(lingua: 280 MB and 3 s at its first texts in high-accuracy mode for the same ten
languages; 28 MB in low); it answers in 30-100 us a text and installs in 5 MB beside numpy
(lingua: 96 MB). What it
does that code of ours wouldn't: a character n-gram model of each language, trained on
real text, that tells Finnish from Estonian and Turkish typed in ASCII from everything
else without a word list of ours.

Everything built from the playbook is kept in the playbook's cache.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Any, NamedTuple

from .lexicon import lazy_pattern
from .playbook import register_compiled

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from .playbook import Playbook

__all__ = ["Detection", "detect"]


class Detection(NamedTuple):
    """A comment's language: ``lang`` (ISO 639-1, or None: nothing to go on), whether it
    is ``certain``, and ``how`` it was told: ``script``, ``letters``, ``words``,
    ``detector`` or ``none``. Immutable (a named tuple: a dataclass would cost start-up
    10 ms for the dataclasses module alone)."""

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

# Noise that says nothing of the language: links, @handles (and so e-mail addresses'
# domains), a retweet's "RT". Digits are never words. Hashtags (#NTVGenLaPlata2012,
# #mrrobot) are mostly names: Latin-script scores leave them out when the text has other
# words.
_NOISE = lazy_pattern(r"(?:https?://|www\.)\S*|@\w+|(?<!\w)RT(?!\w)", re.UNICODE)
_HASHTAG = lazy_pattern(r"#\w+", re.UNICODE)
_WORD = lazy_pattern(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
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
_BULGARIAN_YER = lazy_pattern(r"ъ(?=[бвгджзйклмнпрстфхцчшщ])|ѝ")
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


def detect(playbook: Playbook, text: str, *, guess: bool = True) -> Detection:
    """The language of ``text``: by script, then letters, then the playbook's words, and
    only then, for uncertain Latin-script text, the detector. With ``guess`` False (a
    reply the team wrote, where one of the playbook's languages is all it can be) the
    detector is never loaded: the language with most of the playbook's words wins, else
    the default."""
    if not text:
        return NOTHING
    if "@" in text or "/" in text or "RT" in text or "www" in text:
        text = _NOISE.sub(" ", text)
    if text.isascii():
        lowered = text.lower()
        words = _WORD.findall(_HASHTAG.sub(" ", lowered)) if "#" in text else None
        return _latin(playbook, text, words or _WORD.findall(lowered), plain=True, guess=guess)
    if "’" in text:  # a curly apostrophe is an apostrophe ("I’m")
        text = text.replace("’", "'")
    # Letters of each script beyond Latin, counted over the distinct characters.
    scripts: dict[str, int] = {}
    letters = 0
    for char, n in Counter(text).items():
        if char > "\u024f":
            script = _script_of(char)
            if script:
                scripts[script] = scripts.get(script, 0) + n
        elif char.isalpha():
            letters += n
    if scripts:
        found = _script(text, scripts, letters)
        if found is not None:
            return found
    lowered = _lower(text)
    words = _WORD.findall(lowered)
    # Latin script: its letters beyond ASCII, without the odd letter of another script
    # (a kaomoji's ω), and without hashtags when there is more.
    latin = [w for w in words if w.isascii() or _LATIN_LETTERS.fullmatch(w)]
    if "#" in text:
        latin = [w for w in _WORD.findall(_HASHTAG.sub(" ", lowered)) if w in latin] or latin
    return _latin(playbook, text, latin, plain=all(w.isascii() for w in latin))


# ---------------------------------------------------------------------------------------
# Scripts


def _script_of(char: str) -> str:
    found = _SCRIPT_OF.get(char)
    if found is None:
        code = ord(char)
        found = next((script for first, last, script in _RANGES if first <= code <= last), "")
        # One entry per distinct character seen beyond Latin.
        _SCRIPT_OF[char] = found
    return found


_SCRIPT_OF: dict[str, str] = {}


def _script(text: str, counts: dict[str, int], latin: int) -> Detection | None:
    """The language a script other than Latin says, from the letters of each script
    (``counts``) beside the Latin letters (``latin``)."""
    script, count = max(counts.items(), key=lambda kv: kv[1] * _DENSE.get(kv[0], 1))
    weight = count * _DENSE.get(script, 1)
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
        return _cyrillic(text)
    if script == "arabic":
        return _arabic(text)
    return Detection(script, True, "script")


def _cyrillic(text: str) -> Detection:
    lowered = text.lower()
    for lang, letters in _CYRILLIC_OWN:
        if any(c in lowered for c in letters):
            return Detection(lang, True, "script")
    russian = any(c in lowered for c in _RUSSIAN_OWN)
    if not russian and _BULGARIAN_YER.search(lowered):
        return Detection("bg", True, "script")
    certain = russian or len(_WORD.findall(lowered)) >= 3
    return Detection("ru", certain, "script")


def _arabic(text: str) -> Detection:
    for lang, letters in _ARABIC_SCRIPT_OWN:
        if any(c in text for c in letters):
            return Detection(lang, True, "script")
    if not any(c in text for c in _PERSIAN_OWN):
        words = _WORD.findall(text)
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

    __slots__ = ("default", "home", "langs", "index", "chars", "turkish", "detectable")

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
                for w in _WORD.findall(_lower(str(word))):
                    for form in {w, w.translate(_FOLD)}:
                        stops.setdefault(form, set()).add(index[str(lang)])
        for lang, found in _phrase_words(playbook.data, latin).items():
            if own.get(lang):
                found |= {w.translate(_FOLD) for w in found}
            for w in found:
                words.setdefault(w, set()).add(index[lang])
        for w, places in stops.items():
            words.setdefault(w, set()).update(places)
        # One look-up a word: (the default language's: 1 a word of it, 2 also a stopword,
        # 4 also of three letters or more; the other languages it is a word of, unless
        # the default has it: other languages' lists borrow "dm", "check-in" and "ok";
        # the other languages it is a stopword of).
        home = self.home
        # Packed in one int a word (the flags, then a bit per language for each list):
        # a playbook cache of plain ints loads several times faster than one of tuples.
        self.index: dict[str, int] = {}
        width = len(self.langs)
        for w, places in words.items():
            stop = stops.get(w, set())
            mine = home in places
            flags = mine | (home in stop) << 1 | (home in stop and len(w) > 2) << 2
            others = 0 if mine else sum(1 << n for n in places)
            self.index[w] = flags | others << 3 | sum(1 << n for n in stop - {home}) << (3 + width)
        self.turkish = "tr" in self.langs
        self.detectable = tuple(dict.fromkeys(x for x in (*self.langs, *DECOYS) if x in _LATIN))


# Letters beyond ASCII as they are typed without them.
_FOLD = str.maketrans(
    "äåáàâãāöóòôõøüúùûūıíìîïğşșšçćčéèêëēñńžż",
    "aaaaaaaoooooouuuuuiiiiigsssccceeeeennzz",
)


def _phrase_words(data: Any, langs: set[str]) -> dict[str, set[str]]:
    """Per language, every word of the playbook's phrase lists and texts kept under its
    code (``signals.complaint.en``, ``topics.delivery.match.fi``...), but raw /regex/
    phrases, {placeholders} and wildcard stems."""
    texts: dict[str, list[str]] = {lang: [] for lang in langs}

    def walk(node: Any, into: list[str] | None) -> None:
        if isinstance(node, str):
            if into is not None and not node.startswith("/"):
                into.append(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if into is None and key in texts:
                    walk(value, texts[key])
                elif into is not None or isinstance(value, (dict, list)):
                    walk(value, into)
        elif isinstance(node, list):
            for value in node:
                walk(value, into)

    walk(data, None)
    return {
        lang: set(_WORD.findall(_NOT_WORDS.sub(" ", _lower("\n".join(parts)).replace("’", "'"))))
        for lang, parts in texts.items()
    }


_NOT_WORDS = lazy_pattern(r"\{[^}]*\}|\S+\*")


def _lower(text: str) -> str:
    """Lowercase, with Turkish's İ as i (not i and a combining dot)."""
    return text.replace("İ", "i").lower() if "İ" in text else text.lower()


def _languages(playbook: Playbook) -> _Languages:
    cache = playbook._cache
    found = cache.get("detect:languages")
    if found is None:
        found = cache["detect:languages"] = _Languages(playbook)
    return found


def export_state(playbook: Playbook) -> dict[str, Any]:
    """What the Latin-script steps read, as plain data for the playbook cache: a one-shot
    command loads it instead of walking the playbook's phrase lists again."""
    state = _languages(playbook)
    return {name: getattr(state, name) for name in _Languages.__slots__}


def import_state(playbook: Playbook, state: dict[str, Any]) -> None:
    """Put what :func:`export_state` gave back into a playbook loaded from the cache."""
    restored = _Languages.__new__(_Languages)
    for name in _Languages.__slots__:
        setattr(restored, name, state[name])
    playbook._cache["detect:languages"] = restored


register_compiled("detect", export_state, import_state)


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
DETECTOR_MIN = 0.7
DETECTOR_RATIO = 4.0
# How much likelier each stopword of a language makes it, beside the detector's odds.
STOPWORD_BOOST = 1.0
WORD_BOOST = 0.5
# The detector's answer is certain at this probability.
DETECTOR_SURE = 0.9

_TURKISH_OWN = frozenset("ğşı")
# Latin letters (Basic Latin to Latin Extended-B, Latin Extended Additional) and the
# combining dot of a lowercased İ.
_LATIN_LETTERS = lazy_pattern(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff\u0307']+")
_MARKS = frozenset("\u0307")


def _latin(
    playbook: Playbook, text: str, words: list[str], *, plain: bool, guess: bool = True
) -> Detection:
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
    known = [0] * count  # the other languages' words
    stops = [0] * count  # the other languages' stopwords
    mine = home_stops = long_stops = 0  # the default language's words, stopwords, long ones
    get = langs.index.get
    for word in words:
        entry = get(word)
        if entry is None:
            continue
        flags = entry & 7
        if flags:
            mine += 1
            home_stops += flags >> 1 & 1
            long_stops += flags >> 2
        places = entry >> 3
        if places:
            for n in range(count):
                if places >> n & 1:
                    known[n] += 1
                if places >> (count + n) & 1:
                    stops[n] += 1
    others = max(known)
    size = len(words)
    if (
        plain
        and mine > others
        and (
            mine == size
            or (mine >= WORDS_MOST * size and size > 3)
            or long_stops
            and (mine >= WORDS_SHARE * size or home_stops >= 3 and mine >= WORDS_FEW * size)
        )
    ):
        return Detection(langs.default, True, "words")
    # Every word is a word of one other language's lists, and of no other language's
    # ("berbat", "Huono firma"): that language, whatever a character model says of so few
    # letters.
    if not alien and others == size and mine == 0 and known.count(others) == 1:
        return Detection(langs.langs[known.index(others)], size > 2, "words")
    if not guess:
        # Another language's stopwords count in full, its other listed words by half (a
        # name or initials, "Ana", "^MK", may be a word of its lists); a tie is the default's.
        scores = [0.5 * known[n] + stops[n] for n in range(count)]
        scores[langs.home] = max(scores[langs.home], float(mine))
        best = max(range(count), key=lambda n: (scores[n], n == langs.home))
        return Detection(langs.langs[best] if scores[best] else langs.default, False, "words")
    # Evidence of another language than the default: the detector chooses freely.
    evidence = alien or not plain or others > 0 or any(stops)
    ranked = _detector(langs.detectable)(" ".join(words))
    if not ranked:
        return Detection(langs.default, False, "none")
    # The playbook's stopwords of its other languages weigh in: each makes its language this
    # much likelier ("mi" and "artik" tip a Turkish text typed in ASCII over Estonian).
    # The default language's were weighed above.
    if any(stops) or others:
        ranked = dict(ranked)
        for n, hits in enumerate(stops):
            if hits and langs.langs[n] in ranked:
                ranked[langs.langs[n]] *= 1.0 + STOPWORD_BOOST * hits
        # So do the words of its phrase lists, less than its stopwords.
        for n, hits in enumerate(known):
            if hits and langs.langs[n] in ranked:
                ranked[langs.langs[n]] *= 1.0 + WORD_BOOST * hits
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
    """A function from text to each language's probability, over ``langs``.

    py3langid's model (97 languages, LZMA-compressed) takes about 1 s to unpack; the part
    for ``langs`` is kept uncompressed in replybook's cache folder, and later processes
    load that in a tenth of the time."""
    from py3langid.langid import LanguageIdentifier

    identifier = None
    cached = _model_file(langs)
    if cached is not None and cached.exists():
        try:
            identifier = _read_model(cached, LanguageIdentifier)
        except (OSError, ValueError, KeyError):
            identifier = None
    if identifier is None:
        from py3langid.langid import MODEL_FILE

        identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        identifier.set_languages([x for x in langs if x in identifier.nb_classes] or None)
        if cached is not None:
            _write_model(cached, identifier)

    def rank(text: str) -> dict[str, float]:
        return dict(identifier.rank(text))

    return rank


def _model_file(langs: tuple[str, ...]) -> Path | None:
    from importlib.metadata import version

    from .playbook import _cache_dir

    folder = _cache_dir()
    if folder is None:
        return None
    return folder / f"langid-{version('py3langid')}-{'-'.join(sorted(langs))}.npz"


def _read_model(path: Path, kind: Any) -> Any:
    import numpy as np
    from py3langid.modelio import _to_array

    with np.load(path, allow_pickle=False) as data:
        identifier = kind(
            data["ptc"],
            data["pc"],
            data["classes"].tolist(),
            _to_array(data["nextmove"]),
            data["output"].tolist(),
            norm_probs=True,
            tk_row=_to_array(data["row"]),
        )
    return identifier


def _write_model(path: Path, identifier: Any) -> None:
    """Keep the restricted model for the next process; a cache that can't be written is
    no error."""
    import os

    import numpy as np

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(f".{os.getpid()}.tmp.npz")
        np.savez(
            part,
            ptc=identifier.nb_ptc,
            pc=identifier.nb_pc,
            classes=np.array(identifier.nb_classes),
            nextmove=np.frombuffer(
                identifier.tk_nextmove, dtype=f"u{identifier.tk_nextmove.itemsize}"
            ),
            row=np.frombuffer(identifier.tk_row, dtype=f"u{identifier.tk_row.itemsize}"),
            output=np.asarray(identifier.tk_output, dtype=np.int32),
        )
        os.replace(part, path)
    except (OSError, ValueError):
        pass
