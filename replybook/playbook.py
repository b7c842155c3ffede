"""Playbooks: read YAML, layer a brand playbook over the one it extends, validate, compile.

This module and the CLI are the only places that read playbook and template files. The
result is a :class:`Playbook`, an in-memory value the pure core works from.

Loading a playbook reads YAML (slow to import and parse), so the merged, validated result
is cached per set of source files (keyed by path, size and modification time) in the user's
cache folder. A cache that can't be read or written is simply not used.
"""

from __future__ import annotations

import marshal
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import __version__
from .errors import PlaybookError, shown_key
from .lexicon import check_phrase
from .resources import data_dir

PLAYBOOK_FILENAME = "replybook.yaml"
INTENTS = ("complaint", "question", "praise", "joke", "troll", "other")
LEVELS = ("suggestion", "warning", "error")
_TEMPLATE_NAME = re.compile(
    r"^(?P<lang>[a-z]{2,3})/(?P<case>[a-z0-9-]+)/(?P<slot>[a-z]+)(?:-\d+)?\.j2$"
)

Origins = dict[str, tuple[str, int]]


_SANDBOX: Any = None


def _sandbox() -> Any:
    """Jinja's sandbox, with quicker paths for what templates read most: a key of a plain
    mapping (playbook data, facts about the comment) and a field of a named tuple.

    Templates come from shared playbooks, so it also bounds what one render may cost:
    ``range`` and ``lipsum`` are capped, ``*``, ``**``, ``+`` and ``~`` refuse results over
    :data:`Sandbox.max_output` characters (or numbers of more bits than ``max_bits``),
    every loop and call counts against ``max_steps`` and the render's deadline (set by
    :meth:`Sandbox.start_render`). A limit broken is a ``Sandbox.limit_error``.
    """
    global _SANDBOX
    if _SANDBOX is None:
        import functools
        import operator
        import threading
        import time

        from jinja2 import nodes
        from jinja2.sandbox import SandboxedEnvironment, SecurityError
        from jinja2.visitor import NodeTransformer

        class LimitError(SecurityError):
            """A template that breaks one of the render's limits."""

        state = threading.local()  # per thread: a batch renders on several at once

        def check(steps: int = 1) -> None:
            deadline = getattr(state, "deadline", None)
            if deadline is None:
                return
            state.steps += steps
            if state.steps > Sandbox.max_steps:
                raise LimitError(f"takes more than {Sandbox.max_steps:,} steps")
            if time.monotonic() > deadline:
                raise LimitError(f"takes longer than {Sandbox.max_seconds:g} seconds")

        def sized(value: Any) -> Any:
            if isinstance(value, (str, list, tuple)) and len(value) > Sandbox.max_output:
                raise LimitError(f"builds a value of more than {Sandbox.max_output:,} items")
            if type(value) is int and value.bit_length() > Sandbox.max_bits:
                raise LimitError(f"builds a number of more than {Sandbox.max_bits:,} bits")
            return value

        def expected(text: str, method: str, args: Any, kwargs: Any) -> None:
            """Refuse a string method or filter whose result would be huge, before it runs."""
            limit = Sandbox.max_output
            values = (*args, *kwargs.values())
            for value in values:
                if type(value) is int and value > limit:
                    raise LimitError(f"{method}: {value:,} is over {limit:,}")
            if method in ("format", "format_map") and re.search(
                r"\{[^}]*\d{5}|%[^a-zA-Z%]*(?:\d{5}|\*)", text
            ):
                raise LimitError(f"{method}: a width over 9,999")
            if method == "join" and values and isinstance(values[0], (list, tuple)):
                parts = [len(p) for p in values[0] if isinstance(p, str)]
                if sum(parts) + len(text) * len(parts) > limit:
                    raise LimitError(f"join: more than {limit:,} characters")
            if (
                method == "replace"
                and len(values) > 1
                and isinstance(values[1], str)
                and len(text) + (len(text) + 1) * len(values[1]) > limit
            ):
                raise LimitError(f"replace: more than {limit:,} characters")

        def guarded(name: str, function: Any) -> Any:
            """A built-in filter whose arguments and result are held to the limits."""

            @functools.wraps(function)
            def run(*args: Any, **kwargs: Any) -> Any:
                check()
                texts = [a for a in args if isinstance(a, (str, list, tuple))]
                if texts:
                    first = texts[0]
                    rest = args[args.index(first) + 1 :]
                    if name == "join" and isinstance(first, (list, tuple)):
                        sep = rest[0] if rest and isinstance(rest[0], str) else ""
                        expected(sep, "join", (first,), {})
                    else:
                        expected(first if isinstance(first, str) else "", name, rest, kwargs)
                return sized(function(*args, **kwargs))

            return run

        def bounded_iter(items: Any) -> Any:
            for item in items:
                check()
                yield item

        def bounded_text(text: Any) -> Any:
            return sized(text)

        def bounded_range(*args: int) -> range:
            found = range(*args)
            if len(found) > Sandbox.max_range:
                raise LimitError(f"range of more than {Sandbox.max_range:,} items")
            return found

        class Bound(NodeTransformer):
            """Every loop's items counted, every ``~`` result measured."""

            def visit_For(self, node: Any) -> Any:
                self.generic_visit(node)
                node.iter = nodes.Filter(
                    node.iter, "_bounded_iter", [], [], None, None, lineno=node.lineno
                )
                return node

            def visit_Concat(self, node: Any) -> Any:
                self.generic_visit(node)
                return nodes.Filter(node, "_bounded_text", [], [], None, None, lineno=node.lineno)

        class Sandbox(SandboxedEnvironment):
            max_output = 100_000  # characters of a reply, or items of a list built
            max_bits = 100_000  # of a number (about 30,000 digits)
            max_range = 10_000  # items of one range()
            max_steps = 1_000_000  # loop items and calls in one render
            max_seconds = 2.0  # wall time of one render
            intercepted_binops = frozenset({"*", "**", "+", "//", "%"})
            limit_error = LimitError

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self.globals["range"] = bounded_range
                self.globals["lipsum"] = lambda *a, **k: ""  # not for replies
                for name, function in list(self.filters.items()):
                    self.filters[name] = guarded(name, function)
                self.filters["_bounded_iter"] = bounded_iter
                self.filters["_bounded_text"] = bounded_text

            @staticmethod
            def start_render() -> None:
                """Start this thread's limits for one render (steps and deadline)."""
                state.steps = 0
                state.deadline = time.monotonic() + Sandbox.max_seconds

            def _parse(self, source: str, name: str | None, filename: str | None) -> Any:
                return Bound().visit(super()._parse(source, name, filename))

            def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
                check()
                if operator_ == "**":
                    if (
                        type(left) is int
                        and type(right) is int
                        and abs(left) > 1
                        and right * left.bit_length() > self.max_bits
                    ):
                        raise LimitError(f"number of more than {self.max_bits:,} bits")
                    return sized(operator.pow(left, right))
                if operator_ == "*":
                    for seq, times in ((left, right), (right, left)):
                        if (
                            isinstance(seq, (str, list, tuple))
                            and isinstance(times, int)
                            and len(seq) * times > self.max_output
                        ):
                            raise LimitError(f"a value of more than {self.max_output:,} items")
                    if (
                        type(left) is int
                        and type(right) is int
                        and left.bit_length() + right.bit_length() > self.max_bits
                    ):
                        raise LimitError(f"number of more than {self.max_bits:,} bits")
                    return operator.mul(left, right)
                if operator_ == "%" and isinstance(left, str):
                    # "%099999999d" % 1: no width or precision of more than four digits.
                    if re.search(r"%[^a-zA-Z%]*(?:\d{5}|\*)", left):
                        raise LimitError("format width over 9,999")
                    return sized(operator.mod(left, right))
                found = super().call_binop(context, operator_, left, right)
                return sized(found)

            def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
                check()
                target = getattr(__obj, "__wrapped__", __obj)
                if isinstance(getattr(target, "__self__", None), str):
                    # "x".center(10**9), "{:999999999}".format(1), "".join(huge): refused.
                    expected(target.__self__, getattr(target, "__name__", ""), args, kwargs)
                return sized(super().call(__context, __obj, *args, **kwargs))

            def getattr(self, obj: Any, attribute: str) -> Any:
                if type(obj) is dict and attribute in obj:
                    return obj[attribute]
                return super().getattr(obj, attribute)

            def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
                if isinstance(obj, tuple) and hasattr(obj, "_fields"):
                    return not attr.startswith("_")
                return bool(super().is_safe_attribute(obj, attr, value))

        _SANDBOX = Sandbox
    return _SANDBOX


