"""Phrase matching: the syntax playbook authors write, and one index serving many lists."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from replybook.lexicon import Caseless, PhraseIndex, PhraseMatcher, check_phrase, tokenize


def found(phrases: list[str], text: str) -> list[str]:
    return [m.group(0) for m in PhraseMatcher(phrases).finditer(text)]


def test_whole_words_only_and_case_insensitive() -> None:
    assert found(["bag"], "My BAG, my baggage, the handbag.") == ["BAG"]


def test_wildcard_ending() -> None:
    assert found(["refund*"], "Refunded? No refund. Refundable! unrefunded") == [
        "Refunded",
        "refund",
        "Refundable",
    ]


def test_spaces_match_any_whitespace_and_longest_phrase_wins() -> None:
    assert found(["not", "not working"], "It is not\n  working, not at all") == [
        "not\n  working",
        "not",
    ]


def test_punctuation_and_emoji_are_tokens() -> None:
    assert found(["?!", "😂"], "Really?! 😂😂") == ["?!", "😂", "😂"]


def test_apostrophes_inside_words() -> None:
    assert found(["don't"], "I don’t know, I don't care") == ["don’t", "don't"]
    assert found(["t"], "don't") == []


def test_hyphenated_words_are_one_token() -> None:
    assert found(["mail"], "e-mail or mail") == ["mail"]


def test_raw_regex_phrase() -> None:
    assert found([r"/\d+ days?/"], "Waited 3 days, then 10 days") == ["3 days", "10 days"]


def test_spans_hold_when_folding_changes_length() -> None:
    # "ß" folds to "ss": spans must still point into the original text.
    text = "Straße closed, my parcel lost"
    matches = PhraseMatcher(["parcel lost"]).finditer(text)
    assert [text[m.start() : m.end()] for m in matches] == ["parcel lost"]


def test_each_list_keeps_its_own_matches() -> None:
    index = PhraseIndex()
    index.add("short", ["lost"])
    index.add("long", ["lost my bag", "bag"])
    hits = index.search_all("They lost my bag again")
    assert [m.group(0) for m in hits["short"]] == ["lost"]
    assert [m.group(0) for m in hits["long"]] == ["lost my bag"]
    assert [m.phrase for m in hits["long"]] == ["lost my bag"]


def test_a_later_shorter_match_inside_a_longer_one() -> None:
    # The last match found is not the one that reaches furthest into the text.
    index = PhraseIndex()
    index.add("k", ["we will get back", "will"])
    hits = index.search_all("ok we will get back soon")["k"]
    assert [m.group(0) for m in hits] == ["we will get back"]


def test_lists_added_after_a_search_are_found() -> None:
    index = PhraseIndex()
    index.add("a", ["late"])
    assert index.search_all("late again")["a"][0].group(0) == "late"
    index.add("b", ["again", "/ag+ain/"])
    assert [m.group(0) for m in index.search_all("late again")["b"]] == ["again", "again"]


def test_check_phrase() -> None:
    assert check_phrase("/[unclosed/") is not None
    assert check_phrase("   ") is not None
    assert check_phrase("refund*") is None


def test_caseless_regex_matches_like_ignorecase() -> None:
    for source in [r"\bmy (\w+)\b", r"\bI'll\b", r"[a-z]+\d"]:
        for text in ["MY Bag and my bag", "I'LL do it, i'll", "ABC1 abc2", "İstanbul my X", "mſ1"]:
            expected = [m.span() for m in re.finditer(source, text, re.IGNORECASE)]
            assert [m.span() for m in Caseless(source).finditer(text)] == expected


# ---------------------------------------------------------------------------------------
# The index against a plain reference: every phrase tried at every token, per list the
# longest at each place, leftmost first, never overlapping.


def reference(lists: dict[str, list[str]], text: str) -> dict[str, list[tuple[int, int]]]:
    tokens = tokenize(text)
    words = [t for t, _, _ in tokens]
    out: dict[str, list[tuple[int, int]]] = {}
    for key, phrases in lists.items():
        spans = []
        for phrase in phrases:
            steps = []
            for chunk in phrase.split():
                wild = chunk.endswith("*") and len(chunk) > 1
                parts = [t for t, _, _ in tokenize(chunk[:-1] if wild else chunk)]
                steps += [(p, wild and n == len(parts) - 1) for n, p in enumerate(parts)]
            for i in range(len(words)):
                if i + len(steps) <= len(words) and all(
                    words[i + n].startswith(s) if wild else words[i + n] == s
                    for n, (s, wild) in enumerate(steps)
                ):
                    spans.append((i, i + len(steps)))
        best: dict[int, int] = {}
        for i, j in spans:
            best[i] = max(best.get(i, 0), j)
        kept, last = [], 0
        for i in sorted(best):
            if i >= last:
                kept.append((tokens[i][1], tokens[best[i] - 1][2]))
                last = best[i]
        if kept:
            out[key] = kept
    return out


VOCAB = ["we", "will", "we'll", "get", "back", "sorry", "not", "the", "bag", "refund", "?", "!"]
words = st.sampled_from(VOCAB + ["refunded", "Bag", "BACK", "we’ll", "x-ray", "e-mail", "😂"])
phrase = st.lists(st.sampled_from([*VOCAB, "refund*", "ba*", "😂"]), min_size=1, max_size=3)


@settings(max_examples=300, deadline=None)
@given(
    lists=st.dictionaries(
        st.sampled_from("abcd"), st.lists(phrase.map(" ".join), min_size=1, max_size=5)
    ),
    text=st.lists(words, max_size=25).map(" ".join),
    tail=st.sampled_from(["", ".", " Straße", " ok"]),
)
def test_index_agrees_with_reference(lists: dict[str, list[str]], text: str, tail: str) -> None:
    text += tail
    index = PhraseIndex()
    for key, phrases in lists.items():
        index.add(key, phrases)
    got = {key: [m.span() for m in hits] for key, hits in index.search_all(text).items()}
    assert got == reference(lists, text)


def test_required_pieces_reads_only_what_must_be_there() -> None:
    from replybook.lexicon import required_pieces

    assert required_pieces(r"\bYou should(?:\s+have|'ve)\b") == (("you should",),)
    assert required_pieces(r"^\s*@\w+") == (("@",),)
    assert required_pieces(r"colou?r") == (("colo",),)
    assert required_pieces(r"\?\!x") == (("?!x",),)
    assert required_pieces(r"x{2,3}yz") == (("yz",),)
    # the most telling list first: every match holds one piece of each
    assert required_pieces(r"\b(?:we'll|I will)\s+(?:get back|follow up)\b") == (
        ("get back", "follow up"),
        ("we'll", "i will"),
    )
    assert required_pieces(r"\b(trash|garbage)\b(?!\s+bags?)") == (("trash", "garbage"),)
    assert required_pieces(
        r"\b(?:reply with|what(?:'s| is))\b.{0,9}\b(?:pin|(?:home )?address)"
    ) == (
        ("reply with", "what"),
        ("pin", "address"),
    )
    for none in [r"a|b", r"\d+\s*(?:am|pm)?", r"(?x) a b", r"[abc]+", r"(?:a|\w)b?"]:
        assert required_pieces(none) is None, none


def test_screening_needs_every_list() -> None:
    regex = Caseless(r"\b(?:send us|tell us)\b.{0,20}\b(?:password|pin)\b")
    assert not regex.possible("Send us a DM please")
    assert not regex.possible("Your password was reset")
    assert regex.possible("Send us your PIN")


@given(
    source=st.sampled_from(
        [
            r"\bthanks?\b.{0,20}\bbut\b",
            r"\b(?:we'll|we will|i'll)\s+(?:get back to you|follow up)\b",
            r"\b(trash|garbage)\b(?!\s+(bags?|cans?))",
            r"\bf[\*#@]+c?k\w*",
            r"(?:reply with|tell us|post|share)\b[^.!?]{0,20}?\b(?:password|pin|address)\b",
            r"\brefund\b.{0,40}\b(after|past|outside)\b",
            r"\b(?:reply with|what(?:'s| is))\b[^.!?]{0,40}?\b(?:pin|(?:home |email )?address)\b",
        ]
    ),
    text=st.lists(
        st.sampled_from(
            [
                "thanks",
                "thank",
                "but",
                "we'll",
                "we",
                "will",
                "i'll",
                "get",
                "back",
                "to",
                "you",
                "follow",
                "up",
                "trash",
                "garbage",
                "bags",
                "f**k",
                "refund",
                "after",
                "past",
                "outside",
                "reply",
                "with",
                "tell",
                "us",
                "post",
                "share",
                "password",
                "pin",
                "address",
                ".",
                "!",
                "WE'LL",
                "THANKS",
                "what's",
                "what",
                "is",
                "home",
                "email",
            ]
        ),
        max_size=12,
    ).map(" ".join),
)
def test_screening_never_hides_a_match(source: str, text: str) -> None:
    # Where the expression matches, the text holds one of its required pieces.
    regex = Caseless(source)
    if re.search(source, text, re.IGNORECASE):
        assert regex.possible(text)
    assert [m.span() for m in regex.finditer(text)] == [
        m.span() for m in re.finditer(source, text, re.IGNORECASE)
    ]


def test_raw_phrases_without_their_text_are_skipped_and_with_it_found() -> None:
    index = PhraseIndex()
    index.add("k", [r"/\bthanks?\b.{0,20}\bbut\b/", r"/\d+ days/"])
    assert [m.group(0) for m in index.search_all("Thank you but no")["k"]] == ["Thank you but"]
    assert [m.group(0) for m in index.search_all("THANKS a lot BUT 3 days")["k"]] == [
        "THANKS a lot BUT",
        "3 days",
    ]
    assert index.search_all("cheers, no") == {}


# -- one normalisation for phrase lists and texts -----------------------------------------


def _found(index, text):
    return [m.group(0) for m in index.search_all(text).get("k", [])]


def test_turkish_casing_and_suffixes_after_an_apostrophe():
    from replybook.lexicon import Fold

    index = PhraseIndex(Fold(turkish=True, marks="'"))
    index.add("k", ["kırık", "iade*", "dm"])
    text = "Ürün KIRIK geldi, İADE etmek istiyorum, DM'den yazdım"
    # Spans are the original text's: what matched is shown as the customer wrote it.
    assert _found(index, text) == ["KIRIK", "İADE", "DM"]
    # Without Turkish casing "KIRIK" folds to "kirik", and "İADE" to "i̇ade".
    plain = PhraseIndex()
    plain.add("k", ["kırık", "iade*"])
    assert _found(plain, text) == []


def test_persian_letter_variants_diacritics_tatweel_and_the_non_joiner():
    from replybook.lexicon import Fold

    index = PhraseIndex(Fold(prefixes=["می", "نمی"], suffixes=["ها"]))
    index.add("k", ["کار نمی‌کند", "کیفیت"])
    for text in ("اصلا کار نمیکند", "اصلا کار نمی کند", "اصلا کار نمی‌کند", "كيفيت بد"):
        assert _found(index, text), text
    assert _found(index, "کیفـــیت") == ["کیفـــیت"]  # tatweel
    assert _found(index, "کَیفیت") == ["کَیفیت"]  # a diacritic


def test_a_compound_with_a_non_joiner_also_matches_written_as_two_words():
    from replybook.lexicon import Fold

    index = PhraseIndex(Fold(prefixes=["می", "نمی"]))
    index.add("k", ["کم‌کیفیت", "خوش‌برخورد بودن"])
    for text in ("کابل کم‌کیفیت", "کابل کمکیفیت", "کابل کم کیفیت", "کابل کم   کیفیت"):
        assert _found(index, text), text
    assert _found(index, "خیلی خوش برخورد بودن") == ["خوش برخورد بودن"]
    # The match names the phrase as the playbook wrote it (its weight is looked up by it).
    assert [m.phrase for m in index.search_all("کم کیفیت")["k"]] == ["کم‌کیفیت"]
    # Two words that were never one compound stay apart.
    assert _found(index, "کم و کیفیت") == []


def test_russian_yo_and_snowball_stems_worked_out_when_phrases_are_added():
    from replybook.lexicon import Fold

    index = PhraseIndex(Fold(stem="russian"))
    index.add("k", ["ужасный сервис", "всё плохо"])
    assert _found(index, "Ужасного сервиса не видел") == ["Ужасного сервиса"]
    assert _found(index, "все плохо") == ["все плохо"]
    # Short words keep their form: a stem too short would match unrelated words.
    short = PhraseIndex(Fold(stem="russian"))
    short.add("k", ["бред"])
    assert _found(short, "бредовый") == []


def test_a_folded_index_survives_the_cache():
    from replybook.lexicon import Fold

    index = PhraseIndex(Fold(turkish=True, marks="'", stem="turkish"))
    index.add("k", ["iade"])
    again = PhraseIndex.from_state(index.state())
    assert again.fold is not None and again.fold.key() == index.fold.key()
    assert _found(again, "İADE'yi istiyorum") == ["İADE"]
