"""Persian: comments in, decisions and native replies out (the built-in default playbook)."""

from __future__ import annotations

import re

import pytest

from replybook import analyze, decide, draft, lint, load_playbook
from replybook.store import Incident, Pattern

PLAYBOOK = load_playbook("default")
NOW = "2026-11-23T09:00:00Z"
# Directional isolates and marks the core puts around Latin names, numbers and handles.
BIDI = re.compile("[\u200e\u200f\u2066-\u2069]")
# Any word in Latin letters: a Persian reply has none but the names given to it.
LATIN = re.compile(r"[A-Za-z]{2,}")
APOLOGY = re.compile(r"متأسف|عذر|پوزش")
GREETING = re.compile(r"^(?:سلام|درود|با سلام|Dana (?:عزیز|گرامی)، سلام)")
JOKES = re.compile(r"خخخ|هاها|😂|🤣|😄|اوپس|پیش می‌آید|عیبی ندارد")
SIGNED = "با احترام، Mia"


def decision(text: str, context: list[dict[str, str]] | None = None):
    return decide(analyze(text, PLAYBOOK, context=context), PLAYBOOK)


def reply(text: str, **options: object):
    options.setdefault("received_at", NOW)
    return draft(text, PLAYBOOK, **options)  # type: ignore[arg-type]


def native(text: str | None) -> str:
    """The reply without directional marks and the names the test gave it."""
    assert text
    return BIDI.sub("", text).replace("Dana", "").replace("Mia", "")


@pytest.mark.parametrize(
    ("text", "intent", "case", "action"),
    [
        (
            "مرسوله‌ام سه هفته است نرسیده و کد رهگیری هم چیزی نشان نمی‌دهد",
            "complaint",
            "complaint",
            "reply",
        ),
        ("اینترنتم از دیروز قطع شده، چرا کسی جواب نمی‌دهد؟", "complaint", "complaint", "reply"),
        ("بلیط غیر قابل استرداد خریدم ولی پولم را پس می‌خواهم", "complaint", "refusal", "reply"),
        ("پشتیبانی‌تون عالیه، ظرف پنج دقیقه جواب دادید، دمتون گرم!", "praise", "praise", "reply"),
        ("ساعات کاری پشتیبانی چیه؟", "question", "faq", "reply"),
        ("برای ارسال به تبریز هم هزینه جدا می‌گیرید؟", "question", "question", "reply"),
        ("خخخ تبلیغ جدیدتون با اون گربه دقیقاً من صبح شنبه‌ام 😂", "joke", "joke", "reply"),
        ("از شما شکایت می‌کنم و وکیلم پیگیری می‌کند", "complaint", "escalation", "escalate"),
        ("تبلیغتون رو توی مترو دیدم", "other", "other", "reply"),
        ("کس‌کشا، برید گمشید", "troll", "troll", "moderate"),
        ("شرکتتون خیلی مزخرفه", "troll", "troll", "skip"),
    ],
)
def test_each_case_is_decided(text, intent, case, action):
    d = decision(text)
    assert (d.intent, d.case, d.action) == (intent, case, action)


def test_sarcasm_is_a_complaint_never_praise():
    d = decision("ممنون که بدون هیچ اطلاعی سفارشم رو لغو کردید، واقعاً عالی")
    assert d.intent == "complaint"
    assert "sarcastic" in d.flags


def test_mixed_praise_and_complaint():
    d = decision("پیک خیلی مؤدب بود ولی جعبه شکسته رسید")
    assert d.intent == "complaint"
    assert "mixed" in d.flags and "sarcastic" not in d.flags


def test_the_customers_own_mistake_gets_help_and_no_joke():
    text = "اشتباهی همه عکس‌هامو پاک کردم، کمکم کنید"
    d = decision(text)
    assert d.intent == "complaint" and "customer_mistake" in d.flags
    public = reply(text, name="Dana").public_reply
    assert public and not JOKES.search(public)


def test_rude_but_specific_is_answered_calmly():
    d = decision("لعنتی، این اپلیکیشن احمقانه‌تون باز هم موقع پرداخت کرش می‌کنه")
    assert (d.intent, d.action) == ("complaint", "reply")
    assert {"specific_problem", "angry"} <= d.flags


def test_a_vague_complaint_is_still_answered():
    d = decision("اصلاً از این تجربه راضی نیستم")
    assert (d.intent, d.action) == ("complaint", "reply")


def test_product_review_complaints_without_exclamation_marks():
    assert decision("کیفیتش خیلی پایینه، بعد از دو روز خراب شد و پس دادم").intent == "complaint"
    assert decision("اصلا ارزش خرید نداره، پولتونو دور نریزید").intent == "complaint"
    assert decision("گوشی عالیه، یک ماهه دارمش و هیچ مشکلی نداره").intent != "complaint"


@pytest.mark.parametrize(
    "text",
    ["اپلیکیشن کار نمی‌کنه", "اپلیکیشن کار نمیکنه", "اپلیکیشن کار نمی کنه", "اپليكيشن كار نمي‌كنه"],
)
def test_spellings_without_non_joiner_or_with_arabic_letters_read_alike(text):
    a = analyze(text, PLAYBOOK)
    assert a.language == "fa" and a.topic == "app"
    assert decide(a, PLAYBOOK).intent == "complaint"


def test_a_figure_of_speech_is_not_an_escalation():
    d = decision("دارم منفجر می‌شم از دست این پشتیبانی، سه روزه منتظرم")
    assert d.intent == "complaint" and d.action == "reply"


def test_real_hazards_and_breaches_escalate_but_a_hacked_account_does_not():
    assert decision("توی غذایی که سفارش دادم تکه شیشه بود").action == "escalate"
    assert decision("اطلاعات کاربران سایتتون لو رفته؟ ایمیل من منتشر شده").action == "escalate"
    hacked = decision("حسابم هک شده و یکی با اون خرید کرده")
    assert (hacked.intent, hacked.action) == ("complaint", "reply")


def test_a_complaint_reply_is_native_formal_and_moves_private():
    result = reply(
        "سفارشم هنوز نرسیده و دو هفته گذشته", name="Dana", agent="Mia Koski", channel="x"
    )
    text = result.public_reply
    assert result.language == "fa" and result.case == "complaint"
    plain = native(text)
    assert not LATIN.search(plain)
    assert GREETING.search(BIDI.sub("", text or ""))
    assert APOLOGY.search(plain)
    assert "پیام خصوصی" in plain
    # The customer's own thing, named back in the formal register.
    assert "سفارشتان" in plain and "سفارشم" not in plain
    assert BIDI.sub("", text or "").endswith(SIGNED)
    assert result.private_reply and "شماره سفارش" in result.private_reply


def test_every_case_replies_in_persian():
    samples = {
        "refusal": "بلیتم غیرقابل استرداد است ولی همین الان پولم را می‌خواهم",
        "praise": "چیدمان جدید فروشگاه عالی شده، دستتون درد نکنه!",
        "turnaround": "ممنون، ظرف چند دقیقه مشکلم حل شد!",
        "faq": "ساعت کاری شما چیست؟",
        "question": "در شیراز هم فروشگاه حضوری دارید؟",
        "joke": "بزِ تبلیغ جدیدتون دقیقاً حال و روز منه 😂",
        "escalation": "وکیلم در این مورد با شما تماس خواهد گرفت",
        "other": "همین الان ویترین جدید فروشگاهتون رو دیدم",
    }
    for case, text in samples.items():
        for variant in (1, 2, 3):
            result = reply(
                text, name="Dana", agent="Mia Koski", channel="facebook", variant=variant
            )
            assert result.case == case, text
            plain = native(result.public_reply)
            assert not LATIN.search(plain.replace("Messenger", "")), (case, plain)
            assert BIDI.sub("", result.public_reply or "").endswith(SIGNED)


