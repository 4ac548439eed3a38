"""The curation layer: human decisions on mentions, kept apart from the machine's output and applied on top of it.

A curation file (``annotations/curation.jsonl``) holds one decision a line::

    {"doc": ID, "action": "accept"|"reject"|"add"|"retype"|"relink"|"respan", "start": int, "end": int,
     "text": str, "type": str, "ref": str|null, "value": obj|null, "before": str, "after": str, "by": str,
     "at": ISO-8601, "note": str|null}                        (+ "to": [start, end] for respan)

``doc`` is the document id (the file stem). ``text`` is the span as written, ``before``/``after`` up to
:data:`CONTEXT` characters either side: together they *anchor* the decision, so that it survives edits of the text.
A decision says what the mention at that span should be; it is applied on top of a fresh run of the recognisers,
so improvements to them still reach every mention nobody decided on.

Anchoring (:func:`anchor`): the span at the recorded offsets when text and context still match there; otherwise
every occurrence of ``text`` is scored by how much of the recorded context surrounds it, and the single best one
wins if it carries at least half of that context. A decision that cannot be placed that way -- its text is gone,
or two places fit equally well -- is an *orphan*: reported (``nuskha curation check``), never applied elsewhere.

Applying (:func:`apply_curation`): decisions of one document in file order, each on the mention at its anchored
span (the machine's, or the result of an earlier decision). A curated mention carries ``source="curation"``, the
editor, and the machine's original type/ref/value/source/cert under ``history``. Accepted and added mentions get
cert 1.0; a retyped, relinked or respanned one keeps the machine's cert until it is also accepted.

Writing (:func:`append_decision`, :func:`remove_decision`) happens under an exclusive lock on a sidecar lock file,
so two browser tabs or two processes never interleave; an append is one ``write`` of one line, a removal (undo)
rewrites the file atomically. Lines nuskha cannot read are never rewritten away: they are kept byte for byte.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from .document import MENTION_TYPES, Document, Mention
from .errors import DataError, OutputError
from .io import write_atomic

#: Where ``annotate``, ``build``, ``index``, ``align`` and ``review`` look when no ``--curation`` is given.
DEFAULT_PATH = Path("annotations") / "curation.jsonl"
ACTIONS = ("accept", "reject", "add", "retype", "relink", "respan")
#: Characters of context kept either side of a decision's span.
CONTEXT = 32
#: Share of the recorded context an occurrence must carry to take a moved decision.
MIN_CONTEXT_SHARE = 0.5
#: Certainty of an accepted or added mention; a retype/relink/respan of nothing machine-made gets CHANGED_CERT.
ACCEPTED_CERT = 1.0
CHANGED_CERT = 0.9
CURATION_SOURCE = "curation"
_FIELDS = ("doc", "action", "start", "end", "text", "type", "ref", "value", "before", "after", "by", "at", "note")


@dataclass(frozen=True)
class Decision:
    """One line of the curation file. ``line`` is its line number there (1-based; 0 when not read from a file)."""

    doc: str
    action: str
    start: int
    end: int
    text: str
    type: str
    ref: str | None = None
    value: dict[str, Any] | None = None
    before: str = ""
    after: str = ""
    by: str = ""
    at: str = ""
    note: str | None = None
    to: tuple[int, int] | None = None
    line: int = field(default=0, compare=False)

    def to_json(self) -> dict[str, Any]:
        """The contract's object, fields in the contract's order."""
        out = {k: getattr(self, k) for k in _FIELDS}
        if self.to is not None:
            out["to"] = list(self.to)
        return out

    def to_line(self) -> str:
        """The decision as one JSON line (no newline)."""
        return json.dumps(self.to_json(), ensure_ascii=False)


@dataclass(frozen=True)
class Orphan:
    """A decision that could not be placed in its document's current text, and why."""

    decision: Decision
    reason: str

    def __str__(self) -> str:
        d = self.decision
        return f"line {d.line}: {d.doc}: {d.action} {d.type} {d.text!r} at {d.start}-{d.end}: {self.reason}"


@dataclass
class CurationResult:
    """What applying a document's decisions did: how many were applied, which were orphaned."""

    applied: int = 0
    orphans: list[Orphan] = field(default_factory=list)


# --- reading and validating ----------------------------------------------------------------------------------

def default_path() -> Path | None:
    """``annotations/curation.jsonl`` of the current folder when it exists, else None."""
    return DEFAULT_PATH if DEFAULT_PATH.is_file() else None


def resolve_path(path: str | os.PathLike | None) -> Path | None:
    """The curation file to use: ``path`` when given (it need not exist yet), else :func:`default_path`."""
    return Path(path) if path else default_path()


