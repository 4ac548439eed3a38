"""Reading texts and corpus folders, writing outputs atomically."""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from .errors import DataError, InputError, OutputError

#: A corpus text ``NAME.txt`` may have a metadata sidecar ``NAME.meta.json`` beside it.
TEXT_SUFFIX = ".txt"
META_SUFFIX = ".meta.json"


def read_text(path: str | os.PathLike) -> str:
    """The exact text of a UTF-8 file (a UTF-8 BOM is kept: it is part of the original).

    Raises :class:`InputError` for a missing path, a directory, bytes that are not UTF-8 (with the byte offset)
    and a file with no text.
    """
    p = Path(path)
    if not p.exists():
        raise InputError("no such file", str(p))
    if p.is_dir():
        raise InputError("is a directory, not a text file", str(p))
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", str(p)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8: invalid byte 0x{data[exc.start]:02x}", str(p),
                         f"byte {exc.start}") from None
    if not text.strip():
        raise InputError("empty file (no text)", str(p))
    return text


def read_json(path: str | os.PathLike) -> Any:
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"invalid JSON: {exc.msg}", str(path), f"{exc.lineno}:{exc.colno}") from None


@dataclass
class CorpusEntry:
    """One text of a corpus folder: its path, an id (the file stem) and its metadata sidecar (may be empty)."""

    path: Path
    id: str
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def lang(self) -> str | None:
        return self.meta.get("language")


def read_meta(text_path: Path) -> dict[str, Any]:
    sidecar = text_path.with_name(text_path.name[: -len(TEXT_SUFFIX)] + META_SUFFIX)
    if not sidecar.exists():
        return {}
    meta = read_json(sidecar)
    if not isinstance(meta, dict):
        raise DataError("metadata sidecar must be a JSON object", str(sidecar))
    return meta


def iter_corpus(folder: str | os.PathLike) -> Iterator[CorpusEntry]:
    """The ``*.txt`` files of a corpus folder in name order, each with its sidecar metadata."""
    root = Path(folder)
    if not root.is_dir():
        raise InputError("not a corpus folder", str(root))
    paths = sorted(p for p in root.iterdir() if p.suffix == TEXT_SUFFIX and p.is_file())
    if not paths:
        raise InputError("corpus folder has no .txt files", str(root))
    for p in paths:
        yield CorpusEntry(p, p.stem, read_meta(p))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike, data: str | bytes) -> None:
    """Write via a temporary file in the same folder and rename, so a reader never sees half a file."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", str(target)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600 files; outputs get the usual permissions
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
