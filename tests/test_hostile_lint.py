"""lint() on hostile replies: hidden characters, look-alike letters, huge template syntax."""

from __future__ import annotations

import time

import pytest

from replybook.linter import lint, normalise
from replybook.phrasing import directed


def rules_of(findings):
    return [f.rule for f in findings]


def hidden(findings):
    return [f for f in findings if f.rule == "hidden-characters"]


# Each evasion: the plain reply's rule must still fire once the reply is disguised.
EVASIONS = [
    ("Please reply here with your password.", "private-data-in-public", "password"),
    ("Calm down, please.", "calm-down", "down"),
    ("Well, it's your fault.", "blames-customer", "your"),
    ("We deleted your comment.", "talks-of-deleting", "deleted"),
    ("Hi [NAME], thanks!", "leftover-placeholder", "NAME"),
]


def _disguise(text: str, word: str, how: str) -> str:
    if how == "zero-width space":
        fake = word[:2] + "\u200b" + word[2:]
    elif how == "soft hyphen":
        fake = word[:2] + "\u00ad" + word[2:]
    elif how == "word joiner":
        fake = word[:2] + "\u2060" + word[2:]
    elif how == "full-width":
        fake = "".join(chr(ord(c) + 0xFEE0) for c in word)
    else:  # a Cyrillic look-alike letter
        swap = {"a": "\u0430", "o": "\u043e", "e": "\u0435", "A": "\u0410", "E": "\u0415"}
        at = next(i for i, c in enumerate(word) if c in swap)
        fake = word[:at] + swap[word[at]] + word[at + 1 :]
    return text.replace(word, fake, 1)


@pytest.mark.parametrize("text,rule,word", EVASIONS)
@pytest.mark.parametrize(
    "how", ["zero-width space", "soft hyphen", "word joiner", "full-width", "look-alike"]
)
def test_a_disguised_word_still_fires_its_rule(default, text, rule, word, how):
    assert rule in rules_of(lint(text, default))
    disguised = _disguise(text, word, how)
    assert disguised != text
    found = lint(disguised, default)
    (finding,) = [f for f in found if f.rule == rule]
    # The finding points into the reply as given.
    plain = next(f for f in lint(text, default) if f.rule == rule)
    start, end = finding.span
    assert disguised[start:end].replace("\u200b", "").replace("\u00ad", "").replace(
        "\u2060", ""
    ) in (finding.match, disguised[start:end])
    assert start == plain.span[0]
    if how in ("zero-width space", "soft hyphen", "word joiner"):
        assert end == plain.span[1] + 1
        assert finding.match == plain.match  # the invisible character isn't in the match
    else:
        assert end == plain.span[1]
    if how != "full-width":  # full-width letters are someone's keyboard, not a disguise
        assert len(hidden(found)) == 1


def test_each_hidden_character_is_its_own_finding(default):
    text = "Hi Dana,\nyour p\u0430ss\u200bword is s\u00adafe\u2060. ^MK"
    found = hidden(lint(text, default, name="Dana"))
    assert [text[f.span[0] : f.span[1]] for f in found] == ["\u0430", "\u200b", "\u00ad", "\u2060"]
    assert [f.match for f in found] == ["\u0430", "\u200b", "\u00ad", "\u2060"]
    assert all(f.level == "warning" for f in found)
    assert found[0].line == 2 and found[0].column == 7
    assert "Cyrillic" in found[0].message and "U+0430" in found[0].message
    assert "zero-width space (U+200B)" in found[1].message
    assert "soft hyphen" in found[2].message
    assert "word joiner" in found[3].message
    assert "(accurate-relevant" in found[0].why


def test_bidi_controls_in_a_left_to_right_reply(default):
    text = "Hi Dana, thanks\u202e for waiting \u2066here\u2069. ^MK"
    found = hidden(lint(text, default, name="Dana"))
    assert [text[f.span[0]] for f in found] == ["\u202e", "\u2066", "\u2069"]
    assert "right-to-left override" in found[0].message


def test_a_persian_replys_own_isolates_and_non_joiners_are_not_hidden(default):
    text = directed("سلام Dana، مشکل شما را بررسی می\u200cکنیم. ^MK", "isolates")
    assert "\u2068" in text and "\u200c" in text
    assert hidden(lint(text, default, lang="fa")) == []
    marked = directed("سلام Dana، مشکل شما را بررسی می\u200cکنیم. ^MK", "marks")
    assert hidden(lint(marked, default, lang="fa")) == []
    # ...but an override, a stray zero-width space or a non-joiner between Latin letters is.
    for bad in ("\u202eسلام", "مشکل\u200b شما", "Da\u200cna"):
        assert len(hidden(lint(text.replace(text[:4], bad, 1), default, lang="fa"))) == 1


