"""Naming the customer's problem in a reply: cleanly, or not at all (pure).

"I'm sorry about your order" reads as written by a person; "sorry about your bad" or a
swear word quoted back reads worse than a reply that names nothing. So a name comes from
one of two places and must pass every check, else the reply uses its neutral wording:

1. the customer's own noun phrase after a possessive ("my thumb drive stopped working"
   gives "thumb drive"), when no topic matched or the phrase holds the topic's word;
2. the topic's own words: its ``mention`` with the matched term, or, when the term isn't
   a clean noun ("charged", "is down"), with the first of the topic's plain match phrases
   that is.

What a clean name is, checked word by word with the language's data from the playbook
(``languages:``, and the phrases of the ``abuse``, ``rude`` and ``loss`` signals the
analysis found in the message):

- no profanity or insult (an offending word that only describes the noun is dropped:
  "my stupid router" is "your router"; an offending noun is never named);
- no idiom the playbook lists as the customer's own mistake ("my bad"), nothing
  first-person, no personal data (nothing with a digit, an @, a link), no control or
  invisible characters;
- no dangling function word (``stopwords``, ``phrase_breaks``) and a real noun phrase: it
  ends where the language says a noun phrase ends (a function word, ``name_breaks``, a
  describing word after the noun, punctuation), within three words, and its last word
  neither describes (``describing_endings``) nor is too vague to name a problem by
  (``vague``);
- a noun after a preposition ("with my thumb", "on my phone") is where or how, not what
  went wrong: it is not named.
"""

from __future__ import annotations

import re
from typing import Any

from .analyze import Analysis, contractions, language_fold
from .lexicon import PhraseIndex
from .playbook import Playbook, phrases_for, text_for

# Words (letters, with inner apostrophes and hyphens), or one other character.
_PIECE = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*|\S")
# Personal data or not a word: a digit, an @ or underscore (e-mail, handle), a link.
_DATA = re.compile(r"[\d@_]|://|www\.", re.IGNORECASE)
_EDGES = ".,;:!?\"'()[]{}…"
_MAX_WORDS = 3
_MAX_CHARS = 40
# Kinds of signal whose phrases a name may never hold: swearing and insults, and the
# customer's own mistake ("my bad", "my fault").
_OFFENDING = ("abuse", "rude", "loss")


class Naming:
    """The problem as a reply names it (``text``, e.g. "your order"), where the name came
    from (``own``: the customer's noun phrase; ``topic``: the topic's words) and the noun
    phrase itself; all None/empty when nothing passes the checks."""

    __slots__ = ("text", "source", "phrase")

    def __init__(self, text: str | None, source: str, phrase: str | None) -> None:
        self.text = text
        self.source = source
        self.phrase = phrase


NOTHING = Naming(None, "", None)


class _Language:
    __slots__ = (
        "possessives",
        "prepositions",
        "function",
        "first_person",
        "vague",
        "endings",
        "mention",
        "owners",
        "contractions",
    )

    def __init__(
        self,
        possessives: frozenset[str],
        prepositions: frozenset[str],
        function: frozenset[str],
        first_person: frozenset[str],
        vague: frozenset[str],
        endings: tuple[str, ...],
        mention: str | None,
        owners: re.Pattern[str] | None,
        contractions: tuple[str, ...] = (),
    ) -> None:
        self.possessives = possessives
        self.prepositions = prepositions
        self.function = function  # never inside a name, and they end a noun phrase
        self.first_person = first_person
        self.vague = vague
        self.endings = endings  # describing_endings
        self.mention = mention
        self.owners = owners  # finds the possessives in a text
        self.contractions = contractions  # "'s" in "my parcel's been": the phrase ends


def _folded(words: Any) -> frozenset[str]:
    return frozenset(w.casefold() for w in words or ())


