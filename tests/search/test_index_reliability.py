"""The index never loses a document (issue 17, item 1): one writer at a time, documents keyed by folder and
relative path, corrupt indexes reported (with --rebuild as the way out), file mode kept, stale temporaries swept.

Each test drives the real command line in subprocesses, as the probes that found these failures did."""
from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from nuskha.search.index import WriterLock
from tests.conftest import AR_TEXT, CORPUS, KK_TEXT


def nuskha(*args, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "nuskha", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def run(*args, **kwargs) -> tuple[int, str, str]:
    proc = nuskha(*args, **kwargs)
    out, err = proc.communicate(timeout=600)
    return proc.returncode, out, err


def documents(index) -> set[tuple[str, str, str]]:
    con = sqlite3.connect(index)
    try:
        return set(con.execute("SELECT folder, relpath, name FROM documents"))
    finally:
        con.close()


def one_folder(tmp_path, name: str, *texts) -> "os.PathLike":
    folder = tmp_path / name
    folder.mkdir()
    for text in texts:
        shutil.copy(text, folder / text.name)
        shutil.copy(text.with_name(text.stem + ".meta.json"), folder / (text.stem + ".meta.json"))
    return folder


def test_two_concurrent_index_runs_keep_every_document(tmp_path):
    a = one_folder(tmp_path, "a", AR_TEXT)
    b = one_folder(tmp_path, "b", KK_TEXT)
    out = tmp_path / "idx.sqlite"
    procs = [nuskha("index", folder, "-o", out, "--no-annotate", "-q") for folder in (a, b)]
    results = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert {(f, r) for f, r, _ in documents(out)} == {(str(a.resolve()), AR_TEXT.name),
                                                       (str(b.resolve()), KK_TEXT.name)}


def test_a_second_writer_waits_for_the_lock_and_builds_on_the_first_result(tmp_path):
    a = one_folder(tmp_path, "a", AR_TEXT)
    b = one_folder(tmp_path, "b", KK_TEXT)
    out = tmp_path / "idx.sqlite"
    assert run("index", a, "-o", out, "--no-annotate", "-q")[0] == 0
    lock = WriterLock(out)  # another writer holds the index
    try:
        proc = nuskha("index", b, "-o", out, "--no-annotate", "-q")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None and len(documents(out)) == 1:
            time.sleep(0.5)
            if time.monotonic() > deadline - 50:  # ten seconds: it has had time to finish, had it not waited
                break
        assert proc.poll() is None, "the second writer did not wait for the lock"
        assert len(documents(out)) == 1
    finally:
        lock.release()
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert "waiting for another `nuskha index`" in err
    assert len(documents(out)) == 2


def test_two_folders_sharing_file_names_keep_both(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x.txt").write_text("Отырар қаласы туралы бірінші мәтін.", encoding="utf-8")
    (b / "x.txt").write_text("Бұхара қаласы туралы екінші мәтін.", encoding="utf-8")
    out = tmp_path / "idx.sqlite"
    assert run("index", a, "-o", out, "--no-annotate", "-q")[0] == 0
    assert run("index", b, "-o", out, "--no-annotate", "-q")[0] == 0
    docs = documents(out)
    assert {(f, r) for f, r, _ in docs} == {(str(a.resolve()), "x.txt"), (str(b.resolve()), "x.txt")}
    assert len({n for _, _, n in docs}) == 2  # shown under two names
    # re-indexing the first folder leaves the second folder's x.txt alone
    code, out_, _ = run("index", a, "-o", out, "--no-annotate")
    assert code == 0 and "0 document(s) indexed, 1 unchanged" in out_
    assert len(documents(out)) == 2
    code, res, err = run("search", "қаласы", "--index", out, "--format", "json")
    assert code == 0, err
    assert len({h["doc"] for h in json.loads(res)["hits"]}) == 2


def _corrupt(path) -> None:
    """Overwrite pages in the middle of the file (the header stays valid)."""
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.seek(size // 3)
        fh.write(b"\xde\xad\xbe\xef" * (size // 12))


def test_a_corrupt_index_is_reported_never_kept_and_rebuild_is_the_way_out(tmp_path):
    out = tmp_path / "idx.sqlite"
    assert run("index", CORPUS, "-o", out, "--no-annotate", "-q")[0] == 0
    _corrupt(out)
    damaged = out.read_bytes()
    code, stdout, err = run("index", CORPUS, "-o", out, "--no-annotate", "-q")
    assert code == 2 and "unchanged" not in stdout
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "corrupt search index" in err and "--rebuild" in err and str(out) in err
    assert out.read_bytes() == damaged  # reported, not silently rewritten either
    code, _, err = run("search", "Otrar", "--index", out)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "corrupt" in err or "not a nuskha search index" in err
    code, stdout, err = run("index", CORPUS, "-o", out, "--no-annotate", "-q", "--rebuild")
    assert code == 0, err
    assert "2 document(s) indexed" in stdout
    assert run("search", "Otrar", "--index", out)[0] == 0


def test_a_truncated_index_is_a_one_line_error_for_readers(tmp_path):
    out = tmp_path / "idx.sqlite"
    assert run("index", CORPUS, "-o", out, "--no-annotate", "-q")[0] == 0
    with open(out, "r+b") as fh:
        fh.truncate(out.stat().st_size // 2)
    code, _, err = run("search", "Otrar", "--index", out)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "corrupt search index" in err


def test_an_update_keeps_the_file_mode(tmp_path):
    out = tmp_path / "idx.sqlite"
    folder = one_folder(tmp_path, "c", AR_TEXT, KK_TEXT)
    assert run("index", folder, "-o", out, "--no-annotate", "-q")[0] == 0
    os.chmod(out, 0o644)
    (folder / AR_TEXT.name).write_text("تغيير " + AR_TEXT.read_text(encoding="utf-8"), encoding="utf-8")
    code, stdout, err = run("index", folder, "-o", out, "--no-annotate", "-q",
                            preexec_fn=lambda: os.umask(0o077))
    assert code == 0 and "1 document(s) indexed" in stdout, err
    assert oct(out.stat().st_mode & 0o777) == oct(0o644)


def test_a_killed_build_leaves_a_temporary_that_the_next_run_sweeps(tmp_path):
    out = tmp_path / "idx.sqlite"
    folder = one_folder(tmp_path, "c", AR_TEXT, KK_TEXT)
    assert run("index", folder, "-o", out, "--no-annotate", "-q")[0] == 0
    before = documents(out)
    stale = tmp_path / ".idx.sqlite.k1ll3d.tmp"  # what a `kill -9` during an update leaves
    stale.write_bytes(out.read_bytes())
    # and a real kill -9 in the middle of a build
    (folder / AR_TEXT.name).write_text("تغيير " + AR_TEXT.read_text(encoding="utf-8"), encoding="utf-8")
    proc = nuskha("index", folder, "-o", out, "-q")  # with recognisers: slow enough to be killed mid-way
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and \
            len(list(tmp_path.glob(".idx.sqlite.*.tmp"))) < 2:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert documents(out) == before  # the index is whole
    code, _, err = run("index", folder, "-o", out, "--no-annotate", "-q")
    assert code == 0, err
    assert list(tmp_path.glob(".idx.sqlite.*.tmp")) == []
