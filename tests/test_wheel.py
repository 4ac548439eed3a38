"""The package as a user gets it: a wheel built from the tree, installed (with its dependencies from the package
index) into a fresh virtual environment, then `nuskha annotate`, `build` and `search` from an empty folder.

Nothing of the checkout is visible there: no PYTHONPATH, no annotations/ folder, no NUSKHA_AUTHORITY; the
authority file and every table must come from inside the installed package."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv

import pytest

from tests.conftest import AR_TEXT, KK_TEXT, ROOT


def _run(args, cwd, env, timeout=900):
    proc = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, f"{args}: {proc.stderr[-2000:]}"
    return proc.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """``(venv bin folder, clean environment)`` with the wheel of this tree installed."""
    base = tmp_path_factory.mktemp("wheel")
    tree = base / "tree"  # a copy, so building leaves no build/ or egg-info in the checkout
    shutil.copytree(ROOT / "src", tree / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md", "MANIFEST.in"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, tree / name)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NUSKHA_AUTHORITY", "VIRTUAL_ENV")}
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", base / "dist",
          f"./{tree.name}"], base, env)
    wheels = list((base / "dist").glob("nuskha-*.whl"))
    assert len(wheels) == 1
    # A fresh environment without pip of its own (ensurepip is slow); this pip installs into it.
    venv.EnvBuilder(with_pip=False, system_site_packages=False).create(base / "venv")
    bindir = base / "venv" / ("Scripts" if os.name == "nt" else "bin")
    _run([sys.executable, "-m", "pip", "--python", bindir / "python", "install", "-q", wheels[0]], base, env)
    return bindir, env


def test_wheel_ships_the_authority_file_and_tables(installed, tmp_path):
    bindir, env = installed
    out = _run([bindir / "python", "-c", "import nuskha, nuskha.authority as a; print(nuskha.__file__); "
                                         "print(a.packaged_path()); print(len(a.load_authority().records))"],
               tmp_path, env)
    module, packaged, count = out.split("\n")[:3]
    assert str(ROOT) not in module and "site-packages" in module
    assert packaged.endswith(os.path.join("nuskha", "data", "authority.tsv")) and int(count) > 50


def test_installed_wheel_annotates_builds_and_searches_from_an_empty_folder(installed, tmp_path):
    bindir, env = installed
    nuskha = bindir / "nuskha"
    work = tmp_path / "empty"
    work.mkdir()
    (work / "texts").mkdir()
    for text in (AR_TEXT, KK_TEXT):
        shutil.copy(text, work / "texts" / text.name)
    data = json.loads(_run([nuskha, "annotate", f"texts/{KK_TEXT.name}"], work, env))
    assert "temur-malik" in {m["ref"] for m in data["mentions"]}  # authority records from the package
    _run([nuskha, "build", "texts", "-o", "out", "-q"], work, env)
    assert (work / "out" / f"{AR_TEXT.stem}.tei.xml").exists() and (work / "out" / "html" / "index.html").exists()
    _run([nuskha, "index", "texts", "-o", "index.sqlite"], work, env)
    hits = _run([nuskha, "search", "Temur Malik", "--index", "index.sqlite"], work, env)
    assert "تيمور ملك" in hits and "Темір-Мәлік" in hits
    # nothing but the outputs and the index's writer lock (kept on purpose: nuskha.search.index.WriterLock)
    assert sorted(p.name for p in work.iterdir()) == [".index.sqlite.lock", "index.sqlite", "out", "texts"]