def test_the_refusal_offers_two_alternatives():
    text = reply(
        "بلیتم غیرقابل استرداد است ولی همین الان پولم را می‌خواهم", channel="facebook"
    ).public_reply
    assert text and "اعتبار کامل برای سفارش بعدی‌تان" in text
    assert "جابه‌جایی رایگان" in text


def test_praise_is_thanked_without_apology():
    text = native(reply("چیدمان جدید فروشگاه عالی شده، دستتون درد نکنه!", name="Dana").public_reply)
    assert re.search(r"ممنون|سپاس", text) and not APOLOGY.search(text)


def test_a_follow_up_in_a_thread_gets_no_second_introduction():
    thread = [
        {"role": "customer", "text": "اپلیکیشن موقع پرداخت کرش می‌کنه"},
        {"role": "brand", "text": "سلام، لطفاً یک بار اپلیکیشن را حذف و دوباره نصب کنید."},
    ]
    d = decision("نصب کردم ولی هنوز درست نشده", context=thread)
    assert d.intent == "complaint" and "follow_up" in d.flags
    text = native(
        reply(
            "نصب کردم ولی هنوز درست نشده", context=thread, agent="Mia Koski", channel="facebook"
        ).public_reply
    )
    assert "هستم و" not in text


def test_thanks_after_the_brands_fix_is_a_turnaround():
    thread = [
        {"role": "customer", "text": "پولم دو بار کسر شده"},
        {"role": "brand", "text": "مبلغ اضافه به حسابتان برگشت داده شد."},
    ]
    d = decision("دستتون درد نکنه، دیدمش", context=thread)
    assert (d.intent, d.case) == ("praise", "turnaround")


def test_an_incident_reply_says_others_reported_it():
    pattern = Pattern(
        "incident",
        4,
        Incident(
            1, "app", "app", "sample", "open", "2026-11-23T08:00:00Z", "2026-11-23T08:55:00Z", 4
        ),
    )
    result = reply(
        "اپلیکیشن دوباره از دسترس خارج شده و نمی‌توانم وارد شوم", pattern=pattern, channel="facebook"
    )
    assert result.case == "incident"
    assert re.search(r"گزارش|دیگران|تنها شما|چند نفر|مطرح", native(result.public_reply))


def test_a_message_written_to_us_in_private_is_acknowledged():
    d = decision("دایرکت دادم، لطفا چک کنید")
    assert d.intent == "other" and "sent_private" in d.flags


def test_lint_flags_a_password_asked_for_in_public():
    found = lint(
        "سلام، لطفاً رمز عبورتان را همین‌جا بنویسید تا بررسی کنیم. با احترام، مریم",
        PLAYBOOK,
        lang="fa",
    )
    assert "private-data-in-public" in {f.rule for f in found}
    clean = lint(
        "سلام، لطفاً شماره سفارشتان را در پیام خصوصی بفرستید. با احترام، مریم", PLAYBOOK, lang="fa"
    )
    assert "private-data-in-public" not in {f.rule for f in clean}


def test_lint_flags_blame_and_a_missing_apology_in_persian():
    found = {
        f.rule
        for f in lint(
            "همان‌طور که قبلاً گفتم، تقصیر خودتان است. با احترام، مریم", PLAYBOOK, lang="fa"
        )
    }
    assert "blames-customer" in found
    comment = "سفارشم هنوز نرسیده، دو هفته گذشته"
    found = {
        f.rule
        for f in lint(
            "سلام، شماره سفارش را در پیام خصوصی بفرستید. با احترام، مریم", PLAYBOOK, comment=comment
        )
    }
    assert "complaint-without-apology" in found


def test_lint_flags_swearing_and_a_joke_on_a_complaint():
    comment = "برای سومین بار چمدانم را گم کردید"
    found = {
        f.rule for f in lint("خخخ، لعنتی باز گم شد! با احترام، مریم", PLAYBOOK, comment=comment)
    }
    assert {"swearing", "joke-on-a-complaint"} <= found


# Classes of misreadings fixed on colloquial tweets and product reviews.
@pytest.mark.parametrize(
    ("text", "intent", "action"),
    [
        # Everyday complaints: outages, things that stopped working, warranty, nobody calls.
        ("دو روزه وای‌فای خونه قطعه و هیچ‌کس زنگ نزد", "complaint", "reply"),
        # Praise beside a crash is irony; thieves with nothing named is rude, with a
        # charge named it is a complaint answered.
        ("عالیه! دوباره اپ کرش کرد", "complaint", "reply"),
        ("شما یه مشت دزدید", "troll", "skip"),
        ("یه مشت دزدید، دوبار از کارتم پول کم کردید و هنوز برنگردوندید", "complaint", "reply"),
        (
            "اسپیکری که گرفتم دیگه صدا نمیده، نمایندگی میگه گارانتیش قبول نمی‌کنه",
            "complaint",
            "reply",
        ),
        ("بیست دقیقه‌ست پشت خطم و فقط آهنگ انتظار پخش میشه، دارم منفجر میشم", "complaint", "reply"),
        ("سس سفارشم رو نفرستادید، بار سومه", "complaint", "reply"),
        ("یخچالی که هفته پیش آوردید خنک نمی‌کنه", "complaint", "reply"),
        # Real hazards escalate.
        ("توی کیک تولدمون یه تیکه پلاستیک سفت بود", "complaint", "escalate"),
        ("بعد از خوردن کباب‌تون همه‌مون دل‌درد گرفتیم و مسموم شدیم", "complaint", "escalate"),
        ("اتوی جدید یهو ازش دود بلند شد و بوی سوختگی میده", "complaint", "escalate"),
        # Hate against a group is moderated; a lone insult to the brand is skipped.
        ("این مهاجرای کثیف رو بفرستید برن کشور خودشون", "troll", "moderate"),
        ("برگردید همون جایی که ازش اومدید", "troll", "moderate"),
        ("مزخرفین", "troll", "skip"),
        ("بدترین شرکت دنیا شمایید", "troll", "skip"),
        # Playful blame is a joke; small talk is no question.
        ("با این دونات‌هاتون رژیمم باز موکول شد به شنبه، تقصیر شماست 😅", "joke", "reply"),
        ("ویدیوی تازه‌تون رو دیدین؟ حتما ببینید", "other", "reply"),
    ],
)
def test_colloquial_classes(text, intent, action):
    d = decision(text)
    assert (d.intent, d.action) == (intent, action)


def test_a_rude_message_that_names_a_problem_stays_a_complaint():
    d = decision("افتضاحید، سفارشم دو هفته‌ست نرسیده")
    assert d.intent == "complaint" and d.action == "reply"


def test_sarcastic_thanks_for_a_failure_is_a_complaint():
    for text in ("مرسی که غذامو سرد آوردید", "خسته نباشید واقعا، چهار روزه منتظر بسته‌ام"):
        d = decision(text)
        assert d.intent == "complaint" and "sarcastic" in d.flags, text


def test_a_facepalm_at_ones_own_mistake_is_not_sarcasm():
    d = decision("شماره کارتو اشتباه زدم 🤦‍♂️ چیکار کنم؟")
    assert d.intent == "complaint" and "sarcastic" not in d.flags


def test_figures_of_speech_on_hold_do_not_escalate():
    d = decision("یک ساعته پشت خطم، الان منفجر میشم")
    assert d.action != "escalate"


def test_a_good_review_with_one_small_flaw_is_not_a_complaint():
    for text in (
        "گوشی عالیه و خیلی راضیم، تنها ایرادش اینه که یکم داغ میشه",
        "هدفون خیلی خوبیه، فقط یه ایراد کوچیک داره که کابلش کوتاهه",
    ):
        assert decision(text).intent != "complaint", text


