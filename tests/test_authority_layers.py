"""The packaged authority file always loads; a project's annotations/authority.tsv or --authority extends it."""
from __future__ import annotations

from nuskha.authority import authority_paths, default_path, load_authority, packaged_path

HEADER = "ref\ttype\tlabel_en\twikidata\tar\tkk\tru\tlatn\tnote\n"
PROJECT = HEADER + "otrar\tplace\tOtrar (Farab)\t\tاترار\tОтырар\t\t\t\nnew-fort\tplace\tNew Fort\t\tقلعة\t\t\t\t\n"


def test_packaged_file_loads_from_any_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NUSKHA_AUTHORITY", raising=False)
    assert packaged_path() is not None
    auth = load_authority()
    assert "chinggis-khan" in auth and "otrar" in auth
    assert default_path() == packaged_path()


def test_project_file_found_from_a_subfolder_overrides_and_extends(tmp_path, monkeypatch):
    (tmp_path / "annotations").mkdir()
    (tmp_path / "annotations" / "authority.tsv").write_text(PROJECT, encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    monkeypatch.delenv("NUSKHA_AUTHORITY", raising=False)
    auth = load_authority()
    assert auth["otrar"].label_en == "Otrar (Farab)"  # the project's record replaces the packaged one
    assert "new-fort" in auth and "chinggis-khan" in auth  # added, and the packaged records kept
    assert authority_paths()[-1] == tmp_path / "annotations" / "authority.tsv"


def test_explicit_path_is_the_project_layer(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    extra = tmp_path / "mine.tsv"
    extra.write_text(PROJECT, encoding="utf-8")
    auth = load_authority(extra)
    assert auth["otrar"].label_en == "Otrar (Farab)" and "bukhara" in auth
    assert auth.path == str(extra)
