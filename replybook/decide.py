"""Analysis -> Decision: intent, reply case, action and the reasons for them (pure).

The analysis says what is in the message and its thread (signal scores, the phrases
found, topics, triggers); this module says what a careful community manager does with it,
by the rules of RULES.md and the definitions of LABELLING.md. Every word it reads comes
from the playbook through the analysis; the thresholds come from the playbook too.

draft, triage and lint's comment-aware rules all use this one decision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from .analyze import Analysis, detail_words
from .playbook import Playbook

ACTIONS = ("reply", "escalate", "moderate", "skip", "review")


class Reason(NamedTuple):
    """Why the draft is what it is: a RULES.md id and a sentence."""

    rule: str
    why: str


class Decision(NamedTuple):
    """What to do with a message: the intent it has, the reply case (template folder) it
    gets, the action, and the flags that shaped them, with the phrase behind each.

    ``evidence`` maps a flag or decision step (``sarcastic``, ``escalation``, ``abuse``,
    ``complaint``...) to the phrase of the message that decided it.
    """

    intent: str
    case: str
    action: str
    flags: frozenset[str]
    evidence: dict[str, str]
    private: bool
    # The team's queue it goes to (playbook ``routes``; None with no routes), what decided
    # it (``complaint``, ``rating``, ``escalation``, ``thread``, ``phrase``, ``handle``,
    # ``intent``, ``topic`` or ``default``), and its tags (``intent:complaint``,
    # ``topic:...``, ``lang:...``, ``escalation:...``, ``rating:N``, ``route:...``, in that
    # order).
    route: str | None = None
    route_by: str = "default"
    tags: tuple[str, ...] = ()

    @property
    def specific(self) -> bool:
        return "specific_problem" in self.flags

    @property
    def turnaround(self) -> bool:
        return "turnaround" in self.flags

    def facts(self, analysis: Analysis) -> dict[str, Any]:
        """What lint's ``when:`` can ask about the message."""
        return {
            "intent": self.intent,
            "abusive": analysis.abusive,
            "refusal": bool(analysis.refusal),
            "topic": bool(analysis.topic),
            "escalation": self.action == "escalate",
            "specific": self.specific,
            "case": self.case,
            "angry": "angry" in self.flags,
            "sarcastic": "sarcastic" in self.flags,
            "mistake": "customer_mistake" in self.flags,
            "flags": sorted(self.flags),
        }


def _enquiry(playbook: Playbook, kind: str) -> bool | None:
    """Is the escalation trigger kind ``kind`` one that asks (``escalation.enquiries``)?
    None without the list: then a kind asked as a question is one, with no complaint in it."""
    kinds = (playbook.get("escalation") or {}).get("enquiries")
    return None if kinds is None else kind in kinds


def _thresholds(playbook: Playbook, lang: str | None = None) -> dict[str, float]:
    """The playbook's thresholds, with those its ``languages.<lang>.thresholds`` sets for
    a message in that language over them (a language's comments can need their own)."""
    cache = playbook._cache
    key = f"decide:thresholds:{lang or ''}"
    found = cache.get(key)
    if found is None:
        found = {k: float(v) for k, v in (playbook.get("thresholds") or {}).items()}
        spec = ((playbook.get("languages") or {}).get(lang) or {}) if lang else {}
        found.update({k: float(v) for k, v in (spec.get("thresholds") or {}).items()})
        cache[key] = found
    return found