# Classes of misreadings fixed in a reading of Persian drafts.
@pytest.mark.parametrize(
    "text",
    [
        "ایول! سفارشم «ارسال شده» ولی هیچی به دستم نرسید. واقعا خدمات عالی",
        "مرسی واقعا، پیک اومد ولی بسته‌ام نیومد",
        "آفرین، قبضم اشتباهه و دو برابر حساب کردید",
        "دمتون گرم، از کارتم دوبار کم شده",
        "مرسی واقعا، هنوز پولمو پس ندادن",
        "خدمات عالی! بار دوم که سفارشم گم میشه",
    ],
)
def test_praise_words_around_a_failure_are_a_sarcastic_complaint(text):
    d = decision(text)
    assert d.intent == "complaint" and "sarcastic" in d.flags, text


def test_thanks_for_a_fix_is_not_sarcasm():
    assert decision("مرسی واقعا، پولم برگشت").case == "turnaround"
    assert decision("آفرین به پشتیبانی، سریع جواب دادن").intent == "praise"


@pytest.mark.parametrize(
    "text",
    [
        "کارمنداتون خیلی مؤدب هستن، از این بابت گله‌ای ندارم، "
        "ولی قیمت صندوق با قیمت روی قفسه فرق داشت",
        "فروشنده‌ها خوش‌برخوردن ولی موقع حساب کردن بیشتر از قیمت برچسب ازم گرفتن",
        "پرسنل عالی بودن اما مبلغ فاکتور با چیزی که گفته بودن فرق داره",
        "غذا خوشمزه بود ولی صورتحساب رو اضافه حساب کردن",
    ],
)
def test_kind_words_beside_a_wrong_charge_are_a_mixed_complaint(text):
    d = decision(text)
    assert d.intent == "complaint" and "mixed" in d.flags and "sarcastic" not in d.flags


@pytest.mark.parametrize(
    "text",
    [
        "می‌دونم بلیطم غیرقابل استرداده ولی کل پولمو می‌خوام",
        "با اینکه بلیت استرداد نداره، پولمو کامل میخوام",
        "پولمو کامل می‌خوام، برام مهم نیست که بلیت غیرقابل استرداده",
    ],
)
def test_a_non_refundable_ticket_is_refused_with_two_alternatives_on_x(text):
    a = analyze(text, PLAYBOOK)
    assert a.refusal == "refund-outside-policy"
    for variant in (1, 2, 3):
        result = reply(text, name="Dana", agent="Mia Koski", channel="x", variant=variant)
        found = {f.rule for f in lint(result.public_reply, PLAYBOOK, comment=text, channel="x")}
        assert "refusal-without-alternatives" not in found, result.public_reply


def test_a_compensation_refusal_keeps_its_alternatives_on_x():
    text = "خسارت می‌خوام، چمدونم گم شد"
    for variant in (1, 2, 3):
        result = reply(text, name="Dana", agent="Mia Koski", channel="x", variant=variant)
        found = {f.rule for f in lint(result.public_reply, PLAYBOOK, comment=text, channel="x")}
        assert "refusal-without-alternatives" not in found, result.public_reply


@pytest.mark.parametrize(
    "text",
    [
        "تو اپ اسم و آدرس و مشخصات کارت یه نفر دیگه رو نشون میده",
        "وارد حسابم شدم و سفارشای یه مشتری دیگه رو می‌بینم",
        "اپلیکیشنتون اطلاعات یکی دیگه رو بهم نشون میده",
        "تو سایت سفارش یکی دیگه با آدرسش برام نمایش داده میشه",
    ],
)
def test_another_customers_data_shown_is_a_breach(text):
    d = decision(text)
    assert (d.intent, d.action) == ("complaint", "escalate")
    assert "escalation" in d.flags


@pytest.mark.parametrize(
    ("first", "ask", "answer"),
    [
        ("قبضم اشتباه اومده", "لطفا بفرمایید کدوم ماه؟", "اسفند"),
        ("سفارشم نیومد", "لطفا شماره سفارش رو بفرمایید؟", "۱۲۳۴۵"),
        ("از کارتم دوبار کم شده", "کدوم کارت؟", "ملت"),
    ],
)
def test_an_answer_to_the_brands_question_is_other(first, ask, answer):
    assert decision(first).intent == "complaint"
    thread = [{"role": "customer", "text": first}, {"role": "brand", "text": ask}]
    d = decision(answer, context=thread)
    assert d.intent == "other" and "answers_brand" in d.flags


# Product reviews: the classes of good reviews that must not read as complaints, and the
# complaints beside them that must stay complaints.
@pytest.mark.parametrize(
    "text",
    [
        # A small flaw said softly, a reservation inside a clearly good review.
        "هدفون خیلی خوبیه، صداش شفافه فقط یه مقدار ضعیفه بیسش",
        "گوشی خوش‌دستیه و باتریش عالیه، فقط یکم داغ میکنه موقع بازی",
        "سشوار خوبیه، یه خورده سنگینه ولی کارشو خوب انجام میده",
        "همه چیزش عالیه، تنها ایرادش اینه که کابلش کوتاهه",
        "با اینکه گرونه ولی می‌ارزه، جنسش خیلی خوبه",
        # Problems said not to be there.
        "مودم رو سه ماهه دارم و هیچ قطعی نداره، سرعتش هم خوبه",
        "شش ماهه استفاده میکنم و هیچ مشکلی براش پیش نیومده",
        "صفحه‌اش چشم رو اصلا اذیت نمی‌کنه و رنگاش زنده‌ست",
        "تو بازی‌های سنگین کم نمیاره و اصلا داغ نمیشه",
        "از خریدم ناراضی نیستم، ارزششو داره",
        "اولش فکر می‌کردم بد باشه ولی خیلی خوبه",
        # Words that are complaints elsewhere: low power use, a low price, a switch.
        "مصرفش پایینه و قیمتش پایینه، پیشنهاد می‌کنم",
        "یه کلید قطع و وصل روی سیمش داره که خیلی کاربردیه",
        "باتریش دیر تموم میشه و سریع شارژ میشه",
        "وزن کمی داره و راحت تو کیف جا میشه، عالیه",
        "صداش بد نیست و برای این قیمت خوبه",
        # Comparisons: better than a rival or a fake.
        "این شارژر از تقلبی‌های بازار خیلی بهتره و گوشی رو داغ نمیکنه",
        "با گوشی قبلیم قابل مقایسه نیست، خیلی بهتره",
        # Others' complaints quoted to be refuted, strong and weak points weighed.
        "بعضی از دوستان از دوربینش ناراضی بودن ولی به نظر من دوربینش خیلی خوبه",
        "هرکی از این گوشی ایراد گرفته اشتباه کرده، عالیه",
        "نمیدونم چطور بعضیا به صداش اعتراض داشتن، صداش عالیه",
        "هر گوشی نقاط ضعف و قوت خودشو داره، این یکی گوشی خوبیه",
        "گه گاهی که بازی میکنم یکم داغ میشه، ولی در کل راضیم",
    ],
)
def test_a_good_product_review_is_no_complaint(text):
    assert decision(text).intent != "complaint"


@pytest.mark.parametrize(
    "text",
    [
        "دوربینش خیلی ضعیفه و باتریش زود خالی میشه",
        "گوشی خوبیه ولی بعد دو هفته صفحه‌اش خط افتاد و گارانتی قبول نکرد",
        "اصلا ارزش خرید نداره، پشیمونم",
        "صداش خیلی کمه و اصلا شنیده نمیشه",
        "ظاهرش قشنگه ولی خیلی زود هنگ میکنه",
        "نسبت به قیمتش اصلا نمی‌ارزه",
        "گوشی خیلی بدیه و زود هنگ میکنه، اونایی که میگن خوبه نخریدنش",
    ],
)
def test_a_bad_product_review_stays_a_complaint(text):
    assert decision(text).intent == "complaint"


@pytest.mark.parametrize(
    "text",
    [
        "آفرین، کیفیت عالی! دو روزه خراب شد",
        "عالیه واقعا، هنوز یه هفته نشده صفحه‌اش شکست",
        "واقعاً عالیه، سفارشم رو بدون اطلاع لغو کردید",
    ],
)
def test_praise_words_about_a_failure_stay_a_sarcastic_complaint(text):
    d = decision(text)
    assert d.intent == "complaint" and "sarcastic" in d.flags


