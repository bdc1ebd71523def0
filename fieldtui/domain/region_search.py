"""Forgiving, ranked name search over the gazetteer, fast enough to run on every key press.

Names and queries are folded (accents, case, punctuation and spacing ignored), the usual
abbreviations are expanded ("Kgn" -> "Kangin"), level words ("Desa", "Kel.", "Kec", "Kab",
"Kota") are taken as a hint rather than as part of the name, "Br."/"Banjar" may be dropped, and
one typo is forgiven. Every reading of the query is scored and the best one counts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fieldtui.domain.regions import Region

# Balinese direction words as officers shorten them on forms and in chat.
ABBREVIATIONS: dict[str, str] = {
    "kgn": "kangin",
    "kj": "kaja",
    "kl": "kelod",
    "kld": "kelod",
    "kuh": "kauh",
    "tgh": "tengah",
    "klr": "kaler",
}

# Words that say which level is meant; stripped from the query, then used to rank.
LEVEL_WORDS: dict[str, tuple[str, str | None]] = {
    "desa": ("desa_kelurahan", "desa"),
    "ds": ("desa_kelurahan", "desa"),
    "kel": ("desa_kelurahan", "kelurahan"),
    "kelurahan": ("desa_kelurahan", "kelurahan"),
    "kec": ("kecamatan", None),
    "kecamatan": ("kecamatan", None),
    "kab": ("kabupaten_kota", "kabupaten"),
    "kabupaten": ("kabupaten_kota", "kabupaten"),
    "kota": ("kabupaten_kota", "kota"),
    "prov": ("provinsi", None),
    "provinsi": ("provinsi", None),
}
# Banjars are not in the gazetteer; "Br. Kaja" still searches for "Kaja".
NOISE_WORDS = frozenset({"br", "banjar", "bjr"})

# With no level word, a tie goes to the village: that is what officers look for most.
_LEVEL_RANK = {"desa_kelurahan": 0, "kecamatan": 1, "kabupaten_kota": 2, "provinsi": 3}
_HINT_BONUS = 30.0
_KIND_BONUS = 5.0
_MIN_TYPO_LENGTH = 4  # below this, one edit matches almost anything
_MEMO_SIZE = 256
_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Lower-case words without accents or punctuation, single-spaced: 'Dangin  Puri-Kgn.'."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_WORD.sub(" ", bare.casefold()).split())


def within_one_edit(a: str, b: str) -> bool:
    """True when ``a`` becomes ``b`` by at most one insertion, deletion, change or swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True  # one change
        # one swap of neighbours
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    if la > lb:
        return a[i + 1 :] == b[i:]
    return a[i:] == b[i + 1 :]


@dataclass(frozen=True, slots=True)
class _Query:
    compact: str
    tokens: tuple[str, ...]
    level: str | None = None
    kind: str | None = None


def _queries(text: str) -> Iterator[_Query]:
    """The readings of what was typed: as typed, abbreviations expanded, level words as hints."""
    raw = tuple(fold(text).split())
    if not raw:
        return
    expanded = tuple(ABBREVIATIONS.get(tok, tok) for tok in raw)
    seen: set[tuple[str, ...]] = set()
    for tokens in (raw, expanded):
        level = kind = None
        kept: list[str] = []
        for tok in tokens:
            if tok in LEVEL_WORDS and level is None:
                level, kind = LEVEL_WORDS[tok]
            elif tok not in NOISE_WORDS:
                kept.append(tok)
        for candidate, lv, kd in ((tokens, None, None), (tuple(kept), level, kind)):
            if candidate and candidate not in seen:
                seen.add(candidate)
                yield _Query("".join(candidate), candidate, lv, kd)


def _near(word: str, token: str) -> bool:
    """``token`` (or its start) is one typo away from ``word``."""
    size = len(word)
    return (
        within_one_edit(word, token[:size])
        or within_one_edit(word, token[: size - 1])
        or within_one_edit(word, token[: size + 1])
    )


