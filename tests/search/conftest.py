"""Indexes for the search tests: the two corpus passages (plus a short Arabic text with بخارا and وبخارى), once
with the gold mentions as the mention layer and once with no mentions at all (text occurrences only)."""
from __future__ import annotations

import json

import pytest

from nuskha import Mention, process
from nuskha.io import read_meta
from nuskha.search import index_documents
from tests.conftest import AR_TEXT, GOLD, KK_TEXT

EXTRA_ID = "ar-extra-bukhara"
EXTRA_TEXT = "ثم سار الى بخارا واقام فيها ، وبخارى مدينة عظيمة ، ونزل البخاري فيها ."
#: The two spellings of Bukhara in EXTRA_TEXT (the proclitic و stays outside the span).
EXTRA_BUKHARA = {(EXTRA_ID, 11, 16), (EXTRA_ID, 31, 36)}


def gold_mentions(path) -> list[dict]:
    return json.loads((GOLD / (path.stem + ".gold.json")).read_text(encoding="utf-8"))["mentions"]


def gold_spans(ref: str) -> set[tuple[str, int, int]]:
    """(document id, start, end) of every gold mention of ``ref`` in both passages."""
    return {(p.stem, m["start"], m["end"]) for p in (AR_TEXT, KK_TEXT) for m in gold_mentions(p)
            if m.get("ref") == ref}


def _docs(with_mentions: bool):
    docs = []
    for path in (AR_TEXT, KK_TEXT):
        doc = process(path.read_text(encoding="utf-8"), id=path.stem, meta=read_meta(path), path=str(path))
        if with_mentions:
            doc.mentions = [Mention(m["start"], m["end"], m["text"], m["type"], m.get("ref"), m.get("value"),
                                    "gold") for m in gold_mentions(path)]
        docs.append((doc, None))
    docs.append((process(EXTRA_TEXT, "ar", id=EXTRA_ID), None))
    return docs


@pytest.fixture(scope="session")
def gold_index(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "gold.sqlite"
    index_documents(_docs(True), path)
    return path


@pytest.fixture(scope="session")
def text_index(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "text.sqlite"
    index_documents(_docs(False), path)
    return path


@pytest.fixture(params=["gold_index", "text_index"])
def any_index(request):
    """Each test runs on both: the answer must not depend on whether the recognisers found the mention."""
    return request.getfixturevalue(request.param)
