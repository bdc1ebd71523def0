"""Time the gazetteer name search per query, cold (first time a word is seen) and as-you-type.

Run by hand: ``.venv/bin/python bench/region_search.py``. Prints milliseconds per query.
"""

from __future__ import annotations

import time

from fieldtui.domain.regions import gazetteer

QUERIES = [
    "sesetan",
    "ubung kaja",
    "Dangin Puri Kgn",
    "danginpurikangin",
    "kec kuta",
    "kota denpasar",
    "sestan",
    "ubng kaja",
    "Br. Kaja",
    "kab badung",
    "xyzzyq",
]
ROUNDS = 200


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:6.3f} ms"


def main() -> None:
    """Print the mean time per query."""
    places = gazetteer()
    started = time.perf_counter()
    places.search("warm up")  # builds the index once
    print(f"index build + first query: {_ms(time.perf_counter() - started)}")
    index = places._index  # private on purpose: the bench empties the word cache
    for query in QUERIES:
        cold = 0.0
        for _ in range(ROUNDS):
            index._memo.clear()
            started = time.perf_counter()
            places.search(query)
            cold += time.perf_counter() - started
        started = time.perf_counter()
        for _ in range(ROUNDS):
            places.search(query)
        warm = (time.perf_counter() - started) / ROUNDS
        print(f"{query!r:20} cold {_ms(cold / ROUNDS)}   words cached {_ms(warm)}")
    # typing a name one key at a time, as the village picker does
    name = "dangin puri kangin"
    started = time.perf_counter()
    for end in range(1, len(name) + 1):
        places.search(name[:end])
    print(f"typing {name!r}: {_ms((time.perf_counter() - started) / len(name))} per key")


if __name__ == "__main__":
    main()