def decide(analysis: Analysis, playbook: Playbook | None = None) -> Decision:
    """The decision on one analysed message (and its thread)."""
    if playbook is None:
        from .playbook import load_playbook

        playbook = load_playbook("default")
    a = analysis
    if a.language not in playbook.served():
        # Written in a language the playbook doesn't answer in: no template may answer
        # it in another one; a person reads it, in the default route's queue.
        # (Written to a support account, it is support's to read.)
        routes = _routes(playbook)
        route: str | None = routes.default if routes is not None else None
        by, handle = "default", {}
        if routes is not None and routes.handles and a.support_handle:
            route, by, handle = routes.handles, "handle", {"route": a.support_handle}
        return Decision(
            "other",
            "review",
            "review",
            frozenset({"unserved_language"}),
            handle,
            False,
            route,
            by,
            _tags(a, "other", "review", route),
        )
    limits = _thresholds(playbook, a.language)

    def over(kind: str, value: float) -> bool:
        return value >= limits.get(kind, 1.0)

    scores = a.scores
    evidence: dict[str, str] = {}
    flags: set[str] = set()

    def first(kind: str) -> str | None:
        found = a.matches.get(kind) or ()
        return found[0] if found else None

    def note(flag: str, phrase: str | None) -> None:
        flags.add(flag)
        if phrase:
            evidence.setdefault(flag, phrase)

    counted: list[int] = []

    def detail() -> int:
        """The message's own words (see :func:`detail_words`), counted once, when needed."""
        if not counted:
            counted.append(detail_words(playbook, a))
        return counted[0]

    complaint_score = scores.get("complaint", 0.0)
    praise_score = scores.get("praise", 0.0)
    thanks_score = scores.get("thanks", 0.0)
    question_score = scores.get("question", 0.0)
    thread = a.thread

    # Sarcasm: positive words about a negative event. Irony markers are strong by
    # themselves; praise words beside a complaint are irony unless the praise is about
    # something else ("the staff were lovely but I was charged twice": mixed).
    sarcastic = over("sarcasm", scores.get("sarcasm", 0.0))
    question = over("question", question_score)
    helping = scores.get("help_request", 0.0)
    # Weak words alone ("hours", "again") never make a complaint: one telling phrase must.
    cue = a.peaks.get("complaint", 0.0) >= limits.get("complaint_cue", 0.0) or bool(a.topic)
    # A fault said only in cue words (no phrase above `reservation_cue`) beside praise that
    # weighs `reservation_praise` times as much is a reservation inside a good review, not
    # a complaint ("a superb phone, a wonderful screen, only the speaker is weak"). Off
    # unless the playbook (or the message's language) sets `reservation_cue`.
    reserved = (
        "reservation_cue" in limits
        and a.peaks.get("complaint", 0.0) <= limits["reservation_cue"]
        and over("praise", praise_score)
        and praise_score
        >= limits.get("reservation_praise", 2.0) * a.cues.get("complaint", 0.0)
        and not sarcastic
        and a.refusal is None
        and not thread.follow_up
    )
    # Answering the brand's question, weak words are the answer ("No, I haven't tried
    # that"): only a phrase at least `answer_cue` telling says the problem again.
    answering = thread.brand_asked and a.peaks.get("complaint", 0.0) < limits.get(
        "answer_cue", 0.0
    )
    complaint = (
        (over("complaint", complaint_score) and cue and not reserved and not answering)
        or a.refusal is not None
        or sarcastic
        # Written to a support account, a weaker complaint is still one.
        or (
            a.to_support
            and not thread.brand_asked
            and over("complaint_to_support", complaint_score)
        )
        # A request for help with a problem is a complaint, however it is asked.
        or over("help_request", helping)
        # Thanks at the end of a complaint is politeness ("I did not receive anything.
        # Thanks"): the problem's own words decide, not the thanks that lowers their sum.
        or (
            over("thanks", thanks_score)
            and a.peaks.get("complaint", 0.0) >= limits.get("complaint_cue", 0.0)
            and over("complaint", a.cues.get("complaint", 0.0))
        )
        or (
            question
            and a.peaks.get("complaint", 0.0) >= limits.get("complaint_cue", 0.0)
            and over("complaint_question", complaint_score + helping)
        )
        # In a thread where the customer already complained, less says it again; but an
        # answer to the brand's question is an answer.
        or (
            thread.follow_up
            and not thread.brand_asked
            and cue
            and over("complaint_follow_up", complaint_score)
        )
    )
    reported = over("reported", scores.get("reported", 0.0))
    fixed = over("turnaround", scores.get("turnaround", 0.0))
    still = over("still_broken", scores.get("still_broken", 0.0))
    # The brand asked whether it's fixed and the answer is no ("Is it working now?" "Not
    # really"), or whether it still fails and the answer is yes: it still fails.
    answer = (thread.brand_checked and over("answer_no", scores.get("answer_no", 0.0))) or (
        thread.brand_checked_still and over("answer_yes", scores.get("answer_yes", 0.0))
    )
    if answer and not fixed:
        still = True
        evidence["complaint"] = first("answer_no") or first("answer_yes") or ""
    # And the other way round: a yes to "is it working now?" (a no to "still failing?")
    # with no complaint in it is thanks for a fix.
    yes = over("answer_yes", scores.get("answer_yes", 0.0))
    no = over("answer_no", scores.get("answer_no", 0.0))
    if not still and a.peaks.get("complaint", 0.0) < limits.get("complaint_cue", 0.0) and (
        (thread.brand_checked and yes and not no) or (thread.brand_checked_still and no and not yes)
    ):
        fixed = True
    # A customer who says it works again (and doesn't say it still fails) is not
    # complaining, whatever problem words the story of the fix contains.
    # A strong complaint phrase beside "fixed" ("you fixed X and broke Y") or a loud
    # complaint isn't a turnaround.
    loud = complaint_score >= limits.get("turnaround_complaint", 5.0) or a.peaks.get(
        "complaint", 0.0
    ) >= limits.get("turnaround_cue", 3.0)
    # An escalation (a hazard found, a legal threat) is never thanks for a fix, whatever
    # "found" or "sorted" it says.
    turnaround = fixed and not still and not sarcastic and not loud and not a.escalation
    if (
        not turnaround
        and thread.brand_helped
        and not (still or sarcastic or question or a.escalation)
    ):
        # Thanks after the brand helped in the thread. Only a problem can be turned around
        # (the customer complained, or the brand checked on a fix): thanks in a thread that
        # was praise all along is praise. Thanks beside the problem again ("thanks for the
        # reply, but it won't help", "I did not receive anything. Thanks") is the problem.
        had_problem = thread.complained or thread.brand_checked or thread.brand_checked_still
        again = complaint or a.peaks.get("complaint", 0.0) >= limits.get("complaint_cue", 0.0)
        turnaround = (
            had_problem
            and (over("thanks", thanks_score) or over("praise", praise_score))
            and not (loud or again)
        )
    if turnaround:
        complaint = False
    # Asked to do something (change a booking, cancel an order), or for help, with no
    # problem told beside it: a request, answered without an apology. The words of the
    # request are no complaint (negations.requests); a telling phrase elsewhere is.
    # Where the customer says the mistake was their own ("I accidentally booked the wrong
    # date"), only a strongly telling phrase makes it a complaint.
    telling = limits.get("request_mistake_cue", 3.0) if a.loss else limits.get("complaint_cue", 0.0)
    request = (
        over("request", scores.get("request", 0.0))
        and (not a.loss or a.peaks.get("request", 0.0) >= limits.get("request_action", 3.0))
        and not turnaround
        and a.peaks.get("complaint", 0.0) < telling
        and not (sarcastic or a.refusal or still or a.escalation or thread.follow_up)
        and not over("reported", scores.get("reported", 0.0))
        # "having trouble with...": help with a problem, a complaint however asked
        and not over("help_request", helping)
        # "could you add a dark mode?": an idea for the brand, not a request
        and not over("suggestion", scores.get("suggestion", 0.0))
    )
    if request:
        complaint = False

    # Moderated only for strong abuse; a mild offensive word makes a message rude at most.
    abusive = (
        a.abusive
        and not reported
        and scores.get("abuse", 0.0) >= limits.get("moderate", limits.get("abuse", 1.0))
    )
    # Hate (an attack on people for who they are) names no problem the brand can act on,
    # whatever branch or product it names: abuse, moderated (dont-feed-trolls).
    hateful = over("hate", scores.get("hate", 0.0)) and not reported
    abusive = abusive or hateful
    # Rude: rude words, or strong abuse. One mild offensive word isn't enough to leave a
    # message unanswered.
    rude = over("rude", scores.get("rude", 0.0)) or abusive
    if reported or (still and not turnaround):
        # Reporting an insult received, or a fault that persists, is a complaint.
        complaint = True
    specific = bool(
        a.topic
        or a.refusal
        or a.escalation
        or (complaint and (a.key_phrase or a.brand_thing))
        # Enough complaint words name a problem; in a rude message they can be insults
        # stacked up ("what a disgrace of a company, a total shambles", "ugh, clowns,
        # shameful"), so words of its own must stand beside them, or a complaint phrase
        # that tells what happened ("کرایه رو اشتباه حساب": the fare charged wrong).
        or (
            over("specific", complaint_score)
            and (
                not rude
                or detail() >= limits.get("rude_insult_words", 1.0)
                or _telling(a.matches, limits.get("telling_words", 3.0))
            )
        )
        or reported
        or still
        # A complaint that says what it is about in enough words of its own.
        or (complaint and detail() >= limits.get("detail_words", 4.0))
        # Rude, but telling a story of its own at length: that is a problem, not a troll.
        or (rude and detail() >= limits.get("rude_story_words", 12.0))
        # A rude word said of a thing ("the battery sucks", "seats on this plane are crap"):
        # the complaint names what it is about, however few its words. Not for abuse.
        or (
            rude
            and not abusive
            and detail() >= limits.get("rude_thing_words", limits.get("detail_words", 4.0))
        )
    )
    if hateful:
        specific = False
        complaint = False
    if thread.follow_up and (complaint or still):
        complaint = True
        specific = True
        note(
            "follow_up",
            first("still_broken")
            or first("answer_no")
            or first("answer_yes")
            or first("complaint"),
        )

    if rude and specific and not turnaround:
        # Rude about something the brand can act on: a complaint (dont-feed-trolls).
        complaint = True
    if (
        not complaint
        and not turnaround
        and not reserved
        and over("praise", praise_score)
        and a.peaks.get("complaint", 0.0) >= limits.get("complaint_cue", 0.0)
        and over(
            "complaint",
            a.cues.get("complaint", 0.0) + (limits.get("complaint_topic", 0.0) if a.topic else 0.0),
        )
    ):
        # Praise words cancel out the complaint words they sit beside ("Wonderful. Another
        # delayed train."): the complaint is still there, if one of its words is telling
        # on its own (a topic and a few weak words in a long good review are no complaint).
        complaint = True
    if complaint and not sarcastic and over("praise", praise_score):
        # Praise words beside a complaint: kind words contrasted with the problem ("the
        # staff were lovely but...") are mixed; with no contrast they are irony.
        sarcastic = not over("contrast", scores.get("contrast", 0.0))
        if sarcastic:
            evidence.setdefault("sarcastic", first("praise") or "")
    praise_words = over("praise", praise_score) or (
        over("thanks", thanks_score) and not complaint and not over("question", question_score)
    )
    mixed = complaint and not sarcastic and over("praise", praise_score)
    joke = over("joke", scores.get("joke", 0.0)) and not complaint and not a.loss
    asks_faq = a.faq is not None and question

    if rude and not specific and not praise_words:
        intent = "troll"
    elif turnaround:
        intent = "praise"
    elif (
        asks_faq
        and not over("specific", complaint_score)
        and not sarcastic
        # A hazard or a threat asked about is no FAQ question ("glass in my wrap, who
        # pays for this?" is no contact question).
        and not (a.escalation and _enquiry(playbook, a.escalation) is False)
    ):
        intent = "question"
    elif a.escalation and question and _enquiry(playbook, a.escalation) is True:
        # A kind that asks (escalation.enquiries: the press) asked as a question is one,
        # whatever trouble it asks about ("could you comment on yesterday's outage?").
        intent = "question"
    elif (
        a.escalation
        and not complaint
        and (not question or _enquiry(playbook, a.escalation) is False)
    ):
        # A hazard or a threat reported with thanks or praise around it is a complaint; so
        # is one asked as a question ("your database leaked?"), unless its kind is one that
        # asks. With no enquiries listed, any kind asked is a question, as it was before.
        intent = "complaint"
    elif complaint:
        intent = "complaint"
    elif request:
        # Asking to put right a mistake of one's own ("I ordered the wrong size, can I swap
        # it?") asks for something to be fixed: a complaint (LABELLING.md), still answered
        # as a request, without an apology.
        intent = "complaint" if a.loss else "question"
        note("request", first("request"))
    elif a.loss:
        # A customer's own loss or mistake is a problem to help with, never a joke.
        intent = "complaint"
        specific = True
    elif praise_words:
        intent = "praise"
    elif joke:
        intent = "joke"
    elif question:
        intent = "question"
    elif a.escalation:
        intent = "complaint"
    else:
        intent = "other"
    if (
        intent == "other"
        and thread.complained
        and not thread.brand_replied
        and not (a.escalation or fixed)
    ):
        # More from a customer whose complaint in this thread nobody has answered yet ("any
        # update??", "look at this"): the same complaint, still waiting for its answer.
        intent = "complaint"
        note("continues", None)
        # What went wrong is in the thread already: no "what happened?" in reply.
        note("detailed", None)

    # A review's stars (see the playbook's thresholds): a low rating is a complaint and a
    # high one with nothing negative praise, unless the text clearly says otherwise.
    stars = a.rating
    if stars is not None:
        if stars <= limits.get("rating_complaint", 2.0):
            if intent == "praise" and (
                turnaround or praise_score >= limits.get("rating_text", 3.0)
            ):
                note("rating_mismatch", first("turnaround") or first("praise") or first("thanks"))
            elif intent in ("other", "praise", "joke", "question") or (
                intent == "troll" and not abusive
            ):
                intent = "complaint"
                note("star_rating", f"{stars}/5")
        elif stars >= limits.get("rating_praise", 4.0):
            if intent == "other":
                intent = "praise"
                note("star_rating", f"{stars}/5")
            elif intent == "complaint":
                note(
                    "rating_mismatch",
                    first("sarcasm") or first("complaint") or a.term or a.key_phrase,
                )

    if sarcastic and intent == "complaint":
        note("sarcastic", first("sarcasm"))
    if mixed and intent == "complaint":
        note("mixed", first("praise"))
    if turnaround:
        note("turnaround", first("turnaround") or first("thanks") or first("praise"))
    if specific and (intent in ("complaint", "troll") or a.escalation):
        note(
            "specific_problem",
            a.term
            or a.key_phrase
            or a.brand_thing
            or first("reported")
            or first("still_broken")
            or first("complaint"),
        )
    if intent == "complaint" and (rude or over("angry", complaint_score)):
        note("angry", first("rude") or first("complaint"))
    if a.loss:
        note("customer_mistake", a.loss)
    if intent == "complaint" and detail() >= limits.get("detailed", 8.0):
        # The message already says what went wrong: no "what happened?" in reply.
        note("detailed", None)
    if thread.answers_brand and thread.complained and intent in ("other", "question"):
        # An answer to the brand's question in a support thread (not banter).
        note("answers_brand", None)
    if intent in ("other", "question") and over("sent_private", scores.get("sent_private", 0.0)):
        note("sent_private", first("sent_private"))
    if intent in ("other", "question", "praise") and over(
        "suggestion", scores.get("suggestion", 0.0)
    ):
        note("suggestion", first("suggestion"))
    if intent == "troll":
        if abusive:
            note("abuse", (first("hate") if hateful else None) or first("abuse"))
        else:
            note("rude", first("rude"))
    if intent in ("complaint", "question") and first("complaint"):
        evidence.setdefault("complaint", first("complaint") or "")

    case, action = _case_and_action(a, intent, abusive, turnaround, "request" in flags)
    if action == "escalate":
        note("escalation", a.escalation_phrase)
    private = action == "escalate" or (
        case in ("complaint", "refusal", "incident", "request") and a.needs_private
    )
    if case == "request" and a.peaks.get("request", 0.0) >= limits.get("request_action", 3.0):
        # Something to do on the customer's order, booking or account ("can I change it?"):
        # done in private, where they can say which one.
        private = True
    route, route_by, found = _route(playbook, a, intent, action, flags, evidence, first)
    if found:
        evidence["route"] = found
    return Decision(
        intent=intent,
        case=case,
        action=action,
        flags=frozenset(flags),
        evidence=evidence,
        private=private,
        route=route,
        route_by=route_by,
        tags=_tags(a, intent, action, route),
    )