class Playbook:
    """A loaded, layered and validated playbook with its templates.

    ``data`` is the merged YAML mapping; ``templates`` maps names such as
    ``en/complaint/public-1.j2`` to Jinja source; ``origins`` maps dotted key paths to
    the (file, line) they came from, for error messages. ``_cache`` holds what the core
    compiles from it (word tries, rules, the Jinja environment), built once.
    """

    __slots__ = ("name", "_data", "_packed", "templates", "files", "origins", "_cache")

    def __init__(
        self,
        name: str,
        data: dict[str, Any],
        templates: dict[str, str],
        files: tuple[str, ...] = (),
        origins: Origins | None = None,
        packed: dict[str, bytes] | None = None,
    ) -> None:
        self.name = name
        self._data = data
        # From the cache: each top-level key still marshalled, read on first use (a
        # one-shot draft in one language reads a few of a five-language playbook's keys).
        self._packed = packed
        self.templates = templates
        self.files = files
        self.origins = origins or {}
        self._cache: dict[Any, Any] = {}

    def __repr__(self) -> str:
        return f"Playbook({self.name!r}, files={self.files!r})"

    @property
    def data(self) -> dict[str, Any]:
        """The merged YAML mapping."""
        if self._packed:
            for key in list(self._packed):
                self.get(key)
        return self._data

    def get(self, key: str, default: Any = None) -> Any:
        packed = self._packed
        if packed and key in packed:
            self._data[key] = marshal.loads(packed.pop(key))
        return self._data.get(key, default)

    def variants(self, lang: str, case: str, slot: str) -> list[str]:
        """Template names for one language, case and slot, in a stable order."""
        key = f"variants:{lang}/{case}/{slot}"
        found = self._cache.get(key)
        if found is None:
            prefix = f"{lang}/{case}/{slot}"
            found = sorted(
                n for n in self.templates if n == prefix + ".j2" or n.startswith(prefix + "-")
            )
            self._cache[key] = found
        return list(found)

    def environment(self) -> Any:
        """The sandboxed Jinja environment for this playbook's templates, built once.

        StrictUndefined: a template that names a missing variable fails loudly. Compiled
        templates are kept in the user's cache folder when the playbook came from disk.
        """
        env = self._cache.get("jinja")
        if env is None:
            from jinja2 import DictLoader, FileSystemBytecodeCache, StrictUndefined

            bytecode = None
            folder = self._cache.get("bytecode_dir")
            if folder is not None and hasattr(os, "getuid"):
                # Compiled templates are code run outside the sandbox (read with pickle
                # and marshal): only from a folder of this user's that no one else can
                # write to, made 0700. Anything else compiles the templates afresh.
                try:
                    os.makedirs(folder, mode=0o700, exist_ok=True)
                    st = os.stat(folder)
                    import stat

                    if (
                        stat.S_ISDIR(st.st_mode)
                        and st.st_uid == os.getuid()
                        and not st.st_mode & 0o022
                    ):
                        # The version of the sandbox in the file name: code compiled
                        # before its limits is never read back.
                        bytecode = FileSystemBytecodeCache(
                            folder, pattern=f"__replybook_{__version__}_bounded1_%s.cache"
                        )
                except OSError:
                    bytecode = None
            env = _sandbox()(
                loader=DictLoader(self.templates),
                auto_reload=False,
                undefined=StrictUndefined,
                autoescape=False,
                trim_blocks=True,
                lstrip_blocks=True,
                keep_trailing_newline=False,
                bytecode_cache=bytecode,
            )
            self._cache["jinja"] = env
        return env

    def template(self, name: str) -> Any:
        """One compiled template, kept for the life of the playbook."""
        found = self._cache.get(("template", name))
        if found is None:
            found = self._cache[("template", name)] = self.environment().get_template(name)
        return found

    def served(self) -> tuple[str, ...]:
        """The languages this playbook answers in: ``serves:``, else every language with
        both words (``languages:``) and templates. A comment in any other language is
        given to a person (action ``review``), never answered in another language."""
        found = self._cache.get("served")
        if found is None:
            listed = self.get("serves")
            if isinstance(listed, list):
                found = tuple(str(x) for x in listed)
            else:
                words = self.get("languages") or {}
                found = tuple(x for x in self.languages() if x in words)
            self._cache["served"] = found
        return found

    def routes(self) -> tuple[str, ...]:
        """The names of the playbook's routes (``routes:``), in its order; none without."""
        found = self._cache.get("route-names")
        if found is None:
            found = tuple(str(k) for k in (self.get("routes") or {}) if k != "default")
            self._cache["route-names"] = found
        return found

    def languages(self) -> list[str]:
        """Languages that have templates."""
        found = self._cache.get("languages-with-templates")
        if found is None:
            found = sorted({n.split("/", 1)[0] for n in self.templates if not n.startswith("_")})
            self._cache["languages-with-templates"] = found
        return list(found)


# ---------------------------------------------------------------------------------------
# Finding files


def builtin_playbooks() -> dict[str, Path]:
    """Built-in playbooks by name."""
    folder = data_dir() / "playbooks"
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def find_playbook(start: Path | None = None) -> Path | None:
    """``replybook.yaml`` in ``start`` (default: the current folder) or a parent, else None."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / PLAYBOOK_FILENAME
        if candidate.is_file():
            return candidate
    return None


_YAML_SUFFIXES = (".yaml", ".yml")


def _resolve_extends(name: str, relative_to: Path, file: str, line: int | None) -> Path:
    builtins = builtin_playbooks()
    if name in builtins:
        return builtins[name]
    candidate = (relative_to.parent / name).resolve()
    if candidate.exists() and candidate.suffix.lower() not in _YAML_SUFFIXES:
        raise PlaybookError(
            f"extends {name!r}: not a built-in playbook, and a playbook file ends in .yaml or .yml",
            file=file,
            line=line,
            path="extends",
        )
    if candidate.is_file():
        return candidate
    known = ", ".join(sorted(builtins))
    raise PlaybookError(
        f"extends {name!r}: no such built-in playbook ({known}) or file",
        file=file,
        line=line,
        path="extends",
    )


# ---------------------------------------------------------------------------------------
# Reading YAML with line numbers


# Playbooks are shared: a file is at most this big, and its aliases (``*name``) may refer
# back at most this often and expand to at most this many values ("billion laughs").
MAX_PLAYBOOK_BYTES = 2_000_000
MAX_ALIASES = 1_000
MAX_VALUES = 1_000_000
MAX_DEPTH = 100


def _read_yaml(path: Path) -> tuple[dict[str, Any], Origins]:
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    shown = str(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_PLAYBOOK_BYTES + 1)
    except FileNotFoundError:
        raise PlaybookError("file not found", file=shown) from None
    except OSError as exc:
        raise PlaybookError(f"cannot read: {exc.strerror or 'read error'}", file=shown) from None
    if len(raw) > MAX_PLAYBOOK_BYTES:
        raise PlaybookError(
            f"larger than 2 MB ({MAX_PLAYBOOK_BYTES:,} bytes): not read", file=shown
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        at = raw[: exc.start].count(b"\n") + 1
        raise PlaybookError("not UTF-8 text", file=shown, line=at) from None
    node = None
    try:
        loader = loader_cls(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                _check_nodes(node, shown)
            data = loader.construct_document(node) if node is not None else {}
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        # Only the line: the problem's own words can quote the file (a file that isn't a
        # playbook must never have its content printed).
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = _unquoted(exc.problem or exc.context or "not valid YAML")
        raise PlaybookError(f"invalid YAML: {problem}", file=shown, line=line) from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError):
        raise PlaybookError("invalid YAML: a value can't be read", file=shown) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PlaybookError("a playbook must be a mapping of keys", file=shown, line=1)
    origins: Origins = {}
    if node is not None:
        _walk_lines(node, "", shown, origins)
        _alias_rules(data, origins)
    return data, origins


def _unquoted(problem: str) -> str:
    """A YAML parser's problem without the characters of the file it quotes."""
    problem = re.sub(r"'[^'\n]*'|\"[^\"\n]*\"", "", str(problem).splitlines()[0])
    return re.sub(r"\s+", " ", problem).strip() or "not valid YAML"


