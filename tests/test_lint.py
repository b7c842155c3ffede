"""lint(): rule types and default rules, strings in, findings out."""

from __future__ import annotations

from pathlib import Path

import pytest

from replybook import PlaybookError, load_playbook
from replybook.linter import Finding, at_or_above, compile_rules, counts, lint
from replybook.selftest import run as selftest

from .conftest import NOW


def rules_of(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]


CLEAN = "Hi Dana, I'm so sorry about your order. Please send us a DM and we'll track it. ^MK"


def test_a_good_reply_is_clean(default):
    assert lint(CLEAN, default, comment="My order never arrived", name="Dana", channel="x") == []


def test_finding_position_and_fields(default):
    text = "Hi Dana,\nas I already said, check the FAQ. ^MK"
    (finding,) = [f for f in lint(text, default) if f.rule == "blames-customer"]
    assert (finding.line, finding.column) == (2, 1)
    assert finding.span == (9, 26)
    assert finding.match == "as I already said"
    assert finding.level == "error"
    assert finding.message == "Don't blame or correct the customer in public ('as I already said')."
    assert "(never-argue)" in finding.why
    assert finding.to_dict() == {
        "rule": "blames-customer",
        "level": "error",
        "message": finding.message,
        "why": finding.why,
        "line": 2,
        "column": 1,
        "span": [9, 26],
        "match": "as I already said",
    }


def test_substitution_gives_the_replacement(default):
    (finding,) = [f for f in lint("Hi Dana, we are unable to change it. ^MK", default)]
    assert finding.rule == "policy-speak"
    assert finding.replacement == "we can't"
    assert finding.to_dict()["replacement"] == "we can't"
    assert finding.message == "Say 'we can't' instead of 'we are unable to'."


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Hi Dana, please reply with your account number. ^MK", "private-data-in-public"),
        ("Hi Dana, what's your password? ^MK", "private-data-in-public"),
        ("Hi Dana, you should have read the terms. ^MK", "blames-customer"),
        ("Hi Dana, nice try 🙄 ^MK", "sarcasm"),
        ("Hi Dana, we are WORKING ON IT. ^MK", "shouting"),
        ("Hi Dana, please calm down. ^MK", "calm-down"),
        ("Hi Dana, we guarantee this will never happen again. ^MK", "over-promise"),
        ("Hi Dana, we'll get back to you. ^MK", "promise-without-timeline"),
        ("Your refund is on its way. ^MK", "no-greeting"),
        ("Hi Dana, your refund is on its way.", "signature"),
        ("Dear valued customer, thanks. ^MK", "bot-voice"),
        ("Hi [NAME], thanks! ^MK", "leftover-placeholder"),
        ("Hi {{ name }}, thanks! ^MK", "leftover-placeholder"),
        ("Hi Dana, thanks!!! Great!!! ^MK", "exclamation-marks"),
        ("Hi Dana, we deleted your comment. ^MK", "talks-of-deleting"),
        ("DM us your order number. ^MK", "move-private-before-acknowledging"),
    ],
)
def test_default_rules_fire(default, text, rule):
    assert rule in rules_of(lint(text, default))


def test_private_data_is_fine_when_asked_in_the_dm(default):
    text = "Hi Dana, sorry! Please send us a DM with your account number. ^MK"
    assert "private-data-in-public" not in rules_of(lint(text, default))


def test_public_only_rules_skip_private_replies(default):
    text = "Please reply with your account number. ^MK"
    assert "private-data-in-public" in rules_of(lint(text, default))
    assert "private-data-in-public" not in rules_of(lint(text, default, slot="private"))
    assert "no-greeting" not in rules_of(lint(text, default, slot="private"))


def test_timeline_excuses_a_promise(default):
    text = "Hi Dana, sorry! We'll get back to you within 24 hours. ^MK"
    assert "promise-without-timeline" not in rules_of(lint(text, default))


def test_allowed_acronyms_are_not_shouting(default):
    assert "shouting" not in rules_of(
        lint("Hi Dana, sorry! Send us a DM or see the FAQ. ^MK", default)
    )


def test_name_rule_needs_the_name(default):
    text = "Hi there, sorry about your order. Please send us a DM. ^MK"
    assert "no-name" not in rules_of(lint(text, default))
    assert "no-name" in rules_of(lint(text, default, name="Dana Reyes"))
    assert "no-name" not in rules_of(lint(text.replace("there", "Dana"), default, name="Dana"))


def test_signature_once_and_at_the_end(default):
    def problems(text: str, rule: str = "signature") -> list[str]:
        return [f.message for f in lint(text, default) if f.rule == rule]

    assert problems("Hi Dana, thanks! ^MK") == []
    assert problems("Hi Dana, thanks! – The Support Team") == []
    assert problems("Hi Dana, thanks! ^MK https://example.com/help #care") == []
    assert problems("Hi Dana, thanks!") == ["Sign the reply, once, at the end: no signature."]
    assert problems("^MK Hi Dana, thanks!") == [
        "Sign the reply, once, at the end: the signature isn't at the end."
    ]
    assert problems("Hi Dana, thanks! ^MK ^MK") == [
        "Sign the reply, once, at the end: signed more than once."
    ]
    # a sign-off in another style is a signature, but not the playbook's format
    assert problems("Thanks Dana! -Becky") == []
    assert problems("Thanks Dana! ^Rachel") == []
    assert problems("Thanks Dana! -Becky", "signature-format") == [
        "'-Becky' isn't the playbook's signature format."
    ]
    assert problems("Thanks Dana! ^MK", "signature-format") == []


