"""The averaged perceptron and the shipped Kazakh candidate model."""
from __future__ import annotations

import json

from nuskha.annotate.entities import load_model
from nuskha.core.perceptron import Perceptron


def test_perceptron_learns_a_separable_toy_task_and_round_trips(tmp_path):
    examples = [(["bias", "suf=ов"], "person"), (["bias", "suf=ға"], "place"), (["bias", "w=үкімет"], "none")] * 5
    model = Perceptron.train(examples, ("person", "place", "none"), epochs=5)
    assert model.predict(["bias", "suf=ов"]) == "person"
    assert model.predict(["bias", "suf=ға"]) == "place"
    path = tmp_path / "m.json"
    model.save(path, "toy")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["_source"] == "toy"
    again = Perceptron.from_json(data)
    assert again.predict(["bias", "w=үкімет"]) == model.predict(["bias", "w=үкімет"]) == "none"


def test_training_is_reproducible():
    examples = [([f"f{i % 3}", "bias"], ("a", "b")[i % 2]) for i in range(30)]
    a = Perceptron.train(examples, ("a", "b"), seed=1)
    b = Perceptron.train(examples, ("a", "b"), seed=1)
    assert a.weights == b.weights


def test_shipped_kazakh_model_loads_and_types_candidates():
    model = load_model("kk", "entity_model.json")
    assert model is not None and set(model.labels) == {"person", "place", "none"}
    assert load_model("kk", None) is None and load_model("kk", "missing.json") is None
    scores = model.scores(["bias", "rule=person", "suf=ов"])
    assert set(scores) == {"person", "place", "none"}
