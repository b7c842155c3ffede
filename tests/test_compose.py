"""draft(): the required behaviours, strings in, Draft out (built-in default playbook)."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from replybook import Draft, UsageError, draft
from replybook.compose import stable_seed
from replybook.playbook import Playbook

APOLOGY = re.compile(r"\b(sorry|apologi[sz]e)\b", re.IGNORECASE)


def rules(d: Draft) -> list[str]:
    return [r.rule for r in d.reasons]


def run(text: str, playbook: Playbook, now: datetime, **options: object) -> Draft:
    return draft(text, playbook, now=now, **options)  # type: ignore[arg-type]


# 1. A complaint naming a specific problem -----------------------------------------------


def test_complaint_greets_acknowledges_apologises_moves_private_and_signs(default, now):
    d = run(
        "My order still hasn't arrived, it's been two weeks!",
        default,
        now,
        name="Dana Reyes",
        agent="Mia Koski",
        channel="x",
    )
    assert (d.intent, d.action, d.topic) == ("complaint", "reply", "delivery")
    reply = d.public_reply or ""
    assert "Dana" in reply and "Reyes" not in reply  # first name only
    assert "your order" in reply  # the customer's own word, not "your issue"
    assert "your issue" not in reply.lower()
    assert APOLOGY.search(reply)
    assert "DM" in reply
    assert reply.endswith("^MK")
    # private data is asked for in the DM, never in public
    assert "order number" not in reply
    assert d.private_reply is not None and "order number" in d.private_reply
    assert "within 24 hours" in d.private_reply
    assert {"apologize-explain-fix", "public-first", "private-data-in-dm", "be-human"} <= set(
        rules(d)
    )


def test_complaint_due_time_comes_from_received_at_and_sla(default, now):
    d = run("The app keeps crashing when I pay", default, now, received_at="2026-11-20T10:15:00Z")
    assert d.due == "2026-11-20T11:15:00Z"
    assert "Due: 2026-11-20T11:15:00Z" in d.note


def test_due_defaults_to_now(default, now):
    d = run("The app keeps crashing when I pay", default, now)
    assert d.due == "2026-11-23T10:00:00Z"


def test_handle_is_greeted_when_there_is_no_name(default, now):
    d = run("My order still hasn't arrived", default, now, handle="dana_r")
    assert "@dana_r" in (d.public_reply or "")


def test_complaint_without_topic_uses_customers_own_words(default, now):
    d = run("My blender is useless, stopped working after a week", default, now)
    assert d.intent == "complaint"
    assert "your blender" in (d.public_reply or "")


# 2. A request that can't be granted --------------------------------------------------------


def test_refusal_apologises_and_offers_two_alternatives(default, now):
    d = run("I want a refund for my non-refundable ticket. Now.", default, now, name="Sam")
    assert d.intent == "complaint" and d.action == "reply"
    reply = d.public_reply or ""
    assert APOLOGY.search(reply)
    alternatives = default.data["cannot_grant"]["refund-outside-policy"]["alternatives"]["en"]
    assert sum(1 for alt in alternatives if alt in reply) >= 2
    assert "two-alternatives" in rules(d)
    assert all(alt in (d.private_reply or "") for alt in alternatives)


def test_brand_refusal_alternatives_come_from_the_brand_playbook(acme, now):
    d = run("Can I get a refund on my non-refundable fare?", acme, now, agent="joe")
    alternatives = acme.data["cannot_grant"]["refund-non-refundable"]["alternatives"]["en"]
    assert sum(1 for alt in alternatives if alt in (d.public_reply or "")) >= 2
    assert (d.public_reply or "").endswith("^JD")


# 3. Praise and turnaround -----------------------------------------------------------------


def test_praise_is_thanked_briefly_without_apology_or_dm(default, now):
    d = run("The new store layout is great, well done!", default, now, name="Ana")
    assert (d.intent, d.action) == ("praise", "reply")
    reply = d.public_reply or ""
    assert re.search(r"\bthank", reply, re.IGNORECASE)
    assert "Ana" in reply
    assert not APOLOGY.search(reply)
    assert "DM" not in reply and d.private_reply is None
    assert len(reply) < 140


def test_turnaround_gets_thanked(default, now):
    d = run("Thanks, you sorted it in minutes!", default, now)
    assert d.intent == "praise"
    assert "follow-up-turnaround" in rules(d)
    assert re.search(r"\bthank", d.public_reply or "", re.IGNORECASE)
    assert d.private_reply is None


# 4. Questions ----------------------------------------------------------------------------------


def test_faq_question_is_answered(default, now):
    d = run("What are your hours on Sunday?", default, now)
    assert (d.intent, d.action) == ("question", "reply")
    assert default.data["faq"]["contact-hours"]["answer"]["en"] in (d.public_reply or "")
    assert "be-the-expert" in rules(d)


def test_unknown_question_gets_honest_not_yet_with_when(default, now):
    d = run("Do you ship to Norway?", default, now)
    assert d.intent == "question"
    assert "within 24 hours" in (d.public_reply or "")
    assert "honest-not-yet" in rules(d)


def test_brand_faq(acme, now):
    d = run("How many bags can I bring? What's the baggage allowance?", acme, now)
    assert "one cabin bag up to 8 kg" in (d.public_reply or "")


# 5. Jokes ----------------------------------------------------------------------------------------


def test_harmless_joke_gets_a_light_reply(default, now):
    d = run("lol the goat in your ad is my spirit animal 😂", default, now)
    assert (d.intent, d.action) == ("joke", "reply")
    assert "embrace-the-silly" in rules(d)
    assert not APOLOGY.search(d.public_reply or "")


def test_joke_with_a_complaint_is_a_complaint(default, now):
    d = run("lol my order is lost AGAIN 😂 third time, useless", default, now)
    assert d.intent == "complaint"


# 6. Trolls and rudeness ----------------------------------------------------------------------


def test_abuse_without_a_problem_is_moderated_never_deleted(default, now):
    d = run("you are all fucking idiots", default, now, channel="facebook")
    assert (d.intent, d.action) == ("troll", "moderate")
    assert d.public_reply is None and d.private_reply is None
    assert "hide the comment" in d.note and "report it" in d.note and "Never delete" in d.note
    assert {"dont-feed-trolls", "never-delete"} <= set(rules(d))


def test_moderation_on_a_channel_that_cannot_hide(default, now):
    d = run("you are all fucking idiots", default, now, channel="google-reviews")
    assert d.action == "moderate"
    assert "can't hide" in d.note and "report it" in d.note


def test_rude_and_vague_is_skipped(default, now):
    d = run("your company sucks", default, now)
    assert (d.intent, d.action) == ("troll", "skip")
    assert d.public_reply is None and d.due is None


def test_rude_but_specific_gets_a_normal_reply(default, now):
    d = run("your damn app crashed again and ate my order", default, now)
    assert (d.intent, d.action) == ("complaint", "reply")
    assert d.public_reply


# 7. Escalation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("I'm calling my lawyer, see you in court", "legal"),
        ("Your heater caught fire and my son was burned", "safety"),
        ("I'm a journalist writing a story about your delivery drivers", "press"),
        ("There's been a data breach, my details are online", "data-breach"),
    ],
)
def test_escalations(default, now, text, trigger):
    d = run(text, default, now, agent="Mia Koski")
    assert d.action == "escalate"
    assert d.analysis.escalation == trigger
    assert default.data["escalation"]["contact"] in d.note
    reply = d.public_reply or ""
    assert "DM" in reply
    assert not APOLOGY.search(reply)  # admits nothing
    assert d.due == "2026-11-23T09:30:00Z"  # escalation SLA, 30 minutes


# 8. Channel limits -----------------------------------------------------------------------------


def test_x_reply_fits_280_by_choosing_a_shorter_variant(acme, now):
    long_name = "Bartholomew-Maximilian"
    text = "You lost my luggage on the delayed flight and nobody at the baggage desk helped"
    for variant in range(1, 7):
        d = run(text, acme, now, name=long_name, agent="mia", channel="x", variant=variant)
        reply = d.public_reply or ""
        assert len(reply) <= 280
        assert reply.endswith("^MK")
        assert re.search(r"[.!?] \^MK$", reply), "cut mid-sentence"


def test_tiktok_150_character_limit(default, now):
    d = run(
        "I want a refund for my non-refundable ticket", default, now, channel="tiktok", name="Sam"
    )
    assert len(d.public_reply or "") <= 150


def test_long_channel_keeps_the_full_variant(acme, now):
    short = run("you lost my bag", acme, now, channel="x", variant=1)
    long = run("you lost my bag", acme, now, channel="facebook", variant=1)
    assert len(long.public_reply or "") >= len(short.public_reply or "")


# 9. Variants ---------------------------------------------------------------------------


def test_every_reply_template_has_three_variants(default):
    slots = {}
    for name in default.templates:
        if name.startswith("_") or "/note/" in name:
            continue
        lang, case, file = name.split("/")
        slot = file.split("-")[0]
        slots.setdefault((lang, case, slot), []).append(name)
    assert slots
    assert all(len(names) >= 3 for names in slots.values()), slots


def test_same_input_same_output(default, now):
    a = run("My order still hasn't arrived", default, now, name="Dana")
    b = run("My order still hasn't arrived", default, now, name="Dana")
    assert a == b


def test_similar_comments_get_different_replies(default, now):
    a = run("My order still hasn't arrived", default, now, name="Dana")
    b = run("My order still has not arrived!", default, now, name="Dana")
    assert a.public_reply != b.public_reply


def test_variant_option_picks_the_template(default, now):
    texts = {run("My order is late", default, now, variant=v).public_reply for v in (1, 2, 3)}
    assert len(texts) == 3
    assert run("My order is late", default, now, variant=2).variant == 2


def test_seed_ignores_case_and_spacing():
    assert stable_seed("My order  is LATE") == stable_seed("my order is late")


# 10. Signatures ---------------------------------------------------------------------------------


def test_agent_from_playbook_by_id(acme, now):
    d = run("you lost my bag", acme, now, agent="pyry")
    assert (d.public_reply or "").endswith("^PL")


def test_agent_by_free_name_gets_initials(default, now):
    d = run("you lost my bag", default, now, agent="Joe van Dyke")
    assert (d.public_reply or "").endswith("^JVD")


def test_no_agent_signs_with_team_and_note_says_so(default, now):
    d = run("you lost my bag", default, now)
    assert (d.public_reply or "").endswith("– The Support Team")
    assert "no agent given" in d.note


# Contracts -------------------------------------------------------------------------------------


def test_template_source_in_comment_stays_text(default, now):
    d = run("my order {{ 7*7 }} never arrived {% raw %}", default, now)
    assert "{{ 7*7 }}" in d.note
    assert "49" not in d.note


def test_empty_comment_is_a_usage_error(default, now):
    with pytest.raises(UsageError, match="empty"):
        run("   ", default, now)


def test_unknown_channel_lists_valid_ones(default, now):
    with pytest.raises(UsageError, match="valid: facebook, google-reviews, instagram"):
        run("hello", default, now, channel="myspace")


def test_bad_received_at(default, now):
    with pytest.raises(UsageError, match="ISO 8601"):
        run("hello", default, now, received_at="last tuesday")


def test_naive_received_at_is_utc(default, now):
    d = run("My order is late", default, now, received_at="2026-01-01T08:00:00")
    assert d.due == "2026-01-01T09:00:00Z"


def test_offset_received_at_keeps_its_offset(default, now):
    d = run("My order is late", default, now, received_at="2026-01-01T08:00:00+02:00")
    assert d.due == "2026-01-01T09:00:00+02:00"


def test_to_dict_has_the_documented_fields(default, now):
    d = run("My order is late", default, now).to_dict()
    assert list(d) == [
        "language",
        "intent",
        "action",
        "reasons",
        "topic",
        "public_reply",
        "private_reply",
        "note",
        "due",
        "channel",
        "variant",
        "incident",
        "lint",
    ]


def test_time_defaults_need_a_clock(default):
    with pytest.raises(UsageError):
        draft("My order is late", default)


def test_received_at_datetime_object(default):
    d = draft(
        "My order is late", default, received_at=datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)
    )
    assert d.due == "2026-05-01T13:00:00Z"


@pytest.mark.parametrize(
    "source",
    [
        "{{ brand.__class__.__mro__ }}",
        "{{ reason.__class__ }}",
        "{{ reason._asdict() }}",
        "{{ brand.items.__self__ }}",
        "{{ pick.__init__.__globals__ }}",
    ],
)
def test_templates_cannot_reach_python_internals(default, source) -> None:
    from jinja2.exceptions import SecurityError, UndefinedError

    from replybook.compose import Reason

    template = default.environment().from_string(source)
    with pytest.raises((SecurityError, UndefinedError)):
        template.render(brand={"team": "T"}, reason=Reason("fast", "why"), pick=lambda x: x)


def test_templates_read_mapping_keys_and_record_fields(default) -> None:
    from replybook.compose import Reason

    template = default.environment().from_string("{{ brand.team }} {{ reason.rule }} {{ d.items }}")
    text = template.render(brand={"team": "T"}, reason=Reason("fast", "why"), d={"items": 3})
    assert text == "T fast 3"