# ---------------------------------------------------------------------------------------
# Routes


class _Routes(NamedTuple):
    """The playbook's ``routes``, compiled: which route takes each intent, topic and
    escalation kind ("*": the one that takes every kind no other route names)."""

    names: frozenset[str]
    default: str
    intents: dict[str, str]
    topics: dict[str, str]
    any_topic: str | None
    escalations: dict[str, str]
    any_escalation: str | None
    # The route of messages addressed to one of the playbook's support handles.
    handles: str | None


def _routes(playbook: Playbook) -> _Routes | None:
    cache = playbook._cache
    if "decide:routes" not in cache:
        spec = playbook.get("routes") or {}
        entries = {k: v or {} for k, v in spec.items() if k != "default"}
        taken: dict[str, dict[str, str]] = {"intents": {}, "topics": {}, "escalations": {}}
        for name, entry in entries.items():
            for key, found in taken.items():
                for value in entry.get(key) or ():
                    found.setdefault(str(value), name)
        cache["decide:routes"] = (
            _Routes(
                names=frozenset(entries),
                default=str(spec["default"]),
                intents=taken["intents"],
                topics={k: v for k, v in taken["topics"].items() if k != "*"},
                any_topic=taken["topics"].get("*"),
                escalations={k: v for k, v in taken["escalations"].items() if k != "*"},
                any_escalation=taken["escalations"].get("*"),
                handles=next(
                    (name for name, entry in entries.items() if entry.get("support_handles")),
                    None,
                ),
            )
            if entries and spec.get("default")
            else None
        )
    return cache["decide:routes"]