def test_shouting_spares_acronyms_and_sign_offs(default):
    def shouted(text: str) -> list[str]:
        return [f.match for f in lint(text, default) if f.rule == "shouting"]

    assert shouted("Make sure your PSN account is linked. *HKC") == []
    assert shouted("Please READ the email.") == ["READ"]
    assert shouted("WE ARE ON IT") == ["WE", "ARE", "ON", "IT"]


def test_channel_length(default):
    text = "Hi Dana, sorry! " + "We're on it. " * 25 + "^MK"
    assert "too-long" not in rules_of(lint(text, default))
    (finding,) = [f for f in lint(text, default, channel="x") if f.rule == "too-long"]
    assert finding.message == f"{len(text)} characters: more than X's 280."
    assert finding.span == (280, len(text))


# Comment-aware rules ------------------------------------------------------------------------


def test_comment_rules_need_the_comment(default):
    text = "Hi Dana, please send us a DM. ^MK"
    assert "complaint-without-apology" not in rules_of(lint(text, default))
    found = rules_of(lint(text, default, comment="My order still hasn't arrived"))
    assert "complaint-without-apology" in found


def test_complaint_needs_a_next_step(default):
    found = rules_of(
        lint("Hi Dana, so sorry about your order. ^MK", default, comment="My order is late")
    )
    assert "complaint-without-next-step" in found


def test_refusal_needs_two_alternatives(default):
    comment = "I want a refund for my non-refundable ticket"
    bad = "Hi Sam, sorry, that ticket can't be refunded. Please send us a DM. ^MK"
    good = (
        "Hi Sam, sorry, that ticket can't be refunded. We can offer full credit towards your next "
        "order, or a free switch to another date or product. Please send us a DM. ^MK"
    )
    assert "refusal-without-alternatives" in rules_of(lint(bad, default, comment=comment))
    assert "refusal-without-alternatives" not in rules_of(lint(good, default, comment=comment))


def test_praise_needs_thanks(default):
    comment = "Your staff were amazing today, well done"
    assert "praise-without-thanks" in rules_of(
        lint("Glad you liked it, Ana! ^MK", default, comment=comment)
    )
    assert "praise-without-thanks" not in rules_of(
        lint("Thanks, Ana! ^MK", default, comment=comment)
    )


def test_no_jokes_on_a_complaint(default):
    text = "Hi Dana, sorry! Please DM us about your bag lol ^MK"
    assert "joke-on-a-complaint" in rules_of(lint(text, default, comment="You lost my bag AGAIN"))
    assert "joke-on-a-complaint" not in rules_of(lint(text, default, comment="lol love the ad 😂"))


def test_a_reply_must_be_about_the_comment(default):
    comment = "My blender stopped working after a week"
    off = "Hi Dana, so sorry to hear that! Please send us a DM and we'll sort it. ^MK"
    on = "Hi Dana, so sorry about your blender! Please send us a DM and we'll sort it. ^MK"
    (finding,) = [f for f in lint(off, default, comment=comment) if f.rule == "ignores-the-comment"]
    assert finding.message == "The reply never mentions what the comment was about (blender)."
    assert "ignores-the-comment" not in rules_of(lint(on, default, comment=comment))


def test_canned_reply_against_history(default):
    body = "we're sorry to hear that. Please DM us your order number so we can look into it. ^MK"
    past = [f"Hi Ana, {body}"]
    text = f"Hi Dana, {body}"
    (finding,) = [f for f in lint(text, default, history=past) if f.rule == "canned-reply"]
    assert (
        finding.message.startswith("9") and "% the same as a reply already sent" in finding.message
    )
    assert "canned-reply" not in rules_of(lint(CLEAN, default, history=past))


# Switching rules off ---------------------------------------------------------------------------


def test_disable_marker_on_one_line(default):
    text = "Hi Dana, calm down. {# replybook: disable=calm-down #}\nPlease calm down. ^MK"
    found = [f for f in lint(text, default) if f.rule == "calm-down"]
    assert [f.line for f in found] == [2]


def test_disable_marker_for_every_rule(default):
    text = "As I already said, calm down!!! {# replybook: disable #}"
    assert all(f.line != 1 for f in lint(text, default))


def test_playbook_disable(tmp_path: Path):
    path = tmp_path / "p.yaml"
    path.write_text("extends: default\ndisable: [calm-down, no-greeting]\n", encoding="utf-8")
    book = load_playbook(path)
    assert "calm-down" not in rules_of(lint("Calm down. ^MK", book))
    assert "calm-down" not in [r.id for r in compile_rules(book)]