# Each case of LABELLING.md as customers write it: colloquial and formal, with and without
# the non-joiner, Arabic ي/ك.
@pytest.mark.parametrize(
    ("text", "intent", "action", "flags"),
    [
        # Staff described as rude, talking down or calling someone names: reported.
        (
            "فروشنده شعبه ونک خیلی بی‌ادب بود، اصلا جواب سلاممو نداد",
            "complaint",
            "reply",
            {"specific_problem"},
        ),
        ("فروشنده خیلی بی ادب بود", "complaint", "reply", {"specific_problem"}),
        ("اپراتورتون با لحن خیلی بدی باهام حرف زد و وسط حرفم قطع کرد", "complaint", "reply", set()),
        ("صندوقدار شعبه با طلبکاری گفت برو خودت پیدا کن", "complaint", "reply", set()),
        ("نگهبان فروشگاه جلوی همه به پسرم گفت دزد", "complaint", "reply", {"specific_problem"}),
        ("کارشناس تماس بهم گفت شما چیزی حالیتون نمیشه", "complaint", "reply", {"specific_problem"}),
        # Money taken, a code that never comes, a delivery put off, a card kept.
        ("بابت اشتراکی که کنسل کرده بودم دوباره ازم پول کشیدن", "complaint", "reply", set()),
        ("کد تایید نمیاد", "complaint", "reply", set()),
        ("سه بار زمان ارسال رو عقب انداختید، مرخصی گرفته بودم", "complaint", "reply", set()),
        ("هیچ وقت مشکلمو حل نکردید", "complaint", "reply", set()),
        ("خودپرداز گند شما کارتمو خورد، پسش بدید", "complaint", "reply", {"specific_problem"}),
        (
            "خواهشمند است نسبت به استرداد وجه سفارش لغوشده اقدام فرمایید",
            "complaint",
            "reply",
            set(),
        ),
        ("سفارشم هنوز نرسيده و كسي هم جواب نميده", "complaint", "reply", set()),
        ("برنامه تون باز نمی شه", "complaint", "reply", set()),
        (
            "رمز کارتمو سه بار اشتباه زدم و کارت مسدود شد 😔",
            "complaint",
            "reply",
            {"customer_mistake"},
        ),
        # Arrived broken is no turnaround; arrived at last is.
        ("بسته خیس و له شده به دستم رسید، لیوان‌ها همه شکسته بودن", "complaint", "reply", set()),
        ("بالاخره سفارش رسید، ببخشید که تند حرف زدم، ممنون", "praise", "reply", {"turnaround"}),
        # Irony around a failure; kind words contrasted with one.
        (
            "آفرین به این سرعت، فقط یک ماه طول کشید تا جواب بدید 👏",
            "complaint",
            "reply",
            {"sarcastic"},
        ),
        ("آفرین پست! بسته از شهر بغلی یک ماهه تو راهه 👏", "complaint", "reply", {"sarcastic"}),
        ("ممنون که هر کارت به کارت رو کارمزددار کردید", "complaint", "reply", {"sarcastic"}),
        (
            "کیفیت لباس خوبه اما سایزش با جدول فرق داشت و پس دادنش کلی دردسر شد",
            "complaint",
            "reply",
            {"mixed"},
        ),
        # Never a problem, never late, never kept waiting: praise, no irony.
        ("دو ساله ازتون خرید می‌کنم و هیچ مشکلی نداشتم", "praise", "reply", set()),
        ("تا حالا هیچ وقت سفارشم دیر نرسیده، ممنون", "praise", "reply", set()),
        ("پشتیبانی‌تون همیشه سریع جواب میده، هیچ وقت معطل نشدم", "praise", "reply", set()),
        ("سه ساله مشترکتونم و یه بار هم قطعی نداشتم، دمتون گرم", "praise", "reply", set()),
        ("اينجانب از خدمات شما بسيار راضي هستم، تشكر", "praise", "reply", set()),
        ("تا حالا سفارشم نرسیده", "complaint", "reply", set()),
        # The company called names: rude and vague.
        ("شرکت مسخره‌ای هستید", "troll", "skip", set()),
        ("بدترین شرکتی هستید که دیدم", "troll", "skip", set()),
        ("برید بابا با این تخفیفای مسخرتون", "troll", "skip", set()),
        # Exasperation is no hazard; a cut hand, leaked data, a journalist, a court are.
        ("یه بار دیگه این اپ کرش کنه منفجر میشم", "complaint", "reply", set()),
        (
            "دست بچم به لبه تیز قفسه فروشگاهتون گیر کرد و برید",
            "complaint",
            "escalate",
            {"escalation"},
        ),
        (
            "اطلاعات مشتری‌هاتون تو تلگرام داره فروخته میشه، شماره منم توشه",
            "complaint",
            "escalate",
            {"escalation"},
        ),
        (
            "سلام، از خبرگزاری ایسنا تماس می‌گیرم، درباره تأخیرها توضیح می‌دید؟",
            None,
            "escalate",
            set(),
        ),
        ("به خاطر این کسر غیرقانونی ازتون به دادگاه شکایت می‌کنم", "complaint", "escalate", set()),
    ],
)
def test_labelled_cases_in_everyday_persian(text, intent, action, flags):
    d = decision(text)
    assert d.action == action, (d.intent, d.action, d.evidence)
    if intent:
        assert d.intent == intent, (d.intent, d.evidence)
    assert flags <= d.flags, d.flags
    if action != "escalate":
        assert "escalation" not in d.flags
    if intent == "praise" and "turnaround" not in flags:
        assert "sarcastic" not in d.flags


def test_a_no_to_the_brands_check_is_a_follow_up_complaint():
    thread = [
        {"role": "customer", "text": "کد تخفیفم اعمال نمیشه"},
        {"role": "brand", "text": "اصلاح شد. مشکلتون حل شد؟"},
    ]
    d = decision("نه متاسفانه", context=thread)
    assert d.intent == "complaint" and "follow_up" in d.flags


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("احمقا دوباره پول اضافه از حسابم کسر کردید", "billing"),
        ("یکی با حساب من خرید کرده، من اصلا این سفارشو ندادم", "account-security"),
        ("برنامه موقع پرداخت خطا میده و نمیذاره خرید کنم", "app"),
        ("یخچالم ایراد فنی داره", None),
        ("آسانسور پاساژتون سه روزه خرابه", None),
    ],
)
def test_the_reply_names_the_problem_in_whole_words(text, topic):
    assert analyze(text, PLAYBOOK).topic == topic
    for variant in range(1, 4):
        body = reply(text, variant=variant).public_reply or ""
        assert "کالای " not in body and "موقع پرداخت" not in body, body


# Everyday review Persian: a good word negated (written or spoken), "نه چندان", a good
# quality lacked, the worst flaw named, worth less than it cost, pain from use, power used
# up fast, a letdown: each a complaint on its own.
@pytest.mark.parametrize(
    "text",
    [
        "کیفیتش نه چندان خوب بود",
        "صداش خوب نیس",
        "دوربینش جالب نبودش",
        "این اتو عملکرد دقیقی نداره",
        "کیفیت خوبی نداره",
        "ارزش پولشو نداره",
        "مهم‌ترین ایرادش وزن زیادشه",
        "بعد از یه ساعت گوشم درد می‌گیره",
        "مصرف باتریش خیلی بالاست",
        "خیلی معمولی بود، انتظار بیشتری داشتم",
        # Junk, short-lived, shrinking, drying, leaking, badly doing its job, not to buy.
        "این کیف بنجله، دو هفته نشده دسته‌اش کنده شد",
        "دوام نداره",
        "مانتو بعد از اولین شستشو آب رفت",
        "این کرم پوستمو خشک کرد",
        "آنتن خوب نمی‌گیره",
        "انتظار بیشتری ازش داشتم",
        "سمتش نرید",
        "در کیسه شل شد و چکه می‌کنه",
        # Compounds typed as two words, "نا" written apart.
        "کابلش خیلی کم کیفیت بود",
        "از این خرید خیلی نا راضیم",
        "واقعا نا امید کننده بود",
        # Terrible, the worst, unusable, scratched, smelly, short-lived, the wrong size.
        "کیفیت صداش وحشتناکه",
        "این بدترینه",
        "ضعیف‌ترین شارژری بود که داشتم",
        "با این اپ نمیشه ازش استفاده کرد",
        "بعد یه هفته صفحش خط افتاد",
        "بوی پلاستیک میده",
        "عمر باتریش کمه",
        "کفش پام نرفت",
        "پیشنهاد میکنم نخرید",
    ],
)
def test_a_review_that_finds_fault_is_a_complaint(text):
    assert decision(text).intent == "complaint"