def _check_nodes(root: Any, file: str) -> None:
    """Refuse a composed YAML document whose aliases refer back too often, to themselves,
    or expand to too many values, or that nests too deep: before anything is built from
    it. Each node is visited once; an alias is a node met again."""
    import yaml

    sizes: dict[int, int] = {}
    active: set[int] = set()
    aliases = 0
    stack: list[tuple[Any, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, leaving = stack.pop()
        key = id(node)
        children: list[Any] = []
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        if leaving:
            active.discard(key)
            total = 1 + sum(sizes[id(child)] for child in children)
            if total > MAX_VALUES:
                raise PlaybookError(
                    f"aliases expand to more than {MAX_VALUES:,} values (at most {MAX_VALUES:,})",
                    file=file,
                    line=node.start_mark.line + 1,
                )
            sizes[key] = total
            continue
        if key in active:
            raise PlaybookError(
                "an alias refers to itself", file=file, line=node.start_mark.line + 1
            )
        if key in sizes:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise PlaybookError(
                    f"more than {MAX_ALIASES:,} aliases (at most {MAX_ALIASES:,})",
                    file=file,
                    line=node.start_mark.line + 1,
                )
            continue
        if depth > MAX_DEPTH:
            raise PlaybookError(
                f"nested deeper than {MAX_DEPTH} levels", file=file, line=node.start_mark.line + 1
            )
        if isinstance(node, yaml.MappingNode):
            _check_keys(node, file)
        active.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in reversed(children))


def _check_keys(node: Any, file: str) -> None:
    """Refuse a mapping that gives one key twice: YAML would keep the last silently, so a
    rule or word list written above it would vanish. Only lines are named, not the key (a
    file that isn't a playbook must never have its content printed)."""
    import yaml

    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = (key_node.tag, key_node.value)
        line = key_node.start_mark.line + 1
        if key in seen:
            raise PlaybookError(
                f"a key is given twice in one mapping (first at line {seen[key]})",
                file=file,
                line=line,
            )
        seen[key] = line


def _alias_rules(data: dict[str, Any], origins: Origins) -> None:
    """Rules merge by id across files, so their lines are also kept as ``rules.<id>...``."""
    rules = data.get("rules")
    if not isinstance(rules, list):
        return
    for index, rule in enumerate(rules):
        if isinstance(rule, dict) and isinstance(rule.get("id"), str):
            prefix = f"rules[{index}]"
            for path, where in list(origins.items()):
                if path == prefix or path.startswith(prefix + "."):
                    origins["rules." + str(rule["id"]) + path[len(prefix) :]] = where


def _walk_lines(node: Any, path: str, file: str, out: Origins) -> None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            sub = f"{path}.{key_node.value}" if path else str(key_node.value)
            out[sub] = (file, key_node.start_mark.line + 1)
            _walk_lines(value_node, sub, file, out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            sub = f"{path}[{index}]"
            out[sub] = (file, item.start_mark.line + 1)
            _walk_lines(item, sub, file, out)


def _merge(base: Any, over: Any, deep: bool = False) -> Any:
    """Mappings merge key by key. Lists of mappings with ``id`` (rules) merge by id: an
    entry with a known id replaces it in place (``deep``: merges into it, as an included
    language file adds its words to a rule), a new one is added. Anything else in
    ``over`` replaces ``base``."""
    if isinstance(base, dict) and isinstance(over, dict):
        merged = dict(base)
        for key, value in over.items():
            merged[key] = _merge(base[key], value, deep) if key in base else value
        return merged
    if _id_list(base) and _id_list(over):
        by_id = {item["id"]: item for item in over}

        def joined(item: dict[str, Any]) -> Any:
            if item["id"] not in by_id:
                return item
            found = by_id.pop(item["id"])
            return _merge(item, found, deep) if deep else found

        out = [joined(item) for item in base]
        return out + [item for item in over if item["id"] in by_id]
    return over


def _id_list(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, dict) and isinstance(item.get("id"), str) for item in value)
    )


def _load_chain(
    path: Path, seen: tuple[Path, ...] = ()
) -> tuple[dict[str, Any], Origins, list[Path]]:
    (data, origins), files = _load_one(path, seen)
    return data, origins, files


def _load_one(
    path: Path, seen: tuple[Path, ...]
) -> tuple[tuple[dict[str, Any], Origins], list[Path]]:
    path = path.resolve()
    if path in seen:
        chain = " -> ".join(p.name for p in (*seen, path))
        raise PlaybookError(
            f"extends loops back on itself ({chain})", file=str(path), path="extends"
        )
    data, origins = _read_yaml(path)
    extras = _includes(path, data, origins)
    included = [p for p, _, _ in extras]
    parent = data.get("extends")
    if parent is None:
        return _merge_includes(data, origins, extras), [path, *included]
    if not isinstance(parent, str):
        file, line = origins.get("extends", (str(path), None))
        raise PlaybookError(
            "extends must be a playbook name or file path", file=file, line=line, path="extends"
        )
    file, line = origins.get("extends", (str(path), None))
    base_path = _resolve_extends(parent, path, file, line)
    base, base_origins, files = _load_chain(base_path, (*seen, path))
    own = {k: v for k, v in data.items() if k != "extends"}
    merged = _merge(base, own)
    merged_origins = dict(base_origins)
    merged_origins.update(origins)
    return _merge_includes(merged, merged_origins, extras), [*files, path, *included]


def _merge_includes(
    data: dict[str, Any], origins: Origins, extras: list[tuple[Path, dict[str, Any], Origins]]
) -> tuple[dict[str, Any], Origins]:
    """The included files merged deeply over a playbook (and what it extends)."""
    for _, extra, extra_origins in extras:
        data = _merge(data, extra, deep=True)
        origins = {**origins, **extra_origins}
    return data, origins


def _includes(
    path: Path, data: dict[str, Any], origins: Origins
) -> list[tuple[Path, dict[str, Any], Origins]]:
    """The files a playbook lists under ``include:`` (paths relative to it), read, to be
    merged over it in order: the default playbook keeps each language's words and texts
    in a file of its own (``lang/tr.yaml``)."""
    listed = data.pop("include", None)
    if listed is None:
        return []
    file, line = origins.get("include", (str(path), None))
    if not isinstance(listed, list) or not all(isinstance(p, str) for p in listed):
        raise PlaybookError(
            "include must be a list of file paths", file=file, line=line, path="include"
        )
    found = []
    for name in listed:
        target = (path.parent / name).resolve()
        if target.suffix.lower() not in _YAML_SUFFIXES:
            raise PlaybookError(
                f"include {name!r}: an included file ends in .yaml or .yml",
                file=file,
                line=line,
                path="include",
            )
        if not target.is_file():
            raise PlaybookError(
                f"included file not found: {name}", file=file, line=line, path="include"
            )
        extra, extra_origins = _read_yaml(target)
        if "extends" in extra or "include" in extra:
            raise PlaybookError(
                "an included file can't say extends or include", file=str(target), path="include"
            )
        found.append((target, extra, extra_origins))
    return found


# ---------------------------------------------------------------------------------------
# Templates


def _collect_templates(dirs: list[Path]) -> tuple[dict[str, str], list[tuple[str, int, int]]]:
    """Read every template; a later folder replaces an earlier one's variants of a slot.

    A template must really be in its folder: one whose real path (symlinks resolved) is
    outside it is refused, so a shared playbook can't draft /etc/passwd into a reply.
    Anything but a regular file (a FIFO, a device, a folder named ``*.j2``) is skipped.
    """
    import stat

    by_slot: dict[str, dict[str, str]] = {}
    stamps: list[tuple[str, int, int]] = []
    for folder in dirs:
        if not folder.is_dir():
            continue
        root = folder.resolve()
        found: dict[str, dict[str, str]] = {}
        for file in sorted(folder.rglob("*.j2")):
            rel = file.relative_to(folder).as_posix()
            match = _TEMPLATE_NAME.match(rel)
            if not match:
                continue
            try:
                real = file.resolve(strict=True)
                if not real.is_relative_to(root):
                    raise PlaybookError(
                        f"template is outside its folder {root} (it is {real})", file=str(file)
                    )
                st = real.stat()
                if not stat.S_ISREG(st.st_mode):
                    continue
                with open(real, encoding="utf-8") as fh:
                    source = fh.read()
            except (OSError, RuntimeError, UnicodeDecodeError) as exc:
                raise PlaybookError(f"cannot read template: {exc}", file=str(file)) from None
            stamps.append((str(file), st.st_size, st.st_mtime_ns))
            slot = f"{match['lang']}/{match['case']}/{match['slot']}"
            found.setdefault(slot, {})[rel] = source
        by_slot.update(found)
    templates: dict[str, str] = {}
    for variants in by_slot.values():
        templates.update(variants)
    return templates, stamps


# ---------------------------------------------------------------------------------------
# Validation

