"""The walk-through notebook runs under nbclient (what `jupyter nbconvert --execute` uses), from its own folder and
from the project root, through the Python API only, and shows the annotated text as HTML."""
from __future__ import annotations

import os

import pytest

from tests.conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "walkthrough.ipynb"


def _outputs(nb, kind):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", ()) if kind in o.get("data", {})]


@pytest.mark.parametrize("folder", ["notebooks", "."], ids=["from-notebooks", "from-root"])
def test_walkthrough_notebook_executes(folder, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    # The kernel is a fresh process: give it this tree's source first, as the tests have it.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.delenv("NUSKHA_AUTHORITY", raising=False)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert not any("subprocess" in "".join(c.source) or "!nuskha" in "".join(c.source) for c in nb.cells)
    cwd = (ROOT / folder).resolve()
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}}).execute()
    counts = eval(_outputs(nb, "text/plain")[0]["data"]["text/plain"])  # (ar tokens, kk tokens, ar/kk mentions)
    assert counts[2] > 100 and counts[3] > 30
    html = _outputs(nb, "text/html")
    assert html and 'class="nuskha-display"' in html[0]["data"]["text/html"]
    assert 'data-label="person"' in html[0]["data"]["text/html"]
    text = "".join(o["data"]["text/plain"] for o in _outputs(nb, "text/plain"))
    assert "index.html" in text and "تيمور ملك" in text  # the edition was built; search crossed scripts
    errors = [o for c in nb.cells for o in c.get("outputs", ()) if o.get("output_type") == "error"]
    assert errors == []
