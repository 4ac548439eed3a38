"""The CAMeL-alone baseline of ``bench_startup.py``: what CAMeL Tools does to a text in one process.

    python benchmarks/camel_baseline.py FILE

Dediacritise, normalise (alef, alef maksura, teh marbuta) and ``simple_word_tokenize`` the whole file with
``camel_tools.utils`` -- far less than ``nuskha annotate`` does (no offsets, no clitics, no recognisers, no JSON).
"""
from __future__ import annotations

import sys

from camel_tools.tokenizers.word import simple_word_tokenize
from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (normalize_alef_ar, normalize_alef_maksura_ar,
                                         normalize_teh_marbuta_ar)


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as fh:
        text = fh.read()
    text = normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(dediac_ar(text))))
    tokens = simple_word_tokenize(text)
    print(len(tokens))


if __name__ == "__main__":
    main()
