"""replybook lint and replybook test on the command line: exact output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from replybook.cli import app

runner = CliRunner()
BAD = "As I already said, READ the FAQ!!! ^MK\n"
GOOD = "Hi Dana, I'm so sorry about your order. Please send us a DM and we'll track it. ^MK\n"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    bad = tmp_path / "bad.txt"
    good = tmp_path / "good.txt"
    bad.write_text(BAD, encoding="utf-8")
    good.write_text(GOOD, encoding="utf-8")
    return {"bad": str(bad), "good": str(good)}


def invoke(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


@pytest.fixture(scope="module", autouse=True)
def _each_playbook_tested_once():
    """``replybook test`` drafts and lints every phrasing of a playbook: seconds each time.
    The tests below run it on the same few playbooks again and again, with options
    (--fail-level, -f json, several files at once) that change only what is done with the
    report. The check itself is pure (a playbook in, a report out), so within this module
    each playbook, by the content of its files and templates, is checked once; every
    command is still run and its output and exit code asserted."""
    import hashlib

    from replybook import selftest

    real = selftest.run
    reports: dict[tuple[object, ...], object] = {}

    def run(book):  # type: ignore[no-untyped-def]
        files = tuple(hashlib.sha256(Path(f).read_bytes()).hexdigest() for f in book.files)
        key = (book.name, files, tuple(sorted(book.templates.items())))
        if key not in reports:
            reports[key] = real(book)
        return reports[key]

    selftest.run = run
    yield
    selftest.run = real


def test_line_format(files):
    result = invoke("lint", "--format", "line", files["bad"], files["good"])
    assert result.exit_code == 1
    bad = files["bad"]
    assert result.stdout == (
        f"{bad}:1:1:error:blames-customer:Don't blame or correct the customer in public "
        "('As I already said').\n"
        f"{bad}:1:1:warning:no-greeting:"
        "Greet the customer: a reply with no hello reads like a bot.\n"
        f"{bad}:1:20:warning:shouting:'READ' is in capitals: it reads as shouting.\n"
        f"{bad}:1:34:suggestion:exclamation-marks:3 exclamation marks: one is plenty.\n"
    )


def test_json_format_schema(files):
    result = invoke("lint", "-f", "json", files["bad"], files["good"])
    data = json.loads(result.stdout)
    assert [f["path"] for f in data["files"]] == [files["bad"], files["good"]]
    assert data["files"][1]["findings"] == []
    assert data["counts"] == {"error": 1, "warning": 2, "suggestion": 1}
    first = data["files"][0]["findings"][0]
    assert set(first) == {"rule", "level", "message", "why", "line", "column", "span", "match"}


def test_github_format(files):
    result = invoke("lint", "-f", "github", "--fail-level", "never", files["bad"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"::error file={files['bad']},line=1,col=1,title=blames-customer::"
        "Don't blame or correct the customer in public ('As I already said')."
    )
    assert lines[-1].startswith("::notice ")


def test_plain_text_when_piped(files):
    result = invoke("lint", files["bad"])
    assert result.stdout.splitlines()[0] == files["bad"]
    assert result.stdout.splitlines()[-1] == "4 problems (1 error, 2 warnings, 1 suggestion)"
    assert "\x1b[" not in result.stdout


def test_clean_file(files):
    result = invoke("lint", files["good"])
    assert (result.exit_code, result.stdout) == (0, "No problems.\n")


@pytest.mark.parametrize(
    ("level", "code"), [("suggestion", 1), ("warning", 1), ("error", 1), ("never", 0)]
)
def test_fail_levels_on_errors(files, level, code):
    assert invoke("lint", "--fail-level", level, files["bad"]).exit_code == code


@pytest.mark.parametrize(("level", "code"), [("suggestion", 1), ("warning", 0), ("error", 0)])
def test_fail_levels_on_a_suggestion(tmp_path, level, code):
    path = tmp_path / "r.txt"
    path.write_text("Hi Dana, thanks!!! ^MK", encoding="utf-8")
    assert invoke("lint", "--fail-level", level, str(path)).exit_code == code


def test_stdin_is_named_stdin():
    result = invoke("lint", "-f", "line", "-", input="Hi Dana, calm down. ^MK")
    assert result.stdout.startswith("<stdin>:1:10:error:calm-down:")
    assert result.exit_code == 1


def test_against_the_comment():
    result = invoke(
        "lint",
        "-f",
        "line",
        "--comment",
        "I want a refund NOW for my non-refundable ticket",
        "--name",
        "Sam",
        "-",
        input="Hi Sam, we can't refund that ticket. ^JD",
    )
    rules = [line.split(":")[4] for line in result.stdout.splitlines()]
    assert "complaint-without-apology" in rules
    assert "refusal-without-alternatives" in rules


def test_an_insult_echoed_from_the_comment():
    result = invoke(
        "lint",
        "-f",
        "line",
        "--comment",
        "This stupid app crashed AGAIN",
        "-",
        input="Hi Dana, sorry the stupid app crashed again. DM us and we will fix it. ^MK",
    )
    assert result.exit_code == 1
    assert result.stdout == (
        "<stdin>:1:20:error:echoes-an-insult:'stupid' repeats the comment's insult or "
        "swearing: name the problem in your own words.\n"
    )


def test_personal_data_asked_for_with_words_between():
    text = "Hi Dana, please reply here with your account number and password so we can check. ^MK"
    result = invoke("lint", "-f", "line", "-", input=text)
    assert result.exit_code == 1
    assert result.stdout == (
        "<stdin>:1:17:error:private-data-in-public:Don't ask for personal data in public "
        "('reply here with your account number'): ask in the DM.\n"
    )
    dm = "Hi Dana, sorry! DM us your account number and we'll check. ^MK"
    assert invoke("lint", "-f", "line", "-", input=dm).stdout == ""


def test_channel_limit():
    long = GOOD.replace("track it.", "track it with the courier and keep you posted every day.")
    result = invoke("lint", "-f", "line", "--channel", "tiktok", "-", input=long * 2)
    assert ":error:too-long:" in result.stdout


def test_history_file_plain_and_jsonl(tmp_path):
    plain = tmp_path / "sent.txt"
    plain.write_text(GOOD.replace("Dana", "Ana"), encoding="utf-8")
    jsonl = tmp_path / "sent.jsonl"
    jsonl.write_text(json.dumps({"text": GOOD.replace("Dana", "Ana")}) + "\n", encoding="utf-8")
    for history in (plain, jsonl):
        result = invoke("lint", "-f", "line", "--history", str(history), "-", input=GOOD)
        assert ":warning:canned-reply:" in result.stdout


def test_bad_history_line(tmp_path):
    bad = tmp_path / "sent.jsonl"
    bad.write_text('{"text": "ok"}\n{"text": \n', encoding="utf-8")
    result = invoke("lint", "--history", str(bad), "-", input=GOOD)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"replybook: error: {bad}:2: not valid JSON")


def test_missing_file_is_exit_2(tmp_path):
    result = invoke("lint", str(tmp_path / "nope.txt"))
    assert result.exit_code == 2
    assert result.stderr == f"replybook: error: {tmp_path / 'nope.txt'}: no such file\n"


def test_unknown_channel_is_exit_2():
    result = invoke("lint", "--channel", "fax", "-", input=GOOD)
    assert result.exit_code == 2
    assert result.stderr.startswith("replybook: error: unknown channel 'fax'; valid: ")


def test_bad_fail_level_is_exit_2():
    result = invoke("lint", "--fail-level", "fatal", "-", input=GOOD)
    assert result.exit_code == 2
    assert result.stderr.startswith("replybook lint: error: Invalid value for '--fail-level'")


# replybook test ------------------------------------------------------------------------------


def test_a_playbook_that_passes(tmp_path):
    # The built-in playbooks' own test runs in tests/test_lint.py; here the command's output
    # and exit code, on a brand playbook that answers in English and Finnish.
    path = tmp_path / "acme-en-fi.yaml"
    path.write_text("playbook: acme-air\nextends: acme-air\nserves: [en, fi]\n", encoding="utf-8")
    result = invoke("test", str(path))
    assert result.exit_code == 0
    head = result.stdout.splitlines()[0]
    assert head.startswith("acme-air: ") and head.endswith(": ok")
    # Warnings (wildcards on short stems) never fail a playbook.
    assert all(line.startswith("  warning: ") for line in result.stdout.splitlines()[1:])


def test_coverage_shows_each_rules_languages(tmp_path):
    path = tmp_path / "en.yaml"
    path.write_text("extends: default\nserves: [en]\n", encoding="utf-8")
    result = invoke("test", "--coverage", str(path))
    lines = result.stdout.splitlines()
    table = lines[next(i for i, line in enumerate(lines) if line.startswith("rule ")) :]
    assert table[0].split() == ["rule", "en", "fa", "fi", "ru", "tr"]
    row = next(line for line in table if line.startswith("blames-customer "))
    assert row.split()[1:] == ["✓"] * 5


def test_a_broken_playbook_fails_with_the_reasons(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        """playbook: broken
extends: default
serves: [en]
rules:
  - id: calm-down
    extends: existence
    level: error
    message: "No '{match}'."
    why: Tone (never-argue).
    tokens: [calm down]
    examples: {bad: ["Please relax."], good: ["Please calm down."]}
