"""Errors with stable codes. Each renders as one line naming the file and the position when they are known."""
from __future__ import annotations


class NuskhaError(Exception):
    """Base error: ``code: file:position: message``. The CLI prints it and exits with status 2."""

    code = "E000"

    def __init__(self, message: str, path: str | None = None, position: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.position = position

    def __reduce__(self):  # keep path and position when a worker process sends the error back
        return (type(self), (self.message, self.path, self.position))

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.position}: " if self.position else f"{self.path}: "
        return f"{where}{self.message} [{self.code}]"


class InputError(NuskhaError):
    """Unreadable, undecodable, empty or missing input."""

    code = "E001"


class LanguageError(NuskhaError):
    """Unknown language, or a text whose script does not fit the language asked for."""

    code = "E002"


class DataError(NuskhaError):
    """A malformed data file: authority records, gold annotations, tables."""

    code = "E003"


class XMLError(NuskhaError):
    """Malformed or hostile XML (DTD, entities), or XML that is not what nuskha reads."""

    code = "E004"


class ValidationError(NuskhaError):
    """A document that breaks the TEI schema or a Schematron rule."""

    code = "E005"


class OutputError(NuskhaError):
    """An output path nuskha refuses to write (outside the output folder, not writable)."""

    code = "E006"


class BuildError(NuskhaError):
    """Some documents of a corpus failed; the others were written. ``failures`` holds ``(file, error)`` pairs."""

    code = "E007"

    def __init__(self, message: str, path: str | None = None, position: str | None = None,
                 failures: list[tuple[str, str]] | None = None):
        super().__init__(message, path, position)
        self.failures = list(failures or [])

    def __reduce__(self):
        return (type(self), (self.message, self.path, self.position, self.failures))


def describe(exc: BaseException) -> str:
    """One line for any exception that reaches the command line (an OSError, a sqlite3 or library error).

    Names the file when the exception knows it; never a traceback.
    """
    if isinstance(exc, NuskhaError):
        return str(exc)
    if isinstance(exc, MemoryError):
        return "out of memory (try a smaller input or --max-bytes) [E008]"
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc} [E009]"
    module = type(exc).__module__.split(".")[0]
    if module == "sqlite3":
        return f"database error: {exc} [E010]"
    kind = type(exc).__name__ if module == "builtins" else f"{module}.{type(exc).__name__}"
    text = " ".join(str(exc).split()) or "no message"
    return f"unexpected {kind}: {text} (NUSKHA_DEBUG=1 shows the traceback) [E099]"