def test_brand_rules_merge_by_id(tmp_path: Path, default):
    path = tmp_path / "p.yaml"
    path.write_text(
        """extends: default
rules:
  - id: calm-down
    extends: existence
    level: suggestion
    message: "Softer: '{match}'."
    why: Brand voice (never-argue).
    tokens: [calm down]
    examples: {bad: ["calm down"], good: ["sorry"]}
  - id: competitor-name
    extends: existence
    level: error
    message: "Don't name a competitor ('{match}')."
    why: Keep the thread about the customer (accurate-relevant).
    tokens: [Globex Air]
    examples: {bad: ["Globex Air does that too."], good: ["We can do that."]}
""",
        encoding="utf-8",
    )
    book = load_playbook(path)
    ids = [r.id for r in compile_rules(book)]
    assert len(ids) == len(compile_rules(default)) + 1
    assert ids.index("calm-down") == [r.id for r in compile_rules(default)].index("calm-down")
    found = lint("Calm down, Globex Air is worse. ^MK", book)
    assert {(f.rule, f.level) for f in found} >= {
        ("calm-down", "suggestion"),
        ("competitor-name", "error"),
    }


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("{id: Bad Id, extends: existence}", "a rule needs a kebab-case id"),
        ("{id: x, extends: spellcheck}", "unknown rule type 'spellcheck'"),
        ("{id: x, extends: existence, level: fatal}", "level must be one of"),
        ("{id: x, extends: existence, message: m}", "a rule needs a why"),
        (
            "{id: x, extends: existence, message: m, why: w}",
            "at least one bad and one good example",
        ),
    ],
)
def test_bad_rules_are_playbook_errors(tmp_path: Path, rule: str, message: str):
    path = tmp_path / "p.yaml"
    path.write_text(f"extends: default\nrules:\n  - {rule}\n", encoding="utf-8")
    with pytest.raises(PlaybookError, match=message):
        compile_rules(load_playbook(path))


def test_levels_and_counts(default):
    found = lint("Hi, as I already said, READ it!!! ^MK", default)
    assert counts(found) == {"error": 1, "warning": 1, "suggestion": 1}
    assert [f.level for f in at_or_above(found, "warning")] == ["error", "warning"]
    assert at_or_above(found, "never") == []


# The playbooks check themselves ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["default", "acme-air"])
def test_builtin_playbooks_pass_their_own_test(name):
    report = selftest(load_playbook(name))
    assert report.failures == ()
    assert report.rules >= 20 and report.examples >= 2 * report.rules and report.drafts > 100


def test_every_default_rule_cites_a_rules_id(default):
    ids = {
        "respond-all",
        "never-delete",
        "fast",
        "public-first",
        "private-data-in-dm",
        "be-human",
        "no-canned",
        "empathy-thanks",
        "apologize-explain-fix",
        "never-argue",
        "dont-feed-trolls",
        "escalate",
        "under-promise",
        "honest-not-yet",
        "two-alternatives",
        "patterns",
        "follow-up-turnaround",
        "be-the-expert",
        "embrace-the-silly",
        "accurate-relevant",
        "listen",
        "route",
    }
    for rule in compile_rules(default):
        cited = {i for i in ids if f"({i}" in rule.why or f", {i}" in rule.why}
        assert cited, rule.id


def test_drafts_carry_their_lint(default):
    from replybook import draft

    result = draft(
        "My order still hasn't arrived", default, name="Dana", agent="Mia Koski", now=NOW
    )
    assert result.lint == ()
    assert result.to_dict()["lint"] == []


def test_a_template_marker_switches_a_rule_off_for_its_reply(tmp_path):
    from replybook import draft

    folder = tmp_path / "tpl" / "en" / "praise"
    folder.mkdir(parents=True)
    body = "Much appreciated{% if who %}, {{ who }}{% endif %}! ({n})"
    for n in (1, 2, 3):
        (folder / f"public-{n}.j2").write_text(body.replace("{n}", str(n)), encoding="utf-8")
    plain = tmp_path / "plain.yaml"
    # English only: the marker is what is tested, not the other languages' templates.
    plain.write_text("extends: default\nserves: [en]\ntemplates: tpl\n", encoding="utf-8")
    report = selftest(load_playbook(plain))
    assert any("no-greeting" in f.problem for f in report.failures)

    marked = tmp_path / "tpl2" / "en" / "praise"
    marked.mkdir(parents=True)
    for n in (1, 2, 3):
        (marked / f"public-{n}.j2").write_text(
            "{# replybook: disable=no-greeting #}" + body.replace("{n}", str(n)), encoding="utf-8"
        )
    with_marker = tmp_path / "marked.yaml"
    with_marker.write_text("extends: default\nserves: [en]\ntemplates: tpl2\n", encoding="utf-8")
    book = load_playbook(with_marker)
    assert not any("no-greeting" in f.problem for f in selftest(book).failures)
    result = draft("Best service ever, well done!", book, now=NOW)
    assert result.public_reply.startswith("Much appreciated!")
    assert "no-greeting" not in [f.rule for f in result.lint]


def test_lint_disable_argument(default):
    assert "calm-down" in rules_of(lint("Hi, calm down. ^MK", default))
    assert "calm-down" not in rules_of(lint("Hi, calm down. ^MK", default, disable={"calm-down"}))
    assert lint("As I already said, calm down!!!", default, disable=None) == []


