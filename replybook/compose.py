"""Analysis + playbook -> Draft: action, reasons, public reply, private reply, note (pure).

Templates are Jinja, rendered in a sandbox with StrictUndefined. The comment's text only
ever reaches a template as a variable, never as template source.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, NamedTuple

from .analyze import Analysis, analyze
from .decide import ACTIONS, Decision, Reason, decide
from .errors import TemplateError, UsageError
from .linter import Finding, disabled_in, lint
from .playbook import Playbook, load_playbook, text_for

if TYPE_CHECKING:
    from .store import Pattern

__all__ = ["ACTIONS", "Decision", "Draft", "Reason", "draft", "parse_time"]
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


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
        return {
            "language": self.language,
            "intent": self.intent,
            "action": self.action,
            "reasons": [{"rule": r.rule, "why": r.why} for r in self.reasons],
            "topic": self.topic,
            "public_reply": self.public_reply,
            "private_reply": self.private_reply,
            "note": self.note,
            "due": self.due,
            "channel": self.channel,
            "variant": self.variant,
            "incident": self.incident,
            "lint": [f.to_dict() for f in self.lint],
        }


# ---------------------------------------------------------------------------------------
# Jinja


def render(playbook: Playbook, name: str, context: dict[str, Any], *, lines: bool = False) -> str:
    """Render one template by name.

    Replies are one paragraph: whitespace runs collapse to single spaces (an empty line in
    the template makes a paragraph break). With ``lines`` (the note), lines are kept and
    empty ones dropped.
    """
    from jinja2 import TemplateError as JinjaError

    try:
        text = playbook.template(name).render(context)
    except JinjaError as exc:
        line = getattr(exc, "lineno", None)
        where = f"{name}:{line}" if line else name
        raise TemplateError(f"template {where}: {exc}") from None
    if lines:
        return "\n".join(line.rstrip() for line in text.strip().splitlines() if line.strip())
    return _tidy(text)


def _tidy(text: str) -> str:
    # Templates are written over several lines for reading; a reply is one paragraph,
    # except where a template asks for a line break with an empty line.
    paragraphs = _PARAGRAPH.split(text.strip())
    cleaned = [" ".join(p.split()) for p in paragraphs]
    cleaned = [_SPACE_BEFORE_MARK.sub(r"\1", p) for p in cleaned if p]
    return "\n\n".join(cleaned)


_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_SPACE_BEFORE_MARK = re.compile(r" ([,.!?;:])")  # spaces are single by then


# ---------------------------------------------------------------------------------------
# People


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
        handle = handle.strip()
        return handle if handle.startswith("@") else "@" + handle
    return None


# ---------------------------------------------------------------------------------------
# Variants


class _Picker:
    """Stable choices inside a template: ``pick(["Hi", "Hey"])`` depends only on the seed."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.calls = 0

    def __call__(self, options: Sequence[Any]) -> Any:
        if not options:
            return ""
        self.calls += 1
        mixed = zlib.crc32(f"{self.seed}:{self.calls}".encode())
        return options[mixed % len(options)]


def stable_seed(text: str) -> int:
    """A hash of the comment that ignores case and spacing, the same on every machine."""
    return zlib.crc32(" ".join(text.casefold().split()).encode("utf-8"))


# ---------------------------------------------------------------------------------------
# Deciding