def _build(playbook: Playbook, lang: str) -> _Language:
    spec = (playbook.get("languages") or {}).get(lang) or {}
    first_person = _folded(spec.get("first_person"))
    possessives = _folded(spec.get("possessives"))
    return _Language(
        possessives=possessives,
        prepositions=_folded(spec.get("prepositions")),
        function=_folded(spec.get("stopwords"))
        | _folded(spec.get("phrase_breaks"))
        | _folded(spec.get("name_breaks"))
        | first_person,
        first_person=first_person,
        vague=_folded(spec.get("vague")),
        endings=tuple(sorted({str(e).casefold() for e in spec.get("describing_endings") or []})),
        mention=spec.get("mention"),
        owners=re.compile(
            rf"(?<![\w'’-])(?:{'|'.join(re.escape(w) for w in sorted(possessives))})(?![\w'’-])",
            re.IGNORECASE,
        )
        if possessives
        else None,
        contractions=contractions(playbook, lang),
    )


def _language(playbook: Playbook, lang: str) -> _Language:
    key = f"naming:{lang}"
    found = playbook._cache.get(key)
    if found is None:
        found = playbook._cache[key] = _build(playbook, lang)
    return found


def clean_characters(text: str, instead: str = "") -> str:
    """``text`` without control, format (invisible) or unassigned characters, each put
    as ``instead``; line and paragraph separators become spaces. For anything from outside
    that a reply or note shows (a name, a handle, the comment in the note)."""
    # The common case, checked in C: nothing but printable characters, spaces and lines.
    if text.isprintable() or text.replace("\n", " ").replace("\t", " ").isprintable():
        return text
    import unicodedata  # its tables take milliseconds to load: only for such text

    out = []
    for i, ch in enumerate(text):
        kind = unicodedata.category(ch)
        if ch == "\u200c" and 0 < i < len(text) - 1 and text[i - 1].isalpha():
            out.append(ch)  # the non-joiner inside a word is Persian spelling ("می‌کنم")
        elif kind[0] == "C" and ch not in "\n\t":
            out.append(instead)
        else:
            out.append(" " if kind in ("Zl", "Zp") else ch)
    return "".join(out)


def name_problem(playbook: Playbook, analysis: Analysis, lang: str) -> Naming:
    """How the reply names the problem: the customer's own noun phrase or the topic's
    words, whichever passes the checks (see the module's docstring), else nothing; a word
    the customer typed without the language's own letters spelt as the playbook spells it
    ("siparis" -> "sipariş", see :func:`respelled`)."""
    naming = _name_problem(playbook, analysis, lang)
    if naming.text:
        shown = respelled(playbook, lang, naming.text)
        if shown != naming.text:
            return Naming(shown, naming.source, naming.phrase)
    return naming


def _spellings(
    playbook: Playbook, lang: str
) -> tuple[dict[int, str], dict[str, str], tuple[tuple[str, str], ...]] | None:
    """The topics' words as the playbook spells them, by how they read in plain letters
    (``languages.<lang>.plain_letters``: Turkish ş as s, ı as i...): whole words, and
    stems (a word before ``*``, four letters at least) longest first. None without a
    ``plain_letters`` table."""
    key = f"naming:spellings:{lang}"
    if key not in playbook._cache:
        spec = (playbook.get("languages") or {}).get(lang) or {}
        table = {str(k): str(v) for k, v in (spec.get("plain_letters") or {}).items()}
        found: tuple[dict[int, str], dict[str, str], tuple[tuple[str, str], ...]] | None = None
        if table:
            plain = str.maketrans(table)
            whole: dict[str, str] = {}
            stems: dict[str, str] = {}
            for entry in (playbook.get("topics") or {}).values():
                for phrase in phrases_for((entry or {}).get("match"), lang):
                    if _raw(phrase):
                        continue
                    for word in phrase.casefold().split():
                        bare = word.rstrip("*")
                        if bare.translate(plain) == bare or not bare.isalpha():
                            continue
                        if word.endswith("*"):
                            if len(bare) >= 4:
                                stems.setdefault(bare.translate(plain), bare)
                        else:
                            whole.setdefault(bare.translate(plain), bare)
            found = (plain, whole, tuple(sorted(stems.items(), key=lambda kv: -len(kv[0]))))
        playbook._cache[key] = found
    return playbook._cache[key]


