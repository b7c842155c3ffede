"""Routing (route), tags and a review's star rating: strings in, decisions out; the note in
each language; `triage --route`, `draft --rating` and rating records on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from replybook import PlaybookError, UsageError, analyze, decide, draft, load_playbook
from replybook.cli import app
from replybook.playbook import Playbook

runner = CliRunner()
AT = "2026-11-23T09:00:00Z"


def invoke(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def jsonl(*records: object) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def routed(text: str, playbook: Playbook, lang: str, rating: int | None = None):
    return decide(analyze(text, playbook, lang=lang, rating=rating), playbook)


# -- routing in every language ----------------------------------------------------------

# (language, comment, route, what decided it, the phrase behind it)
ROUTES = [
    ("en", "What is the price list for a team of ten?", "sales", "phrase", "what is the price"),
    (
        "en",
        "We would like to discuss a sponsorship for our podcast",
        "marketing",
        "phrase",
        "sponsorship",
    ),
    ("en", "My order arrived broken", "support", "complaint", "broken"),
    ("en", "You guys are awesome", "community", "intent", "awesome"),
    ("en", "Saw your truck on the motorway today", "community", "default", None),
    (
        "tr",
        "Kurumsal üyelik için fiyat listesi gönderebilir misiniz?",
        "sales",
        "phrase",
        "kurumsal üyelik",
    ),
    (
        "tr",
        "Markanızla iş birliği yapmak isteriz, takipçilerim çok ilgili",
        "marketing",
        "phrase",
        "iş birliği",
    ),
    ("tr", "Kargom kırık geldi, çok kötü", "support", "complaint", "kırık geldi"),
    ("tr", "Harikasınız, çok teşekkürler!", "community", "intent", "harikasınız"),
    ("tr", "Bugün otoyolda kamyonunuzu gördüm", "community", "default", None),
    (
        "ru",
        "Сколько стоит корпоративный тариф для десяти сотрудников?",
        "sales",
        "phrase",
        "сколько стоит",
    ),
    (
        "ru",
        "Предлагаем сотрудничество: я блогер, у меня большая аудитория",
        "marketing",
        "phrase",
        "сотрудничество",
    ),
    ("ru", "Мой заказ пришёл сломанным", "support", "complaint", "пришёл сломанным"),
    ("ru", "Вы лучшие, спасибо!", "community", "intent", "лучшие"),
    ("ru", "Видел сегодня ваш грузовик на трассе", "community", "default", None),
    ("fa", "برای ده نفر قیمتش چنده؟", "sales", "phrase", "قیمتش چنده"),
    (
        "fa",
        "سلام، پیشنهاد همکاری تبلیغاتی برای پیج من دارم",
        "marketing",
        "phrase",
        "پیشنهاد همکاری",
    ),
    ("fa", "سفارشم شکسته رسید", "support", "complaint", "شکسته رسید"),
    ("fa", "عالی هستید، ممنون!", "community", "intent", "عالی"),
    ("fa", "امروز کامیونتان را در بزرگراه دیدم", "community", "default", None),
    (
        "fi",
        "Paljonko maksaa yrityspaketti kymmenelle hengelle?",
        "sales",
        "phrase",
        "paljonko maksaa",
    ),
    (
        "fi",
        "Olemme kiinnostuneita kaupallisesta yhteistyöstä, minulla on paljon seuraajia",
        "marketing",
        "phrase",
        "kaupallisesta yhteistyöstä",
    ),
    ("fi", "Tilaukseni tuli rikki", "support", "complaint", "tuli rikki"),
    ("fi", "Olette ihania, kiitos!", "community", "intent", "kiitos"),
    ("fi", "Näin tänään teidän kuorma-autonne moottoritiellä", "community", "default", None),
]


@pytest.mark.parametrize(("lang", "text", "route", "by", "found"), ROUTES)
def test_each_language_routes_to_every_team(default, lang, text, route, by, found):
    decision = routed(text, default, lang)
    assert (decision.route, decision.route_by, decision.evidence.get("route")) == (
        route,
        by,
        found,
    )


# A complaint goes to support whatever it asks; an explicit sales or marketing phrase wins
# over a neutral question or praise.
PRECEDENCE = [
    (
        "en",
        "How much is it going to cost to fix this mess? Terrible service",
        "support",
        "complaint",
    ),
    ("en", "How much is the premium plan?", "sales", "phrase"),
    ("en", "Love the app! What's the price of the pro plan?", "sales", "phrase"),
    ("en", "I'm going to the press about this disgrace", "support", "complaint"),
    (
        "en",
        "I'm a journalist writing a story about your new stores, could you comment?",
        "marketing",
        "escalation",
    ),
    ("en", "Do you ship to Norway?", "support", "intent"),
    ("tr", "Fiyatı ne kadar diye sordum, üç gündür cevap yok, rezalet", "support", "complaint"),
    ("ru", "Сколько стоит исправить этот ужас? Отвратительный сервис", "support", "complaint"),
    ("fa", "لیست قیمت را سه بار خواستم و هیچ جوابی ندادید، افتضاح است", "support", "complaint"),
    ("fi", "Paljonko maksaa korjata tämä sotku? Surkea palvelu", "support", "complaint"),
]


@pytest.mark.parametrize(("lang", "text", "route", "by"), PRECEDENCE)
def test_a_complaint_is_support_and_a_route_phrase_beats_a_question(default, lang, text, route, by):
    decision = routed(text, default, lang)
    assert (decision.route, decision.route_by) == (route, by)


def test_a_comment_in_a_language_the_playbook_doesnt_serve_goes_to_the_default_route(default):
    decision = routed("¿Cuánto cuesta el plan para empresas?", default, "es")
    assert (decision.action, decision.route, decision.route_by) == (
        "review",
        "community",
        "default",
    )
    assert decision.tags == ("intent:other", "lang:es", "route:community")


def test_a_topic_routes_a_message_no_intent_does(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("extends: default\nroutes:\n  sales: {topics: [booking]}\n", encoding="utf-8")
    book = load_playbook(path)
    decision = routed("Just made a booking for my mum", book, "en")
    assert (decision.intent, decision.route, decision.route_by) == ("other", "sales", "topic")
    assert decision.evidence["route"] == "booking"


# -- tags -------------------------------------------------------------------------------


def test_tags_name_intent_topic_language_escalation_rating_and_route_in_that_order(default):
    assert routed("Siparişim hâlâ gelmedi", default, "tr").tags == (
        "intent:complaint",
        "topic:delivery",
        "lang:tr",
        "route:support",
    )
    assert routed("My lawyer will sue you", default, "en").tags == (
        "intent:complaint",
        "lang:en",
        "escalation:legal",
        "route:support",
    )
    assert routed("", default, "fi", rating=1).tags == (
        "intent:complaint",
        "lang:fi",
        "rating:1",
        "route:support",
    )


def test_route_and_tags_are_in_the_draft_json(default):
    data = draft("How much is the business plan?", default, received_at=AT).to_dict()
    assert data["route"] == "sales"
    assert data["tags"] == ["intent:question", "lang:en", "route:sales"]
    assert {"rule": "route", "why": "“how much is” is a sales enquiry: routed to sales."} in data[
        "reasons"
    ]


def test_a_playbook_without_routes_routes_nothing(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("extends: default\nroutes: null\n", encoding="utf-8")
    book = load_playbook(path)
    assert book.routes() == ()
    d = draft("How much is the business plan?", book, received_at=AT)
    assert d.to_dict()["route"] is None
    assert d.to_dict()["tags"] == ["intent:question", "lang:en"]
    assert "route" not in [r.rule for r in d.reasons]


# -- the note says where it was routed and why, in the note's language --------------------

NOTES = {
    "en": ("How much is the business plan?", "Route: Sales – “how much is” is one of its phrases."),
    "tr": (
        "Kurumsal üyelik için fiyat listesi gönderebilir misiniz?",
        "Yönlendirme: Satış – “kurumsal üyelik” bu ekibin ifadelerinden biri.",
    ),
    "ru": (
        "Сколько стоит корпоративный тариф для десяти сотрудников?",
        "Маршрут: Продажи – «сколько стоит» — одна из фраз этой команды.",
    ),
    "fa": ("برای ده نفر قیمتش چنده؟", "مسیر: فروش – «قیمتش چنده» یکی از عبارت‌های این تیم است."),
    "fi": (
        "Paljonko maksaa yrityspaketti kymmenelle hengelle?",
        "Reititys: Myynti – ”paljonko maksaa” on yksi tämän tiimin ilmauksista.",
    ),
}

RATING_NOTES = {
    "en": ("Route: Support – rated 1 of 5 stars: a complaint.", "Rating: 1 of 5 stars"),
    "tr": ("Yönlendirme: Destek – 1/5 yıldız: şikâyet.", "Puan: 1/5 yıldız"),
    "ru": ("Маршрут: Поддержка – оценка 1 из 5: жалоба.", "Оценка: 1 из 5"),
    "fa": ("مسیر: پشتیبانی – امتیاز 1 از 5: شکایت.", "امتیاز: 1 از 5"),
    "fi": ("Reititys: Asiakastuki – arvio 1/5 tähteä: valitus.", "Arvio: 1/5 tähteä"),
}


def in_language(tmp_path: Path, lang: str) -> Playbook:
    """The default playbook with its notes in ``lang``."""
    path = tmp_path / f"{lang}.yaml"
    path.write_text(f"extends: default\nlanguage: {lang}\n", encoding="utf-8")
    return load_playbook(path)


@pytest.mark.parametrize("lang", sorted(NOTES))
def test_the_note_says_where_it_was_routed_and_why_in_each_language(tmp_path, lang):
    book = in_language(tmp_path, lang)
    text, line = NOTES[lang]
    note = draft(text, book, received_at=AT, lang=lang).note.splitlines()
    assert note[2] == line
    rated = draft("", book, received_at=AT, lang=lang, rating=1).note.splitlines()
    route, stars = RATING_NOTES[lang]
    assert rated[2] == route and stars in rated


def test_the_note_names_the_escalation_and_the_default_route(default):
    press = draft(
        "I'm a journalist writing a story about your new stores, could you comment?",
        default,
        received_at=AT,
    )
    assert "Route: Marketing – an escalation (press): “journalist”." in press.note.splitlines()
    other = draft("Saw your truck on the motorway today", default, received_at=AT)
    assert (
        "Route: Community – nothing points to another team: the default route."
        in other.note.splitlines()
    )


# -- a review's stars -------------------------------------------------------------------

LANGS = ("en", "tr", "ru", "fa", "fi")


@pytest.mark.parametrize("lang", LANGS)
def test_one_star_and_no_text_is_a_complaint_answered_in_its_language(default, lang):
    d = draft("", default, received_at=AT, rating=1, lang=lang, name="Dana", agent="Mia Koski")
    assert (d.language, d.intent, d.case, d.action) == (lang, "complaint", "complaint", "reply")
    assert d.decision is not None and "star_rating" in d.decision.flags
    assert d.reasons[0].why.startswith("Rated 1 of 5 stars: a complaint to answer")
    assert d.public_reply and "Dana" in d.public_reply
    assert [f.rule for f in d.lint if f.level != "suggestion"] == []


@pytest.mark.parametrize("lang", LANGS)
def test_five_stars_and_no_text_is_praise_thanked_for_the_rating(default, lang):
    d = draft("", default, received_at=AT, rating=5, lang=lang, agent="Mia Koski")
    assert (d.intent, d.case, d.action) == ("praise", "praise", "reply")
    assert d.reasons[0].why == (
        "Rated 5 of 5 stars with nothing negative said: praise; thank them for the rating."
    )
    assert d.public_reply and d.decision is not None
    assert d.decision.route == "community"


@pytest.mark.parametrize("lang", LANGS)
def test_three_stars_and_no_text_is_thanked_and_asked_what_would_be_better(default, lang):
    d = draft("", default, received_at=AT, rating=3, lang=lang)
    assert (d.intent, d.case) == ("other", "other")
    assert d.reasons[0].rule == "respond-all" and "Rated 3 of 5" in d.reasons[0].why


def test_the_english_replies_to_a_rating_alone_quote_nothing_and_fit_it(default):
    one = draft("", default, received_at=AT, rating=1, agent="Mia Koski", variant=1)
    assert one.public_reply == (
        "Hi, I'm sorry we let you down. Could you share a few more details? With that, we can "
        "take a proper look. ^MK"
    )
    five = draft("", default, received_at=AT, rating=5, name="Dana", agent="Mia Koski", variant=1)
    assert five.public_reply is not None and "kind words" not in five.public_reply
    assert "star" in five.public_reply or "rating" in five.public_reply


def test_text_wins_when_it_clearly_says_otherwise_than_the_stars(default):
    complaint = routed("Terrible, it broke after a day", default, "en", rating=5)
    assert complaint.intent == "complaint" and "rating_mismatch" in complaint.flags
    assert complaint.evidence["rating_mismatch"] == "terrible"
    praise = routed("Absolutely love it, best app ever", default, "en", rating=1)
    assert praise.intent == "praise" and "rating_mismatch" in praise.flags
    # Weak praise with one star is no praise: the stars decide.
    weak = routed("great app", default, "en", rating=1)
    assert weak.intent == "complaint" and "star_rating" in weak.flags


def test_stars_and_other_intents(default):
    assert routed("Arrived on Tuesday", default, "en", rating=5).intent == "praise"
    assert routed("Arrived on Tuesday", default, "en", rating=3).intent == "other"
    assert routed("Do you ship to Norway?", default, "en", rating=4).intent == "question"
    assert routed("Do you ship to Norway?", default, "en", rating=2).intent == "complaint"
    # Rude and vague is answered as a complaint with one star; abuse is still moderated.
    rude = routed("your company sucks", default, "en", rating=1)
    assert (rude.intent, rude.action) == ("complaint", "reply")
    abuse = routed("you are all fucking idiots", default, "en", rating=1)
    assert (abuse.intent, abuse.action) == ("troll", "moderate")


def test_the_mismatch_reason_names_the_text(default):
    d = draft("Terrible, it broke after a day", default, received_at=AT, rating=5)
    assert (
        "“terrible” says otherwise than the rating (5 of 5 stars): the text decides (complaint)."
        in [r.why for r in d.reasons]
    )


@pytest.mark.parametrize("value", [0, 6, 4.5, "five", True, "", [1], float("nan")])
def test_a_rating_is_a_whole_number_from_1_to_5(default, value):
    with pytest.raises(UsageError, match="^rating must be a whole number from 1 to 5$"):
        analyze("ok", default, rating=value)


def test_a_rating_may_be_text_or_a_whole_float(default):
    assert analyze("ok", default, rating="4").rating == 4
    assert analyze("ok", default, rating=" 2 ").rating == 2
    assert analyze("ok", default, rating=5.0).rating == 5


def test_an_empty_comment_without_a_rating_is_still_an_error(default):
    with pytest.raises(UsageError, match="the comment is empty"):
        draft("  ", default, received_at=AT)


# -- routes in the playbook -------------------------------------------------------------


def error_of(tmp_path: Path, routes: str) -> str:
    path = tmp_path / "p.yaml"
    path.write_text(f"extends: default\nroutes:\n{routes}", encoding="utf-8")
    with pytest.raises(PlaybookError) as info:
        load_playbook(path)
    return str(info.value).replace(str(path), "p.yaml")


def test_bad_routes_are_one_line_naming_the_key(tmp_path):
    assert error_of(tmp_path, "  default: billing\n") == (
        "p.yaml:3: routes.default: unknown route 'billing'; routes: support, sales, marketing,"
        " community"
    )
    assert error_of(tmp_path, "  sales: {intents: [complain]}\n") == (
        "p.yaml:3: routes.sales.intents[0]: unknown intent 'complain' (did you mean 'complaint'?)"
    )
    assert error_of(tmp_path, "  sales: {intents: [praise]}\n") == (
        "p.yaml:3: routes.sales.intents[0]: 'praise' is already routed to 'community'"
    )
    assert error_of(tmp_path, "  sales: {topics: [wifi]}\n") == (
        "p.yaml:3: routes.sales.topics[0]: unknown topic 'wifi'"
    )
    # Named in the brand's own file, though sales comes before marketing in the merge.
    assert error_of(tmp_path, "  sales: {escalations: [press]}\n") == (
        "p.yaml:3: routes.sales.escalations[0]: 'press' is already routed to 'marketing'"
    )
    assert error_of(tmp_path, "  sales: []\n") == (
        "p.yaml:3: routes.sales: expected a mapping, got a list"
    )
    assert error_of(tmp_path, "  sales: {lable: Sales}\n") == (
        "p.yaml:3: routes.sales.lable: unknown key 'lable' (did you mean 'label'?)"
    )
    assert error_of(tmp_path, "  Sales Team: {intents: []}\n").endswith(
        "a route's name is lower-case letters, digits, '-' or '_' (at most 40), got 'Sales Team'"
    )


def test_routes_need_a_default(tmp_path):
    assert error_of(tmp_path, "  default: null\n") == (
        "p.yaml:2: routes: missing required key 'default' (the route of anything else)"
    )


# -- the command line -------------------------------------------------------------------

INBOX = [
    {"id": "price", "text": "How much is the business plan?", "received_at": AT},
    {"id": "late", "text": "My order still hasn't arrived", "received_at": AT},
    {
        "id": "collab",
        "text": "Would you be up for a collab? I have 40k followers",
        "received_at": AT,
    },
    {"id": "love", "text": "Love the new store!", "received_at": AT},
    {"id": "stars", "rating": 1, "received_at": AT},
    {"id": "bad", "text": "hello", "rating": 7},
]


def test_triage_route_shows_one_teams_queue(tmp_path):
    path = tmp_path / "inbox.jsonl"
    path.write_text(jsonl(*INBOX), encoding="utf-8")
    every = json.loads(invoke("triage", str(path), "--no-store", "--now", AT, "-f", "json").stdout)
    assert {row["id"]: row["route"] for row in every["queue"]} == {
        "price": "sales",
        "late": "support",
        "collab": "marketing",
        "love": "community",
        "stars": "support",
    }
    result = invoke(
        "triage", str(path), "--no-store", "--now", AT, "-f", "json", "--route", "support"
    )
    assert result.exit_code == 1  # the bad record is still reported
    data = json.loads(result.stdout)
    assert [(row["rank"], row["id"]) for row in data["queue"]] == [(1, "late"), (2, "stars")]
    assert data["queue"][1]["tags"] == ["intent:complaint", "lang:en", "rating:1", "route:support"]
    assert data["errors"] == [
        {"id": "bad", "error": "line 6: rating must be a whole number from 1 to 5"}
    ]
    plain = invoke("triage", str(path), "--no-store", "--now", AT, "--route", "sales")
    assert plain.stdout.splitlines()[0].split() == [
        "1",
        "in",
        "2h00m",
        "price",
        "question",
        "reply",
        "sales",
        "-",
        "How",
        "much",
        "is",
        "the",
        "business",
        "plan?",
    ]
    assert plain.stdout.splitlines()[1].startswith("  !  line 6: rating must be")


def test_triage_an_unknown_route_lists_the_valid_ones(tmp_path):
    path = tmp_path / "inbox.jsonl"
    path.write_text(jsonl(*INBOX[:1]), encoding="utf-8")
    result = invoke("triage", str(path), "--no-store", "--route", "billing")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "replybook: error: --route 'billing': unknown route; valid: community, marketing,"
        " sales, support\n"
    )


def test_draft_rating_on_the_command_line():
    result = invoke("draft", "--rating", "1", "--no-store", "--received-at", AT, "-f", "json", "")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["intent"], data["route"], data["flags"]) == (
        "complaint",
        "support",
        ["star_rating"],
    )
    assert data["evidence"]["star_rating"] == "1/5"
    piped = invoke(
        "draft", "--rating", "5", "--no-store", "--received-at", AT, "-f", "json", input=""
    )
    assert piped.exit_code == 0 and json.loads(piped.stdout)["intent"] == "praise"


@pytest.mark.parametrize("value", ["7", "0", "two"])
def test_draft_rating_out_of_range_is_exit_2(value):
    result = invoke("draft", "--rating", value, "--no-store", "my order is late")
    assert result.exit_code == 2
    assert result.stderr == "replybook: error: --rating must be a whole number from 1 to 5\n"


def test_an_empty_comment_without_a_rating_is_still_exit_2():
    result = invoke("draft", "--no-store", "")
    assert result.exit_code == 2
    assert result.stderr == "replybook: error: the comment is empty\n"


@pytest.mark.parametrize("value", [0, 6, 2.5, "x", True, [3]])
def test_a_bad_rating_in_a_record_is_an_error_record(value):
    records = jsonl({"id": "r1", "text": "ok", "rating": value}, {"id": "r2", "text": "Thanks!"})
    result = invoke("draft", "--batch", "-", "--no-store", "--received-at", AT, input=records)
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert out[0] == {"id": "r1", "error": "line 1: rating must be a whole number from 1 to 5"}
    assert out[1]["intent"] == "praise"


def test_a_csv_rating_cell_and_a_review_without_text(tmp_path):
    path = tmp_path / "reviews.csv"
    path.write_text("id,text,stars\nr1,,1\nr2,Arrived on Tuesday,5\nr3,fine,\n", encoding="utf-8")
    result = invoke(
        "draft",
        "--batch",
        str(path),
        "--columns",
        "rating=stars",
        "--no-store",
        "--received-at",
        AT,
    )
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(o["id"], o["intent"], o["tags"][-2:]) for o in out] == [
        ("r1", "complaint", ["rating:1", "route:support"]),
        ("r2", "praise", ["rating:5", "route:community"]),
        ("r3", "other", ["lang:en", "route:community"]),
    ]


def test_draft_batch_output_is_unchanged_but_for_the_new_fields():
    record = {"id": 1, "text": "My order still hasn't arrived", "received_at": AT}
    batch = invoke("draft", "--batch", "-", "--no-store", input=jsonl(record))
    one = invoke("draft", "--no-store", "--received-at", AT, "-f", "json", record["text"])
    assert json.loads(batch.stdout) == {"id": 1, **json.loads(one.stdout)}
    assert list(json.loads(one.stdout))[7:10] == ["topic", "route", "tags"]


def test_reviews_with_no_words_never_make_an_incident(tmp_path):
    records = jsonl(*({"id": f"s{n}", "rating": 1, "received_at": AT} for n in range(4)))
    db = tmp_path / "team.db"
    result = invoke("draft", "--batch", "-", "--db", str(db), input=records)
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["incident"] for o in out] == [None] * 4
    assert [o["case"] for o in out] == ["complaint"] * 4


# -- threads and support accounts -------------------------------------------------------

THREAD = [
    {"role": "customer", "text": "My parcel never arrived"},
    {"role": "brand", "text": "So sorry! Could you tell us your order number?"},
]


def test_a_message_in_a_complaint_thread_stays_with_support(default):
    decision = decide(analyze("It's 12345", default, context=THREAD), default)
    assert (decision.intent, decision.route, decision.route_by) == ("other", "support", "thread")
    d = draft("It's 12345", default, context=THREAD, received_at=AT)
    assert "Route: Support – the customer complained earlier in this thread." in d.note.splitlines()
    assert "The customer complained earlier in this thread: it stays with support." in [
        r.why for r in d.reasons
    ]


def test_a_message_to_a_support_account_goes_to_support(default):
    decision = routed("@AcmeHelp love you guys", default, "en")
    assert (decision.intent, decision.route, decision.route_by) == ("praise", "support", "handle")
    assert decision.evidence["route"] == "@AcmeHelp"
    # A route's own phrase still wins: a price asked of the support account is sales'.
    assert routed("@AcmeHelp how much is the business plan?", default, "en").route == "sales"
    # A language the playbook doesn't serve, written to the support account: support reads it.
    review = routed("@AcmeSupport ¿dónde está mi pedido?", default, "es")
    assert (review.action, review.route, review.route_by) == ("review", "support", "handle")


def test_one_route_takes_the_support_accounts(tmp_path):
    assert error_of(tmp_path, "  sales: {support_handles: true}\n") == (
        "p.yaml:3: routes.sales.support_handles: support_handles is already routed to 'support'"
    )
