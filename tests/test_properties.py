"""Properties that must hold for any comment: no crash, limits kept, stable output."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replybook import analyze, decide, draft, load_playbook

from .conftest import NOW

PLAYBOOK = load_playbook("default")
CHANNELS = sorted(PLAYBOOK.data["channels"])
WORDS = st.sampled_from(
    [
        "my",
        "order",
        "is",
        "late",
        "thanks",
        "lol",
        "😂",
        "refund",
        "non-refundable",
        "idiot",
        "lawyer",
        "?",
        "!",
        "{{",
        "}}",
        "{%",
        "%}",
        "AGAIN",
        "bag",
        "love",
        "you",
        "sue",
        "@brand",
    ]
)
COMMENTS = st.one_of(
    st.text(min_size=1, max_size=400),
    st.lists(WORDS, min_size=1, max_size=40).map(" ".join),
).filter(lambda s: s.strip())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=COMMENTS,
    channel=st.sampled_from(CHANNELS),
    name=st.one_of(st.none(), st.text(max_size=30)),
)
def test_draft_never_crashes_and_keeps_limits(text: str, channel: str, name: str | None) -> None:
    result = draft(text, PLAYBOOK, channel=channel, name=name, agent="Mia Koski", now=NOW)
    assert result.action in ("reply", "escalate", "moderate", "skip", "review")
    limit = PLAYBOOK.data["channels"][channel]["max_chars"]
    if result.public_reply is not None:
        assert 0 < len(result.public_reply) <= limit
    if result.action in ("moderate", "skip", "review"):
        assert result.public_reply is None
    assert result == draft(text, PLAYBOOK, channel=channel, name=name, agent="Mia Koski", now=NOW)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300))
def test_analyze_never_crashes(text: str) -> None:
    result = analyze(text, PLAYBOOK)
    assert decide(result).intent in ("complaint", "question", "praise", "joke", "troll", "other")


@settings(max_examples=150, deadline=None)
@given(
    reply=st.one_of(st.text(max_size=300), st.lists(WORDS, max_size=40).map(" ".join)),
    comment=st.one_of(st.none(), st.text(min_size=1, max_size=200)),
    name=st.one_of(st.none(), st.text(max_size=20)),
)
def test_lint_never_crashes_and_spans_are_in_the_text(
    reply: str, comment: str | None, name: str | None
) -> None:
    from replybook.linter import lint

    for finding in lint(reply, PLAYBOOK, comment=comment, name=name, channel="x"):
        start, end = finding.span
        assert 0 <= start <= end <= len(reply)
        assert finding.match == reply[start:end]
        assert finding.line >= 1 and finding.column >= 1


# Words of the four other languages, with their own letters, the spellings the
# normalisation folds, and marks that must never reach a reply.
_NATIVE = {
    "tr": [
        "siparişim",
        "KIRIK",
        "İADE",
        "DM'den",
        "hâlâ",
        "gelmedi",
        "berbat",
        "teşekkürler",
        "ı",
        "İ",
    ],
    "ru": ["мой", "заказ", "ещё", "не", "пришёл", "спасибо", "ужасно", "Ё", "юрист", "?"],
    "fa": ["سفارشم", "نمی‌کنم", "نمی کنم", "كيفيت", "ـــ", "ممنون", "\u200c", "\u2067", "؟", "،"],
    "fi": ["tilaukseni", "ei", "vielä", "viela", "DM:ssä", "kiitos", "huono", "perkele", "ä", ":"],
}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lang=st.sampled_from(sorted(_NATIVE)),
    data=st.data(),
    channel=st.sampled_from(CHANNELS),
)
def test_drafts_in_every_language_never_crash_and_keep_limits(lang, data, channel) -> None:  # type: ignore[no-untyped-def]
    words = st.sampled_from(_NATIVE[lang]) | st.text(max_size=6)
    text = " ".join(data.draw(st.lists(words, min_size=1, max_size=30)))
    if not text.strip():
        return
    result = draft(text, PLAYBOOK, channel=channel, agent="Mia Koski", now=NOW, lang=lang)
    assert result.language == lang
    limit = PLAYBOOK.data["channels"][channel]["max_chars"]
    if result.public_reply is not None:
        from replybook.phrasing import measured

        weight = int(PLAYBOOK.data["channels"][channel].get("mark_weight") or 1)
        assert 0 < measured(result.public_reply, weight) <= limit
    detected = draft(text, PLAYBOOK, channel=channel, now=NOW)
    assert detected.action in ("reply", "escalate", "moderate", "skip", "review")


# -- the batch reader and batch records ------------------------------------------------

_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
_FIELD_NAMES = st.sampled_from(
    ["id", "text", "name", "handle", "channel", "received_at", "agent", "context", "lang", "x"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".jsonl", ".csv", ".tsv", ".txt"]))
def test_batch_reader_never_raises_and_reads_the_same_twice(tmp_path_factory, data, suffix):
    from replybook.batch import Source
    from replybook.errors import ReplybookError

    path = tmp_path_factory.mktemp("reader") / f"in{suffix}"
    path.write_bytes(data)
    try:
        first = list(Source(str(path)).records())
    except ReplybookError as exc:  # a whole file that can't be read: one line, every time
        assert "\n" not in str(exc)
        with pytest.raises(ReplybookError, match="^" + re.escape(str(exc)) + "$"):
            list(Source(str(path)).records())
        return
    for number, record, error in first:
        assert isinstance(number, int) and number >= 1
        assert (record is None) != (error is None)
        assert record is None or isinstance(record, dict)
    assert first == list(Source(str(path)).records())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=st.dictionaries(_FIELD_NAMES, _JSON_VALUES, max_size=6))
def test_any_batch_record_is_a_draft_or_an_error_record_and_the_same_twice(record):
    from replybook.batch import _safe
    from replybook.runner import Drafter

    drafter = Drafter(PLAYBOOK, None, NOW)
    record = {**record, "_line": 3}
    one = _safe(drafter.batch_record, 3, record, None)
    assert "id" in one
    assert ("error" in one) != ("public_reply" in one)
    if "error" in one:
        assert one["error"].startswith("line 3: ") and "\n" not in one["error"]
    assert one == _safe(drafter.batch_record, 3, dict(record), None)


@settings(max_examples=100, deadline=None)
@given(
    reply=st.one_of(st.text(max_size=300), st.lists(WORDS, max_size=40).map(" ".join)),
    comment=st.one_of(st.none(), st.text(min_size=1, max_size=200)),
)
def test_lint_is_deterministic(reply: str, comment: str | None) -> None:
    from replybook.linter import lint

    assert lint(reply, PLAYBOOK, comment=comment) == lint(reply, PLAYBOOK, comment=comment)
