"""replybook listen: brand mentions in posts (the core), and the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from replybook.cli import app
from replybook.errors import PlaybookError
from replybook.lexicon import Fold
from replybook.listen import Brand, brand_for, strongest
from replybook.playbook import load_playbook

runner = CliRunner()


def invoke(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


@pytest.fixture(scope="module")
def brand() -> Brand:
    return brand_for(load_playbook("acme-air"))


def found(brand: Brand, text: str) -> list[tuple[str, str, str, bool]]:
    mentions = brand.find(text)
    for m in mentions:
        assert text[m.start : m.end] == m.match
    return [(m.kind, m.match, m.certainty, m.direct) for m in mentions]


# -- handles -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("@AcmeAir you lost my bag", "@AcmeAir"),
        ("hey @acmeair the app is down", "@acmeair"),
        ("@AcmeAir'a iki gündür yazıyorum", "@AcmeAir"),
        ("@AcmeAir:lle laitoin viestin", "@AcmeAir"),
        ("Спасибо экипажу @AcmeAir!", "@AcmeAir"),
        ("ممنون از @AcmeAir، پرواز خوبی بود", "@AcmeAir"),
        ("@AcmeAirHelp still on hold", "@AcmeAirHelp"),
        ("@AcmeAir_TR uçuşum iptal", "@AcmeAir_TR"),
    ],
)
def test_a_handle_addresses_the_brand(brand, text, match):
    assert found(brand, text) == [("handle", match, "exact", True)]


def test_a_longer_handle_is_only_possible_and_not_addressed(brand):
    assert found(brand, "@AcmeAirFan look at this") == [
        ("handle", "@AcmeAirFan", "possible", False)
    ]


def test_an_email_address_is_the_brand_s_domain_not_its_handle(brand):
    assert found(brand, "write to x@acmeair.example") == [
        ("url", "acmeair.example", "exact", False)
    ]
    assert [m.kind for m in brand.find("mail me at dana@acmeair")] == ["misspelling"]


# -- names in five languages --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("Acme Air cancelled my flight", "Acme Air"),
        ("Never flying AcmeAir again", "AcmeAir"),
        ("ACME AIR LOST MY DRESS", "ACME AIR"),
        ("Flew Acme-Air to Oslo", "Acme-Air"),
        ("Acme Air's app is broken", "Acme Air's"),
        ("AcmeAir'ın rötarları", "AcmeAir'ın"),
        ("Acme Air’ın müşteri hizmetleri", "Acme Air’ın"),
        ("Acme Air'e bir daha binmem", "Acme Air'e"),
        ("AcmeAirin uygulaması çöktü", "AcmeAirin"),
        ("ACME AİR KAYBETTİ", "ACME AİR"),
        ("AcmeAirilla lensin Lontooseen", "AcmeAirilla"),
        ("Acme Airin asiakaspalvelu", "Acme Airin"),
        ("Soitin AcmeAirille kolme kertaa", "AcmeAirille"),
        ("Acme Air:n lennot", "Acme Air:n"),
        ("Акме Эйр опять потеряли багаж", "Акме Эйр"),
        ("Летал АкмеЭйр в Стамбул", "АкмеЭйр"),
        ("не полечу Акме Эйром", "Акме Эйром"),
        ("У Акме Эйра приложение", "Акме Эйра"),
        ("آکمه ایر پروازم رو کنسل کرد", "آکمه ایر"),
        ("آکمه\u200cایر بار من رو گم کرده", "آکمه\u200cایر"),
        ("آکمهایر بدترین بود", "آکمهایر"),
        ("آکمه\u200cایرو انتخاب نمی‌کنم", "آکمه\u200cایرو"),
        ("آكمه اير گرون شده", "آكمه اير"),
    ],
)
def test_a_name_without_an_at_is_an_exact_mention(brand, text, match):
    assert found(brand, text) == [("name", match, "exact", False)]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("Acme Airways used to be good", "Acme Airways"),
        ("Acme Havayolları'nın bagaj kuralları", "Acme Havayolları'nın"),
        ("Жалоба на авиакомпанию Акме", "авиакомпанию Акме"),
        ("هواپیمایی آکمه گرون حساب می‌کنه", "هواپیمایی آکمه"),
        ("Acme-lentoyhtiö perui lentomme", "Acme-lentoyhtiö"),
    ],
)
def test_an_alias_is_an_exact_mention(brand, text, match):
    assert found(brand, text) == [("alias", match, "exact", False)]


@pytest.mark.parametrize(
    "text",
    [
        "She reached the acme of her career",
        "This is the acme of air travel",
        "Acme Airlines Corp. shares fell",
        "New scope from AcmeAirsoft",
        "АкмеЭйрсофт привезли приводы",
        "Акмеизм как течение в поэзии",
        "Hastalığın akme döneminde",
        "ایران ایر پرواز رو لغو کرد",
        "notacmeair.example is not ours",
    ],
)
def test_look_alikes_are_not_mentions(brand, text):
    assert found(brand, text) == []


# -- hashtags and links -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "match", "certainty"),
    [
        ("Stuck in Newark #AcmeAirFail", "#AcmeAirFail", "exact"),
        ("sunrise #acme_air #travel", "#acme_air", "exact"),
        ("Free upgrade #FlyAcme", "#FlyAcme", "exact"),
        ("Сидим шестой час #АкмеЭйр", "#АкмеЭйр", "exact"),
        ("معطلیم #آکمه_ایر", "#آکمه_ایر", "exact"),
        ("#AcmeAir2024 was rough", "#AcmeAir2024", "exact"),
        ("three cancellations #acmeairfail", "#acmeairfail", "possible"),
    ],
)
def test_hashtags(brand, text, match, certainty):
    assert found(brand, text) == [("hashtag", match, certainty, False)]


def test_a_hashtag_whose_words_only_begin_with_the_name_is_not_it(brand):
    assert found(brand, "#AcmeAirsoft restock") == []


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("the form at acme-air.example/refunds loops", "acme-air.example/refunds"),
        (
            "error on https://www.acmeair.example/manage?x=1.",
            "https://www.acmeair.example/manage?x=1",
        ),
        ("(see care.acme-air.example)", "care.acme-air.example"),
        ("www.fly-acme.example üzerinden", "www.fly-acme.example"),
    ],
)
def test_branded_links_with_or_without_scheme(brand, text, match):
    assert found(brand, text) == [("url", match, "exact", False)]


def test_a_look_alike_domain_is_not_the_brand_s_link(brand):
    assert [k for k, *_ in found(brand, "acme-air.example.evil.test/login")] == ["name"]


# -- misspellings and excludes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("Acme Aer lost my stroller", "Acme Aer"),
        ("AcmeAri cancelled on me", "AcmeAri"),
        ("Akme Air has the worst wifi", "Akme Air"),
        ("Akme Airilla on huonoin wifi", "Akme Airilla"),
        ("Акми Эйр задержали рейс", "Акми Эйр"),
        ("آکما ایر چمدونم رو گم کرد", "آکما ایر"),
    ],
)
def test_misspellings_are_only_ever_possible(brand, text, match):
    assert found(brand, text) == [("misspelling", match, "possible", False)]


def test_a_short_word_is_never_a_misspelling():
    brand = Brand(names=["Uber"], similarity=70, min_letters=6)
    assert brand.find("Ubr is late") == []


def test_misspellings_are_not_looked_for_once_the_brand_is_named(brand):
    assert found(brand, "Acme Air, or as my kid says, Akme Aer") == [
        ("name", "Acme Air", "exact", False)
    ]


def test_an_exclude_phrase_drops_a_name_in_its_sentence_only(brand):
    assert found(brand, "My Acme Air fryer makes great wings") == []
    assert found(brand, "Called Acme Air Conditioning. Then Acme Air lost my bag") == [
        ("name", "Acme Air", "exact", False)
    ]
    assert found(brand, "Поставили кондиционер Акме Эйр на даче") == []


def test_an_exclude_phrase_never_drops_a_handle_or_a_link(brand):
    assert found(brand, "@AcmeAir my air fryer got lost at acme-air.example/bags") == [
        ("handle", "@AcmeAir", "exact", True),
        ("url", "acme-air.example/bags", "exact", False),
    ]


def test_every_mention_in_text_order_and_the_strongest_first(brand):
    text = "#AcmeAirFail again, Acme Air. cc @AcmeAir"
    mentions = brand.find(text)
    assert [m.kind for m in mentions] == ["hashtag", "name", "handle"]
    best = strongest(mentions)
    assert best is not None and (best.kind, best.start, best.direct) == ("handle", 33, True)
    assert best.to_dict() == {
        "kind": "handle",
        "match": "@AcmeAir",
        "start": 33,
        "end": 41,
        "certainty": "exact",
    }


def test_a_brand_from_plain_lists():
    brand = Brand(handles=["sprintcare"])
    assert [(m.match, m.direct) for m in brand.find("@SprintCare is the worst")] == [
        ("@SprintCare", True)
    ]
    assert not Brand()
    assert Brand(domains=["https://www.Example.test/x"]).domains == ("example.test",)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.lists(
        st.sampled_from(
            list("acmeirACMEIR @#_-.:'’/\n İıЭйрАкмеآکمهایر\u200cيك") + ["Acme Air", "@AcmeAir"]
        ),
        max_size=40,
    ).map("".join)
    | st.text(max_size=200)
)
def test_listening_never_raises_and_spans_stay_in_the_text(brand, text):
    mentions = brand.find(text)
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.match
        assert m.certainty in ("exact", "possible")
        assert m.kind in ("handle", "name", "alias", "hashtag", "url", "misspelling")
        assert m.certainty == "possible" or m.kind != "misspelling"


def _reference_fold(fold: Fold, text: str) -> tuple[str, list[int] | None]:
    """Fold.apply as it was first written: every step on every character."""
    from replybook.lexicon import _SAME, _TURKISH_I

    text = text.translate(_SAME)
    if fold.turkish:
        text = text.translate(_TURKISH_I)
    folded = text.casefold()
    origin: list[int] | None = None
    if len(folded) != len(text):
        where: list[int] = []
        for i, c in enumerate(text):
            where += [i] * len(c.casefold())
        origin = where
    cuts = fold._cuts(folded)
    if not cuts:
        return folded, origin
    keep = [True] * len(folded)
    for a, b in cuts:
        for k in range(a, b):
            keep[k] = False
    base = origin if origin is not None else range(len(folded))
    out = "".join(c for c, k in zip(folded, keep, strict=True) if k)
    return out, [i for i, k in zip(base, keep, strict=True) if k]


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(
        alphabet=st.sampled_from(list("aIİıiß ёЁ’ʼ‘يىكة\u200c\u064bمی کنم'DMden:ssä")), max_size=40
    )
    | st.text(max_size=60)
)
def test_fold_is_its_plain_reference(text):
    for fold in (
        Fold(),
        Fold(turkish=True, marks="'"),
        Fold(marks=":"),
        Fold(prefixes=["می"], suffixes=["ها"]),
    ):
        assert fold.apply(text) == _reference_fold(fold, text)


# -- the playbook's brand section ---------------------------------------------------------


def _playbook(tmp_path: Path, brand: str) -> Path:
    path = tmp_path / "replybook.yaml"
    path.write_text(f"playbook: t\nextends: default\nbrand:\n{brand}", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("brand", "message"),
    [
        (
            '  name: T\n  handles: ["@Acme Air"]\n',
            "replybook.yaml:5: brand.handles[0]: expected a handle like '@AcmeAir'"
            " (letters, digits, _), got '@Acme Air'",
        ),
        (
            "  name: T\n  names: {ru: [Т, Тест]}\n",
            "replybook.yaml:5: brand.names.ru[0]: a name needs two letters or more, got 'Т'",
        ),
        (
            "  name: T\n  domains: [not a domain]\n",
            "replybook.yaml:5: brand.domains[0]: expected a domain like 'acme-air.example',"
            " got 'not a domain'",
        ),
        (
            "  name: T\n  misspellings: {similarity: 120}\n",
            "replybook.yaml:5: brand.misspellings.similarity: expected a number from 0 to 100"
            " (percent), got 120",
        ),
        (
            "  name: T\n  alias: [X]\n",
            "replybook.yaml:5: brand.alias: unknown key 'alias' (did you mean 'aliases'?)",
        ),
    ],
)
def test_a_bad_brand_section_names_file_line_and_key(tmp_path, brand, message):
    path = _playbook(tmp_path, brand)
    with pytest.raises(PlaybookError) as caught:
        load_playbook(path)
    assert str(caught.value) == str(path.parent / message)


def test_name_handle_and_website_count_as_a_name_a_handle_and_a_domain(tmp_path):
    book = load_playbook(
        _playbook(tmp_path, '  name: Zed Bank\n  handle: "@ZedBank"\n  website: zed.test\n')
    )
    text = "Zed Bank, @ZedBank and https://zed.test/help"
    assert [m.kind for m in brand_for(book).find(text)] == ["name", "handle", "url"]


# -- the command --------------------------------------------------------------------------


def _feed(tmp_path: Path, *records: dict | str, name: str = "posts.jsonl") -> str:
    path = tmp_path / name
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_listen_prints_the_posts_that_mention_the_brand_as_jsonl(tmp_path):
    feed = _feed(
        tmp_path,
        {"id": 1, "text": "@AcmeAir you lost my bag", "author": "dana"},
        {"id": 2, "text": "lovely weather for flying"},
        {"id": 3, "text": "Akme Air again"},
    )
    result = invoke("listen", "--playbook", "acme-air", feed)
    assert result.exit_code == 0
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        {
            "id": 1,
            "text": "@AcmeAir you lost my bag",
            "author": "dana",
            "mention": {
                "kind": "handle",
                "match": "@AcmeAir",
                "start": 0,
                "end": 8,
                "certainty": "exact",
            },
            "mentions": [
                {"kind": "handle", "match": "@AcmeAir", "start": 0, "end": 8, "certainty": "exact"}
            ],
            "certainty": "exact",
            "direct": True,
        },
        {
            "id": 3,
            "text": "Akme Air again",
            "mention": {
                "kind": "misspelling",
                "match": "Akme Air",
                "start": 0,
                "end": 8,
                "certainty": "possible",
            },
            "mentions": [
                {
                    "kind": "misspelling",
                    "match": "Akme Air",
                    "start": 0,
                    "end": 8,
                    "certainty": "possible",
                }
            ],
            "certainty": "possible",
            "direct": False,
        },
    ]
    assert result.stderr == (
        "replybook: 3 posts read, 2 mentions (exact 1, possible 1): handle 1, misspelling 1\n"
    )


def test_since_duplicates_and_bad_records(tmp_path):
    feed = _feed(
        tmp_path,
        {"id": "a", "text": "Acme Air late", "received_at": "2026-11-20T10:00:00Z"},
        {"id": "b", "text": "Acme Air early", "received_at": "2026-11-01T10:00:00Z"},
        {"id": "c", "text": "Acme Air, no time given"},
        {"id": "a", "text": "Acme Air late, exported twice"},
        "not json",
        {"id": "d"},
    )
    result = invoke("listen", "--playbook", "acme-air", "--since", "2026-11-10", feed)
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(o["id"], o.get("error")) for o in lines] == [
        ("a", None),
        ("c", None),
        (5, "line 5: not valid JSON (Expecting value)"),
        ("d", 'line 6: no "text"'),
    ]
    assert result.stderr == (
        "replybook: 6 posts read, 2 mentions (exact 2, possible 0): name 2; 1 duplicate dropped;"
        ' 1 before --since; 2 records failed (see their "error" fields)\n'
    )


def test_all_keeps_every_post(tmp_path):
    feed = _feed(tmp_path, {"id": 1, "text": "nothing here"})
    result = invoke("listen", "--playbook", "acme-air", "--all", feed)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "id": 1,
        "text": "nothing here",
        "mention": None,
        "mentions": [],
        "certainty": None,
        "direct": False,
    }
    assert result.stderr == "replybook: 1 post read, 0 mentions (exact 0, possible 0)\n"


def test_a_csv_export_with_columns_keeps_its_other_columns(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "post_id,message,network\nx1,#AcmeAirFail again,instagram\nx2,hello,x\n",
        encoding="utf-8",
    )
    result = invoke(
        "listen", "--playbook", "acme-air", "--columns", "id=post_id,text=message", str(path)
    )
    assert result.exit_code == 0
    out = json.loads(result.stdout)
    assert (out["id"], out["text"], out["network"]) == ("x1", "#AcmeAirFail again", "instagram")
    assert "post_id" not in out and "message" not in out


def test_several_feeds_and_stdin_with_duplicates_across_them(tmp_path):
    feed = _feed(tmp_path, {"id": 1, "text": "@AcmeAir hi"}, "{bad")
    result = invoke(
        "listen",
        "--playbook",
        "acme-air",
        feed,
        "-",
        input=json.dumps({"id": 1, "text": "@AcmeAir hi again"}) + "\n",
    )
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[1] == {
        "id": 2,
        "error": f"{feed}: line 2: not valid JSON (Expecting property name enclosed in double"
        " quotes)",
    }
    assert len(lines) == 2


def test_text_format_is_a_table(tmp_path):
    feed = _feed(tmp_path, {"id": 7, "text": "@AcmeAir where is my bag"}, {"id": 8, "text": "x"})
    result = invoke("listen", "--playbook", "acme-air", "--format", "text", feed)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "id           certainty kind        @ match                    post",
        "7            exact     handle      @ @AcmeAir                 @AcmeAir where is my bag",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--playbook", "default", "-"],
            "playbook 'default' names no brand to listen for: set brand.name, names, handle,"
            " handles, hashtags or domains",
        ),
        (
            ["--playbook", "acme-air", "--since", "yesterday", "-"],
            "--since: 'yesterday' is not an ISO 8601 time (e.g. 2026-11-23T09:30:00Z)",
        ),
        (["--playbook", "acme-air", "-", "-"], "'-' (stdin) can be read only once"),
        (
            ["--playbook", "acme-air", "--columns", "txt=message", "-"],
            "--columns: unknown field 'txt'; fields: id, text, name, handle, channel,"
            " received_at, agent, context, lang, rating, url, parent_id, sent_at",
        ),
        (["--playbook", "acme-air", "missing.jsonl"], "missing.jsonl: no such file"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args, message):
    result = invoke("listen", *args, input="")
    assert result.exit_code == 2
    assert result.stderr == f"replybook: error: {message}\n"


def test_listen_output_goes_straight_into_draft_batch_and_triage(tmp_path):
    feed = _feed(
        tmp_path,
        {"id": "p1", "text": "@AcmeAir you lost my bag AGAIN", "received_at": "2026-11-23T09:00Z"},
        {"id": "p2", "text": "the weather is lovely"},
        {"id": "p3", "text": "AcmeAir'ın bavulum nerede?", "lang": "tr"},
    )
    listened = invoke("listen", "--playbook", "acme-air", feed)
    assert listened.exit_code == 0
    drafted = invoke(
        "draft", "--batch", "-", "--playbook", "acme-air", "--no-store", input=listened.stdout
    )
    assert drafted.exit_code == 0
    drafts = [json.loads(line) for line in drafted.stdout.splitlines()]
    assert [(d["id"], d["language"], "error" in d) for d in drafts] == [
        ("p1", "en", False),
        ("p3", "tr", False),
    ]
    triaged = invoke(
        "triage", "-", "--playbook", "acme-air", "--no-store", "--format", "json",
        "--now", "2026-11-23T09:05:00Z", input=listened.stdout,
    )  # fmt: skip
    assert triaged.exit_code == 0
    queue = json.loads(triaged.stdout)
    assert sorted(item["id"] for item in queue["queue"]) == ["p1", "p3"]
    assert queue["errors"] == []


def test_listen_reads_a_preset_and_keeps_its_ids_and_mapped_fields(tmp_path):
    feed = tmp_path / "page.json"
    feed.write_text(
        json.dumps(
            {
                "data": [
                    {
                        "id": "9_1",
                        "message": "flew with AcmeAir today, my bag is still in Oslo",
                        "created_time": "2026-11-20T08:00:00+0000",
                        "from": {"name": "Sanna Virtanen", "id": "77"},
                    },
                    {"id": "9_2", "message": "nice weather", "created_time": 1763625600},
                ]
            }
        ),
        encoding="utf-8",
    )
    result = invoke("listen", "--playbook", "acme-air", "--from", "facebook", str(feed))
    assert result.exit_code == 0, result.stderr
    (post,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert post["id"] == "fb:9_1" and post["channel"] == "facebook"
    assert post["name"] == "Sanna Virtanen" and post["received_at"] == "2026-11-20T08:00:00Z"
    assert post["mention"]["kind"] == "name" and post["certainty"] == "exact"
    assert "from" not in post and "message" not in post
    assert result.stderr == ("replybook: 2 posts read, 1 mention (exact 1, possible 0): name 1\n")


def test_listen_from_an_unknown_preset_is_one_line_and_exit_2(tmp_path):
    feed = tmp_path / "p.jsonl"
    feed.write_text('{"text": "AcmeAir"}\n', encoding="utf-8")
    result = invoke("listen", "--playbook", "acme-air", "--from", "myspace", str(feed))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "myspace" in result.stderr


def test_an_exclude_phrase_rules_out_a_hashtag_made_of_its_words(tmp_path):
    path = tmp_path / "fruit.yaml"
    path.write_text(
        "playbook: fruit\nextends: default\nbrand:\n  name: Apple\n  handles: ['@Apple']\n"
        "  exclude: {en: [apple cup, apple pie]}\n",
        encoding="utf-8",
    )
    brand = brand_for(load_playbook(path))

    def kinds(text):
        return [(m.kind, m.certainty, m.match) for m in brand.find(text)]

    assert kinds("watching the #AppleCup tonight") == []
    assert kinds("#apple_pie recipe") == []
    assert kinds("#AppleFail again") == [("hashtag", "exact", "#AppleFail")]
    assert kinds("@Apple #AppleCup") == [("handle", "exact", "@Apple")]


# -- listen's JSON lines: written directly, as the encoder writes the whole record --------

_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.sampled_from(list('aé"\\\n\x7f\x85\u2028\u2029\ud800😀Ж')), max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=6,
)


@settings(max_examples=200, deadline=None)
@given(
    text=st.lists(
        st.sampled_from(
            ["Acme Air", "@AcmeAir", "Akme Ayr", "#AcmeAirFail", "acmeair.example", " ", "x"]
            + list('é"\\\n\x7f\x85\u2028\u2029\ud83d😀Ж')
        ),
        max_size=12,
    ).map("".join),
    fields=st.dictionaries(st.sampled_from(["id", "name", "extra", "z"]), _VALUES, max_size=3),
)
def test_a_post_s_line_is_the_json_of_its_record_and_what_was_found(brand, text, fields):
    import io

    from replybook.batch import Sink, _with_found

    record = {"text": text, **fields}
    found = brand.find(text)
    best = strongest(found)
    written, direct = Sink(None), Sink(None)
    written.stream, direct.stream = io.StringIO(), io.StringIO()
    written.write(_with_found(dict(record), found, best))
    direct.write_post(dict(record), found, best)
    assert direct.stream.getvalue() == written.stream.getvalue()


# -- the patterns listen builds: tries, checked against the plain alternation -----------

_ITEMS = st.lists(st.text(alphabet="ab.", min_size=1, max_size=4), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(items=_ITEMS, text=st.text(alphabet="ab.c", max_size=10))
def test_a_longest_first_trie_matches_as_the_alternation_does(items, text):
    import re

    from replybook.listen import _alternation, _longest_first

    for after in ("", "(?![ab])", "b", "$", "(?:a|b.)c"):
        trie = re.match(f"(?:{_longest_first(items)}){after}", text)
        plain = re.match(f"(?:{_alternation(items)}){after}", text)
        assert (trie and trie.span()) == (plain and plain.span())


@settings(max_examples=300, deadline=None)
@given(items=_ITEMS | st.just([]), text=st.text(alphabet="ab.c", max_size=12))
def test_a_trie_finds_any_of_its_items_where_one_is(items, text):
    import re

    from replybook.listen import _trie

    assert (re.search(_trie(items), text) is not None) == any(i in text for i in items)


@settings(max_examples=200, deadline=None)
@given(
    text=st.lists(
        st.sampled_from(
            ["Acme Air", "Akme Ayr", "AcmeAire", "#AcmeAirFail", "#acme_air", "#Акме_Эйр", "x"]
            + ["https://a.acmeair.example/x", " ", "-", "_", "ß", "\u200c", "İ", "Акмэ Эйр"]
            + ["آکمه ایر", "آکمه\u200cایر", "air fryer", "Acmi-Air", "cmeai"]
        ),
        max_size=10,
    ).map("".join)
)
def test_find_s_quicker_paths_find_what_the_plain_ones_do(brand, plain_brand, text):
    assert brand.find(text) == plain_brand.find(text)


@pytest.fixture(scope="module")
def plain_brand() -> Brand:
    """The acme-air brand without the quicker paths its find takes where it can."""
    plain = Brand.from_playbook(load_playbook("acme-air"))
    plain._lettered = plain._spaceless_domains = plain._fold_by_letter = False
    return plain


@settings(max_examples=300, deadline=None)
@given(
    names=st.lists(
        st.lists(st.text(alphabet="ab", min_size=1, max_size=3), min_size=1, max_size=3),
        min_size=1,
        max_size=6,
        unique_by=tuple,
    ),
    text=st.text(alphabet="ab -_\nc", max_size=12),
)
@example(names=[["a", "b"], ["abb"], ["a", "bb"]], text="abb")  # "a b" and "a bb" apart
def test_names_tried_in_order_match_as_their_plain_alternation_does(names, text):
    import re

    from replybook.listen import _SEPARATOR, _letters_and_separators, _tried_in_order

    spelled = [(_letters_and_separators(words), f"t{i}") for i, words in enumerate(names)]
    plain = "|".join(
        f"(?P<t{i}>{_SEPARATOR.join(map(re.escape, words))})" for i, words in enumerate(names)
    )
    after = "(?:c|cb)?(?!\\w)"
    tried = re.compile(f"(?<![\\w@#]){_tried_in_order(spelled)}{after}")
    alternation = re.compile(f"(?<![\\w@#])(?:{plain}){after}")
    for at in range(len(text) + 1):
        got, want = tried.match(text, at), alternation.match(text, at)
        assert (got and (got.span(), got.lastgroup)) == (want and (want.span(), want.lastgroup))
