"""The brand's own accounts: their comments in a preset's source are the brand's, not a
customer's (left out of drafts, `brand` in a thread, what lint reads)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from replybook.batch import read_records
from replybook.cli import app
from replybook.errors import PlaybookError, UsageError
from replybook.playbook import load_playbook
from replybook.presets import NOBODY, Owner, account_problem, load_preset

FIXTURES = Path(__file__).parent / "fixtures" / "presets"
PAGE = "104523318876"
NOW = "2026-11-21T12:00:00Z"


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


def test_each_preset_takes_its_own_prefix_and_plain_ids():
    owner = Owner.of({}, ["fb:104523318876", "ig:17841400000000001", "7001", "@AcmeShop"])
    facebook = load_preset("facebook").own(owner)
    assert facebook.ids == {"104523318876", "7001"} and not facebook.usernames
    instagram = load_preset("instagram").own(owner)
    assert instagram.ids == {"17841400000000001", "7001"}
    assert instagram.usernames == {"acmeshop"}
    # A preset that can't tell who wrote a record knows nobody.
    assert load_preset("twcs").own(owner) is NOBODY
    assert not load_preset("facebook").own(Owner.of({}, ["ig:1", "@AcmeShop"]))


# ---------------------------------------------------------------------------------------
# Facebook: a Page replying in a comment's nested comments.data

ILONA = "The blender I ordered arrived with a cracked jug."
PAGE_REPLY = (
    "So sorry, Ilona! Please send us your order number in Messenger and we will ship a new jug."
)


def test_facebook_the_pages_own_replies_are_left_out_and_brand_in_the_thread():
    found, source = records("facebook", "facebook-page-replies.json", owner=Owner.of({}, [PAGE]))
    assert found == [
        (
            1,
            {
                "_line": 1,
                "id": "fb:5501_7001",
                "text": ILONA,
                "name": "Ilona Varga",
                "channel": "facebook",
                "received_at": "2026-11-21T09:00:00Z",
            },
        ),
        (
            3,
            {
                "_line": 3,
                "id": "fb:5501_7003",
                "text": "Done, it is order 4471.",
                "name": "Ilona Varga",
                "channel": "facebook",
                "received_at": "2026-11-21T09:45:00Z",
                "parent_id": "fb:5501_7001",
                "context": [
                    {"role": "customer", "text": ILONA},
                    {"role": "brand", "text": PAGE_REPLY},
                ],
            },
        ),
        (
            5,
            {
                "_line": 5,
                "id": "fb:5501_7010",
                "text": "Do you ship to Estonia?",
                "name": "Tomas Reyes",
                "channel": "facebook",
                "received_at": "2026-11-21T11:00:00Z",
            },
        ),
    ]
    assert (source.skipped, source.skipped_own) == (2, 2)


def test_facebook_lint_reads_the_pages_replies_against_what_they_answer():
    owner = Owner.of({"accounts": [f"fb:{PAGE}"]})
    found, source = records("facebook", "facebook-page-replies.json", "lint", owner)
    assert [
        (n, r["id"], r["text"][:20], r["comment"], r.get("name"), r.get("parent_id"))
        for n, r in found
    ] == [
        (2, "fb:5501_7002", PAGE_REPLY[:20], ILONA, "Ilona Varga", "fb:5501_7001"),
        (
            4,
            "fb:5501_7004",
            "Thanks, Ilona. The n",
            "Done, it is order 4471.",
            "Ilona Varga",
            "fb:5501_7001",
        ),
    ]
    # The customers' comments are not linted as replies; none is counted as the brand's.
    assert (source.skipped, source.skipped_own) == (3, 0)


def test_facebook_without_own_accounts_reads_as_before():
    found, source = records("facebook", "facebook-page-replies.json")
    assert ids(found) == [
        "fb:5501_7001",
        "fb:5501_7002",
        "fb:5501_7003",
        "fb:5501_7004",
        "fb:5501_7010",
    ]
    assert found[2][1]["context"] == [
        {"role": "customer", "text": ILONA},
        {"role": "other", "text": PAGE_REPLY},
    ]
    assert source.skipped == 0
    lint, _ = records("facebook", "facebook-page-replies.json", "lint")
    assert len(lint) == 5
    # Own accounts of another source change nothing either.
    other, _ = records(
        "facebook", "facebook-page-replies.json", owner=Owner.of({"handle": "@AcmeShop"}, ["ig:1"])
    )
    assert other == found


# ---------------------------------------------------------------------------------------
# Instagram: the brand's username, with or without ids

MARTA = "My order still shows as processing after ten days"
BRAND_DM = "@marta.k sorry for the wait! Please send us a DM with your order number."


def test_instagram_a_reply_by_the_brands_handle_is_the_brands():
    owner = Owner.of({"handle": "@acmeshop"})
    found, source = records("instagram", "instagram-brand-replies.jsonl", owner=owner)
    assert ids(found) == ["ig:17900000000000001", "ig:17900000000000003", "ig:17900000000000005"]
    assert found[1][1]["context"] == [
        {"role": "customer", "text": MARTA},
        {"role": "brand", "text": BRAND_DM},
    ]
    # The brand's own post on line 2 (from.username acmeshop); a fan's handle isn't the brand's.
    assert (source.skipped, source.skipped_own) == (2, 2)
    lint, _ = records("instagram", "instagram-brand-replies.jsonl", "lint", owner)
    assert [(r["id"], r.get("comment")) for _, r in lint] == [
        ("ig:17900000000000002", MARTA),
        ("ig:17900000000000004", None),
    ]


def test_instagram_ids_alone_find_only_the_comments_that_carry_one():
    owner = Owner.of({}, ["ig:17841400000000001"])
    found, source = records("instagram", "instagram-brand-replies.jsonl", owner=owner)
    assert ids(found) == [
        "ig:17900000000000001",
        "ig:17900000000000002",
        "ig:17900000000000003",
        "ig:17900000000000005",
    ]
    assert source.skipped_own == 1


# ---------------------------------------------------------------------------------------
# Zendesk: a ticket's comment list, agents replying

LENA = "My order 5520 arrived without the charger."
AGENT = "Hi Lena, sorry about that! Could you send us a photo of the box label?"
PHOTO = "Here is the photo. When will the charger come?"


def test_zendesk_side_loaded_agents_and_admins_are_the_brand():
    found, source = records("zendesk", "zendesk-conversation.json")
    assert found == [
        (
            1,
            {
                "_line": 1,
                "id": "zd:9001",
                "text": LENA,
                # The author's name, from the users the comment list side-loads.
                "name": "Lena Berg",
                "received_at": "2026-11-20T08:00:00Z",
            },
        ),
        (
            4,
            {
                "_line": 4,
                "id": "zd:9004",
                "text": PHOTO,
                "name": "Lena Berg",
                "received_at": "2026-11-20T09:30:00Z",
                # The same author id is the customer; the internal note is in no thread.
                "context": [
                    {"role": "customer", "text": LENA},
                    {"role": "brand", "text": AGENT},
                ],
            },
        ),
    ]
    assert (source.skipped, source.skipped_own) == (3, 3)


def test_zendesk_lint_reads_the_agents_public_comments_against_the_requesters_latest():
    found, source = records("zendesk", "zendesk-conversation.json", "lint")
    assert [(n, r["id"], r["comment"], r["name"]) for n, r in found] == [
        (2, "zd:9002", LENA, "Lena Berg"),
        (5, "zd:9005", PHOTO, "Lena Berg"),
    ]
    assert "parent_id" not in found[0][1] and source.skipped == 3


def _without_users(tmp_path: Path) -> str:
    document = json.loads((FIXTURES / "zendesk-conversation.json").read_text(encoding="utf-8"))
    del document["users"]
    path = tmp_path / "comments.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def test_zendesk_agent_ids_say_the_same_without_side_loaded_users(tmp_path):
    path = _without_users(tmp_path)
    owner = Owner.of({"accounts": ["zd:7001", "zd:7002"]})
    with_ids = list(read_records(path, "zendesk", owner=owner).records())
    side_loaded, _ = records("zendesk", "zendesk-conversation.json")
    # Without the users there is no name to read; everything else is the same.
    assert [(n, r) for n, r, _ in with_ids] == [
        (n, {k: v for k, v in r.items() if k != "name"}) for n, r in side_loaded
    ]


def test_zendesk_without_agents_known_reads_as_before(tmp_path):
    plain = list(read_records(_without_users(tmp_path), "zendesk").records())
    assert [(r["id"], "context" in r) for _, r, _ in plain] == [
        ("zd:9001", False),
        ("zd:9002", False),
        ("zd:9004", False),
        ("zd:9005", False),
    ]
    lint = list(read_records(_without_users(tmp_path), "zendesk", mode="lint").records())
    assert [(r["id"], "comment" in r) for _, r, _ in lint] == [
        ("zd:9001", False),
        ("zd:9002", False),
        ("zd:9004", False),
        ("zd:9005", False),
    ]


# ---------------------------------------------------------------------------------------
# YouTube: the channel's own comments were already told apart; another channel of the
# brand's is too, with its id


def _youtube_thread(tmp_path: Path) -> str:
    def comment(cid: str, author: str, text: str, parent: str | None = None) -> dict:
        snippet = {
            "channelId": "UCacme",
            "videoId": "vid1",
            "textOriginal": text,
            "authorDisplayName": author,
            "authorChannelId": {"value": author},
            "publishedAt": "2026-11-21T10:00:00Z",
        }
        if parent:
            snippet["parentId"] = parent
        return {"kind": "youtube#comment", "id": cid, "snippet": snippet}

    thread = {
        "kind": "youtube#commentThread",
        "id": "T1",
        "snippet": {"channelId": "UCacme", "topLevelComment": comment("T1", "UCdana", "Broken.")},
        "replies": {
            "comments": [
                comment("T1.a", "UCacme", "Sorry, Dana! Write to us.", "T1"),
                comment("T1.b", "UCacmehelp", "We have your e-mail, Dana.", "T1"),
            ]
        },
    }
    path = tmp_path / "threads.json"
    path.write_text(json.dumps({"items": [thread]}), encoding="utf-8")
    return str(path)


def test_youtube_the_channels_own_as_before_and_another_channel_of_the_brands(tmp_path):
    path = _youtube_thread(tmp_path)
    plain = read_records(path, "youtube")
    assert [r["id"] for _, r, _ in plain.records()] == ["yt:T1", "yt:T1.b"]
    assert plain.skipped == 1
    owner = Owner.of({}, ["yt:UCacmehelp"])
    mine = read_records(path, "youtube", owner=owner)
    assert [r["id"] for _, r, _ in mine.records()] == ["yt:T1"]
    assert (mine.skipped, mine.skipped_own) == (2, 1)
    lint = read_records(path, "youtube", mode="lint", owner=owner)
    assert [(r["id"], r["comment"]) for _, r, _ in lint.records()] == [
        ("yt:T1.a", "Broken."),
        ("yt:T1.b", "Broken."),
    ]


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


# ---------------------------------------------------------------------------------------
# The playbook's brand.accounts


def test_brand_accounts_load_and_a_bad_one_names_file_line_and_key(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(
        "playbook: t\nextends: default\nbrand:\n  name: T\n"
        '  accounts: ["fb:104523318876", 7001, "@acme.shop"]\n',
        encoding="utf-8",
    )
    book = load_playbook(good)
    assert Owner.of(book.get("brand")).ids == {"fb:104523318876", "7001"}
    bad = tmp_path / "replybook.yaml"
    bad.write_text(
        'playbook: t\nextends: default\nbrand:\n  name: T\n  accounts: ["fb:1", "fb: 2"]\n',
        encoding="utf-8",
    )
    with pytest.raises(PlaybookError) as caught:
        load_playbook(bad)
    assert str(caught.value) == (
        f"{bad}:5: brand.accounts[1]: expected an account id like 'fb:104523318876' or a"
        " username like '@acme.shop', got 'fb: 2'"
    )
    listed = tmp_path / "listed.yaml"
    listed.write_text(
        "playbook: t\nextends: default\nbrand:\n  name: T\n  accounts: fb:1\n", encoding="utf-8"
    )
    with pytest.raises(PlaybookError) as caught:
        load_playbook(listed)
    assert str(caught.value) == f"{listed}:5: brand.accounts: expected a list, got text"


# ---------------------------------------------------------------------------------------
# On the command line: --own and brand.accounts

runner = CliRunner()
FB = str(FIXTURES / "facebook-page-replies.json")
LEFT_OUT = (
    "replybook: 2 records left out by the facebook preset's filters"
    " (2 written by the brand's own accounts)\n"
)


def invoke(*args: str):
    return runner.invoke(app, list(args))


def out_ids(stdout: str) -> list[str]:
    return [json.loads(line)["id"] for line in stdout.splitlines()]


def _brand_playbook(tmp_path: Path, brand: str) -> str:
    path = tmp_path / "brand.yaml"
    path.write_text(f"playbook: t\nextends: default\nbrand:\n{brand}", encoding="utf-8")
    return str(path)


def test_draft_batch_leaves_out_the_pages_own_replies_given_with_own():
    args = ("draft", "--batch", FB, "--from", "facebook", "--no-store", "--received-at", NOW)
    result = invoke(*args, "--own", "fb:104523318876")
    assert result.exit_code == 0
    assert result.stderr == LEFT_OUT
    assert out_ids(result.stdout) == ["fb:5501_7001", "fb:5501_7003", "fb:5501_7010"]
    # Without own accounts, as before: every comment drafted, nothing said on stderr.
    before = invoke(*args)
    assert before.exit_code == 0 and before.stderr == ""
    assert out_ids(before.stdout) == [
        "fb:5501_7001",
        "fb:5501_7002",
        "fb:5501_7003",
        "fb:5501_7004",
        "fb:5501_7010",
    ]
    # Another source's account changes nothing.
    other = invoke(*args, "--own", "ig:104523318876")
    assert (other.exit_code, other.stdout, other.stderr) == (0, before.stdout, "")


def test_the_playbooks_brand_accounts_do_what_own_does(tmp_path):
    book = _brand_playbook(tmp_path, '  name: Acme Shop\n  accounts: ["fb:104523318876"]\n')
    args = ("draft", "--batch", FB, "--from", "facebook", "--no-store", "--received-at", NOW)
    from_book = invoke(*args, "--playbook", book)
    from_own = invoke(*args, "--own", "fb:104523318876")
    assert from_book.exit_code == 0 and from_book.stderr == LEFT_OUT
    # The same drafts, but for the brand name the playbook signs with.
    assert out_ids(from_book.stdout) == out_ids(from_own.stdout)
    # --own adds to brand.accounts.
    both = invoke("lint", "--batch", FB, "--from", "facebook", "--playbook", book, "--own", "9102")
    assert out_ids(both.stdout) == ["fb:5501_7002", "fb:5501_7004", "fb:5501_7010"]


def test_lint_batch_reads_the_pages_replies_against_the_comments_they_answer():
    result = invoke("lint", "--batch", FB, "--from", "facebook", "--own", "fb:104523318876")
    assert result.exit_code == 1
    assert result.stderr == "replybook: 3 records left out by the facebook preset's filters\n"
    found = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(o["id"], [f["rule"] for f in o["findings"]]) for o in found] == [
        ("fb:5501_7002", ["signature"]),
        ("fb:5501_7004", ["complaint-without-apology", "complaint-without-next-step", "signature"]),
    ]


def test_triage_a_zendesk_ticket_with_side_loaded_agents():
    result = invoke(
        "triage",
        str(FIXTURES / "zendesk-conversation.json"),
        "--from",
        "zendesk",
        "--no-store",
        "--now",
        NOW,
        "--format",
        "json",
    )
    assert result.exit_code == 0
    assert result.stderr == (
        "replybook: 3 records left out by the zendesk preset's filters"
        " (3 written by the brand's own accounts)\n"
    )
    assert sorted(q["id"] for q in json.loads(result.stdout)["queue"]) == ["zd:9001", "zd:9004"]


def test_listen_leaves_out_the_brands_own_instagram_comments(tmp_path):
    book = _brand_playbook(tmp_path, '  name: Acme Shop\n  handle: "@AcmeShop"\n')
    feed = str(FIXTURES / "instagram-brand-replies.jsonl")
    result = invoke("listen", feed, "--from", "instagram", "--playbook", book)
    assert result.exit_code == 0
    assert out_ids(result.stdout) == ["ig:17900000000000003"]
    assert result.stderr.startswith(
        "replybook: 2 records left out by the instagram preset's filters"
        " (2 written by the brand's own accounts)\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("draft", "--own", "fb:1", "some text"),
            "--own needs --from: a preset says which field names the author",
        ),
        (
            ("triage", FB, "--own", "fb:1", "--no-store"),
            "--own needs --from: a preset says which field names the author",
        ),
        (
            ("draft", "--batch", FB, "--from", "facebook", "--own", "fb: 1", "--no-store"),
            "--own: expected an account id like 'fb:104523318876' or a username like"
            " '@acme.shop', got 'fb: 1'",
        ),
        (
            ("lint", "--batch", FB, "--from", "twcs", "--own", "tw:1"),
            "--own: the twcs preset can't tell who wrote a record"
            " (presets that can: facebook, instagram, youtube, zendesk)",
        ),
        (
            ("listen", FB, "--own", "@acme"),
            "--own needs --from: a preset says which field names the author",
        ),
    ],
)
def test_own_usage_errors_are_one_line_and_exit_2(args, message):
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"replybook: error: {message}\n"
