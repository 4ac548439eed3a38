"""IOB2 export with KazNERD's tag set: ``TOKEN TAG`` per line, a blank line after each sentence.

nuskha's types map onto KazNERD's classes: person → PERSON, place → GPE, group → NORP (nationalities, religious
and political groups), date → DATE, troops → QUANTITY. Tokens are whole tokens, as in KazNERD (a Kazakh name keeps
its case suffix; an Arabic proclitic stays in its token).
"""
from __future__ import annotations

from typing import Any, Sequence

from . import sentence_tokens, token_tags

KAZNERD_TAGS = {"person": "PERSON", "place": "GPE", "group": "NORP", "date": "DATE", "troops": "QUANTITY"}


def write(docs: Sequence[Any], authority: Any | None = None) -> str:
    """The documents as IOB2 text (documents separated by their sentences' blank lines)."""
    lines: list[str] = []
    for doc in docs:
        for sent in sentence_tokens(doc):
            tags = token_tags(sent, doc.mentions, lambda m: KAZNERD_TAGS.get(m.type, "MISCELLANEOUS"))
            lines += [f"{t.text} {tag}" for t, tag in zip(sent, tags)]
            lines.append("")
    return "\n".join(lines) + ("\n" if lines else "")
