"""The language mechanisms, with a playbook of their own (the built-in languages' words
are tested in tests/test_lang_<code>.py): possession named back to the customer, the
choice of language, reply texts per language, lint in the reply's language."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from replybook import analyze, draft, lint, load_playbook
from replybook.cli import app
from replybook.naming import name_problem

from .conftest import NOW

_BOOK = """\
extends: default
languages:
  tr:
    own_suffixes: [[im, iniz], [ım, ınız], [um, unuz], [üm, ünüz], [am, anız], [om, onuz]]
  ru: {own_words: {мой: ваш, моя: ваша}}
  fa: {own_suffixes: [[ام, تان], [م, تان]]}
topics:
  delivery:
    match: {tr: ["sipariş*", "kargo*", "teslim*"], ru: ["заказ*"], fa: ["سفارش*", "گوشی*"]}
"""


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("book") / "own.yaml"
    path.write_text(_BOOK, encoding="utf-8")
    return load_playbook(path)


@pytest.mark.parametrize(
    ("text", "lang", "named"),
    [
        ("Siparişim hala gelmedi", "tr", "siparişiniz"),
        ("Kargom nerede?", "tr", "kargonuz"),
        ("Мой заказ не пришёл", "ru", "ваш заказ"),
        ("سفارشم هنوز نرسیده", "fa", "سفارشتان"),
        ("گوشی‌ام خراب شد", "fa", "گوشی‌تان"),
    ],
)
def test_the_customers_own_thing_is_named_back_as_theirs(book, text, lang, named):
    a = analyze(text, book, lang=lang)
    assert name_problem(book, a, lang).text == named


def test_a_word_that_only_looks_possessed_is_not_named(book):
    # "teslim" ends in "im" but is the topic's word itself, not "my tesl-".
    a = analyze("Teslim çok geç oldu", book, lang="tr")
    assert name_problem(book, a, "tr").source != "own"


def test_lang_given_wins_over_detection(book):
    assert analyze("Kargo", book, lang="tr").language == "tr"
    assert analyze("Kargo", book).language in ("en", "tr")


def test_cli_lang_must_be_a_served_language():
    result = CliRunner().invoke(app, ["draft", "--lang", "xx", "--no-store", "hello"])
    assert result.exit_code == 2
    assert "this playbook answers in en, tr, ru, fa, fi" in result.output


def test_texts_and_signatures_per_language(tmp_path):
    path = tmp_path / "b.yaml"
    path.write_text(
        "extends: default\n"
        "languages:\n"
        "  fi:\n"
        "    signature:\n"
        "      {agent: 'Terveisin {{ agent.first }}', team: 'Terveisin {{ brand.team }}'}\n"
        "    texts: {team: Asiakaspalvelu}\n",
        encoding="utf-8",
    )
    playbook = load_playbook(path)
    from replybook.playbook import language_text

    assert language_text(playbook, "fi", "team") == "Asiakaspalvelu"
    assert language_text(playbook, "en", "team") == "The Support Team"
    # A plain English text of the playbook never fills another language's reply.
    assert language_text(playbook, "en", "timeline") == "within 24 hours"
    assert language_text(playbook, "xx", "timeline") is None
    # lint reads a Finnish reply's signature in the Finnish form, initials in any script.
    reply = "Hei Anna, kiitos viestistä! Terveisin Pyry"
    assert not [f for f in lint(reply, playbook, lang="fi") if f.rule == "signature-format"]


def test_review_for_a_record_in_a_language_not_served(tmp_path):
    path = tmp_path / "b.yaml"
    path.write_text("extends: default\nserves: [en]\n", encoding="utf-8")
    playbook = load_playbook(path)
    result = draft("Tilaukseni ei ole vieläkään tullut", playbook, now=NOW)
    assert result.action == "review" and result.language == "fi"
    assert any(r.rule == "review" for r in result.reasons)


def test_right_to_left_replies_keep_left_to_right_runs_whole():
    from replybook.phrasing import directed, measured

    text = "سلام @ali_r، شماره +98 21 1234 5678 را ببینید: https://x.example/a ^MK"
    isolated = directed(text, "isolates")
    for run in ("@ali_r", "+98 21 1234 5678", "https://x.example/a", "^MK"):
        assert f"\u2068{run}\u2069" in isolated
    assert directed(text, "marks").count("\u200e") == 4
    assert directed(text, "none") == text
    # X counts each mark as two characters.
    assert measured(isolated, 2) == len(text) + 8 * 2
    assert measured(isolated, 1) == len(text) + 8


def test_lint_strips_directional_marks_and_points_into_the_reply_as_given(default):
    reply = "\u2068Dana\u2069 please reply here with your \u2068password\u2069 so we can check"
    found = [f for f in lint(reply, default, lang="en") if f.rule == "private-data-in-public"]
    assert found
    start, end = found[0].span
    assert "\u2069" not in found[0].match and reply[start:end].endswith("password")


def test_hashtags_split_on_underscores_and_case_in_any_script():
    from replybook.analyze import _clean

    assert _clean("#AcmeAirFail #acme_air_fail") == "Acme Air Fail acme air fail"
    assert _clean("#KargoRezaleti #ПочтаРоссии #سفارش_دیر") == (
        "Kargo Rezaleti Почта России سفارش دیر"
    )


def test_a_batch_records_lang_sets_its_language(tmp_path):
    import json

    records = [
        {"id": "1", "text": "Kargo", "lang": "tr"},
        {"id": "2", "text": "Mi pedido no ha llegado", "lang": "es"},
        {"id": "3", "text": "My order is late"},
        {"id": "4", "text": "hello", "lang": 5},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["draft", "--batch", str(path), "--no-store"])
    assert result.exit_code == 1  # the record with a non-text lang
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert out[0]["language"] == "tr" and out[0]["action"] == "reply"
    assert out[1]["language"] == "es" and out[1]["action"] == "review"
    assert out[1]["public_reply"] is None
    assert out[2]["language"] == "en"
    assert out[3] == {"id": "4", "error": "line 4: 'lang' must be text"}


def test_persian_digits_need_no_isolate():
    from replybook.phrasing import directed

    assert directed("ظرف ۲۴ ساعت", "isolates") == "ظرف ۲۴ ساعت"
    assert directed("ظرف 24 ساعت", "isolates") == "ظرف \u206824\u2069 ساعت"


def test_replybook_test_fails_a_draft_that_reads_as_another_language(tmp_path):
    from replybook.selftest import run

    folder = tmp_path / "templates" / "tr" / "praise"
    folder.mkdir(parents=True)
    for name in ("public-1.j2", "public-2.j2"):
        (folder / name).write_text(
            "Thank you so much for the kind words, we really appreciate it and the team "
            "will love it!",
            encoding="utf-8",
        )
    path = tmp_path / "b.yaml"
    path.write_text("extends: default\nserves: [en, tr]\ntemplates: templates\n", encoding="utf-8")
    report = run(load_playbook(path))
    leaks = [f for f in report.failures if "reads as 'en', not 'tr'" in f.problem]
    assert leaks and all(f.where.startswith("tr/praise") for f in leaks)


def test_replybook_test_fails_a_language_without_a_sample_or_text(tmp_path):
    from replybook.selftest import run

    path = tmp_path / "b.yaml"
    path.write_text("extends: default\nserves: [sv]\n", encoding="utf-8")
    problems = {(f.where, f.problem) for f in run(load_playbook(path)).failures}
    assert ("sv/joke", "no sv sample for joke") in problems
    assert ("languages.sv", "no words for sv") in problems
    assert ("languages.sv.texts.timeline", "no sv text") in problems