def respelled(playbook: Playbook, lang: str, text: str) -> str:
    """``text`` with each lower-case word that holds none of the language's own letters
    and reads like one of the topics' words ("siparis", "siparisiniz", "odeme") spelt as
    the topics spell it ("sipariş", "siparişiniz", "ödeme"), its ending kept. A reply
    names the customer's thing in their words, but not in their typing."""
    found = _spellings(playbook, lang)
    if not found:
        return text
    plain, whole, stems = found
    out = []
    for word in text.split(" "):
        if not word.isalpha() or word != word.lower():
            out.append(word)  # a name or a mark
            continue
        if word in whole:
            out.append(whole[word])
            continue
        # A plain stem, whatever its ending ("ucag" of "ucagınız" is "uçağ").
        out.append(next((stem + word[len(p) :] for p, stem in stems if word.startswith(p)), word))
    return " ".join(out)


def _name_problem(playbook: Playbook, analysis: Analysis, lang: str) -> Naming:
    words = _language(playbook, lang)
    text = clean_characters(analysis.text, " ")
    # What the analysis found of swearing, insults and the customer's own mistake: a name
    # may hold none of it. Found in the whole message, so a message without any is quick.
    offending = tuple(p for kind in _OFFENDING for p in analysis.matches.get(kind, ()))
    topic = (playbook.get("topics") or {}).get(analysis.topic or "") if analysis.topic else None
    written_in = str(playbook.get("language") or "en")
    mention = (text_for(topic.get("mention"), lang, written_in) or words.mention) if topic else None
    spec = (playbook.get("languages") or {}).get(lang) or {}
    if topic and (spec.get("own_suffixes") or spec.get("own_words")):
        # Possession on the noun (Turkish, Finnish, Persian) or an inflected possessive
        # (Russian): the customer's word for the topic's thing, made the customer's in the
        # reply ("siparişim" -> "siparişiniz", "мой заказ" -> "ваш заказ").
        possessed = _possessed(playbook, lang, str(analysis.topic), text, spec, offending)
        if possessed:
            return Naming(possessed, "own", possessed)
    if not mention:
        return _own(_own_phrase(text, words, offending), words)
    if "{term}" not in mention:
        return Naming(mention, "topic", None)
    chosen = (analysis.term or "").casefold()
    # Nothing of the customer's to name: the analysis's word, if it is a clean noun of
    # the topic's own list, is the name.
    unowned = words.owners is None or not words.owners.search(text)
    if unowned and chosen in _listed(playbook, lang, str(analysis.topic)):
        filled = _filled(mention, chosen, words) if _filled("{term}", chosen, words) else None
        if filled:
            return Naming(filled, "topic", chosen)
    # The topic's words the customer used, nouns first (the one the analysis chose
    # before the others): "subscription" in "I was charged twice for my subscription".
    terms = _topic_terms(playbook, lang, str(analysis.topic), text)
    nouns = sorted(
        (t for t in terms if _filled("{term}", t, words) and _filled(mention, t, words)),
        key=lambda t: t != chosen,
    )
    if nouns:
        # The customer's phrase is better only when it holds one of the topic's words
        # ("google account" for "account"); none near a possessive, no phrase to read.
        if _owned_near(text, words, terms):
            own = _own_phrase(text, words, offending)
            if own and any(_holds(own, t) for t in terms):
                return _own(own, words)
        return Naming(_filled(mention, nouns[0], words), "topic", nouns[0])
    own = _own_phrase(text, words, offending)
    if own:
        return _own(own, words)  # "your iPhone screen" rather than "the cracked item"
    for candidate in terms:
        filled = _filled(mention, candidate, words)
        if filled:
            return Naming(filled, "topic", candidate)
    return NOTHING


