"""Language detection: strings in, detections out."""

from __future__ import annotations

import pytest

from replybook import detect as detect_module
from replybook import load_playbook
from replybook.detect import Detection, detect


@pytest.fixture(scope="module")
def playbook():  # type: ignore[no-untyped-def]
    return load_playbook()


def lang(playbook, text: str) -> str | None:  # type: ignore[no-untyped-def]
    return detect(playbook, text).lang


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # English, long and short
        ("My order still hasn't arrived and nobody answers the phone", "en"),
        ("@AcmeAir you lost my bag AGAIN. Third time this year.", "en"),
        ("Thanks, you sorted it in minutes!", "en"),
        ("I’m so done with this app", "en"),
        ("ok", "en"),
        ("lol", "en"),
        ("hello?", "en"),
        ("Yes.", "en"),
        # Turkish, long, short and typed without its letters
        ("Siparişim iki haftadır gelmedi ve kimse telefonu açmıyor", "tr"),
        ("Teşekkürler", "tr"),
        ("Hesabım kilitlendi", "tr"),
        ("İade yok", "tr"),
        ("Kargom gelmedi", "tr"),
        ("Cok tesekkur ederim", "tr"),
        # Russian
        ("Где мой заказ? Жду уже две недели, никто не отвечает", "ru"),
        ("Спасибо", "ru"),
        ("«Коммерсантъ»: банк может быть продан", "ru"),
        # Persian
        ("سفارش من هنوز نرسیده است و کسی جواب نمی‌دهد", "fa"),
        ("ممنون", "fa"),
        ("چرا پاسخ نمیدید؟", "fa"),
        # Finnish, with and without ä and ö
        ("Tilaukseni ei ole vieläkään tullut perille, vaikka lupasitte maanantaiksi", "fi"),
        ("Sovellus kaatuu heti käynnistyksessä", "fi"),
        ("Laskussa on virhe", "fi"),
        ("Paketti ei tullut", "fi"),
        ("Kiitos avusta", "fi"),
        ("Milloin saan rahat takaisin", "fi"),
    ],
)
def test_served_languages(playbook, text: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert lang(playbook, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Estonian: Finnish's neighbour, never Finnish
        ("Minu tellimus pole ikka veel kohale jõudnud", "et"),
        ("Tere, kus mu pakk on?", "et"),
        ("Arve on vale", "et"),
        ("Rakendus ei tööta, palun aidake", "et"),
        # Spanish, German and others in Latin script
        ("Hola, mi pedido no ha llegado todavía y nadie me contesta", "es"),
        ("No me gusta nada", "es"),
        ("Gracias por la ayuda", "es"),
        ("Meine Bestellung ist immer noch nicht angekommen", "de"),
        ("Warum antwortet niemand?", "de"),
        ("Ma commande n'est toujours pas arrivée", "fr"),
        ("A minha encomenda ainda não chegou", "pt"),
        ("Il mio ordine non è ancora arrivato", "it"),
        ("Mijn bestelling is nog steeds niet aangekomen", "nl"),
        # Other scripts
        ("أين طلبي؟ لم يصل حتى الآن", "ar"),
        ("شكرا على المساعدة", "ar"),
        ("Де моє замовлення? Чекаю вже тиждень", "uk"),
        ("Дякую, все працює", "uk"),
        ("Къде е моята пратка?", "bg"),
        ("注文した商品がまだ届きません", "ja"),
        ("amazonのアプリが開かない", "ja"),
        ("我的订单还没到", "zh"),
        ("주문이 아직 안 왔어요", "ko"),
        ("Η παραγγελία μου δεν έφτασε", "el"),
        ("ההזמנה שלי לא הגיעה", "he"),
    ],
)
def test_languages_we_dont_serve(playbook, text: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert lang(playbook, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "😂😂🔥",
        "@AcmeAir",
        "@AcmeAir https://t.co/abc123",
        "#1 🎉",
        "12345",
        "¯\\_(ツ)_/¯",
    ],
)
def test_nothing_to_go_on(playbook, text: str) -> None:  # type: ignore[no-untyped-def]
    assert detect(playbook, text) == Detection(None, False, "none")


def test_a_letter_of_another_script_in_english_is_no_script(playbook) -> None:  # type: ignore[no-untyped-def]
    assert lang(playbook, "ok ¯\\_(ツ)_/¯") == "en"
    assert lang(playbook, "my parcel is late again (´・ω・`)") == "en"


def test_how_and_certain(playbook) -> None:  # type: ignore[no-untyped-def]
    assert detect(playbook, "Где мой заказ? Жду уже две недели") == Detection("ru", True, "script")
    assert detect(playbook, "Hesabım kilitlendi") == Detection("tr", True, "letters")
    assert detect(playbook, "you lost my bag again") == Detection("en", True, "words")
    found = detect(playbook, "Laskussa on virhe")
    assert (found.lang, found.how) == ("fi", "detector")


