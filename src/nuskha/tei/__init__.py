"""TEI P5 export, import and validation.

:mod:`.write` turns documents into TEI (tokens inline, interpretation in ``<standOff>``), :mod:`.read` turns nuskha
TEI (and inline TEI from other tools) back into documents through a parser that refuses DTDs and entities, and
:mod:`.validate` checks files against ``tei_all`` and the Schematron rules RELAX NG cannot express; :mod:`.values`
maps date and troop values to TEI attributes and back.

The encoding, in brief (the module docstring of :mod:`.write` has the details):

* the string value of ``<body>`` is the original text, byte for byte: whitespace between tokens, sentences and
  paragraphs is written as it stands, under ``xml:space="preserve"``;
* ``<w>``/``<pc>`` carry ``xml:id`` = ``{doc}.w{n}`` / ``{doc}.pc{n}`` (``n`` = token number), ``@norm`` and
  ``@lemma`` when they differ from the surface;
* a mention, correction or link that starts or ends inside a token splits that token into ``<seg>`` parts
  (``{doc}.w{n}.1``, ``.2``...) so that every pointer is a plain list of ids; where that is impossible (inside a
  morphological ``<m>``, or in whitespace) the pointer is a TEI ``string-range()`` over ``<body>``.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while a book's hundreds of thousands of acyclic tuples and tokens are
    built: otherwise each of its passes walks every one of them again (measured: reading a book took 3 times
    longer). Reference counting still frees everything; the collector is back on afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
