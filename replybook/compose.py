"""Decision + playbook -> Draft: public reply, private reply, note (pure).

The decision (:mod:`replybook.decide`) says what to do; this step says it, in the
language's templates. A draft is built in parts, each by one function:

- the channel's facts (:func:`_channel`);
- the people: who is greeted, who signs (:func:`_people`);
- what the reply says about the problem: its name (:mod:`replybook.naming`), the topic's
  explanation, next step, clarifying question and what to ask for in private, a refusal's
  alternatives, an FAQ answer, the SLA (:func:`_about`);
- the phrasing: a variant picked by the comment's hash and fitted to the channel, or,
  with the team's recent replies, the candidate least like them (:func:`_phrase`);
- the reasons, each naming what in the message decided it (:func:`_reasons`);
- the internal note (:func:`_note`).

Templates are Jinja, rendered in a sandbox with StrictUndefined. The comment's text only
ever reaches a template as a variable, never as template source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, NamedTuple

from .analyze import Analysis, analyze
from .decide import ACTIONS, Decision, Reason, decide
from .errors import TemplateError, UsageError
from .linter import Finding, lint
from .naming import Naming, clean_characters, name_problem
from .phrasing import (
    Picker,
    directed,
    disabled_by,
    first_variant,
    fit,
    least_similar,
    render,
    sign,
    stable_seed,
    template_globals,
)
from .playbook import (
    LANGUAGE_TEXTS,
    Playbook,
    is_public,
    language_text,
    load_playbook,
    text_for,
)

if TYPE_CHECKING:
    from .store import Pattern

__all__ = ["ACTIONS", "Decision", "Draft", "Reason", "draft", "parse_time", "stable_seed"]

# How many phrasings a draft tries against the team's recent replies, unless the
# playbook's `variety: {candidates: N}` says otherwise.
_CANDIDATES = 8


class Draft(NamedTuple):
    """A decision on a comment and the texts that carry it out."""

    language: str
    intent: str
    action: str
    reasons: tuple[Reason, ...]
    topic: str | None
    public_reply: str | None
    private_reply: str | None
    note: str
    due: str | None
    channel: str
    variant: int
    analysis: Analysis
    case: str = ""
    lint: tuple[Finding, ...] = ()
    incident: int | None = None
    decision: Decision | None = None
    # The templates that rendered the public and private replies (not in the JSON).
    templates: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape (README: "JSON output of draft")."""
        decision = self.decision
        return {
            "language": self.language,
            "intent": self.intent,
            "case": self.case,
            "action": self.action,
            "flags": sorted(decision.flags) if decision else [],
            "evidence": dict(sorted(decision.evidence.items())) if decision else {},
            "reasons": [{"rule": r.rule, "why": r.why} for r in self.reasons],
            "topic": self.topic,
            "route": decision.route if decision else None,
            "tags": list(decision.tags) if decision else [],
            "public_reply": self.public_reply,
            "private_reply": self.private_reply,
            "note": self.note,
            "due": self.due,
            "channel": self.channel,
            "variant": self.variant,
            "incident": self.incident,
            "lint": [f.to_dict() for f in self.lint],
        }