def parse_decision(obj: Any, path: str = "<curation>", line: int = 0) -> Decision:
    """A validated :class:`Decision` from one parsed JSON line; :class:`DataError` names the line otherwise."""
    where = f"line {line}"

    def fail(message: str) -> DataError:
        return DataError(message, path, where)

    if not isinstance(obj, dict):
        raise fail("a decision must be a JSON object")
    unknown = sorted(set(obj) - set(_FIELDS) - {"to"})
    if unknown:
        raise fail(f"unknown field(s) {', '.join(unknown)}")
    missing = [k for k in ("doc", "action", "start", "end", "text", "type") if k not in obj]
    if missing:
        raise fail(f"missing field(s) {', '.join(missing)}")
    action = obj["action"]
    if action not in ACTIONS:
        raise fail(f"unknown action {action!r} (one of {', '.join(ACTIONS)})")
    start, end = obj["start"], obj["end"]
    if type(start) is not int or type(end) is not int or not 0 <= start < end:
        raise fail(f"start/end must be integers with 0 <= start < end, not {start!r}/{end!r}")
    for key in ("doc", "text", "type"):
        if not isinstance(obj[key], str) or not obj[key]:
            raise fail(f"{key} must be a non-empty string")
    if len(obj["text"]) != end - start:
        raise fail(f"text {obj['text']!r} is {len(obj['text'])} characters, the span {end - start}")
    if obj["type"] not in MENTION_TYPES:
        raise fail(f"unknown type {obj['type']!r} (one of {', '.join(MENTION_TYPES)})")
    for key in ("before", "after", "by", "at"):
        if not isinstance(obj.get(key, ""), str):
            raise fail(f"{key} must be a string")
    for key in ("ref", "note"):
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise fail(f"{key} must be a string or null")
    if obj.get("value") is not None and not isinstance(obj["value"], dict):
        raise fail("value must be an object or null")
    to = obj.get("to")
    if action == "respan":
        if (not isinstance(to, list) or len(to) != 2 or any(type(x) is not int for x in to)
                or not 0 <= to[0] < to[1]):
            raise fail("respan needs \"to\": [start, end] with 0 <= start < end")
        to = (to[0], to[1])
    elif to is not None:
        raise fail("only respan takes \"to\"")
    return Decision(obj["doc"], action, start, end, obj["text"], obj["type"], obj.get("ref"), obj.get("value"),
                    obj.get("before", ""), obj.get("after", ""), obj.get("by", ""), obj.get("at", ""),
                    obj.get("note"), to, line)


def parse_decisions(text: str, path: str = "<curation>") -> list[Decision]:
    """Every decision of a curation file's text; blank lines are skipped; the first bad line raises."""
    out = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise DataError(f"invalid JSON: {exc.msg} (column {exc.colno})", path, f"line {lineno}") from None
        out.append(parse_decision(obj, path, lineno))
    return out


def read_decisions(path: str | os.PathLike | None) -> list[Decision]:
    """The decisions of a curation file (none when ``path`` is None or the file does not exist yet)."""
    if path is None:
        return []
    p = Path(path)
    if not p.exists():
        return []
    if p.is_dir():
        raise DataError("is a directory, not a curation file", str(p))
    try:
        text = p.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 at byte {exc.start}", str(p)) from None
    return parse_decisions(text, str(p))


@lru_cache(maxsize=4)
def _cached(path: str, mtime_ns: int, size: int) -> tuple[Decision, ...]:
    return tuple(read_decisions(path))


def load_decisions(path: str | os.PathLike | None) -> tuple[Decision, ...]:
    """:func:`read_decisions`, read once per process while the file is unchanged (worker processes call it per
    document)."""
    if path is None or not Path(path).is_file():
        return ()
    st = Path(path).stat()
    return _cached(str(path), st.st_mtime_ns, st.st_size)


def by_document(decisions: Iterable[Decision]) -> dict[str, list[Decision]]:
    """Decisions grouped by document id, each group in file order."""
    out: dict[str, list[Decision]] = {}
    for d in decisions:
        out.setdefault(d.doc, []).append(d)
    return out


def digest(text: str, decisions: Sequence[Decision]) -> str:
    """sha256 of a text, or of the text and its decisions when there are any: a document is stale in an index
    when either changed."""
    h = hashlib.sha256(text.encode("utf-8"))
    if decisions:
        for d in decisions:
            h.update(b"\n" + d.to_line().encode("utf-8"))
    return h.hexdigest()


# --- making and writing decisions --------------------------------------------------------------------------

