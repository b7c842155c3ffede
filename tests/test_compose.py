"""draft(): the required behaviours, strings in, Draft out (built-in playbooks).

Where a behaviour belongs to composing rather than deciding, the decision is given
(``decision=``), so the test reads what compose does with a sarcastic, mixed, follow-up...
message whatever the decision step makes of the words.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from replybook import Decision, Draft, UsageError, draft, load_playbook
from replybook import phrasing as phrasing_module
from replybook.compose import stable_seed
from replybook.phrasing import Picker, assembled_source, render, render_reference
from replybook.playbook import Playbook, text_for
from replybook.store import Incident, Pattern

from .conftest import NOW

APOLOGY = re.compile(r"\b(sorry|apologi[sz]e|apologies)\b", re.IGNORECASE)
THANKS = re.compile(r"\bthank", re.IGNORECASE)
JOKES = re.compile(r"\b(lol|lmao|haha\w*|oops|jk)\b|😂|🤣|😄|😆", re.IGNORECASE)
SELF_BLAME = re.compile(
    r"not good enough|on us\b|our fault|we got it wrong|should have done better", re.IGNORECASE
)


def rules(d: Draft) -> list[str]:
    return [r.rule for r in d.reasons]


def run(text: str, playbook: Playbook, now: datetime, **options: object) -> Draft:
    return draft(text, playbook, now=now, **options)  # type: ignore[arg-type]


def decision(
    case: str = "complaint",
    *flags: str,
    intent: str = "complaint",
    action: str = "reply",
    private: bool = True,
    evidence: dict[str, str] | None = None,
) -> Decision:
    return Decision(intent, case, action, frozenset(flags), dict(evidence or {}), private)


def texts(d: Draft) -> str:
    return " ".join(t for t in (d.public_reply, d.private_reply) if t)


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


# 2. The problem is named cleanly or not at all ------------------------------------------

# Messages whose possessive phrase must never be echoed as the thing to be sorry about,
# and what the reply may say instead ("" for nothing at all).
NEVER_NAMED = [
    ("my bad, I deleted the wrong folder and now it's gone", "your bad", ""),
    ("I tapped the screen with my thumb and the whole thing froze", "your thumb", ""),
    ("my thumb drive stopped working after one day", "your thumb", "your thumb drive"),
    ("my google account keeps saying the password is wrong", "your google", "your google account"),
    ("where the hell is my shit, it was due on monday", "your shit", ""),
    ("you lost my fucking parcel again", "fucking", "your parcel"),
    ("the app ate my money thereby ruining my week", "your money", ""),
    ("please get me back my hard earned cash", "your hard", ""),
    ("I can't open my account nor reset it", "your account nor", "your account"),
    ("i have issue of disconnection from the game, my id is player4477", "your id", ""),
    ("will you ever address my complaint or just ignore it?", "your complaint", ""),
]


@pytest.mark.parametrize(("text", "never", "named"), NEVER_NAMED)
def test_the_problem_is_named_cleanly_or_not_at_all(default, now, text, never, named):
    d = run(text, default, now, name="Dana", channel="facebook")
    every = texts(d)
    if named:
        assert named in every
        assert never not in every.replace(named, "")
    else:
        assert never not in every
    assert "“" not in every and "”" not in every  # never a quoted fragment


def test_a_topic_word_that_is_not_a_noun_is_not_named(default, now):
    # "charged" matches the billing topic but "the charged" is broken words.
    d = run("I was double charged!!", default, now)
    assert "the charged" not in texts(d) and "the double charged" not in texts(d)
    # ...while a noun of the same topic in the message is the name.
    d = run("I was charged twice for one subscription", default, now)
    assert "the subscription" in texts(d)


PERSONAL = [
    ("My card 4111 1111 1111 1111 was charged twice, call me on 07700 900123", ["4111", "07700"]),
    ("order 123456789 never came, email me at dana@example.com", ["123456789", "dana@example"]),
    ("my account @dana_r_88 got locked, see https://example.com/x", ["dana_r_88", "example.com"]),
    ("my PS4 died after the update", ["PS4", "your PS"]),
]


@pytest.mark.parametrize(("text", "hidden"), PERSONAL)
def test_no_reply_echoes_personal_data_or_digits_from_the_comment(default, now, text, hidden):
    for channel in ("x", "facebook"):
        d = run(text, default, now, channel=channel, agent="Mia Koski")
        for piece in hidden:
            assert piece not in texts(d)
        comment_numbers = set(re.findall(r"\d{3,}", text))
        assert not comment_numbers & set(re.findall(r"\d{3,}", texts(d)))


@pytest.mark.parametrize(
    "text",
    [
        "my shitty router keeps dropping, you useless idiots",
        "fix your crap app, my bloody order is stuck",
        "my damn parcel is late AGAIN you morons",
    ],
)
def test_no_reply_contains_a_swear_word_or_insult_from_the_comment(default, now, text):
    signals = default.data["signals"]
    words = set()
    for kind in ("abuse", "rude"):
        for weight, phrases in signals[kind]["en"].items():
            if float(weight) > 0:
                words |= {p.rstrip("*").lower() for p in phrases if not p.startswith("/")}
    d = run(text, default, now, name="Dana", channel="facebook")
    reply_words = set(re.findall(r"[a-z']+", texts(d).lower()))
    in_comment = set(re.findall(r"[a-z']+", text.lower()))
    echoed = {w for w in reply_words & in_comment if any(w.startswith(s) for s in words)}
    assert not echoed


# 3. Refusals ---------------------------------------------------------------------------------


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


# 4. Public first ---------------------------------------------------------------------------


def test_public_first_a_fix_without_personal_data_stays_public(default, now):
    d = run(
        "It keeps going wrong every single time",
        default,
        now,
        name="Dana",
        decision=decision("complaint", "specific_problem", private=False),
    )
    reply = d.public_reply or ""
    assert d.private_reply is None
    assert "DM" not in reply and "message" not in reply.lower()
    assert "?" in reply  # the one clarifying question, asked in public
    assert "public-first" in rules(d)


def test_a_playbook_can_set_the_clarifying_question_and_next_step(tmp_path, now):
    path = tmp_path / "p.yaml"
    path.write_text(
        "extends: default\n"
        "clarify: {en: 'Which shop were you in?'}\n"
        "next_step: {en: 'pass it to the store manager'}\n",
        encoding="utf-8",
    )
    quiet = decision("complaint", "specific_problem", private=False)
    d = run("It keeps going wrong every single time", load_playbook(path), now, decision=quiet)
    assert "Which shop were you in?" in (d.public_reply or "")
    assert "pass it to the store manager" in (d.public_reply or "")


def test_public_first_the_topic_asks_its_own_question(default, now):
    d = run("The app keeps crashing at checkout", default, now, agent="Mia Koski")
    assert d.decision is not None and not d.decision.private
    clarify = default.data["topics"]["app"]["clarify"]["en"]
    assert clarify in (d.public_reply or "")
    assert d.private_reply is None


def test_private_reply_asks_for_what_the_topic_needs(default, now):
    d = run(
        "My parcel is missing",
        default,
        now,
        decision=decision("complaint", "specific_problem", private=True),
    )
    needs = default.data["topics"]["delivery"]["needs"]["en"]
    assert needs in (d.private_reply or "")
    assert needs not in (d.public_reply or "")


def test_the_default_needs_are_neutral(default, now):
    # No topic: the private reply asks for details, never for an order or booking number.
    d = run(
        "Something went badly wrong with you lot today",
        default,
        now,
        decision=decision("complaint", "specific_problem", private=True),
    )
    private = d.private_reply or ""
    assert private
    assert not re.search(r"order|booking|account number|password", private, re.IGNORECASE)


# 5. Questions ----------------------------------------------------------------------------------


def test_faq_question_is_answered(default, now):
    d = run("What are your hours on Sunday?", default, now)
    assert (d.intent, d.action) == ("question", "reply")
    assert default.data["faq"]["opening-hours"]["answer"]["en"] in (d.public_reply or "")
    assert "be-the-expert" in rules(d)


def test_unknown_question_gets_honest_not_yet_with_the_sla_for_questions(default, now):
    d = run("Do you ship to Norway?", default, now)
    assert d.intent == "question"
    assert default.data["sla_minutes"]["question"] == 120
    assert "within two hours" in (d.public_reply or "")
    assert "within 24 hours" not in (d.public_reply or "")
    assert "honest-not-yet" in rules(d)


@pytest.mark.parametrize(
    ("minutes", "said"),
    [
        (30, "within half an hour"),
        (60, "within the hour"),
        (180, "within three hours"),
        (1440, "within a day"),
        (4320, "within 3 days"),
    ],
)
def test_the_question_timeline_follows_the_playbooks_sla(tmp_path, now, minutes, said):
    path = tmp_path / "p.yaml"
    path.write_text(f"extends: default\nsla_minutes: {{question: {minutes}}}\n", encoding="utf-8")
    d = run("Do you ship to Norway?", load_playbook(path), now)
    assert said in (d.public_reply or "")


def test_brand_faq(acme, now):
    d = run("How many bags can I bring? What's the baggage allowance?", acme, now)
    assert "one cabin bag up to 8 kg" in (d.public_reply or "")


@pytest.mark.parametrize("case", ["faq", "question"])
def test_an_angry_message_never_gets_good_question(default, now, case):
    for v in range(1, 25):
        d = run(
            "What are your opening hours??",
            default,
            now,
            variant=v,
            decision=decision(case, "angry", intent="question", private=False),
        )
        assert "good question" not in (d.public_reply or "").lower()


# 6. Flags: sarcasm, mixed praise, follow-ups, answers, mistakes, turnarounds ---------------


def test_sarcasm_gets_a_sincere_apology_and_no_thanks(default, now):
    sarcastic = decision(
        "complaint",
        "sarcastic",
        "specific_problem",
        evidence={"sarcastic": "thanks so much for cancelling"},
    )
    for v in range(1, 25):
        d = run(
            "Thanks so much for cancelling my delivery, great job",
            default,
            now,
            name="Dana",
            variant=v,
            decision=sarcastic,
        )
        reply = d.public_reply or ""
        assert APOLOGY.search(reply)
        assert not THANKS.search(reply), reply
        assert "kind words" not in reply
    assert any("thanks so much for cancelling" in r.why for r in d.reasons)


def test_end_to_end_sarcasm_is_not_thanked(default, now):
    d = run(
        "Thanks so much for cancelling my delivery with no warning, great service", default, now
    )
    assert d.decision is not None and "sarcastic" in d.decision.flags
    assert not THANKS.search(d.public_reply or "")


def test_mixed_praise_and_complaint_thanks_for_the_kind_words(default, now):
    mixed = decision("complaint", "mixed", "specific_problem", evidence={"mixed": "lovely"})
    for v in range(1, 13):
        d = run(
            "The staff were lovely but I was charged twice",
            default,
            now,
            variant=v,
            decision=mixed,
        )
        reply = d.public_reply or ""
        assert re.search(r"kind words|good to hear", reply), reply
        assert APOLOGY.search(reply)
    assert "empathy-thanks" in rules(d)


def test_a_follow_up_moves_forward_without_a_second_introduction_or_full_apology(default, now):
    follow = decision("complaint", "follow_up", "specific_problem", evidence={"follow_up": "still"})
    thread = [
        {"role": "customer", "text": "My parcel hasn't arrived"},
        {"role": "brand", "text": "Sorry Dana! Could you try the tracking link again?"},
    ]
    for v in range(1, 13):
        d = run(
            "Still nothing, the link doesn't work",
            default,
            now,
            agent="Mia Koski",
            channel="facebook",
            variant=v,
            decision=follow,
            context=thread,
        )
        reply = d.public_reply or ""
        assert "I'm so sorry" not in reply and "I'm really sorry" not in reply
        assert "I'm Mia" not in reply and "Mia here" not in reply
        assert re.search(r"\b(we|I)'ll|\bcan\b|DM", reply)  # it moves forward


def test_a_message_answering_the_brand_is_acknowledged_and_moved_forward(default, now):
    answers = decision("other", "answers_brand", intent="other", private=False)
    d = run("Yes, I restarted it twice", default, now, name="Dana", decision=answers)
    reply = d.public_reply or ""
    assert "mention" not in reply
    assert THANKS.search(reply) or "got it" in reply.lower()
    assert re.search(r"within|later today", reply)  # when they'll hear back


def test_the_customers_own_mistake_gets_gentle_help_no_joke_no_blame(default, now):
    mistake = decision(
        "complaint", "customer_mistake", "specific_problem", evidence={"customer_mistake": "my bad"}
    )
    for v in range(1, 25):
        d = run(
            "I forgot my password and locked myself out lmao send help",
            default,
            now,
            variant=v,
            decision=mistake,
        )
        every = texts(d)
        assert not JOKES.search(every), every
        assert not SELF_BLAME.search(every), every
        assert "you should" not in every.lower()


def test_no_self_blame_when_no_topic_says_the_brand_runs_it(default, now):
    vague = decision("complaint", private=False)
    for v in range(1, 25):
        d = run("Not happy with how today went", default, now, variant=v, decision=vague)
        assert not SELF_BLAME.search(d.public_reply or "")


def test_praise_is_thanked_briefly_without_apology_or_dm(default, now):
    d = run("The new store layout is great, well done!", default, now, name="Ana")
    assert (d.intent, d.action) == ("praise", "reply")
    reply = d.public_reply or ""
    assert re.search(r"\bthank", reply, re.IGNORECASE)
    assert "Ana" in reply
    assert not APOLOGY.search(reply)
    assert "DM" not in reply and d.private_reply is None
    assert len(reply) < 140


def test_turnaround_is_warm_with_no_apology(default, now):
    d = run("Thanks, you sorted it in minutes!", default, now)
    assert d.intent == "praise"
    assert "follow-up-turnaround" in rules(d)
    for v in range(1, 13):
        reply = run("Thanks, you sorted it in minutes!", default, now, variant=v).public_reply
        assert re.search(r"\bthank|glad|great", reply or "", re.IGNORECASE)
        assert not APOLOGY.search(reply or "")
    assert d.private_reply is None


# 7. Jokes ----------------------------------------------------------------------------------------


def test_harmless_joke_gets_a_light_reply(default, now):
    d = run("lol the goat in your ad is my spirit animal 😂", default, now)
    assert (d.intent, d.action) == ("joke", "reply")
    assert "embrace-the-silly" in rules(d)
    assert not APOLOGY.search(d.public_reply or "")


def test_joke_with_a_complaint_is_a_complaint(default, now):
    d = run("lol my order is lost AGAIN 😂 third time, useless", default, now)
    assert d.intent == "complaint"
    assert not JOKES.search(d.public_reply or "")


# 8. Trolls and rudeness ----------------------------------------------------------------------


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
    assert d.public_reply and "damn" not in d.public_reply


# 9. Escalation --------------------------------------------------------------------------------


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


# 10. Incidents ------------------------------------------------------------------------------

INCIDENT = Pattern(
    "incident",
    4,
    Incident(7, "default", "app", "app", "open", "2026-11-23T08:00:00Z", "2026-11-23T08:50:00Z", 4),
)


def test_a_complaint_in_an_open_incident_gets_the_incident_reply(default, now):
    d = run("The app is down again", default, now, pattern=INCIDENT, channel="facebook")
    assert d.case == "incident" and d.incident == 7
    assert "patterns" in rules(d)
    reply = d.public_reply or ""
    assert re.search(r"know|known", reply)  # honest: it is known and being handled
    assert text_for(default.data["incident"], "en") in reply  # what to do meanwhile


# 11. Channel limits and length -------------------------------------------------------------


def test_x_reply_fits_280_by_choosing_a_shorter_variant(acme, now):
    long_name = "Bartholomew-Maximilian"
    text = "You lost my luggage on the delayed flight and nobody at the baggage desk helped"
    for variant in range(1, 12):
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


OWN_COMPLAINTS = [
    "My order still hasn't arrived and it's been a week",
    "The app logs me out every time I open it",
    "Charged twice for the same subscription this month",
    "Parcel marked as delivered but nothing here",
    "Waited on hold for an hour and got cut off",
    "The wifi keeps dropping every evening",
    "My new kettle arrived cracked",
    "Can't sign in to my account since yesterday",
    "Still no refund after three weeks",
    "The checkout page won't load on my phone",
    "Booked a table for six and you gave it away",
    "Nobody answers the helpline",
]


def test_replies_on_x_are_as_short_as_their_content_allows(default, now):
    lengths = sorted(
        len(run(t, default, now, name="Dana", agent="Mia Koski").public_reply or "")
        for t in OWN_COMPLAINTS
    )
    # The brands' own replies on X have a median of 136 characters.
    assert lengths[len(lengths) // 2] <= 185
    assert lengths[-1] <= 280


# 12. Variety: parts with many phrasings, the hash, the history ------------------------------


class _Counting(Picker):
    """A picker that multiplies the number of distinct phrasings at each pick."""

    product = 1

    def __call__(self, options, **fill):  # type: ignore[no-untyped-def]
        distinct = len({str(o) for o in options}) if options else 1
        _Counting.product *= max(distinct, 1)
        return super().__call__(options, **fill)


@pytest.mark.parametrize(
    "sample",
    [
        "complaint",
        "complaint/public",
        "complaint/sarcastic",
        "complaint/mixed",
        "complaint/mistake",
        "refusal",
        "praise",
        "turnaround",
        "faq",
        "question",
        "joke",
        "escalation",
        "other",
        "incident",
    ],
)
def test_every_case_has_thousands_of_phrasings(default, now, monkeypatch, sample):
    monkeypatch.setattr(phrasing_module, "Picker", _Counting)
    text = default.data["samples"][sample]["en"]
    pattern = INCIDENT if sample == "incident" else None
    _Counting.product = 1
    d = run(text, default, now, name="Dana", agent="Mia Koski", variant=1, pattern=pattern)
    assert d.case == sample.split("/")[0]
    assert _Counting.product >= 1000, (sample, _Counting.product)


def test_phrasings_really_differ(default, now):
    text = default.data["samples"]["complaint"]["en"]
    replies = {run(text, default, now, name="Dana", variant=v).public_reply for v in range(1, 61)}
    assert len(replies) >= 55


def test_same_input_same_output(default, now):
    a = run("My order still hasn't arrived", default, now, name="Dana")
    b = run("My order still hasn't arrived", default, now, name="Dana")
    assert a == b


def test_similar_comments_get_different_replies(default, now):
    a = run("My order still hasn't arrived", default, now, name="Dana")
    b = run("My order still has not arrived!", default, now, name="Dana")
    assert a.public_reply != b.public_reply


def test_variant_option_reproduces_the_reply(default, now):
    hashed = run("My order is late", default, now)
    again = run("My order is late", default, now, variant=hashed.variant)
    assert again.public_reply == hashed.public_reply
    texts_ = {run("My order is late", default, now, variant=v).public_reply for v in (1, 2, 3)}
    assert len(texts_) == 3
    chosen = run("My order is late", default, now, variant=2)
    assert chosen.variant == 2
    assert any(r.rule == "no-canned" and "asked" in r.why for r in chosen.reasons)


def test_seed_ignores_case_and_spacing():
    assert stable_seed("My order  is LATE") == stable_seed("my order is late")


SIMILAR = [
    f"{start} {thing} {end}"
    for start, thing, end in [
        (s, t, e)
        for s in ("My", "Our", "The")
        for t in ("parcel", "order")
        for e in (
            "still hasn't arrived",
            "is late again",
            "never came",
            "hasn't turned up",
            "is missing",
        )
    ]
]


def test_thirty_similar_complaints_with_a_growing_history_never_repeat(default, now):
    history: list[str] = []
    for text in SIMILAR[:30]:
        d = run(text, default, now, name="Dana", agent="Mia Koski", history=list(history))
        reply = d.public_reply or ""
        if history:
            closest = max(fuzz.ratio(reply, past) for past in history)
            assert closest < 88, (reply, closest)
        history.insert(0, reply)
    assert len(history) == 30


def test_history_makes_the_draft_try_the_playbooks_number_of_candidates(default, now, tmp_path):
    text = "My parcel still hasn't arrived"
    first = run(text, default, now, name="Dana")
    again = run(text, default, now, name="Dana", history=[first.public_reply or ""])
    assert again.public_reply != first.public_reply
    assert "no-canned" in rules(again)
    why = next(r.why for r in again.reasons if r.rule == "no-canned")
    assert str(default.data["variety"]["candidates"]) in why
    path = tmp_path / "one.yaml"
    path.write_text("extends: default\nvariety: {candidates: 1}\n", encoding="utf-8")
    single = load_playbook(path)
    alone = run(text, single, now, name="Dana")
    assert run(text, single, now, name="Dana", history=[alone.public_reply or ""]) == run(
        text, single, now, name="Dana", history=[alone.public_reply or ""]
    )
    assert (
        run(text, single, now, name="Dana", history=[alone.public_reply or ""]).public_reply
        == alone.public_reply
    )


def test_same_input_and_same_history_give_the_same_output(default, now):
    history = [
        "Hi Dana, sorry about your parcel. Send us a DM and we'll chase it. ^MK",
        "Hi Sam, I'm so sorry about your order. Pop us a DM and we'll sort it. ^MK",
    ]
    a = run("My parcel never came", default, now, name="Dana", agent="Mia Koski", history=history)
    b = run("My parcel never came", default, now, name="Dana", agent="Mia Koski", history=history)
    assert a == b


@settings(max_examples=200, deadline=None)
@given(
    candidates=st.lists(st.text(alphabet="abc de", max_size=20), min_size=1, max_size=8),
    history=st.lists(st.text(alphabet="abc de", max_size=20), min_size=1, max_size=12),
)
def test_least_similar_agrees_with_its_plain_version(candidates, history):
    from replybook.phrasing import least_similar, least_similar_reference

    assert least_similar(candidates, history) == least_similar_reference(candidates, history)


def test_without_history_one_phrasing_is_rendered(default, now, monkeypatch):
    calls: list[str] = []
    original = phrasing_module.render

    def counting(playbook, name, context, **kw):  # type: ignore[no-untyped-def]
        calls.append(name)
        return original(playbook, name, context, **kw)

    monkeypatch.setattr(phrasing_module, "render", counting)
    run("My parcel never came", default, now, name="Dana", channel="facebook")
    assert sum(1 for c in calls if "/public" in c) == 1
    calls.clear()
    run("My parcel never came", default, now, name="Dana", channel="facebook", history=["x"])
    assert sum(1 for c in calls if "/public" in c) == default.data["variety"]["candidates"]


# 13. Parts: the inlined templates render what Jinja's includes render ------------------------


@pytest.mark.parametrize(
    "name",
    sorted(
        n
        for n in load_playbook("default").templates
        if not n.startswith("_") and "/parts/" not in n and "/note/" not in n
    ),
)
def test_assembled_templates_render_like_their_includes(default, now, name):
    case = name.split("/")[1]
    sample = (default.data["samples"].get(case) or default.data["samples"]["complaint"])["en"]
    d = run(sample, default, now, name="Dana", agent="Mia Koski")
    flags_sets = [frozenset(), frozenset({"angry", "specific_problem"}), frozenset({"follow_up"})]
    base = {
        "who": "Dana",
        "agent": {"name": "Mia Koski", "first": "Mia", "initials": "MK"},
        "brand": default.data["brand"],
        "channel": {
            "id": "x",
            "label": "X",
            "private": "a DM",
            "max_chars": 280,
            "can_hide": 1,
            "public": True,
        },
        "case": case,
        "intent": d.intent,
        "private": True,
        "ask_needs": False,
        "minutes": 120,
        "same_day": True,
        "sla": default.data["sla_minutes"],
        "problem": "your order",
        "topic": {"id": "delivery", "term": "order", "explain": None, "next_step": "x"},
        "explain": "It happens.",
        "next_step": "check it",
        "needs": "your order number",
        "clarify": "What happened?",
        "timeline": "within a day",
        "refusal": {"id": "r", "request": "a refund", "reason": "no", "alternatives": ["a", "b"]},
        "faq_answer": "We open at 9.",
        "escalation": None,
        "incident": None,
        "meanwhile": "hang on",
        "rating": None,
        "rating_only": False,
    }
    assert (
        "{% with %}" in assembled_source(default.templates, name)
        or "include" not in (default.templates[name])
    )
    # A review's stars alone, beside the usual comments.
    rated = {**base, "rating": 4, "rating_only": True, "problem": None}
    # A conversation that is already private: nothing moves, the needs are asked for.
    email = {"id": "email", "label": "E-mail", "private": "", "max_chars": 10000, "can_hide": 0}
    inbox = {**base, "channel": {**email, "public": False}, "private": False, "ask_needs": True}
    cases = [(base, f) for f in flags_sets] + [(rated, frozenset()), (inbox, frozenset())]
    for context, flags in cases:
        for seed in range(40):
            for short in (False, True):
                ctx = {**context, "flags": flags, "evidence": {}, "short": short}
                fast = render(default, name, {**ctx, "pick": Picker(seed)})
                plain = render_reference(default, name, {**ctx, "pick": Picker(seed)})
                assert fast == plain


def test_a_part_a_brand_replaces_changes_every_reply_that_uses_it(tmp_path, now):
    folder = tmp_path / "tpl" / "en" / "parts"
    folder.mkdir(parents=True)
    (folder / "greeting.j2").write_text("Ahoy {{ who or 'friend' }},", encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text("extends: default\ntemplates: tpl\n", encoding="utf-8")
    book = load_playbook(path)
    d = run("My parcel never came", book, now, name="Dana")
    assert (d.public_reply or "").startswith("Ahoy Dana,")


def test_a_template_error_in_a_part_names_the_part(tmp_path, now):
    from replybook import TemplateError

    folder = tmp_path / "tpl" / "en" / "parts"
    folder.mkdir(parents=True)
    (folder / "greeting.j2").write_text("Hi {{ nobody_knows_me }},", encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text("extends: default\ntemplates: tpl\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="greeting"):
        run("My parcel never came", load_playbook(path), now)


# 14. Reasons ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "My order still hasn't arrived",
        "Thanks so much for cancelling my flight, great job",
        "Do you ship to Norway?",
        "Thanks, you sorted it in minutes!",
        "you are all fucking idiots",
        "your company sucks",
        "I'm calling my lawyer",
        "lol the goat in your ad is my spirit animal 😂",
    ],
)
def test_every_reason_is_a_full_sentence_naming_what_decided_it(default, now, text):
    d = run(text, default, now)
    assert d.reasons
    for reason in d.reasons:
        assert "{" not in reason.why and "}" not in reason.why, reason
    assert d.decision is not None
    found = [p for p in d.decision.evidence.values() if p]
    if found:
        assert any(any(p in r.why for p in found) for r in d.reasons), (d.reasons, found)


def test_reasons_say_how_the_problem_was_named(default, now):
    own = run("My blender stopped working", default, now)
    assert any(r.rule == "accurate-relevant" and "your blender" in r.why for r in own.reasons)
    none = run("Not happy at all with any of it", default, now)
    if none.case == "complaint":
        assert any(r.rule == "accurate-relevant" and "neutral" in r.why for r in none.reasons)


# 15. Signatures ---------------------------------------------------------------------------------


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
    with pytest.raises(UsageError, match="valid: chat, email, facebook, google-reviews, instagram"):
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
    d = run("Thanks so much for cancelling my flight, great job", default, now).to_dict()
    assert list(d) == [
        "language",
        "intent",
        "case",
        "action",
        "flags",
        "evidence",
        "reasons",
        "topic",
        "route",
        "tags",
        "public_reply",
        "private_reply",
        "note",
        "due",
        "channel",
        "variant",
        "incident",
        "lint",
    ]
    assert d["flags"] == sorted(d["flags"]) and "sarcastic" in d["flags"]
    assert d["evidence"]["sarcastic"]
    assert d["case"] == "complaint"


def test_the_readme_documents_every_json_field(default, now):
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## JSON output of `draft`", 1)[1].split("\n## ", 1)[0]
    for field in run("My order is late", default, now).to_dict():
        assert f"| `{field}` |" in section, field


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


# Never crashes, never echoes a control character ---------------------------------------------

_INVISIBLE = st.sampled_from(
    ["\u200b", "\u202e", "\x00", "\x1b", "\u2028", "\ufeff", "\x07", "\u00ad"]
)
_PIECES = st.one_of(
    st.sampled_from(["my", "order", "bag", "shit", "4111", "@me", "is", "late", "thanks", "lol"]),
    _INVISIBLE,
    st.text(max_size=8),
)
_MESSAGES = st.lists(_PIECES, min_size=1, max_size=30).map(" ".join).filter(lambda s: s.strip())


# What replybook itself puts in a reply: the non-joiner inside a Persian word, and the
# isolates that keep a right-to-left reply's names and links whole.
_OWN_MARKS = "\n\u200c\u2068\u2069"


def _controls(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c)[0] == "C" and c not in _OWN_MARKS]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=_MESSAGES,
    name=st.one_of(st.none(), st.lists(st.one_of(_INVISIBLE, st.text(max_size=5))).map("".join)),
    channel=st.sampled_from(["x", "facebook", "tiktok"]),
    history=st.lists(st.text(max_size=60), max_size=3),
)
def test_draft_never_crashes_and_never_echoes_control_characters(
    default, text, name, channel, history
):
    # One playbook for every example (drafting doesn't change it): a playbook loaded anew
    # for each example compiled its templates and word lists again each time.
    d = draft(
        text, default, name=name, channel=channel, agent="Mia Koski", now=NOW, history=history
    )
    for reply in (d.public_reply, d.private_reply, d.note):
        assert not _controls(reply or ""), repr(reply)
    for reason in d.reasons:
        assert not _controls(reason.why)
    assert math.isfinite(len(d.note))


def test_a_complaint_on_a_private_channel_asks_for_the_details_right_there(default, now):
    text = "My order never arrived, it's been two weeks"
    public = run(text, default, now, name="Dana", agent="Mia Koski", channel="x")
    assert public.private_reply is not None
    assert "DM" in (public.public_reply or "")
    for channel in ("email", "chat", "messenger", "whatsapp", "instagram-dm"):
        d = run(text, default, now, name="Dana", agent="Mia Koski", channel=channel)
        reply = d.public_reply or ""
        assert d.private_reply is None, channel
        assert "order number and delivery postcode" in reply
        assert not re.search(r"\bDM\b|in private|in public|Messenger", reply), reply
        assert d.lint == ()
        # The decision is the same: only how it is said changes.
        assert (d.intent, d.action, d.case, d.due) == (
            public.intent,
            public.action,
            public.case,
            public.due,
        )
        whys = {r.rule: r.why for r in d.reasons}
        label = default.data["channels"][channel]["label"]
        assert whys["public-first"].startswith(f"{label} is already a private conversation")
        assert "asked for right here" in whys["private-data-in-dm"]


def test_an_escalation_on_a_private_channel_stays_an_escalation_without_a_dm(default, now):
    text = "My lawyer will be in touch about the injury your product caused"
    d = run(text, default, now, name="Chris", agent="Mia Koski", channel="email")
    assert d.action == "escalate"
    assert d.private_reply is None
    reply = d.public_reply or ""
    assert "within 24 hours" in reply
    assert not re.search(r"\bDM\b|in private|public", reply), reply
    assert "Escalate to the duty lead" in d.note


def test_a_private_channel_reply_in_every_language_never_moves_to_dm(default, now):
    from replybook.linter import lint as check

    samples = default.data["samples"]["complaint"]
    for lang in default.served():
        d = run(samples[lang], default, now, name="Dana", channel="whatsapp", lang=lang)
        assert d.private_reply is None, lang
        found = check(d.public_reply or "", default, channel="whatsapp", lang=lang)
        assert "moves-private-in-private" not in [f.rule for f in found], (lang, d.public_reply)


def test_personal_data_in_a_private_message_is_not_hidden(default, now):
    text = "My card number 4111 1111 1111 1111 was charged twice"
    public = run(text, default, now, channel="facebook")
    private = run(text, default, now, channel="email")
    assert "shows personal data in public" in public.note
    assert "shows personal data in public" not in private.note
    assert "E-mail is private, so there is nothing to hide" in private.note


@pytest.mark.parametrize("variant", range(1, 6))
def test_a_private_message_mentioned_on_a_private_channel_isnt_moved_to_private(
    default, now, variant
):
    d = run("Just sent you a DM", default, now, channel="chat", variant=variant)
    assert "sent_private" in d.decision.flags  # type: ignore[union-attr]
    assert "moves-private-in-private" not in [f.rule for f in d.lint], d.public_reply


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("my suitcase's been stuck at your depot since Monday", "suitcase"),
        ("my laptop's completely dead after the update", None),
    ],
)
def test_a_contraction_on_the_customers_noun_is_never_echoed(text, named):
    # "my suitcase's been stuck": "your suitcase", never "your suitcase's".
    playbook = load_playbook("default")
    for variant in range(1, 5):
        reply = draft(text, playbook, now=NOW, variant=variant, lang="en").public_reply or ""
        assert "'s " not in reply.replace("it's ", "").replace("that's ", "").replace("what's ", "")
        if named:
            assert f"your {named}" in reply or named not in reply


def test_a_possessive_or_a_verb_after_s_is_not_guessed_at():
    # "my son's tablet": neither "your son" nor "your son's tablet" is safe to name.
    d = draft("my son's tablet screen went black", load_playbook("default"), now=NOW)
    assert "your son" not in (d.public_reply or "")


def test_a_compensation_demand_on_x_keeps_both_alternatives():
    playbook = load_playbook("default")
    for variant in range(1, 9):
        d = draft("I want compensation NOW for three days without internet", playbook, now=NOW,
                  variant=variant, name="Samantha-Jane")
        assert d.case == "refusal"
        assert "goodwill credit" in (d.public_reply or ""), d.public_reply


@pytest.mark.parametrize(
    ("text", "avoid"),
    [
        ("the courier swore at me when I asked for my parcel", "courier"),
        ("Kuryeriniz siparişimi getirirken bana bağırdı", "sipariş"),
        ("Ваш курьер нахамил мне, когда привёз заказ", "заказ"),
        ("پیک‌تون موقع تحویل سفارش سرم داد زد", "سفارش"),
        ("Kuriirinne huusi mulle kun toi paketin", "paket"),
    ],
)
def test_staff_who_mistreated_a_customer_is_the_problem_not_the_parcel(default, now, text, avoid):
    d = run(text, default, now)
    assert (d.intent, d.topic) == ("complaint", "conduct")
    assert d.private_reply and avoid not in (d.public_reply or "").lower()
