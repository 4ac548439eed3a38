"""The collector pause around bulk building leaves the collector as it found it."""
from __future__ import annotations

import gc

import pytest

from nuskha.core.bulk import cycle_collection_paused
from nuskha.lang import get_language


@pytest.fixture
def collector_state():
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_pause_switches_collection_off_and_back_on(collector_state):
    gc.enable()
    with cycle_collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_pause_restores_collection_after_an_error(collector_state):
    gc.enable()
    with pytest.raises(ValueError), cycle_collection_paused():
        raise ValueError
    assert gc.isenabled()


def test_pause_keeps_a_callers_choice_and_nests(collector_state):
    gc.disable()
    with cycle_collection_paused():
        pass
    assert not gc.isenabled()  # the caller turned it off: it stays off
    gc.enable()
    with cycle_collection_paused():
        with cycle_collection_paused():
            pass
        assert not gc.isenabled()  # the inner pause does not end the outer one
    assert gc.isenabled()


def test_tokenising_leaves_collection_on(collector_state):
    gc.enable()
    tokens = get_language("ar").tokens("وصل التجار إلى بخارى")
    assert len(tokens) == 4 and gc.isenabled()


def test_recognisers_and_tokenising_leave_collection_on(collector_state):
    from nuskha.pipeline import process

    gc.enable()
    doc = process("وفي سنة ست عشرة وستمائة سار جنكز خان في نحو ستين الف فارس إلى بخارى.", "ar", annotate=True)
    assert doc.mentions and gc.isenabled()


@pytest.mark.parametrize("lang,text", [
    ("ar", "وفي سنة ست عشرة وستمائة سار جنكز خان في نحو ستين الف فارس إلى بخارى. ثم ملك علاء الدين محمد بن تكش "
           "خوارزم شاه سمرقند، وقتل من التتر خلقا كثيرا."),
    ("kk", "1219 жылы Шыңғыс хан 150 мың әскермен Отырарға келді. Темір-Мәлік Жалал ад-Динмен бірге соғысты."),
])
def test_an_annotate_pass_makes_no_cyclic_garbage(collector_state, lang, text):
    # The premise of running the per-document passes with the collector paused: what they allocate is freed by
    # reference counting alone, so the paused collector would have found nothing to free.
    from nuskha.pipeline import process

    process(text, lang, annotate=True)  # tables and caches loaded outside the measured pass
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        doc = process(text + "\n" + text, lang, annotate=True)
        assert doc.mentions
        del doc
        assert gc.collect() == 0, [type(o).__name__ for o in gc.garbage[:20]]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
