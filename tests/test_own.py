"""The brand's own accounts: their comments in a preset's source are the brand's, not a
customer's (left out of drafts, `brand` in a thread, what lint reads)."""

from __future__ import annotations

from pathlib import Path

import pytest

from replybook.batch import read_records
from replybook.errors import PlaybookError, UsageError
from replybook.presets import Owner, account_problem, load_preset

FIXTURES = Path(__file__).parent / "fixtures" / "presets"
PAGE = "104523318876"


def records(name: str, fixture: str, mode: str = "draft", owner: Owner | None = None):
    source = read_records(str(FIXTURES / fixture), name, mode=mode, owner=owner)
    out = [(number, record) for number, record, _ in source.records()]
    return out, source


def ids(found) -> list[str]:
    return [record["id"] for _, record in found]


# ---------------------------------------------------------------------------------------
# Who the brand is


def test_the_owner_of_a_brand_section_and_own_accounts():
    owner = Owner.of(
        {
            "name": "Acme  Shop",
            "handle": "@AcmeShop",
            "handles": ["@Acme_Help"],
            "names": {"ru": ["Акме Шоп"]},
            "accounts": ["fb:104523318876", 7001, "@acme.shop"],
        },
        ["zd:7002", "@Other.Acct"],
    )
    assert owner == Owner(
        ids=frozenset({"fb:104523318876", "7001", "zd:7002"}),
        usernames=frozenset({"acmeshop", "acme_help", "acme.shop", "other.acct"}),
        names=frozenset({"acme shop", "акме шоп"}),
    )
    assert not Owner.of(None)
    assert not Owner.of({"name": None, "handle": None})


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("fb:104523318876", None),
        ("104523318876", None),
        (104523318876, None),
        ("yt:UC_x5XG1OV2P6uZZ5FSM9Ttw", None),
        ("sp:fbc:1122_901", None),
        ("@acme.shop", None),
        ("fb:", "got 'fb:'"),
        (":1", "got ':1'"),
        ("@acme/shop", "got '@acme/shop'"),
        ("@", "got '@'"),
        ("", "got ''"),
        ("fb:1\x00", "got 'fb:1\\x00'"),
        (True, "got true/false"),
        (1.5, "got a number"),
        (["fb:1"], "got a list"),
        (None, "got nothing"),
    ],
)
def test_an_account_is_an_id_a_prefixed_id_or_a_username(value, problem):
    found = account_problem(value)
    if problem is None:
        assert found is None
    else:
        assert found == (
            "expected an account id like 'fb:104523318876' or a username like '@acme.shop', "
            + problem
        )


def test_an_account_with_a_space_is_refused():
    assert account_problem("fb: 1") == (
        "expected an account id like 'fb:104523318876' or a username like '@acme.shop', got 'fb: 1'"
    )
    with pytest.raises(UsageError) as caught:
        Owner.of({}, ["@Acme Shop"])
    assert str(caught.value) == (
        "--own: expected an account id like 'fb:104523318876' or a username like"
        " '@acme.shop', got '@Acme Shop'"
    )


# ---------------------------------------------------------------------------------------
# A preset of one's own: the author's display name


def test_a_preset_can_read_a_display_name_as_the_author(tmp_path):
    preset = tmp_path / "names.yaml"
    preset.write_text(
        "preset: names\ndescription: d\nreference: r\nrecords: [lines]\nid_prefix: 'n:'\n"
        "fields: {id: id, text: body, name: who}\nauthor: {name: who}\n",
        encoding="utf-8",
    )
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        '{"id": 1, "body": "hello", "who": "Dana"}\n{"id": 2, "body": "hi", "who": "acme  SHOP"}\n',
        encoding="utf-8",
    )
    owner = Owner.of({"name": "Acme Shop"})
    found = list(read_records(str(feed), str(preset), owner=owner).records())
    assert [r["id"] for _, r, _ in found] == ["n:1"]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (
            "author: {ids: from.id}\n",
            "author: expected a mapping of id, username, name, staff to source paths",
        ),
        ("author: {id: [1]}\n", "author.id: expected a path or a list of paths"),
        (
            "author: {id: a, staff: {list: users, id: id, field: role}}\n",
            "author.staff: expected list, id, field, in",
        ),
        (
            "author: {id: a, staff: {list: users, id: id, field: role, in: []}}\n",
            "author.staff.in: expected a list of values",
        ),
        (
            "author: {staff: {list: users, id: id, field: role, in: [agent]}}\n",
            "author.id: a staff list needs the author's id",
        ),
        ("conversation: items\n", "conversation: expected one of the records' JSON paths"),
    ],
)
def test_a_bad_author_section_is_one_line(tmp_path, body, problem):
    preset = tmp_path / "bad.yaml"
    preset.write_text(
        "preset: bad\ndescription: d\nreference: r\nrecords: [data, lines]\n"
        "fields: {text: body}\n" + body,
        encoding="utf-8",
    )
    with pytest.raises(PlaybookError) as caught:
        load_preset(str(preset))
    assert str(caught.value) == f"{preset}:6: {problem}"


