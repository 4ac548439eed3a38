"""Fixtures for the TEI tests: the two corpus passages with their gold mentions, and the tei_all schema."""
from __future__ import annotations

import copy

import pytest

from tests.conftest import AR_TEXT, GOLD, KK_TEXT


def with_gold(path):
    from nuskha import load
    from nuskha.build import gold_mentions

    doc = load(path)
    doc.mentions = gold_mentions(GOLD / f"{path.stem}.gold.json", doc.text)
    return doc


@pytest.fixture(scope="session")
def _gold_docs():
    return with_gold(AR_TEXT), with_gold(KK_TEXT)


@pytest.fixture
def gold_docs(_gold_docs):
    """(Arabic, Kazakh) documents with gold mentions; a fresh copy per test."""
    return copy.deepcopy(_gold_docs)


@pytest.fixture(scope="session")
def authority():
    from nuskha.authority import load_authority

    return load_authority()


@pytest.fixture(scope="session")
def tei_schema(shared_dir):
    """The tei_all RELAX NG path (compiled once per process by nuskha.tei.validate.relaxng)."""
    path = shared_dir / "tei" / "tei_all-4.12.0.rng"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return path


@pytest.fixture(scope="session")
def run_nuskha_tei():
    """The real command line in a subprocess: ``(exit status, stdout, stderr)``."""
    import subprocess
    import sys

    def run(*args, cwd=None):
        proc = subprocess.run([sys.executable, "-m", "nuskha", *map(str, args)], capture_output=True, text=True,
                              cwd=cwd, timeout=600)
        return proc.returncode, proc.stdout, proc.stderr
    return run
