"""Issue 17: a text's control characters (an ESC starting a terminal escape sequence, BEL, NEL) never reach the
terminal raw through the KWIC lines of ``nuskha search``; they are written as escapes (``\\x1b``)."""
from __future__ import annotations

import subprocess
import sys

from nuskha import process
from nuskha.cli.search import format_kwic
from nuskha.search import Searcher, index_documents

CONTROLS = ("\x1b", "\x07", "\u0085", "\x9b")
TEXTS = {"kk-esc": ("kk", "Бұхара\x1b[31m қаласы\x07 Отырар\u0085 қаласы \x9b2J соңы"),
         "ar-esc": ("ar", "سار\x1b[2J إلى بخارى\x07 ثم\u0085 بخارى انتهى")}


def _index(tmp_path):
    out = tmp_path / "esc.sqlite"
    index_documents([(process(text, lang, id=name), None) for name, (lang, text) in TEXTS.items()], out)
    return out


def test_kwic_lines_escape_control_characters(tmp_path):
    out = _index(tmp_path)
    with Searcher(out) as searcher:
        for query in ("қаласы", "بخارى"):
            result = searcher.search(query)
            assert result.hits and any(c in h.left + h.right for h in result.hits for c in CONTROLS)
            for isolate in (True, False):
                text = format_kwic(result, isolate=isolate)
                assert not any(c in text for c in CONTROLS), text
                assert "\\x1b" in text or "\\x07" in text


def test_search_command_prints_no_raw_escape(tmp_path):
    out = _index(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "nuskha", "search", "қаласы", "--index", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert not any(c in proc.stdout + proc.stderr for c in CONTROLS)
    assert "\\x1b[31m" in proc.stdout
