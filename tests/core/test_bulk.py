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
