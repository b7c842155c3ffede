"""Presets: the exports and API shapes of the inbox tools agencies use, read as batch records.

One YAML file per source (``presets/<name>.yaml``) says where the records are, which of the
source's fields become replybook's, which records to leave out, how to normalise values
(times, star ratings, HTML, machine translations), the channel, and the prefix that keeps
one source's ids apart from another's in the team store.

Loading a preset reads its file; turning one source record into replybook records
(:meth:`Preset.expand`) is pure: plain values in, plain dicts out, nothing read or printed.
Batches (:mod:`replybook.batch`) do the reading.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import PlaybookError, UsageError
from .resources import data_dir

# The replybook fields a preset may fill (what draft and lint batches read).
FIELDS = (
    "id",
    "text",
    "name",
    "handle",
    "received_at",
    "channel",
    "context",
    "lang",
    "rating",
    "url",
    "parent_id",
    "agent",
    "comment",
)
NORMALISERS = ("time", "stars", "html", "google-translated", "lang")
OPERATORS = ("equals", "not_equals", "in", "not_in", "present", "same_as", "not_same_as")
MODES = ("draft", "lint")
# Places that say what shape a file is, beside the JSON paths of a document.
SHAPES = ("lines", "csv")
# Replies nested in replies (Graph API comments of comments) are followed this deep.
MAX_NESTING = 20
# A reply's context holds at most this many of the messages before it (the latest).
MAX_THREAD = 20

_KEYS = {
    "preset",
    "description",
    "reference",
    "note",
    "records",
    "unwrap",
    "replies",
    "fields",
    "filter",
    "channel",
    "id_prefix",
    "markers",
    "lint",
    "author",
    "conversation",
}
_SUFFIXES = (".yaml", ".yml")
_AUTHOR = ("name", "handle")
# What an `author:` section may say names a record's author, and how a staff list is given.
AUTHOR_KINDS = ("id", "username", "name")
_STAFF_KEYS = ("list", "id", "field", "in")
_LOOKUP_KEYS = ("list", "id", "field")
_ACCOUNT_LIMIT = 200


@dataclass(frozen=True)
class FieldSource:
    """One place a field's value may be read from: a dotted path in the source record, a
    map from the source's values to replybook's, and a normalisation."""

    path: str
    normalise: str | None = None
    map: Mapping[Any, Any] | None = None
    folded: Mapping[str, Any] | None = None  # the map's keys as values are compared
    # The value at ``path`` is an id, looked up in a list the document side-loads (Zendesk's
    # ``users``): (the list's path, the id's path in an entry, the path read from it).
    lookup: tuple[str, str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path}
        if self.normalise:
            out["normalise"] = self.normalise
        if self.map is not None:
            out["map"] = dict(self.map)
        if self.lookup is not None:
            out["lookup"] = dict(zip(_LOOKUP_KEYS, self.lookup, strict=True))
        return out


# A side-loaded list as lookups read it: by (list, id, field), each entry's id and value.
Tables = Mapping[tuple[str, str, str], Mapping[str, Any]]


@dataclass(frozen=True)
class Condition:
    """A filter: a record is read only when its ``field`` meets the condition.

    ``answered``: the condition leaves out what is already answered; ``--include-answered``
    drops it."""

    field: str
    op: str
    value: Any
    answered: bool = False

    def holds(self, record: Mapping[str, Any]) -> bool:
        found = lookup(record, self.field)
        if self.op == "present":
            return _given(found) is bool(self.value)
        if self.op in ("same_as", "not_same_as"):
            other = lookup(record, str(self.value))
            same = _given(found) and _given(other) and _same(found, other)
            return same if self.op == "same_as" else not same
        if self.op == "equals":
            return found is not None and _same(found, self.value)
        if self.op == "not_equals":
            return found is None or not _same(found, self.value)
        hit = found is not None and any(_same(found, v) for v in self.value)
        return hit if self.op == "in" else not hit

    def to_dict(self) -> dict[str, Any]:
        out = {"field": self.field, "op": self.op, "value": self.value}
        if self.answered:
            out["answered"] = True
        return out


@dataclass(frozen=True)
class Mode:
    """What a draft (or a lint) batch reads: field sources and filters. ``inherited``: the
    filters are the draft's (a lint section without a filter of its own)."""

    fields: Mapping[str, tuple[FieldSource, ...]]
    filters: tuple[Condition, ...]
    inherited: bool = False


@dataclass(frozen=True)
class Staff:
    """Users a document lists beside its records (Zendesk's ``?include=users``): the ones
    whose ``field`` holds one of ``values`` are the brand's own people."""

    list: str
    id: str
    field: str
    values: tuple[Any, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"list": self.list, "id": self.id, "field": self.field, "in": list(self.values)}