# The evidence (a decision step's, else a signal kind's phrases) that names why a message
# has its intent, by intent.
_INTENT_EVIDENCE: dict[str, tuple[str, ...]] = {
    "complaint": ("complaint", "sarcastic", "specific_problem", "customer_mistake", "rude"),
    "praise": ("turnaround", "praise", "thanks"),
    "question": ("question",),
    "joke": ("joke",),
    "troll": ("abuse", "rude"),
}


def _route(
    playbook: Playbook,
    a: Analysis,
    intent: str,
    action: str,
    flags: set[str],
    evidence: dict[str, str],
    first: Any,
) -> tuple[str | None, str, str | None]:
    """The route of a decided message, what decided it and the phrase behind that.

    In this order, the first that applies: a complaint goes to the route that takes
    complaints, whatever else it asks; an escalation to the route that takes its kind; a
    message in a thread where the customer complained stays with complaints; a route's
    phrase; a support account addressed; the intent; the topic; else the default route."""
    routes = _routes(playbook)
    if routes is None:
        return None, "default", None

    def why(keys: tuple[str, ...]) -> str | None:
        for key in keys:
            found = evidence.get(key) or first(key)
            if found:
                return str(found)
        return None

    by_intent = routes.intents.get(intent)
    if intent == "complaint" and by_intent:
        if "star_rating" in flags:
            return by_intent, "rating", evidence.get("star_rating")
        return by_intent, "complaint", why(_INTENT_EVIDENCE["complaint"]) or a.term
    if action == "escalate" and a.escalation:
        route = routes.escalations.get(a.escalation) or routes.any_escalation
        if route:
            return route, "escalation", a.escalation_phrase
    complaints = routes.intents.get("complaint")
    if complaints and a.thread.complained:
        return complaints, "thread", None
    if a.route_match in routes.names:
        return a.route_match, "phrase", a.route_phrase
    if routes.handles and a.support_handle:
        return routes.handles, "handle", a.support_handle
    if by_intent:
        return by_intent, "intent", why(_INTENT_EVIDENCE.get(intent, ()))
    if a.topic:
        route = routes.topics.get(a.topic) or routes.any_topic
        if route:
            return route, "topic", a.term
    return routes.default, "default", None