# A review's fault in general words: what should be strong is weak, worth less than it
# costs, not recommended, unlike its description, coming apart, used or unsealed, money
# wasted, dearer than elsewhere, done badly, scratching or blurring, slow to respond, worse
# than another, not up to its price, many faults, never again.
@pytest.mark.parametrize(
    "text",
    [
        "صدای بلندگوش خیلی کمه",
        "نور صفحه‌اش پایینه",
        "اصلا ارزش این قیمت رو نداره",
        "اصلا پیشنهادش نمیکنم",
        "با توضیحات سایت همخونی نداره",
        "بعد از یه هفته دوخت‌هاش باز شد",
        "کالا دست دوم بود و پلمپ نبود",
        "پولم رو هدر دادم",
        "باتریش نصف روز هم دوام نمیاره",
        "گرون‌تر از بازار بود",
        "این کرم پوستم رو قرمز کرد",
        "دوربینش تو شب خوب عکس نمی‌گیره",
        "ساعتش قدم‌ها رو درست نمی‌شماره",
        "صفحه‌اش زود خط میفته",
        "عکس‌هاش تاره",
        "اثر انگشتش خیلی دیر تشخیص میده",
        "نسبت به مدل قبلی خیلی ضعیف‌تره",
        "کیفیتش در حد قیمتش نیست",
        "لبه‌هاش تیزه و دست رو اذیت می‌کنه",
        "کفی کفش بعد از دو هفته جدا شد",
        "قاب گوشی بعد یه ماه زرد شد",
        "چایی‌ساز بعد از دو بار استفاده نشتی پیدا کرد",
        "هدفون یه طرفش کار نمی‌کنه",
        "رنگ لباس با عکس سایت خیلی فرق داشت",
        "مانتو کوچیک‌تر از جدول سایز بود",
        "با این قیمت انتظار خیلی بیشتری داشتم",
        "قیمتش خیلی بالاست",
        "این مدل ایرادات زیادی داره",
        "دیگه هیچ وقت ازشون نمی‌خرم",
    ],
)
def test_a_review_fault_in_general_words_is_a_complaint(text):
    assert decision(text).intent == "complaint"


# The same words where they praise: low is good for fan noise or power use, a fault of one
# part denied, others' complaint quoted, no difference from the picture.
@pytest.mark.parametrize(
    "text",
    [
        "صدای فنش خیلی کمه و بی‌صداست",
        "این ماشین لباسشویی سر و صداش خیلی کمه، عالیه",
        "صدا و لرزشش خیلی کمه",
        "از مواد خوبی استفاده شده بود",
        "مصرف باتریش خیلی کمه، عالیه",
        "مشکل تاچ نداره و خیلی روانه",
        "بعضی گفتند سرعتش کمه ولی مال من عالیه",
        "رنگش با عکس هیچ فرقی نداشت، راضیم",
        "بادوامه و به دردم خورد، ارزششو داره",
        "گوشی کاملیه و تو این قیمت بی‌رقیبه",
    ],
)
def test_general_fault_words_where_they_praise_are_no_complaint(text):
    assert decision(text).intent != "complaint"


# A fault said not to happen (any verb), a bad word negated, no problem worth naming, the
# customer's own heavy use, others' complaints quoted to be answered: no complaint.
@pytest.mark.parametrize(
    "text",
    [
        "این هدفون اصلاً هنگ نمی‌کنه و صداش عالیه",
        "بد نیستش، راضیم",
        "مشکل خاصی نداره، خوبه",
        "مصرفم بالاست ولی باتریش تا شب دووم میاره، عالیه",
        "اونایی که میگن صفحه‌اش ضعیفه اشتباه می‌کنن، صفحه‌اش عالیه",
        "ساعت قشنگیه، تنها نکته منفیش بند پلاستیکیشه",
        "این کتری اصلا خش خش نداره و بی‌صداست",
        "دوستانی که میگن خش خش میکنه لابد گوشیشون ایراد داره، مال من عالیه",
        # A flaw made small by any softener; disappointment promised not to come.
        "عکساش یه کوچولو تاره ولی در کل راضیم",
        "تا حدودی سنگینه ولی خوش‌دسته",
        "با این قیمت بخرین، نا امید نمیشین",
        "خیلی خوش برخورد بودن",
        "هیچ چیز دست و پا گیری نداره و عالیه",
        # A fault feared beforehand, a fear to drop, a fault granted and outweighed, the
        # customer's previous product's fault.
        "فکر می‌کردم کیفیتش پایین باشه ولی عالیه",
        "ترس از خراب شدن نداشته باشید، محکمه",
        "با اینکه قیمتش بالاست ولی می‌ارزه",
        "گوشی قبلیم خیلی کند بود ولی این یکی عالیه",
        "قبلا یه گوشی داشتم که زود خراب شد ولی این یکی محشره",
    ],
)
def test_a_fault_denied_or_quoted_is_no_complaint(text):
    assert decision(text).intent != "complaint"


@pytest.mark.parametrize(
    "text",
    [
        # The same framings around this product's own fault stay complaints.
        "قبلا یه گوشی سامسونگ داشتم که خیلی بهتر بود، این یکی افتضاحه",
        "درسته که صفحه‌اش خوبه ولی باتریش افتضاحه",
        "فکر می‌کردم خوب باشه ولی خیلی بد بود",
    ],
)
def test_a_fault_of_this_product_beside_those_framings_is_a_complaint(text):
    assert decision(text).intent == "complaint"


# A fault said only in cue words beside twice its weight in praise: a reservation inside a
# good review (languages.fa.thresholds). A telling fault, or praise that doesn't outweigh
# it, is still a (mixed) complaint.
@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("عالیه، محشره، دوربینش بی‌نظیره، فقط باتریش ضعیفه", False),
        ("گوشی خیلی خوبه ولی باتریش ضعیفه", True),
        ("گوشی خوبیه ولی باتریش ضعیفه", True),
        ("گوشی عالیه و صفحه‌اش محشره ولی بعد دو هفته خراب شد", True),
    ],
)
def test_a_cue_fault_outweighed_by_praise_is_a_reservation(text, complaint):
    assert (decision(text).intent == "complaint") is complaint


def test_a_languages_thresholds_apply_to_its_messages_only(tmp_path):
    book = tmp_path / "strict.yaml"
    book.write_text(
        "extends: default\nlanguages:\n  fa:\n    thresholds: {reservation_praise: 100}\n"
        "  en:\n    thresholds: {complaint: 50}\n",
        encoding="utf-8",
    )
    strict = load_playbook(book)
    text = "عالیه، محشره، دوربینش بی‌نظیره، فقط باتریش ضعیفه"
    assert decision(text).intent != "complaint"
    assert decide(analyze(text, strict), strict).intent == "complaint"
    english = "the app is slow and the login page is broken"
    assert decide(analyze(english, PLAYBOOK), PLAYBOOK).intent == "complaint"
    assert decide(analyze(english, strict), strict).intent != "complaint"
    # The other languages keep the playbook's own thresholds.
    turkish = "Siparişim hala gelmedi, çok kötü bir hizmet"
    assert decide(analyze(turkish, strict), strict).intent == "complaint"