# A small schema language: a type name, or a dict of known keys, or ("map", spec) for a
# mapping with free keys, or ("list", spec). "text" is a string or a {language: string} map.
_TEXT = "text"
_PHRASES = ("phrases",)  # a list of phrases, or a {language: [phrases]} map
_NAMES = ("names",)  # a list of names as written, or a {language: [names]} map
_SCHEMA: dict[str, Any] = {
    "playbook": "str",
    "extends": "str",
    "description": "str",
    "language": "str",
    # The languages the playbook answers in (default: every language with words and
    # templates).
    "serves": ("list", "str"),
    "templates": "str",
    # The brand, and how `replybook listen` finds it mentioned: names (a list, or per
    # language where a name has a transliteration: {ru: [Акме Эйр]}), handles, hashtags,
    # domains and aliases; `name`, `handle` and `website` count as one of each. `exclude`:
    # phrases that rule a name match out in its sentence (a name that is a common word).
    "brand": {
        "name": "str?",
        "handle": "str?",
        "team": "text?",
        "website": "str?",
        "names": _NAMES,
        "handles": ("list", "str"),
        "hashtags": ("list", "str"),
        "domains": ("list", "str"),
        "aliases": _NAMES,
        "exclude": _PHRASES,
        # The brand's own accounts on the sources presets read: an id with the source's id
        # prefix (fb:104523318876), a plain id, or a username (@acme.shop). What they
        # write is the brand's, never a customer's comment to answer.
        "accounts": ("list", "any"),
        # Misspellings found by edit distance (rapidfuzz ratio, percent) on words of at
        # least min_letters letters: only ever `possible`.
        "misspellings": {"similarity": "number", "min_letters": "int"},
    },
    "agents": ("map", {"name": "str", "initials": "str?", "pronouns": "str?"}),
    "signature": {"agent": "str", "team": "str"},
    "channels": (
        "map",
        {
            "max_chars": "int",
            "can_hide": "bool",
            # false: the conversation is already private (an e-mail ticket, a chat, a DM):
            # a reply asks for what the fix needs right there and never moves to private.
            "public": "bool",
            "private": _TEXT,
            "label": "str?",
            # A right-to-left reply's left-to-right runs: isolates, marks or none; and
            # how many characters the platform counts each such mark as.
            "bidi": "str?",
            "mark_weight": "int",
        },
    ),
    "default_channel": "str",
    "sla_minutes": ("map", "int"),
    # figures: phrases that look like a trigger but aren't one ("Fire TV", "before I
    # explode"); a trigger found inside one of them doesn't count.
    # enquiries: the trigger kinds that ask (a journalist's "could you comment?"): asked
    # as a question, one of them is a question; any other kind asked is still a complaint.
    "escalation": {
        "contact": "str",
        "triggers": ("map", _PHRASES),
        "figures": _PHRASES,
        "enquiries": ("list", "str"),
        # together: {kind: {language: [[words], [words], ...], ...]}}: a trigger of that
        # kind when one word of every group stands in one sentence ("a bit of wire" and
        # "my wrap"; "smoke" and "charger"), however the sentence puts them.
        "together": ("map", ("map", ("list", ("list", ("list", "str"))))),
    },
    # Groups of phrases that negate a signal ("no problems at all", "not impressed"): a
    # match of a signal kind in the group's `cancels` that overlaps one doesn't count.
    # `signal`: the group's phrases are that signal kind's own (a request's "can I cancel"
    # is no complaint about a cancellation).
    # `scope: clause`: a match cancels to the end of its clause, not just its own words
    # ("I accidentally ordered the wrong size, ...": the wrong size is the customer's own);
    # `scope: sentence`, to the end of its sentence, past commas.
    "negations": (
        "map",
        {"cancels": ("list", "str"), "phrases": _PHRASES, "signal": "str?", "scope": "str?"},
    ),
    "topics": (
        "map",
        {
            "match": _PHRASES,
            # A signal kind: at its threshold the message is on this topic, whatever other
            # topic's words it has (staff who insulted the customer: their conduct is the
            # problem, not the parcel they brought).
            "signal": "str?",
            "mention": _TEXT,
            "explain": _TEXT,
            "next_step": _TEXT,
            "needs": _TEXT,
            "clarify": _TEXT,
            "timeline": _TEXT,
            "alternatives": ("map", ("list", "str")),
            "incident": _TEXT,
            # What makes complaints on the topic one incident: the topic alone (an outage:
            # "topic", the default) or near-identical wording ("wording": each customer's
            # own late parcel is no outage).
            "incident_by": "str?",
            # Does putting it right need personal data or account access (public-first)?
            "private": "bool",
        },
    ),
    "patterns": {"threshold": "int", "window_hours": "number", "similarity": "number"},
    "history_size": "int",
    # Handles of support accounts ("@AcmeHelp", "@AskAcme"): a message addressed to one
    # is more likely a request for help.
    "support_handles": ("list", "str"),
    "incident": _TEXT,
    "cannot_grant": (
        "map",
        {
            "match": _PHRASES,
            "request": _TEXT,
            "reason": _TEXT,
            "alternatives": ("map", ("list", "str")),
        },
    ),
    "faq": ("map", {"match": _PHRASES, "answer": _TEXT, "keywords": _PHRASES}),
    # Which team's queue a message goes to (route): `default`, the route of a message
    # nothing else routes, and per route what routes to it (see _ROUTE and _check_routes).
    "routes": "any",
    "timeline": _TEXT,
    "needs": _TEXT,
    # What a request (the `request` case) asks for when its topic says nothing.
    "request_needs": _TEXT,
    "next_step": _TEXT,
    # The one clarifying question a public reply asks when nothing needs to go private.
    "clarify": _TEXT,
    "signals": ("map", ("map", ("map", ("list", "str")))),
    "thresholds": ("map", "number"),
    "languages": (
        "map",
        {
            "stopwords": ("list", "str"),
            "chars": "str?",
            "vague": ("list", "str"),
            "possessives": ("list", "str"),
            "brand_possessives": ("list", "str"),
            "describing_endings": ("list", "str"),
            "phrase_breaks": ("list", "str"),
            # How a reply names the customer's thing (replybook.naming): the mention
            # ("your {term}"), first-person words it never echoes, more words that end
            # a noun phrase, and prepositions after which a noun is not the problem.
            "mention": "str?",
            "first_person": ("list", "str"),
            "name_breaks": ("list", "str"),
            "prepositions": ("list", "str"),
            # Endings of a word that say a verb follows and the noun phrase ends there
            # ("my parcel's been stuck": "your parcel", never "your parcel's").
            "contractions": ("list", "str"),
            # The language's own name, its register for a brand (formal: Turkish siz,
            # Russian Вы, Persian شما; Finnish service writing is informal), its quote
            # marks, and its signature lines (Jinja, as the top-level `signature`).
            "name": "str?",
            "register": "str?",
            "quotes": ("list", "str"),
            "signature": {"agent": "str", "team": "str"},
            # Texts a reply uses beside its templates (LANGUAGE_TEXTS), in this language.
            "texts": {
                "team": "str?",
                "needs": "str?",
                "timeline": "str?",
                "incident": "str?",
                "clarify": "str?",
                "request_needs": "str?",
                "private": ("map", "str"),
                # A channel's name in this language, per channel (the note's).
                "label": ("map", "str"),
            },
            # The customer's own thing named back to them: a suffix swap for languages
            # that mark possession on the noun (siparişim -> siparişiniz), a word swap
            # for those that inflect the possessive (мой -> ваш).
            "own_suffixes": ("list", ("list", "str")),
            "own_words": ("map", "str"),
            # The language's own letters and the plain ones customers type for them
            # (Turkish ş: s, ı: i): a word named back is spelt as the topics spell it.
            "plain_letters": ("map", "str"),
            # Which high vowel follows each vowel (Turkish a: ı, e: i, o: u, ö: ü): the
            # customer's possessive, swapped for "your", takes the stem's harmony.
            "vowel_harmony": ("map", "str"),
            # A Snowball stemmer's name: each plain phrase word matches every word with
            # its stem (worked out once, when the playbook loads).
            "stem": "str?",
            # Endings a name takes glued on in this language (Finnish "AcmeAirille",
            # Russian "Акме Эйра"): a brand name followed by one is still the name.
            "name_endings": ("list", "str"),
            # Normalisation beside what every language gets (replybook.lexicon.Fold).
            "casing": "str?",
            # rtl: replies keep links, handles, numbers and names whole (channels' bidi).
            "direction": "str?",
            "suffix_marks": ("list", "str"),
            "apostrophe_optional": ("list", "str"),
            "join_prefixes": ("list", "str"),
            "join_suffixes": ("list", "str"),
            # The decision's thresholds for a message in this language, over `thresholds`.
            "thresholds": ("map", "number"),
        },
    ),
    "reasons": ("map", "str"),
    "variety": ("map", "number"),
    "samples": ("map", _TEXT),
    "rules": ("list", "any"),
    "disable": ("list", "str"),
}
_REQUIRED = ("brand", "signature", "channels", "sla_minutes", "escalation", "signals")

# One route of `routes:`: its name in each language (the note), the intents, topics and
# escalation kinds it takes ("*": every one no other route names), the phrases that route a
# message to it, and example comments per language that must route to it (replybook test).
_ROUTE: dict[str, Any] = {
    "label": _TEXT,
    "intents": ("list", "str"),
    "topics": ("list", "str"),
    "escalations": ("list", "str"),
    # Messages addressed to one of the playbook's `support_handles` (@AcmeHelp) go here.
    "support_handles": "bool",
    "match": _PHRASES,
    "examples": _PHRASES,
}
_ROUTE_NAME = re.compile(r"[a-z][a-z0-9_-]{0,39}")


