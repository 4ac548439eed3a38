"""Reading texts and corpus folders, writing outputs atomically.

Texts of any size are read as a :class:`TextStream`: one pass checks the bytes (UTF-8, size, not empty) and
computes what the header of every output needs (SHA-256, script counts for the language), then
:meth:`TextStream.blocks` hands the text out in blocks cut at line breaks, so memory does not grow with the file.
Devices are refused; pipes and FIFOs are read up to ``max_bytes`` into a temporary file, so a stream that never
ends stops with one line instead of filling the memory.
"""
from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import socket
import stat
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from .errors import DataError, InputError, OutputError

#: A corpus text ``NAME.txt`` may have a metadata sidecar ``NAME.meta.json`` beside it.
TEXT_SUFFIX = ".txt"
META_SUFFIX = ".meta.json"

#: Inputs larger than this are refused unless the caller (``--max-bytes``) allows more.
DEFAULT_MAX_BYTES = 1 << 30
#: Characters per block handed to the pipeline: large enough that texts of ordinary size are one block (and so
#: give exactly what a whole-document run gives), small enough that a block's layers stay far below the tables.
BLOCK_CHARS = 1 << 20
#: Script counts (which language a text is in) are taken from the first block: the whole text when it is one
#: block, as before; a longer file is not scanned to its end for a question its first megabyte answers.
SAMPLE_CHARS = BLOCK_CHARS
_READ_BYTES = 1 << 20
#: How long a FIFO may stay without a writer before it is reported (a writer may be just about to open it).
FIFO_WRITER_GRACE = 1.0


