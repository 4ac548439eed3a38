"""CoNLL-U export: a sentence per block, tokens with their original offsets, lemmas, and mentions in MISC.

Multiword tokens follow the UD treebank of the language: Arabic (UD Arabic-PADT/PUD) splits the proclitics و ف
ب ل ك س and pronoun enclitics off as words of a multiword token, and keeps the article ال on its noun; Kazakh
(UD Kazakh-KTB) does not split suffixes, so a Kazakh token is one word. nuskha assigns no dependency tree: HEAD
and DEPREL are ``_``; UPOS is given where a clitic's role or a token's kind says it (CCONJ, ADP, AUX, PRON, NUM,
PUNCT) and ``_`` elsewhere.

MISC carries ``TokenRange=START:END`` (character offsets into the original text, on the token line), ``SpaceAfter=No``
where no space follows, and on the words of a mention ``Mention=B-person``/``I-person``, ``Ref=`` the ref and
``RefURI=`` its URI (from :mod:`nuskha.uris`).
"""
from __future__ import annotations

import re
from typing import Any, Sequence

from ..uris import ref_uri
from . import sentence_tokens

#: Segment roles split off as words of a multiword token, per language (UD convention).
SPLIT_ROLES = {"ar": frozenset({"conj", "prep", "fut", "pron"})}
ROLE_UPOS = {"conj": "CCONJ", "prep": "ADP", "fut": "AUX", "pron": "PRON"}
KIND_UPOS = {"punct": "PUNCT", "number": "NUM", "symbol": "SYM"}


def words_of(token: Any, lang: str) -> list[tuple[int, int, str | None, str | None]]:
    """``(start, end, role, form)`` of the syntactic words of a token (absolute offsets): clitic segments whose
    role the language splits become words; the other segments stay joined to the stem."""
    split = SPLIT_ROLES.get(lang.split("-")[0], frozenset())
    segs = token.lex.segments
    if not split or len(segs) < 2 or not any(s.role in split for s in segs):
        return [(token.start, token.end, None, None)]
    words: list[list[Any]] = []
    for s in segs:
        if s.role in split or not words or words[-1][2] in split:
            words.append([token.start + s.start, token.start + s.end, s.role, s.form])
        else:  # the article (or another unsplit piece) stays with its neighbour
            words[-1][1] = token.start + s.end
            words[-1][2] = "stem" if s.role == "stem" else words[-1][2]
    return [tuple(w) for w in words]  # type: ignore[misc]


def _field(text: str) -> str:
    return re.sub(r"\s", "_", text) or "_"


def _misc(items: list[str]) -> str:
    return "|".join(items) if items else "_"


def _mention_at(mentions: list[Any], start: int, end: int) -> Any:
    for m in mentions:
        if m.start < end and start < m.end:
            return m
    return None


def write(docs: Sequence[Any], authority: Any | None = None) -> str:
    """The documents as CoNLL-U (``# newdoc id``, ``# sent_id``, ``# text`` comments)."""
    out: list[str] = []
    for doc in docs:
        text = doc.text
        chosen, last = [], -1
        for m in sorted(doc.mentions, key=lambda m: (m.start, -m.end)):
            if m.start >= last:
                chosen.append(m)
                last = m.end
        out.append(f"# newdoc id = {doc.id}")
        for n, sent in enumerate(sentence_tokens(doc), 1):
            out.append(f"# sent_id = {doc.id}-{n}")
            out.append("# text = " + re.sub(r"\s+", " ", text[sent[0].start:sent[-1].end]))
            wid = 0
            prev = None
            for tok in sent:
                space_after = tok.end >= len(text) or text[tok.end].isspace()
                tok_misc = [f"TokenRange={tok.start}:{tok.end}"] + ([] if space_after else ["SpaceAfter=No"])
                words = words_of(tok, doc.lang)
                if len(words) > 1:
                    out.append(f"{wid + 1}-{wid + len(words)}\t{_field(tok.text)}\t_\t_\t_\t_\t_\t_\t_\t"
                               f"{_misc(tok_misc)}")
                for i, (ws, we, role, form) in enumerate(words):
                    wid += 1
                    m = _mention_at(chosen, ws, we)
                    misc = [] if len(words) > 1 else list(tok_misc)
                    if m is not None:
                        misc.append(f"Mention={'I' if m is prev else 'B'}-{m.type}")
                        if m.ref:
                            misc += [f"Ref={m.ref}", f"RefURI={ref_uri(m.ref)}"]
                    prev = m
                    is_stem = role in (None, "stem")
                    lemma = tok.lemma if is_stem else (form or text[ws:we])
                    upos = KIND_UPOS.get(tok.kind, "_") if is_stem else ROLE_UPOS.get(role or "", "_")
                    out.append(f"{wid}\t{_field(text[ws:we])}\t{_field(lemma or '_')}\t{upos}\t_\t_\t_\t_\t_\t"
                               f"{_misc(misc)}")
            out.append("")
    return "\n".join(out) + "\n"