def _possessed(
    playbook: Playbook,
    lang: str,
    topic: str,
    text: str,
    spec: dict[str, Any],
    offending: tuple[str, ...],
) -> str | None:
    """The first word of the message that matched the topic and is the customer's own,
    as the reply says it: its possessive suffix swapped (``own_suffixes``, longest
    first, and only where what is left still holds the topic's word), or the possessive
    word before it swapped (``own_words``)."""
    index = _topic_index(playbook, lang, topic)
    found = sorted(index.search_all(text).get("term") or [], key=lambda m: m.start())
    suffixes = sorted(
        ((str(a), str(b)) for a, b, *_ in spec.get("own_suffixes") or () if a),
        key=lambda pair: -len(pair[0]),
    )
    swaps = {str(k).casefold(): str(v) for k, v in (spec.get("own_words") or {}).items()}
    harmony = {str(k): str(v) for k, v in (spec.get("vowel_harmony") or {}).items()}
    bad = {o.casefold() for o in offending}
    for match in found:
        start, end = match.start(), match.end()
        while end < len(text) and (text[end].isalnum() or text[end] in "\u200c"):
            end += 1  # the whole word the phrase began
        word = text[start:end]
        if " " in word or not _is_word(word) or word.casefold() in bad:
            continue
        # What is left must still hold the topic's word, but for a last vowel a suffix
        # may take in (kargo* finds "kargom": [om, onuz]).
        root = len(language_fold_text(playbook, lang, match.phrase.rstrip("*"))) - 1
        if word.isupper() and len(word) > 1:
            word = _lowered(word, spec)  # shouted: said back calmly
        elif word[1:] == word[1:].lower() and word[:1].isupper():
            word = _lower_first(word, spec)  # a capital that only starts the sentence
        for mine, yours in suffixes:
            left = len(language_fold_text(playbook, lang, word)) - len(mine)
            if word.casefold().endswith(mine.casefold()) and left >= root:
                base = word[: len(word) - len(mine)]
                return base + _harmonised(base, yours, harmony)
        if swaps:
            before = text[:start].rstrip().rsplit(None, 1)
            owner = before[-1].casefold() if before else ""
            if owner in swaps:
                return f"{swaps[owner]} {word}"
    return None


def _harmonised(base: str, ending: str, harmony: dict[str, str]) -> str:
    """``ending`` with each of its high vowels as the vowel before it asks
    (``languages.<lang>.vowel_harmony``: Turkish a -> ı, e -> i, o -> u, ö -> ü), so a
    possessive typed without Turkish letters ("hesabimi", "kartim") is said back right
    ("hesabınız", "kartınız"). Unchanged without a table."""
    if not harmony:
        return ending
    highs = set(harmony.values())
    last = next((c for c in reversed(base.casefold()) if c in harmony), None)
    out = []
    for ch in ending:
        if ch in highs and last is not None:
            ch = harmony[last]
        if ch in harmony:
            last = ch
        out.append(ch)
    return "".join(out)


def language_fold_text(playbook: Playbook, lang: str, text: str) -> str:
    """A phrase as the language folds it (the non-joiner dropped...), to count its letters."""
    fold = language_fold(playbook, lang)
    return fold.apply(text)[0] if fold is not None else text.casefold()


def _lowered(word: str, spec: dict[str, Any]) -> str:
    """A word in lower case; in Turkish written with its own letters, I is ı and İ is i."""
    if str(spec.get("casing") or "") == "turkish" and any(c in word for c in "İŞĞÇÖÜ"):
        word = word.replace("I", "ı").replace("İ", "i")
    return word.lower()


def _lower_first(word: str, spec: dict[str, Any]) -> str:
    first = word[0]
    if str(spec.get("casing") or "") == "turkish":
        first = {"I": "ı", "İ": "i"}.get(first, first)
    return first.lower() + word[1:]


def _topic_index(playbook: Playbook, lang: str, topic: str) -> PhraseIndex:
    key = ("naming:topic", lang, topic)
    index = playbook._cache.get(key)
    if index is None:
        entry = (playbook.get("topics") or {}).get(topic) or {}
        index = PhraseIndex(language_fold(playbook, lang))
        index.add("term", [p for p in phrases_for(entry.get("match"), lang) if not _raw(p)])
        playbook._cache[key] = index
    return index


def _owned_near(text: str, words: _Language, terms: list[str]) -> bool:
    """Is one of ``terms`` in the few words after one of the possessives?"""
    if words.owners is None:
        return False
    for found in words.owners.finditer(text):
        window = text[found.end() : found.end() + 60].casefold()
        if any(t.split()[0][:4] in window for t in terms):
            return True
    return False


def _own(phrase: str | None, words: _Language) -> Naming:
    if not phrase or not words.mention:
        return NOTHING
    return Naming(words.mention.replace("{term}", phrase), "own", phrase)


