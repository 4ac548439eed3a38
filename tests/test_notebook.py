"""The walk-through notebook runs top to bottom on a copy of the corpus."""
from __future__ import annotations

import ast
import json
import os
import shutil
import sys

from tests.conftest import CORPUS, ROOT


def test_walkthrough_notebook_runs(tmp_path, monkeypatch):
    shutil.copytree(CORPUS, tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    monkeypatch.setenv("NUSKHA_AUTHORITY", str(ROOT / "src" / "nuskha" / "data" / "authority.tsv"))
    nb = json.loads((ROOT / "notebooks" / "walkthrough.ipynb").read_text(encoding="utf-8"))
    scope: dict = {}
    results = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            tree = ast.parse("".join(cell["source"]))
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            exec(compile(tree, "notebook", "exec"), scope)
            if last is not None:  # a cell's value, as Jupyter would show it
                results.append(eval(compile(ast.Expression(last.value), "notebook", "eval"), scope))
    assert results[0][2] > 100 and results[0][3] > 30  # mentions found in both passages
    assert (tmp_path / "out" / "index.sqlite").exists()
    assert any(p.suffix == ".xml" for p in (tmp_path / "out").iterdir())
