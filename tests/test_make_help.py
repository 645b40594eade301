"""Plain `make` lists the targets, one line each, generated from the Makefile's `## ` notes."""

import re
import shutil
import subprocess

import pytest

from japan_taiwan_evidence import paths

pytestmark = pytest.mark.skipif(not shutil.which("make"), reason="make not installed")


def make(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=paths.REPO, capture_output=True,
                          text=True, timeout=60, check=False)


def phony_targets() -> set[str]:
    text = (paths.REPO / "Makefile").read_text(encoding="utf-8")
    return set(re.search(r"^\.PHONY:(.*)$", text, re.MULTILINE).group(1).split())


def test_plain_make_prints_the_help():
    plain, helped = make(), make("help")
    assert plain.returncode == 0 and helped.returncode == 0, plain.stderr
    assert plain.stdout == helped.stdout
    assert "Nothing to be done" not in plain.stdout + plain.stderr
    assert "pip install" not in plain.stdout  # listing the targets builds nothing


def test_every_target_has_one_line():
    lines = make("help").stdout.splitlines()
    listed = {m.group(1): m.group(2) for m in (re.match(r"^\s+make (\S+)\s+(.+)$", ln) for ln in lines) if m}
    assert set(listed) == phony_targets()
    assert all(text.strip() for text in listed.values())
    assert listed["report"].endswith("build/report/") and "citations" in listed
