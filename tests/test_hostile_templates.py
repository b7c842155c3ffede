"""Hostile templates from a shared playbook: every one fails as one TemplateError line
(or one PlaybookError line), never a traceback, a hang or gigabytes."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from replybook import PlaybookError, TemplateError, draft, load_playbook

from .conftest import NOW


def book_with_greeting(tmp_path, source: str, name: str = "greeting.j2"):
    folder = tmp_path / "tpl" / "en" / "parts"
    folder.mkdir(parents=True)
    (folder / name).write_text(source, encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text("extends: default\nserves: [en]\ntemplates: tpl\n", encoding="utf-8")
    return load_playbook(path)


def drafted(book):
    return draft("My parcel never came", book, name="Dana", now=NOW)


def fails_in_one_line(tmp_path, source: str, match: str, part: bool = True) -> str:
    book = book_with_greeting(tmp_path, source)
    start = time.monotonic()
    with pytest.raises(TemplateError, match=match) as caught:
        drafted(book)
    assert time.monotonic() - start < 10
    message = str(caught.value)
    assert "\n" not in message and message.startswith("template en/")
    if part:  # a limit names the reply template; any other error the part too
        assert "greeting" in message
    return message


def test_a_huge_range_is_refused(tmp_path):
    fails_in_one_line(tmp_path, "{% for i in range(99999999) %}x{% endfor %}", "range", part=False)


def test_division_by_zero_is_one_line(tmp_path):
    fails_in_one_line(tmp_path, "{{ 1 // 0 }}{{ 1 / 0 }}", "ZeroDivisionError")


def test_a_macro_calling_itself_is_one_line(tmp_path):
    fails_in_one_line(
        tmp_path,
        "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
        "Recursion|steps|longer",
        part=False,
    )


def test_a_template_including_itself_is_one_line(tmp_path):
    # Not a literal include (those are inlined and checked): Jinja's own, recursing.
    fails_in_one_line(tmp_path, '{% include ["en/parts/greeting.j2"] %}', "Recursion|itself")


def test_nested_loops_stop_at_the_step_limit(tmp_path):
    fails_in_one_line(
        tmp_path,
        "{% for a in range(10000) %}{% for b in range(10000) %}{% endfor %}{% endfor %}",
        "steps|longer",
        part=False,
    )


def test_loops_over_a_long_string_stop_too(tmp_path):
    fails_in_one_line(
        tmp_path,
        "{% set s = 'x' * 10000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}",
        "steps|longer",
        part=False,
    )


def test_a_huge_power_is_refused(tmp_path):
    fails_in_one_line(tmp_path, "{{ 9 ** (9 ** 9) }}", "bits", part=False)


def test_a_huge_repetition_is_refused(tmp_path):
    fails_in_one_line(tmp_path, "{{ 'x' * 500000000 }}", "more than", part=False)


def test_doubling_a_string_in_a_loop_is_refused(tmp_path):
    fails_in_one_line(
        tmp_path,
        "{% set ns = namespace(s='x') %}{% for i in range(60) %}"
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
        "more than",
        part=False,
    )


def test_huge_widths_in_string_methods_and_filters_are_refused(tmp_path):
    fails_in_one_line(tmp_path, "{{ 'x'.center(999999999) }}", "over", part=False)


def test_huge_format_widths_are_refused(tmp_path):
    fails_in_one_line(tmp_path, "{{ '{:999999999}'.format(1) }}", "width", part=False)


def test_a_reply_of_more_than_100000_characters_is_refused(tmp_path):
    fails_in_one_line(
        tmp_path,
        "{% for i in range(10000) %}{{ 'y' * 50 }}{% endfor %}",
        "more than 100,000 characters",
        part=False,
    )


def test_a_python_error_in_a_template_is_one_line(tmp_path):
    fails_in_one_line(tmp_path, "{{ 1 + 'a' }}", "TypeError")


def test_the_cli_prints_one_line_and_exits_2(tmp_path):
    book_with_greeting(tmp_path, "{{ 1 // 0 }}")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "replybook",
            "draft",
            "--playbook",
            str(tmp_path / "p.yaml"),
            "--no-store",
            "My parcel never came",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "ZeroDivisionError" in result.stderr and "Traceback" not in result.stderr


def test_ordinary_templates_still_render(tmp_path):
    book = book_with_greeting(
        tmp_path, "{% for w in ['Ahoy'] %}{{ w ~ ' ' ~ (who or 'friend') }}{% endfor %},"
    )
    assert (drafted(book).public_reply or "").startswith("Ahoy Dana,")


def test_a_template_symlinked_outside_its_folder_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0", encoding="utf-8")
    folder = tmp_path / "tpl" / "en" / "parts"
    folder.mkdir(parents=True)
    (folder / "greeting.j2").symlink_to(secret)
    path = tmp_path / "p.yaml"
    path.write_text("extends: default\ntemplates: tpl\n", encoding="utf-8")
    with pytest.raises(PlaybookError, match="outside its folder") as caught:
        load_playbook(path)
    assert "greeting.j2" in str(caught.value) and "\n" not in str(caught.value)


def test_a_symlink_inside_the_folder_is_read(tmp_path):
    folder = tmp_path / "tpl" / "en" / "parts"
    folder.mkdir(parents=True)
    (folder / "hello.txt").write_text("Ahoy {{ who or 'friend' }},", encoding="utf-8")
    (folder / "greeting.j2").symlink_to(folder / "hello.txt")
    path = tmp_path / "p.yaml"
    path.write_text("extends: default\ntemplates: tpl\n", encoding="utf-8")
    assert (drafted(load_playbook(path)).public_reply or "").startswith("Ahoy Dana,")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_like_a_template_is_skipped(tmp_path):
    folder = tmp_path / "tpl" / "en" / "parts"
    folder.mkdir(parents=True)
    os.mkfifo(folder / "greeting.j2")
    path = tmp_path / "p.yaml"
    path.write_text("extends: default\ntemplates: tpl\n", encoding="utf-8")
    book = load_playbook(path)  # would hang reading the FIFO
    assert "en/parts/greeting.j2" in book.templates  # the built-in one


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners")
def test_a_bytecode_cache_folder_others_can_write_is_not_used(tmp_path):
    book = load_playbook("default")
    folder = tmp_path / "jinja"
    folder.mkdir(mode=0o700)
    os.chmod(folder, 0o777)
    book._cache.pop("jinja", None)
    book._cache["bytecode_dir"] = str(folder)
    assert book.environment().bytecode_cache is None


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners")
def test_a_bytecode_cache_folder_is_made_private(tmp_path):
    book = load_playbook("default")
    folder = tmp_path / "jinja"
    book._cache.pop("jinja", None)
    book._cache["bytecode_dir"] = str(folder)
    assert book.environment().bytecode_cache is not None
    assert folder.stat().st_mode & 0o777 == 0o700