_CASE_RULES: dict[str, tuple[str, ...]] = {
    "complaint": ("apologize-explain-fix", "public-first", "private-data-in-dm", "under-promise"),
    "refusal": ("two-alternatives", "apologize-explain-fix", "public-first", "private-data-in-dm"),
    "praise": ("empathy-thanks",),
    "turnaround": ("follow-up-turnaround", "empathy-thanks"),
    "faq": ("be-the-expert",),
    "question": ("honest-not-yet", "under-promise"),
    "joke": ("embrace-the-silly",),
    "other": ("respond-all",),
    "escalation": ("escalate", "public-first"),
    "incident": ("patterns", "public-first", "under-promise"),
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
) -> Draft:
    """Turn a comment into a decision and the texts that carry it out.

    Pure: the time comes in as ``received_at`` (or ``now``, which it defaults to); nothing
    is printed or read. ``analysis`` skips analysing the text again; ``pattern`` is what
    the team's memory says about it (:meth:`replybook.store.Store.observe`): a complaint
    that is part of an open incident gets the incident reply.

    Raises :class:`UsageError` for an empty comment, an unknown channel or a bad time,
    :class:`TemplateError` for a template that fails to render.
    """
    if playbook is None:
        playbook = load_playbook("default")
    if not text or not text.strip():
        raise UsageError("the comment is empty")
    channels = playbook.get("channels") or {}
    channel = channel or str(playbook.get("default_channel") or next(iter(channels)))
    if channel not in channels:
        raise UsageError(f"unknown channel {channel!r}; valid: {', '.join(sorted(channels))}")
    if variant is not None and variant < 1:
        raise UsageError("--variant must be 1 or more")
    arrived = parse_time(received_at, now)
    if analysis is None:
        analysis = analyze(text, playbook, context=context)
    if decision is None:
        decision = decide(analysis, playbook)
    return _compose(
        playbook, analysis, decision, name, handle, agent, channel, arrived, variant, pattern
    )


def _compose(
    playbook: Playbook,
    a: Analysis,
    decision: Decision,
    name: str | None,
    handle: str | None,
    agent_text: str | None,
    channel_id: str,
    arrived: datetime,
    variant: int | None,
    pattern: Pattern | None = None,
) -> Draft:
    channel_spec = dict(playbook.get("channels")[channel_id])
    channel = {
        "id": channel_id,
        "label": channel_spec.get("label") or channel_id,
        "private": channel_spec.get("private") or "a DM",
        "max_chars": int(channel_spec.get("max_chars") or 0),
        "can_hide": bool(channel_spec.get("can_hide")),
    }
    available = playbook.languages()
    lang = a.language if a.language in available else str(playbook.get("language") or "en")
    if lang not in available:
        lang = available[0]
    case, action = decision.case, decision.action
    if pattern is not None and pattern.state == "incident" and case in ("complaint", "refusal"):
        case = "incident"
    agent = resolve_agent(playbook, agent_text)
    brand = dict(playbook.get("brand") or {})
    seed = stable_seed(a.text)

    facts = _facts(playbook, a, lang)
    facts["incident"] = _incident_facts(pattern) if pattern is not None else None
    facts["meanwhile"] = None
    if pattern is not None and pattern.state == "incident":
        topic = (playbook.get("topics") or {}).get(a.topic or "") or {}
        facts["meanwhile"] = text_for(topic.get("incident"), lang) or text_for(
            playbook.get("incident"), lang
        )
    signature = _signature(playbook, agent, brand)

    context: dict[str, Any] = {
        "who": _greeting_target(name, handle),
        "name": name,
        "handle": handle,
        "agent": agent,
        "brand": brand,
        "channel": channel,
        "case": case,
        "intent": decision.intent,
        "decision": decision,
        "language": lang,
        **facts,
    }

    public = private = None
    trimmed = False
    used = 1
    total = 1
    used_templates: tuple[str, ...] = ()
    if action in ("reply", "escalate"):
        names = playbook.variants(lang, case, "public")
        if not names:
            raise TemplateError(f"no templates for {lang}/{case}/public")
        total = len(names)
        start = (variant - 1) % total if variant else seed % total
        public, used, trimmed = _fit(
            playbook,
            names,
            start,
            context,
            seed,
            signature,
            int(channel["max_chars"]),
            variant is not None,
        )
        used_templates = (names[used - 1],)
        private_names = playbook.variants(lang, case, "private")
        if private_names:
            pick = _Picker(seed)
            chosen = private_names[(start) % len(private_names)]
            body = render(playbook, chosen, {**context, "short": False, "pick": pick})
            private = _sign(body, signature, 1000)
            used_templates += (chosen,)

    reasons = _reasons(
        playbook, a, decision, case, action, facts, channel, agent, signature, used, total
    )
    if pattern is not None and pattern.state == "possible":
        reasons.append(
            Reason("patterns", _why(playbook, "patterns-possible", count=pattern.similar))
        )
    sla_key = "escalation" if action == "escalate" else decision.intent
    minutes = (playbook.get("sla_minutes") or {}).get(sla_key)
    due_at = (
        arrived + timedelta(minutes=int(minutes))
        if minutes is not None and action != "skip"
        else None
    )
    if due_at is not None:
        reasons.append(Reason("fast", _why(playbook, "fast", minutes=minutes, sla=sla_key)))
    note_context = {
        **context,
        "action": action,
        "reasons": reasons,
        "due": _iso(due_at) if due_at else None,
        "received": _iso(arrived),
        "minutes": minutes,
        "comment": " ".join(a.text.split())[:160],
        "analysis": {
            "abusive": a.abusive,
            "rude": a.rude,
            "pii": list(a.pii),
            "language": a.language,
            "escalation": a.escalation,
        },
        "drafted_language": lang,
        "signed_by_team": agent is None and action in ("reply", "escalate"),
        "escalation_contact": (playbook.get("escalation") or {}).get("contact"),
        "variant": used,
        "variants": total,
        "trimmed": trimmed,
    }
    note_names = playbook.variants(lang, "note", "internal") or playbook.variants(
        "en", "note", "internal"
    )
    if not note_names:
        raise TemplateError(f"no note template for {lang}")
    note = render(
        playbook,
        note_names[seed % len(note_names)],
        {**note_context, "pick": _Picker(seed)},
        lines=True,
    )
    return Draft(
        language=a.language,
        intent=decision.intent,
        action=action,
        reasons=tuple(reasons),
        topic=a.topic,
        public_reply=public,
        private_reply=private,
        note=note,
        due=_iso(due_at) if due_at else None,
        channel=channel_id,
        variant=used,
        analysis=a,
        case=case,
        lint=tuple(
            lint(
                public,
                playbook,
                comment=a,
                decision=decision,
                name=name,
                channel=channel_id,
                disable=disabled_in(playbook.templates[used_templates[0]]),
            )
        )
        if public
        else (),
        templates=used_templates,
        decision=decision,
        incident=pattern.incident.id if pattern is not None and pattern.incident else None,
    )


