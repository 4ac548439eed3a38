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
#: Debian's chromium, driven by Playwright (browsers cannot be downloaded here); the flags keep a headless root
#: process off the closed network.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"../shared is not present beside the project ({SHARED}); this test needs its data")
    return SHARED


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for every browser test of the session: Playwright's sync API runs one event loop per
    thread, so a second ``sync_playwright()`` while another is open fails."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (Debian package chromium): browser tests need it")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def ar_doc():
    from nuskha import load

    return load(AR_TEXT)


@pytest.fixture(scope="session")
def kk_doc():
    from nuskha import load

    return load(KK_TEXT)
