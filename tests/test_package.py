"""The wheel carries the playbooks and templates, and works outside the source tree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(done.stderr[-2000:])
    return next(out.glob("replybook-*.whl"))


def test_wheel_contains_playbooks_and_templates(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "replybook/_data/playbooks/default.yaml" in names
    assert "replybook/_data/playbooks/acme-air.yaml" in names
    assert "replybook/_data/templates/en/complaint/public-1.j2" in names
    assert "replybook/_data/templates/en/note/internal.j2" in names
    for preset in ("facebook", "google-reviews", "twcs", "zendesk"):
        assert f"replybook/_data/presets/{preset}.yaml" in names


def test_installed_wheel_drafts_outside_the_source_tree(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    env = {**os.environ, "PYTHONPATH": str(target), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "replybook",
            "draft",
            "--format",
            "json",
            "--playbook",
            "acme-air",
            "--received-at",
            "2026-11-23T09:00:00Z",
            "you lost my suitcase",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["topic"] == "baggage"
    assert data["due"] == "2026-11-23T09:45:00Z"


def test_installed_wheel_reads_a_preset(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    env = {**os.environ, "PYTHONPATH": str(target), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    export = tmp_path / "reviews.json"
    export.write_text(
        json.dumps(
            {"reviews": [{"reviewId": "r1", "starRating": "ONE", "comment": "Cold soup."}]}
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "replybook",
            "draft",
            "--batch",
            str(export),
            "--from",
            "google-reviews",
            "--no-store",
            "--received-at",
            "2026-11-23T09:00:00Z",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["id"] == "gr:r1" and out["channel"] == "google-reviews"
    listed = subprocess.run(
        [sys.executable, "-m", "replybook", "presets", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)["presets"]) == 9
