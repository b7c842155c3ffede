"""Properties that must hold for any comment: no crash, limits kept, stable output."""

from __future__ import annotations

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