def test_plain_english_never_loads_the_detector(playbook, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def refuse(langs: tuple[str, ...]) -> None:
        raise AssertionError("the detector was asked")

    monkeypatch.setattr(detect_module, "_DETECTORS", {})
    monkeypatch.setattr(detect_module, "_load_detector", refuse)
    for text in (
        "ok",
        "lol",
        "hello?",
        "Thanks!",
        "@AcmeAir you lost my bag AGAIN. Third time this year.",
        "The app keeps crashing when I open my basket",
        "What are your opening hours?",
        "I want a refund for my non-refundable ticket, now",
    ):
        assert detect(playbook, text) == Detection("en", True, "words"), text


def test_detection_is_frozen(playbook) -> None:  # type: ignore[no-untyped-def]
    found = detect(playbook, "hello")
    with pytest.raises(AttributeError):
        found.lang = "fi"  # type: ignore[misc]


def test_state_is_built_once_per_playbook(playbook) -> None:  # type: ignore[no-untyped-def]
    detect(playbook, "hello")
    first = playbook._cache["detect:languages"]
    detect(playbook, "Laskussa on virhe")
    assert playbook._cache["detect:languages"] is first


def test_state_survives_the_playbook_cache(playbook) -> None:  # type: ignore[no-untyped-def]
    """What the playbook cache keeps (plain data, marshalled) detects the same."""
    import marshal

    from replybook.playbook import Playbook

    state = marshal.loads(marshal.dumps(detect_module.export_state(playbook)))
    book = Playbook(playbook.name, playbook.data, playbook.templates)
    detect_module.import_state(book, state)
    for text in (
        "hello",
        "Laskussa on virhe",
        "Cok tesekkurler",
        "Siparişim gelmedi",
        "No me gusta",
    ):
        assert detect(book, text) == detect(playbook, text), text


def test_languages_come_from_the_playbook() -> None:
    """A playbook's own stopwords and letters are what the word and letter steps read."""
    from replybook.playbook import Playbook

    data = {
        "language": "en",
        "languages": {
            "en": {"stopwords": ["the", "my", "is"]},
            "fi": {"chars": "äöå", "stopwords": ["ja", "ei", "on"]},
        },
    }
    book = Playbook("test", data, {})
    assert detect(book, "the parcel is late") == Detection("en", True, "words")
    # No Turkish in this playbook: its letters decide nothing, and the detector says it.
    assert detect(book, "Siparişim gelmedi").how == "detector"


def test_the_detector_model_is_kept_for_the_next_process(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The first load keeps the playbook's part of the model in the cache folder; a later
    load reads it and ranks alike."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("REPLYBOOK_NO_CACHE", raising=False)
    langs = ("en", "fi", "et", "tr")
    first = detect_module._load_detector(langs)
    assert list(tmp_path.glob("replybook/langid-*-en-et-fi-tr.npz"))
    again = detect_module._load_detector(langs)
    for text in ("laskussa on virhe", "arve on vale", "kargom nerede", "my bag is lost"):
        assert again(text) == pytest.approx(first(text)), text
    assert set(first("laskussa on virhe")) == set(langs)


def test_a_short_text_of_one_languages_words_is_that_language() -> None:
    """Every word in one other language's lists and no one else's: that language, even
    where a character model would guess from so few letters."""
    from replybook.playbook import Playbook

    data = {
        "language": "en",
        "languages": {
            "en": {"stopwords": ["the", "my", "is"]},
            "fi": {"chars": "äöå", "stopwords": ["ja", "ei"]},
            "tr": {"chars": "ğşıçöü", "stopwords": ["ve", "bir"]},
        },
        "signals": {"complaint": {"fi": {3: ["huono", "firma"]}, "tr": {3: ["berbat"]}}},
    }
    book = Playbook("test", data, {})
    assert detect(book, "Huono firma") == Detection("fi", False, "words")
    assert detect(book, "berbat") == Detection("tr", False, "words")


def test_a_reply_never_loads_the_detector(playbook, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """guess=False (lint's reply language): the playbook's words decide, else its default."""

    def boom(langs):  # type: ignore[no-untyped-def]
        raise AssertionError("the detector was loaded")

    monkeypatch.setattr(detect_module, "_detector", boom)
    assert detect(playbook, "Hi Dana", guess=False).lang == "en"
    assert detect(playbook, "Thanks, Ana! ^MK", guess=False).lang == "en"
    assert detect(playbook, "Hei Anna, kiitos! Terveisin Pyry", guess=False).lang == "fi"
    assert detect(playbook, "Merhaba, siparis yolda", guess=False).lang == "tr"