# Praise as reviews say it: a good quality it has, it works well, liked, worth it, drawn out.
@pytest.mark.parametrize(
    "text",
    [
        "صدای خوبی داره",
        "دوربین فوق العاده ای داره",
        "خوب کار می‌کنه",
        "خیلی خوشم اومد",
        "ارزششو داره",
        "عالیییی",
        "خیلیییی خوبه",
        "سبکه و محکمه",
        # Complete, useful, well-made, unrivalled, liked, lasting, a fine sound.
        "گوشی کاملیه",
        "خیلی به دردم خورد",
        "باکیفیته",
        "بی‌رقیبه",
        "دوسش دارم",
        "ماندگاری بالایی داره",
        "خیلی خوش‌صداست",
    ],
)
def test_praise_in_everyday_review_words(text):
    assert decision(text).intent == "praise"


# "که" typed with the key beside it ("چیزی گه میخواستم") is no insult; "گه" said as one is.
@pytest.mark.parametrize(
    ("text", "abusive"),
    [
        ("این هدفون همون چیزی گه میخواستم بود، عالیه", False),
        ("باید بگم گه از خریدم خیلی راضیم", False),
        ("گه خوردی", True),
    ],
)
def test_ke_typed_as_ge_is_no_insult(text, abusive):
    a = analyze(text, PLAYBOOK)
    assert a.abusive is abusive and a.rude is abusive
    if not abusive:
        assert decision(text).intent == "praise"


@pytest.mark.parametrize(
    ("text", "intent", "action", "flags"),
    [
        # Late, said to "you" or of the thing: a complaint; praise beside it, with no
        # contrast, is irony.
        ("قطارتون دوباره دو ساعت تأخیر داشت", "complaint", "reply", {"specific_problem"}),
        (
            "ایول رجا 👏 باز هم تاخیر دادی و کسی هم عذرخواهی نکرد",
            "complaint",
            "reply",
            {"sarcastic"},
        ),
        # Nobody answered, in the perfect tense and to "تو".
        ("سه تا تیکت زدم هنوز هیچکس جواب نداده", "complaint", "reply", set()),
        ("یه هفته است پیام میدم جوابمو نمیدن", "complaint", "reply", set()),
        # A smell or a dead air conditioner beside a kind word about the driver: mixed.
        ("راننده خیلی مودبی بود ولی کولر ماشین کار نمیکرد", "complaint", "reply", {"mixed"}),
        ("تاکسی بوی گند میداد، واقعا حالم بد شد از بو", "complaint", "reply", set()),
        # A bill multiplied, a wrong dish sent in place of another, a weak signal.
        ("این ماه قبض گاز رو سه برابر حساب کردن", "complaint", "reply", {"specific_problem"}),
        ("به جای پیتزا پپرونی برامون سبزیجات آوردن", "complaint", "reply", set()),
        ("تو دفتر ما آنتن همراه اول فقط یک خطه", "complaint", "reply", set()),
        # Someone else took over the customer's own account: no breach of ours.
        ("دیشب پیجمو هک کردن و از طرف من پیام میدن", "complaint", "reply", set()),
        # Blocked, money not back, with "هم" glued on ("کارتمم").
        ("خطمم بی دلیل مسدود شده", "complaint", "reply", set()),
        ("پولامم از اون سفارش کنسل شده هنوز برنگشته", "complaint", "reply", set()),
        # The customer's own slip with an old or wrong address or date.
        ("لوکیشن اشتباه زدم و راننده رفت یه جای دیگه", "complaint", "reply", {"customer_mistake"}),
        # Hate against a group, written in everyday words: moderated.
        ("این عربای بیسواد رو راه ندید تو هتلاتون", "troll", "moderate", set()),
        ("مهاجرا رو از شعبه‌هاتون اخراج کنید", "troll", "moderate", set()),
        # The worst of all, as an insult about the brand: rude and vague.
        ("مزخرف ترین بانک ایرانید", "troll", "skip", set()),
        ("واقعا آشغال ترین شرکتی هستید که دیدم", "troll", "skip", set()),
        # Money back, said with what came back: thanks for a fix; asked about: a question.
        ("پول سفارش لغوشده دیروز به کارتم واریز شد، سپاس", "praise", "reply", {"turnaround"}),
        ("پولم برگشت؟", "question", "reply", set()),
    ],
)
def test_everyday_complaints_hate_and_thanks_read_right(text, intent, action, flags):
    d = decision(text)
    assert (d.intent, d.action) == (intent, action), (d.intent, d.action, d.evidence)
    assert flags <= d.flags, d.flags


@pytest.mark.parametrize(
    "text",
    [
        "آیا قطار امروز هم مثل دیروز سر وقت حرکت می‌کنه؟",
        "به جای من برادرم اومد سفارشو تحویل گرفت، ممنون",
        "بازم همین رستوران رو انتخاب میکنم، عالی بود",
        "راننده خیلی صبور بود و خوب رانندگی کرد",
        "عطرش بوی خوبی داره",
    ],
)
def test_innocent_words_near_the_new_phrases_are_no_complaint(text):
    assert decision(text).intent != "complaint"


@pytest.mark.parametrize(
    ("text", "context"),
    [
        (
            "هنوزم همون ارور رو میده",
            [
                {"role": "customer", "text": "اپ موقع خرید شارژ بسته میشه"},
                {
                    "role": "brand",
                    "text": "سلام، لطفاً اپ را حذف و دوباره نصب کنید و نتیجه را بگویید.",
                },
            ],
        ),
        (
            "فردا هم شد، باز هم خبری نیست",
            [
                {"role": "customer", "text": "لباسشویی که خریدم هنوز تحویل نشده"},
                {"role": "brand", "text": "سلام، سفارش شما فردا صبح تحویل می‌شود."},
            ],
        ),
        (
            "دو روزه دایرکت دادم کسی جوابی نداده",
            [
                {"role": "customer", "text": "شارژ خریدم ولی به خطم نیومد"},
                {"role": "brand", "text": "سلام، لطفاً شماره تراکنش را در پیام خصوصی بفرستید."},
            ],
        ),
    ],
)
def test_still_failing_after_the_brands_answer_is_a_follow_up_complaint(text, context):
    d = decision(text, context=context)
    assert d.intent == "complaint" and d.action == "reply", (d.intent, d.evidence)
    assert "follow_up" in d.flags


def test_thanks_for_a_wrong_dish_replaced_is_a_turnaround():
    thread = [
        {"role": "customer", "text": "به جای دوغ برام نوشابه فرستادن"},
        {"role": "brand", "text": "عذر می‌خواهیم، دوغ را با پیک دیگری فرستادیم."},
    ]
    d = decision("رسید، ممنونم", context=thread)
    assert d.intent == "praise" and "turnaround" in d.flags


def test_a_word_with_a_glued_too_is_named_whole():
    text = native(reply("سفارشمم هنوز نرسیده، اون یکی هم نرسیده بود", name="Dana").public_reply)
    assert "سفارشتان" in text and "سفارشمتان" not in text


def test_a_delivered_order_is_not_thanked_for_working_again():
    for variant in range(1, 7):
        text = reply("دیروز شاکی بودم ولی امروز سفارشم رسید، ممنون", variant=variant).public_reply
        assert text and "کار می‌کند" not in text and "جواب داد" not in text