def _fail(message: str, path: str, origins: Origins, fallback_file: str) -> PlaybookError:
    probe = path
    while probe and probe not in origins:
        shorter = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", probe)
        probe = shorter if shorter != probe else ""
    file, line = origins.get(probe, (fallback_file, None))
    return PlaybookError(message, file=file, line=line, path=path)


def _validate(value: Any, spec: Any, path: str, origins: Origins, file: str) -> None:
    def err(message: str, at: str = path) -> PlaybookError:
        return _fail(message, at, origins, file)

    if spec == "any":
        return
    if isinstance(spec, str):
        optional = spec.endswith("?")
        kind = spec.rstrip("?")
        if value is None and optional:
            return
        if kind == "str" and not isinstance(value, str):
            raise err(f"expected text, got {_kind(value)}")
        if kind == "int" and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise err(f"expected a whole number >= 0, got {_kind(value)}")
        if kind == "int" and value > MAX_INT:
            raise err(f"expected a whole number from 0 to {MAX_INT:,}, got {_shown(value)}")
        if kind == "number" and not _finite(value):
            raise err(f"expected a finite number, got {_shown(value)}")
        if kind == "bool" and not isinstance(value, bool):
            raise err(f"expected true or false, got {_kind(value)}")
        if kind == _TEXT:
            if isinstance(value, str):
                return
            if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
                return
            raise err(f"expected text or a {{language: text}} mapping, got {_kind(value)}")
        return
    if spec == _NAMES:
        groups = value.items() if isinstance(value, dict) else [("", value)]
        for lang, names in groups:
            at = f"{path}.{lang}" if lang else path
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise err("expected a list of names or a {language: [names]} mapping", at)
        return
    if spec == _PHRASES:
        groups = value.items() if isinstance(value, dict) else [("", value)]
        for lang, phrases in groups:
            at = f"{path}.{lang}" if lang else path
            if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
                raise err("expected a list of phrases or a {language: [phrases]} mapping", at)
            for index, phrase in enumerate(phrases):
                problem = check_phrase(phrase) or _raw_problem(phrase)
                if problem:
                    raise err(problem, f"{at}[{index}]")
        return
    if isinstance(spec, tuple) and spec[0] == "map":
        if not isinstance(value, dict):
            raise err(f"expected a mapping, got {_kind(value)}")
        for key, item in value.items():
            _validate(item, spec[1], f"{path}.{key}", origins, file)
        return
    if isinstance(spec, tuple) and spec[0] == "list":
        if not isinstance(value, list):
            raise err(f"expected a list, got {_kind(value)}")
        for index, item in enumerate(value):
            _validate(item, spec[1], f"{path}[{index}]", origins, file)
        return
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            raise err(f"expected a mapping, got {_kind(value)}")
        for key, item in value.items():
            sub = f"{path}.{key}" if path else str(key)
            if key not in spec:
                import difflib

                shown = shown_key(key)
                close = difflib.get_close_matches(str(key), [str(k) for k in spec], n=1)
                hint = f" (did you mean {close[0]!r}?)" if close and shown[0] == "'" else ""
                raise err(f"unknown key {shown}{hint}", sub)
            _validate(item, spec[key], sub, origins, file)
        return


MAX_INT = 1_000_000_000


def _finite(value: Any) -> bool:
    """A number that is neither true/false, NaN nor infinite, nor too big for a float."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    import math

    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _shown(value: Any) -> str:
    """A wrong value for a message: a number as itself (shortened), anything else by kind."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        huge = isinstance(value, int) and value.bit_length() >= 64
        text = "a huge number" if huge else repr(value)
        return text if len(text) <= 24 else text[:21] + "..."
    return _kind(value)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def _check_semantics(data: dict[str, Any], origins: Origins, file: str) -> None:
    for key in _REQUIRED:
        if key not in data:
            raise _fail(f"missing required key {key!r}", key, origins, file)
    if not data["channels"]:
        raise _fail("at least one channel is needed", "channels", origins, file)
    default_channel = data.get("default_channel")
    if default_channel is not None and default_channel not in data["channels"]:
        raise _fail(f"unknown channel {default_channel!r}", "default_channel", origins, file)
    for key, limit, unit in _RANGES:
        head, _, tail = key.partition(".")
        section = data.get(head)
        if not isinstance(section, dict):
            continue
        found = section.items() if tail == "*" else [(tail, section.get(tail))]
        for name, value in found:
            if value is not None and not (_finite(value) and 0 <= value <= limit):
                raise _fail(
                    f"expected a number from 0 to {limit:,} ({unit}), got {_shown(value)}",
                    f"{head}.{name}",
                    origins,
                    file,
                )
    escalation = data.get("escalation") or {}
    for index, kind in enumerate(escalation.get("enquiries") or []):
        if kind not in (escalation.get("triggers") or {}):
            raise _fail(
                f"unknown escalation kind {kind!r}; triggers: "
                + ", ".join(sorted(escalation.get("triggers") or {})),
                f"escalation.enquiries[{index}]",
                origins,
                file,
            )
    history = data.get("history_size")
    if history is not None and history > MAX_HISTORY:
        raise _fail(
            f"expected a whole number from 0 to {MAX_HISTORY:,}, got {_shown(history)}",
            "history_size",
            origins,
            file,
        )
    for index, handle in enumerate(data.get("support_handles") or []):
        problem = _raw_problem(handle)
        if problem:
            raise _fail(problem, f"support_handles[{index}]", origins, file)
    for kind, groups in data["signals"].items():
        for lang, weights in groups.items():
            for weight in weights:
                if not _finite(weight):
                    raise _fail(
                        f"signal weights must be finite numbers, got {_shown(weight)}",
                        f"signals.{kind}.{lang}.{weight}",
                        origins,
                        file,
                    )
                for index, phrase in enumerate(weights[weight]):
                    problem = check_phrase(phrase) or _raw_problem(phrase)
                    if problem:
                        raise _fail(
                            problem, f"signals.{kind}.{lang}.{weight}[{index}]", origins, file
                        )
    # A topic or a negation group may name a signal kind: one the playbook has.
    for section in ("topics", "negations"):
        for key, spec in (data.get(section) or {}).items():
            source = spec.get("signal")
            if source is not None and source not in data["signals"]:
                known = ", ".join(sorted(data["signals"]))
                raise _fail(
                    f"unknown signal kind {source!r} (one of: {known})",
                    f"{section}.{key}.signal",
                    origins,
                    file,
                )
    for group, spec in (data.get("negations") or {}).items():
        if spec.get("scope") not in (None, "phrase", "clause", "sentence", "whole_clause"):
            raise _fail(
                f"expected phrase, clause, whole_clause or sentence, got {spec.get('scope')!r}",
                f"negations.{group}.scope",
                origins,
                file,
            )
        for index, kind in enumerate(spec.get("cancels") or []):
            if kind not in data["signals"] and kind != "topics":
                known = ", ".join([*sorted(data["signals"]), "topics"])
                raise _fail(
                    f"unknown signal kind {kind!r} (one of: {known})",
                    f"negations.{group}.cancels[{index}]",
                    origins,
                    file,
                )
    for section in ("topics", "cannot_grant", "faq"):
        for key, entry in (data.get(section) or {}).items():
            if "match" not in entry and not (section == "topics" and entry.get("signal")):
                raise _fail(
                    "missing required key 'match' (or, for a topic, 'signal')",
                    f"{section}.{key}",
                    origins,
                    file,
                )
    for key, entry in (data.get("topics") or {}).items():
        by = entry.get("incident_by")
        if by is not None and by not in ("topic", "wording"):
            raise _fail(
                f"expected 'topic' or 'wording', got {_shown(by)}",
                f"topics.{key}.incident_by",
                origins,
                file,
            )
    for section in ("topics", "cannot_grant"):
        for key, entry in (data.get(section) or {}).items():
            for lang, options in (entry.get("alternatives") or {}).items():
                if section == "cannot_grant" and len(options) < 2:
                    raise _fail(
                        "give at least two alternatives (two-alternatives)",
                        f"{section}.{key}.alternatives.{lang}",
                        origins,
                        file,
                    )
    if data.get("routes") is not None:  # `routes: null`: no routing
        _check_routes(data, origins, file)
    for section in ("agents",):
        for key, agent in (data.get(section) or {}).items():
            if not agent.get("name", "").strip():
                raise _fail("an agent needs a name", f"agents.{key}.name", origins, file)
    for index, rule in enumerate(data.get("rules") or []):
        _check_rule(rule, index, origins, file)
    _check_brand(data.get("brand") or {}, origins, file)


_HANDLE = re.compile(r"@?\w+")
_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)+")


