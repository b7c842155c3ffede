"""``replybook test``: a playbook checks itself (pure).

Every lint rule's examples run (each bad example must fire its rule, no good one may),
and every phrasing a draft can choose for a sample comment (each template of the case,
in every round of picks a draft tries against the team's history) is drafted from the
playbook's samples, with and without an agent and a customer name, on a long and a short
channel, and linted: what a playbook ships must lint clean at warning level or above.

A sample's key is its reply case, optionally with ``/`` and what it shows
(``complaint/sarcastic``): the draft must come out in that case.

Every language the playbook serves is checked alike: it must have a sample and templates
for every case, each sample is drafted in its language, and a draft may not pull a text
of another language (a topic's, refusal's or FAQ entry's text, or a reply text such as
the timeline, that exists in the playbook's own language but not in this one). Wildcard
prefixes so short they match unrelated words (``it*``, ``mal*``, ``بد*``) are warned about.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .compose import draft
from .detect import detect
from .errors import ReplybookError
from .linter import Rule, at_or_above, compile_rules, lint
from .phrasing import disabled_by
from .playbook import Playbook, phrases_for, text_for
from .store import Incident, Pattern

_NOW = "2026-01-05T09:00:00Z"
# The incident case needs the team's memory; the test stands in for it.
_INCIDENT = Pattern(
    "incident",
    4,
    Incident(1, "test", None, "sample", "open", "2026-01-05T08:00:00Z", "2026-01-05T08:55:00Z", 4),
)


@dataclass(frozen=True)
class Failure:
    """One thing a playbook got wrong: where (a rule or template) and what."""

    where: str
    problem: str

    def to_dict(self) -> dict[str, str]:
        return {"where": self.where, "problem": self.problem}


@dataclass(frozen=True)
class Report:
    rules: int
    examples: int
    drafts: int
    failures: tuple[Failure, ...]
    warnings: tuple[Failure, ...] = ()
    # Per rule id, the languages its examples run in (``replybook test --coverage``).
    coverage: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rules": self.rules,
            "examples": self.examples,
            "drafts": self.drafts,
            "failures": [f.to_dict() for f in self.failures],
            "warnings": [f.to_dict() for f in self.warnings],
        }
        if self.coverage:
            out["coverage"] = {rule: list(langs) for rule, langs in self.coverage}
        return out


def rule_examples(
    playbook: Playbook, rule: Rule, served: bool = True
) -> dict[str, dict[str, Any]]:
    """A rule's examples by language: its own ``bad``/``good`` are in the playbook's
    language, and ``examples.<code>`` holds another language's. With ``served``, only the
    languages the playbook answers in (the others' comments go to a person)."""
    own = str(playbook.get("language") or "en")
    found: dict[str, dict[str, Any]] = {}
    if rule.examples.get("bad") or rule.examples.get("good"):
        found[own] = rule.examples
    for code in playbook.served() if served else playbook.get("languages") or {}:
        extra = rule.examples.get(code)
        if code != own and isinstance(extra, dict):
            found[code] = extra
    return found


def check_rule_examples(playbook: Playbook, rule: Rule) -> tuple[int, list[Failure]]:
    """Run one rule's examples, each language's in that language; returns (examples run,
    failures)."""
    failures = []
    run = 0
    for lang, ex in rule_examples(playbook, rule).items():
        options: dict[str, Any] = {
            "comment": ex.get("comment"),
            "name": ex.get("name"),
            "channel": ex.get("channel"),
            "history": list(ex.get("history") or []),
            "rules": [rule],
            "lang": lang,
        }
        own = lang == str(playbook.get("language") or "en")
        where = f"rule {rule.id}" + ("" if own else f" ({lang})")
        for kind in ("bad", "good"):
            for text in ex.get(kind) or []:
                run += 1
                fired = [f for f in lint(str(text), playbook, **options) if f.rule == rule.id]
                if kind == "bad" and not fired:
                    failures.append(Failure(where, f"bad example didn't fire: {text!r}"))
                if kind == "good" and fired:
                    failures.append(
                        Failure(where, f"good example fired ({fired[0].message}): {text!r}")
                    )
    return run, failures


def check_templates(playbook: Playbook) -> tuple[int, list[Failure]]:
    """Draft every variant of every case from the samples and lint what comes out.

    Each template is drafted on a long and a short channel, with and without an agent and a
    customer name, and on the playbook's first private channel (``public: false``); the
    further variants a draft may choose against the team's history (as many as
    ``variety.candidates``) are drafted at both extremes: a short channel with an agent and
    a name, a long one with neither.
    """
    failures: list[Failure] = []
    drafts = 0
    channels = playbook.get("channels") or {}
    by_length = sorted(channels, key=lambda c: int(channels[c].get("max_chars") or 0))
    chosen = [c for c in ("x", "facebook") if c in channels] or [by_length[0], by_length[-1]]
    every = [
        (c, agent, name) for c in chosen for agent in (None, _AGENT) for name in (None, "Dana")
    ]
    # A channel that is already private (an e-mail, a chat): the replies that ask for
    # what the fix needs right there, with and without an agent and a name.
    private = next((c for c in channels if channels[c].get("public") is False), None)
    if private is not None:
        every += [(private, _AGENT, "Dana"), (private, None, None)]
    extremes = [(chosen[0], _AGENT, "Dana"), (chosen[-1], None, None)]
    rounds = max(1, int((playbook.get("variety") or {}).get("candidates", 1)))
    own = str(playbook.get("language") or "en")
    for lang in playbook.served():
        samples: list[tuple[str, Any, int | None]] = [
            (str(key), text_for(text, lang, own), None)
            for key, text in (playbook.get("samples") or {}).items()
        ]
        # A review's stars with no text: every reply must make sense without quoting.
        samples += [(f"{case}/rating-{stars}", "", stars) for case, stars in _RATINGS]
        for key, sample, rating in samples:
            case = key.split("/")[0]
            if not sample and rating is None:
                failures.append(Failure(f"{lang}/{key}", f"no {lang} sample for {key}"))
                continue
            if not playbook.variants(lang, case, "public"):
                failures.append(Failure(f"{lang}/{key}", f"no {lang} template for {case}"))
                continue
            total = len(playbook.variants(lang, case, "public")) or 1
            # Every phrasing a draft can choose: the candidates start at any template.
            for variant in range(1, total + rounds):
                # (A rating alone: at the extremes only; its words are the case's own.)
                combos = every if variant <= total and rating is None else extremes
                for channel, agent, name in combos:
                    drafts += 1
                    where = f"{lang}/{key} variant {variant} on {channel}"
                    where += f", agent {agent or '-'}, name {name or '-'}"
                    failures += _check_one(
                        playbook, sample, case, variant, channel, agent, name, where, lang, rating
                    )
    return drafts, failures


# The reply case a rating alone gets, by its stars (the thresholds of the default playbook).
_RATINGS = (("complaint", 1), ("other", 3), ("praise", 5))


def check_routes(playbook: Playbook) -> list[Failure]:
    """Each route's examples (``routes.<name>.examples``) must be routed there, each in its
    language; a served language without examples where the playbook's own has some fails."""
    from .analyze import analyze
    from .decide import decide

    own = str(playbook.get("language") or "en")
    failures: list[Failure] = []
    for name in playbook.routes():
        examples = ((playbook.get("routes") or {}).get(name) or {}).get("examples")
        if not examples:
            continue
        for lang in playbook.served():
            found = phrases_for(examples, lang)
            where = f"routes.{name}.examples"
            if not found:
                if phrases_for(examples, own):
                    failures.append(Failure(where, f"no {lang} example"))
                continue
            for text in found:
                try:
                    decision = decide(analyze(text, playbook, lang=lang), playbook)
                except ReplybookError as exc:
                    failures.append(Failure(where, f"{exc}: {text!r}"))
                    continue
                if decision.route != name:
                    by = decision.route_by
                    failures.append(
                        Failure(
                            where,
                            f"{text!r} ({lang}) is routed to {decision.route!r} (by {by})",
                        )
                    )
    return failures


# Per-language text fields a draft may use, by section.
_TEXT_FIELDS = {
    "topics": ("mention", "explain", "next_step", "needs", "clarify", "timeline", "incident"),
    "cannot_grant": ("request", "reason"),
    "faq": ("answer",),
}


def check_languages(playbook: Playbook) -> list[Failure]:
    """A served language lacking a text the playbook has in its own language: its draft
    would leave it out or, worse, pull it from another language."""
    from .playbook import LANGUAGE_TEXTS, language_text

    own = str(playbook.get("language") or "en")
    failures = []
    channels = list(playbook.get("channels") or {})
    # A channel's name is a brand's name in every language (X, Facebook) unless some
    # language gives it its own: then every served language must.
    labelled = [
        c
        for c in channels
        if any(
            c in (((spec or {}).get("texts") or {}).get("label") or {})
            for spec in (playbook.get("languages") or {}).values()
        )
    ]
    per_channel = {"private": channels, "label": labelled}
    for lang in playbook.served():
        if lang == own:
            continue
        if lang not in (playbook.get("languages") or {}):
            failures.append(Failure(f"languages.{lang}", f"no words for {lang}"))
        for section, fields in _TEXT_FIELDS.items():
            for key, entry in (playbook.get(section) or {}).items():
                for field in fields:
                    value = (entry or {}).get(field)
                    if value is None or text_for(value, own, own) is None:
                        continue
                    if text_for(value, lang, own) is None:
                        failures.append(
                            Failure(f"{section}.{key}.{field}", f"no {lang} text")
                        )
                alternatives = (entry or {}).get("alternatives") or {}
                if alternatives.get(own) and not alternatives.get(lang):
                    failures.append(Failure(f"{section}.{key}.alternatives", f"no {lang} text"))
        for key in LANGUAGE_TEXTS:
            for channel in per_channel.get(key, [None]):
                if language_text(playbook, own, key, channel) and not language_text(
                    playbook, lang, key, channel
                ):
                    where = f"languages.{lang}.texts.{key}" + (f".{channel}" if channel else "")
                    failures.append(Failure(where, f"no {lang} text"))
    return failures


def short_prefixes(playbook: Playbook) -> list[Failure]:
    """Wildcards on stems so short they match unrelated words (``it*``, ``mal*``)."""
    found: list[Failure] = []

    def visit(value: Any, where: str) -> None:
        if isinstance(value, str):
            if len(value) > 1 and value.startswith("/") and value.endswith("/"):
                return  # a raw expression: its author chose every character
            words = value.split()
            for n, word in enumerate(words):
                if n and not words[n - 1].isalpha():
                    continue  # the end of a spelt-out word ("f * ck*")
                stem = word[:-1]
                laugh = len(set(stem)) == 1  # "ههه*", "xxx*": a run of one letter
                if word.endswith("*") and stem.isalpha() and len(stem) < 4 and not laugh:
                    found.append(Failure(where, f"{word!r} matches unrelated words"))
        elif isinstance(value, dict):
            for key, sub in value.items():
                visit(sub, f"{where}.{key}")
        elif isinstance(value, list):
            for sub in value:
                visit(sub, where)

    for section in ("signals", "topics", "escalation", "cannot_grant", "faq"):
        visit(playbook.get(section), section)
    for name, entry in (playbook.get("routes") or {}).items():
        if isinstance(entry, dict):
            visit(entry.get("match"), f"routes.{name}.match")
    for rule in playbook.get("rules") or []:
        if isinstance(rule, dict):
            for param, value in rule.items():
                if param not in ("id", "extends", "message", "why", "examples", "when"):
                    visit(value, f"rules.{rule.get('id')}.{param}")
    return found


_AGENT = "Mia Koski"


def _check_one(
    playbook: Playbook,
    sample: str,
    case: str,
    variant: int,
    channel: str,
    agent: str | None,
    name: str | None,
    where: str,
    lang: str,
    rating: int | None = None,
) -> list[Failure]:
    try:
        result = draft(
            sample,
            playbook,
            lang=lang,
            rating=rating,
            name=name,
            agent=agent,
            channel=channel,
            received_at=_NOW,
            variant=variant,
            pattern=_INCIDENT if case == "incident" else None,
        )
    except ReplybookError as exc:
        return [Failure(where, str(exc))]
    if result.case != case:
        return [Failure(where, f"the sample {sample!r} is drafted as {result.case!r}")]
    if result.language != lang:
        return [Failure(where, f"the sample {sample!r} is drafted in {result.language!r}")]
    out = []
    replies = (("public", result.public_reply), ("private", result.private_reply))
    for slot, text in replies:
        # A reply that reads as another of the playbook's languages has borrowed its words.
        read_as = detect(playbook, text, guess=False).lang if text else None
        if read_as and read_as != lang and read_as in playbook.served():
            out.append(Failure(where, f"{slot} reply reads as {read_as!r}, not {lang!r}: {text!r}"))
    for (slot, text), template in zip(replies, result.templates, strict=False):
        if text is None:
            continue
        found = lint(
            text,
            playbook,
            comment=result.analysis,
            decision=result.decision,
            name=name,
            channel=channel if slot == "public" else None,
            slot=slot,
            disable=disabled_by(playbook, template),
            lang=lang,
        )
        for finding in at_or_above(found, "warning"):
            out.append(
                Failure(where, f"{slot} reply: {finding.rule}: {finding.message} in {text!r}")
            )
    return out


def run(playbook: Playbook) -> Report:
    """Check a playbook's rules and templates."""
    failures: list[Failure] = []
    examples = 0
    rules = compile_rules(playbook)
    for rule in rules:
        count, found = check_rule_examples(playbook, rule)
        examples += count
        failures += found
    drafts, found = check_templates(playbook)
    failures += found
    failures += check_languages(playbook)
    failures += check_routes(playbook)
    coverage = tuple((rule.id, tuple(rule_examples(playbook, rule, False))) for rule in rules)
    return Report(
        rules=len(rules),
        examples=examples,
        drafts=drafts,
        failures=tuple(failures),
        warnings=tuple(short_prefixes(playbook)),
        coverage=coverage,
    )