@pytest.mark.parametrize(
    ("text", "intent", "action"),
    [
        # Waiting for hours or days, stuck in processing, not what it was.
        ("ناهارم دو ساعته نیومده", "complaint", "reply"),
        ("ثبت نامم یک هفته‌ست در حال بررسیه", "complaint", "reply"),
        ("کیفیت غذاهاتون خیلی افت کرده", "complaint", "reply"),
        # Not credited, taken twice, thrown out of the app, dropped halfway, a long queue.
        ("بسته اینترنت خریدم ولی اضافه نشد", "complaint", "reply"),
        ("سه بار از کارتم برداشت کرده برای یه قبض", "complaint", "reply"),
        ("اپ وسط پرداخت هی میپره بیرون", "complaint", "reply"),
        ("راننده نصف راه پیاده‌ام کرد و رفت", "complaint", "reply"),
        ("باجه پست سه ساعت طول کشید تا نوبتم بشه", "complaint", "reply"),
        # Rude, but about a wrong bill: answered; "don't you have...?" is an angry complaint.
        ("عوضیا کرایه رو اشتباه حساب کردید", "complaint", "reply"),
        ("مگه شما مسئول پیگیری ندارید؟ یه هفته‌ست منتظرم", "complaint", "reply"),
        # Praise around cold food or a stuck order, with no contrast: irony.
        ("دمتون گرم، کباب یخ کرده تحویل دادید 🙃", "complaint", "reply"),
        # Thanks for what was put right; thanks for nothing.
        ("مرسی همراه اول که خط بابامو دوباره وصل کردید", "praise", "reply"),
        ("ممنون بابت هیچی واقعا", "complaint", "reply"),
        # Insults with endings glued on, sexism, and worthless-brand rudeness.
        ("همتون بی‌شرفید", "troll", "moderate"),
        ("خانما نباید راننده تاکسی بشن", "troll", "moderate"),
        ("شما لیاقت مشتری ندارید", "troll", "skip"),
        # A threat to sue, said as "I'll go and file a complaint".
        ("پولمو ندید حتما شکایت میکنم", "complaint", "escalate"),
        # Something in the drink, a drunk driver, customers' card data spread.
        ("داخل دوغ یه تیکه سیاه بود", "complaint", "escalate"),
        ("راننده‌ای که فرستادید کاملا مست بود", "complaint", "escalate"),
        ("شماره موبایل و آدرس همه کاربراتون تو اینترنت منتشر شده", "complaint", "escalate"),
        # A slip in a shop and a broken arm; a journalist asking, no question mark.
        ("مامانم تو فروشگاهتون رو سرامیک خیس لیز خورد", "complaint", "escalate"),
        (
            "از خبرگزاری فارس هستم، برای یه گزارش درباره قطعی برق نظر رسمی شرکت رو میخواستم",
            "question",
            "escalate",
        ),
        # A question without a question mark.
        ("کد پستی دفتر مرکزی‌تون چنده", "question", "reply"),
    ],
)
def test_more_everyday_cases_are_decided(text, intent, action):
    d = decision(text)
    assert (d.intent, d.action) == (intent, action), (d.intent, d.action, d.evidence)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # Where things are, until when an offer lasts: questions, not complaints.
        ("نمایندگی ایرانسل تو کرج کجاست؟", "question"),
        ("تا کی میشه از بن تخفیف یلدا استفاده کرد؟", "question"),
        # "Where is my ...?", "how much longer?": complaints.
        ("پس پول من کجاست؟ یه ماه گذشته", "complaint"),
        ("تا کی باید منتظر تکنسین بمونیم؟", "complaint"),
        # A bill far too high, an order late.
        ("صورتحساب این ماهم خیلی زیاد اومده", "complaint"),
        ("پیکتون خیلی دیر کرد", "complaint"),
        # Loved, in everyday words; staff praised for how they dealt with it.
        ("عاشق نون‌های تازه‌تونم", "praise"),
        ("اپراتور ۱۸۱۸ خیلی مودبانه راهنمایی کرد", "praise"),
        ("جشنواره امسال ترکوندید 🔥", "praise"),
    ],
)
def test_questions_complaints_and_praise_in_everyday_words(text, intent):
    d = decision(text)
    assert d.intent == intent, (d.intent, d.evidence)


def test_a_bill_glued_to_its_object_ending_is_named_as_the_customers():
    text = native(reply("چرا قبضمو دو بار صادر کردید؟ دوبار پول دادم", name="Dana").public_reply)
    assert "قبضمو" not in text


@pytest.mark.parametrize(
    ("text", "context"),
    [
        (
            "هنوزم همونجوریه",
            [
                {"role": "customer", "text": "صدای تماس‌هام قطع و وصل میشه"},
                {"role": "brand", "text": "سلام، دکل منطقه شما تعمیر شد."},
            ],
        ),
    ],
)
def test_the_same_as_before_after_a_fix_is_a_follow_up_complaint(text, context):
    d = decision(text, context=context)
    assert d.intent == "complaint" and "follow_up" in d.flags


def test_a_joke_reply_opens_with_a_laugh_persian_writes():
    for variant in range(1, 7):
        text = reply("اسنپ فود از بس شبا سفارش دادم پیکتون دیگه فامیلمون شده 😂", variant=variant)
        assert text.public_reply and not text.public_reply.startswith("ها،")


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("سرعت وای فای خونه از صبح در حد صفره", "complaint"),
        ("سرعت دانلودم خیلی کمه", "complaint"),
        ("سرعت بالایی داره و قیمتش هم پایینه", "praise"),
    ],
)
def test_speed_down_to_nothing_is_a_complaint_a_low_price_is_not(text, intent):
    assert decision(text).intent == intent


def test_a_follow_up_after_a_promise_does_not_thank_for_trying_a_fix():
    thread = [
        {"role": "customer", "text": "کارشناس نصب قرار بود دیروز بیاد"},
        {"role": "brand", "text": "سلام، کارشناس امروز ساعت ۱۰ مراجعه می‌کند."},
    ]
    for variant in range(1, 9):
        text = reply("ساعت ۱۲ شد، بازم کسی نیومد", context=thread, variant=variant).public_reply
        assert text and "امتحان کردید" not in text and "با یک بار" not in text


@pytest.mark.parametrize(
    "text",
    [
        "پاوربانکتون تو کیفم ترکید",
        "از آبگرمکنی که نصب کردید بوی گاز میاد",
        "پله برقی فروشگاه یهو ایستاد و مادرم افتاد",
        "بعد از خوردن بستنی‌تون لبای دخترم ورم کرد",
        "پیکتون دم در تهدیدم کرد",
        "اگه درستش نکنید ماجرا رو به خبرگزاری‌ها میدم",
        "کارمند شعبه شماره حساب منو به یه آدم دیگه داد",
    ],
)
def test_more_hazards_threats_and_leaks_escalate(text):
    d = decision(text)
    assert d.action == "escalate", (d.intent, d.evidence)


@pytest.mark.parametrize(
    "text",
    [
        "تبلیغتون رو تو روزنامه دیدم، قشنگ بود",
        "دارم از عصبانیت آتیش میگیرم، سه روزه منتظر تماسم",
        "از خنده منفجر شدم با این تبلیغ 😂",
        "پشتیبانی تهدید کرد اگه قسط ندم حسابمو می‌بندن",
    ],
)
def test_figures_and_innocent_words_do_not_escalate(text):
    assert decision(text).action != "escalate"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("یکی با کارت من از سایتتون خرید کرده", "complaint"),
        ("شام دیشب خیلی چسبید، مرسی", "praise"),
    ],
)
def test_stolen_card_use_and_enjoyed_food(text, intent):
    assert decision(text).intent == intent


@pytest.mark.parametrize(
    "text",
    [
        # Sworn at, but about something done without asking or an outage: answered.
        "گوه خوردید بدون اطلاع اشتراکمو تمدید کردید",
        "خاک بر سرتون، دو روزه نت قطعه",
        # Nobody picks up; a bag damaged on a flight otherwise praised.
        "ده بار به ۹۹۰۹ زنگ زدم کسی برنداشت",
        "سفر خوبی بود ولی چمدونم آسیب دیده رسید",
    ],
)
def test_sworn_at_or_mixed_but_naming_a_problem_is_answered(text):
    d = decision(text)
    assert (d.intent, d.action) == ("complaint", "reply"), (d.intent, d.action, d.evidence)