def parse_time(
    value: datetime | str | None, now: datetime | None, what: str = "--received-at"
) -> datetime:
    """An arrival time from an ISO 8601 string or datetime (naive means UTC), else ``now``."""
    if value is None:
        if now is None:
            raise UsageError("no time given: pass received_at or now")
        value = now
    if not isinstance(value, (str, datetime)):
        raise UsageError(f"{what}: expected an ISO 8601 time as text, got {value!r}")
    if isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise UsageError(
                f"{what}: {value!r} is not an ISO 8601 time (e.g. 2026-11-23T09:30:00Z)"
            ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value


def _iso(moment: datetime) -> str:
    text = moment.isoformat(timespec="seconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def draft(
    text: str,
    playbook: Playbook | None = None,
    *,
    name: str | None = None,
    handle: str | None = None,
    agent: str | None = None,
    channel: str | None = None,
    received_at: datetime | str | None = None,
    now: datetime | None = None,
    variant: int | None = None,
    analysis: Analysis | None = None,
    pattern: Pattern | None = None,
    context: Sequence[Any] | None = None,
    decision: Decision | None = None,
    history: Sequence[str] = (),
    lang: str | None = None,
    rating: int | None = None,
) -> Draft:
    """Turn a comment into a decision and the texts that carry it out.

    Pure: the time comes in as ``received_at`` (or ``now``, which it defaults to); nothing
    is printed or read. ``analysis`` and ``decision`` skip analysing and deciding again;
    ``context`` is the thread before the comment (oldest first, ``{"role", "text"}``);
    ``pattern`` is what the team's memory says about it (:meth:`replybook.store.Store.observe`):
    a complaint that is part of an open incident gets the incident reply. ``history`` is
    the team's recent replies for the playbook: the draft tries several phrasings and
    keeps the one least like them (``variant`` chooses one instead). ``lang`` is the
    comment's language when known (else detected). ``rating`` is a review's stars (1-5):
    with one, the text may be empty (a rating alone is a review to answer).

    Raises :class:`UsageError` for an empty comment without a rating, a rating that isn't
    a whole number from 1 to 5, an unknown channel or a bad time, :class:`TemplateError`
    for a template that fails to render.
    """
    if playbook is None:
        playbook = load_playbook("default")
    if analysis is not None and rating is None:
        rating = analysis.rating
    if (not text or not text.strip()) and rating is None:
        raise UsageError("the comment is empty")
    channels = playbook.get("channels") or {}
    channel = channel or str(playbook.get("default_channel") or next(iter(channels)))
    if channel not in channels:
        raise UsageError(f"unknown channel {channel!r}; valid: {', '.join(sorted(channels))}")
    if variant is not None and variant < 1:
        raise UsageError("--variant must be 1 or more")
    arrived = parse_time(received_at, now)
    if analysis is None:
        analysis = analyze(text or "", playbook, context=context, lang=lang, rating=rating)
    if decision is None:
        decision = decide(analysis, playbook)
    return _compose(
        playbook,
        analysis,
        decision,
        _Request(name, handle, agent, channel, arrived, variant, pattern, tuple(history)),
    )


class _Request:
    __slots__ = ("name", "handle", "agent", "channel", "arrived", "variant", "pattern", "history")

    def __init__(
        self,
        name: str | None,
        handle: str | None,
        agent: str | None,
        channel: str,
        arrived: datetime,
        variant: int | None,
        pattern: Pattern | None,
        history: tuple[str, ...],
    ) -> None:
        self.name = name
        self.handle = handle
        self.agent = agent
        self.channel = channel
        self.arrived = arrived
        self.variant = variant
        self.pattern = pattern
        self.history = history


def _sla_key(playbook: Playbook, decision: Decision) -> str:
    """Which of the playbook's ``sla_minutes`` a decision is due by."""
    action = decision.action
    if action == "escalate":
        return "escalation"
    sla = playbook.get("sla_minutes") or {}
    return action if action == "review" and action in sla else decision.intent


def sla_minutes(playbook: Playbook, decision: Decision) -> int | None:
    """Minutes the playbook gives for a first reply to a comment so decided (None: no
    reply is due, as for a comment skipped)."""
    minutes = (playbook.get("sla_minutes") or {}).get(_sla_key(playbook, decision))
    return int(minutes) if minutes is not None and decision.action != "skip" else None


def _compose(playbook: Playbook, a: Analysis, decision: Decision, request: _Request) -> Draft:
    pattern = request.pattern
    lang = _reply_language(playbook, a)
    case, action = decision.case, decision.action
    if pattern is not None and pattern.state == "incident" and case in ("complaint", "refusal"):
        case = "incident"
    channel = _channel(playbook, request.channel, lang)
    people = _people(playbook, request.name, request.handle, request.agent, lang)
    sla_key = _sla_key(playbook, decision)
    minutes = (playbook.get("sla_minutes") or {}).get(sla_key)
    due_at = (
        request.arrived + timedelta(minutes=int(minutes))
        if minutes is not None and action != "skip"
        else None
    )
    due = _iso(due_at) if due_at else None
    about = _about(playbook, a, decision, lang, pattern)
    # A review with stars and no words of its own: the reply quotes nothing and says so.
    rating_only = a.rating is not None and not _LETTERS.search(a.text)
    context: dict[str, Any] = {
        **_globals(playbook),
        **people.context,
        "brand": people.brand,
        "channel": channel,
        "case": case,
        "intent": decision.intent,
        "language": lang,
        "flags": decision.flags,
        "evidence": decision.evidence,
        # Move to private: only from a public channel. On a private one (an e-mail, a chat,
        # a DM) the reply is the private conversation and asks for what the fix needs.
        "private": decision.private and channel["public"],
        "ask_needs": decision.private and not channel["public"],
        "sla": playbook.get("sla_minutes") or {},
        "minutes": minutes,
        "same_day": due_at is not None and due_at.date() == request.arrived.date(),
        # How a right-to-left reply keeps links, handles, numbers and names whole.
        "bidi": _bidi(playbook, lang, channel),
        "rating": a.rating,
        "rating_only": rating_only,
        **about.facts,
    }
    # Every rating alone reads the same: who wrote it and the stars pick its phrasing.
    seed = stable_seed(
        f"\x00{a.rating}\x00{request.name or ''}\x00{request.handle or ''}\x00{a.text}"
        if rating_only
        else a.text
    )
    phrased = _phrase(playbook, lang, case, action, context, people.signature, seed, request)
    reasons = _reasons(
        playbook,
        a,
        decision,
        case,
        action,
        about,
        channel,
        people,
        phrased,
        minutes,
        sla_key,
        request.variant,
    )
    note = _note(
        playbook,
        lang,
        a,
        context,
        action=action,
        reasons=reasons,
        arrived=request.arrived,
        due=due,
        signed_by_team=people.agent is None and action in ("reply", "escalate"),
        phrased=phrased,
        seed=seed,
        route=_route_facts(playbook, a, decision),
    )
    findings: tuple[Finding, ...] = ()
    if phrased.public:
        findings = tuple(
            lint(
                phrased.public,
                playbook,
                comment=a,
                decision=decision,
                name=request.name,
                channel=request.channel,
                # No history here: the phrasing was already chosen against it, and the
                # no-canned reason says how close the chosen one is.
                disable=disabled_by(playbook, phrased.templates[0]),
                lang=lang,
            )
        )
    return Draft(
        language=lang if action != "review" else a.language,
        intent=decision.intent,
        action=action,
        reasons=tuple(reasons),
        topic=a.topic,
        public_reply=phrased.public,
        private_reply=phrased.private,
        note=note,
        due=due,
        channel=request.channel,
        variant=phrased.variant,
        analysis=a,
        case=case,
        lint=findings,
        templates=phrased.templates,
        decision=decision,
        incident=pattern.incident.id if pattern is not None and pattern.incident else None,
    )


_LETTERS = re.compile(r"[^\W\d_]")


def _globals(playbook: Playbook) -> dict[str, Any]:
    found = playbook._cache.get("compose:globals")
    if found is None:
        found = playbook._cache["compose:globals"] = template_globals(playbook)
    return found


def _reply_language(playbook: Playbook, a: Analysis) -> str:
    """The comment's language if the playbook serves it, else its own (a comment in a
    language it doesn't serve is given to a person, never answered in another)."""
    found = playbook._cache.get(("compose:language", a.language))
    if found is None:
        available = playbook.languages()
        served = playbook.served()
        lang = a.language if a.language in served else str(playbook.get("language") or "en")
        found = lang if lang in available else available[0]
        playbook._cache[("compose:language", a.language)] = found
    return str(found)


# ---------------------------------------------------------------------------------------
# The channel


def _bidi(playbook: Playbook, lang: str, channel: dict[str, Any]) -> str | None:
    """For a right-to-left language (``languages.<code>.direction: rtl``), the channel's
    way of keeping left-to-right runs whole (``bidi``: isolates, marks or none)."""
    spec = (playbook.get("languages") or {}).get(lang) or {}
    if str(spec.get("direction") or "ltr") != "rtl":
        return None
    return str(channel.get("bidi") or "isolates")


def _channel(playbook: Playbook, channel_id: str, lang: str) -> dict[str, Any]:
    """What templates know of a channel: its label (in the note's language), limit, whether
    it is public, how to move private (in the reply's language)."""
    key = ("compose:channel", channel_id, lang)
    found = playbook._cache.get(key)
    if found is None:
        spec = dict(playbook.get("channels")[channel_id])
        own = str(playbook.get("language") or "en")
        found = playbook._cache[key] = {
            "id": channel_id,
            "label": language_text(playbook, own, "label", channel_id)
            or spec.get("label")
            or channel_id,
            "public": is_public(playbook, channel_id),
            "private": language_text(playbook, lang, "private", channel_id) or "",
            "max_chars": int(spec.get("max_chars") or 0),
            "can_hide": bool(spec.get("can_hide")),
            "bidi": spec.get("bidi") or "isolates",
            "mark_weight": int(spec.get("mark_weight") or 1),
        }
    return dict(found)


# ---------------------------------------------------------------------------------------
# People


class _People:
    __slots__ = ("context", "agent", "brand", "signature")

    def __init__(
        self,
        context: dict[str, Any],
        agent: dict[str, str] | None,
        brand: dict[str, Any],
        signature: str,
    ) -> None:
        self.context = context  # who, name, handle, agent
        self.agent = agent
        self.brand = brand
        self.signature = signature


def _people(
    playbook: Playbook, name: str | None, handle: str | None, agent_text: str | None, lang: str
) -> _People:
    """Who the reply greets and who signs it. A name or handle given from outside is
    shown without control or invisible characters."""
    name = clean_characters(name) if name else name
    handle = clean_characters(handle) if handle else handle
    # Who signs depends only on the agent given: resolved and signed once per agent.
    key = ("compose:agent", agent_text, lang)
    signer = playbook._cache.get(key)
    if signer is None:
        agent = resolve_agent(playbook, clean_characters(agent_text) if agent_text else None)
        brand = dict(playbook.get("brand") or {})
        brand["team"] = language_text(playbook, lang, "team") or ""
        signature = _signature(playbook, agent, brand, lang)
        signer = playbook._cache[key] = (agent, brand, signature)
    agent, brand, signature = signer
    return _People(
        context={
            "who": _greeting_target(name, handle),
            "name": name,
            "handle": handle,
            "agent": agent,
        },
        agent=agent,
        brand=brand,
        signature=signature,
    )


def _initials(name: str) -> str:
    parts = [p for p in re.split(r"[\s-]+", name.strip()) if p]
    return "".join(p[0].upper() for p in parts[:3])


def resolve_agent(playbook: Playbook, agent: str | None) -> dict[str, str] | None:
    """An agent by playbook key or name; any other text is taken as the agent's name."""
    if not agent or not agent.strip():
        return None
    agent = agent.strip()
    agents = playbook.get("agents") or {}
    entry = agents.get(agent)
    if entry is None:
        entry = next(
            (a for a in agents.values() if str(a.get("name", "")).casefold() == agent.casefold()),
            None,
        )
    name = str(entry["name"]) if entry else agent
    initials = str(entry.get("initials") or _initials(name)) if entry else _initials(name)
    return {"name": name, "first": name.split()[0], "initials": initials}


def _greeting_target(name: str | None, handle: str | None) -> str | None:
    if name and name.strip():
        return name.strip().split()[0]
    if handle and handle.strip():
        handle = handle.strip().split()[0]
        return handle if handle.startswith("@") else "@" + handle
    return None


def _signature(
    playbook: Playbook, agent: dict[str, str] | None, brand: dict[str, Any], lang: str
) -> str:
    """The rendered signature, in the language's customary form ("Terveisin Pyry") where
    the language has its own; it depends only on the agent and the language, so it is
    rendered once each."""
    who = "\0".join(f"{k}={v}" for k, v in sorted(agent.items())) if agent else ""
    key = ("signature", who, lang)
    cached = playbook._cache.get(key)
    if cached is None:
        kind = "agent" if agent else "team"
        name = f"_signature/{lang}/{kind}.j2"
        if name not in playbook.templates:
            name = f"_signature/{kind}.j2"
        cached = render(playbook, name, {**_globals(playbook), "agent": agent, "brand": brand})
        playbook._cache[key] = cached
    return str(cached)


# ---------------------------------------------------------------------------------------
# What the reply says about the problem


class _About:
    __slots__ = ("facts", "naming")

    def __init__(self, facts: dict[str, Any], naming: Naming) -> None:
        self.facts = facts  # the template variables
        self.naming = naming


def _about(
    playbook: Playbook, a: Analysis, decision: Decision, lang: str, pattern: Pattern | None
) -> _About:
    """What the templates say about the comment: the problem's name, the topic's
    explanation, next step and clarifying question, what to ask for in private, a
    refusal's alternatives, an FAQ answer, an incident and what to do meanwhile."""
    topics = playbook.get("topics") or {}
    topic = topics.get(a.topic) if a.topic else None
    naming = name_problem(playbook, a, lang)
    own = str(playbook.get("language") or "en")

    def from_topic(key: str) -> str | None:
        value = text_for(topic.get(key), lang, own) if topic else None
        if value or key not in LANGUAGE_TEXTS:
            return value or text_for(playbook.get(key), lang, own)
        return language_text(playbook, lang, key)

    refusal = None
    if a.refusal:
        entry = (playbook.get("cannot_grant") or {}).get(a.refusal) or {}
        alternatives = list((entry.get("alternatives") or {}).get(lang) or [])
        if topic:
            alternatives += [
                x
                for x in (topic.get("alternatives") or {}).get(lang) or []
                if x not in alternatives
            ]
        refusal = {
            "id": a.refusal,
            "request": text_for(entry.get("request"), lang, own),
            "reason": text_for(entry.get("reason"), lang, own),
            "alternatives": alternatives,
        }
    faq_answer = None
    if a.faq:
        entry = (playbook.get("faq") or {}).get(a.faq) or {}
        faq_answer = text_for(entry.get("answer"), lang, own)
    meanwhile = None
    if pattern is not None and pattern.state == "incident":
        meanwhile = from_topic("incident")
    facts = {
        "problem": naming.text,
        "topic": {
            "id": a.topic,
            "term": a.term,
            "explain": text_for(topic.get("explain"), lang, own) if topic else None,
            "next_step": from_topic("next_step") if topic else None,
        },
        "explain": text_for(topic.get("explain"), lang, own) if topic else None,
        "next_step": from_topic("next_step"),
        # A request asks for what its topic needs, else for what is to be done.
        "needs": (
            (text_for(topic.get("needs"), lang, own) if topic else None)
            or from_topic("request_needs")
            if decision.case == "request"
            else from_topic("needs")
        ),
        "clarify": from_topic("clarify"),
        "timeline": from_topic("timeline"),
        "refusal": refusal,
        "faq_answer": faq_answer,
        "escalation": a.escalation,
        "incident": _incident_facts(pattern) if pattern is not None else None,
        "meanwhile": meanwhile,
    }
    return _About(facts, naming)


def _incident_facts(pattern: Pattern) -> dict[str, Any]:
    incident = pattern.incident
    return {
        "state": pattern.state,
        "similar": pattern.similar,
        "id": incident.id if incident else None,
        "label": incident.label if incident else None,
        "count": incident.count if incident else pattern.similar,
        "first_seen": incident.first_seen if incident else None,
    }


# ---------------------------------------------------------------------------------------
# Phrasing


class _Phrased:
    __slots__ = (
        "public",
        "private",
        "variant",
        "variants",
        "templates",
        "trimmed",
        "tried",
        "closest",
    )

    def __init__(
        self,
        public: str | None,
        private: str | None,
        variant: int,
        variants: int,
        templates: tuple[str, ...],
        trimmed: bool,
        tried: int,
        closest: float,
    ) -> None:
        self.public = public
        self.private = private
        self.variant = variant
        self.variants = variants  # templates of the public slot
        self.templates = templates
        self.trimmed = trimmed
        self.tried = tried  # candidates tried against the history (0: picked by the hash alone)
        self.closest = closest  # the chosen reply's highest similarity to the history


_NOTHING = _Phrased(None, None, 1, 1, (), False, 0, 0.0)


def _phrase(
    playbook: Playbook,
    lang: str,
    case: str,
    action: str,
    context: dict[str, Any],
    signature: str,
    seed: int,
    request: _Request,
) -> _Phrased:
    """The public and private replies. The variant is the one asked for, else, with the
    team's recent replies, the least like them of the playbook's number of candidates,
    else the one the comment's hash picks."""
    if action not in ("reply", "escalate"):
        return _NOTHING
    names = playbook.variants(lang, case, "public")
    if not names:
        raise TemplateError(f"no templates for {lang}/{case}/public")
    total = len(names)
    limit = int(context["channel"]["max_chars"])
    history = request.history
    if request.variant is not None:
        fitted = fit(playbook, names, request.variant, seed, context, signature, limit, chosen=True)
        tried, closest = 0, 0.0
    else:
        # Candidates are the variants from the one the hash picks: only with a history to
        # compare them with is there more than one.
        first = first_variant(total, seed)
        count = _candidates(playbook) if history else 1
        options = [
            fit(playbook, names, first + k, seed, context, signature, limit) for k in range(count)
        ]
        best, closest = least_similar([o.text for o in options], history) if history else (0, 0.0)
        fitted = options[best]
        tried = count if history else 0
    chosen = fitted.variant
    used: tuple[str, ...] = (names[chosen.template],)
    private = None
    private_names = playbook.variants(lang, case, "private") if context["private"] else []
    if private_names:
        picked = private_names[chosen.template % len(private_names)]
        body = render(playbook, picked, {**context, "short": False, "pick": Picker(chosen.seed)})
        private = directed(sign(body, signature, 1000), context.get("bidi"))
        used += (picked,)
    return _Phrased(
        fitted.text, private, chosen.number, total, used, fitted.trimmed, tried, closest
    )


def _candidates(playbook: Playbook) -> int:
    value = (playbook.get("variety") or {}).get("candidates", _CANDIDATES)
    return max(1, int(value))


# ---------------------------------------------------------------------------------------
# Reasons


# The evidence a reason names, by the reason's key in the playbook's `reasons:`: the
# decision's evidence first, then the phrases the analysis found for a signal kind.
_NAMES: dict[str, tuple[str, ...]] = {
    "apologize-explain-fix": (
        "complaint",
        "sarcastic",
        "customer_mistake",
        "follow_up",
        "specific_problem",
    ),
    "empathy-thanks": ("praise", "thanks"),
    "empathy-thanks/mixed": ("mixed",),
    "follow-up-turnaround": ("turnaround",),
    "honest-not-yet": ("question",),
    "be-the-expert": ("question",),
    "be-the-expert/request": ("request",),
    "embrace-the-silly": ("joke",),
    "dont-feed-trolls": ("abuse",),
    "dont-feed-trolls/rude": ("rude",),
    "escalate": ("escalation",),
    "never-argue/sarcastic": ("sarcastic",),
    "never-argue/angry": ("angry",),
    "embrace-the-silly/mistake": ("customer_mistake",),
    "apologize-explain-fix/follow-up": ("follow_up",),
    "respond-all/sent-private": ("sent_private",),
    "empathy-thanks/suggestion": ("suggestion",),
    "accurate-relevant/rating": ("rating_mismatch",),
    **{
        f"route/{by}": ("route",)
        for by in (
            *("complaint", "rating", "escalation", "thread", "phrase", "handle", "intent"),
            *("topic", "default"),
        )
    },
}

# The case reason a review's stars stand in for, when they decided the intent.
_RATED = {
    "apologize-explain-fix": "apologize-explain-fix/rating",
    "empathy-thanks": "empathy-thanks/rating",
    "respond-all": "respond-all/rating",
}

_CASE_REASONS: dict[str, tuple[str, ...]] = {
    "complaint": ("apologize-explain-fix",),
    "refusal": ("two-alternatives", "apologize-explain-fix"),
    "praise": ("empathy-thanks",),
    "turnaround": ("follow-up-turnaround", "empathy-thanks"),
    "faq": ("be-the-expert",),
    "question": ("honest-not-yet",),
    "request": ("be-the-expert/request",),
    "joke": ("embrace-the-silly",),
    "other": ("respond-all",),
    "escalation": ("escalate",),
    "incident": ("patterns", "apologize-explain-fix"),
}

# Flags that change what a reply says, and the reason that says how.
_FLAG_REASONS: tuple[tuple[str, str], ...] = (
    ("sarcastic", "never-argue/sarcastic"),
    ("mixed", "empathy-thanks/mixed"),
    ("angry", "never-argue/angry"),
    ("customer_mistake", "embrace-the-silly/mistake"),
    ("follow_up", "apologize-explain-fix/follow-up"),
    ("continues", "apologize-explain-fix/continues"),
    ("detailed", "apologize-explain-fix/detailed"),
    ("answers_brand", "respond-all/answers"),
    ("sent_private", "respond-all/sent-private"),
    ("suggestion", "empathy-thanks/suggestion"),
)


def _why(playbook: Playbook, key: str, fields: dict[str, Any]) -> str:
    """A reason's sentence from the playbook's ``reasons:``, with its fields. A field that
    is missing (nothing was found for it) uses the key's ``/plain`` sentence instead."""
    texts = playbook.get("reasons") or {}
    for option in (key, key + "/plain"):
        template = texts.get(option)
        if template is None:
            continue
        try:
            return str(template).format_map(fields)
        except (KeyError, IndexError, ValueError):
            continue
    return str(texts.get(key) or key)


def _reasons(
    playbook: Playbook,
    a: Analysis,
    decision: Decision,
    case: str,
    action: str,
    about: _About,
    channel: dict[str, Any],
    people: _People,
    phrased: _Phrased,
    minutes: Any,
    sla_key: str,
    variant: int | None = None,
) -> list[Reason]:
    facts = about.facts
    incident = facts.get("incident") or {}
    fields: dict[str, Any] = {
        "intent": decision.intent,
        "case": case,
        "private": channel["private"],
        "channel": channel["label"],
        "trigger": (a.escalation or "").replace("-", " "),
        "contact": (playbook.get("escalation") or {}).get("contact"),
        "signature": people.signature,
        "variant": phrased.variant,
        "variants": phrased.variants,
        "candidates": phrased.tried,
        "closest": round(phrased.closest),
        "minutes": minutes,
        "sla": sla_key,
        "faq": a.faq,
        "incident": incident.get("id"),
        "incident_count": incident.get("count"),
        "similar": incident.get("similar"),
        "problem": about.naming.text,
        "term": a.term,
        "topic": a.topic,
        "needs": facts["needs"],
        "timeline": facts["timeline"],
        "rating": a.rating,
        "route": decision.route,
    }
    refusal = facts.get("refusal")
    if refusal:
        fields["request"] = refusal["request"]
        fields["count"] = len(refusal["alternatives"])
    fields = {k: v for k, v in fields.items() if v is not None and v != ""}

    def why(key: str) -> Reason:
        found = _evidence(decision, a, _NAMES.get(key, ()))
        if found:
            fields["found"] = clean_characters(found, " ")
        else:
            fields.pop("found", None)
        return Reason(key.split("/")[0], _why(playbook, key, fields))

    if action == "review":
        fields["language"] = a.language
        keys: Sequence[str] = ("review",)
    elif action == "moderate":
        keys = ("dont-feed-trolls", "never-delete")
    elif action == "skip":
        keys = ("dont-feed-trolls/rude",)
    else:
        keys = _CASE_REASONS.get(case, ("respond-all",))
        if "star_rating" in decision.flags or (case == "other" and a.rating is not None):
            keys = tuple(_RATED.get(key, key) for key in keys)
    reasons = [why(key) for key in keys]
    if "rating_mismatch" in decision.flags:
        reasons.append(why("accurate-relevant/rating"))
    if decision.route:
        reasons.append(why(f"route/{decision.route_by}"))
    if action in ("reply", "escalate"):
        reasons += _reply_reasons(
            why, variant, decision, case, about, people, phrased, bool(channel["public"])
        )
    if incident.get("state") == "possible":
        reasons.append(why("patterns/possible"))
    if minutes is not None and action != "skip":
        reasons.append(why("fast"))
    return reasons


def _reply_reasons(
    why: Any,
    request_variant: int | None,
    decision: Decision,
    case: str,
    about: _About,
    people: _People,
    phrased: _Phrased,
    public: bool = True,
) -> list[Reason]:
    """Why the reply says what it says: the flags that shaped it, how it names the
    problem, public or private (on a private channel, that the conversation already is),
    the signature and the phrasing."""
    facts = about.facts
    reasons: list[Reason] = []
    asks_here = decision.private and not public
    # "detailed" only changes a public complaint reply with no question of its own to ask.
    asks = case != "complaint" or decision.private or bool(facts["clarify"])
    skip = {"detailed"} if asks or "follow_up" in decision.flags else set()
    reasons += [
        why(key) for flag, key in _FLAG_REASONS if flag in decision.flags and flag not in skip
    ]
    if case in ("complaint", "refusal", "incident"):
        source = about.naming.source or "none"
        reasons.append(why(f"accurate-relevant/{source}"))
        if not public:
            reasons.append(why("public-first/in-private"))
        else:
            reasons.append(
                why("public-first/private" if decision.private else "public-first/public")
            )
        if phrased.private:
            reasons.append(why("private-data-in-dm"))
        elif asks_here:
            reasons.append(why("private-data-in-dm/in-private"))
    elif case == "request":
        if not public:
            reasons.append(why("public-first/in-private"))
        else:
            key = "public-first/request" if decision.private else "public-first/request-public"
            reasons.append(why(key))
        if phrased.private:
            reasons.append(why("private-data-in-dm"))
        elif asks_here:
            reasons.append(why("private-data-in-dm/in-private"))
    elif case == "escalation":
        reasons.append(
            why("public-first/escalation" if public else "public-first/escalation/in-private")
        )
    if (phrased.private or asks_here) and facts["timeline"]:
        reasons.append(why("under-promise"))
    reasons.append(why("be-human" if people.agent else "be-human/team"))
    if request_variant:
        reasons.append(why("no-canned/chosen"))
    elif phrased.tried:
        reasons.append(why("no-canned/history"))
    else:
        reasons.append(why("no-canned"))
    return reasons


def _evidence(decision: Decision, a: Analysis, keys: Sequence[str]) -> str | None:
    for key in keys:
        found = decision.evidence.get(key)
        if found:
            return found
    for key in keys:
        phrases = a.matches.get(key)
        if phrases:
            return phrases[0]
    return None


# ---------------------------------------------------------------------------------------
# The note


def _route_facts(playbook: Playbook, a: Analysis, decision: Decision) -> dict[str, Any] | None:
    """What the note says of the route: its id, its name in the playbook's own language
    (the note's), what decided it (``by``) and the phrase behind that (``found``)."""
    if not decision.route:
        return None
    own = str(playbook.get("language") or "en")
    entry = (playbook.get("routes") or {}).get(decision.route) or {}
    found = decision.evidence.get("route")
    return {
        "id": decision.route,
        "label": text_for(entry.get("label"), own, own) or decision.route,
        "by": decision.route_by,
        "found": clean_characters(found, " ") if found else None,
        "escalation": a.escalation,
        "topic": a.topic,
    }


def _note(
    playbook: Playbook,
    lang: str,
    a: Analysis,
    context: dict[str, Any],
    *,
    action: str,
    reasons: list[Reason],
    arrived: datetime,
    due: str | None,
    signed_by_team: bool,
    phrased: _Phrased,
    seed: int,
    route: dict[str, Any] | None = None,
) -> str:
    """The internal note: the decision, when it is due, where it was routed and why, what
    to do beyond replying, and the reasons."""
    note_context = {
        **context,
        "route": route,
        "action": action,
        # Plain mappings: a template reads their keys without the sandbox's checks.
        "reasons": [{"rule": r.rule, "why": r.why} for r in reasons],
        "due": due,
        "received": _iso(arrived),
        "comment": clean_characters(" ".join(a.text.split()), " ")[:160],
        "analysis": {
            "abusive": a.abusive,
            "rude": a.rude,
            "pii": list(a.pii),
            "language": a.language,
            "escalation": a.escalation,
        },
        "drafted_language": lang,
        "signed_by_team": signed_by_team,
        "escalation_contact": (playbook.get("escalation") or {}).get("contact"),
        "variant": phrased.variant,
        "variants": phrased.variants,
        "trimmed": phrased.trimmed,
        "pick": Picker(seed),
    }
    # The note is for the team: it is in the playbook's own language, whatever the reply's.
    own = str(playbook.get("language") or "en")
    names = playbook.variants(own, "note", "internal")
    if not names:
        raise TemplateError(f"no note template for {own}")
    return render(playbook, names[seed % len(names)], note_context, lines=True)