def _check_brand(brand: dict[str, Any], origins: Origins, file: str) -> None:
    """What `replybook listen` looks for must be something it can find: names with two
    letters or more, handles and hashtags of word characters, domains of a host name; and
    the brand's accounts must be ids or usernames."""

    def each(key: str) -> list[tuple[str, Any]]:
        value = brand.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [(f"brand.{key}", value)]
        if isinstance(value, dict):
            return [
                (f"brand.{key}.{lang}[{i}]", item)
                for lang, items in value.items()
                for i, item in enumerate(items)
            ]
        return [(f"brand.{key}[{i}]", item) for i, item in enumerate(value)]

    for key in ("names", "aliases"):
        for at, name in each(key):
            if sum(c.isalnum() for c in name) < 2:
                raise _fail(f"a name needs two letters or more, got {name!r}", at, origins, file)
    for key in ("handle", "handles"):
        for at, handle in each(key):
            if not _HANDLE.fullmatch(handle.strip()):
                raise _fail(
                    f"expected a handle like '@AcmeAir' (letters, digits, _), got {handle!r}",
                    at,
                    origins,
                    file,
                )
    for at, tag in each("hashtags"):
        if not re.fullmatch(r"#?\w+", tag.strip()):
            raise _fail(
                f"expected a hashtag like '#AcmeAir' (letters, digits, _), got {tag!r}",
                at,
                origins,
                file,
            )
    for key in ("website", "domains"):
        for at, domain in each(key):
            if not _DOMAIN.fullmatch(domain_of(domain)):
                raise _fail(
                    f"expected a domain like 'acme-air.example', got {domain!r}", at, origins, file
                )
    if brand.get("accounts"):
        from .presets import account_problem

        for at, account in each("accounts"):
            problem = account_problem(account)
            if problem is not None:
                raise _fail(problem, at, origins, file)
    similarity = (brand.get("misspellings") or {}).get("similarity")
    if similarity is not None and not 0 <= similarity <= 100:
        raise _fail(
            f"expected a number from 0 to 100 (percent), got {_shown(similarity)}",
            "brand.misspellings.similarity",
            origins,
            file,
        )


def domain_of(value: str) -> str:
    """A domain as written in a playbook, without scheme, ``www.``, path or trailing dot:
    ``https://www.Acme-Air.example/care`` is ``acme-air.example``."""
    host = value.strip().lower()
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", host)
    host = re.split(r"[/?#:]", host, maxsplit=1)[0].rstrip(".")
    return host[4:] if host.startswith("www.") and host.count(".") >= 2 else host


def _check_routes(data: dict[str, Any], origins: Origins, file: str) -> None:
    """`routes:`: a `default` naming one of the routes, and routes whose intents, topics
    and escalation kinds exist, each taken by one route only."""
    routes: dict[str, Any] = data["routes"]

    def fail(message: str, path: str) -> PlaybookError:
        return _fail(message, path, origins, file)

    if not isinstance(routes, dict):
        raise fail(f"expected a mapping, got {_kind(routes)}", "routes")

    names = [name for name in routes if name != "default"]
    if not names:
        raise fail("give at least one route beside 'default'", "routes")
    for name in names:
        if not isinstance(name, str) or not _ROUTE_NAME.fullmatch(name):
            raise fail(
                "a route's name is lower-case letters, digits, '-' or '_' (at most 40),"
                f" got {str(name)[:40]!r}",
                f"routes.{name}",
            )
        _validate(routes[name], _ROUTE, f"routes.{name}", origins, file)
    handled = [name for name in names if (routes[name] or {}).get("support_handles")]
    if len(handled) > 1:
        raise fail(
            f"support_handles is already routed to {handled[0]!r}",
            f"routes.{handled[1]}.support_handles",
        )
    default = routes.get("default")
    if default is None:
        raise fail("missing required key 'default' (the route of anything else)", "routes")
    if not isinstance(default, str) or default not in names:
        shown = default if isinstance(default, str) else _kind(default)
        raise fail(f"unknown route {shown!r}; routes: {', '.join(names)}", "routes.default")
    known = {
        "intents": set(INTENTS),
        "topics": set(data.get("topics") or {}),
        "escalations": set((data.get("escalation") or {}).get("triggers") or {}),
    }
    for key, valid in known.items():
        taken: dict[str, tuple[str, str]] = {}
        for name in names:
            for index, value in enumerate((routes[name] or {}).get(key) or []):
                at = f"routes.{name}.{key}[{index}]"
                if value != "*" and value not in valid:
                    import difflib

                    close = difflib.get_close_matches(value, sorted(valid), n=1)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    raise fail(f"unknown {key[:-1]} {value!r}{hint}", at)
                if value in taken:
                    other, first = taken[value]
                    # Named where the playbook being loaded says it, not in the one it
                    # extends: that is the line its author wrote.
                    if fail("", first).file == file and fail("", at).file != file:
                        raise fail(f"{value!r} is already routed to {name!r}", first)
                    raise fail(f"{value!r} is already routed to {other!r}", at)
                taken[value] = (name, at)
            if key == "intents" and "*" in ((routes[name] or {}).get(key) or []):
                raise fail("list the intents one by one ('*' is for topics and escalations)",
                           f"routes.{name}.intents")


# Limits a number in the playbook must keep: (key, highest, what it counts).
_RANGES = (
    ("sla_minutes.*", 525_600, "minutes: a year at most"),
    ("patterns.window_hours", 8_760, "hours: a year at most"),
    ("patterns.similarity", 100, "percent"),
    ("variety.candidates", 100, "replies drafted to choose from"),
)
MAX_HISTORY = 100_000

# The parameters of lint rules, by the kind of value each takes (the rest are free).
_RULE_PARAMS: dict[str, Any] = {
    **{
        key: _PHRASES
        for key in (
            *("tokens", "unless", "first", "then", "markers", "verbs", "nouns"),
            *("not_after", "breaks", "public", "declines", "closings", "common"),
        )
    },
    **{key: "int" for key in ("max", "min", "within", "before", "reach", "min_letters", "min_run")},
    **{key: "number" for key in ("threshold", "min_weight")},
    **{key: "bool" for key in ("case_sensitive", "shared")},
    **{key: "str" for key in ("check", "measure", "parts", "scope", "level", "message", "why")},
    **{key: ("list", "str") for key in ("allow", "signals", "either_order")},
}
_RULE_EXAMPLES: dict[str, Any] = {
    "bad": ("list", "str"),
    "good": ("list", "str"),
    "comment": "str",
    "channel": "str",
    "name": "str",
    "history": ("list", "str"),
}


def _check_rule(rule: Any, index: int, origins: Origins, file: str) -> None:
    """A lint rule's parameters of the wrong kind fail the load, naming the key (the rule's
    own checks, its id, type and texts, are the linter's, when it compiles the rules)."""
    if not isinstance(rule, dict):
        return
    rule_id = rule.get("id")
    where = f"rules.{rule_id}" if isinstance(rule_id, str) else f"rules[{index}]"
    for key, spec in _RULE_PARAMS.items():
        if key in rule and key != "examples":
            _validate(rule[key], spec, f"{where}.{key}", origins, file)
    examples = rule.get("examples")
    if examples is not None:
        # The playbook language's examples, and another language's under its code.
        spec = _RULE_EXAMPLES
        if isinstance(examples, dict):
            spec = {k: _RULE_EXAMPLES for k in examples if k not in _RULE_EXAMPLES}
            spec.update(_RULE_EXAMPLES)
        _validate(examples, spec, f"{where}.examples", origins, file)
    swap = rule.get("swap")
    if swap is not None:
        nested = isinstance(swap, dict) and any(isinstance(v, dict) for v in swap.values())
        tables = swap.items() if nested else [("", swap)]
        for lang, table in tables:
            at = f"{where}.swap.{lang}" if lang else f"{where}.swap"
            if not isinstance(table, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in table.items()
            ):
                raise _fail(
                    "expected a {say-not-this: say-this} mapping of text "
                    "(or one such mapping per language)",
                    at,
                    origins,
                    file,
                )
    if "pattern" in rule:
        value = rule["pattern"]
        groups = value.items() if isinstance(value, dict) else [("", value)]
        for lang, source in groups:
            at = f"{where}.pattern.{lang}" if lang else f"{where}.pattern"
            if not isinstance(source, str):
                raise _fail("expected a regular expression, or one per language", at, origins, file)
            problem = _pattern_problem(source)
            if problem:
                raise _fail(problem, at, origins, file)


def _raw_problem(phrase: Any) -> str | None:
    """Why a raw ``'/regex/'`` phrase is unsafe to run on a stranger's text, or None."""
    if isinstance(phrase, str):
        phrase = phrase.strip()
        if len(phrase) >= 2 and phrase.startswith("/") and phrase.endswith("/"):
            return _pattern_problem(phrase[1:-1])
    return None


_PATTERNS_CHECKED: dict[str, str | None] = {}


