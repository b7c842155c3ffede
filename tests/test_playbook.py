"""Loading playbooks: layering, validation with file, line and key path, discovery, cache."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from replybook import PlaybookError, load_playbook
from replybook.lexicon import compile_phrases
from replybook.playbook import builtin_playbooks, find_playbook


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_builtins_are_found():
    assert {"default", "acme-air"} <= set(builtin_playbooks())


def test_default_loads_with_templates(default):
    assert default.name == "default"
    assert "en" in default.languages()
    assert default.variants("en", "complaint", "public")


def test_brand_layers_over_default(acme, default):
    assert acme.data["brand"]["name"] == "Acme Air"
    # its own keys win, the default's others stay
    assert acme.data["sla_minutes"]["complaint"] == 45
    assert acme.data["sla_minutes"]["praise"] == default.data["sla_minutes"]["praise"]
    # mappings merge: default topics are still there beside the brand's
    assert {"baggage", "delivery"} <= set(acme.data["topics"])
    # the default playbook and the language files it includes, then the brand's
    assert [Path(f).name for f in acme.files] == [
        "default.yaml", "tr.yaml", "ru.yaml", "fa.yaml", "fi.yaml", "acme-air.yaml"
    ]


def test_included_files_merge_deeply_rules_by_id(tmp_path):
    write(tmp_path / "words.yaml", (
        "rules:\n  - id: blames-customer\n    tokens: {xx: [senin hatan]}\n"
        "samples: {praise: {xx: hienoa}}\n"
    ))
    book = load_playbook(write(tmp_path / "b.yaml", "extends: default\ninclude: [words.yaml]\n"))
    rule = next(r for r in book.data["rules"] if r["id"] == "blames-customer")
    assert rule["tokens"]["xx"] == ["senin hatan"] and rule["tokens"]["en"]
    assert rule["level"] == "error"  # the rest of the rule stays
    assert book.data["samples"]["praise"]["xx"] == "hienoa" and book.data["samples"]["praise"]["en"]


def test_an_included_file_that_is_missing_is_named(tmp_path):
    with pytest.raises(PlaybookError, match="included file not found: nope.yaml"):
        load_playbook(write(tmp_path / "b.yaml", "extends: default\ninclude: [nope.yaml]\n"))


def test_extends_a_file_relative_to_the_playbook(tmp_path):
    write(tmp_path / "base.yaml", "extends: default\nbrand: {name: Base, team: Base Team}\n")
    child = write(tmp_path / "child.yaml", "extends: base.yaml\nsla_minutes: {complaint: 5}\n")
    book = load_playbook(child)
    assert book.data["brand"]["team"] == "Base Team"
    assert book.data["sla_minutes"]["complaint"] == 5


def error_of(path: Path) -> str:
    with pytest.raises(PlaybookError) as info:
        load_playbook(path)
    return str(info.value)


def test_wrong_type_names_file_line_and_key(tmp_path):
    path = write(tmp_path / "p.yaml", "extends: default\nsla_minutes:\n  complaint: soon\n")
    assert (
        error_of(path) == f"{path}:3: sla_minutes.complaint: expected a whole number >= 0, got text"
    )


def test_unknown_key_suggests_the_near_one(tmp_path):
    path = write(tmp_path / "p.yaml", "extends: default\nchanels: {}\n")
    assert error_of(path) == f"{path}:2: chanels: unknown key 'chanels' (did you mean 'channels'?)"


def test_nested_unknown_key(tmp_path):
    path = write(
        tmp_path / "p.yaml",
        "extends: default\ntopics:\n  wifi:\n    match: [wifi]\n    nextstep: reboot\n",
    )
    assert error_of(path) == (
        f"{path}:5: topics.wifi.nextstep: unknown key 'nextstep' (did you mean 'next_step'?)"
    )


def test_invalid_yaml_names_the_line(tmp_path):
    path = write(tmp_path / "p.yaml", "extends: default\nbrand: {name: [unclosed\n")
    message = error_of(path)
    assert message.startswith(f"{path}:")
    assert "invalid YAML" in message


def test_bad_regex_phrase(tmp_path):
    path = write(
        tmp_path / "p.yaml",
        "extends: default\nfaq:\n  x:\n    match: ['/(unclosed/']\n    answer: hi\n",
    )
    assert error_of(path).startswith(f"{path}:4: faq.x.match[0]: bad pattern")


def test_refusal_needs_two_alternatives(tmp_path):
    path = write(
        tmp_path / "p.yaml",
        "extends: default\ncannot_grant:\n  upgrade:\n    match: [free upgrade]\n"
        "    alternatives:\n      en: [a discount]\n",
    )
    assert error_of(path) == (
        f"{path}:6: cannot_grant.upgrade.alternatives.en: give at least two alternatives "
        "(two-alternatives)"
    )


def test_missing_required_key(tmp_path):
    path = write(tmp_path / "p.yaml", "playbook: bare\n")
    assert "missing required key 'brand'" in error_of(path)


def test_extends_unknown(tmp_path):
    path = write(tmp_path / "p.yaml", "extends: nonesuch\n")
    assert error_of(path) == (
        f"{path}:1: extends: extends 'nonesuch': "
        "no such built-in playbook (acme-air, default) or file"
    )


def test_extends_loop(tmp_path):
    write(tmp_path / "a.yaml", "extends: b.yaml\n")
    path = write(tmp_path / "b.yaml", "extends: a.yaml\n")
    assert "loops back on itself" in error_of(path)


def test_missing_file():
    with pytest.raises(PlaybookError, match="file not found"):
        load_playbook("/nonexistent/replybook.yaml")


def test_not_a_mapping(tmp_path):
    path = write(tmp_path / "p.yaml", "- just\n- a list\n")
    assert error_of(path) == f"{path}:1: a playbook must be a mapping of keys"


def test_yaml_booleans_are_caught(tmp_path):
    # YAML 1.1 reads a bare `no` as false: a phrase list must say so, not crash later.
    path = write(
        tmp_path / "p.yaml", "extends: default\nfaq:\n  x:\n    match: [no]\n    answer: hi\n"
    )
    assert "faq.x.match" in error_of(path)


def test_find_playbook_walks_up(tmp_path):
    write(tmp_path / "replybook.yaml", "extends: default\nbrand: {name: Found, team: Found Team}\n")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_playbook(deep) == tmp_path / "replybook.yaml"


def test_load_without_path_uses_nearby_playbook(tmp_path, monkeypatch):
    write(tmp_path / "replybook.yaml", "extends: default\nbrand: {name: Found, team: Found Team}\n")
    monkeypatch.chdir(tmp_path)
    assert load_playbook().data["brand"]["name"] == "Found"


def test_load_without_path_falls_back_to_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_playbook().name == "default"


def test_cache_sees_an_edited_playbook(tmp_path):
    path = write(tmp_path / "p.yaml", "extends: default\nsla_minutes: {complaint: 5}\n")
    assert load_playbook(path).data["sla_minutes"]["complaint"] == 5
    write(path, "extends: default\nsla_minutes: {complaint: 7}\n")
    stamp = time.time() + 5
    os.utime(path, (stamp, stamp))
    assert load_playbook(path).data["sla_minutes"]["complaint"] == 7


def test_brand_templates_replace_a_slot(tmp_path):
    folder = tmp_path / "tpl" / "en" / "praise"
    folder.mkdir(parents=True)
    for n in (1, 2, 3):
        write(folder / f"public-{n}.j2", f"Cheers {{{{ who or 'friend' }}}} ({n})!")
    path = write(tmp_path / "p.yaml", "extends: default\ntemplates: tpl\n")
    book = load_playbook(path)
    assert book.variants("en", "praise", "public") == [
        "en/praise/public-1.j2",
        "en/praise/public-2.j2",
        "en/praise/public-3.j2",
    ]
    assert book.templates["en/praise/public-2.j2"] == "Cheers {{ who or 'friend' }} (2)!"
    # other slots keep the built-in templates
    assert book.variants("en", "complaint", "public")


def test_phrase_syntax():
    matcher = compile_phrases(["refund*", "not working", "/\\bcarry[- ]on\\b/", "😂", "?!"])
    assert matcher is not None
    found = [
        m.group(0) for m in matcher.finditer("Refunded?! It's NOT   working 😂 and my carry-on")
    ]
    assert found == ["Refunded", "?!", "NOT   working", "😂", "carry-on"]
    assert matcher.search("refun") is None
    assert compile_phrases([]) is None


def test_cache_is_stamped_with_the_steps_that_compile_into_it(tmp_path):
    import marshal
    import sys

    from replybook.playbook import _cache_dir

    path = write(tmp_path / "p.yaml", "extends: default\nsla_minutes: {complaint: 9}\n")
    load_playbook(path)
    cache = _cache_dir()
    assert cache is not None
    blobs = [marshal.loads(f.read_bytes()) for f in cache.glob("playbook-p-*.marshal")]
    assert blobs
    stamped = {item[0] for item in blobs[0]["stamps"]}
    # A new version of a step's compiled form reads the playbook anew.
    for step in ("replybook.analyze", "replybook.linter"):
        assert sys.modules[step].__file__ in stamped


def test_negations_may_only_cancel_signal_kinds(tmp_path):
    path = write(
        tmp_path / "p.yaml",
        "extends: default\nnegations:\n  mine:\n    cancels: [complaint, grumble]\n",
    )
    message = error_of(path)
    assert message.startswith(
        f"{path}:4: negations.mine.cancels[1]: unknown signal kind 'grumble'"
    )


def test_incident_by_is_topic_or_wording(tmp_path):
    path = write(
        tmp_path / "p.yaml",
        "extends: default\ntopics:\n  delivery:\n    incident_by: words\n",
    )
    assert error_of(path) == (
        f"{path}:4: topics.delivery.incident_by: expected 'topic' or 'wording', got text"
    )


def test_a_negation_group_may_borrow_only_a_signal_kinds_phrases(tmp_path):
    path = write(
        tmp_path / "p.yaml",
        "extends: default\nnegations:\n  mine:\n    signal: grumble\n    cancels: [complaint]\n",
    )
    message = error_of(path)
    assert message.startswith(f"{path}:4: negations.mine.signal: unknown signal kind 'grumble'")


def test_a_negation_groups_scope_is_phrase_clause_or_sentence(tmp_path):
    path = write(
        tmp_path / "p.yaml",
        "extends: default\nnegations:\n  mine:\n    scope: paragraph\n    cancels: [complaint]\n",
    )
    assert error_of(path).startswith(
        f"{path}:4: negations.mine.scope: expected phrase, clause, whole_clause or sentence,"
        " got 'paragraph'"
    )


def test_a_channel_public_setting_must_be_true_or_false(tmp_path):
    path = write(
        tmp_path / "p.yaml",
        "extends: default\nchannels:\n  email:\n    public: 'no'\n",
    )
    assert error_of(path) == f"{path}:4: channels.email.public: expected true or false, got text"


def test_the_default_playbook_has_private_channels_with_the_platforms_limits(default):
    channels = default.data["channels"]
    private = {c: channels[c]["max_chars"] for c in channels if channels[c].get("public") is False}
    assert private == {
        "email": 10000,
        "chat": 4096,
        "messenger": 2000,
        "whatsapp": 4096,
        "instagram-dm": 1000,
    }
    # The public channels say nothing: public is the default.
    assert all("public" not in channels[c] for c in ("x", "facebook", "instagram"))


def test_a_private_channel_is_labelled_in_every_served_language(default):
    from replybook.playbook import language_text

    for lang in default.served():
        labels = {c: language_text(default, lang, "label", c) for c in ("email", "chat")}
        assert all(labels.values()), lang
    assert language_text(default, "tr", "label", "email") == "E-posta"
    assert language_text(default, "en", "label", "email") == "E-mail"
    # A brand name stays itself: X has no label of its own in Turkish.
    assert language_text(default, "tr", "label", "x") is None


def test_a_topic_may_follow_only_a_signal_kind_the_playbook_has(tmp_path):
    path = write(
        tmp_path / "p.yaml",
        "extends: default\ntopics:\n  mine:\n    signal: grumble\n    mention: {en: it}\n",
    )
    message = error_of(path)
    assert message.startswith(f"{path}:4: topics.mine.signal: unknown signal kind 'grumble'")
