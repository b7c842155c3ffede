"""lint --fix: the substitution rules' replacements put in the files, file in, file out."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from replybook import lint
from replybook.cli import app
from replybook.linter import Finding, apply_fixes, capitalise

runner = CliRunner()


def invoke(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def reply(tmp_path: Path, text: str, name: str = "reply.txt", **kw: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=kw.get("encoding", "utf-8"), newline="")
    return path


def test_fix_puts_the_replacements_in_the_file_and_reports_what_is_left(tmp_path):
    path = reply(
        tmp_path, "Hi Dana, we are unable to change it. Per our policy, kindly wait. ^MK\n"
    )
    result = invoke("lint", "--fix", "-f", "line", str(path))
    assert path.read_text(encoding="utf-8") == (
        "Hi Dana, we can't change it. The way this works, please wait. ^MK\n"
    )
    assert result.stderr == (
        f"{path}:1:10: fixed policy-speak: 'we are unable to' → 'we can't'\n"
        f"{path}:1:38: fixed policy-speak: 'Per our policy' → 'The way this works'\n"
        f"{path}:1:54: fixed policy-speak: 'kindly' → 'please'\n"
        "replybook: 3 fixes in 1 file\n"
    )
    assert (result.exit_code, result.stdout) == (0, "")
    # Nothing left to fix: the file is left as it is.
    before = os.stat(path)
    again = invoke("lint", "--fix", str(path))
    assert (again.exit_code, again.stdout) == (0, "No problems.\n")
    assert again.stderr == "replybook: nothing to fix\n"
    assert os.stat(path).st_ino == before.st_ino


def test_fix_exits_as_lint_does_on_what_it_could_not_fix(tmp_path):
    path = reply(tmp_path, "As I already said, we are unable to change it. ^MK\n")
    result = invoke("lint", "--fix", "-f", "line", "--fail-level", "warning", str(path))
    assert path.read_text(encoding="utf-8") == "As I already said, we can't change it. ^MK\n"
    assert result.exit_code == 1
    assert [line.split(":")[4] for line in result.stdout.splitlines()] == [
        "blames-customer",
        "no-greeting",
    ]
    never = invoke("lint", "--fix", "--fail-level", "never", str(path))
    assert never.exit_code == 0 and never.stderr == "replybook: nothing to fix\n"


def test_fix_takes_several_files_and_keeps_each_ones_encoding_and_line_ends(tmp_path):
    crlf = reply(tmp_path, "Hi Dana,\r\nkindly DM us. ^MK\r\n", "crlf.txt")
    bom = tmp_path / "bom.txt"
    bom.write_bytes("\ufeffHi Dana, kindly DM us. ^MK\n".encode())
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(b"\xff\xfe" + "Hi Dana, kindly DM us 🙂 ^MK\n".encode("utf-16-le"))
    clean = reply(tmp_path, "Hi Dana, please DM us. ^MK\n", "clean.txt")
    result = invoke("lint", "--fix", str(crlf), str(bom), str(utf16), str(clean))
    assert result.exit_code == 0
    assert crlf.read_bytes() == b"Hi Dana,\r\nplease DM us. ^MK\r\n"
    assert bom.read_bytes() == "\ufeffHi Dana, please DM us. ^MK\n".encode()
    assert utf16.read_bytes() == b"\xff\xfe" + "Hi Dana, please DM us 🙂 ^MK\n".encode("utf-16-le")
    assert clean.read_text(encoding="utf-8") == "Hi Dana, please DM us. ^MK\n"
    assert result.stderr.splitlines()[-1] == "replybook: 3 fixes in 3 files"
    assert result.stderr.splitlines()[0] == f"{crlf}:2:1: fixed policy-speak: 'kindly' → 'please'"


def test_fix_writes_atomically_keeping_the_mode_and_a_symlink(tmp_path):
    target = reply(tmp_path, "Hi Dana, kindly DM us. ^MK\n", "target.txt")
    target.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    result = invoke("lint", "--fix", str(link))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == "Hi Dana, please DM us. ^MK\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "target.txt"]


def test_a_file_that_cant_be_rewritten_is_one_line_and_exit_2(tmp_path, monkeypatch):
    path = reply(tmp_path, "Hi Dana, kindly DM us. ^MK\n")

    def full(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    result = invoke("lint", "--fix", str(path))
    assert result.exit_code == 2
    assert result.stderr.endswith(
        f"replybook: error: {path}: can't write: No space left on device\n"
    )
    assert path.read_text(encoding="utf-8") == "Hi Dana, kindly DM us. ^MK\n"
    assert [p.name for p in tmp_path.iterdir()] == ["reply.txt"]  # no temporary file left


def test_fix_refuses_stdin_and_batches(tmp_path):
    for args in (["-"], []):
        result = invoke("lint", "--fix", *args, input="Hi Dana, kindly DM us. ^MK")
        assert result.exit_code == 2
        assert result.stderr == (
            "replybook: error: --fix rewrites the files it lints: give reply files, not stdin\n"
        )
    batch = tmp_path / "b.jsonl"
    batch.write_text('{"id": 1, "text": "kindly"}\n', encoding="utf-8")
    result = invoke("lint", "--fix", "--batch", str(batch))
    assert result.exit_code == 2
    assert result.stderr == (
        "replybook: error: --fix rewrites reply files, and --batch records are none: drop one\n"
    )
    assert batch.read_text(encoding="utf-8") == '{"id": 1, "text": "kindly"}\n'


def test_a_line_with_the_rule_switched_off_is_left_alone(tmp_path):
    text = "Hi Dana, kindly DM us. {# replybook: disable=policy-speak #}\nKindly wait. ^MK\n"
    path = reply(tmp_path, text)
    assert invoke("lint", "--fix", str(path)).exit_code == 0
    assert path.read_text(encoding="utf-8") == (
        "Hi Dana, kindly DM us. {# replybook: disable=policy-speak #}\nPlease wait. ^MK\n"
    )


OVERLAPPING = """playbook: overlapping
extends: default
rules:
  - id: our-policy
    extends: substitution
    level: suggestion
    message: "Say '{replacement}' instead of '{match}'."
    why: Plain words (be-human).
    swap: {en: {"our policy": "how we work", "policy, no": "no"}}
    examples: {bad: ["That is our policy."], good: ["That is how we work."]}