@dataclass(frozen=True)
class Author:
    """Which of a source's fields name a record's author: account ids, usernames and
    display names (each a list of paths, the first present read), and a document's staff."""

    ids: tuple[str, ...] = ()
    usernames: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    staff: Staff | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": list(self.ids),
            "username": list(self.usernames),
            "name": list(self.names),
        }
        out["staff"] = self.staff.to_dict() if self.staff is not None else None
        return out


@dataclass(frozen=True)
class Owner:
    """Who the brand is on the sources it answers: its own accounts' ids (``fb:1234`` for
    one source, by its id prefix; a plain id for any), usernames (without @, case-folded)
    and names (case-folded). What they write is the brand's, not a customer's."""

    ids: frozenset[str] = frozenset()
    usernames: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.ids or self.usernames or self.names)

    @classmethod
    def of(cls, brand: Mapping[str, Any] | None, own: Iterable[Any] = ()) -> Owner:
        """The owner a playbook's ``brand:`` section names (its ``handle``, ``handles``,
        ``accounts``, ``name`` and ``names``), with the accounts of ``--own`` added. Each
        account is checked (:func:`account_problem`); a bad one is a UsageError."""
        brand = brand or {}
        ids: set[str] = set()
        usernames = {_username(h) for h in _texts(brand.get("handle"), brand.get("handles"))}
        names = {_name(n) for n in _texts(brand.get("name"), brand.get("names"))}
        for where, values in (("brand.accounts", brand.get("accounts") or ()), ("--own", own)):
            for value in values:
                problem = account_problem(value)
                if problem is not None:
                    raise UsageError(f"{where}: {problem}")
                text = str(value).strip()
                if text.startswith("@"):
                    usernames.add(_username(text))
                else:
                    ids.add(text)
        return cls(frozenset(ids), frozenset(usernames - {""}), frozenset(names - {""}))


@dataclass(frozen=True)
class Own:
    """The owner as one preset can tell it: the ids that are the brand's on this source
    (prefix taken off), and the usernames and names when the source gives them."""

    ids: frozenset[str] = frozenset()
    usernames: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.ids or self.usernames or self.names)


NOBODY = Own()


def account_problem(value: Any) -> str | None:
    """What is wrong with an account of the brand's, or None: an id with its source's
    prefix (``fb:104523318876``), a plain id, or a username (``@acme.shop``)."""
    wanted = "expected an account id like 'fb:104523318876' or a username like '@acme.shop'"
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return f"{wanted}, got {_kind_of(value)}"
    text = str(value).strip()
    shown = repr(text if len(text) <= 40 else text[:37] + "...")
    if (
        not text
        or len(text) > _ACCOUNT_LIMIT
        or not text.isprintable()
        or any(c.isspace() for c in text)
    ):
        return f"{wanted}, got {shown}"
    if text.startswith("@"):
        return None if re.fullmatch(r"@[\w.]+", text) else f"{wanted}, got {shown}"
    prefix, sep, rest = text.partition(":")
    if sep and (not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]*", prefix) or not rest):
        return f"{wanted}, got {shown}"
    return None


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "a number" if isinstance(value, (int, float)) else type(value).__name__


def _texts(*values: Any) -> Iterator[str]:
    """Every text in values that are text, lists of text or {language: [text]} maps."""
    for value in values:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            yield from _texts(*value.values())
        elif isinstance(value, (list, tuple)):
            yield from _texts(*value)


def _username(value: str) -> str:
    return value.strip().lstrip("@").casefold()


def _name(value: str) -> str:
    return " ".join(value.split()).casefold()