def _topic_terms(playbook: Playbook, lang: str, topic: str, text: str) -> list[str]:
    """The topic's match phrases found in the text, in the customer's spelling, in order."""
    found = _topic_index(playbook, lang, topic).search_all(text).get("term") or []
    out: list[str] = []
    for match in sorted(found, key=lambda m: m.start()):
        term = " ".join(match.group(0).casefold().replace("’", "'").split())
        # A wildcard's stem is the playbook's word; what the customer put after it is
        # grammar ("cancel*" matches "cancelling"), not a noun to name the problem by.
        if "*" in match.phrase and term != match.phrase.casefold().replace("*", ""):
            continue
        if term not in out:
            out.append(term)
    return out


def _listed(playbook: Playbook, lang: str, topic: str) -> frozenset[str]:
    """The topic's plain match phrases (no wildcard, no expression), folded."""
    key = ("naming:listed", lang, topic)
    found = playbook._cache.get(key)
    if found is None:
        entry = (playbook.get("topics") or {}).get(topic) or {}
        found = frozenset(
            " ".join(p.casefold().split())
            for p in phrases_for(entry.get("match"), lang)
            if "*" not in p and not _raw(p)
        )
        playbook._cache[key] = found
    return found


def _raw(phrase: str) -> bool:
    return len(phrase) >= 2 and phrase.startswith("/") and phrase.endswith("/")


def _holds(phrase: str, term: str) -> bool:
    """Does the customer's phrase name the topic's thing ("google account" / "account";
    "packages" / "package")?"""
    own = phrase.casefold().split()
    return all(any(w.startswith(t) or t.startswith(w) for w in own) for t in term.split())


def _filled(mention: str, term: str, words: _Language) -> str | None:
    """The mention with the term in it, if that makes a clean noun phrase: the term holds
    no function word, and the phrase ends in a noun ("the cracked item", not "your
    charged" or "the on hold")."""
    parts = term.split()
    if not parts or len(parts) > _MAX_WORDS:
        return None
    if any(not _is_word(p) or p in words.function for p in parts):
        return None
    filled = mention.replace("{term}", term)
    last = filled.split()[-1] if filled.split() else ""
    return filled if _noun_at_end(last, words) else None


def _noun_at_end(word: str, words: _Language) -> bool:
    low = word.casefold()
    if len(low) < 2 or low in words.vague or low in words.function:
        return False
    return not _describes(low, words)


def _is_word(text: str) -> bool:
    """Letters, with inner apostrophes or hyphens ("non-refundable", "son's")."""
    inner = text.replace("'", "").replace("-", "").replace("\u200c", "")
    return inner.isalpha() and text[0].isalpha() and text[-1].isalpha()


def _tokens(chunks: list[str]) -> list[tuple[str, str]]:
    """(kind, token) pairs of runs of non-space: ``word``; ``data`` for a run holding a
    digit, an @, an underscore or a link (never part of a name); ``mark`` for punctuation
    and emoji."""
    out: list[tuple[str, str]] = []
    for chunk in chunks:
        if _DATA.search(chunk):
            out.append(("data", chunk))
        elif chunk.isalpha():
            out.append(("word", chunk))
        else:
            # A piece is a word when it starts with a letter (the pattern's first choice).
            out += [("word" if p[0].isalpha() else "mark", p) for p in _PIECE.findall(chunk)]
    return out


def _own_phrase(text: str, words: _Language, offending: tuple[str, ...] = ()) -> str | None:
    """The first clean noun phrase after one of the language's possessives, as the reply
    shows it (lower case, except words like "iPhone" or "TV")."""
    if words.owners is None:
        return None
    text = text.replace("’", "'")
    for found in words.owners.finditer(text):
        # A window around the possessive is all a phrase needs: the words just before it
        # (a preposition, an idiom) and the few after it a noun phrase can take.
        start = found.start()
        before = text[max(0, start - 40) : start].split()[-3:]
        if before and before[-1].casefold() in words.prepositions:
            continue
        tokens = _tokens(text[start : start + 100].split()[: _MAX_WORDS + 3])
        if not tokens or tokens[0][0] != "word":
            continue
        phrase = _phrase_after(before, tokens, words, offending)
        if phrase:
            return phrase
    return None


