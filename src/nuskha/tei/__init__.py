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

from ..core.bulk import cycle_collection_paused as gc_paused  # noqa: F401 (the readers' and writer's name for it)

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
