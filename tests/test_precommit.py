"""The hooks in .pre-commit-hooks.yaml, run by real pre-commit as a user's repository runs them.

pre-commit clones a repository at a commit and pip-installs it into an environment of its
own, so this needs PyPI and takes a while (README, "pre-commit", says how long): one commit
of the working tree, one pre-commit home, and both hooks in each of two runs. Uncommitted
changes count: the commit is made from a copy of the working tree, not of the history.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GIT = ["git", "-c", "user.name=replybook", "-c", "user.email=replybook@example.invalid"]
GIT += ["-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]

# A reply whose only finding is a warning (no greeting): it fails only because the hook
# lints at --fail-level warning, not lint's default.
UNGREETED = "So sorry about your order. Please send us a DM and we'll track it. ^MK\n"
GOOD = "Hi Dana, I'm so sorry about your order. Please send us a DM and we'll track it. ^MK\n"
PLAYBOOK = "playbook: {name}\nextends: default\nserves: [en]\n"
# A rule whose bad example doesn't fire and whose good one does.
BROKEN_RULE = """rules:
  - id: calm-down
    extends: existence
    level: error
    message: "No '{match}'."
    why: Tone (never-argue).
    tokens: [calm down]
    examples: {bad: ["Please relax."], good: ["Please calm down."]}
"""


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True, text=True)
    return done.stdout


def snapshot(into: Path) -> str:
    """This working tree (tracked files and new ones git doesn't ignore) committed in a
    repository of its own: its commit id."""
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    for name in sorted(set(filter(None, listed.split("\0")))):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is left out
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / name)
    git("init", "-q", cwd=into)
    git("add", "-A", cwd=into)
    git("commit", "-q", "-m", "snapshot", cwd=into)
    return git("rev-parse", "HEAD", cwd=into).strip()


def pre_commit(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("VIRTUAL_ENV", None)
    env.pop("REPLYBOOK_PLAYBOOK", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_the_hooks_fail_on_a_bad_reply_and_a_broken_playbook_and_pass_good_ones(tmp_path):
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout of replybook")
    source = tmp_path / "replybook"
    source.mkdir()
    rev = snapshot(source)
    repo = tmp_path / "replies-repo"
    (repo / "replies").mkdir(parents=True)
    (repo / "playbooks").mkdir()
    (repo / "replies" / "good.txt").write_text(GOOD, encoding="utf-8")
    (repo / "replies" / "ungreeted.txt").write_text(UNGREETED, encoding="utf-8")
    (repo / "README.md").write_text("# Our saved replies\n", encoding="utf-8")
    (repo / "playbooks" / "good.yaml").write_text(PLAYBOOK.format(name="good"), "utf-8")
    broken = PLAYBOOK.format(name="broken") + BROKEN_RULE
    (repo / "playbooks" / "broken.yaml").write_text(broken, encoding="utf-8")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {source}\n    rev: {rev}\n"
        "    hooks:\n      - id: replybook-lint\n      - id: replybook-test\n",
        encoding="utf-8",
    )
    git("init", "-q", cwd=repo)
    git("add", "-A", cwd=repo)
    home = tmp_path / "pre-commit-home"

    every = ["replies/good.txt", "replies/ungreeted.txt", "README.md"]
    every += ["playbooks/good.yaml", "playbooks/broken.yaml"]
    run = pre_commit("run", "--files", *every, cwd=repo, home=home)
    assert run.returncode == 1, run.stdout + run.stderr
    out = run.stdout
    lint_part = out[out.index("replybook lint") : out.index("replybook test")]
    test_part = out[out.index("replybook test") :]
    assert lint_part.splitlines()[0].endswith("Failed")
    assert "replies/ungreeted.txt\n  1:1     warning    no-greeting" in lint_part
    assert "good.txt" not in lint_part and "README" not in lint_part
    assert "1 problem (1 warning)" in lint_part
    assert test_part.splitlines()[0].endswith("Failed")
    assert "good: " in test_part and ": ok\n" in test_part
    assert "broken: " in test_part and ": 2 failed\n" in test_part
    assert "  rule calm-down: bad example didn't fire: 'Please relax.'" in test_part

    # The good files alone pass both hooks (the environment is already built).
    run = pre_commit(
        "run", "--files", "replies/good.txt", "playbooks/good.yaml", cwd=repo, home=home
    )
    assert run.returncode == 0, run.stdout + run.stderr
    passed = [line for line in run.stdout.splitlines() if line.startswith("replybook ")]
    assert len(passed) == 2 and all(line.endswith("Passed") for line in passed)