class SearchIndex:
    """Folded names of every region, computed once, and the ranking over them.

    Matching is done on the distinct folded names and words (a few hundred each), then
    mapped to regions, so a query costs about a millisecond for the whole of Bali.
    """

    def __init__(self, regions: Iterable[Region]) -> None:
        self._regions: list[Region] = []
        self._first_words: list[frozenset[str]] = []
        self._compacts: dict[str, set[int]] = {}  # "danginpurikangin" -> region indexes
        self._words: dict[str, set[int]] = {}  # "kangin" -> region indexes
        self._memo: dict[str, tuple[set[int], set[int]]] = {}
        for index, region in enumerate(regions):
            self._regions.append(region)
            firsts: set[str] = set()
            for name in {region.name, region.short_name}:
                tokens = fold(name).split()
                if not tokens:
                    continue
                firsts.add(tokens[0])
                self._compacts.setdefault("".join(tokens), set()).add(index)
                for token in tokens:
                    self._words.setdefault(token, set()).add(index)
            self._first_words.append(frozenset(firsts))

    def _word_matches(self, word: str) -> tuple[set[int], set[int]]:
        """Regions with a word starting with ``word``, and those plus the ones a typo away."""
        found = self._memo.get(word)
        if found is not None:
            return found
        exact: set[int] = set()
        near: set[int] = set()
        typo_ok = len(word) >= _MIN_TYPO_LENGTH
        head, tail = word[:2], word[3:]
        for token, indexes in self._words.items():
            if token.startswith(word):
                exact |= indexes
            elif (
                typo_ok
                # An edit in the first two letters leaves the rest aligned within one place;
                # one anywhere later leaves the first two letters alone.
                and (
                    token.startswith(head)
                    or token.startswith(tail, 3)
                    or token.startswith(tail, 2)
                    or token.startswith(tail, 4)
                )
                and _near(word, token)
            ):
                near |= indexes
        found = (exact, exact | near)
        if len(self._memo) >= _MEMO_SIZE:
            self._memo.clear()  # as-you-type repeats the words typed so far; old ones can go
        self._memo[word] = found
        return found

    def _score_reading(self, q: _Query) -> dict[int, float]:
        """Region index -> how well it matches this reading (higher is better)."""
        scores: dict[int, float] = {}

        def offer(indexes: Iterable[int], score: float) -> None:
            for i in indexes:
                if scores.get(i, 0.0) < score:
                    scores[i] = score

        c = q.compact
        typo_ok = len(c) >= _MIN_TYPO_LENGTH
        for name, indexes in self._compacts.items():
            if c in name:
                if name == c:
                    offer(indexes, 100.0)
                elif name.startswith(c):
                    offer(indexes, 80.0 + 10.0 * len(c) / len(name))
                else:
                    offer(indexes, 60.0)
            elif typo_ok and abs(len(name) - len(c)) <= 1 and within_one_edit(c, name):
                offer(indexes, 55.0)
        # Word by word: each typed word starts a word of the name (or nearly, for a typo).
        exact_sets: list[set[int]] = []
        near_sets: list[set[int]] = []
        for word in q.tokens:
            exact, near = self._word_matches(word)
            exact_sets.append(exact)
            near_sets.append(near)
        for i in set.intersection(*exact_sets):
            first = any(w.startswith(q.tokens[0]) for w in self._first_words[i])
            offer((i,), 75.0 if first else 70.0)
        offer(set.intersection(*near_sets), 45.0)
        return scores

    def search(
        self,
        text: str,
        *,
        limit: int = 10,
        within: str | Collection[str] | None = None,
        level: str | None = None,
    ) -> list[Region]:
        """Best matches first; ``within`` keeps regions under those codes, ``level`` one level."""
        if limit <= 0:
            return []
        roots = (within,) if isinstance(within, str) else tuple(within or ())
        best: dict[int, float] = {}
        for q in _queries(text):
            for i, score in self._score_reading(q).items():
                region = self._regions[i]
                if q.level is not None and region.level == q.level:
                    score += _HINT_BONUS + (_KIND_BONUS if region.kind == q.kind else 0.0)
                if score > best.get(i, 0.0):
                    best[i] = score
        ranked: list[tuple[float, int, int, str, Region]] = []
        for i, score in best.items():
            region = self._regions[i]
            if level is not None and region.level != level:
                continue
            if roots and not any(_under(region.code, root) for root in roots):
                continue
            rank = _LEVEL_RANK.get(region.level, 9)
            ranked.append((-score, rank, len(region.name), region.code, region))
        ranked.sort(key=lambda item: item[:4])
        return [item[4] for item in ranked[:limit]]


def _under(code: str, root: str) -> bool:
    return code == root or code.startswith(root + ".")
