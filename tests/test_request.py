"""Requests: asked to do something (change, cancel, help choosing) with no problem told
beside it. Answered as a request, without an apology, in all five languages."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from replybook import analyze, decide, draft, load_playbook
from replybook.cli import app

PLAYBOOK = load_playbook("default")
AT = "2026-11-23T09:00:00Z"

APOLOGY = re.compile(
    r"\bsorry\b|apolog|özür|üzgün|kusura|извин|прости|сожале|жаль|متأسف|عذرخواه|ببخشید|"
    r"pahoittel|anteeksi|harmi",
    re.IGNORECASE,
)


def decision(text: str, context: list[dict[str, str]] | None = None):
    return decide(analyze(text, PLAYBOOK, context=context), PLAYBOOK)


REQUESTS = [
    ("Could I move my booking to next Thursday?", "en"),
    ("I'd like to cancel one item from my order", "en"),
    ("How do I update the address on my account?", "en"),
    ("Rezervasyonumu perşembeye erteleyebilir miyim?", "tr"),
    ("Aboneliğimi nasıl iptal edebilirim?", "tr"),
    ("Хотел бы поменять дату доставки", "ru"),
    ("Подскажите, как продлить подписку?", "ru"),
    ("می‌خواهم اشتراکم را تمدید کنم", "fa"),
    ("چطور رزروم را لغو کنم؟", "fa"),
    ("Haluaisin siirtää varauksen ensi viikolle", "fi"),
    ("Miten peruutan tilaukseni?", "fi"),
]


@pytest.mark.parametrize("text, lang", REQUESTS)
def test_a_request_is_answered_as_one_without_an_apology(text, lang):
    d = decision(text)
    assert (d.intent, d.case, d.action) == ("question", "request", "reply")
    assert "request" in d.flags and d.evidence["request"]
    result = draft(text, PLAYBOOK, received_at=AT)
    assert result.language == lang
    for reply in (result.public_reply, result.private_reply):
        assert reply is None or not APOLOGY.search(reply), reply


@pytest.mark.parametrize(
    "text",
    [
        "Can I return these shoes? They arrived broken",
        "Siparişimi iptal etmek istiyorum, iki haftadır gelmedi",
        "Хочу отменить заказ, он так и не пришёл",
        "می‌خواهم سفارشم را لغو کنم، هنوز نرسیده",
        "Haluan perua tilauksen, se ei ole vieläkään tullut",
    ],
)
def test_a_problem_told_beside_the_request_makes_it_a_complaint(text):
    d = decision(text)
    assert d.intent == "complaint" and "request" not in d.flags


@pytest.mark.parametrize(
    "text",
    [
        "Can I cancel my order?",
        "Siparişimi iptal edebilir miyim?",
        "Можно ли отменить заказ?",
        "Voinko perua tilauksen?",
    ],
)
def test_the_words_of_the_request_are_no_complaint(text):
    a = analyze(text, PLAYBOOK)
    assert a.matches.get("request")
    # "cancel" inside the request is no complaint about a cancellation
    verb = a.matches["request"][0].split()[-1]
    assert not any(verb in m for m in a.matches.get("complaint", ()))
    assert decide(a, PLAYBOOK).case == "request"


@pytest.mark.parametrize(
    "text",
    [
        "I accidentally ordered the wrong colour, can I swap it?",
        "Yanlışlıkla iki tane sipariş verdim, birini iptal edebilir miyim?",
        "Я случайно заказал не тот размер, можно поменять?",
        "اشتباهی دو تا سفارش دادم، میشه یکی رو لغو کنید؟",
        "Tilasin vahingossa väärän koon, voinko vaihtaa sen?",
    ],
)
def test_a_mistake_of_ones_own_with_a_request_is_a_request(text):
    d = decision(text)
    assert d.case == "request" and "customer_mistake" in d.flags
    reply = draft(text, PLAYBOOK, received_at=AT).public_reply
    assert reply and not APOLOGY.search(reply)


@pytest.mark.parametrize(
    "text",
    [
        "I accidentally deleted all my photos, please help",
        "Случайно удалил все фото, помогите",
        "اشتباهی همه عکس‌هامو پاک کردم، چیکار کنم؟",
    ],
)
def test_a_mistake_of_ones_own_with_only_a_call_for_help_is_a_problem(text):
    d = decision(text)
    assert d.intent == "complaint" and "customer_mistake" in d.flags


def test_help_with_no_problem_named_is_a_request_answered_in_public():
    d = decision("I need help finding a present for my sister")
    assert d.case == "request" and not d.private
    result = draft("I need help finding a present for my sister", PLAYBOOK, received_at=AT)
    assert result.private_reply is None
    assert "?" in (result.public_reply or "") or "tell us" in (result.public_reply or "").lower()


def test_having_trouble_is_help_with_a_problem_not_a_request():
    assert decision("I'm having trouble with my account, can you help?").intent == "complaint"


def test_an_idea_for_the_brand_is_a_suggestion_not_a_request():
    d = decision("Could you add a dark mode to the app?")
    assert d.case != "request" and "suggestion" in d.flags


def test_a_request_needing_personal_details_moves_to_private():
    result = draft("Can I change the delivery address on my order?", PLAYBOOK, received_at=AT)
    assert result.case == "request"
    assert "DM" in (result.public_reply or "")
    assert "order number" in (result.private_reply or "")
    rules = [r.rule for r in result.reasons]
    assert rules[0] == "be-the-expert" and "public-first" in rules


def test_a_follow_up_in_a_complaint_thread_is_not_a_request():
    context = [
        {"role": "customer", "text": "My parcel never arrived"},
        {"role": "brand", "text": "Sorry to hear that! Could you DM us your order number?"},
        {"role": "customer", "text": "Done"},
        {"role": "brand", "text": "Thanks, we've reshipped it."},
    ]
    d = decision("Still nothing. Can I cancel the order instead?", context)
    assert d.intent == "complaint"


def test_cli_draft_prints_the_request_case():
    result = CliRunner().invoke(
        app,
        ["draft", "Can I move my booking to Friday?", "--format", "json", "--received-at", AT],
    )
    assert result.exit_code == 0
    out = json.loads(result.stdout)
    assert (out["intent"], out["case"], out["action"]) == ("question", "request", "reply")
    assert out["evidence"]["request"] == "can i move"
    assert "request" in out["flags"]


def test_what_went_wrong_in_the_clause_of_ones_own_mistake_is_no_complaint():
    a = analyze("I accidentally ordered the wrong size, can I swap it?", PLAYBOOK)
    assert not a.matches.get("complaint") or "wrong" not in " ".join(a.matches["complaint"])
    # the next clause is read as it is
    d = decision("I accidentally ordered the wrong size, and your courier was so rude about it")
    assert d.intent == "complaint" and "rude" in " ".join(
        analyze(
            "I accidentally ordered the wrong size, and your courier was so rude about it", PLAYBOOK
        ).matches.get("complaint", ())
    )


@pytest.mark.parametrize(
    "text, channel",
    [
        ("Can I move my booking to Friday?", "email"),
        ("Rezervasyonumu cumaya erteleyebilir miyim?", "whatsapp"),
        ("Можно ли перенести бронь на пятницу?", "chat"),
        ("میشه رزروم رو به جمعه جابجا کنید؟", "messenger"),
        ("Voinko siirtää varauksen perjantaille?", "email"),
    ],
)
def test_a_request_on_a_private_channel_asks_for_what_it_needs_right_there(text, channel):
    result = draft(text, PLAYBOOK, channel=channel, received_at=AT)
    assert result.case == "request"
    assert result.private_reply is None
    reply = result.public_reply or ""
    dm = re.compile(r"\bDM\b|личн|خصوصی|yksityisviesti|Messenger|مسنجر", re.IGNORECASE)
    assert not dm.search(reply), reply
    assert not APOLOGY.search(reply), reply
    assert "public-first" in [r.rule for r in result.reasons]


@pytest.mark.parametrize(
    "text, needs",
    [
        ("I'd like to pause my membership for a month", "what you'd like us to do"),
        ("Planımı bir aylığına dondurmak istiyorum", "ne yapmamızı istediğiniz"),
    ],
)
def test_something_to_do_with_no_topic_goes_to_private_asking_what_and_which(text, needs):
    d = decision(text)
    assert d.case == "request" and d.private
    result = draft(text, PLAYBOOK, received_at=AT)
    assert needs in (result.private_reply or ""), result.private_reply
