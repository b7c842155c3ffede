"""Presets: each source's shape in, replybook records out; --from on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from replybook.batch import Source, read_records
from replybook.cli import app
from replybook.errors import PlaybookError, UsageError
from replybook.presets import (
    NOBODY,
    Owner,
    builtin_presets,
    html_text,
    language,
    load_preset,
    original,
    stars,
    to_iso,
)
from replybook.runner import FILE_LIMIT, Drafter

FIXTURES = Path(__file__).parent / "fixtures" / "presets"
NOW = "2026-11-23T09:00:00Z"
runner = CliRunner()


def invoke(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def records(
    name: str, fixture: str, mode: str = "draft", **options: object
) -> list[tuple[int, dict | None, str | None]]:
    source = read_records(str(FIXTURES / fixture), name, mode=mode, **options)  # type: ignore[arg-type]
    return list(source.records())


def lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


# ---------------------------------------------------------------------------------------
# Each preset on a fixture in its source's shape


def test_facebook_flattens_replies_with_parent_and_thread():
    thread = "My order A-17 never arrived and nobody answers my emails."
    assert records("facebook", "facebook.json") == [
        (
            1,
            {
                "_line": 1,
                "id": "fb:1122_3301",
                "text": thread,
                "name": "Ilona Varga",
                "channel": "facebook",
                "received_at": "2026-11-22T18:04:11Z",
                "url": "https://www.facebook.com/acmeshop/posts/1122?comment_id=3301",
            },
            None,
        ),
        (
            2,
            {
                "_line": 2,
                "id": "fb:1122_3302",
                "text": "Same here, still waiting since Monday",
                "name": "Tomas Reyes",
                "channel": "facebook",
                "received_at": "2026-11-22T18:30:00Z",
                "parent_id": "fb:1122_3301",
                "context": [{"role": "other", "text": thread}],
            },
            None,
        ),
        (
            3,
            {
                "_line": 3,
                "id": "fb:1122_3303",
                "text": "Any update on this?",
                "name": "Ilona Varga",
                "channel": "facebook",
                "received_at": "2026-11-22T19:00:00Z",
                "parent_id": "fb:1122_3301",
                "context": [
                    {"role": "customer", "text": thread},
                    {"role": "other", "text": "Same here, still waiting since Monday"},
                ],
            },
            None,
        ),
        # No message (a photo comment): no text, for the batch to report; no name is absent.
        (
            4,
            {
                "_line": 4,
                "id": "fb:1122_3304",
                "name": "Sam Photo",
                "channel": "facebook",
                "received_at": "2026-11-22T20:00:00Z",
            },
            None,
        ),
        (
            5,
            {
                "_line": 5,
                "id": "fb:1122_3305",
                "text": "Love the new flavour!",
                "channel": "facebook",
                "received_at": "2026-11-22T21:15:00Z",
            },
            None,
        ),
    ]


def test_instagram_reads_one_comment_a_line_and_its_replies():
    assert records("instagram", "instagram.jsonl") == [
        (
            1,
            {
                "_line": 1,
                "id": "ig:17858893269000001",
                "text": "Where is my refund?? It has been three weeks",
                "handle": "marta.k",
                "channel": "instagram",
                "received_at": "2026-11-22T08:00:00Z",
            },
            None,
        ),
        (
            1,
            {
                "_line": 1,
                "id": "ig:17858893269000002",
                "text": "@marta.k same problem here",
                "handle": "joonas_v",
                "channel": "instagram",
                "received_at": "2026-11-22T08:20:00Z",
                "parent_id": "ig:17858893269000001",
                "context": [
                    {"role": "other", "text": "Where is my refund?? It has been three weeks"}
                ],
            },
            None,
        ),
        (
            2,
            {
                "_line": 2,
                "id": "ig:17858893269000003",
                "text": "gorgeous colours 😍",
                "handle": "lea.designs",
                "channel": "instagram",
                "received_at": "2026-11-22T09:45:10Z",
            },
            None,
        ),
        (
            3,
            {
                "_line": 3,
                "id": "ig:17858893269000004",
                "handle": "no_words",
                "channel": "instagram",
                "received_at": "2026-11-22T10:00:00Z",
            },
            None,
        ),
    ]


def test_youtube_unwraps_threads_reads_html_and_leaves_out_the_channels_own():
    source = read_records(str(FIXTURES / "youtube.json"), "youtube")
    assert list(source.records()) == [
        (
            1,
            {
                "_line": 1,
                "id": "yt:UgzThread1",
                "text": "The app crashes every time I open settings",
                "name": "@rikuplays",
                "channel": "youtube",
                "received_at": "2026-11-21T12:00:00Z",
            },
            None,
        ),
        # Record 2 is the channel's own reply: left out, but part of the next one's thread.
        (
            3,
            {
                "_line": 3,
                "id": "yt:UgzThread1.reply2",
                "text": "A Pixel 8, and it is still broken after the update",
                "name": "@rikuplays",
                "channel": "youtube",
                "received_at": "2026-11-21T14:30:00Z",
                "parent_id": "yt:UgzThread1",
                "context": [
                    {"role": "customer", "text": "The app crashes every time I open settings"},
                    {
                        "role": "brand",
                        "text": "Sorry about that! Could you tell us which phone you use?",
                    },
                ],
            },
            None,
        ),
        (
            4,
            {
                "_line": 4,
                "id": "yt:UgzThread2",
                "text": "Great video!\nWhere can I buy the blue one & the case?",
                "name": "@nadia_m",
                "channel": "youtube",
                "received_at": "2026-11-22T07:05:00Z",
            },
            None,
        ),
    ]
    assert source.skipped == 2


def test_youtube_lint_reads_the_channels_replies_against_the_comment_they_answer():
    assert records("youtube", "youtube.json", mode="lint") == [
        (
            2,
            {
                "_line": 2,
                "id": "yt:UgzThread1.reply1",
                "text": "Sorry about that! Could you tell us which phone you use?",
                "comment": "The app crashes every time I open settings",
                "name": "@rikuplays",
                "channel": "youtube",
                "received_at": "2026-11-21T13:00:00Z",
                "parent_id": "yt:UgzThread1",
            },
            None,
        ),
        (
            5,
            {
                "_line": 5,
                "id": "yt:UgzThread3",
                "text": "Pinned: the new version is out today",
                "channel": "youtube",
                "received_at": "2026-11-20T09:00:00Z",
            },
            None,
        ),
    ]


def test_google_reviews_stars_translations_and_answered_reviews():
    assert records("google-reviews", "google-reviews.json") == [
        (
            1,
            {
                "_line": 1,
                "id": "gr:rvA",
                "text": "Lovely staff and the best cinnamon buns in town.",
                "name": "Heidi Laine",
                "channel": "google-reviews",
                "received_at": "2026-11-20T08:15:42Z",
                "rating": 5,
            },
            None,
        ),
        (
            2,
            {
                "_line": 2,
                "id": "gr:rvB",
                "text": "Odotimme pöytää neljäkymmentä minuuttia.",
                "name": "Mikko Aalto",
                "channel": "google-reviews",
                "received_at": "2026-11-21T17:40:00Z",
                "rating": 2,
            },
            None,
        ),
        # Record 3 is answered (it has a reviewReply): left out.
        # A rating without a comment: no text, for the batch to report.
        (
            4,
            {
                "_line": 4,
                "id": "gr:rvD",
                "channel": "google-reviews",
                "received_at": "2026-11-22T06:30:00Z",
                "rating": 3,
            },
            None,
        ),
        # The original first, the translation after it; STAR_RATING_UNSPECIFIED is none.
        (
            5,
            {
                "_line": 5,
                "id": "gr:rvE",
                "text": "Servis çok yavaştı.",
                "name": "Elif Kaya",
                "channel": "google-reviews",
                "received_at": "2026-11-22T19:05:00Z",
            },
            None,
        ),
    ]
    with_answered = records("google-reviews", "google-reviews.json", include_answered=True)
    assert [n for n, _, _ in with_answered] == [1, 2, 3, 4, 5]
    assert with_answered[2][1]["text"] == "Good coffee, a bit noisy at lunch."


def test_google_reviews_lint_reads_the_owners_replies_against_the_reviews():
    assert records("google-reviews", "google-reviews.json", mode="lint") == [
        (
            3,
            {
                "_line": 3,
                "id": "gr:rvC",
                "text": (
                    "Thanks Joe, glad you liked the coffee! We are adding quieter seats in the"
                    " back. ^AC"
                ),
                "comment": "Good coffee, a bit noisy at lunch.",
                "name": "Joe Park",
                "channel": "google-reviews",
                "received_at": "2026-11-18T12:00:00Z",
                "rating": 4,
            },
            None,
        )
    ]


def test_chatwoot_reads_incoming_public_messages_with_epoch_times():
    source = read_records(str(FIXTURES / "chatwoot.json"), "chatwoot")
    assert list(source.records()) == [
        (
            1,
            {
                "_line": 1,
                "id": "cw:501",
                "text": "Hi, my card was charged twice for one order",
                "name": "Priya Nair",
                "received_at": "2026-11-23T10:00:00Z",
            },
            None,
        ),
        # Outgoing (2), private (3): left out. Epoch milliseconds read as well as seconds.
        (
            4,
            {
                "_line": 4,
                "id": "cw:504",
                "text": "Thank you for the quick help!",
                "name": "Priya Nair",
                "received_at": "2026-11-23T11:06:40Z",
            },
            None,
        ),
        # An activity message (5) is left out; an incoming one without content is not.
        (
            6,
            {
                "_line": 6,
                "id": "cw:506",
                "name": "Priya Nair",
                "received_at": "2026-11-23T11:10:00Z",
            },
            None,
        ),
    ]
    assert source.skipped == 3
    assert [r["id"] for _, r, _ in records("chatwoot", "chatwoot.json", mode="lint")] == ["cw:502"]


def test_chatwoot_webhook_events_one_a_line_map_the_channel():
    assert records("chatwoot", "chatwoot-webhooks.jsonl") == [
        (
            1,
            {
                "_line": 1,
                "id": "cw:901",
                "text": "Is the blue jacket back in stock?",
                "name": "Lena Berg",
                # Chatwoot's Instagram inbox holds direct messages: a private channel.
                "channel": "instagram-dm",
                "received_at": "2026-11-22T10:00:00Z",
            },
            None,
        ),
        # The website widget is a chat: already private too.
        (
            3,
            {
                "_line": 3,
                "id": "cw:903",
                "text": "Do you ship to Norway?",
                "name": "Ola N",
                "channel": "chat",
                "received_at": "2026-11-22T11:00:00Z",
            },
            None,
        ),
    ]


def test_zendesk_tickets_skip_solved_unless_asked():
    assert records("zendesk", "zendesk-tickets.json") == [
        (
            1,
            {
                "_line": 1,
                "id": "zd:35436",
                "text": "My parcel was marked delivered but it is not here.",
                "name": "Ana Souza",
                "channel": "x",
                "received_at": "2026-11-21T10:00:00Z",
            },
            None,
        ),
        (
            3,
            {
                "_line": 3,
                "id": "zd:35438",
                "text": "I got a medium instead of a large",
                # A web-form ticket is a private conversation: e-mail.
                "channel": "email",
                "received_at": "2026-11-23T08:00:00Z",
            },
            None,
        ),
    ]
    answered = records("zendesk", "zendesk-tickets.json", include_answered=True)
    assert [r["id"] for _, r, _ in answered] == ["zd:35436", "zd:35437", "zd:35438"]
    assert answered[1][1]["name"] == "Li Wei"
    assert answered[1][1]["channel"] == "email"


def test_zendesk_comments_public_only_html_as_text():
    assert records("zendesk", "zendesk-comments.json") == [
        (
            1,
            {
                "_line": 1,
                "id": "zd:1274",
                "text": "Hello, my parcel was marked delivered but it is not here.",
                "received_at": "2026-11-21T10:00:00Z",
            },
            None,
        ),
        (
            3,
            {
                "_line": 3,
                "id": "zd:1276",
                "text": "Still nothing & the neighbour has no parcel.\n\nPlease help\ntoday",
                "received_at": "2026-11-21T12:00:00Z",
            },
            None,
        ),
    ]


def test_sprout_maps_networks_and_languages_and_leaves_out_the_teams_own():
    assert records("sprout", "sprout.json") == [
        (
            1,
            {
                "_line": 1,
                "id": "sp:fbc:1122_901",
                "text": "Tilaukseni on myöhässä jo viikon.",
                "name": "Kai Lehto",
                "channel": "facebook",
                "received_at": "2026-11-22T10:00:00Z",
                "lang": "fi",
                "url": "https://www.facebook.com/1122_901",
            },
            None,
        ),
        (
            2,
            {
                "_line": 2,
                "id": "sp:tw:1860000000000000001",
                "text": "@AcmeShop my discount code does not work",
                "name": "Dana K",
                "handle": "dana_k",
                "channel": "x",
                "received_at": "2026-11-22T11:30:00Z",
                "lang": "en",
            },
            None,
        ),
        # 3 was sent by the team; Pinterest is no playbook channel; "und" is no language.
        (
            4,
            {
                "_line": 4,
                "id": "sp:pin:55",
                "text": "Pinned this for my wedding board",
                "name": "June",
                "received_at": "2026-11-22T12:00:00Z",
            },
            None,
        ),
    ]
    assert [r["id"] for _, r, _ in records("sprout", "sprout.json", mode="lint")] == [
        "sp:tw:1860000000000000002"
    ]


def test_hootsuite_csv_inbound_rows():
    assert records("hootsuite", "hootsuite.csv") == [
        (
            2,
            {
                "_line": 2,
                "id": "hs:m-1001",
                "text": "My package arrived damaged",
                "name": "Noor Haddad",
                "channel": "facebook",
                "received_at": "2026-11-22T14:05:00Z",
            },
            None,
        ),
        (
            4,
            {
                "_line": 4,
                "id": "hs:m-1003",
                "text": "Do you have this in green?",
                "name": "pekka_r",
                "channel": "instagram",
                "received_at": "2026-11-22T13:00:00Z",
            },
            None,
        ),
    ]


def test_twcs_inbound_tweets_with_twitter_times():
    assert records("twcs", "support-tweets.csv") == [
        (
            2,
            {
                "_line": 2,
                "id": "tw:119237",
                "text": "@AcmeSupport my phone keeps restarting since the update",
                "channel": "x",
                "received_at": "2017-10-31T22:10:47Z",
            },
            None,
        ),
        (
            4,
            {
                "_line": 4,
                "id": "tw:119238",
                "text": "@AcmeSupport the X200 and it is still restarting",
                "channel": "x",
                "received_at": "2017-10-31T22:20:33Z",
                "parent_id": "tw:119236",
            },
            None,
        ),
    ]
    linted = records("twcs", "support-tweets.csv", mode="lint")
    assert [r["id"] for _, r, _ in linted] == ["tw:119236"]


def test_every_shipped_preset_has_a_fixture_tested_here():
    tested = {
        "chatwoot",
        "facebook",
        "google-reviews",
        "hootsuite",
        "instagram",
        "sprout",
        "twcs",
        "youtube",
        "zendesk",
    }
    assert set(builtin_presets()) == tested


# ---------------------------------------------------------------------------------------
# Normalisations


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1795428000, "2026-11-23T10:00:00Z"),
        (1795428000000, "2026-11-23T10:00:00Z"),
        ("1795428000", "2026-11-23T10:00:00Z"),
        ("2026-11-22T18:04:11+0000", "2026-11-22T18:04:11Z"),
        ("2026-11-22T20:04:11+02:00", "2026-11-22T18:04:11Z"),
        ("2026-11-20T08:15:42.123456789Z", "2026-11-20T08:15:42Z"),
        ("2026-11-22 14:05:00", "2026-11-22T14:05:00Z"),
        ("Tue Oct 31 22:10:47 +0000 2017", "2017-10-31T22:10:47Z"),
        ("yesterday", "yesterday"),
        (True, True),
        (float("inf"), float("inf")),
        (10**30, 10**30),
    ],
)
def test_times_become_iso_8601_utc(value, expected):
    assert to_iso(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(5, 5), (4.6, 5), ("3", 3), (0, 1), (9, 5), ("lots", None), (True, None), (None, None)],
)
def test_stars_are_whole_numbers_from_one_to_five(value, expected):
    assert stars(value) == expected


def test_html_becomes_text():
    assert html_text("<p>Hi &amp; welcome</p><p>Line<br/>two</p>") == "Hi & welcome\n\nLine\ntwo"
    assert html_text("<script>alert(1)</script>Plain <b>bold</b>&nbsp;end") == "Plain bold end"
    assert html_text("no markup at all") == "no markup at all"
    assert html_text("a < b and <unclosed") == "a < b and <unclosed"  # kept, not lost


MARKERS = {"translation": "(Translated by Google)", "original": "(Original)"}


def test_google_translations_give_the_reviewers_own_words():
    assert original("(Translated by Google) Nice\n\n(Original)\nHieno", MARKERS) == "Hieno"
    assert original("Hieno\n\n(Translated by Google)\nNice", MARKERS) == "Hieno"
    assert original("(Translated by Google) Nice", MARKERS) == "Nice"
    assert original("Just a review", MARKERS) == "Just a review"


def test_language_tags():
    assert language("en-US") == "en"
    assert language("FA") == "fa"
    assert language("und") is None
    assert language("English please") is None
    assert language(7) is None


# ---------------------------------------------------------------------------------------
# Reading: documents, limits, --columns


def test_a_document_from_stdin_is_read_whole(monkeypatch):
    text = (FIXTURES / "facebook.json").read_text(encoding="utf-8")
    result = invoke("triage", "-", "--from", "facebook", "--no-store", "--now", NOW, input=text)
    assert result.exit_code == 1  # record 4 has no text
    assert 'line 4: no "text"' in result.stdout


def test_a_minified_one_line_document_reads_like_a_pretty_one(tmp_path):
    data = json.loads((FIXTURES / "youtube.json").read_text(encoding="utf-8"))
    path = tmp_path / "threads.txt"
    path.write_text(json.dumps(data), encoding="utf-8")
    pretty = records("youtube", "youtube.json")
    assert [r for _, r, _ in read_records(str(path), "youtube").records()] == [
        r for _, r, _ in pretty
    ]


def test_a_document_over_10_mb_is_refused_in_one_line(tmp_path):
    path = tmp_path / "big.json"
    with open(path, "wb") as fh:
        fh.write(b'{"data": [')
        fh.truncate(FILE_LIMIT + 1)
    result = invoke("draft", "--batch", str(path), "--from", "facebook", "--no-store")
    assert result.exit_code == 2
    assert result.stderr == (
        f"replybook: error: {path}: a JSON document longer than the limit of 10 MB"
        " (give one record a line, JSONL, for more)\n"
    )


def test_a_broken_document_is_one_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"data": [{"id": 1,', encoding="utf-8")
    result = invoke("draft", "--batch", str(path), "--from", "facebook", "--no-store")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"replybook: error: {path}: not valid JSON (")
    assert result.stderr.count("\n") == 1


def test_columns_override_the_presets_mapping_for_the_fields_they_name(tmp_path):
    path = tmp_path / "hs.csv"
    path.write_text(
        "Message ID,Medium,Direction,Body Text,Who,Created at\n"
        "m-1,Facebook,inbound,My order is late,Rui Costa,2026-11-22 14:05:00\n",
        encoding="utf-8",
    )
    source = read_records(str(path), "hootsuite", "text=Body Text,name=Who")
    assert list(source.records()) == [
        (
            2,
            {
                "_line": 2,
                "id": "hs:m-1",
                "text": "My order is late",
                "name": "Rui Costa",
                "channel": "facebook",
                "received_at": "2026-11-22T14:05:00Z",
            },
            None,
        )
    ]
    nested = read_records(str(FIXTURES / "facebook.json"), "facebook", {"name": "from.id"})
    assert next(iter(nested.records()))[1]["name"] == "9001"


def test_a_preset_on_a_jsonl_of_response_pages(tmp_path):
    page = json.loads((FIXTURES / "chatwoot.json").read_text(encoding="utf-8"))
    path = tmp_path / "pages.jsonl"
    path.write_text(json.dumps(page) + "\n" + json.dumps(page) + "\n", encoding="utf-8")
    got = [(n, r["id"]) for n, r, _ in read_records(str(path), "chatwoot").records()]
    assert got == [
        (1, "cw:501"),
        (1, "cw:504"),
        (1, "cw:506"),
        (2, "cw:501"),
        (2, "cw:504"),
        (2, "cw:506"),
    ]


def test_jsonl_under_a_json_name_is_read_a_line_at_a_time(tmp_path):
    path = tmp_path / "comments.json"
    path.write_text((FIXTURES / "instagram.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    assert list(read_records(str(path), "instagram").records()) == records(
        "instagram", "instagram.jsonl"
    )


def test_records_that_are_not_objects_are_error_records(tmp_path):
    path = tmp_path / "odd.json"
    path.write_text('[{"id": 1, "message": "hello there"}, 7]', encoding="utf-8")
    assert list(read_records(str(path), "facebook").records()) == [
        (
            1,
            {"_line": 1, "id": "fb:1", "text": "hello there", "channel": "facebook"},
            None,
        ),
        (2, None, "line 2: expected a JSON object"),
    ]


# ---------------------------------------------------------------------------------------
# Preset files


def write(tmp_path: Path, body: str) -> str:
    path = tmp_path / "mine.yaml"
    path.write_text(body, encoding="utf-8")
    return str(path)


def test_a_preset_file_of_ones_own(tmp_path):
    path = write(
        tmp_path,
        "preset: mine\ndescription: My tool\nreference: my tool's docs\nrecords: [rows]\n"
        "id_prefix: 'mt:'\nchannel: linkedin\nfields:\n  id: key\n  text: body\n"
        "  rating: {path: score, normalise: stars}\n",
    )
    data = tmp_path / "in.json"
    data.write_text('{"rows": [{"key": 3, "body": "Nice work", "score": 11}]}', encoding="utf-8")
    assert list(read_records(str(data), path).records()) == [
        (
            1,
            {
                "_line": 1,
                "id": "mt:3",
                "text": "Nice work",
                "rating": 5,
                "channel": "linkedin",
            },
            None,
        )
    ]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("description: d\nreference: r\nrecords: x\nfields: {text: a}\n", "preset"),
        (
            "preset: m\ndescription: d\nreference: r\nrecords: x\nfields: {texts: a}\n",
            "fields.texts: unknown field",
        ),
        (
            "preset: m\ndescription: d\nreference: r\nrecords: x\nfields: {id: a}\n",
            'expected a source for "text"',
        ),
        (
            "preset: m\ndescription: d\nreference: r\nrecords: x\n"
            "fields: {text: {path: a, normalise: rot13}}\n",
            "unknown normalisation",
        ),
        (
            "preset: m\ndescription: d\nreference: r\nrecords: x\nfields: {text: a}\n"
            "filter: [{field: a, like: b}]\n",
            "filter[0]: expected field and one of",
        ),
        (
            "preset: m\ndescription: d\nreference: r\nrecords: x\nfields: {text: a}\nextra: 1\n",
            "extra: unknown key",
        ),
        ("preset: m\n  bad: [\n", "invalid YAML"),
        (
            "preset: m\ndescription: d\nreference: r\nrecords: x\nfields: {text: a,\n"
            "  name: {path: author_id, lookup: {list: users, id: id}}}\n",
            "fields.name.lookup: expected {list, id, field}",
        ),
    ],
)
def test_a_bad_preset_is_one_line_naming_file_and_key(tmp_path, body, problem):
    path = write(tmp_path, body)
    with pytest.raises(PlaybookError) as caught:
        load_preset(path)
    assert str(caught.value).startswith(path)
    assert problem in str(caught.value)
    data = tmp_path / "in.jsonl"
    data.write_text('{"a": "hello"}\n', encoding="utf-8")
    result = invoke("draft", "--batch", str(data), "--from", path, "--no-store")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"replybook: error: {path}")
    assert result.stderr.count("\n") == 1


def test_an_unknown_preset_lists_the_presets():
    with pytest.raises(UsageError) as caught:
        load_preset("myspace")
    assert str(caught.value) == (
        "--from 'myspace': no such preset; presets: chatwoot, facebook, google-reviews,"
        " hootsuite, instagram, sprout, twcs, youtube, zendesk (or a preset file)"
    )


# ---------------------------------------------------------------------------------------
# New record fields: rating, url, parent_id


def test_rating_url_and_parent_id_pass_through_and_are_checked(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(
        "id,text,rating,url,parent_id\n"
        "a,Great place,4,https://example.com/r/a,p1\n"
        "b,Awful,7,,\n"
        "c,Fine,four,,\n",
        encoding="utf-8",
    )
    got = list(Source(str(path)).records())
    assert got[0][1] == {
        "_line": 2,
        "id": "a",
        "text": "Great place",
        "rating": 4,
        "url": "https://example.com/r/a",
        "parent_id": "p1",
    }
    assert got[1][1]["_error"] == "rating must be a whole number from 1 to 5"
    assert got[2][1]["_error"] == "rating must be a whole number from 1 to 5"
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text('{"id": "d", "text": "ok", "parent_id": 12, "url": 5}\n', encoding="utf-8")
    assert next(iter(Source(str(jsonl)).records()))[1]["_error"] == "'url' must be text"


def test_the_drafter_keeps_the_rating_in_its_options(default, now):
    drafter = Drafter(default, None, now)
    options = drafter.options({"id": 1, "text": "x", "rating": 2, "url": "u", "parent_id": "p"})
    assert options == {"rating": 2, "url": "u", "parent_id": "p"}
    result = drafter.draft_record({"id": 1, "text": "Lovely staff, thank you!", "rating": 5})
    assert result.intent == "praise"
    with pytest.raises(UsageError):
        drafter.options({"rating": 0})


# ---------------------------------------------------------------------------------------
# The command line


@pytest.mark.parametrize(
    ("name", "fixture", "ids", "code"),
    [
        (
            "facebook",
            "facebook.json",
            ["fb:1122_3301", "fb:1122_3302", "fb:1122_3303", "fb:1122_3304", "fb:1122_3305"],
            1,
        ),
        (
            "instagram",
            "instagram.jsonl",
            [
                "ig:17858893269000001",
                "ig:17858893269000002",
                "ig:17858893269000003",
                "ig:17858893269000004",
            ],
            1,
        ),
        ("youtube", "youtube.json", ["yt:UgzThread1", "yt:UgzThread1.reply2", "yt:UgzThread2"], 0),
        ("google-reviews", "google-reviews.json", ["gr:rvA", "gr:rvB", "gr:rvD", "gr:rvE"], 0),
        ("chatwoot", "chatwoot.json", ["cw:501", "cw:504", "cw:506"], 1),
        ("zendesk", "zendesk-tickets.json", ["zd:35436", "zd:35438"], 0),
        ("sprout", "sprout.json", ["sp:fbc:1122_901", "sp:tw:1860000000000000001", "sp:pin:55"], 0),
        ("hootsuite", "hootsuite.csv", ["hs:m-1001", "hs:m-1003"], 0),
        ("twcs", "support-tweets.csv", ["tw:119237", "tw:119238"], 0),
    ],
)
def test_draft_batch_from_each_preset(name, fixture, ids, code):
    result = invoke(
        "draft",
        "--batch",
        str(FIXTURES / fixture),
        "--from",
        name,
        "--no-store",
        "--received-at",
        NOW,
    )
    assert result.exit_code == code, result.stderr
    out = lines(result.stdout)
    assert [o["id"] for o in out] == ids
    assert all(o["error"].endswith(': no "text"') for o in out if "error" in o)
    assert sum("error" in o for o in out) == code


def test_draft_batch_output_for_a_facebook_thread():
    result = invoke(
        "draft", "--batch", str(FIXTURES / "facebook.json"), "--from", "facebook", "--no-store"
    )
    assert result.exit_code == 1
    assert result.stderr == ('replybook: 1 of 5 records failed (see their "error" fields)\n')
    out = lines(result.stdout)
    assert out[3] == {"id": "fb:1122_3304", "error": 'line 4: no "text"'}
    assert [o["channel"] for o in out if "error" not in o] == ["facebook"] * 4
    assert out[0]["intent"] == "complaint" and out[0]["due"] == "2026-11-22T19:04:11Z"
    assert "Ilona" in out[0]["public_reply"]


def test_draft_batch_says_how_many_records_the_filters_left_out():
    result = invoke(
        "draft", "--batch", str(FIXTURES / "chatwoot.json"), "--from", "chatwoot", "--no-store"
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "replybook: 3 records left out by the chatwoot preset's filters\n"
        'replybook: 1 of 3 records failed (see their "error" fields)\n'
    )


def test_triage_from_a_preset():
    result = invoke(
        "triage",
        str(FIXTURES / "youtube.json"),
        "--from",
        "youtube",
        "--no-store",
        "--now",
        NOW,
        "--format",
        "json",
    )
    assert result.exit_code == 0
    assert result.stderr == "replybook: 2 records left out by the youtube preset's filters\n"
    queue = json.loads(result.stdout)["queue"]
    assert sorted(q["id"] for q in queue) == [
        "yt:UgzThread1",
        "yt:UgzThread1.reply2",
        "yt:UgzThread2",
    ]
    answered = invoke(
        "triage",
        str(FIXTURES / "zendesk-tickets.json"),
        "--from",
        "zendesk",
        "--no-store",
        "--now",
        NOW,
        "--format",
        "json",
        "--include-answered",
    )
    assert answered.exit_code == 0 and answered.stderr == ""
    assert len(json.loads(answered.stdout)["queue"]) == 3


def test_lint_batch_from_a_preset():
    result = invoke(
        "lint", "--batch", str(FIXTURES / "google-reviews.json"), "--from", "google-reviews"
    )
    assert result.exit_code == 0, result.stdout
    assert lines(result.stdout) == [
        {
            "id": "gr:rvC",
            "findings": [],
            "counts": {"error": 0, "warning": 0, "suggestion": 0},
        }
    ]
    twcs = invoke("lint", "--batch", str(FIXTURES / "support-tweets.csv"), "--from", "twcs")
    assert [o["id"] for o in lines(twcs.stdout)] == ["tw:119236"]
    assert "error" not in lines(twcs.stdout)[0]


def test_from_usage_errors():
    fixture = str(FIXTURES / "facebook.json")
    unknown = invoke("draft", "--batch", fixture, "--from", "myspace", "--no-store")
    assert unknown.exit_code == 2
    assert unknown.stderr == (
        "replybook: error: --from 'myspace': no such preset; presets: chatwoot, facebook,"
        " google-reviews, hootsuite, instagram, sprout, twcs, youtube, zendesk"
        " (or a preset file)\n"
    )
    for command in ("draft", "lint"):
        alone = invoke(command, "--from", "facebook", "some text")
        assert alone.exit_code == 2
        assert alone.stderr == (
            "replybook: error: --from needs --batch: it names the shape of the batch file\n"
        )
    lonely = invoke("triage", fixture, "--include-answered", "--no-store")
    assert lonely.exit_code == 2
    assert lonely.stderr == (
        "replybook: error: --include-answered needs --from: a preset says what is answered\n"
    )
    bad = invoke("triage", fixture, "--from", "twitter", "--no-store")
    assert bad.exit_code == 2 and bad.stderr.startswith("replybook: error: --from 'twitter'")


def test_presets_command_lists_them_as_json():
    result = invoke("presets", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    names = [p["name"] for p in data["presets"]]
    assert names == sorted(builtin_presets())
    chatwoot = data["presets"][0]
    assert set(chatwoot) == {
        "name",
        "description",
        "reference",
        "note",
        "records",
        "unwrap",
        "replies",
        "channel",
        "id_prefix",
        "author",
        "conversation",
        "fields",
        "filter",
        "lint",
    }
    assert chatwoot["id_prefix"] == "cw:"
    assert chatwoot["author"] is None and chatwoot["conversation"] == []
    assert chatwoot["fields"]["received_at"] == [{"path": "created_at", "normalise": "time"}]
    assert chatwoot["filter"] == [
        {"field": "message_type", "op": "in", "value": [0, "incoming"]},
        {"field": "private", "op": "not_equals", "value": True},
    ]
    google = next(p for p in data["presets"] if p["name"] == "google-reviews")
    assert google["filter"] == [
        {"field": "reviewReply.comment", "op": "present", "value": False, "answered": True}
    ]
    assert google["lint"]["fields"]["text"] == [
        {"path": "reviewReply.comment", "normalise": "google-translated"}
    ]
    zendesk = next(p for p in data["presets"] if p["name"] == "zendesk")
    assert zendesk["conversation"] == ["comments"]
    assert zendesk["author"] == {
        "id": ["author_id"],
        "username": [],
        "name": [],
        "staff": {"list": "users", "id": "id", "field": "role", "in": ["agent", "admin"]},
    }


def test_presets_command_as_text():
    result = invoke("presets")
    assert result.exit_code == 0
    assert "youtube: YouTube comment threads and comments (Data API v3)\n" in result.stdout
    assert "  reads:     received_at <- snippet.publishedAt (time)\n" in result.stdout
    assert "  author:    id <- from.id\n" in result.stdout
    assert (
        "  records:   tickets, results, comments, lines; one conversation in comments\n"
        "  ids zd:N\n" in result.stdout
    )
    assert (
        "  author:    id <- author_id; users whose role is agent, admin are the brand's\n"
        in result.stdout
    )
    assert (
        "  keeps:     reviewReply.comment present false (kept with --include-answered)\n"
        in result.stdout
    )


# ---------------------------------------------------------------------------------------
# Never crashes


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "text",
                    "message",
                    "data",
                    "items",
                    "comments",
                    "snippet",
                    "replies",
                    "topLevelComment",
                    "created_time",
                    "created_at",
                    "from",
                    "name",
                    "comment",
                    "reviewReply",
                    "starRating",
                    "content",
                    "message_type",
                    "private",
                    "payload",
                    "users",
                    "role",
                    "author_id",
                    "username",
                    "public",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=_JSON)
def test_any_json_through_any_preset_never_crashes(value):
    owner = Owner.of({"handle": "@x"}, ["fb:1", "1", "zd:0", "@a.b"])
    for name in builtin_presets():
        preset = load_preset(name)
        for own in (NOBODY, preset.own(owner, value)):
            for mode in ("draft", "lint"):
                for record, parent in preset.items(value):
                    out = preset.expand(record, parent, mode=mode, own=own)
                    assert out is None or isinstance(out, dict)


def test_presets_on_a_terminal_is_a_table():
    import io

    from replybook import output
    from replybook.presets import all_presets

    buffer = io.StringIO()
    output._rich_presets([p.to_dict() for p in all_presets()], buffer)
    shown = buffer.getvalue()
    assert "Presets for --from" in shown
    assert "google-reviews" in shown and "twcs" in shown


# ---------------------------------------------------------------------------------------
# The source's own channel: private conversations (an e-mail, a chat, a DM) and public ones


def test_zendesk_via_channel_says_which_tickets_are_already_private():
    found = records("zendesk", "zendesk-channels.json")
    assert [(r["id"], r.get("channel")) for _, r, _ in found] == [
        ("zd:61001", "email"),  # an e-mail
        ("zd:61002", "email"),  # the web form
        ("zd:61003", "email"),  # the API
        ("zd:61004", "email"),  # the mobile SDK's request form
        ("zd:61005", "chat"),
        ("zd:61006", "chat"),  # Zendesk messaging
        ("zd:61007", "whatsapp"),
        ("zd:61008", "messenger"),
        ("zd:61009", "instagram-dm"),
        ("zd:61010", "x"),  # a tweet stays public
        ("zd:61011", "facebook"),
        ("zd:61012", "email"),  # a via id: 4 is mail
        ("zd:61013", None),  # a voicemail: no channel of the playbook's, the default
    ]
    # The sender an e-mail or a message names.
    names = {r["id"]: r.get("name") for _, r, _ in found}
    assert (names["zd:61001"], names["zd:61007"], names["zd:61002"]) == (
        "Noor Saleh",
        "Kai Müller",
        None,
    )


def test_chatwoot_inbox_types_map_to_private_channels():
    found = records("chatwoot", "chatwoot-inboxes.jsonl")
    assert [(r["id"], r.get("channel")) for _, r, _ in found] == [
        ("cw:1201", "email"),
        ("cw:1202", "chat"),  # the website widget
        ("cw:1203", "whatsapp"),
        ("cw:1204", "messenger"),  # a Facebook Page inbox holds Messenger conversations
        ("cw:1205", "instagram-dm"),
        ("cw:1206", "x"),
        ("cw:1207", "chat"),  # Telegram
        ("cw:1208", None),  # a voice inbox: no channel of the playbook's
    ]


def test_zendesk_comments_take_their_authors_name_from_the_side_loaded_users():
    found = records("zendesk", "zendesk-authors.json")
    assert [(r["id"], r.get("name")) for _, r, _ in found] == [
        ("zd:81001", "Jo Rivera"),  # the e-mail's sender, first
        ("zd:81003", "Joanna Rivera"),  # the author, among the users
        ("zd:81005", None),  # an author the document doesn't side-load
    ]
    # One author, whatever the spelling: the customer in their own thread.
    assert [m["role"] for m in found[1][1]["context"]] == ["customer", "brand"]
    assert [m["role"] for m in found[2][1]["context"]] == ["other", "brand", "other"]
    # lint greets the customer it answers, never the agent who wrote the reply.
    (linted,) = records("zendesk", "zendesk-authors.json", "lint")
    assert (linted[1]["id"], linted[1]["name"]) == ("zd:81002", "Jo Rivera")


def test_the_lookup_is_listed_with_the_preset():
    (zendesk,) = [
        p
        for p in json.loads(invoke("presets", "-f", "json").stdout)["presets"]
        if p["name"] == "zendesk"
    ]
    assert zendesk["fields"]["name"] == [
        {"path": "via.source.from.name"},
        {"path": "author_id", "lookup": {"list": "users", "id": "id", "field": "name"}},
    ]


def test_a_private_channels_draft_from_a_zendesk_export_asks_right_there(tmp_path):
    result = invoke(
        "draft",
        "--batch",
        str(FIXTURES / "zendesk-channels.json"),
        "--from",
        "zendesk",
        "--no-store",
        "--agent",
        "Mia Koski",
        "--received-at",
        "2026-11-24T09:00:00Z",
    )
    assert result.exit_code == 0
    drafts = {d["id"]: d for d in lines(result.stdout)}
    email, tweet = drafts["zd:61003"], drafts["zd:61010"]
    assert (email["channel"], email["private_reply"]) == ("email", None)
    assert "DM" not in email["public_reply"]
    assert tweet["channel"] == "x"
    assert tweet["private_reply"] is not None and "DM" in tweet["public_reply"]