def test_russian_replies_lint_as_before(default):
    text = "Здравствуйте, Мария! Мы уже проверяем ваш заказ, напишите нам в личные сообщения. ^MK"
    seen = normalise(text, "ru")
    assert seen.text == text and seen.spans is None and seen.hidden == []
    assert hidden(lint(text, default, lang="ru")) == []
    # A Latin look-alike inside a Russian word is folded to Cyrillic, and reported.
    fake = text.replace("заказ", "з\u0061каз")
    assert normalise(fake, "ru").text == text
    (finding,) = hidden(lint(fake, default, lang="ru"))
    assert "Latin" in finding.message and finding.match == "a"
    # Whole words in another script are nobody's disguise: "DM", "Mária" in a Russian reply.
    mixed = "Здравствуйте, Maria! Напишите нам в DM, пожалуйста. ^MK"
    assert hidden(lint(mixed, default, lang="ru")) == []


def test_an_emoji_sequence_keeps_its_joiner(default):
    text = "Hi Dana, well done \U0001f469\u200d\U0001f4bb\u2764\ufe0f ^MK"
    assert hidden(lint(text, default, name="Dana")) == []
    assert normalise(text).spans is None


def test_normalised_text_maps_back_to_the_reply():
    text = "Cafe\u0301 \ufb01ne\u200b ｘ p\u0430y"
    seen = normalise(text)
    assert seen.text == "Café fine x pay"
    assert seen.spans is not None and len(seen.spans) == len(seen.text)
    assert text[slice(*seen.spans[3])] == "e\u0301"
    assert text[slice(*seen.spans[5])] == text[slice(*seen.spans[6])] == "\ufb01"
    assert [h[2].split(" (")[0] for h in seen.hidden] == ["a zero-width space", "a Cyrillic 'а'"]


def test_a_clean_reply_is_read_as_given():
    for text in ("Hi Dana, all good. ^MK", "Merhaba Ayşe, siparişiniz yolda. ^MK", "Hei Pyry! ^MK"):
        seen = normalise(text)
        assert seen.text == text and seen.spans is None and seen.hidden == []


@pytest.mark.parametrize(
    "chunk", ["{{", "{%", "[", "<", "[A", "<a", "‹", "\u200b", "ｐ", "p\u0430"]
)
def test_huge_template_syntax_lints_quickly(default, chunk):
    text = (chunk * 100_000)[:100_000]
    lint("Hi", default)  # the playbook's index is built outside the timing
    started = time.perf_counter()
    lint(text, default)
    # A guard against quadratic work (minutes on 100,000 characters), loose enough for a
    # loaded machine: not a speed target.
    limit = 2.0 if chunk in ("{{", "{%", "[", "<") else 8.0
    assert time.perf_counter() - started < limit


def test_placeholders_are_still_found(default):
    for text, match in [
        ("Hi {{ name }}, thanks!", "{{ name }}"),
        ("Hi {% if x %}, thanks!", "{% if x %}"),
        ("Hi {{ agent.first }} ^MK", "{{ agent.first }}"),
    ]:
        (finding,) = [f for f in lint(text, default) if f.rule == "leftover-placeholder"]
        assert finding.match == match


@pytest.mark.parametrize(
    "text", ["a." * 49_999 + "@!.", "a" * 99_990 + "@-.x", "a+" * 49_000 + "@a"]
)
def test_address_like_runs_cost_linear_time_in_lint_and_draft(default, text):
    """Finding 6: the e-mail patterns start only where a run of address characters starts
    and never backtrack inside it, so a long almost-address costs one pass, not one per
    character."""
    from replybook import draft

    from .conftest import NOW

    lint("Hi", default)
    started = time.perf_counter()
    lint(text, default)
    draft(text, default, now=NOW)
    assert time.perf_counter() - started < 3.0


def test_an_address_offered_still_makes_asking_for_data_private(default):
    def flagged(reply):
        return [f for f in lint(reply, default) if f.rule == "private-data-in-public"]

    assert flagged("Please send your card number")
    assert not flagged("Please send your card number to help.desk+x@acme-air.example.com")
    assert not flagged("Send your account number to billing@acme.fi and we will check")