@pytest.mark.parametrize(
    "text",
    [
        "کثافتا اینترنت خونه ما چهار روزه قطعه",
        "عوضیا دو بار پول کشیدین از کارتم",
        "حرومزاده‌ها پولمو برگردونید",
        "بی‌شعورا لپ‌تاپی که فرستادید تقلبیه",
        "کثافتا آنتن تو روستای ما یه خطه",
    ],
)
def test_abuse_beside_a_named_problem_is_answered_not_moderated(text):
    d = decision(text)
    assert (d.intent, d.action) == ("complaint", "reply"), (d.intent, d.action, d.evidence)
    assert "specific_problem" in d.flags


def test_a_demand_for_money_is_not_quoted_back_as_the_problem():
    for variant in range(1, 7):
        text = reply("پولمو بدید دیگه، دو هفته‌ست", variant=variant).public_reply
        assert text and "پولمو" not in text and "بدید" not in text


@pytest.mark.parametrize(
    "text",
    [
        "بلیط قطارو به اسم غلط خریدم، چیکار کنم؟",
        "لپ‌تاپمو انداختم تو استخر، دیگه روشن نمیشه",
        "چایی ریختم رو کیبورد، درست میشه؟",
    ],
)
def test_the_customers_own_slip_is_helped_without_an_apology_for_it(text):
    d = decision(text)
    assert d.intent == "complaint" and "customer_mistake" in d.flags, (d.intent, d.flags)


def test_a_mistake_reply_does_not_say_i_know_twice():
    for variant in range(1, 9):
        text = reply("آدرس قبلیمو زدم، بسته رفت خونه قدیمی", variant=variant).public_reply
        assert text and text.count("می‌دانم") <= 1


@pytest.mark.parametrize(
    ("text", "faq"),
    [
        ("روزای تعطیل هم بازید؟", "opening-hours"),
        ("پشتیبانی تا چه ساعتی جواب میده؟", "contact-hours"),
        ("ایمیل پشتیبانی‌تون رو میشه بدید؟", "contact-private"),
        ("چجوری میشه با اپراتور صحبت کرد؟", "contact-private"),
        ("شماره تماس پشتیبانی رو بفرستید لطفا", "contact-private"),
    ],
)
def test_frequent_questions_said_in_everyday_words_get_the_faq_answer(text, faq):
    d = decision(text)
    assert (d.intent, d.case) == ("question", "faq"), (d.intent, d.case, d.evidence)
    assert analyze(text, PLAYBOOK).faq == faq


@pytest.mark.parametrize(
    "text",
    [
        "چه عالی که هر هفته بسته‌ها رو گرون‌تر میکنید 👏",
        "آفرین، بسته‌مو دادید دست نگهبان ساختمون بغلی 👏",
    ],
)
def test_thanks_for_a_price_rise_or_a_wrong_handover_is_a_sarcastic_complaint(text):
    d = decision(text)
    assert d.intent == "complaint" and "sarcastic" in d.flags, (d.intent, d.flags, d.evidence)


@pytest.mark.parametrize(
    "text",
    [
        # A wait told plainly, with no complaint word in it.
        "از ساعت ۸ تو صف اداره پست نشستم هنوز صدام نکردن",
        "از صبح علافم که تعمیرکار بیاد",
        # Left at the door, or marked delivered.
        "بسته رو بدون زنگ زدن گذاشتن پشت در",
        "زدن تحویل شد ولی من کل روز خونه بودم",
        # Nobody there to answer; no service at home.
        "یه نفر اونجا نیست که جواب ایمیل بده؟",
        "دو روزه تو روستا آنتن نداریم",
        # Money gone from the card or account; told again and again.
        "دیروز ۹۰ هزار تومن از حسابم رفت بابت اشتراکی که نگرفتم",
        "پنج بار زنگ زدم و هر بار گفتن فردا",
        # A figure of exasperation: a complaint, never an escalation.
        "از دست این اپ دارم سکته میکنم",
    ],
)
def test_complaints_told_without_a_complaint_word_are_answered(text):
    d = decision(text)
    assert (d.intent, d.action) == ("complaint", "reply"), (d.intent, d.action, d.evidence)


@pytest.mark.parametrize(
    "text",
    [
        "کسی پسورد حسابمو تغییر داده",
        # Arabic kaf and yeh, as many keyboards type them: the expressions still read them.
        "۵۰ تومن از كارتم برداشت شده، من خريدی نكردم",
    ],
)
def test_a_changed_password_or_a_charge_typed_in_arabic_letters_is_a_complaint(text):
    d = decision(text)
    assert (d.intent, d.action) == ("complaint", "reply"), (d.intent, d.action, d.evidence)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("تو پیراشکی که خریدم یه سوزن بود", "complaint"),
        ("بعد از شام رستورانتون هر سه نفرمون دل‌درد گرفتیم", "complaint"),
        ("لبم بعد از اون رژ لب باد کرد", "complaint"),
        ("توستر از زیرش شعله کشید", "complaint"),
        ("پام لای در آسانسور موند و کبود شده", "complaint"),
        ("پرونده‌شو میبرم دادستانی", "complaint"),
        ("سردبیر یه ماهنامه اقتصادی هستم، درباره قیمت جدید بسته‌ها سوال داشتم", "question"),
        ("تو قسمت رزروهام بلیط یه آقایی رو میبینم که نمیشناسم", "complaint"),
    ],
)
def test_hazards_a_prosecutor_an_editor_and_a_strangers_booking_escalate(text, intent):
    d = decision(text)
    assert (d.intent, d.action) == (intent, "escalate"), (d.intent, d.action, d.evidence)


def test_tried_it_but_after_the_brands_fix_is_still_broken():
    thread = [
        {"role": "customer", "text": "مودمم چراغ اینترنتش خاموشه"},
        {"role": "brand", "text": "سلام، لطفاً مودم را ریست کنید و خبر بدهید."},
    ]
    d = decision("ریست کردم ولی فرقی نداشت", thread)
    assert d.intent == "complaint", (d.intent, d.evidence)


@pytest.mark.parametrize(
    ("text", "context"),
    [
        # "بده" here is "give", not "bad".
        (
            "خدا خیرتون بده، الان کار کرد",
            [
                {"role": "customer", "text": "کارت هدیه‌ام فعال نمیشه"},
                {"role": "brand", "text": "سلام، کارت هدیه‌تان دوباره فعال شد."},
            ],
        ),
        # The problem told as what the customer grumbled about before.
        ("دیروز غر زده بودم که بسته‌ام نرسیده، امروز صبح به دستم رسید. مرسی", None),
        ("پول مرجوعی امروز نشست به حسابم، مرسی", None),
    ],
)
def test_thanks_after_a_fix_is_a_turnaround(text, context):
    d = decision(text, context)
    assert d.intent == "praise" and "turnaround" in d.flags, (d.intent, d.flags, d.evidence)


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("شما فقط بلدید حرف مفت بزنید", "skip"),
        ("خانما رو نذارید مدیر شعبه، عقلشون قد نمیده", "moderate"),
    ],
)
def test_empty_talk_is_skipped_and_sexism_moderated(text, action):
    d = decision(text)
    assert (d.intent, d.action) == ("troll", action), (d.intent, d.action, d.evidence)


def test_my_internet_said_as_an_object_is_named_as_yours():
    text = native(reply("دو هفته‌ست اینترنتمو وصل نکردید", name="Dana").public_reply)
    assert "اینترنتمو" not in text and "اینترنتتان" in text, text


@pytest.mark.parametrize(
    ("text", "case"),
    [
        ("میشه رزرو هتلمو بندازید به هفته بعد؟", "request"),
        ("برای گزارش خرابی به کدوم شماره زنگ بزنم؟", "faq"),
        ("شعبه‌هاتون روزای تعطیل هم باز هستن؟", "faq"),
    ],
)
def test_moving_a_booking_and_which_number_to_call(text, case):
    d = decision(text)
    assert (d.intent, d.case) == ("question", case), (d.intent, d.case, d.evidence)
