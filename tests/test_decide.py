"""decide(): a message (and its thread) in, the decision out."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replybook import analyze, decide, load_playbook
from replybook.errors import UsageError

PLAYBOOK = load_playbook("default")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def decision(text: str, context: list[dict[str, str]] | None = None):
    return decide(analyze(text, PLAYBOOK, context=context), PLAYBOOK)


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for cancelling my flight with two hours' notice",
        "Gotta love paying for express shipping and waiting nine days",
        "Great job breaking the checkout again",
        "Oh great, my card was charged twice 🙄",
        "Wonderful. Another delayed train.",
    ],
)
def test_sarcasm_is_a_complaint_never_praise(text):
    d = decision(text)
    assert d.intent == "complaint"
    assert "sarcastic" in d.flags
    assert d.evidence["sarcastic"]


def test_mixed_praise_and_complaint_is_a_complaint_that_also_thanks():
    d = decision("The staff were lovely but I was charged twice for one night")
    assert d.intent == "complaint"
    assert "mixed" in d.flags and "sarcastic" not in d.flags


@pytest.mark.parametrize(
    "text",
    [
        "fix your stupid potato towers already",
        "ran the damn diagnostic and the laptop is still dead",
        "your app is shit, it logs me out every single time I open my basket",
        "what the fuck, my parcel was left in the rain and the box is soaked",
    ],
)
def test_rude_but_specific_is_answered(text):
    d = decision(text)
    assert (d.intent, d.action) == ("complaint", "reply")
    assert "specific_problem" in d.flags


def test_an_insult_the_customer_received_is_a_complaint():
    d = decision("your driver called me an idiot and threw the parcel at the door")
    assert (d.intent, d.action) == ("complaint", "reply")
    assert d.evidence["specific_problem"]


def test_abuse_with_no_problem_is_moderated_and_vague_rudeness_skipped():
    assert decision("you are all idiots and scumbags").action == "moderate"
    assert decision("this brand sucks").action == "skip"


@pytest.mark.parametrize(
    "text",
    [
        "It's working again, thanks!",
        "All sorted now, thank you so much",
        "it arrived today, cheers",
    ],
)
def test_works_again_is_a_turnaround(text):
    d = decision(text)
    assert (d.intent, d.case) == ("praise", "turnaround")


@pytest.mark.parametrize(
    "text",
    [
        "you fixed the login and broke the search, brilliant",
        "I'll keep calling until it's fixed",
        "the update should have fixed it but the app still crashes",
    ],
)
def test_fixed_inside_a_complaint_is_no_turnaround(text):
    d = decision(text)
    assert d.intent == "complaint" and d.case != "turnaround"


def test_the_customers_own_loss_is_never_a_joke():
    d = decision("lmao I accidentally deleted every photo from my account, send help")
    assert d.intent == "complaint" and d.case == "complaint"
    assert "customer_mistake" in d.flags


@pytest.mark.parametrize(
    "text",
    [
        "There was a piece of glass in my salad",
        "found mould all over the bread I bought this morning",
        "my son had an allergic reaction after eating your nut-free bar",
        "the charger caught fire overnight",
        "we all got food poisoning after the buffet",
        "smoke came out of the toaster and tripped the fuses",
    ],
)
def test_real_hazards_are_escalated(text):
    d = decision(text)
    assert d.action == "escalate" and d.case == "escalation"
    assert d.evidence["escalation"]


@pytest.mark.parametrize(
    "text",
    [
        "is it normal for a chicken wrap to have a bit of metal wire in it??",
        "should the bread have white fuzz on the crust? bought it this morning",
        "my daughter got an electric shock off your kettle, is that meant to happen?",
        "can I sue you for the glass in my salad?",
    ],
)
def test_a_hazard_or_threat_asked_as_a_question_is_a_complaint(text):
    d = decision(text)
    assert (d.intent, d.action) == ("complaint", "escalate")


def test_a_journalists_question_stays_a_question():
    d = decision("I'm a reporter at the Evening Echo, could you comment on the closures?")
    assert (d.intent, d.action) == ("question", "escalate")


@pytest.mark.parametrize(
    "text",
    [
        "the app freezes on my fire tv every night",
        "where is my refund, I'm about to explode",
        "your new playlist is on fire today",
        "my ears are bleeding from the hold music",
        "your new advert is an assault on my eyes",
    ],
)
def test_figures_of_speech_and_product_names_are_not_safety(text):
    assert decision(text).action != "escalate"


def test_own_hacked_account_is_a_complaint_a_breach_of_the_brand_is_escalated():
    own = decision("my account got hacked and someone changed my email")
    assert (own.intent, own.action) == ("complaint", "reply")
    assert own.private
    breach = decision("you leaked my data, I got a letter about your data breach")
    assert breach.action == "escalate"


@pytest.mark.parametrize(
    "text",
    [
        "having trouble with my router since Monday, can you help?",
        "why is it so hard to log in to your app??",
        "I bought a season pass but I can't use it, what can I do?",
        "how is it ok to charge 4 quid for a tiny coffee",
        "how are these two supposed to be the same size??",
    ],
)
def test_help_requests_and_angry_questions_are_complaints(text):
    assert decision(text).intent == "complaint"


@pytest.mark.parametrize(
    "text", ["Do you ship to Norway?", "When does the winter sale start? Thanks!"]
)
def test_plain_questions_stay_questions(text):
    assert decision(text).intent == "question"


def test_thread_thanks_after_the_brand_helped_is_a_turnaround():
    thread = [
        {"role": "customer", "text": "my order never arrived"},
        {"role": "brand", "text": "Sorry! We've sent a replacement, it's on its way."},
    ]
    d = decision("thank you, that's great", thread)
    assert (d.intent, d.case) == ("praise", "turnaround")


def test_thread_still_broken_after_the_brand_answered_is_a_follow_up_complaint():
    thread = [
        {"role": "customer", "text": "the app crashes when I pay"},
        {"role": "brand", "text": "Sorry about that! Please try reinstalling it."},
    ]
    d = decision("did that, still the same", thread)
    assert d.intent == "complaint"
    assert "follow_up" in d.flags


def test_thread_answer_to_the_brands_question_is_not_a_new_complaint():
    thread = [
        {"role": "customer", "text": "the app crashes when I pay"},
        {"role": "brand", "text": "Sorry! Which phone are you using?"},
    ]
    d = decision("an iPhone 12, on the latest version", thread)
    assert d.intent == "other"
    assert "answers_brand" in d.flags


def test_thread_escalation_earlier_keeps_the_thread_escalated():
    thread = [
        {"role": "customer", "text": "my lawyer will hear about this"},
        {"role": "brand", "text": "We're sorry. Could you DM us your booking reference?"},
    ]
    assert decision("sent it", thread).action == "escalate"


def test_reasons_name_the_phrase_found():
    d = decision("Thanks for losing my suitcase, great service")
    assert "sarcastic" in d.flags
    assert "losing" in d.evidence["sarcastic"]


@pytest.mark.parametrize(
    "context",
    [
        "not a list",
        [{"role": "bot", "text": "hi"}],
        [{"role": "brand"}],
        [{"role": "brand", "text": 5}],
        ["just text"],
    ],
)
def test_malformed_context_is_a_usage_error(context):
    with pytest.raises(UsageError):
        analyze("hello", PLAYBOOK, context=context)  # type: ignore[arg-type]


_MESSAGE = st.fixed_dictionaries(
    {"role": st.sampled_from(["customer", "brand", "other"]), "text": st.text(max_size=120)}
)


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=300), context=st.lists(_MESSAGE, max_size=4))
def test_decide_never_crashes(text, context):
    d = decide(analyze(text, PLAYBOOK, context=context), PLAYBOOK)
    assert d.intent in ("complaint", "question", "praise", "joke", "troll", "other")
    assert d.action in ("reply", "escalate", "moderate", "skip", "review")
    assert all(isinstance(v, str) for v in d.evidence.values())


def test_a_message_saying_it_wrote_in_private_is_acknowledged():
    from replybook import draft

    d = decision("Sure, DM sent!")
    assert "sent_private" in d.flags
    reply = draft("Sure, DM sent!", PLAYBOOK, name="Ana", now=NOW).public_reply
    assert reply is not None and "Thanks for the mention" not in reply
    assert "there" in reply  # "we'll reply to you there"


def test_a_suggestion_is_thanked_as_an_idea():
    from replybook import draft

    d = decision("you should add a dark mode to the app")
    assert "suggestion" in d.flags
    reply = draft("you should add a dark mode to the app", PLAYBOOK, now=NOW).public_reply
    assert reply is not None and ("idea" in reply or "suggestion" in reply)


def test_a_rude_story_of_its_own_is_answered_not_moderated():
    text = (
        "the gate agent in Leeds shouted that I was a coward and an idiot in front of my "
        "kids while we waited two hours at boarding for the delayed evening connection"
    )
    d = decision(text)
    assert d.action == "reply" and d.intent == "complaint"


def test_another_customers_data_shown_is_a_breach_of_the_brands_systems():
    for text in (
        "I logged in and the app shows someone else's name, address and card details!",
        "My account page lists another customer's orders",
    ):
        d = decide(analyze(text, PLAYBOOK), PLAYBOOK)
        assert d.action == "escalate", text


def test_a_hazard_found_is_never_a_turnaround():
    # "found" and "thanks" read as a fix; the glass in the food is what matters.
    d = decide(analyze("Thanks, I found a piece of glass in my salad", PLAYBOOK), PLAYBOOK)
    assert d.action == "escalate" and "turnaround" not in d.flags and d.intent == "complaint"


# A problem said to be absent is no complaint, in every language the playbook serves; a
# problem told beside it still is.
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Never had a problem with them, great service"),
        ("en", "No complaints at all, the delivery was quick, thanks"),
        ("tr", "Bir yıldır kullanıyorum, hiç sorun yaşamadım, teşekkürler"),
        ("ru", "Пользуюсь год, никаких проблем, всё отлично"),
        ("fa", "یک ساله استفاده می‌کنم و هیچ مشکلی نداشتم، عالیه"),
        ("fi", "Käytössä vuoden, ei mitään ongelmia, kiitos"),
    ],
)
def test_a_problem_said_to_be_absent_is_no_complaint(lang, text):
    d = decide(analyze(text, PLAYBOOK, lang=lang), PLAYBOOK)
    assert d.intent == "praise"
    assert "sarcastic" not in d.flags


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "No problems until the update, now the app keeps crashing"),
        ("tr", "Güncellemeye kadar hiç sorun yoktu, şimdi uygulama sürekli çöküyor"),
        ("ru", "До обновления никаких проблем не было, теперь приложение постоянно вылетает"),
        ("fa", "تا قبل از آپدیت هیچ مشکلی نداشتم، الان برنامه مدام بسته میشه"),
        ("fi", "Ennen päivitystä ei ollut ongelmia, nyt sovellus kaatuu jatkuvasti"),
    ],
)
def test_a_problem_told_beside_a_negation_is_still_a_complaint(lang, text):
    d = decide(analyze(text, PLAYBOOK, lang=lang), PLAYBOOK)
    assert d.intent == "complaint"


def test_thanks_for_the_reply_and_then_the_problem_again_is_no_turnaround():
    thread = [
        {"role": "customer", "text": "the app crashes when I pay"},
        {"role": "brand", "text": "Sorry about that! We've pushed a fix, please update the app."},
    ]
    d = decision("Thanks for the reply. But I updated and the app crashes again when I pay", thread)
    assert d.intent == "complaint"
    assert "turnaround" not in d.flags
    d = decision("Thanks, that's great, it works now", thread)
    assert d.case == "turnaround"


# Assault or harassment by someone the brand sent is a safety matter, in every language;
# harassment by marketing texts is a complaint.
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Your driver tried sexually assaulting my cousin on Friday"),
        ("en", "the delivery man groped me at my own door"),
        ("tr", "Kuryeniz kuzenimi taciz etmeye çalıştı"),
        ("ru", "Ваш курьер приставал к моей сестре прямо у двери"),
        ("fa", "پیک شما به خواهرم دست‌درازی کرد"),
        ("fi", "Kuljettajanne lähenteli siskoani kyydin aikana"),
    ],
)
def test_assault_and_harassment_are_escalated_as_safety(lang, text):
    a = analyze(text, PLAYBOOK, lang=lang)
    d = decide(a, PLAYBOOK)
    assert (d.action, a.escalation) == ("escalate", "safety")


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Your sales team keeps harassing me with calls, take me off the list"),
        ("tr", "SMS ile taciz ediyorsunuz, aboneliğimi iptal edin"),
    ],
)
def test_harassment_by_marketing_messages_is_a_complaint_not_safety(lang, text):
    d = decide(analyze(text, PLAYBOOK, lang=lang), PLAYBOOK)
    assert (d.intent, d.action) == ("complaint", "reply")


# Praise beside an inconvenience the customer was put to ("had to ...") is irony.
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Just wanted to pay my rent online. Amazing. Had to go to a branch in the end."),
        ("tr", "Harika. Faturamı ödemek için şubeye gitmek zorunda kaldım."),
        ("ru", "Супер. Мне пришлось три раза звонить, чтобы отменить заказ."),
        ("fa", "عالیه. مجبور شدم سه بار زنگ بزنم تا سفارش لغو بشه."),
        ("fi", "Mahtavaa. Jouduin soittamaan kolme kertaa, että tilaus peruttiin."),
    ],
)
def test_praise_beside_an_inconvenience_is_sarcasm(lang, text):
    d = decide(analyze(text, PLAYBOOK, lang=lang), PLAYBOOK)
    assert d.intent == "complaint"
    assert "sarcastic" in d.flags


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "I had to tell you: the new app is amazing"),
        ("ru", "Мне пришлось по вкусу ваше новое меню, супер"),
    ],
)
def test_praise_with_no_inconvenience_stays_praise(lang, text):
    assert decide(analyze(text, PLAYBOOK, lang=lang), PLAYBOOK).intent == "praise"


# The brand asked whether it's fixed: a no is a follow-up complaint. The brand asked whether
# it still fails: a yes is one, and a no with "it works now" is a turnaround.
CHECKS = {
    "en": (
        "my internet keeps dropping",
        "Sorry about that! We've reset your line. Is it working now?",
        "Not really, it dropped again an hour ago",
        "Are you still having issues?",
        "Yes, every evening",
        "No, all good now, thanks",
    ),
    "tr": (
        "İnternetim sürekli kopuyor",
        "Merhaba, hattınızı sıfırladık. Sorun çözüldü mü?",
        "Hayır, bir saat önce yine koptu",
        "Sorun hâlâ devam ediyor mu?",
        "Evet, her akşam",
        "Hayır, artık düzeldi, teşekkürler",
    ),
    "ru": (
        "Интернет постоянно отключается",
        "Здравствуйте! Мы перезагрузили вашу линию. Заработало?",
        "Нет, час назад опять отключился",
        "Проблема сохраняется?",
        "Да, каждый вечер",
        "Нет, всё работает, спасибо",
    ),
    "fa": (
        "اینترنتم مدام قطع میشه",
        "سلام، خط شما را ریست کردیم. مشکل حل شد؟",
        "نه، یک ساعت پیش دوباره قطع شد",
        "هنوز مشکل دارید؟",
        "بله، هر شب",
        "نه، درست شد، ممنون",
    ),
    "fi": (
        "Netti katkeilee jatkuvasti",
        "Hei! Nollasimme linjasi. Toimiiko nyt?",
        "Ei, katkesi taas tunti sitten",
        "Onko ongelma edelleen?",
        "Kyllä, joka ilta",
        "Ei, nyt toimii, kiitos",
    ),
}


@pytest.mark.parametrize("lang", sorted(CHECKS))
def test_an_answer_to_the_brands_check_says_whether_it_still_fails(lang):
    problem, fixed, no, still, yes, works = CHECKS[lang]

    def thread(brand: str) -> list[dict[str, str]]:
        return [{"role": "customer", "text": problem}, {"role": "brand", "text": brand}]

    for brand, answer in ((fixed, no), (still, yes)):
        d = decide(analyze(answer, PLAYBOOK, context=thread(brand), lang=lang), PLAYBOOK)
        assert (d.intent, d.case) == ("complaint", "complaint"), answer
        assert "follow_up" in d.flags
        assert d.evidence["complaint"] == re.split("[,،]", answer)[0].casefold()
    d = decide(analyze(works, PLAYBOOK, context=thread(still), lang=lang), PLAYBOOK)
    assert d.case == "turnaround"


# A good word negated is no praise (and so no irony): it is the complaint.
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "The staff were not very helpful and the room wasn't clean"),
        ("tr", "Hizmet hiç güzel değildi, yemek de soğuktu"),
        ("ru", "Персонал был не очень вежливым, а номер грязным"),
        ("fa", "برخورد کارمندها اصلا خوب نبود و اتاق کثیف بود"),
        ("fi", "Henkilökunta ei ollut kovin ystävällinen ja huone oli likainen"),
    ],
)
def test_a_negated_good_word_is_a_complaint_not_praise(lang, text):
    d = decide(analyze(text, PLAYBOOK, lang=lang), PLAYBOOK)
    assert d.intent == "complaint"
    assert "sarcastic" not in d.flags and "mixed" not in d.flags


@pytest.mark.parametrize(
    "text",
    [
        "Not only fast but friendly too, love it",
        "Cheers for the quick help, brilliant service",
    ],
)
def test_praise_past_a_negation_still_counts(text):
    assert decision(text).intent == "praise"


@pytest.mark.parametrize(
    "text",
    [
        "Cheers for leaving us on the tarmac for 3 hours with no water",
        "My parcel was marked delivered but it's nowhere to be found",
        "Is anyone actually going to answer my emails or should I just give up?",
        "The barista was lovely but the coffee was stone cold",
    ],
)
def test_more_ways_to_complain_are_read(text):
    assert decision(text).intent == "complaint"


def test_thanks_in_a_thread_that_was_praise_all_along_is_no_turnaround():
    thread = [
        {"role": "customer", "text": "Thank you for the excellent service, your staff truly care"},
        {"role": "brand", "text": "Wow, that's what we love to hear! We appreciate your loyalty."},
    ]
    d = decision("Just giving credit where it's due. Thank you", thread)
    assert (d.intent, d.case) == ("praise", "praise")


def test_thanks_beside_the_problem_again_is_a_complaint():
    thread = [
        {"role": "customer", "text": "How long until my credit is processed? I answered the email"},
        {"role": "brand", "text": "Hi, we have answered you in a DM, see you there!"},
    ]
    d = decision("I did not receive anything. Have sent you a DM. Thanks", thread)
    assert d.intent == "complaint"
    assert "turnaround" not in d.flags
    assert decision("Still haven't heard back about my refund, thanks").intent == "complaint"


@pytest.mark.parametrize(
    "text",
    [
        "Will you ever address my complaint? Or do you just ignore it until it goes away?",
        "How do I reach someone higher about a rep who messed up my account and kept lying?",
    ],
)
def test_an_angry_question_about_being_ignored_or_lied_to_is_a_complaint(text):
    d = decision(text)
    assert d.intent == "complaint"


def test_breaking_out_a_costume_is_no_breakage():
    d = decision("Happy Halloween! I broke out my pirate costume today")
    assert d.intent != "complaint"
    assert "customer_mistake" not in d.flags


@pytest.mark.parametrize(
    "text",
    [
        "Fab customer service today. Shoes exchanged with no fuss 😁",
        "Been using the app for a year and it never crashed once, love it",
    ],
)
def test_a_fault_said_not_to_have_happened_is_no_complaint(text):
    assert decision(text).intent == "praise"


def test_a_topic_word_inside_a_negation_names_no_topic():
    assert analyze("It never crashed once in a whole year, love it", PLAYBOOK).topic is None
    assert analyze("It crashed twice this morning", PLAYBOOK).topic == "app"


YES_THANKS = {
    "en": ("Yes, thanks", "No, thanks"),
    "tr": ("Evet, teşekkürler", "Hayır, teşekkürler"),
    "ru": ("Да, спасибо", "Нет, спасибо"),
    "fa": ("بله، ممنون", "نه، ممنون"),
    "fi": ("Kyllä, kiitos", "Ei, kiitos"),
}


@pytest.mark.parametrize("lang", sorted(CHECKS))
def test_a_yes_to_is_it_fixed_or_a_no_to_still_failing_is_thanks_for_a_fix(lang):
    problem, fixed, _, still, _, _ = CHECKS[lang]
    yes, no = YES_THANKS[lang]
    for brand, answer in ((fixed, yes), (still, no)):
        thread = [{"role": "customer", "text": problem}, {"role": "brand", "text": brand}]
        d = decide(analyze(answer, PLAYBOOK, context=thread, lang=lang), PLAYBOOK)
        assert d.case == "turnaround", (answer, d)


def test_a_yes_with_the_fault_still_there_is_no_fix():
    thread = [
        {"role": "customer", "text": "my internet keeps dropping"},
        {"role": "brand", "text": "Sorry about that! We've reset your line. Is it working now?"},
    ]
    for answer in ("Yes, unfortunately it still drops", "Yeah, it's still dropping every hour"):
        d = decision(answer, thread)
        assert (d.intent, d.case) == ("complaint", "complaint"), answer


@pytest.mark.parametrize(
    "text",
    [
        "@AcmePhone battery sucks since the last update",
        "@AcmeAir the seats on this plane are crap",
        "@AcmeTel wifi is shit again tonight",
    ],
)
def test_a_rude_word_said_of_a_thing_is_a_complaint_answered(text):
    d = decision(text)
    assert (d.intent, d.action) == ("complaint", "reply")
    assert "specific_problem" in d.flags


@pytest.mark.parametrize(
    "text", ["@AcmeTel you guys are trash lol", "@AcmeTel you lot are a joke, absolute clowns"]
)
def test_rude_about_nothing_in_particular_is_still_skipped(text):
    d = decision(text)
    assert (d.intent, d.action) == ("troll", "skip")


def test_more_of_an_unanswered_complaint_continues_it():
    thread = [
        {"role": "customer", "text": "@AcmeTel my internet has been down since Monday"},
        {"role": "customer", "text": "@AcmeTel been on hold for an hour now"},
    ]
    d = decision("@AcmeTel look at this", thread)
    assert d.intent == "complaint"
    assert "continues" in d.flags
    # Once the brand has answered, a bare "hello" is no complaint of its own.
    answered = [*thread, {"role": "brand", "text": "We're sorry, we've sent you a DM."}]
    assert "continues" not in decision("@AcmeTel hello", answered).flags
    # Nor when the customer says it works again.
    assert "continues" not in decision("@AcmeTel it came back on this morning", thread).flags


def test_a_help_request_earlier_in_a_thread_is_complaining_in_it():
    thread = [{"role": "customer", "text": "@AcmeApp having trouble with the checkout, any ideas?"}]
    d = decision("@AcmeApp see the screenshot", thread)
    assert d.intent == "complaint"


@pytest.mark.parametrize(
    "text",
    [
        "@AcmeRail so you bump the prices up again. How's that fair",
        "@AcmeTel can someone call me back? third time asking",
        "@AcmeShop ordered three weeks ago and nothing",
        "@AcmeTel any news on when the broadband will be fixed?",
        "@AcmeRail what's the point of booking a seat?",
        "@AcmeTel no reply till now",
    ],
)
def test_rhetorical_complaints_are_complaints(text):
    assert decision(text).intent == "complaint"


@pytest.mark.parametrize(
    "text",
    [
        "@AcmeShop how long does delivery to France usually take?",
        "@AcmeShop is the refund policy 30 or 60 days?",
        "İade politikası kaç gün?",
        "Обычно сколько идёт доставка до Казани?",
        "Kuinka kauan toimitus yleensä kestää Ouluun?",
        "شرایط مرجوعی کالا چیه؟",
    ],
)
def test_asking_how_things_usually_are_is_a_question(text):
    assert decision(text).intent == "question"


def test_a_complaint_about_the_policy_is_still_a_complaint():
    d = decision("@AcmeShop your refund policy is a joke, still waiting 5 weeks for my money")
    assert d.intent == "complaint"


@pytest.mark.parametrize(
    "text",
    [
        "@AcmeCars mine needs replacing after 5 years. Not a happy customer!",
        "@AcmeRail my ticket was not accepted at the barrier",
        "@AcmeBank i cant log into the website but it works on my phone",
        "@AcmeTel i still await your response about my bill",
        "@AcmeBeer this is the last time i buy your lager",
    ],
)
def test_more_everyday_complaints(text):
    assert decision(text).intent == "complaint"


@pytest.mark.parametrize(
    "text",
    [
        "@AcmeAir your crew did an amazing job today with a delayed flight - thank you!",
        "Gecikmeye rağmen ekip harikaydı, teşekkürler!",
        "Несмотря на задержку, экипаж был великолепен, спасибо!",
        "Viivästyksestä huolimatta henkilökunta oli mahtavaa, kiitos!",
        "با وجود تاخیر، خدمه فوق‌العاده بودند، ممنون!",
    ],
)
def test_praise_for_handling_a_problem_is_praise_not_irony(text):
    d = decision(text)
    assert d.intent == "praise"
    assert "sarcastic" not in d.flags


@pytest.mark.parametrize(
    "text",
    [
        "@AcmeAir despite the delay, nobody told us anything for 3 hours",
        "@AcmeAir thanks for the delayed flight, amazing job",
        "Gecikmeye rağmen kimse bilgi vermedi, rezalet",
    ],
)
def test_a_problem_beside_the_circumstance_is_still_a_complaint(text):
    assert decision(text).intent == "complaint"


@pytest.mark.parametrize(
    "text",
    [
        "@AcmeBank whats going on with the app today",
        "@AcmeShop im so fed up, my order still hasnt arrived",
        "@AcmeAir are you serious? 4 hours on the tarmac?",
        "@AcmeBank do you even read your DMs?",
        "@AcmeAir why do you keep changing my seat",
        "@AcmeGame when are the servers coming back up",
    ],
)
def test_complaints_typed_quickly_are_complaints(text):
    assert decision(text).intent == "complaint"


def test_servers_back_up_with_thanks_is_a_turnaround():
    d = decision("@AcmeGame servers are back up, thanks!")
    assert d.intent == "praise" and "turnaround" in d.flags


def test_apostrophes_are_optional_only_for_the_listed_endings():
    from replybook.analyze import _without_apostrophes

    endings = ("n't", "'s", "'m")
    assert _without_apostrophes("what's going on", endings) == "whats going on"
    assert _without_apostrophes("can't log in", endings) == "cant log in"
    assert _without_apostrophes("we'll see", endings) == "we'll see"
    assert _without_apostrophes("'s", endings) == "'s"


@pytest.mark.parametrize(
    "text",
    [
        "@AcmeTel it needs to be fixed. Permanently. Now.",
        "@AcmeRail what's the reason all trains are at a standstill?",
        "@AcmeShop what are you doing about price gouging on cleaning spray?",
        "Gotta luv @AcmeRail, finally get through and they tried to charge me double",
    ],
)
def test_more_complaints_from_real_shapes(text):
    d = decision(text)
    assert d.intent == "complaint" and "turnaround" not in d.flags


def test_sadly_yes_to_still_ongoing_is_a_follow_up_complaint():
    thread = [
        {"role": "customer", "text": "@AcmeStream the show keeps failing to play"},
        {"role": "brand", "text": "Sorry! Is this still ongoing? Which device?"},
    ]
    assert decision("@AcmeStream Sadly yes", thread).intent == "complaint"


def test_works_after_the_brand_asked_to_see_if_it_helps_is_a_turnaround():
    thread = [
        {"role": "customer", "text": "@AcmeApp the new update made the app unusable"},
        {"role": "brand", "text": "Sorry! Could you log out and back in to see if it helps?"},
    ]
    assert "turnaround" in decision("@AcmeApp Works. Blame the phone update.", thread).flags
    assert decision("@AcmeApp still crashing", thread).intent == "complaint"


@pytest.mark.parametrize(
    "text",
    [
        "Let's say one doesn't have a costume, could one still get that deal? @AcmeBurrito",
        "@AcmeShop what if my order doesn't arrive by Friday? can I still return it?",
        "Diyelim ki kargo gelmedi, ne yapmalıyım?",
        "Допустим, посылка не придёт к пятнице, что тогда?",
        "Entä jos paketti ei tule perjantaihin mennessä?",
        "فرض کنید سفارش تا جمعه نرسه، چکار باید بکنم؟",
    ],
)
def test_a_problem_supposed_is_a_question_not_a_complaint(text):
    assert decision(text).intent == "question"


def test_a_problem_had_beside_a_supposed_one_is_a_complaint():
    # The supposing stops at the end of its sentence.
    assert decision("@AcmeShop what if I need it Friday? my order never arrived").intent == (
        "complaint"
    )


@pytest.mark.parametrize(
    ("thread_text", "ask", "answer", "intent"),
    [
        ("@AcmeTV channel 454 is broken", "Have you tried restarting the box?",
         "@AcmeTV no I haven't tried that", "other"),
        ("@AcmeTV channel 454 is broken", "Have you tried restarting the box?",
         "@AcmeTV I did, didn't help", "complaint"),
        ("@AcmeTV 454 kanalı bozuk", "Modemi yeniden başlattınız mı?", "Hayır, denemedim", "other"),
        ("@AcmeTV 454 kanalı bozuk", "Modemi yeniden başlattınız mı?",
         "Evet, hâlâ çalışmıyor", "complaint"),
    ],
)
def test_answering_the_brands_question_weak_words_are_the_answer(thread_text, ask, answer, intent):
    thread = [{"role": "customer", "text": thread_text}, {"role": "brand", "text": ask}]
    assert decision(answer, thread).intent == intent


# --- English: more of the ways customers write (case plan of bench/sets/README.md) ---


@pytest.mark.parametrize(
    "text",
    [
        "takeaway left the restaurant an hour ago, it'll be inedible by the time it arrives",
        "Adore that my express parcel is now arriving next Friday. Top service",
        "the new trainers are stunning, shame the sole came off after one run",
        "three hours sat at the gate and not a single update from anyone",
        "the fitted wardrobe was meant to be installed Monday, still waiting",
        "my tablet's been stuck at your sorting centre since the 3rd",
        "how hard is it to answer an email??",
        "this router is driving me up the wall, drops every evening",
        "no 5G anywhere in Cardiff city centre since this morning",
        "Someone has logged into my account and changed the delivery address",
    ],
)
def test_english_complaints_in_more_words(text):
    d = decision(text)
    assert (d.intent, d.action) == ("complaint", "reply"), text


@pytest.mark.parametrize(
    "text",
    [
        "Thanks Marek on the chat, had a real headache with my direct debit but he got it sorted",
        "just to say the refund has landed, cheers for chasing",
        "the rota app is absolutely killing it since the redesign",
        "whoever runs your socials deserves a pay rise",
        "Been with you 12 years, never had cause to complain. Keep it up",
        "parcel came well packaged, not a scratch on it",
    ],
)
def test_english_praise_and_thanks_after_a_fix(text):
    assert decision(text).intent == "praise", text


@pytest.mark.parametrize(
    "text",
    [
        "my dad slipped on the wet tiles by your tills and hurt his back",
        "I fractured my wrist tripping over a pallet in aisle 9",
        "there's a plaster baked into the bottom of my loaf",
        "the kettle sparked when I switched it on and now smells of burning",
        "your app is showing me a different customer's orders and phone number",
        "I'm a journalist from the Herald looking into delays at your Leeds depot, can we talk?",
    ],
)
def test_english_hazards_data_and_press_are_escalated(text):
    assert decision(text).action == "escalate", text


def test_a_journalists_enquiry_about_problems_is_a_question_not_a_complaint():
    d = decision("Hi, reporter at the Courier, writing about refunds that never came. Comment?")
    assert (d.intent, d.action) == ("question", "escalate")
    # A customer who threatens the press is still complaining.
    d = decision("my refund never arrived and I'm going to the press about it")
    assert (d.intent, d.action) == ("complaint", "escalate")


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("go back to where you came from, nobody wants your kind here", "moderate"),
        ("f*** off the lot of you", "moderate"),
        ("you lot can get stuffed", "skip"),
        ("you're all utterly hopeless", "skip"),
        ("bunch of muppets", "skip"),
    ],
)
def test_english_abuse_is_moderated_and_rude_dismissals_skipped(text, action):
    d = decision(text)
    assert (d.intent, d.action) == ("troll", action), text


def test_english_rude_with_a_problem_is_still_answered():
    d = decision("you're all hopeless, my parcel's been at your depot for ten days")
    assert (d.intent, d.action) == ("complaint", "reply")


@pytest.mark.parametrize(
    "text",
    [
        "I typed my postcode wrong at checkout, can the courier still find me?",
        "Deleted all my saved addresses by accident, how do I get them back?",
    ],
)
def test_english_own_mistakes_are_problems_to_help_with(text):
    d = decision(text)
    assert d.intent == "complaint"
    assert "customer_mistake" in d.flags


def test_a_loss_the_brands_update_caused_is_no_mistake_of_the_customers():
    d = decision("the latest update deleted all my playlists")
    assert d.intent == "complaint"
    assert "customer_mistake" not in d.flags


def test_english_figures_of_speech_are_not_escalated():
    for text in ("this hold music is killing me", "your new menu is straight fire, killing it"):
        assert decision(text).action == "reply", text


@pytest.mark.parametrize(
    ("brand", "answer"),
    [
        ("Rebooked for tomorrow. ^DP", "tomorrow came and went, nobody turned up"),
        ("Your refund should land by Friday. ^MK", "that was a week ago and it never arrives"),
        ("The driver is 2 minutes away! ^JS", "2 minutes my arse, that was 40 mins ago"),
    ],
)
def test_english_a_promise_not_kept_in_a_thread_is_a_complaint(brand, answer):
    thread = [{"role": "customer", "text": "still waiting"}, {"role": "brand", "text": brand}]
    assert decision(answer, thread).intent == "complaint", answer


def test_english_a_refund_received_after_the_brand_helped_is_thanks():
    thread = [
        {"role": "customer", "text": "I was charged for a cancelled order"},
        {"role": "brand", "text": "We've raised the refund with our payments team. ^AB"},
    ]
    d = decision("got the refund this morning, ta", thread)
    assert d.intent == "praise"
    assert "turnaround" in d.flags


@pytest.mark.parametrize(
    "text",
    [
        "no water damage at all despite the downpour",
        "barely had to wait, in and out in 5 mins",
        "finally got round to trying the new oat latte",
        "what time does the Hull store shut on Sundays?",
    ],
)
def test_english_innocent_words_near_the_new_phrases_are_no_complaint(text):
    assert decision(text).intent != "complaint", text


@pytest.mark.parametrize(
    "text",
    [
        "Funny how the price doubled the week after I signed up",
        "Incredible how you can bill me instantly but take a month to refund",
        "bravo, you've managed to lose my suitcase on a 50 minute flight",
        "The pasta was lovely, the wait was not.",
        "gorgeous lamp, shame the shade came off on day two",
        "adore the jacket but the zip was broken when it arrived",
        "are you having a laugh? £6 for a coffee",
        "I want my £40 back by Monday",
        "rang your helpline six times, it just rings out",
    ],
)
def test_english_sarcastic_and_mixed_complaints_are_complaints(text):
    d = decision(text)
    assert d.intent == "complaint", text
    assert d.action == "reply"


@pytest.mark.parametrize(
    "text",
    [
        "amazing how easy the new app makes it to split a bill",
        "how long does international shipping take to Canada?",
        "what's the best way to get in touch about a missing points balance?",
        "thank you for refunding me so quickly, you saved my day",
        "Unreal service, the friendliest crew I've flown with",
    ],
)
def test_english_questions_and_praise_are_no_complaint(text):
    assert decision(text).intent in ("question", "praise"), text


def test_english_a_wish_of_harm_is_moderated():
    assert decision("hope your warehouse burns down with all of you in it").action == "moderate"


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("you lot are on fire with the offers this week 🔥", "reply"),
        ("gonna sue you for making me addicted to your cookies 😂", "reply"),
        ("the extension lead is on fire, there's smoke everywhere", "escalate"),
        ("had a fall on your icy car park, my wrist is badly swollen", "escalate"),
        ("the case got so hot it burned my thigh", "escalate"),
    ],
)
def test_english_fire_and_suing_as_figures_and_as_real_hazards(text, action):
    assert decision(text).action == action, text


@pytest.mark.parametrize(
    "text",
    [
        "I'm reporting you to Ofgem first thing tomorrow",
        "you'll be hearing from my legal team",
        "I can see other customers' bank details on my statement page",
    ],
)
def test_english_regulators_legal_teams_and_leaks_are_escalated(text):
    d = decision(text)
    assert (d.intent, d.action) == ("complaint", "escalate"), text


@pytest.mark.parametrize(
    "text",
    [
        "Do you charge a fee if I move my booking to June?",
        "what's your policy on lost luggage for connecting flights?",
        "If the sofa doesn't fit through my door, can I send it back?",
    ],
)
def test_english_conditional_and_policy_questions_are_questions(text):
    assert decision(text).intent == "question", text


def test_english_a_condition_beside_a_real_problem_is_still_a_complaint():
    assert decision("Why is my refund still missing if you approved it on Monday?").intent == (
        "complaint"
    )


@pytest.mark.parametrize(
    "text",
    [
        "will you marry me @CrumbCo? asking for my sweet tooth",
        "your hold music has been living in my head rent free since Tuesday",
        "I've had so many of your flat whites I'm legally 60% oat milk",
    ],
)
def test_english_jokes_without_lol_are_jokes(text):
    assert decision(text).intent == "joke", text


@pytest.mark.parametrize(
    "text",
    [
        "your Leeds store is full of immigrants now, send them all back",
        "Şubeniz yabancı kaynıyor, ülkelerine geri gönderin",
        "В вашем кафе одни понаехавшие, валите в свою страну",
        "فروشگاهتون پر از عربای کثیف شده، برگردن کشور خودشون",
        "Teidän kauppa on täynnä mamuja, painukaa kotimaahanne",
    ],
)
def test_hate_is_moderated_whatever_branch_it_names(text):
    d = decision(text)
    assert (d.intent, d.action) == ("troll", "moderate")
    assert d.evidence["abuse"]


def test_hate_the_customer_was_told_is_a_complaint():
    d = decision("the man at your till told me to go back to my own country")
    assert (d.intent, d.action) == ("complaint", "reply")


@pytest.mark.parametrize(
    "text",
    [
        "the bagels from your bakery aisle were covered in fuzzy white stuff when I opened them",
        "a crate fell off the shelf in your Derby store and my mum has a fractured wrist",
        "your app is showing some woman called Jo's billing address on my account page",
    ],
)
def test_hazards_and_leaks_in_other_words_are_escalated(text):
    assert decision(text).action == "escalate"


def test_more_ways_of_saying_it_works_again_and_still_fails():
    back = decision("ok the wifi's back and the credit has landed, cheers")
    assert back.intent == "praise" and "turnaround" in back.flags
    context = [
        {"role": "customer", "text": "the app keeps saying my card is invalid"},
        {"role": "brand", "text": "Sorry! Could you remove the card and add it again?"},
    ]
    again = decision("did that twice, same message", context=context)
    assert again.intent == "complaint"


def test_booking_the_wrong_one_is_the_customers_own_mistake():
    d = decision("ordered the blue one instead of the green, can you help")
    assert d.intent == "complaint" and "customer_mistake" in d.flags


def test_questions_without_a_question_mark_and_praise_said_with_a_strong_word():
    assert decision("does the new tablet come with a charger or do i buy one").intent == "question"
    assert decision("your cinnamon buns are stupidly good").intent == "praise"


@pytest.mark.parametrize(
    "text",
    [
        "there was a long black hair baked right through the middle of my loaf",
        "the toaster started sparking and then smoke filled the kitchen",
        "my husband has been vomiting since last night after eating your prawns",
        "my daughter split her lip open on the trolley, she needed stitches",
        "Salatanın içinde koca bir hamamböceği vardı",
        "В супе плавал таракан",
        "توی ساندویچ مرغ سوسک بود",
        "Keitossa oli torakka",
    ],
)
def test_hazards_told_in_words_of_their_own_are_escalated(text):
    d = decision(text)
    assert (d.intent, d.action) == ("complaint", "escalate")
    assert d.evidence["escalation"]


@pytest.mark.parametrize(
    "text",
    [
        "a glass of wine with my meal took 40 minutes to come",
        "the sandwich comes wrapped in far too much plastic",
        "your app has a bug and my food order failed twice",
        "the hair salon next to your store is lovely. food was great too",
        "Telefonum çok ısınıyor, şarj da çabuk bitiyor",
    ],
)
def test_everyday_words_beside_food_or_a_device_are_no_hazard(text):
    assert decision(text).action != "escalate"
