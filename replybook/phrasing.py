"""Phrasing a reply: templates assembled from parts, stable picks, fitting a channel's
limit, and the candidate least like the team's recent replies (pure).

Reply templates are built from parts (``templates/<lang>/parts/*.j2``, pulled in with
``{% include %}``), each with many phrasings picked by ``pick([...])``. A Jinja include
costs a new context per part per render, several times the cost of the part itself, so
each reply template is assembled once: its includes are inlined (each part in a ``{% with
%}`` scope of its own, as an include would have it) and the result compiled. The plain
reference is Jinja's own include (:func:`render_reference`); a test renders both.

Picks depend only on a seed (a stable hash of the comment), so the same input gives the
same reply. A *variant number* names one phrasing: variant ``v`` uses template
``(v - 1) % T`` of the slot's ``T`` templates and picks seeded by the comment's hash and
``v``, so ``--variant v`` reproduces any reply drafted, and no two variants share picks
(on a short channel two templates may read the same; their picks still differ).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .errors import TemplateError
from .playbook import Playbook

_INCLUDE = re.compile(r"""\{%-?\s*include\s+(["'])(?P<name>[^"'\s]+)\1\s*-?%\}""")
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_SPACE_BEFORE_MARK = re.compile(r" ([,.!?;:،؛؟])")  # spaces are single by then
# A lower-case letter that starts the reply or a sentence: parts are written to follow a
# greeting ("Hi Dana, sorry about ...") and are capitalised where they start a sentence.
# Only letters that may be lower case are matched: most sentences start with a capital.
_SENTENCE_START = re.compile(r"(^|[.!?][\"'”’)]*\s)([^\W\d_A-Z])")


# ---------------------------------------------------------------------------------------
# Picks


def mix(a: int, b: int) -> int:
    """A 32-bit hash of two numbers (a multiply-xorshift finaliser), the same everywhere.

    CRC32 alone won't do for picks: it is affine, so the CRCs of "seed:1" and "seed:2"
    differ by a constant whatever the seed, and the picks of one render would move in step.
    """
    x = (a * 0x9E3779B1 + b * 0x85EBCA77 + 0x165667B1) & 0xFFFFFFFF
    x ^= x >> 16
    x = (x * 0x7FEB352D) & 0xFFFFFFFF
    x ^= x >> 15
    x = (x * 0x846CA68B) & 0xFFFFFFFF
    return x ^ (x >> 16)


class Picker:
    """Stable choices inside a template: ``{{ ["Hi", "Hey"] | pick }}`` (or
    ``pick(["Hi", "Hey"])``) depends only on the seed and on how many picks came before it
    in the same render.

    ``{{ ["Sorry about {p}.", "Apologies for {p}."] | pick(p=problem) }}`` fills the fields
    of the chosen phrasing only (``str.format``): a template need not build every option.
    """

    __slots__ = ("seed", "calls")

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.calls = 0

    def __call__(self, options: Sequence[Any], **fill: Any) -> Any:
        if not options:
            return ""
        self.calls += 1
        chosen = options[mix(self.seed, self.calls) % len(options)]
        if fill and isinstance(chosen, str):
            try:
                return chosen.format_map(fill)
            except (KeyError, IndexError, ValueError) as exc:
                raise TemplateError(f"pick: can't fill {chosen!r}: {exc!r}") from None
        return chosen


def _pick_filter(context: Any, options: Sequence[Any], **fill: Any) -> Any:
    """``{{ options | pick }}``: the render's picker as a filter (a filter is called
    directly, a function through the sandbox's checks: several times cheaper)."""
    picker = context.parent.get("pick")
    if type(picker) is not Picker:
        picker = context["pick"]  # any other picker a caller gave, or an error to report
    return picker(options, **fill)


def stable_seed(text: str) -> int:
    """A hash of the comment that ignores case and spacing, the same on every machine."""
    return zlib.crc32(" ".join(text.casefold().split()).encode("utf-8"))


class Variant:
    """One phrasing of a slot: its number (1-based), the index of its template among the
    slot's templates, and the seed of its picks."""

    __slots__ = ("number", "template", "seed")

    def __init__(self, number: int, template: int, seed: int) -> None:
        self.number = number
        self.template = template
        self.seed = seed


def variant(number: int, total: int, seed: int) -> Variant:
    """Variant ``number`` of a slot with ``total`` templates, for a comment's seed."""
    return Variant(number, (number - 1) % total, mix(seed, number))


def first_variant(total: int, seed: int) -> int:
    """The variant a comment's hash picks when nothing else decides."""
    return seed % total + 1


# ---------------------------------------------------------------------------------------
# Templates assembled from their parts


def assembled_source(templates: Mapping[str, str], name: str, within: tuple[str, ...] = ()) -> str:
    """A template's source with every ``{% include "..." %}`` of another template inlined,
    each in a ``{% with %}`` scope (what it sets stays inside, as with an include)."""
    if name in within:
        chain = " -> ".join((*within, name))
        raise TemplateError(f"template {within[0]} includes itself ({chain})")
    source = templates[name]

    def inline(match: re.Match[str]) -> str:
        part = match.group("name")
        if part not in templates:
            return match.group(0)  # Jinja reports the missing template by name
        body = assembled_source(templates, part, (*within, name))
        # An include drops the part's one trailing newline (keep_trailing_newline=False).
        body = body[:-1] if body.endswith("\n") else body
        return "{% with %}" + body + "{% endwith %}"

    return _INCLUDE.sub(inline, source) if "include" in source else source


def _environment(playbook: Playbook, inlined: bool = True) -> Any:
    """The playbook's sandbox with the ``pick`` filter, loading templates with their parts
    inlined, or (``inlined=False``, the reference) as they are."""
    key = "phrasing:env" if inlined else "phrasing:reference-env"
    found = playbook._cache.get(key)
    if found is None:
        from jinja2 import FunctionLoader, pass_context

        templates = playbook.templates

        def load(name: str) -> tuple[str, str, Callable[[], bool]] | None:
            if name not in templates:
                return None
            # The name as the file name: an error's traceback then says which part failed.
            source = assembled_source(templates, name) if inlined else templates[name]
            return source, name, lambda: True

        base = playbook.environment()
        found = base.overlay(loader=FunctionLoader(load))
        found.filters = {**base.filters, "pick": pass_context(_pick_filter)}
        playbook._cache[key] = found
    return found


def assembled(playbook: Playbook, name: str) -> Any:
    """One reply template with its parts inlined, compiled once for the playbook."""
    key = ("phrasing:template", name)
    found = playbook._cache.get(key)
    if found is None:
        found = playbook._cache[key] = _environment(playbook).get_template(name)
    return found


def source_of(playbook: Playbook, name: str) -> str:
    """A template's source with its parts (what lint's ``disable`` markers are read from)."""
    key = ("phrasing:source", name)
    found = playbook._cache.get(key)
    if found is None:
        found = playbook._cache[key] = assembled_source(playbook.templates, name)
    return str(found)


def disabled_by(playbook: Playbook, name: str) -> frozenset[str] | None:
    """The lint rules a template (with its parts) switches off for the reply it renders,
    read once per template (:func:`replybook.linter.disabled_in`)."""
    from .linter import disabled_in

    key = ("phrasing:disabled", name)
    if key not in playbook._cache:
        found = disabled_in(source_of(playbook, name))
        playbook._cache[key] = None if found is None else frozenset(found)
    return playbook._cache[key]


def template_globals(playbook: Playbook) -> dict[str, Any]:
    """What the sandbox gives every template (``range``, ``namespace``...): a context made
    with these in it renders without being copied again (:func:`render`)."""
    return dict(_environment(playbook).globals)


# What one render may produce; the sandbox holds its other limits (``range``, sizes,
# steps, time: :func:`replybook.playbook._sandbox`).
MAX_OUTPUT = 100_000


def _produce(env: Any, chunks: Any, name: str) -> str:
    """Join a render's output, refusing more than :data:`MAX_OUTPUT` characters; the
    sandbox's steps and deadline start here."""
    env.start_render()
    out: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise TemplateError(f"template {name}: renders more than {MAX_OUTPUT:,} characters")
        out.append(chunk)
    return "".join(out)


def _limit_error(exc: BaseException) -> bool:
    """A limit the sandbox enforces, or Python's own (no need to render again to say it)."""
    from jinja2.sandbox import SecurityError

    return isinstance(exc, SecurityError) and type(exc).__name__ == "LimitError"


def render(playbook: Playbook, name: str, context: dict[str, Any], *, lines: bool = False) -> str:
    """Render one template by name, its parts inlined.

    ``context`` is used as it is, not copied (as Jinja's ``render`` would, twice): it
    should hold :func:`template_globals` and must not be changed while rendering.

    Replies are one paragraph: whitespace runs collapse to single spaces (an empty line in
    the template makes a paragraph break) and sentences start with a capital. With
    ``lines`` (the note), lines are kept and empty ones dropped.

    Any failure of the template (a Jinja error, a limit, a division by zero, recursion...)
    is one :class:`TemplateError` naming the template.
    """
    try:
        template = assembled(playbook, name)
        chunks = template.root_render_func(template.new_context(context, shared=True))
        text = _produce(template.environment, chunks, name)
    except TemplateError:
        raise
    except Exception as exc:  # a Jinja error, ZeroDivisionError, RecursionError...
        if _limit_error(exc) or isinstance(exc, MemoryError):
            raise _template_error(name, exc) from None  # not worth a second try
        # The reference render names the part and line that failed; if it doesn't fail,
        # the assembled form's own error is the one to report.
        try:
            render_reference(playbook, name, context, lines=lines)
        except TemplateError as precise:
            raise precise from None
        raise _template_error(name, *_current_error()) from None
    if lines:
        return "\n".join(line.rstrip() for line in text.strip().splitlines() if line.strip())
    return tidy(text, _turkish(playbook, context))


def _current_error() -> tuple[BaseException]:
    import sys

    return (sys.exc_info()[1] or RuntimeError("unknown"),)


def _template_error(
    name: str, exc: BaseException, templates: Mapping[str, str] = {}
) -> TemplateError:
    """One line naming the template (the part, where a part failed) and its line."""
    where, line = getattr(exc, "name", None) or name, getattr(exc, "lineno", None)
    # Jinja's tracebacks carry template names and lines: the innermost one is the part.
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in templates:
            where, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    from jinja2 import TemplateError as JinjaError

    message = str(exc).splitlines()[0] if str(exc) else ""
    if not isinstance(exc, JinjaError):  # a Python error: say which ("division by zero")
        message = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    message = message or type(exc).__name__
    if len(message) > 300:
        message = message[:297] + "..."
    return TemplateError(
        f"template {where}:{line}: {message}" if line else f"template {where}: {message}"
    )


def render_reference(
    playbook: Playbook, name: str, context: dict[str, Any], *, lines: bool = False
) -> str:
    """Render with Jinja's own includes: the plain version :func:`render` must equal."""
    try:
        template = _environment(playbook, inlined=False).get_template(name)
        text = _produce(template.environment, template.generate(context), name)
    except TemplateError:
        raise
    except Exception as exc:  # a Jinja error, a limit, ZeroDivisionError, RecursionError...
        raise _template_error(name, exc, playbook.templates) from None
    if lines:
        return "\n".join(line.rstrip() for line in text.strip().splitlines() if line.strip())
    return tidy(text, _turkish(playbook, context))


def tidy(text: str, turkish: bool = False) -> str:
    """A reply as one paragraph per template paragraph: single spaces, no space before a
    punctuation mark, a capital at the start of each sentence (Turkish: i is İ, ı is I)."""
    paragraphs = _PARAGRAPH.split(text.strip())
    cleaned = [" ".join(p.split()) for p in paragraphs]
    cleaned = [_SPACE_BEFORE_MARK.sub(r"\1", p) for p in cleaned if p]
    capital = _turkish_capital if turkish else _capital
    return "\n\n".join(_SENTENCE_START.sub(capital, p) for p in cleaned)


def _capital(match: re.Match[str]) -> str:
    return match.group(1) + match.group(2).upper()


def _turkish_capital(match: re.Match[str]) -> str:
    first = match.group(2)
    return match.group(1) + {"i": "İ", "ı": "I"}.get(first, first.upper())


def _turkish(playbook: Playbook, context: Mapping[str, Any]) -> bool:
    """Does the reply's language capitalise as Turkish does (``casing: turkish``)?"""
    spec = (playbook.get("languages") or {}).get(context.get("language") or "") or {}
    return str(spec.get("casing") or "") == "turkish"


# ---------------------------------------------------------------------------------------
# Right-to-left replies

# Unicode's directional isolates, embeddings, overrides and marks.
BIDI_CONTROLS = "\u2066\u2067\u2068\u2069\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u061c"
# What scrambles inside right-to-left text: links, @handles and hashtags, Western-digit
# numbers with spaces, dashes or a plus ("+98 21 1234"; Persian digits read right as they
# are), and runs of Latin words (a name, a signature such as "^MK").
_LEFT_TO_RIGHT = re.compile(
    r"https?://\S+|www\.\S+|[@#]\w+|\+?[0-9][0-9 \-]*[0-9]|[\^~*/–-]?[A-Za-z][\w.'’-]*"
    r"(?:\s+[\^~*/–-]?[A-Za-z][\w.'’-]*)*"
)


def directed(text: str, mode: str | None) -> str:
    """A right-to-left reply with its left-to-right runs kept whole: each put in a first-
    strong isolate (``isolates``) or followed by a left-to-right mark (``marks``)."""
    if not mode or mode == "none":
        return text
    if mode == "marks":
        return _LEFT_TO_RIGHT.sub(lambda m: m.group(0) + "\u200e", text)
    return _LEFT_TO_RIGHT.sub(lambda m: "\u2068" + m.group(0) + "\u2069", text)


def measured(text: str, mark_weight: int = 1) -> int:
    """A reply's length as a platform counts it: X counts each directional mark as 2."""
    if mark_weight == 1 or text.isascii():
        return len(text)
    return len(text) + (mark_weight - 1) * sum(text.count(c) for c in BIDI_CONTROLS)


# ---------------------------------------------------------------------------------------
# Signing and fitting a channel's limit


def sign(body: str, signature: str, max_chars: int) -> str:
    """The body with the signature after it (on a line of its own on long channels, when
    the body has lines)."""
    if not signature:
        return body
    joiner = "\n" if max_chars >= 1000 and "\n" in body else " "
    return f"{body}{joiner}{signature}"


class Fitted:
    """A reply that fits its channel: the text, the variant used, whether sentences were
    dropped to fit."""

    __slots__ = ("text", "variant", "trimmed")

    def __init__(self, text: str, variant: Variant, trimmed: bool) -> None:
        self.text = text
        self.variant = variant
        self.trimmed = trimmed


def fit(
    playbook: Playbook,
    names: Sequence[str],
    number: int,
    seed: int,
    context: dict[str, Any],
    signature: str,
    limit: int,
    *,
    chosen: bool = False,
) -> Fitted:
    """Variant ``number`` of the templates ``names`` (for a comment's ``seed``), or the
    nearest one that fits the channel's ``limit``.

    The variant is tried in full, then the variants after it that use the other templates,
    in full, then each in its short form; a variant the caller chose explicitly tries its
    own short form before the others. Failing all, the shortest is cut back by whole
    sentences, never mid-sentence. The variant reported always reproduces the text.
    """
    total = len(names)
    order = [variant(number + i, total, seed) for i in range(total)]
    attempts = [(order[0], False), (order[0], True)] if chosen else []
    attempts += [(v, short) for short in (False, True) for v in order if (v, short) not in attempts]
    tried: list[tuple[str, Variant]] = []
    # A right-to-left reply keeps its left-to-right runs whole, and is measured as the
    # channel counts the marks that do it.
    mode = context.get("bidi")
    weight = int(context["channel"].get("mark_weight") or 1) if mode else 1

    def signed(body: str) -> str:
        return directed(sign(body, signature, limit), mode)

    for option, short in attempts:
        picks = Picker(option.seed)
        body = render(playbook, names[option.template], {**context, "short": short, "pick": picks})
        reply = signed(body)
        if not limit or measured(reply, weight) <= limit:
            return Fitted(reply, option, False)
        tried.append((body, option))
    body, option = min(tried, key=lambda item: len(item[0]))
    sentences = re.split(r"(?<=[.!?؟۔。！？])\s+", body)  # rare: compiled on first use
    while len(sentences) > 1 and measured(signed(" ".join(sentences)), weight) > limit:
        sentences.pop(-2 if len(sentences) > 2 else -1)
    return Fitted(signed(" ".join(sentences)), option, True)


# ---------------------------------------------------------------------------------------
# The candidate least like the team's recent replies


def least_similar(candidates: Sequence[str], history: Sequence[str]) -> tuple[int, float]:
    """Index of the candidate whose closest match among ``history`` is least close
    (rapidfuzz ratio, 0-100), and that score; the first such candidate on a tie.

    After the first candidate, one that comes as close to any past reply as the best so
    far is out at that reply: rapidfuzz is asked only whether one comes that close (with
    the best score as its cutoff, which lets it stop early), and for the exact closest
    score only of a candidate that beats the best.
    """
    from rapidfuzz import fuzz, process

    best, best_score = 0, 101.0
    for index, candidate in enumerate(candidates):
        if index:
            near = process.extract_iter(
                candidate, history, scorer=fuzz.ratio, score_cutoff=best_score
            )
            if next(near, None) is not None:
                continue
        found = process.extractOne(candidate, history, scorer=fuzz.ratio)
        score = float(found[1]) if found else 0.0
        if score < best_score:
            best, best_score = index, score
    return best, best_score


def least_similar_reference(candidates: Sequence[str], history: Sequence[str]) -> tuple[int, float]:
    """The plain version of :func:`least_similar`: every candidate scored in full."""
    from rapidfuzz import fuzz, process

    scores = []
    for candidate in candidates:
        found = process.extractOne(candidate, history, scorer=fuzz.ratio)
        scores.append(float(found[1]) if found else 0.0)
    best = min(range(len(scores)), key=lambda i: (scores[i], i))
    return best, scores[best]