def _stat(p: Path) -> os.stat_result:
    try:
        return p.stat()
    except FileNotFoundError:
        raise InputError("no such file", str(p)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", str(p)) from None


def _too_big(size: int, max_bytes: int, path: str) -> InputError:
    return InputError(f"larger than --max-bytes ({size:,} > {max_bytes:,} bytes; raise the limit to read it)", path)


def _spool_stream(p: Path, max_bytes: int) -> Path:
    """Copy a FIFO, pipe or socket into a temporary file, refusing a stream longer than ``max_bytes``.

    The FIFO is opened without blocking, so one with no writer is an error, not a hang.
    """
    name = str(p)
    try:
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", name) from None
    spool_fd, spool = tempfile.mkstemp(prefix=".nuskha-stream.", suffix=".tmp")
    total = 0
    try:
        deadline = time.monotonic() + FIFO_WRITER_GRACE
        while True:  # until the first bytes arrive: EOF here means nobody writes
            try:
                first = os.read(fd, _READ_BYTES)
            except BlockingIOError:
                first = None  # a writer is connected but has not written yet
                break
            if first or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        if first == b"":
            raise InputError("a FIFO or pipe with no writer (nothing to read)", name)
        os.set_blocking(fd, True)
        chunk = first or os.read(fd, _READ_BYTES)
        while chunk:
            total += len(chunk)
            if total > max_bytes:
                raise InputError(f"a stream longer than --max-bytes ({max_bytes:,} bytes): "
                                 f"a device or pipe that never ends?", name)
            os.write(spool_fd, chunk)
            chunk = os.read(fd, _READ_BYTES)
    except BaseException:
        os.close(spool_fd)
        Path(spool).unlink(missing_ok=True)
        raise
    finally:
        os.close(fd)
    os.close(spool_fd)
    return Path(spool)


def _checked_source(p: Path, max_bytes: int) -> tuple[Path, Path | None]:
    """``(file to read, temporary copy to remove or None)`` for ``p``, refusing what is no text file."""
    st = _stat(p)
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        raise InputError("is a directory, not a text file", str(p))
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise InputError("is a device, not a text file", str(p))
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        spool = _spool_stream(p, max_bytes)
        return spool, spool
    if st.st_size > max_bytes:
        raise _too_big(st.st_size, max_bytes, str(p))
    return p, None


def _utf8_error(exc: UnicodeDecodeError, offset: int, name: str) -> InputError:
    return InputError(f"not UTF-8: invalid byte 0x{exc.object[exc.start]:02x}", name, f"byte {offset + exc.start}")


def read_text(path: str | os.PathLike, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The exact text of a UTF-8 file (a UTF-8 BOM is kept: it is part of the original).

    Raises :class:`InputError` for a missing path, a directory, a device, a file or stream above ``max_bytes``,
    bytes that are not UTF-8 (with the byte offset) and a file with no text.
    """
    p = Path(path)
    source, spool = _checked_source(p, max_bytes)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", str(p)) from None
    finally:
        if spool is not None:
            spool.unlink(missing_ok=True)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _utf8_error(exc, 0, str(p)) from None
    if not text.strip():
        raise InputError("empty file (no text)", str(p))
    return text


@dataclass
class TextStream:
    """A checked UTF-8 text read block by block; see :func:`open_text`.

    ``sha256`` is the digest of the file's bytes, ``chars`` its length in characters; ``script_counts`` and
    ``marks`` (the language-marking letters present) are read from the first :data:`SAMPLE_CHARS` characters:
    what :func:`nuskha.pipeline.resolve_lang` needs.
    """

    name: str
    source: Path
    size: int
    chars: int
    sha256: str
    script_counts: Counter
    marks: str
    _spool: Path | None = None

    def blocks(self, block_chars: int = BLOCK_CHARS) -> Iterator[tuple[int, str]]:
        """``(character offset, block)`` pairs covering the text exactly, each block cut after a line break.

        A block ends at the last paragraph break (a blank line) of its second half, else at its last line break:
        tokens and sentences never cross a line break, so cutting there changes none. Only a line longer than a
        block is cut at whitespace, which keeps every token but may cut a sentence in two.
        """
        offset = 0
        carry = ""
        try:
            fh = open(self.source, encoding="utf-8", newline="")
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", self.name) from None
        with fh:
            while True:
                chunk = fh.read(block_chars)
                buf = carry + chunk if carry else chunk
                if not chunk:
                    if buf:
                        yield offset, buf
                    return
                cut = _cut(buf) if len(buf) >= block_chars else None
                if cut is None:  # short yet, or one unbroken run of characters: read on
                    carry = buf
                    continue
                yield offset, buf[:cut]
                offset += cut
                carry = buf[cut:]

    def close(self) -> None:
        """Remove the temporary copy of a pipe's contents, if one was made."""
        if self._spool is not None:
            self._spool.unlink(missing_ok=True)
            self._spool = None

    def __enter__(self) -> "TextStream":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _cut(buf: str) -> int | None:
    """Where to end a block of ``buf``: after a line break, else after whitespace; None if there is none yet."""
    half = len(buf) // 2
    for sep, start in (("\n\n", half), ("\n", 0)):
        k = buf.rfind(sep, start)
        if k >= 0:
            return k + len(sep)
    # a line longer than a block: tokens still never cross whitespace, only a sentence may be cut in two
    k = max(buf.rfind(" ", 1), buf.rfind("\t", 1))
    return k + 1 if k > 0 else None


def open_text(path: str | os.PathLike, max_bytes: int = DEFAULT_MAX_BYTES,
              marks: frozenset[str] = frozenset()) -> TextStream:
    """Check a text file in one streaming pass and return it as a :class:`TextStream`.

    The same refusals as :func:`read_text` (with the same messages), in memory that does not depend on the size
    of the file. ``marks`` are letters whose presence :attr:`TextStream.marks` should report.
    """
    from .core.script import script_counts

    p = Path(path)
    name = str(p)
    source, spool = _checked_source(p, max_bytes)
    mark_pattern = re.compile("[" + re.escape("".join(sorted(marks))) + "]") if marks else None
    decoder = codecs.getincrementaldecoder("utf-8")()
    digest = hashlib.sha256()
    counts: Counter = Counter()
    seen: set[str] = set()
    size = chars = 0
    has_text = False
    try:
        with open(source, "rb") as fh:
            while True:
                data = fh.read(_READ_BYTES)
                pending = len(decoder.getstate()[0])
                try:
                    text = decoder.decode(data, final=not data)
                except UnicodeDecodeError as exc:
                    raise _utf8_error(exc, size - pending, name) from None
                size += len(data)
                if size > max_bytes:
                    raise _too_big(size, max_bytes, name)
                digest.update(data)
                if chars < SAMPLE_CHARS:  # the language is read from the first block alone
                    sample = text[:SAMPLE_CHARS - chars]
                    counts.update(script_counts(sample))
                    if mark_pattern is not None and len(seen) < len(marks):
                        seen.update(mark_pattern.findall(sample))
                chars += len(text)
                if not has_text and text.strip():
                    has_text = True
                if not data:
                    break
    except OSError as exc:
        if spool is not None:
            spool.unlink(missing_ok=True)
        raise InputError(f"cannot read: {exc.strerror}", name) from None
    except BaseException:
        if spool is not None:
            spool.unlink(missing_ok=True)
        raise
    if not has_text:
        if spool is not None:
            spool.unlink(missing_ok=True)
        raise InputError("empty file (no text)", name)
    return TextStream(name, source, size, chars, digest.hexdigest(), counts, "".join(sorted(seen)), spool)


try:  # the C function json itself uses for ensure_ascii=False
    from _json import encode_basestring as _quote
except ImportError:  # pragma: no cover - other Pythons
    from json.encoder import py_encode_basestring as _quote


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _key(key: Any) -> str:
    if isinstance(key, str):
        return _quote(key)
    if key is True or key is False or key is None:
        return {True: '"true"', False: '"false"', None: '"null"'}[key]
    if isinstance(key, int):
        return '"' + int.__repr__(key) + '"'
    if isinstance(key, float):
        return '"' + _float(key) + '"'
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def dumps_indented(obj: Any, pad: str = "\n") -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=1)`` exactly, nested after ``pad`` (a newline and the
    indentation of the line ``obj`` starts on), about four times faster: with ``indent`` json falls back to its
    pure-Python encoder, which took more CPU than the recognisers on a book's mentions."""
    if isinstance(obj, str):
        return _quote(obj)
    if obj is None:
        return "null"
    if obj is True:
        return "true"
    if obj is False:
        return "false"
    if isinstance(obj, int):
        return int.__repr__(obj)
    if isinstance(obj, float):
        return _float(obj)
    inner = pad + " "
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        return "{" + ",".join([inner + _key(k) + ": " + dumps_indented(v, inner) for k, v in obj.items()]) \
            + pad + "}"
    if isinstance(obj, (list, tuple)):
        if not obj:
            return "[]"
        return "[" + ",".join([inner + dumps_indented(v, inner) for v in obj]) + pad + "]"
    return json.dumps(obj, ensure_ascii=False, indent=1)  # raises json's own TypeError


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
    try:
        paths = sorted(p for p in root.iterdir() if p.suffix == TEXT_SUFFIX and p.is_file())
    except OSError as exc:
        raise InputError(f"cannot list: {exc.strerror}", str(root)) from None
    if not paths:
        raise InputError("corpus folder has no .txt files", str(root))
    for p in paths:
        yield CorpusEntry(p, p.stem, read_meta(p))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Temporary files are named ``.NAME.HOST.PID.RANDOM.tmp``: a later run on the same host removes those whose process
# is gone (``kill -9`` leaves them behind), and never touches another host's (a Dask worker on a shared disk).
_HOST = socket.gethostname().replace(".", "_") or "host"
_TMP_SUFFIX = ".tmp"
_swept: set[Path] = set()


def _temp_prefix(name: str) -> str:
    return f".{name}.{_HOST}.{os.getpid()}."


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_temp_files(folder: str | os.PathLike) -> list[Path]:
    """Remove the temporary files that :func:`write_atomic` runs killed on this host left in ``folder``.

    Returns the removed paths. A file whose process still runs is kept, as is anything not named like ours.
    """
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    marker = f".{_HOST}."
    for name in names:
        if not (name.startswith(".") and name.endswith(_TMP_SUFFIX) and marker in name):
            continue
        tail = name[name.rindex(marker) + len(marker):].split(".")
        if len(tail) != 3 or not tail[0].isdigit():
            continue
        pid = int(tail[0])
        if pid != os.getpid() and _alive(pid):
            continue
        if pid == os.getpid():
            continue
        path = Path(folder) / name
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            pass
    return removed


def write_atomic(path: str | os.PathLike, data: str | bytes) -> None:
    """Write via a temporary file in the same folder and rename, so a reader never sees half a file.

    The temporary file is removed on any failure (a full disk, Ctrl-C, SIGTERM through the CLI); one left by a
    killed process is swept from the folder by the next write into it.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.parent not in _swept:
            _swept.add(target.parent)
            sweep_temp_files(target.parent)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=_temp_prefix(target.name), suffix=_TMP_SUFFIX)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", str(target)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600 files; outputs get the usual permissions
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write: {exc.strerror}", str(target)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
