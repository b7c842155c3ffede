"""Questions that carry a complaint word but ask, in five languages."""

from __future__ import annotations

import pytest

from replybook import analyze, decide


def decision(text, playbook):
    return decide(analyze(text, playbook), playbook)


@pytest.mark.parametrize(
    "text",
    [
        "@AcmeAir is it too late to add a bag to my booking?",
        "is too late to switch my order to express delivery @AcmeShop",
        "@AcmeShop is it already too late to cancel order 5521",
        "@AcmeShop siparişimi iptal etmek için geç mi kaldım?",
        "@AcmeShop не поздно ли отменить заказ? оформила вчера",
        "@AcmeAir onko liian myöhäistä vaihtaa lentoa huomiselle?",
        "@AcmeShop هنوز وقت هست سفارشم رو لغو کنم؟",
    ],
)
def test_asking_whether_there_is_still_time_is_a_question(text, default):
    d = decision(text, default)
    assert d.intent == "question", d.evidence


@pytest.mark.parametrize(
    "text",
    [
        "@AcmeShop they told me it's too late to get a refund, after 3 weeks of waiting",
        "@AcmeShop kurye çok geç geldi, yemek buz gibiydi",
        "@AcmeShop уже поздно что-то менять, заказ потерян, деньги не вернули",
    ],
)
def test_lateness_told_as_what_happened_is_still_a_complaint(text, default):
    assert decision(text, default).intent == "complaint"


@pytest.mark.parametrize(
    "text",
    [
        "@AcmeRail how much is a return from Leeds to York on Saturday",
        "Can someone answer a question @AcmeTel",
        "@AcmeShop I have a question about the warranty on my blender",
        "@AcmeBank quick question for you about joint accounts",
    ],
)
def test_questions_asked_without_a_question_mark(text, default):
    assert decision(text, default).intent == "question"


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("@AcmeShop can I collect an order for someone else's account?", "reply"),
        ("@AcmeAir can I book a flight in someone else's name?", "reply"),
        ("@AcmeShop I logged in and can see someone else's orders and address!", "escalate"),
        ("@AcmeBank your app is showing me another customer's details", "escalate"),
    ],
)
def test_acting_for_someone_else_is_no_data_leak(text, action, default):
    assert decision(text, default).action == action
