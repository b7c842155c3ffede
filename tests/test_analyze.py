"""analyze(): strings in, Analysis out."""

from __future__ import annotations

import pytest

from replybook import analyze, decide


@pytest.mark.parametrize(
    ("text", "intent", "abusive"),
    [
        ("@AcmeAir you lost my bag AGAIN. Third time this year.", "complaint", False),
        ("@brand is the worst customer service", "complaint", False),
        ("Thanks so much, you sorted it!", "praise", False),
        ("The new menu is great, well done!", "praise", False),
        ("lol the goat in your ad is my spirit animal 😂", "joke", False),
        ("you fucking idiots", "troll", True),
        ("shut up you stupid clowns", "troll", True),
        ("your company sucks", "troll", None),
        ("When are you open on Sunday?", "question", False),
        ("Do you ship to Norway?", "question", False),
        ("your fucking app deleted my photos again", "complaint", None),
    ],
)
def test_intent_and_abuse(default, text, intent, abusive):
    result = analyze(text, default)
    assert decide(result, default).intent == intent
    if abusive is not None:
        assert result.abusive is abusive


def test_rude_and_vague_is_skipped_strong_abuse_moderated(default):
    vague = decide(analyze("your company sucks", default), default)
    assert (vague.intent, vague.action) == ("troll", "skip")
    abuse = decide(analyze("you fucking idiots", default), default)
    assert (abuse.intent, abuse.action) == ("troll", "moderate")
    assert abuse.evidence["abuse"] in ("fucking", "idiots")


def test_turnaround(default):
    assert decide(analyze("Thanks so much, you sorted it!", default), default).turnaround
    assert not decide(analyze("The new menu is great, well done!", default), default).turnaround


def test_topic_and_term(default):
    result = analyze("The parcel never arrived", default)
    assert (result.topic, result.term) == ("delivery", "parcel")


def test_key_phrase_is_the_customers_noun(default):
    assert analyze("my order still hasn't arrived", default).key_phrase == "order"
    assert analyze("I want a refund on my non-refundable ticket", default).key_phrase == (
        "non-refundable ticket"
    )
    assert analyze("The store was closed", default).key_phrase is None


def test_escalation_and_refusal(default):
    assert analyze("I will sue you, my lawyer is on it", default).escalation == "legal"
    assert analyze("I want a refund on my non-refundable fare", default).refusal == (
        "refund-outside-policy"
    )
    assert analyze("My order is late", default).escalation is None


def test_faq_match_only_for_questions(default):
    assert analyze("What are your opening hours?", default).faq == "opening-hours"
    assert analyze("What are your customer service hours?", default).faq == "contact-hours"


def test_pii_in_the_comment(default):
    result = analyze("call me on +44 7700 900123 or mail dana@example.com", default)
    assert set(result.pii) >= {"phone", "email"}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("My order still hasn't arrived and nobody answers", "en"),
        ("Siparişim hala gelmedi, çok kötü bir hizmet", "tr"),
        ("Tilaukseni ei ole vieläkään tullut, mitä tämä on?", "fi"),
        ("Мой заказ до сих пор не пришёл", "ru"),
        ("سفارش من هنوز نرسیده است", "fa"),
    ],
)
def test_language(default, text, language):
    assert analyze(text, default).language == language


def test_a_language_the_playbook_does_not_serve_goes_to_a_person(tmp_path):
    from replybook import draft, load_playbook

    from .conftest import NOW

    book = tmp_path / "english-only.yaml"
    book.write_text("extends: default\nserves: [en]\n", encoding="utf-8")
    playbook = load_playbook(book)
    result = draft("Siparişim hala gelmedi, çok kötü bir hizmet", playbook, now=NOW)
    assert (result.language, result.action, result.case) == ("tr", "review", "review")
    assert result.public_reply is None and result.private_reply is None
    assert "doesn't answer in" in result.note
    # Due as the playbook's sla_minutes.review says (240 minutes by default).
    assert result.due == "2026-11-23T13:00:00Z"
    english = draft("My order never arrived", playbook, now=NOW)
    assert english.action == "reply"


def test_faq_matches_by_meaning_bearing_words_spelling_aside(default):
    # No FAQ phrase is in these, but the entry's words are ("opening hours").
    assert analyze("what hours are you opening on sunday?", default).faq == "opening-hours"
    assert analyze("are your opening houres different at christmas?", default).faq == (
        "opening-hours"
    )
    assert analyze("what hours did the delay last?", default).faq is None