"""


def test_overlapping_replacements_never_garble_the_text(tmp_path):
    book = tmp_path / "book.yaml"
    book.write_text(OVERLAPPING, encoding="utf-8")
    # "Per our policy" (policy-speak), "our policy" and "policy, no" (our-policy) overlap:
    # the earliest, longest one is made; the others are gone with the words they matched.
    path = reply(tmp_path, "Hi Dana, per our policy, no refunds. ^MK\n")
    result = invoke("lint", "--playbook", str(book), "--fix", str(path))
    assert path.read_text(encoding="utf-8") == "Hi Dana, the way this works, no refunds. ^MK\n"
    assert result.stderr.splitlines() == [
        f"{path}:1:10: fixed policy-speak: 'per our policy' → 'the way this works'",
        "replybook: 1 fix in 1 file",
    ]
    # One left out for overlapping is made on the next pass, in the text as fixed so far.
    path = reply(tmp_path, "Hi Dana, that is our policy, no refunds. ^MK\n")
    invoke("lint", "--playbook", str(book), "--fix", str(path))
    assert path.read_text(encoding="utf-8") == "Hi Dana, that is how we work, no refunds. ^MK\n"


def finding(start: int, end: int, replacement: str | None, match: str = "x") -> Finding:
    return Finding("r", "suggestion", "m", "w", 1, start + 1, (start, end), match, replacement)


def test_apply_fixes_takes_the_earliest_then_longest_of_overlapping_spans():
    text = "abcdefghij"
    found = [finding(2, 5, "X"), finding(0, 3, "Y"), finding(0, 4, "Z"), finding(6, 8, "W")]
    fixed, applied = apply_fixes(text, found)
    assert fixed == "ZefWij"
    assert [f.replacement for f in applied] == ["Z", "W"]
    # No replacement, or one that changes nothing: not a fix.
    assert apply_fixes(text, [finding(0, 1, None), finding(1, 2, "b", match="b")]) == (text, [])


@pytest.mark.parametrize(
    ("text", "lang", "fixed"),
    [
        ("Kindly wait.", "en", "Please wait."),
        ("We are unable to help, kindly wait.", "en", "We can't help, please wait."),
        ("İşbu talebiniz inceleniyor.", "tr", "Bu talebiniz inceleniyor."),
        ("İletilmiş olup bekliyoruz.", "tr", "İlettik ve bekliyoruz."),
        ("Доводим до вашего сведения: всё готово.", "ru", "Сообщаем: всё готово."),
    ],
)
def test_a_replacement_is_capitalised_where_its_phrase_starts_a_sentence(
    default, text, lang, fixed
):
    assert apply_fixes(text, lint(text, default, lang=lang))[0] == fixed


def test_capitalise():
    assert capitalise("i̇yi") == "İyi"  # already folded "i" with a dot: left as Python says
    assert capitalise("ilettik", turkish=True) == "İlettik"
    assert capitalise("ılık", turkish=True) == "Ilık"
    assert capitalise("ilettik") == "Ilettik"
    assert capitalise("ßtraße") == "ßtraße"  # no one-letter capital
    assert capitalise("") == "" and capitalise("9 am") == "9 am"
