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
