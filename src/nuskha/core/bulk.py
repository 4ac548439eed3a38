"""Building a large layer of objects without paying for cyclic garbage collection on the way.

A book's token layer is hundreds of thousands of small objects made in one loop. CPython counts every allocation
towards its next collection, and each full collection walks every tracked object alive, the growing token list
included: on the 371k-token benchmark book that was a third of the warm tokenising time. The token layer holds no
reference cycles (tokens point at lexemes, never back), so pausing the cyclic collector while it is built frees
nothing later than it would have been freed; reference counting still frees everything else at once.

The same holds for a whole per-document pass (tokenising, each recogniser): it makes no reference cycles (a test
checks that a full annotate pass leaves no cyclic garbage), yet with the collector on, its allocations set off
collections that walk every table and token alive -- a fifth of the warm annotate time on the book, and more
cold. Such a pass runs under :func:`collection_paused`. Anything cyclic it did make is still collected once the
collector is back on, only later.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from functools import wraps
from typing import Callable, Iterator, TypeVar

F = TypeVar("F", bound=Callable)


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block, and switch it back on only if it was on before, so a
    caller that turned it off (or an enclosing pause) keeps it off."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def collection_paused(fn: F) -> F:
    """``fn`` run with the cyclic collector paused (:func:`cycle_collection_paused`): for per-document passes."""

    @wraps(fn)
    def paused(*args, **kwargs):
        with cycle_collection_paused():
            return fn(*args, **kwargs)

    return paused  # type: ignore[return-value]