""",
        encoding="utf-8",
    )
    result = invoke("test", str(path))
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines()[1:] if "warning:" not in line]
    assert lines == [
        "  rule calm-down: bad example didn't fire: 'Please relax.'",
        "  rule calm-down: good example fired (No 'calm down'.): 'Please calm down.'",
    ]
    data = json.loads(invoke("test", "-f", "json", str(path)).stdout)
    assert data["playbook"] == "broken" and len(data["failures"]) == 2


WIFI = """playbook: wifi
extends: default
serves: [en]
faq:
  wifi:
    match: {en: ["wif*", wireless network]}
    answer: {en: "The password is on the back of your ticket."}
"""


def english_examples(tmp_path: Path) -> int:
    """How many rule examples `replybook test` runs for a playbook that serves English only
    (the default's English examples: the count grows as rules learn new wordings)."""
    from replybook import load_playbook
    from replybook.linter import compile_rules
    from replybook.selftest import rule_examples

    path = tmp_path / "en-only.yaml"
    path.write_text("playbook: en-only\nextends: default\nserves: [en]\n", encoding="utf-8")
    playbook = load_playbook(path)
    return sum(
        len(ex.get("bad") or ()) + len(ex.get("good") or ())
        for rule in compile_rules(playbook)
        for ex in rule_examples(playbook, rule).values()
    )


@pytest.mark.parametrize(
    ("level", "code", "head"),
    [
        ("error", 0, "ok"),
        ("never", 0, "ok"),
        ("warning", 1, "1 warning (--fail-level warning)"),
        ("suggestion", 1, "1 warning (--fail-level warning)"),
    ],
)
def test_test_fail_level_decides_whether_warnings_fail(tmp_path, level, code, head):
    path = tmp_path / "wifi.yaml"
    path.write_text(WIFI, encoding="utf-8")
    result = invoke("test", "--fail-level", level, str(path))
    assert result.exit_code == code
    assert result.stdout.splitlines() == [
        f"wifi: 33 rules, {english_examples(tmp_path)} examples, 730 drafts linted: {head}",
        "  warning: faq.wifi.match.en: 'wif*' matches unrelated words",
    ]


def test_test_takes_several_playbooks_and_fails_if_one_does(tmp_path):
    wifi = tmp_path / "wifi.yaml"
    wifi.write_text(WIFI, encoding="utf-8")
    plain = tmp_path / "plain.yaml"
    plain.write_text("playbook: plain\nextends: default\nserves: [en]\n", encoding="utf-8")
    result = invoke("test", "--fail-level", "warning", str(plain), str(wifi))
    assert result.exit_code == 1
    heads = [line for line in result.stdout.splitlines() if not line.startswith("  ")]
    assert heads == [
        f"plain: 33 rules, {english_examples(tmp_path)} examples, 730 drafts linted: ok",
        f"wifi: 33 rules, {english_examples(tmp_path)} examples, 730 drafts linted:"
        " 1 warning (--fail-level warning)",
    ]
    assert invoke("test", str(plain), str(wifi)).exit_code == 0
    # JSON: one object a line, one per playbook, each as for one playbook.
    lines = invoke("test", "-f", "json", str(plain), str(wifi)).stdout.splitlines()
    assert [json.loads(line)["playbook"] for line in lines] == ["plain", "wifi"]
    assert json.loads(lines[1])["warnings"] == [
        {"where": "faq.wifi.match.en", "problem": "'wif*' matches unrelated words"}
    ]


def test_test_never_passes_a_failing_playbook_but_a_bad_file_is_still_exit_2(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "playbook: broken\nextends: default\nserves: [en]\nrules:\n  - id: calm-down\n"
        "    extends: existence\n    level: error\n    message: x\n    why: y\n"
        "    tokens: [calm down]\n    examples: {bad: [Relax.], good: [Calm down.]}\n",
        encoding="utf-8",
    )
    assert invoke("test", str(path)).exit_code == 1
    assert invoke("test", "--fail-level", "never", str(path)).exit_code == 0
    missing = invoke("test", "--fail-level", "never", str(path), str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 2
    assert missing.stderr.count("\n") == 1 and "nope.yaml" in missing.stderr


def test_draft_json_carries_lint():
    result = invoke(
        "draft", "-f", "json", "--received-at", "2026-11-23T09:00:00Z", "My order is late"
    )
    assert json.loads(result.stdout)["lint"] == []


def test_lint_on_a_private_channel(tmp_path):
    asks = tmp_path / "asks.txt"
    text = "Hi Dana, sorry! Could you send us your order number? We'll check. ^MK\n"
    asks.write_text(text, encoding="utf-8")
    # In public, asking for the order number is an error; in an e-mail it is the way.
    result = invoke("lint", "--format", "line", "--channel", "x", str(asks))
    assert result.exit_code == 1
    assert ":error:private-data-in-public:" in result.stdout
    result = invoke("lint", "--format", "line", "--channel", "email", str(asks))
    assert (result.exit_code, result.stdout) == (0, "")
    # Moving an e-mail "to DM" is the error there, and only there.
    result = invoke("lint", "--format", "line", "--channel", "email", "-", input=GOOD)
    assert result.exit_code == 1
    assert result.stdout == (
        "<stdin>:1:48:error:moves-private-in-private:'send us a DM': this conversation is already "
        "private; ask for what you need right here.\n"
    )
    result = invoke("lint", "--format", "line", "--channel", "x", "-", input=GOOD)
    assert (result.exit_code, result.stdout) == (0, "")