def _pattern_problem(source: str) -> str | None:
    """Why a regular expression can take exponential time, or None.

    A repeated group whose text can be split between its repeats in more than one way
    backtracks through every split on text that almost matches: a repeat inside it that
    can take the same characters as the rest of the group (``(a+)+``, ``(\\w+\\s?)*``), or
    two of its alternatives that match the same text (``(a|a)+``)."""
    if source in _PATTERNS_CHECKED:
        return _PATTERNS_CHECKED[source]
    try:
        from re import _parser as parser  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - Python before 3.11
        import sre_parse as parser
    try:
        parsed = parser.parse(source)
    except Exception:
        return None  # a bad pattern is reported as such by its own check
    found = _nested_repeat(list(parsed), parser)
    problem = None
    if found:
        problem = (
            f"pattern {source[:60]!r} can take exponential time on text that almost matches: "
            f"{found}; rewrite it, or make the repeat possessive (a++) or atomic (?>...)"
        )
    if len(_PATTERNS_CHECKED) < 10_000:
        _PATTERNS_CHECKED[source] = problem
    return problem


_PROBES = frozenset(chr(c) for c in range(128)) | frozenset("éßäöüçğışяжشی٣\u00a0\u2003")


def _nested_repeat(items: list[Any], parser: Any) -> str | None:
    """The first ambiguous repeated group in a parsed pattern, said in words, or None."""
    for op, av in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            _, high, body = av
            body = list(body)
            if high > 1:
                for inner in _repeats(body):
                    chars = _chars(inner)
                    if chars and _fits(body, chars):
                        return "a repeated group holds a repeat that can match the same text"
                if _same_branches(body, _first(body, frozenset())):
                    return "a repeated group has alternatives that match the same text"
                if _wraps(body):
                    return "a repeated group can end and start again on the same text"
            found = _nested_repeat(body, parser)
        elif name in ("SUBPATTERN",):
            found = _nested_repeat(list(av[-1]), parser)
        elif name in ("ATOMIC_GROUP",):
            found = _nested_repeat(list(av), parser)
        elif name in ("POSSESSIVE_REPEAT",):
            found = _nested_repeat(list(av[2]), parser)
        elif name == "BRANCH":
            found = next((f for b in av[1] if (f := _nested_repeat(list(b), parser))), None)
        elif name in ("ASSERT", "ASSERT_NOT"):
            found = _nested_repeat(list(av[1]), parser)
        else:
            found = None
        if found:
            return found
    return None


def _wraps(body: list[Any]) -> bool:
    """Can the repeat that ends one pass of a repeated group and the repeat that starts the
    next take the same characters (``(\\s*,\\s*)+``: the spaces between two commas split
    between them in every way)?"""
    tails = _edge_repeats(body[::-1], reverse=True)
    if not tails:
        return False
    heads = _edge_repeats(body, reverse=False)
    return any(t is not h and _chars(t) & _chars(h) for t in tails for h in heads)


def _edge_repeats(items: list[Any], reverse: bool) -> list[Any]:
    """The backtracking repeats that can take the first characters of what ``items`` match
    (with ``reverse``, ``items`` given last first: the last characters)."""
    out: list[Any] = []
    for op, av in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT") and av[1] > 1:
            out.append((op, av))
        else:
            for child in _children(name, av):
                out.extend(_edge_repeats(child[::-1] if reverse else child, reverse))
        if not _fits([(op, av)], frozenset()):
            break
    return out


def _children(op: str, av: Any) -> list[list[Any]]:
    if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        return [list(av[2])]
    if op == "SUBPATTERN":
        return [list(av[-1])]
    if op == "ATOMIC_GROUP":
        return [list(av)]
    if op == "BRANCH":
        return [list(b) for b in av[1]]
    return []


def _repeats(items: list[Any]) -> list[Any]:
    """Every backtracking repeat of more than one inside ``items``."""
    out = []
    for op, av in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT") and av[1] > 1:
            out.append((op, av))
        for child in _children(name, av):
            out.extend(_repeats(child))
    return out


def _chars(item: Any) -> frozenset[str]:
    """The characters (of a probe set) that one item can match."""
    op, av = item
    name = str(op)
    if name == "LITERAL":
        return frozenset({chr(av)})
    if name == "NOT_LITERAL":
        return _PROBES - {chr(av)}
    if name == "ANY":
        return _PROBES - {"\n"}
    if name == "IN":
        return _in_set(av)
    out: frozenset[str] = frozenset()
    for child in _children(name, av):
        for sub in child:
            out |= _chars(sub)
    return out


def _literals(av: Any) -> frozenset[str]:
    return frozenset(chr(v) for op, v in av if str(op) == "LITERAL")


_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}
_CATEGORY_CHARS: dict[str, frozenset[str]] = {}


def _in_set(av: Any) -> frozenset[str]:
    """The probe characters (and the set's own) that a ``[...]`` set matches."""
    everything = _PROBES | _literals(av)
    hit: set[str] = set()
    negate = False
    for op, value in av:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            hit.add(chr(value))
        elif name == "RANGE":
            hit.update(c for c in everything if value[0] <= ord(c) <= value[1])
        elif name == "CATEGORY" and str(value) in _CATEGORIES:
            found = _CATEGORY_CHARS.get(str(value))
            if found is None:
                probe = re.compile(_CATEGORIES[str(value)])
                found = _CATEGORY_CHARS[str(value)] = frozenset(
                    c for c in _PROBES if probe.match(c)
                )
            hit.update(found)
        else:
            hit.update(everything)
    return frozenset(everything - hit) if negate else frozenset(hit)


def _fits(items: list[Any], chars: frozenset[str]) -> bool:
    """Can ``items`` match some text made only of ``chars`` (the empty text too)?"""
    for op, av in items:
        name = str(op)
        if name in ("LITERAL", "NOT_LITERAL", "ANY", "IN"):
            ok = bool(_chars((op, av)) & chars)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            ok = av[0] == 0 or _fits(list(av[2]), chars)
        elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
            ok = _fits(_children(name, av)[0], chars)
        elif name == "BRANCH":
            ok = any(_fits(list(b), chars) for b in av[1])
        else:
            ok = True  # anchors, lookarounds, back references: taken as fitting
        if not ok:
            return False
    return True


def _shape(items: list[Any]) -> tuple[list[frozenset[str]], bool]:
    """The characters of each position of ``items`` while they are one character each,
    and whether that is all of them (a text of fixed length)."""
    out: list[frozenset[str]] = []
    for op, av in items:
        name = str(op)
        if name in ("LITERAL", "NOT_LITERAL", "ANY", "IN"):
            out.append(_chars((op, av)))
        elif name == "SUBPATTERN":
            inner, whole = _shape(list(av[-1]))
            out.extend(inner)
            if not whole:
                return out, False
        else:
            return out, False
    return out, True


def _first(items: list[Any], end: frozenset[str] = _PROBES) -> frozenset[str]:
    """The characters a text matched by ``items`` can start with (and ``end``, when it can
    be empty)."""
    out: frozenset[str] = frozenset()
    for op, av in items:
        name = str(op)
        if name in ("LITERAL", "NOT_LITERAL", "ANY", "IN"):
            return out | _chars((op, av))
        children = _children(name, av)
        for child in children:
            out |= _first(child, frozenset())
        if children and not _fits([(op, av)], frozenset()):
            return out
    return out | end


def _overlap(one: list[frozenset[str]], two: list[frozenset[str]]) -> bool:
    return all(a & b for a, b in zip(one, two, strict=False))


def _same_branches(items: list[Any], after: frozenset[str]) -> bool:
    """Do two alternatives of a branch inside a repeated group match the same text, or one
    match the start of another whose rest can also start what comes after the branch
    (``after``: what can follow ``items``, the group's own start again at its end)?"""
    for index, (op, av) in enumerate(items):
        name = str(op)
        follow = _first(items[index + 1 :], after)
        if name == "BRANCH":
            shapes = [_shape(list(b)) for b in av[1]]
            fixed = [shape for shape, whole in shapes if whole]
            for i, one in enumerate(fixed):
                for two in fixed[i + 1 :]:
                    short, long = sorted((one, two), key=len)
                    if not _overlap(short, long):
                        continue
                    if len(short) == len(long) or long[len(short)] & follow:
                        return True
        for child in _children(name, av):
            inner = follow | _first(child, follow) if name.endswith("REPEAT") else follow
            if _same_branches(child, inner):
                return True
    return False



# ---------------------------------------------------------------------------------------
# Loading, with a cache