def _id_text(value: Any) -> str | None:
    """An id as its text: a number as written (``42``, ``42.0``), text stripped; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else None
    if isinstance(value, (str, int)):
        text = str(value).strip()
        return text or None
    return None


@dataclass(frozen=True)
class Preset:
    """A source's shape, loaded and checked from its YAML file."""

    name: str
    description: str
    reference: str
    file: str
    records: tuple[str, ...]
    unwrap: tuple[str, ...]
    replies: tuple[str, ...]
    channel: str | None
    id_prefix: str
    markers: Mapping[str, str]
    modes: Mapping[str, Mode]
    note: str = ""
    paths: tuple[str, ...] = field(default=())
    author: Author | None = None
    conversation: tuple[str, ...] = ()

    # -- where the records are ----------------------------------------------------------

    def items(self, value: Any) -> Iterator[tuple[Any, Item | None]]:
        """Each source record in a JSON value, in order, with the record it replies to: a
        list's items, the list at one of the preset's paths, else the value itself; the
        comment inside a wrapper (``unwrap``), then its nested replies. In a list at one of
        the ``conversation`` paths (one ticket's comments), each record comes with the
        records before it (the latest :data:`MAX_THREAD`)."""
        found, conversation = self._listed(value)
        for index, item in enumerate(found):
            before = None
            if conversation and index:
                window = [
                    self._unwrapped(x) if isinstance(x, dict) else x
                    for x in found[max(0, index - MAX_THREAD) : index]
                ]
                before = Item(window[0], tuple(window[1:]), nested=False)
            yield from self._thread(item, before)

    def _listed(self, value: Any) -> tuple[list[Any], bool]:
        if isinstance(value, list):
            return value, False
        if isinstance(value, dict):
            for path in self.paths:
                found = lookup(value, path)
                if isinstance(found, list):
                    return found, path in self.conversation
        return [value], False

    def _thread(self, top: Any, before: Item | None = None) -> Iterator[tuple[Any, Item | None]]:
        # Iterative, depth first, in document order: a reply follows the record it answers
        # and the replies before it.
        stack: list[tuple[Any, Item | None, int]] = [(top, before, 0)]
        while stack:
            obj, parent, depth = stack.pop()
            if not isinstance(obj, dict):
                yield obj, parent
                continue
            record = self._unwrapped(obj)
            yield record, parent
            if depth >= MAX_NESTING:
                continue
            children = self._replies(obj, record)
            records = tuple(self._unwrapped(c) if isinstance(c, dict) else c for c in children)
            stack.extend(
                (child, Item(record, records[:index]), depth + 1)
                for index, child in reversed(list(enumerate(children)))
            )

    def _unwrapped(self, obj: dict[str, Any]) -> Any:
        for path in self.unwrap:
            inner = lookup(obj, path)
            if isinstance(inner, dict):
                return inner
        return obj

    def _replies(self, obj: dict[str, Any], record: Any) -> list[Any]:
        for holder in (obj, record) if record is not obj else (obj,):
            for path in self.replies:
                found = lookup(holder, path)
                if isinstance(found, list):
                    return found
        return []

    # -- one record ---------------------------------------------------------------------

    def expand(
        self,
        record: Any,
        parent: Item | None = None,
        *,
        mode: str = "draft",
        columns: Mapping[str, str] | None = None,
        include_answered: bool = False,
        own: Own = NOBODY,
        tables: Tables | None = None,
    ) -> dict[str, Any] | None:
        """One source record as a replybook record, or None when the preset's filters
        leave it out. ``columns`` (``--columns``) read those fields from the named source
        paths instead. A missing field is absent; a missing text is left for the batch to
        report (``no "text"``). ``own`` (:meth:`own`): the brand's accounts, whose records
        a draft leaves out and a lint reads (see :meth:`keeps`). ``tables``
        (:meth:`tables`): the lists the record's document side-loads, for lookups."""
        if not isinstance(record, dict):
            return {"_error": "expected a JSON object"}
        chosen = self.modes[mode]
        if not self.keeps(record, mode, include_answered, own):
            return None
        out: dict[str, Any] = {}
        for name, sources in chosen.fields.items():
            if columns and name in columns:
                continue
            value = self._value(record, sources, tables)
            if value is not None:
                out[name] = value
        for name, column in (columns or {}).items():
            value = _present(lookup(record, column))
            if value is not None:
                out[name] = value
        if "channel" not in out and self.channel:
            out["channel"] = self.channel
        if parent is not None and (parent.nested or own):
            self._thread_fields(out, record, parent, mode, include_answered, own, tables)
        for name in ("id", "parent_id"):
            if name in out and self.id_prefix:
                out[name] = self._prefixed(out[name])
        return out

    def keeps(
        self,
        record: Mapping[str, Any],
        mode: str = "draft",
        include: bool = False,
        own: Own = NOBODY,
    ) -> bool:
        """Whether the filters of ``mode`` keep the record (``include``: what is already
        answered too). With the brand's accounts known (``own``), a draft leaves out what
        they wrote; a lint reads only what they wrote where its filters are the draft's,
        and what they wrote beside what its own filters keep."""
        chosen = self.modes[mode]
        held = all(c.holds(record) for c in chosen.filters if not (include and c.answered))
        if not own:
            return held
        mine = self.authored(record, own)
        if mode == "draft":
            return held and not mine
        return (held and mine) if chosen.inherited else (held or mine)

    # -- who wrote it -------------------------------------------------------------------

    def own(self, owner: Owner | None, document: Any = None) -> Own:
        """The brand's accounts as this source names them: the owner's plain ids and those
        with this preset's id prefix (taken off), its usernames and names where the
        preset reads them, and the staff a ``document`` lists. Nothing when the preset
        can't tell who wrote a record."""
        author = self.author
        if author is None:
            return NOBODY
        ids: set[str] = set()
        if author.ids and owner is not None:
            for entry in owner.ids:
                if ":" not in entry:
                    ids.add(entry)
                elif self.id_prefix and entry.startswith(self.id_prefix):
                    ids.add(entry[len(self.id_prefix) :])
        if author.staff is not None and document is not None:
            ids.update(self._staff(author.staff, document))
        if owner is None and not ids:
            return NOBODY
        return Own(
            frozenset(ids),
            owner.usernames if owner is not None and author.usernames else frozenset(),
            owner.names if owner is not None and author.names else frozenset(),
        )

    def _staff(self, staff: Staff, document: Any) -> Iterator[str]:
        people = lookup(document, staff.list)
        if not isinstance(people, list):
            return
        for person in people:
            role = lookup(person, staff.field)
            if role is not None and any(_same(role, v) for v in staff.values):
                found = _id_text(lookup(person, staff.id))
                if found is not None:
                    yield found

    def authored(self, record: Any, own: Own) -> bool:
        """Whether one of the brand's accounts (``own``) wrote the record."""
        author = self.author
        if author is None or not own or not isinstance(record, Mapping):
            return False
        if own.ids:
            for path in author.ids:
                found = _id_text(lookup(record, path))
                if found is not None and found in own.ids:
                    return True
        if own.usernames:
            for path in author.usernames:
                found = lookup(record, path)
                if isinstance(found, str) and _username(found) in own.usernames:
                    return True
        if own.names:
            for path in author.names:
                found = lookup(record, path)
                if isinstance(found, str) and _name(found) in own.names:
                    return True
        return False

    def _author_id(self, record: Any) -> str | None:
        for path in self.author.ids if self.author is not None else ():
            found = _id_text(lookup(record, path))
            if found is not None:
                return found
        return None

    def tables(self, document: Any) -> Tables:
        """The lists a document side-loads that the preset's lookups read (Zendesk's
        ``users`` beside a ticket's comments), each by entry id, worked out once a
        document."""
        wanted = {
            source.lookup
            for mode in self.modes.values()
            for sources in mode.fields.values()
            for source in sources
            if source.lookup is not None
        }
        found: dict[tuple[str, str, str], dict[str, Any]] = {}
        for key in wanted:
            entries = lookup(document, key[0])
            if not isinstance(entries, list):
                continue
            table = found[key] = {}
            for entry in entries:
                entry_id = _id_text(lookup(entry, key[1]))
                value = _present(lookup(entry, key[2]))
                if entry_id is not None and value is not None:
                    table.setdefault(entry_id, value)
        return found

    def _value(
        self,
        record: Mapping[str, Any],
        sources: tuple[FieldSource, ...],
        tables: Tables | None = None,
    ) -> Any:
        for source in sources:
            value = _present(lookup(record, source.path))
            if value is None:
                continue
            if source.lookup is not None:
                entry_id = _id_text(value)
                table = (tables or {}).get(source.lookup) or {}
                value = table.get(entry_id) if entry_id is not None else None
                if value is None:
                    continue
            if source.folded is not None:
                value = source.folded.get(_key(value))
                if value is None:
                    continue
            if source.normalise is not None:
                value = normalise(source.normalise, value, self.markers)
            value = _present(value)
            if value is not None:
                return value
        return None

    def _thread_fields(
        self,
        out: dict[str, Any],
        record: Mapping[str, Any],
        parent: Item,
        mode: str,
        include_answered: bool,
        own: Own,
        tables: Tables | None = None,
    ) -> None:
        """A reply knows what it replies to: the parent's id, and the thread so far (the
        comment it replies to, then the replies before it) as its context for a draft,
        or the last comment before it that isn't the brand's as what it answers, for lint.
        A message the draft filters leave out is the brand's own. A record of a
        conversation has no parent: the records before it that the draft filters keep are
        its thread, the brand's accounts' among them the brand's."""
        fields = self.modes["draft"].fields
        if parent.nested and "parent_id" not in out and "id" in fields:
            parent_id = self._value(parent.record, fields["id"])
            if parent_id is not None:
                out["parent_id"] = parent_id
        if "text" not in fields:
            return
        thread = []
        for message in (parent.record, *parent.earlier)[-MAX_THREAD:]:
            if not isinstance(message, dict):
                continue
            if not parent.nested and not self.keeps(message, "draft", include_answered):
                continue  # not part of the conversation its customer sees (an internal note)
            text = self._value(message, fields["text"])
            if isinstance(text, str) and text.strip():
                thread.append((message, text))
        if not thread:
            return
        if mode == "lint":
            theirs = [m for m, _ in thread if self.keeps(m, "draft", include_answered, own)] or [
                thread[-1][0]
            ]
            answered = next(text for m, text in thread if m is theirs[-1])
            out.setdefault("comment", answered)
            name = self._value(theirs[-1], fields["name"], tables) if "name" in fields else None
            # The reply's own author (the agent a comment list names) is not who it greets.
            if isinstance(name, str) and ("name" not in out or theirs[-1] is not record):
                out["name"] = name
            return
        if "context" in out:
            return
        me = out.get("handle") or out.get("name")
        # With the brand known, an author is also told by their account id (a name may be
        # spelt one way in an e-mail's sender and another in the users side-loaded).
        by_id = self._author_id(record) if own else None
        context = []
        for message, text in thread:
            if not self.keeps(message, "draft", include_answered, own):
                role = "brand"
            elif (me is not None and self._author(message, tables) == me) or (
                by_id is not None and self._author_id(message) == by_id
            ):
                role = "customer"
            else:
                role = "other"
            context.append({"role": role, "text": text})
        out["context"] = context

    def _author(self, record: Mapping[str, Any], tables: Tables | None = None) -> Any:
        fields = self.modes["draft"].fields
        for name in ("handle", "name"):
            if name in fields:
                value = self._value(record, fields[name], tables)
                if value is not None:
                    return value
        return None

    def _prefixed(self, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            return value  # the batch reports what an id can't be
        text = str(value)
        return text if text.startswith(self.id_prefix) else self.id_prefix + text

    # -- for people -----------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The preset as ``replybook presets --format json`` shows it."""

        def mode_dict(mode: Mode) -> dict[str, Any]:
            return {
                "fields": {
                    name: [s.to_dict() for s in sources] for name, sources in mode.fields.items()
                },
                "filter": [c.to_dict() for c in mode.filters],
            }

        draft = mode_dict(self.modes["draft"])
        return {
            "name": self.name,
            "description": self.description,
            "reference": self.reference,
            "note": self.note or None,
            "records": list(self.records),
            "unwrap": list(self.unwrap),
            "replies": list(self.replies),
            "channel": self.channel,
            "id_prefix": self.id_prefix,
            "author": self.author.to_dict() if self.author is not None else None,
            "conversation": list(self.conversation),
            "fields": draft["fields"],
            "filter": draft["filter"],
            "lint": mode_dict(self.modes["lint"]),
        }


@dataclass(frozen=True)
class Item:
    """Where a reply was found: the record it replies to, and the replies before it."""

    record: Any
    earlier: tuple[Any, ...] = ()
    # False in a conversation: ``record`` is the first of the records before, not a parent.
    nested: bool = True


# ---------------------------------------------------------------------------------------
# Paths and values


def lookup(record: Any, path: str) -> Any:
    """The value at a dotted path (``from.name``), or None. A key that itself holds dots or
    spaces (a CSV column) is found whole first."""
    if not isinstance(record, Mapping):
        return None
    if path in record:
        return record[path]
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _present(value: Any) -> Any:
    """None for what counts as missing: null, an empty or blank text, an empty list."""
    if value is None:
        return None
    if isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, (list, dict)) and not value:
        return None
    return value