def now() -> str:
    """The current UTC time as ISO 8601 (seconds)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def make_decision(doc_id: str, text: str, action: str, start: int, end: int, type: str, ref: str | None = None,
                  value: dict[str, Any] | None = None, by: str = "", note: str | None = None,
                  to: tuple[int, int] | None = None, at: str | None = None) -> Decision:
    """A decision on ``text[start:end]`` of document ``doc_id`` with its anchoring context, validated."""
    if not 0 <= start < end <= len(text):
        raise DataError(f"span {start}-{end} is outside the text ({len(text)} characters)", doc_id)
    if to is not None and not 0 <= to[0] < to[1] <= len(text):
        raise DataError(f"respan target {to[0]}-{to[1]} is outside the text", doc_id)
    obj = {"doc": doc_id, "action": action, "start": start, "end": end, "text": text[start:end], "type": type,
           "ref": ref or None, "value": value, "before": text[max(0, start - CONTEXT):start],
           "after": text[end:end + CONTEXT], "by": by, "at": at or now(), "note": note}
    if to is not None:
        obj["to"] = [to[0], to[1]]
    return parse_decision(obj, doc_id)


@contextmanager
def locked(path: str | os.PathLike) -> Iterator[None]:
    """An exclusive lock on ``PATH.lock`` for the duration of the block (waits for other holders)."""
    import fcntl

    lock_path = Path(str(path) + ".lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise OutputError(f"cannot lock: {exc.strerror}", str(lock_path)) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def append_decision(path: str | os.PathLike, decision: Decision) -> str:
    """Append ``decision`` as one line (under the lock, one ``write``, flushed to disk); returns the line."""
    line = decision.to_line()
    p = Path(path)
    with locked(p):
        data = line.encode("utf-8") + b"\n"
        try:
            if p.exists() and p.stat().st_size:
                with open(p, "rb") as fh:  # a file someone saved without a final newline
                    fh.seek(-1, os.SEEK_END)
                    if fh.read(1) != b"\n":
                        data = b"\n" + data
            fd = os.open(p, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
            try:
                os.write(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror}", str(p)) from None
    return line


def remove_decision(path: str | os.PathLike, line: str) -> bool:
    """Remove the LAST line equal to ``line`` (an undo), rewriting the file atomically under the lock.

    Every other line, readable or not, is kept byte for byte. Returns False when no such line is there (another
    tab undid it already)."""
    p = Path(path)
    with locked(p):
        if not p.exists():
            return False
        lines = p.read_bytes().split(b"\n")
        target = line.encode("utf-8")
        for i in range(len(lines) - 1, -1, -1):
            if lines[i].rstrip(b"\r") == target:
                del lines[i]
                write_atomic(p, b"\n".join(lines))
                return True
    return False


# --- anchoring ---------------------------------------------------------------------------------------------

def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b)):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def context_score(decision: Decision, text: str, start: int) -> int:
    """How many characters of the decision's recorded context surround ``text[start:start+len]``."""
    end = start + len(decision.text)
    before = text[max(0, start - len(decision.before)):start]
    after = text[end:end + len(decision.after)]
    return _common_suffix(decision.before, before) + _common_prefix(decision.after, after)


def anchor(decision: Decision, text: str) -> tuple[int, int] | str:
    """The decision's span in ``text`` now, or the reason it cannot be placed (an orphan)."""
    d = decision
    size = len(d.text)
    full = len(d.before) + len(d.after)
    if text[d.start:d.end] == d.text and context_score(d, text, d.start) == full:
        return d.start, d.end
    places = []
    i = text.find(d.text)
    while i != -1:
        places.append(i)
        i = text.find(d.text, i + 1)
    if not places:
        return f"its text {d.text!r} is no longer in the document"
    scored = sorted(((context_score(d, text, p), -abs(p - d.start), p) for p in places), reverse=True)
    best_score, _, best = scored[0]
    if full and best_score < MIN_CONTEXT_SHARE * full:
        return (f"its text occurs {len(places)} time(s) but never in its recorded context "
                f"(best {best_score}/{full} characters)")
    if len(scored) > 1 and scored[1][0] == best_score:
        return f"its text and context fit {sum(s[0] == best_score for s in scored)} places equally"
    return best, best + size


# --- applying ----------------------------------------------------------------------------------------------

def _machine_past(m: Mention) -> dict[str, Any]:
    """A mention's history: the machine's proposal, kept from its first human decision on."""
    if m.history is not None:
        return m.history
    return {"machine": {"type": m.type, "ref": m.ref, "value": m.value, "source": m.source, "cert": m.cert},
            "actions": []}


