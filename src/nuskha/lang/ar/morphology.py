"""Placeholder: segmentation and lemmas are being written (issue 2)."""
from __future__ import annotations


def analyze(text: str, norm: str):
    return norm, ()