def test_a_bad_rule_names_file_line_and_key(tmp_path: Path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "extends: default\nrules:\n  - id: my-rule\n    extends: spellcheck\n", encoding="utf-8"
    )
    with pytest.raises(PlaybookError) as info:
        load_playbook(path)
    assert str(info.value).startswith(f"{path}:4: rules.my-rule.extends: unknown rule type")


def test_a_thread_part_is_not_missing_its_signature(default):
    part = "Hi Dana, here is what happened with your order (1/2)"
    assert "signature" not in rules_of(lint(part, default))
    assert "signature" in rules_of(lint("Hi Dana, here is what happened 2/2", default))
    assert "signature" in rules_of(lint("Hi Dana, we're open 24/7", default))


def test_sequence_excuses_a_then_phrase_in_an_unless_sentence(default):
    moved = "Got your DM, I'm replying there now. ^MK"
    assert "move-private-before-acknowledging" not in rules_of(lint(moved, default))
    asked = "Got your DM. DM us your order number too. ^MK"
    (finding,) = [f for f in lint(asked, default) if f.rule == "move-private-before-acknowledging"]
    assert finding.span == (13, 15)


# Personal data asked for in public ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (
            "Please reply here with your account number and password so we can check.",
            "reply here with your account number",
        ),
        ("Could you post your card number below?", "post your card number"),
        ("Can you tell us the phone number on the account?", "tell us the phone number"),
        ("Mind leaving your home address in the comments?", "leaving your home address"),
        ("What's the email address on your account?", "What's the email address"),
        ("May I have your booking reference, please?", "May I have your booking reference"),
        # a list of what to tell, the data last
        (
            "Let us know the date you flew and the flight number, along with your full name.",
            "Let us know the date you flew and the flight number, along with your full name",
        ),
        # a DM named in the sentence doesn't help when the request says "here"
        ("DM us, or reply here with your PIN.", "reply here with your PIN"),
    ],
)
def test_personal_data_asked_in_public(default, text, match):
    found = [f for f in lint(text, default) if f.rule == "private-data-in-public"]
    assert [f.match for f in found] == [match]


@pytest.mark.parametrize(
    "text",
    [
        "DM us your account number and we'll check.",
        "Please send us a DM with your account number.",
        "Never share your password with anyone, even us.",
        "Please don't post your card number here.",
        "We'll send the new card to your home address.",
        "We can't share account details here, sorry.",
        "Can you give us the booking reference? Please send it by DM.",
        "Please submit a ticket.\nInclude your order number and e-mail address there.",
        "Just to confirm, did you try resetting your password?",
        "Give us your user name so we can pull up your account details.",
        "Please tell us what happened (no account number).",
        "Please reply here and tell us what went wrong.",
        "You can reach us at https://help.example.com. Send your order number in the chat form.",
    ],
)
def test_personal_data_not_asked_in_public(default, text):
    assert "private-data-in-public" not in rules_of(lint(text, default))


def test_words_between_have_a_limit(default):
    near = "Please reply with the name, the date and your account number."
    far = (
        "Please reply and tell us the name of the shop, the date and time you went, "
        "then your order number."
    )
    assert "private-data-in-public" in rules_of(lint(near, default))
    assert "private-data-in-public" not in rules_of(lint(far, default))


def test_a_private_channel_after_a_link_is_in_the_same_sentence(default):
    # "t.co" and "2.5" don't end a sentence, so the DM still excuses the request
    text = "See https://t.co/abc for version 2.5 or send your account number by DM."
    assert "private-data-in-public" not in rules_of(lint(text, default))


# Sarcasm and condescension -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Maybe try reading the instructions next time?",
        "It's not rocket science, Dana.",
        "As clearly stated in our terms, that's 14 days.",
        "Have you tried turning it on?",
        "Next time, try checking the size chart.",
        "Please read the label next time.",
        "Simply read the FAQ.",
        "Did you even read the email?",
    ],
)
def test_condescension(default, text):
    assert "condescending" in rules_of(lint(text, default))


@pytest.mark.parametrize(
    "text",
    [
        "Could you try restarting the app?",
        "Have you tried restarting the app?",
        "Did you try resetting your password with the steps here?",
        "Next time you're in, ask for Sam.",
        "We'll do better next time.",
        "We'll check the size chart so it's clearer next time.",
    ],
)
def test_advice_that_is_not_condescending(default, text):
    assert "condescending" not in rules_of(lint(text, default))


COMPLAINT = "Your app deleted my playlists and nobody answered for a week"


def test_over_the_top_thanks_on_a_complaint(default):
    reply = "Hi Dana, thanks SO much for your wonderful feedback. ^MK"
    (finding,) = [
        f for f in lint(reply, default, comment=COMPLAINT) if f.rule == "over-the-top-thanks"
    ]
    assert finding.match == "thanks SO much for your wonderful feedback"
    shouted = lint("Thanks SO much, Dana. ^MK", default, comment=COMPLAINT)
    assert [f.match for f in shouted if f.rule == "over-the-top-thanks"] == ["Thanks SO much"]
    found = lint("Thank you for the lovely comments! ^MK", default, comment=COMPLAINT)
    assert [f.match for f in found if f.rule == "over-the-top-thanks"] == [
        "Thank you for the lovely comments"
    ]
    plain = "Hi Dana, thanks so much for telling us, and I'm sorry. ^MK"
    assert "over-the-top-thanks" not in rules_of(lint(plain, default, comment=COMPLAINT))