def _signature(playbook: Playbook, agent: dict[str, str] | None, brand: dict[str, Any]) -> str:
    """The rendered signature; it depends only on the agent, so it is rendered once each."""
    key = "signature:" + ("\0".join(f"{k}={v}" for k, v in sorted(agent.items())) if agent else "")
    cached = playbook._cache.get(key)
    if cached is None:
        name = f"_signature/{'agent' if agent else 'team'}.j2"
        cached = render(playbook, name, {"agent": agent, "brand": brand})
        playbook._cache[key] = cached
    return str(cached)


def _sign(body: str, signature: str, max_chars: int) -> str:
    if not signature:
        return body
    joiner = "\n" if max_chars >= 1000 and "\n" in body else " "
    return f"{body}{joiner}{signature}"


def _fit(
    playbook: Playbook,
    names: list[str],
    start: int,
    context: dict[str, Any],
    seed: int,
    signature: str,
    limit: int,
    chosen: bool,
) -> tuple[str, int, bool]:
    """The reply that fits the channel's limit: (text, variant number, trimmed).

    Variants are tried in full from ``start`` round the list, then in their short forms;
    a variant the caller chose explicitly tries its own short form before the others.
    Failing all, the shortest is cut back by whole sentences, never mid-sentence.
    """
    order = [(start + i) % len(names) for i in range(len(names))]
    attempts = [(order[0], False), (order[0], True)] if chosen else []
    attempts += [(i, short) for short in (False, True) for i in order if (i, short) not in attempts]
    candidates: list[tuple[str, int]] = []
    for index, short in attempts:
        body = render(playbook, names[index], {**context, "short": short, "pick": _Picker(seed)})
        reply = _sign(body, signature, limit)
        if not limit or len(reply) <= limit:
            return reply, index + 1, False
        candidates.append((body, index + 1))
    body, number = min(candidates, key=lambda item: len(item[0]))
    sentences = _SENTENCE_END.split(body)
    while len(sentences) > 1 and len(_sign(" ".join(sentences), signature, limit)) > limit:
        sentences.pop(-2 if len(sentences) > 2 else -1)
    return _sign(" ".join(sentences), signature, limit), number, True


