"""A small averaged perceptron over sparse string features: trained once, shipped as JSON, loaded lazily.

Used where a rule proposes a candidate and a statistic should decide between a few labels (is this capitalised
Kazakh word a person, a place, or neither?). Averaging the weights over all updates (Collins 2002) makes a
perceptron nearly as good as a log-linear model at a fraction of the code.
"""
from __future__ import annotations

import json
import random
from collections import defaultdict
from typing import Iterable, Sequence


class Perceptron:
    """Multi-class linear model: ``weights[feature][label]``."""

    def __init__(self, labels: Sequence[str], weights: dict[str, dict[str, float]] | None = None):
        self.labels = tuple(labels)
        self.weights: dict[str, dict[str, float]] = weights or {}

    def scores(self, features: Iterable[str]) -> dict[str, float]:
        out = dict.fromkeys(self.labels, 0.0)
        for f in features:
            for label, w in self.weights.get(f, {}).items():
                out[label] += w
        return out

    def predict(self, features: Iterable[str]) -> str:
        scores = self.scores(features)
        return max(self.labels, key=lambda label: (scores[label], -self.labels.index(label)))

    @classmethod
    def train(cls, examples: list[tuple[list[str], str]], labels: Sequence[str], epochs: int = 8,
              seed: int = 0) -> "Perceptron":
        """Averaged perceptron training; ``seed`` fixes the shuffling so that training is reproducible."""
        model = cls(labels)
        totals: dict[tuple[str, str], float] = defaultdict(float)
        stamps: dict[tuple[str, str], int] = defaultdict(int)
        weights: dict[str, dict[str, float]] = defaultdict(dict)
        model.weights = weights
        step = 0
        rng = random.Random(seed)
        order = list(range(len(examples)))
        for _ in range(epochs):
            rng.shuffle(order)
            for k in order:
                feats, gold = examples[k]
                step += 1
                guess = model.predict(feats)
                if guess == gold:
                    continue
                for f in feats:
                    for label, delta in ((gold, 1.0), (guess, -1.0)):
                        key = (f, label)
                        w = weights[f].get(label, 0.0)
                        totals[key] += (step - stamps[key]) * w
                        stamps[key] = step
                        weights[f][label] = w + delta
        averaged: dict[str, dict[str, float]] = {}
        for f, per_label in weights.items():
            for label, w in per_label.items():
                key = (f, label)
                total = totals[key] + (step - stamps[key]) * w
                avg = round(total / max(step, 1), 4)
                if avg:
                    averaged.setdefault(f, {})[label] = avg
        return cls(labels, averaged)

    def to_json(self) -> dict:
        return {"labels": list(self.labels), "weights": self.weights}

    @classmethod
    def from_json(cls, data: dict) -> "Perceptron":
        return cls(data["labels"], data["weights"])

    def save(self, path, source: str) -> None:
        from ..io import write_atomic

        payload = {"_source": source, **self.to_json()}
        write_atomic(path, json.dumps(payload, ensure_ascii=False, sort_keys=True))