def test_kind_words_are_right_for_praise_and_mixed_praise(default):
    reply = "Thanks for the kind words, Dana! ^MK"
    praise = "Your staff were amazing today, well done"
    mixed = "The staff were lovely but I was charged twice for my order"
    assert "over-the-top-thanks" not in rules_of(lint(reply, default, comment=praise))
    assert "over-the-top-thanks" not in rules_of(lint(reply, default, comment=mixed))
    assert "over-the-top-thanks" not in rules_of(lint(reply, default))  # needs the comment


# Jokes, "good question", echoed insults, swearing ----------------------------------------------


def test_no_jokes_on_the_customers_own_loss(default):
    loss = "lmao I accidentally deleted all my photos, send help"
    assert "joke-on-a-complaint" in rules_of(lint("RIP your photos lol ^MK", default, comment=loss))
    help_ = "Oh no! Deleted photos can often be restored: DM us. ^MK"
    assert "joke-on-a-complaint" not in rules_of(lint(help_, default, comment=loss))
    # "rip" as in "rip off" is no joke
    assert "joke-on-a-complaint" not in rules_of(
        lint("Sorry, we'd never rip anyone off. ^MK", default, comment=COMPLAINT)
    )


def test_good_question_to_an_angry_message(default):
    angry = "Why is it SO hard to log in to your stupid app??? Third time this week, useless"
    calm = "How do I change the e-mail address on my account?"
    reply = "Great question! Go to Settings, then Account. ^MK"
    (finding,) = [
        f for f in lint(reply, default, comment=angry) if f.rule == "good-question-to-anger"
    ]
    assert finding.match == "Great question"
    assert "good-question-to-anger" not in rules_of(lint(reply, default, comment=calm))


def test_insults_echoed_from_the_comment(default):
    comment = "This stupid app crashed AGAIN, what a load of crap"
    reply = "Hi Dana, sorry the stupid app crashed again! ^MK"
    (finding,) = [f for f in lint(reply, default, comment=comment) if f.rule == "echoes-an-insult"]
    assert (finding.match, finding.span) == ("stupid", (19, 25))
    # the same word, not said by the customer, is no echo (swearing has its own rule)
    assert "echoes-an-insult" not in rules_of(lint(reply, default, comment="The app crashed again"))
    # and a mild word of the comment ("hate", weight 1) is not an insult to echo
    mild = lint("We hate to hear that, Dana. ^MK", default, comment="I hate that the app crashed")
    assert "echoes-an-insult" not in rules_of(mild)


def test_an_echoed_word_is_known_by_its_phrase(default):
    # "fuck*" in the playbook takes in both forms
    comment = "the fucking app crashed again"
    reply = "Sorry the app is being such a fuck, Dana. ^MK"
    assert "echoes-an-insult" in rules_of(lint(reply, default, comment=comment))


def test_swearing_in_a_reply(default):
    assert "swearing" in rules_of(lint("Damn, sorry about that! ^MK", default))
    assert "swearing" in rules_of(lint("Sorry, you absolute clown. ^MK", default))
    assert "swearing" not in rules_of(lint("Hello Dana, sorry about that! ^MK", default))
    assert "swearing" not in rules_of(lint("Please pass it on to the class. ^MK", default))


# when: alternatives -----------------------------------------------------------------------------


def _rule_book(tmp_path: Path, when: str) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(
        f"""extends: default
rules:
  - id: no-wow
    extends: existence
    when: {when}
    level: error
    message: "No '{{match}}'."
    why: Tone (never-argue).
    tokens: [wow]
    examples: {{bad: ["wow"], good: ["hi"], comment: "Your app is amazing, well done"}}
""",
        encoding="utf-8",
    )
    return path


def test_when_takes_alternatives(tmp_path: Path):
    book = load_playbook(
        _rule_book(tmp_path, "[{intent: praise}, {intent: question, angry: false}]")
    )
    reply = "Wow, thanks! ^MK"
    assert "no-wow" in rules_of(lint(reply, book, comment="Your app is amazing, well done"))
    assert "no-wow" in rules_of(lint(reply, book, comment="Do you ship to Norway?"))
    assert "no-wow" not in rules_of(lint(reply, book, comment="My order never arrived"))
    assert "no-wow" not in rules_of(lint(reply, book))


@pytest.mark.parametrize("when", ["[{intent: praise}, {colour: red}]", "[{}]", "[praise]", "yes"])
def test_a_bad_when_is_a_playbook_error(tmp_path: Path, when: str):
    with pytest.raises(PlaybookError, match=r"when: takes a mapping \(or a list of mappings\)"):
        load_playbook(_rule_book(tmp_path, when))


# Facts from the comment and the thread ---------------------------------------------------------