def _facts(playbook: Playbook, a: Analysis, lang: str) -> dict[str, Any]:
    """What the templates say about the comment: the problem in the customer's words, the
    topic's explanation and next step, what to ask for, a refusal's alternatives, an FAQ
    answer."""
    topics = playbook.get("topics") or {}
    topic = topics.get(a.topic) if a.topic else None
    # The customer's own noun ("my blender") beats the topic's word for it.
    problem: str | None
    if a.key_phrase:
        problem = f"your {a.key_phrase}"
    elif topic and a.term:
        problem = (text_for(topic.get("mention"), lang) or "your {term}").replace("{term}", a.term)
    elif a.term:
        problem = a.term
    else:
        problem = _excerpt(a)

    def from_topic(key: str) -> str | None:
        value = text_for(topic.get(key), lang) if topic else None
        return value or text_for(playbook.get(key), lang)

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
            "request": text_for(entry.get("request"), lang) or "that",
            "reason": text_for(entry.get("reason"), lang),
            "alternatives": alternatives,
        }
    faq_answer = None
    if a.faq:
        faq_answer = text_for(((playbook.get("faq") or {}).get(a.faq) or {}).get("answer"), lang)
    return {
        "problem": problem,
        "topic": {
            "id": a.topic,
            "term": a.term,
            "explain": from_topic("explain") if topic else None,
            "next_step": from_topic("next_step") if topic else None,
        },
        "explain": text_for(topic.get("explain"), lang) if topic else None,
        "next_step": from_topic("next_step"),
        "needs": from_topic("needs"),
        "timeline": from_topic("timeline"),
        "refusal": refusal,
        "faq_answer": faq_answer,
        "escalation": a.escalation,
    }


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


def _excerpt(a: Analysis) -> str | None:
    """The customer's own words around the first complaint phrase, quoted (at most 6 words)."""
    cues = [c for c in a.matches.get("complaint", ()) if any(ch.isalpha() for ch in c)]
    if not cues:
        return None
    clean = " ".join(a.text.split())
    at = clean.lower().find(cues[0])
    if at < 0:
        return None
    start = max(clean.rfind(" ", 0, max(at - 12, 0)) + 1, 0)
    clause = re.split(r"[.!?;,]", clean[start:])[0]
    words = [w for w in clause.split() if not w.startswith(("@", "http", "#"))][:6]
    return f"“{' '.join(words)}”" if words else None


def _why(playbook: Playbook, rule: str, **fields: Any) -> str:
    template = (playbook.get("reasons") or {}).get(rule) or rule
    try:
        return str(template.format(**fields))
    except (KeyError, IndexError, ValueError):
        return str(template)


def _reasons(
    playbook: Playbook,
    a: Analysis,
    decision: Decision,
    case: str,
    action: str,
    facts: dict[str, Any],
    channel: dict[str, Any],
    agent: dict[str, str] | None,
    signature: str,
    used: int,
    total: int,
) -> list[Reason]:
    fields: dict[str, Any] = {
        "intent": decision.intent,
        "problem": facts["problem"] or "what happened",
        "private": channel["private"],
        "needs": facts["needs"] or "details",
        "timeline": facts["timeline"] or "soon",
        "faq": a.faq,
        "channel": channel["label"],
        "trigger": (a.escalation or "").replace("-", " ").capitalize(),
        "contact": (playbook.get("escalation") or {}).get("contact") or "a senior colleague",
        "signature": signature,
        "variant": used,
        "variants": total,
        "incident": (facts.get("incident") or {}).get("id"),
        "incident_count": (facts.get("incident") or {}).get("count"),
    }
    refusal = facts.get("refusal")
    if refusal:
        fields["request"] = str(refusal["request"]).capitalize()
        fields["count"] = len(refusal["alternatives"])
    if action == "moderate":
        rules: Sequence[str] = ("dont-feed-trolls", "never-delete")
    elif action == "skip":
        rules = ("dont-feed-trolls-rude",)
    else:
        rules = _CASE_RULES.get(case, ("respond-all",))
    reasons = [Reason(r.removesuffix("-rude"), _why(playbook, r, **fields)) for r in rules]
    if action in ("reply", "escalate"):
        key = "be-human" if agent else "be-human-team"
        reasons.append(Reason("be-human", _why(playbook, key, **fields)))
        if total > 1:
            reasons.append(Reason("no-canned", _why(playbook, "no-canned", **fields)))
    return reasons