def _given(value: Any) -> bool:
    return _present(value) is not None


def _key(value: Any) -> str:
    """How a source value is compared: booleans as true/false, text case-folded, numbers as
    written (``0`` and ``"0"`` are the same; a CSV cell is always text)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip().casefold()


def _same(one: Any, two: Any) -> bool:
    if isinstance(one, (dict, list)) or isinstance(two, (dict, list)):
        return bool(one == two)
    return _key(one) == _key(two)


# ---------------------------------------------------------------------------------------
# Normalisations


def normalise(kind: str, value: Any, markers: Mapping[str, str] | None = None) -> Any:
    """A value as replybook reads it (see the README's "Presets"); what can't be read is
    left as it is, for the batch to report, or dropped where the field is optional."""
    if kind == "time":
        return to_iso(value)
    if kind == "stars":
        return stars(value)
    if kind == "html":
        return html_text(value) if isinstance(value, str) else value
    if kind == "google-translated":
        return original(value, markers or {}) if isinstance(value, str) else value
    if kind == "lang":
        return language(value)
    raise ValueError(kind)


_TWITTER_TIME = "%a %b %d %H:%M:%S %z %Y"
_OFFSET = re.compile(r"([+-]\d{2}):?(\d{2})$")
_FRACTION = re.compile(r"(\.\d+)")
# Epoch numbers this big are milliseconds (in seconds they'd be after the year 5000).
_MILLIS = 100_000_000_000


def to_iso(value: Any) -> Any:
    """Epoch seconds or milliseconds (a number or digits), RFC 3339 / ISO 8601 with any
    offset (``+0000`` too) and up to nine decimals, or Twitter's ``Tue Oct 31 22:10:47 +0000
    2017``: as ISO 8601 in UTC (``2017-10-31T22:10:47Z``). Anything else: as it was."""
    moment: datetime | None = None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", value):
        value = float(value)
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            return value
        seconds = value / 1000 if abs(value) >= _MILLIS else value
        try:
            moment = datetime.fromtimestamp(seconds, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return value
    elif isinstance(value, str):
        moment = _parse_text_time(value.strip())
        if moment is None:
            return value
    else:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    moment = moment.astimezone(timezone.utc).replace(microsecond=0)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment.year >= 1000 else value


def _parse_text_time(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, _TWITTER_TIME)
    except ValueError:
        pass
    body = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    body = _OFFSET.sub(r"\1:\2", body) if re.search(r"\d[T ]\d", body) else body
    # Python reads at most six decimals of a second; RFC 3339 allows nine.
    body = _FRACTION.sub(lambda m: m.group(1)[:7], body, count=1)
    try:
        return datetime.fromisoformat(body)
    except ValueError:
        return None


_STAR_MIN, _STAR_MAX = 1, 5


def stars(value: Any) -> int | None:
    """A rating as a whole number of stars from 1 to 5 (a number, or digits); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return int(min(_STAR_MAX, max(_STAR_MIN, round(value))))


_BREAKS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
_HIDDEN = {"script", "style", "head", "template"}


def html_text(markup: str) -> str:
    """HTML as plain text: tags dropped, entities decoded, ``<br>`` and paragraph ends as
    line breaks, what a browser never shows (scripts, styles) left out."""
    if "<" not in markup and "&" not in markup:
        return markup
    from html.parser import HTMLParser

    parts: list[str] = []
    hidden = 0

    class _Text(HTMLParser):
        def handle_starttag(self, tag: str, attrs: Any) -> None:
            nonlocal hidden
            if tag in _HIDDEN:
                hidden += 1
            elif tag in _BREAKS:
                parts.append("\n")

        def handle_startendtag(self, tag: str, attrs: Any) -> None:
            if tag in _BREAKS:
                parts.append("\n")

        def handle_endtag(self, tag: str) -> None:
            nonlocal hidden
            if tag in _HIDDEN:
                hidden = max(0, hidden - 1)
            elif tag in _BREAKS and tag != "br":
                parts.append("\n")

        def handle_data(self, data: str) -> None:
            if not hidden:
                parts.append(data)

    parser = _Text(convert_charrefs=True)
    parser.feed(markup)
    parser.close()
    text = "".join(parts).replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def original(text: str, markers: Mapping[str, str]) -> str:
    """The reviewer's own words of a machine-translated review: what follows the
    ``original`` marker ("(Translated by Google) X (Original) Y" is Y), or what comes before
    the ``translation`` marker ("Y (Translated by Google) X" is Y)."""
    mark_original = markers.get("original")
    mark_translation = markers.get("translation")
    if mark_original and mark_original in text:
        after = text.split(mark_original, 1)[1].strip()
        if after:
            return after
    if mark_translation and mark_translation in text:
        before = text.split(mark_translation, 1)[0].strip()
        if before:
            return before
        return text.split(mark_translation, 1)[1].strip()
    return text


_NO_LANGUAGE = {"und", "zxx", "mul", "mis"}


def language(value: Any) -> str | None:
    """A language tag's primary subtag, lower case (``en-US`` is ``en``); a tag that names
    no language (``und``) or isn't a tag is no language."""
    if not isinstance(value, str):
        return None
    primary = re.split(r"[-_]", value.strip(), maxsplit=1)[0].lower()
    if not re.fullmatch(r"[a-z]{2,3}", primary) or primary in _NO_LANGUAGE:
        return None
    return primary


# ---------------------------------------------------------------------------------------
# Loading


def builtin_presets() -> dict[str, Path]:
    """The shipped presets by name."""
    folder = data_dir() / "presets"
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def all_presets() -> list[Preset]:
    """Every shipped preset, loaded, by name."""
    return [load_preset(name) for name in builtin_presets()]


def load_preset(name: str) -> Preset:
    """A shipped preset by name, or a preset file (``.yaml``); an unknown name is one
    UsageError listing the shipped ones."""
    builtins = builtin_presets()
    if name in builtins:
        return _load(str(builtins[name]))
    if name.lower().endswith(_SUFFIXES) and Path(name).is_file():
        return _load(str(Path(name).resolve()))
    raise UsageError(
        f"--from {name!r}: no such preset; presets: {', '.join(builtins)} (or a preset file)"
    )


@lru_cache(maxsize=64)
def _load(file: str) -> Preset:
    from .playbook import _read_yaml

    data, origins = _read_yaml(Path(file))
    return _build(data, origins, file)


def _build(data: dict[str, Any], origins: Mapping[str, tuple[str, int]], file: str) -> Preset:
    def fail(message: str, path: str = "") -> PlaybookError:
        line = None
        probe = path
        while probe:
            if probe in origins:
                line = origins[probe][1]
                break
            probe = probe.rsplit(".", 1)[0] if "." in probe else ""
        return PlaybookError(message, file=file, line=line, path=path)

    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise fail(f"unknown key; keys: {', '.join(sorted(_KEYS))}", unknown[0])
    name = data.get("preset")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise fail("expected the preset's name: lower-case letters, digits and '-'", "preset")
    texts: dict[str, str] = {}
    for key in ("description", "reference"):
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise fail("expected text", key)
        texts[key] = " ".join(value.split())
    note = data.get("note", "")
    if not isinstance(note, str):
        raise fail("expected text", "note")
    records = _strings(data.get("records"), "records", fail)
    if not records:
        raise fail("expected where the records are: lines, csv or JSON paths", "records")
    unwrap = _strings(data.get("unwrap", []), "unwrap", fail)
    replies = _strings(data.get("replies", []), "replies", fail)
    channel = data.get("channel")
    if channel is not None and (not isinstance(channel, str) or not channel.strip()):
        raise fail("expected a channel name", "channel")
    prefix = data.get("id_prefix", "")
    if not isinstance(prefix, str):
        raise fail("expected text", "id_prefix")
    markers = data.get("markers", {})
    if not isinstance(markers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v for k, v in markers.items()
    ):
        raise fail("expected a mapping of marker names to text", "markers")
    draft = _mode(data, "", fail, markers)
    if "text" not in draft.fields:
        raise fail('expected a source for "text"', "fields")
    lint_data = data.get("lint", {})
    if not isinstance(lint_data, dict) or set(lint_data) - {"fields", "filter"}:
        raise fail("expected fields and filter", "lint")
    lint = _mode(lint_data, "lint.", fail, markers, base=draft)
    author = _author(data.get("author"), fail)
    conversation = _strings(data.get("conversation", []), "conversation", fail)
    for path in conversation:
        if path not in records or path in SHAPES:
            raise fail("expected one of the records' JSON paths", "conversation")
    return Preset(
        name=name,
        description=texts["description"],
        reference=texts["reference"],
        note=" ".join(note.split()),
        file=file,
        records=tuple(records),
        paths=tuple(r for r in records if r not in SHAPES),
        unwrap=tuple(unwrap),
        replies=tuple(replies),
        channel=channel,
        id_prefix=prefix,
        markers=dict(markers),
        modes={"draft": draft, "lint": lint},
        author=author,
        conversation=tuple(conversation),
    )


def _author(value: Any, fail: Any) -> Author | None:
    """``author:``: the paths that name a record's author, by kind, and a staff list."""
    if value is None:
        return None
    keys = (*AUTHOR_KINDS, "staff")
    if not isinstance(value, dict) or not value or set(value) - set(keys):
        raise fail(f"expected a mapping of {', '.join(keys)} to source paths", "author")
    paths = {kind: _strings(value.get(kind, []), f"author.{kind}", fail) for kind in AUTHOR_KINDS}
    staff = None
    spec = value.get("staff")
    if spec is not None:
        at = "author.staff"
        if not isinstance(spec, dict) or set(spec) != set(_STAFF_KEYS):
            raise fail(f"expected {', '.join(_STAFF_KEYS)}", at)
        for key in ("list", "id", "field"):
            if not isinstance(spec[key], str) or not spec[key].strip():
                raise fail("expected a source path", f"{at}.{key}")
        values = spec["in"]
        if (
            not isinstance(values, list)
            or not values
            or any(isinstance(v, (dict, list)) or v is None for v in values)
        ):
            raise fail("expected a list of values", f"{at}.in")
        staff = Staff(
            spec["list"].strip(), spec["id"].strip(), spec["field"].strip(), tuple(values)
        )
    if staff is not None and not paths["id"]:
        raise fail("a staff list needs the author's id", "author.id")
    return Author(tuple(paths["id"]), tuple(paths["username"]), tuple(paths["name"]), staff)


def _strings(value: Any, path: str, fail: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise fail("expected a path or a list of paths", path)
    return [v.strip() for v in value]


def _mode(
    data: Mapping[str, Any],
    at: str,
    fail: Any,
    markers: Mapping[str, str],
    base: Mode | None = None,
) -> Mode:
    raw_fields = data.get("fields", {})
    if not isinstance(raw_fields, dict):
        raise fail("expected a mapping of replybook fields to source paths", at + "fields")
    fields: dict[str, tuple[FieldSource, ...]] = {}
    if base is not None:
        # Lint reads replies: their author is the brand, not the customer a reply greets.
        fields = {k: v for k, v in base.fields.items() if k not in _AUTHOR}
    for name, spec in raw_fields.items():
        where = f"{at}fields.{name}"
        if name not in FIELDS:
            raise fail(f"unknown field; fields: {', '.join(FIELDS)}", where)
        items = spec if isinstance(spec, list) else [spec]
        if not items:
            raise fail("expected a path, a {path, normalise, map} or a list of them", where)
        fields[name] = tuple(_source(item, where, fail, markers) for item in items)
    inherited = "filter" not in data and base is not None
    if inherited:
        assert base is not None
        filters = base.filters
    else:
        filters = tuple(_conditions(data.get("filter", []), at + "filter", fail))
    return Mode(fields=fields, filters=filters, inherited=inherited)


def _source(item: Any, where: str, fail: Any, markers: Mapping[str, str]) -> FieldSource:
    if isinstance(item, str) and item.strip():
        return FieldSource(item.strip())
    if not isinstance(item, dict) or set(item) - {"path", "normalise", "map", "lookup"}:
        raise fail("expected a path, a {path, normalise, map, lookup} or a list of them", where)
    path = item.get("path")
    if not isinstance(path, str) or not path.strip():
        raise fail("expected a source path", where + ".path")
    kind = item.get("normalise")
    if kind is not None and kind not in NORMALISERS:
        raise fail(f"unknown normalisation; normalisations: {', '.join(NORMALISERS)}", where)
    if kind == "google-translated" and not markers:
        raise fail("google-translated needs the preset's markers", where)
    found = None
    spec = item.get("lookup")
    if spec is not None:
        if (
            not isinstance(spec, dict)
            or set(spec) != set(_LOOKUP_KEYS)
            or not all(isinstance(spec[k], str) and spec[k].strip() for k in _LOOKUP_KEYS)
        ):
            raise fail(
                "expected {list, id, field}: the side-loaded list, an entry's id, what to read",
                where + ".lookup",
            )
        found = (spec["list"].strip(), spec["id"].strip(), spec["field"].strip())
    mapping = item.get("map")
    if mapping is not None:
        if not isinstance(mapping, dict) or not mapping:
            raise fail("expected a mapping of source values to replybook values", where + ".map")
        folded = {_key(k): v for k, v in mapping.items()}
        return FieldSource(path.strip(), kind, mapping, folded, found)
    return FieldSource(path.strip(), kind, lookup=found)


def _conditions(value: Any, at: str, fail: Any) -> Iterator[Condition]:
    if not isinstance(value, list):
        raise fail("expected a list of conditions", at)
    for index, item in enumerate(value):
        where = f"{at}[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("field"), str):
            raise fail("expected {field, <operator>: value}", where)
        ops = [k for k in item if k in OPERATORS]
        extra = set(item) - {"field", "answered", *OPERATORS}
        if len(ops) != 1 or extra:
            raise fail(f"expected field and one of {', '.join(OPERATORS)}", where)
        op = ops[0]
        operand = item[op]
        if op in ("in", "not_in") and not isinstance(operand, list):
            raise fail("expected a list of values", f"{where}.{op}")
        if op == "present" and not isinstance(operand, bool):
            raise fail("expected true or false", f"{where}.{op}")
        if op in ("same_as", "not_same_as") and not isinstance(operand, str):
            raise fail("expected a source path", f"{where}.{op}")
        if isinstance(operand, dict):
            raise fail("expected a value", f"{where}.{op}")
        answered = item.get("answered", False)
        if not isinstance(answered, bool):
            raise fail("expected true or false", f"{where}.answered")
        yield Condition(item["field"], op, operand, answered)