def test_skip_when_switches_a_rule_off_given_the_comment(default):
    reply = "DM us your order number. ^MK"
    thread = [
        {"role": "customer", "text": "My order never arrived"},
        {"role": "brand", "text": "So sorry! Could you tell us when you ordered?"},
    ]
    comment = "Last Monday, still nothing"
    assert "move-private-before-acknowledging" in rules_of(lint(reply, default))
    assert "move-private-before-acknowledging" in rules_of(lint(reply, default, comment=comment))
    answered = lint(reply, default, comment=comment, context=thread)
    assert "move-private-before-acknowledging" not in rules_of(answered)


def test_no_second_apology_in_a_thread_the_brand_answered(default):
    reply = "Hi Dana, thanks. Please DM us your order number and we'll chase it. ^MK"
    comment = "It still hasn't arrived, it's been two weeks"
    thread = [
        {"role": "customer", "text": "My order never arrived"},
        {"role": "brand", "text": "So sorry about that! When did you order?"},
    ]
    assert "complaint-without-apology" in rules_of(lint(reply, default, comment=comment))
    in_thread = lint(reply, default, comment=comment, context=thread)
    assert "complaint-without-apology" not in rules_of(in_thread)


def test_a_calm_question_wants_an_answer_an_angry_one_an_apology(default):
    reply = "Hi Dana, the old version is here: https://example.com/old ^MK"
    calm = "My tablet doesn't support the new version. Where can I download the old one?"
    angry = "Why the HELL doesn't your stupid app work on my tablet?? Useless, fix it"
    assert "complaint-without-apology" not in rules_of(lint(reply, default, comment=calm))
    assert "complaint-without-apology" in rules_of(lint(reply, default, comment=angry))


def test_no_apology_owed_for_the_customers_own_mistake(default):
    reply = "Hi Dana, you can reset it here: https://example.com/reset ^MK"
    comment = "I forgot my password and now I can't log in"
    assert "complaint-without-apology" not in rules_of(lint(reply, default, comment=comment))


def test_praise_that_thanks_us_can_be_answered_with_youre_welcome(default):
    reply = "You're very welcome, Ana! ^MK"
    assert "praise-without-thanks" not in rules_of(
        lint(reply, default, comment="The pasta was delicious, thank you!")
    )
    assert "praise-without-thanks" in rules_of(
        lint(reply, default, comment="Your staff were amazing today, well done")
    )


def test_a_next_step_can_be_a_link_a_suggestion_or_a_question(default):
    comment = "My order still hasn't arrived, two weeks now"
    for reply in (
        "Hi Dana, I'm sorry! You can track it here: https://example.com/track ^MK",
        "Hi Dana, I'm sorry! When did you place the order? ^MK",
        "Hi Dana, I'm sorry! Please phone us and we'll sort it. ^MK",
    ):
        assert "complaint-without-next-step" not in rules_of(lint(reply, default, comment=comment))
    bare = "Hi Dana, I'm so sorry about that. ^MK"
    assert "complaint-without-next-step" in rules_of(lint(bare, default, comment=comment))


# Signatures and relevance -------------------------------------------------------------------------


def test_a_signature_before_the_last_part_marker(default):
    assert "signature" not in rules_of(lint("Hi Dana, and that's all of it. ^MK 2/2", default))
    assert "signature" in rules_of(lint("Hi Dana, and that's all of it. 2/2", default))
    assert "signature" not in rules_of(lint("Hi Dana, here's the first part. 1/2", default))


def test_a_bare_name_or_initials_after_the_last_sentence_is_a_signature(default):
    def rules(text: str) -> list[str]:
        return rules_of(lint(text, default))

    assert "signature" not in rules("Hi Dana, it's on its way. Priya")
    assert "signature" not in rules("Hi Dana, see https://example.com/help TN")
    # a closing word is nobody's name, and a word inside the sentence is no sign-off
    assert "signature" in rules("Hi Dana, it's on its way. Thanks")
    assert "signature" in rules("Hi Dana, please send us a DM")
    # a bare sign-off isn't the playbook's format
    assert "signature-format" in rules("Hi Dana, it's on its way. Priya")


def test_a_reply_that_shares_the_comments_own_words_is_about_it(default):
    comment = "Both my flights this week were delayed by maintenance, what is going on"
    about = "Hi Dana, sorry about the delays. DM us your booking and we'll look. ^MK"
    generic = "Hi Dana, sorry to hear that. DM us and we'll look into it. ^MK"
    assert "ignores-the-comment" not in rules_of(lint(about, default, comment=comment))
    (finding,) = [
        f for f in lint(generic, default, comment=comment) if f.rule == "ignores-the-comment"
    ]
    assert finding.level == "suggestion"
    # a help page's address says what it is about
    linked = "Hi Dana, here's what to know: https://example.com/help/maintenance-delays ^MK"
    assert "ignores-the-comment" not in rules_of(lint(linked, default, comment=comment))


def test_a_bad_skip_when_is_a_playbook_error(tmp_path: Path):
    path = tmp_path / "p.yaml"
    path.write_text(
        """extends: default
rules:
  - id: no-wow
    extends: existence
    skip_when: {colour: red}
    level: error
    message: "No '{match}'."
    why: Tone (never-argue).
    tokens: [wow]
    examples: {bad: ["wow"], good: ["hi"]}
""",
        encoding="utf-8",
    )
    with pytest.raises(PlaybookError, match=r"skip_when: takes a mapping"):
        load_playbook(path)