def _phrase_after(
    before: list[str],
    tokens: list[tuple[str, str]],
    words: _Language,
    offending: tuple[str, ...] = (),
) -> str | None:
    """The noun phrase after the possessive ``tokens[0]``, if it passes the checks."""
    found: list[str] = []
    for at, (kind, token) in enumerate(tokens[1:], 1):
        low = token.casefold()
        if kind != "word" or low in words.function:
            break  # punctuation, a number or a function word ends the phrase
        if found and not _describes(found[-1], words) and _describes(low, words):
            # "my phone died": a describing word after the noun ends it, unless more
            # words follow it ("my hard earned money"): then what came before may not
            # have been the noun at all.
            after = tokens[at + 1] if at + 1 < len(tokens) else None
            if after and after[0] == "word" and after[1].casefold() not in words.function:
                return None
            break
        cut = next((e for e in words.contractions if low.endswith(e) and len(low) > len(e)), None)
        if cut:
            after = tokens[at + 1] if at + 1 < len(tokens) else None
            if after and after[0] == "word" and after[1].casefold() not in words.function:
                # "my son's tablet", or "my order's late": a possessive or a verb, which
                # the words can't tell apart; no name is better than a wrong one.
                return None
            # "my parcel's been stuck": the noun without its verb, and the phrase ends.
            found.append(token[: -len(cut)])
            break
        found.append(token)
        if len(found) > _MAX_WORDS:
            return None  # no clear end: don't guess where the noun phrase stops
    if not found:
        return None
    # The words just before the possessive count too: "forgot my password" is the
    # customer's own mistake, not a thing to be sorry about.
    if offending:
        found = _without_offending(before, tokens[0][1], found, offending)
    if not found or any(w.casefold() in words.first_person for w in found):
        return None
    # Describing words, then a noun or a two-word compound ("thumb drive"); a vague word
    # anywhere ("money thereby holding") means the phrase isn't about a thing.
    nouns = [w for w in found if not _describes(w, words)]
    if len(nouns) > 2 or any(w.casefold() in words.vague for w in found):
        return None
    if not _noun_at_end(found[-1], words):
        return None
    # Capitals mean a name ("iPhone", "TV") unless the customer is shouting.
    loud = sum(1 for w in (*before, *found) if len(w) > 1 and w.isupper()) > 1
    shown = " ".join(_shown(w, loud) for w in found)
    return shown if len(shown) <= _MAX_CHARS else None


def _describes(word: str, words: _Language) -> bool:
    """Does the word describe rather than name ("cracked", "useless")? Three letters at
    least before the ending: "drive" is a noun."""
    low = word.casefold()
    if not words.endings or not low.endswith(words.endings):
        return False
    return any(low.endswith(e) and len(low) - len(e) >= 3 for e in words.endings)


def _without_offending(
    before: list[str], owner: str, found: list[str], offending: tuple[str, ...]
) -> list[str]:
    """The phrase without the offending phrases the analysis found in the message, read
    with the possessive and the words before it ("my bad", "forgot my password"). Only
    describing words before the noun can go ("my stupid router"); an offending noun, or an
    idiom of the customer's own mistake, means no name at all."""
    window = [w.casefold().strip(_EDGES) for w in (*before, owner, *found)]
    first = len(before) + 1  # where the phrase starts in the window
    drop: set[int] = set()
    for phrase in offending:
        words = phrase.casefold().split()
        for at in range(len(window) - len(words) + 1):
            if window[at : at + len(words)] != words:
                continue
            covered = {i - first for i in range(at, at + len(words)) if i >= first}
            if not covered:
                continue
            if len(found) - 1 in covered or at < first:
                return []  # the noun itself, or an idiom that runs into the phrase
            drop |= covered
    return [w for i, w in enumerate(found) if i not in drop]


def _shown(word: str, loud: bool) -> str:
    """A word as a reply shows it: "iPhone", "TV" keep their capitals, "ORDER" and
    "Blender" don't (capitals mid-word or a short all-capital word are part of a name,
    unless the customer writes in capitals)."""
    if loud:
        return word.lower()
    if any(ch.isupper() for ch in word[1:]) and not word.isupper():
        return word
    if word.isupper() and len(word) <= 3:
        return word
    return word.lower()