def _tags(a: Analysis, intent: str, action: str, route: str | None) -> tuple[str, ...]:
    """A message's tags, in a stable order: intent, topic, language, escalation kind,
    rating, route."""
    tags = [f"intent:{intent}"]
    if a.topic:
        tags.append(f"topic:{a.topic}")
    tags.append(f"lang:{a.language}")
    if action == "escalate" and a.escalation:
        tags.append(f"escalation:{a.escalation}")
    if a.rating is not None:
        tags.append(f"rating:{a.rating}")
    if route:
        tags.append(f"route:{route}")
    return tuple(tags)


def _telling(matches: Mapping[str, Sequence[str]], words: float) -> bool:
    """A complaint phrase of at least ``words`` words that is no insult: it tells what
    happened, whatever is said around it."""
    insults = [p.casefold() for kind in ("rude", "abuse") for p in matches.get(kind, ())]
    return any(
        len(phrase.split()) >= words
        and not any(phrase.casefold() in i or i in phrase.casefold() for i in insults)
        for phrase in matches.get("complaint", ())
    )


def _case_and_action(
    a: Analysis, intent: str, abusive: bool, turnaround: bool, request: bool = False
) -> tuple[str, str]:
    """Which reply case (template folder) and which action the decision calls for."""
    if a.escalation:
        return "escalation", "escalate"
    if intent == "troll":
        return ("troll", "moderate") if abusive else ("troll", "skip")
    if intent == "complaint":
        if a.refusal:
            return "refusal", "reply"
        return ("request", "reply") if request else ("complaint", "reply")
    if intent == "praise":
        return ("turnaround", "reply") if turnaround else ("praise", "reply")
    if intent == "question":
        if a.faq:
            return "faq", "reply"
        return ("request", "reply") if request else ("question", "reply")
    if intent == "joke":
        return "joke", "reply"
    if a.faq:
        return "faq", "reply"
    return "other", "reply"
