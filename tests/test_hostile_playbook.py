"""Hostile playbooks: every problem is one PlaybookError naming file, line and key."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from replybook import PlaybookError, load_playbook


def brand(tmp_path: Path, body: str, name: str = "replybook.yaml") -> Path:
    path = tmp_path / name
    path.write_text("playbook: t\nextends: default\n" + body, encoding="utf-8")
    return path


def fails(path: Path) -> PlaybookError:
    with pytest.raises(PlaybookError) as info:
        load_playbook(path)
    assert "\n" not in str(info.value)
    return info.value


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def test_alias_bomb_is_refused_before_it_expands(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")
    start = time.perf_counter()
    error = fails(path)
    assert time.perf_counter() - start < 1
    assert "aliases expand to more than 1,000,000 values" in str(error)


def test_too_many_aliases_are_refused(tmp_path):
    path = tmp_path / "many.yaml"
    path.write_text("a: &a x\nb: [" + ", ".join(["*a"] * 1001) + "]\n", encoding="utf-8")
    assert "more than 1,000 aliases" in str(fails(path))


def test_an_alias_to_itself_is_refused(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text("a: &a [*a]\n", encoding="utf-8")
    assert "refers to itself" in str(fails(path))


def test_a_file_over_2_mb_is_not_read(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("# " + "x" * 2_000_000 + "\n", encoding="utf-8")
    assert "larger than 2 MB (2,000,000 bytes)" in str(fails(path))


def test_deep_nesting_is_refused(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 500 + "]" * 500 + "\n", encoding="utf-8")
    assert "nested deeper than 100 levels" in str(fails(path))


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("sla_minutes: {complaint: 1000000000000000000000000000000}\n", "sla_minutes.complaint"),
        ("sla_minutes: {complaint: 600000}\n", "sla_minutes.complaint"),
        ("thresholds: {complaint: .nan}\n", "thresholds.complaint"),
        ("thresholds: {complaint: .inf}\n", "thresholds.complaint"),
        ("patterns: {window_hours: 1.0e300}\n", "patterns.window_hours"),
        ("history_size: 100000000000000000000\n", "history_size"),
        ("signals: {abuse: {en: {.nan: [idiot]}}}\n", "signals.abuse.en.nan"),
    ],
)
def test_numbers_out_of_range_fail_at_load(tmp_path, body, key):
    error = fails(brand(tmp_path, body))
    assert error.path == key and error.line is not None


RULE = (
    "rules:\n  - id: my-rule\n    extends: existence\n    message: m\n    why: w\n"
    "    tokens: [foo]\n    examples: {bad: [foo], good: [bar]}\n"
)


@pytest.mark.parametrize(
    ("replace", "key"),
    [
        ("    examples: notamap\n", "rules.my-rule.examples"),
        ("    tokens: 5\n", "rules.my-rule.tokens"),
        ("    tokens: [foo]\n    max: lots\n", "rules.my-rule.max"),
        ("    tokens: [foo]\n    swap: [a, b]\n", "rules.my-rule.swap"),
    ],
)
def test_rule_params_of_the_wrong_type_fail_at_load(tmp_path, replace, key):
    lines = RULE.splitlines(keepends=True)
    wrong = "".join(
        replace if line.startswith(replace.split(":")[0] + ":") else line for line in lines
    )
    error = fails(brand(tmp_path, wrong))
    assert error.path == key and error.line is not None


def test_extends_a_non_playbook_file_never_prints_it(tmp_path):
    secret = tmp_path / "shadow"
    secret.write_text("root:$6$s3cretHash:19000:0:99999:7:::\n", encoding="utf-8")
    path = tmp_path / "replybook.yaml"
    path.write_text("playbook: t\nextends: shadow\n", encoding="utf-8")
    error = fails(path)
    assert "s3cret" not in str(error) and ".yaml or .yml" in str(error)
    include = tmp_path / "inc.yaml"
    include.write_text("playbook: t\ninclude: [shadow]\n", encoding="utf-8")
    assert "s3cret" not in str(fails(include))


def test_yaml_errors_never_quote_the_file(tmp_path):
    target = tmp_path / "shadow.yaml"
    target.write_text("root:x:0: '$6$s3cretHash\n  - 'daemon: *s3cret'\n", encoding="utf-8")
    path = tmp_path / "replybook.yaml"
    path.write_text("playbook: t\nextends: shadow.yaml\n", encoding="utf-8")
    error = fails(path)
    assert "s3cret" not in str(error) and error.file and error.file.endswith("shadow.yaml")


@pytest.mark.parametrize(
    "pattern", [r"(a+)+$", r"(a*)*", r"(a|a)+", r"(\w+\s?)*", r"(\s*,\s*)+$", r"(?:-*\.-*)+"]
)
def test_raw_patterns_with_nested_quantifiers_fail_at_load(tmp_path, pattern):
    for body, key in (
        (f"topics: {{x: {{match: {{en: ['/{pattern}/']}}}}}}\n", "topics.x.match.en[0]"),
        (f"signals: {{abuse: {{en: {{1: ['/{pattern}/']}}}}}}\n", "signals.abuse.en.1[0]"),
        (RULE.replace("tokens: [foo]", f"tokens: ['/{pattern}/']"), "rules.my-rule.tokens[0]"),
    ):
        error = fails(brand(tmp_path, body))
        assert error.path == key and "exponential time" in str(error)


def test_builtin_raw_patterns_pass_the_nested_quantifier_check():
    from replybook.playbook import _pattern_problem

    assert load_playbook("acme-air").name == "acme-air"
    assert _pattern_problem(r"\b(?:(?:your|the|these|such|a)\s+)*(?:nice|kind)\b") is None
    assert _pattern_problem(r"(a++)+") is None


SLOW = r"\s*\s*\s*\s*x"  # polynomial backtracking: no nested repeat, so it loads


def slow_playbook(tmp_path: Path) -> Path:
    body = f"topics: {{x: {{match: {{en: ['/{SLOW}/']}}}}}}\n"
    body += RULE.replace("tokens: [foo]", f"tokens: ['/{SLOW}/']")
    return brand(tmp_path, body)


def test_a_pattern_that_backtracks_polynomially_is_stopped_by_the_time_limit(tmp_path, monkeypatch):
    """The load-time check refuses exponential patterns; a merely polynomial one loads,
    and the per-comment time limit stops it on a stranger's text: one line, exit 2, or one
    error record in a batch that goes on."""
    import json

    from typer.testing import CliRunner

    from replybook import runner as runner_module
    from replybook.cli import app

    monkeypatch.setattr(runner_module, "TIME_LIMIT", 0.3)
    playbook = str(slow_playbook(tmp_path))
    hostile = "my order is late" + " " * 30_000 + "!x"
    cli = CliRunner()
    done = cli.invoke(
        app, ["draft", hostile, "--playbook", playbook, "--no-store", "--received-at", "2026-11-23"]
    )
    assert done.exit_code == 2
    assert done.stderr == (
        "replybook: error: the comment took longer than the limit of 0.3 seconds to process"
        " (a playbook pattern may backtrack on this text)\n"
    )
    reply = tmp_path / "reply.txt"
    reply.write_text("Hi Dana, sorry" + " " * 30_000 + "!x", encoding="utf-8")
    done = cli.invoke(app, ["lint", str(reply), "--playbook", playbook, "--no-store"])
    assert done.exit_code == 2
    assert done.stderr.startswith("replybook: error: the reply took longer than the limit")
    batch = tmp_path / "in.jsonl"
    batch.write_text(
        json.dumps({"id": "slow", "text": hostile})
        + "\n"
        + json.dumps({"id": "ok", "text": "my order is late"})
        + "\n",
        encoding="utf-8",
    )
    done = cli.invoke(app, ["draft", "--batch", str(batch), "--playbook", playbook, "--no-store"])
    assert done.exit_code == 1
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert out[0]["id"] == "slow" and "longer than the limit" in out[0]["error"]
    assert out[1]["id"] == "ok" and out[1]["public_reply"]
    # The timer is gone afterwards.
    import signal

    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


SHADOW = "root:$6$s3cret$hash:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n"


def test_a_shadow_format_file_is_never_echoed_as_an_unknown_key(tmp_path):
    """Its first line reads as a YAML key: the error names the file and line, not the key."""
    (tmp_path / "shadow.yaml").write_text(SHADOW, encoding="utf-8")
    for body in ("playbook: t\nextends: shadow.yaml\n", "playbook: t\nextends: default\n" + SHADOW):
        path = tmp_path / "replybook.yaml"
        path.write_text(body, encoding="utf-8")
        error = fails(path)
        shown = str(error).replace(str(tmp_path), "")
        assert "s3cret" not in shown and "root" not in shown
        assert "unknown key (a key that isn't a name)" in shown


def test_a_shadow_format_preset_file_is_never_echoed(tmp_path):
    from typer.testing import CliRunner

    from replybook.cli import app

    (tmp_path / "shadow.yaml").write_text(SHADOW, encoding="utf-8")
    (tmp_path / "in.jsonl").write_text('{"text": "hi"}\n', encoding="utf-8")
    result = CliRunner().invoke(
        app,
        [
            "draft",
            "--batch",
            str(tmp_path / "in.jsonl"),
            "--no-store",
            "--from",
            str(tmp_path / "shadow.yaml"),
        ],
    )
    assert result.exit_code == 2
    shown = result.stderr.replace(str(tmp_path), "")
    assert "s3cret" not in shown and "root" not in shown
    assert result.stderr.count("\n") == 1


def test_an_unknown_key_that_is_a_name_is_still_named_with_a_hint(tmp_path):
    error = fails(brand(tmp_path, "topcis: {}\n"))
    assert str(error).endswith("topcis: unknown key 'topcis' (did you mean 'topics'?)")


def test_a_key_given_twice_is_refused_with_both_lines(tmp_path):
    # YAML keeps the last silently: the first word list would vanish without a word.
    path = brand(
        tmp_path,
        "thresholds:\n  answer_cue: 2\nfaq: []\nthresholds:\n  answer_cue: 3\n",
    )
    error = fails(path)
    assert str(error) == (
        f"{path}:6: a key is given twice in one mapping (first at line 3)"
    )


def test_a_nested_key_given_twice_is_refused(tmp_path):
    path = brand(tmp_path, "thresholds:\n  answer_cue: 2\n  answer_cue: 3\n")
    assert "line 4" in str(fails(path)) and ":5:" in str(fails(path))


def test_the_same_key_in_two_mappings_and_merge_keys_are_fine(tmp_path):
    path = brand(
        tmp_path,
        "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\nthresholds:\n  answer_cue: 2\n",
    )
    # "base" and "other" are not playbook keys, so the load fails for them, not for a repeat.
    assert "given twice" not in str(fails(path))


def test_the_time_limit_holds_under_a_longer_timer_and_puts_it_back(monkeypatch):
    import signal
    import time

    from replybook import runner as runner_module
    from replybook.errors import UsageError

    monkeypatch.setattr(runner_module, "TIME_LIMIT", 0.2)
    fired: list[int] = []
    before = signal.signal(signal.SIGALRM, lambda *_: fired.append(1))
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        with (
            pytest.raises(UsageError, match="longer than the limit of 0.2 seconds"),
            runner_module.time_limit(),
        ):
            end = time.monotonic() + 5
            while time.monotonic() < end:
                pass
        left = signal.getitimer(signal.ITIMER_REAL)[0]
        assert 25 < left <= 30 and not fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)
