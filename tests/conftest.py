"""Shared fixtures. Tests that need ``../shared`` (UD, KazNERD, the TEI schema, the benchmark book) use
``shared_dir`` and skip with a clear reason when it is absent; everything else uses the project's own files."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = ROOT / "corpus"
GOLD = ROOT / "annotations" / "gold"
AR_TEXT = CORPUS / "ar-khwarazmshah-and-chinggis-khan.txt"
KK_TEXT = CORPUS / "kk-jalal-ad-din-and-temur-malik.txt"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"../shared is not present beside the project ({SHARED}); this test needs its data")
    return SHARED


@pytest.fixture(scope="session")
def ar_doc():
    from nuskha import load

    return load(AR_TEXT)


@pytest.fixture(scope="session")
def kk_doc():
    from nuskha import load

    return load(KK_TEXT)