def test_alternatives_are_owed_only_by_a_reply_that_says_no(default):
    comment = "I want a refund for my non-refundable ticket"
    fixing = (
        "Hi Sam, sorry about this! DM us the booking reference and we'll see what we can do. ^MK"
    )
    assert "refusal-without-alternatives" not in rules_of(lint(fixing, default, comment=comment))


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Hi Dana, here's the first part (1/2)", (1, 2)),
        ("@dana (2/3) and then this", (2, 3)),
        ("And the rest. 2/2 ^MK", (2, 2)),
        ("We're open 24/7", None),
        ("No marker here", None),
    ],
)
def test_thread_part_markers(default, text, part):
    from replybook.linter import Context

    ctx = Context(text, default, "en", None, None, None, (), "public")
    assert ctx.part() == part


def test_required_rules_and_thread_parts(default):
    comment = "My order still hasn't arrived, two weeks now"
    # the apology and the next step may be in the other part
    first = "Hi Dana, I've checked with the courier (1/2)"
    assert "complaint-without-apology" not in rules_of(lint(first, default, comment=comment))
    assert "complaint-without-next-step" not in rules_of(lint(first, default, comment=comment))
    # the greeting belongs to the first part only
    assert "no-greeting" not in rules_of(lint("and it's on its way now. 2/2 ^MK", default))
    assert "no-greeting" in rules_of(lint("Your order is late, sorry (1/2)", default))


def test_a_promise_asked_of_the_customer_is_no_promise(default):
    ask = "Please get in touch with our team right away so we can stop the payment. ^MK"
    assert "over-promise" not in rules_of(lint(ask, default))
    assert "over-promise" in rules_of(lint("We'll refund you right away. ^MK", default))


def test_capitals_inside_a_link_are_no_shouting(default):
    text = "Hi Dana, cancel here: https://example.com/cancel?src=SITESEARCH ^MK"
    assert "shouting" not in rules_of(lint(text, default))
    assert "shouting" in rules_of(lint("Hi Dana, PLEASE read https://example.com ^MK", default))


def test_a_request_for_help_is_owed_help_not_an_apology(default):
    reply = "Hi Dana, here's how to change it: https://example.com/password ^MK"
    comment = "I need help changing my password"
    assert "complaint-without-apology" not in rules_of(lint(reply, default, comment=comment))


def test_a_closing_and_a_name_is_a_signature(default):
    assert "signature" not in rules_of(lint("Hi Dana, we're on it. Regards, Pyry", default))
    assert "signature" not in rules_of(lint("Hi Dana, reply in a day. Rgds, Acme Care", default))
    assert "signature" in rules_of(lint("Hi Dana, we're on it, Pyry", default))


def test_letters_without_case_are_no_shouting(default):
    text = "こんにちは、お送りしたURLをご確認くださいませ。^MK"
    assert "shouting" not in rules_of(lint(text, default))


def test_a_calm_question_may_be_answered_without_a_next_step(default):
    comment = "If I pre-order the game now, do I still get the bonus items?"
    reply = "Hi Dana, yes: every pre-order gets the bonus items. ^MK"
    assert "complaint-without-next-step" not in rules_of(lint(reply, default, comment=comment))


def test_an_acknowledgement_may_be_in_the_first_part(default):
    later = "2/2 Should you have other questions, please send us a DM. ^MK"
    assert "move-private-before-acknowledging" not in rules_of(lint(later, default))
    first = "1/2 Please send us a DM. ^MK"
    assert "move-private-before-acknowledging" in rules_of(lint(first, default))


def test_one_finding_where_phrases_overlap(default):
    found = lint("Maybe try reading the instructions next time? ^MK", default)
    assert [f.match for f in found if f.rule == "condescending"] == ["Maybe try"]


ASKS = "Hi Dana, sorry about your order. Could you send us your order number? We'll check. ^MK"
MOVES = "Hi Dana, sorry about your order. Please send us a DM with the details. ^MK"


def test_asking_for_personal_data_is_fine_on_a_private_channel(default):
    assert "private-data-in-public" in rules_of(lint(ASKS, default, channel="x"))
    assert "private-data-in-public" in rules_of(lint(ASKS, default))
    for channel in ("email", "chat", "messenger", "whatsapp", "instagram-dm"):
        assert "private-data-in-public" not in rules_of(lint(ASKS, default, channel=channel))


def test_moving_to_dm_on_a_private_channel_is_flagged(default):
    found = lint(MOVES, default, channel="email")
    (finding,) = [f for f in found if f.rule == "moves-private-in-private"]
    assert finding.match == "send us a DM"
    assert finding.level == "error"
    assert finding.message == (
        "'send us a DM': this conversation is already private; ask for what you need right here."
    )
    # On a public channel, or with no channel given, a DM is the way to go private.
    assert "moves-private-in-private" not in rules_of(lint(MOVES, default, channel="x"))
    assert "moves-private-in-private" not in rules_of(lint(MOVES, default))
    # Nor is acknowledging before the move a question on a private channel.
    bare = "DM us your order number. ^MK"
    assert "move-private-before-acknowledging" in rules_of(lint(bare, default, channel="x"))
    assert "move-private-before-acknowledging" not in rules_of(lint(bare, default, channel="email"))


