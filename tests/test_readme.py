"""The README's two set-up commands, and its Python examples run as doctests."""
from __future__ import annotations

import doctest
import re
import subprocess

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def fenced_after(marker: str) -> list[str]:
    block = re.search(rf"<!-- {marker} -->\n```bash\n(.*?)```", README, re.S)
    return block.group(1).strip().splitlines() if block else []


def test_readme_has_exactly_two_setup_commands_on_one_line_each():
    main, tests = fenced_after("main"), fenced_after("tests")
    assert len(main) == 1 and len(tests) == 1
    assert "python3.11 -m venv" in main[0] and "nuskha build corpus/" in main[0]
    assert "python3.11 -m venv" in tests[0] and "pytest" in tests[0]


def test_ci_runs_the_readme_test_command():
    script = ROOT / ".ci" / "run"
    out = subprocess.run(["awk", '/<!-- tests -->/ {getline; getline; print; exit}', str(ROOT / "README.md")],
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == fenced_after("tests")[0]
    assert "awk '/<!-- tests -->/" in script.read_text()


def test_readme_python_examples():
    parser = doctest.DocTestParser()
    test = parser.get_doctest(README, {}, "README", "README.md", 0)
    assert test.examples, "the README lost its examples"
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
