"""``replybook test``: a playbook checks itself (pure).

Every lint rule's examples run (each bad example must fire its rule, no good one may),
and every phrasing a draft can choose for a sample comment (each template of the case,
in every round of picks a draft tries against the team's history) is drafted from the
playbook's samples, with and without an agent and a customer name, on a long and a short
channel, and linted: what a playbook ships must lint clean at warning level or above.

A sample's key is its reply case, optionally with ``/`` and what it shows
(``complaint/sarcastic``): the draft must come out in that case.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .compose import draft
from .errors import ReplybookError
from .linter import Rule, at_or_above, compile_rules, lint
from .phrasing import disabled_by
from .playbook import Playbook, text_for
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "rules": self.rules,
            "examples": self.examples,
            "drafts": self.drafts,
            "failures": [f.to_dict() for f in self.failures],
        }


def rule_examples(playbook: Playbook, rule: Rule) -> dict[str, dict[str, Any]]:
    """A rule's examples by language: its own ``bad``/``good`` are in the playbook's
    language, and ``examples.<code>`` holds another language's."""
    own = str(playbook.get("language") or "en")
    found: dict[str, dict[str, Any]] = {}
    if rule.examples.get("bad") or rule.examples.get("good"):
        found[own] = rule.examples
    for code in playbook.get("languages") or {}:
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
    customer name; the further variants a draft may choose against the team's history (as
    many as ``variety.candidates``) are drafted at both extremes: a short channel with an
    agent and a name, a long one with neither.
    """
    failures: list[Failure] = []
    drafts = 0
    channels = playbook.get("channels") or {}
    by_length = sorted(channels, key=lambda c: int(channels[c].get("max_chars") or 0))
    chosen = [c for c in ("x", "facebook") if c in channels] or [by_length[0], by_length[-1]]
    every = [
        (c, agent, name) for c in chosen for agent in (None, _AGENT) for name in (None, "Dana")
    ]
    extremes = [(chosen[0], _AGENT, "Dana"), (chosen[-1], None, None)]
    rounds = max(1, int((playbook.get("variety") or {}).get("candidates", 1)))
    for lang in playbook.languages():
        for key, sample_text in (playbook.get("samples") or {}).items():
            sample = text_for(sample_text, lang)
            if not sample:
                continue
            case = str(key).split("/")[0]
            total = len(playbook.variants(lang, case, "public")) or 1
            # Every phrasing a draft can choose: the candidates start at any template.
            for variant in range(1, total + rounds):
                for channel, agent, name in every if variant <= total else extremes:
                    drafts += 1
                    where = f"{lang}/{key} variant {variant} on {channel}"
                    where += f", agent {agent or '-'}, name {name or '-'}"
                    failures += _check_one(
                        playbook, sample, case, variant, channel, agent, name, where
                    )
    return drafts, failures


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
) -> list[Failure]:
    try:
        result = draft(
            sample,
            playbook,
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
    out = []
    replies = (("public", result.public_reply), ("private", result.private_reply))
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
    return Report(rules=len(rules), examples=examples, drafts=drafts, failures=tuple(failures))