@pytest.mark.parametrize(
    ("lang", "reply"),
    [
        ("tr", "Merhaba Ayşe, lütfen bize DM yoluyla sipariş numaranızı yazın. ^MK"),
        ("ru", "Здравствуйте, Мария! Напишите нам в личные сообщения, пожалуйста. ^MK"),
        ("fa", "سلام سارا، لطفاً در پیام خصوصی شماره‌ی سفارش را بفرستید."),
        ("fi", "Hei Aino, lähetä meille yksityisviesti, niin selvitämme asian. ^MK"),
    ],
)
def test_moving_to_dm_on_a_private_channel_is_flagged_in_every_language(default, lang, reply):
    found = lint(reply, default, channel="whatsapp", lang=lang)
    assert "moves-private-in-private" in rules_of(found)
    assert "moves-private-in-private" not in rules_of(lint(reply, default, channel="x", lang=lang))


def test_a_rule_channels_setting_is_checked(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "extends: default\nrules:\n  - id: my-rule\n    extends: existence\n    channels: email\n"
        "    message: m\n    why: w\n    tokens: [wow]\n"
        "    examples: {bad: [wow], good: [hi]}\n",
        encoding="utf-8",
    )
    with pytest.raises(PlaybookError) as info:
        compile_rules(load_playbook(path))
    assert str(info.value) == (
        f"{path}:5: rules.my-rule.channels: channels must be one of any, public, private"
    )


def test_either_order_finds_the_data_before_the_verb_only_in_its_languages(default, tmp_path):
    reply = "سلام مریم خانم، رمز عبور حسابتان را اینجا بفرستید تا بررسی کنیم. – سارا"
    assert "private-data-in-public" in rules_of(lint(reply, default, lang="fa"))
    # Warned against, the data first and the verb after is no request.
    safe = "سلام مریم خانم، هرگز رمز عبور خود را برای کسی نفرستید. – سارا"
    assert "private-data-in-public" not in rules_of(lint(safe, default, lang="fa"))
    # A rule of its own: without either_order the verb must come first.
    rule = (
        "  - id: ask-{n}\n    extends: request\n    level: error\n"
        "    message: asks\n    why: a test\n"
        "    verbs: {{fa: [بفرستید]}}\n    nouns: {{fa: [رمز عبور]}}\n{extra}"
        "    examples: {{bad: [بفرستید رمز عبور], good: [سلام]}}\n"
    )
    path = tmp_path / "replybook.yaml"
    path.write_text(
        "playbook: t\nextends: default\nrules:\n"
        + rule.format(n="fixed", extra="")
        + rule.format(n="either", extra="    either_order: [fa]\n"),
        encoding="utf-8",
    )
    found = rules_of(lint(reply, load_playbook(path), lang="fa"))
    assert "ask-either" in found and "ask-fixed" not in found


@pytest.mark.parametrize(
    ("lang", "rule", "reply"),
    [
        (
            "en",
            "blames-customer",
            "Hi Ann, because you typed the wrong card number, the payment bounced. – Dana",
        ),
        (
            "en",
            "defensive-tone",
            "Hi Ann, we are not responsible for delays caused by the weather. – Dana",
        ),
        ("en", "talks-of-deleting", "Hi Ann, we'll remove the post if this continues. – Dana"),
        (
            "tr",
            "blames-customer",
            "Merhaba Ayşe Hanım, şifrenizi hatalı girmişsiniz, o yüzden hesap kilitlendi. – Deniz",
        ),
        (
            "ru",
            "blames-customer",
            "Здравствуйте, Анна! Вы неверно ввели номер заказа, поэтому мы его не нашли. – Мария",
        ),
        ("fi", "defensive-tone", "Moi Aino! Emme ole vastuussa Postin viiveistä. – Pyry"),
        ("fa", "talks-of-deleting", "سلام مریم خانم، نظر شما حذف خواهد شد اگر ادامه دهید. – سارا"),
    ],
)
def test_blame_defence_and_deleting_said_in_other_words(default, lang, rule, reply):
    assert rule in rules_of(lint(reply, default, lang=lang))


@pytest.mark.parametrize(
    ("lang", "comment", "reply"),
    [
        (
            "en",
            "@AcmeApp why does your app log me out every single day??",
            "Hi Sam, great question! Sorry about this, DM us and we'll fix it today. – Dana",
        ),
        (
            "fa",
            "@AcmeApp چرا این اپ هر روز منو بیرون میندازه؟؟",
            "سلام مریم خانم، سؤال خیلی خوبی است! متأسفیم، در پیام خصوصی بنویسید. – سارا",
        ),
    ],
)
def test_good_question_to_a_complaint_that_asks_is_flagged(default, lang, comment, reply):
    found = rules_of(lint(reply, default, comment=comment, lang=lang))
    assert "good-question-to-anger" in found


def test_good_question_to_a_plain_question_is_fine(default):
    comment = "@AcmeAir can I bring my guitar on board as hand luggage?"
    reply = "Hi Sam, good question! Yes, as long as it fits in the overhead locker. – Dana"
    assert "good-question-to-anger" not in rules_of(lint(reply, default, comment=comment))