def _cache_dir() -> Path | None:
    if os.environ.get("REPLYBOOK_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "replybook"


def _stamp(paths: list[str]) -> list[tuple[str, int, int]] | None:
    out = []
    for p in paths:
        try:
            st = os.stat(p)
        except OSError:
            return None
        out.append((p, st.st_size, st.st_mtime_ns))
    return out


def _template_roots(data: dict[str, Any], files: list[Path], origins: Origins) -> list[Path]:
    roots = [data_dir() / "templates"]
    extra = data.get("templates")
    if isinstance(extra, str):
        file, _ = origins.get("templates", (str(files[-1]), None))
        roots.append((Path(file).parent / extra).resolve())
    return roots


def load_playbook(path: str | os.PathLike[str] | None = None) -> Playbook:
    """Load, layer and validate a playbook.

    ``path`` is a file, or the name of a built-in playbook (``default``, ``acme-air``...).
    With None: ``replybook.yaml`` in the current folder or a parent, else the built-in
    default. Raises :class:`PlaybookError` naming the file, line and key on any problem.
    """
    if path is None:
        found = find_playbook()
        target = found if found is not None else builtin_playbooks()["default"]
    else:
        builtins = builtin_playbooks()
        text = os.fspath(path)
        target = builtins[text] if text in builtins and not os.path.exists(text) else Path(text)
    target = Path(target).resolve() if Path(target).exists() else Path(target)

    cache = _cache_dir()
    cache_file = None
    if cache is not None:
        import zlib

        digest = zlib.crc32(f"{__version__}\0{target}".encode())
        cache_file = cache / f"playbook-{target.stem}-{digest:08x}.marshal"
        cached = _read_cache(cache_file)
        if cached is not None:
            cached._cache["bytecode_dir"] = str(cache / "jinja")
            return cached

    if not target.exists():
        raise PlaybookError("file not found", file=str(path))
    data, origins, files = _load_chain(target)
    shown = str(files[-1])
    _validate(data, _SCHEMA, "", origins, shown)
    _check_semantics(data, origins, shown)
    roots = _template_roots(data, files, origins)
    templates, template_stamps = _collect_templates(roots)
    if not templates:
        raise PlaybookError("no templates found", file=shown, path="templates")
    for kind, source in data["signature"].items():
        templates[f"_signature/{kind}.j2"] = source
    for code, spec in (data.get("languages") or {}).items():
        for kind, source in ((spec or {}).get("signature") or {}).items():
            templates[f"_signature/{code}/{kind}.j2"] = source
    playbook = Playbook(
        name=str(data.get("playbook") or target.stem),
        data=data,
        templates=templates,
        files=tuple(str(f) for f in files),
        origins=origins,
    )
    # Compiling the rules checks them too (a bad rule type or level fails the load), and
    # what the analysis and lint compile is kept with the playbook in the cache.
    compiled = _export_state(playbook)
    if cache is not None and cache_file is not None:
        # This module's own file is stamped too: a new replybook reads the playbook anew.
        stamps = _stamp([str(f) for f in files] + [__file__, *_COMPILED_SOURCES])
        if stamps is not None:
            dirs = [[str(r), _dir_stamps(r)] for r in roots]
            _write_cache(cache_file, playbook, stamps + template_stamps, dirs, compiled)
        playbook._cache["bytecode_dir"] = str(cache / "jinja")
    return playbook


def _dir_stamps(folder: Path) -> list[list[Any]]:
    """Every folder under ``folder`` with its modification time.

    Adding or removing a template changes the mtime of the folder holding it; edits to a
    template are caught by the template's own stamp.
    """
    out: list[list[Any]] = []
    for path, _, _ in os.walk(folder):
        try:
            out.append([path, os.stat(path).st_mtime_ns])
        except OSError:
            continue
    return out


def _read_cache(cache_file: Path) -> Playbook | None:
    try:
        with open(cache_file, "rb") as fh:
            blob = marshal.loads(fh.read())
        if not isinstance(blob, dict) or blob.get("version") != __version__:
            return None
        for item in blob["stamps"]:
            st = os.stat(item[0])
            if (st.st_size, st.st_mtime_ns) != (item[1], item[2]):
                return None
        for folder, stamps in blob["dirs"]:
            for path, mtime in stamps:
                if os.stat(path).st_mtime_ns != mtime:
                    return None
            if not stamps and os.path.isdir(folder):
                return None
        playbook = Playbook(
            name=blob["name"],
            data={},
            templates=blob["templates"],
            files=tuple(blob["files"]),
            packed=dict(blob["data"]),
        )
        _import_state(playbook, blob["compiled"])
        return playbook
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        return None


# What the pipeline's steps compile from a playbook (word tries, rules), by step name:
# each step registers its own export and import when it is imported, so loading a playbook
# imports none of them. Compiling at load also checks what only a step can check (a bad
# rule type fails the load).
_COMPILED: dict[str, tuple[Any, Any]] = {}
_COMPILED_SOURCES: list[str] = []


def register_compiled(
    step: str,
    export: Any,
    restore: Any,
) -> None:
    """Let a pipeline step keep what it compiles from a playbook in the playbook cache.

    ``export(playbook) -> plain data`` runs when a playbook is loaded from its files;
    ``restore(playbook, data)`` when it comes back from the cache.
    """
    _COMPILED[step] = (export, restore)
    # The step's own source is stamped with the cache: a new version of the step (a new
    # compiled form) reads the playbook anew instead of an old form from the cache.
    source = getattr(sys.modules.get(getattr(export, "__module__", "")), "__file__", None)
    if source and source not in _COMPILED_SOURCES:
        _COMPILED_SOURCES.append(source)


def _export_state(playbook: Playbook) -> dict[str, Any]:
    return {step: export(playbook) for step, (export, _) in _COMPILED.items()}


def _import_state(playbook: Playbook, state: dict[str, Any]) -> None:
    # A step not in the cache (not imported when it was written) compiles on first use.
    for step, (_, restore) in _COMPILED.items():
        if step in state:
            restore(playbook, state[step])


def _write_cache(
    cache_file: Path,
    playbook: Playbook,
    stamps: list[tuple[str, int, int]],
    dirs: list[Any],
    compiled: dict[str, Any],
) -> None:
    blob = {
        "version": __version__,
        "name": playbook.name,
        "data": {key: marshal.dumps(value) for key, value in playbook.data.items()},
        "templates": playbook.templates,
        "files": list(playbook.files),
        "compiled": compiled,
        "stamps": stamps,
        "dirs": dirs,
    }
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            marshal.dump(blob, fh)
        os.replace(tmp, cache_file)
    except (OSError, ValueError):
        pass


def text_for(value: Any, lang: str, own: str | None = None) -> str | None:
    """Pick a language's text from a text field (a string, or a {language: text} map).

    ``own`` is the language a plain string is written in (the playbook's default
    language): a reply in another language never gets it, so no text of one language
    leaks into another's reply. Without ``own`` a plain string serves every language."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if own is None or own == lang else None
    if isinstance(value, Mapping):
        for key in (lang, "*"):
            if key in value:
                return str(value[key])
    return None


# Texts a reply uses that aren't in a template. In the playbook's own language they are
# top-level keys (``needs``, ``timeline``...; ``brand.team``; ``channels.<id>.private`` and
# ``channels.<id>.label``); in any language they may be ``languages.<code>.texts.<key>``,
# which wins.
LANGUAGE_TEXTS = (
    *("team", "needs", "request_needs", "timeline", "incident", "clarify", "private", "label"),
)
# The texts kept per channel (``languages.<code>.texts.private.<channel>``).
_PER_CHANNEL = ("private", "label")


def language_text(
    playbook: Playbook, lang: str, key: str, channel: str | None = None
) -> str | None:
    """One of :data:`LANGUAGE_TEXTS` in ``lang``; ``private`` and ``label`` are per channel.
    The team's name set in ``brand.team`` is a name, used in every language."""
    cache_key = ("language-text", lang, key, channel)
    if cache_key in playbook._cache:
        return playbook._cache[cache_key]
    own = str(playbook.get("language") or "en")
    spec = ((playbook.get("languages") or {}).get(lang) or {}).get("texts") or {}
    found: str | None
    if key == "team" and (playbook.get("brand") or {}).get("team"):
        found = text_for((playbook.get("brand") or {}).get("team"), lang)
    elif key in _PER_CHANNEL:
        mine = spec.get(key)
        found = text_for(mine.get(channel or ""), lang) if isinstance(mine, Mapping) else None
        if found is None:
            entry = (playbook.get("channels") or {}).get(channel or "") or {}
            found = text_for(entry.get(key), lang, own)
    else:
        found = text_for(spec.get(key), lang) if spec.get(key) is not None else None
        if found is None:
            found = text_for(playbook.get(key), lang, own)
    playbook._cache[cache_key] = found
    return found


def is_public(playbook: Playbook, channel: str | None) -> bool:
    """Whether a channel's conversation is public (a comment, a post): the default. A
    channel with ``public: false`` (an e-mail, a chat, a DM) is already private."""
    entry = (playbook.get("channels") or {}).get(channel or "") or {}
    return entry.get("public") is not False


def phrases_for(value: Any, lang: str) -> list[str]:
    """Pick a language's phrases from a phrase field (a list, or a {language: [..]} map).

    A plain list applies to every language.
    """
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, Mapping):
        return [str(v) for v in value.get(lang, [])]
    return []