def _curate(m: Mention, d: Decision) -> None:
    m.history = _machine_past(m)
    m.history["actions"] = [*m.history["actions"], d.action]
    m.source, m.editor = CURATION_SOURCE, d.by or None
    if d.note:
        m.note = d.note


def _at(mentions: list[Mention], start: int, end: int, type: str | None = None) -> Mention | None:
    """The mention at exactly ``[start, end)``, of ``type`` when there is one of that type."""
    same = [m for m in mentions if m.start == start and m.end == end]
    return next((m for m in same if m.type == type), same[0] if same else None)


def _new(d: Decision, text: str, start: int, end: int, cert: float) -> Mention:
    return Mention(start, end, text[start:end], d.type, d.ref, d.value, CURATION_SOURCE, cert, d.note,
                   d.by or None, {"machine": None, "actions": [d.action]})


def apply_decision(doc: Document, d: Decision, start: int, end: int) -> None:
    """Apply one decision, already anchored at ``[start, end)``, to ``doc.mentions``."""
    mentions, text = doc.mentions, doc.text
    if d.action == "reject":
        doc.mentions = [m for m in mentions if not (m.start == start and m.end == end and m.type == d.type)]
        return
    m = _at(mentions, start, end, d.type)
    if m is None:  # the machine no longer proposes it: the decision alone says what it is
        if d.action == "respan":
            start, end = d.to
        mentions.append(_new(d, text, start, end, ACCEPTED_CERT if d.action in ("accept", "add") else CHANGED_CERT))
        return
    _curate(m, d)
    if d.action in ("accept", "add"):
        m.cert = ACCEPTED_CERT
        m.type, m.ref = d.type, d.ref if d.ref is not None else m.ref
        if d.value is not None:
            m.value = d.value
    elif d.action == "retype":
        if d.type != m.type:
            m.type, m.ref, m.value = d.type, d.ref, d.value
    elif d.action == "relink":
        m.ref = d.ref
    elif d.action == "respan":
        m.start, m.end = d.to
        m.text = text[m.start:m.end]


def apply_curation(doc: Document, decisions: Iterable[Decision]) -> CurationResult:
    """Apply the decisions on ``doc`` (those whose ``doc`` is its id) on top of its mentions, in file order.

    Each is first anchored in the current text; orphans are returned, never applied. Mentions end sorted by
    offset, like the recognisers leave them."""
    result = CurationResult()
    for d in decisions:
        if d.doc != doc.id:
            continue
        placed = anchor(d, doc.text)
        if isinstance(placed, str):
            result.orphans.append(Orphan(d, placed))
            continue
        start, end = placed
        if d.action == "respan":
            shift = start - d.start
            to = (d.to[0] + shift, d.to[1] + shift)
            if not 0 <= to[0] < to[1] <= len(doc.text):
                result.orphans.append(Orphan(d, f"its new span {to[0]}-{to[1]} falls outside the text"))
                continue
            d = Decision(**{**d.__dict__, "to": to})
        apply_decision(doc, d, start, end)
        result.applied += 1
    doc.mentions.sort(key=lambda m: (m.start, -m.end, m.type))
    return result


def curate(doc: Document, path: str | os.PathLike | None, warn: bool = True) -> CurationResult:
    """Apply the curation file at ``path`` (None: nothing) to ``doc``; orphans are warned about on stderr, one
    line each, naming the file and line. The per-document call of annotate, build, index and align."""
    if path is None:
        return CurationResult()
    result = apply_curation(doc, load_decisions(path))
    if warn:
        for o in result.orphans:
            print(f"nuskha: warning: {path}:{o} (orphaned: not applied)", file=sys.stderr)
    return result


# --- checking a corpus -------------------------------------------------------------------------------------

@dataclass
class CheckReport:
    """``nuskha curation check``: how many decisions there are, how many anchor, which are orphans."""

    decisions: int = 0
    anchored: int = 0
    moved: int = 0
    orphans: list[Orphan] = field(default_factory=list)


def check(path: str | os.PathLike, texts: dict[str, str]) -> CheckReport:
    """Anchor every decision of the curation file at ``path`` in ``texts`` (document id -> current text)."""
    report = CheckReport()
    for d in read_decisions(path):
        report.decisions += 1
        text = texts.get(d.doc)
        if text is None:
            report.orphans.append(Orphan(d, "no document with this id in the corpus"))
            continue
        placed = anchor(d, text)
        if isinstance(placed, str):
            report.orphans.append(Orphan(d, placed))
        else:
            report.anchored += 1
            report.moved += placed[0] != d.start
    return report
