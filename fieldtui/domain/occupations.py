"""The taxonomy of BPU work (``data/occupations.csv``): groups, labels, policy sector, search.

Each occupation has a stable ``code`` (stored on `Participant.occupation_code`), a group, an
Indonesian and an English label, the policy ``sector`` used by the contribution rules
("transport" or "other"), and synonyms officers actually type ("ojol", "gojek", "kelontong").
"""

from __future__ import annotations

import builtins
import csv
import difflib
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from fieldtui.domain.rate_table import SECTORS, Sector
from fieldtui.i18n import get_language, t

GROUPS: tuple[str, ...] = (
    "perdagangan",
    "pertanian",
    "perikanan",
    "transportasi",
    "jasa",
    "kerajinan",
    "seni",
    "profesional",
    "umkm",
    "rohaniwan",
    "lainnya",
)
DEFAULT_SECTOR: Sector = "other"  # everyone outside transport, and a blank or retired code


@dataclass(frozen=True, slots=True)
class Occupation:
    """One kind of BPU work."""

    code: str
    group: str
    sector: Sector
    label_id: str
    label_en: str
    synonyms: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The label in the language in use."""
        return self.label_en if get_language() == "en" else self.label_id

    @property
    def group_label(self) -> str:
        """The group's name in the language in use."""
        return t(f"occupations.group.{self.group}")


def normalise(text: str) -> str:
    """Lower case, no accents or punctuation, single spaces: 'J&T  Exprés' -> 'j t expres'."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def _parse(text: str) -> tuple[Occupation, ...]:
    out: list[Occupation] = []
    for row in csv.DictReader(io.StringIO(text)):
        sector = row["sector"]
        if sector not in SECTORS or row["group"] not in GROUPS:
            raise ValueError(f"bad occupation row {row['code']!r}")
        synonyms = tuple(s.strip() for s in row["synonyms"].split("|") if s.strip())
        out.append(
            Occupation(
                row["code"], row["group"], sector, row["label_id"], row["label_en"], synonyms
            )
        )
    return tuple(out)


@cache
def all() -> tuple[Occupation, ...]:  # shadows the builtin on purpose: occupations.all()
    """Every occupation, grouped, in the order of the data file."""
    text = resources.files("fieldtui").joinpath("data", "occupations.csv").read_text("utf-8")
    return _parse(text)


@cache
def _by_code() -> dict[str, Occupation]:
    return {o.code: o for o in all()}


def get(code: str) -> Occupation | None:
    """The occupation with this code, or None."""
    return _by_code().get(code)


def label(code: str) -> str:
    """The label of ``code`` in the current language; an unknown code shows as itself."""
    occupation = get(code)
    return occupation.label if occupation else code


def sector_of(code: str) -> Sector:
    """The policy sector of ``code``; "other" for a blank or unknown code."""
    occupation = get(code)
    return occupation.sector if occupation else DEFAULT_SECTOR


@dataclass(frozen=True, slots=True)
class _Entry:
    occupation: Occupation
    phrases: tuple[str, ...]  # normalised code, labels and synonyms
    words: frozenset[str]


@cache
def _index() -> tuple[_Entry, ...]:
    entries = []
    for o in all():
        phrases = tuple(
            normalise(p) for p in (o.code.replace("_", " "), o.label_id, o.label_en, *o.synonyms)
        )
        words = frozenset(w for p in phrases for w in p.split())
        entries.append(_Entry(o, phrases, words))
    return tuple(entries)


@cache
def _vocabulary() -> tuple[str, ...]:
    return tuple(sorted({w for e in _index() for w in e.words}))


def _token_score(token: str, entry: _Entry) -> int:
    if token in entry.words:
        return 3
    if any(w.startswith(token) for w in entry.words):
        return 2
    if len(token) >= 3 and any(token in p for p in entry.phrases):
        return 1
    return 0


def _score(tokens: list[str], query: str, entry: _Entry) -> int:
    scores = [_token_score(tok, entry) for tok in tokens]
    if not builtins.all(scores):
        return 0
    bonus = 10 if query in entry.phrases else 0  # "gojek" is a whole synonym of ojek online
    return sum(scores) + bonus


def search(text: str, limit: int = 10) -> list[Occupation]:
    """Occupations matching ``text`` as typed so far, best first.

    Case, accents and punctuation are ignored; every word typed must match the start of a word of
    the code, a label (id or en) or a synonym ("oj" finds both ojek, "ojol"/"gojek"/"grab" find
    ojek online). When nothing matches, a word with a typo is replaced by its closest known word
    ("nelyan" -> nelayan). An empty query lists the first ``limit`` occupations.
    """
    query = normalise(text)
    if not query:
        return list(all()[:limit])
    tokens = query.split()
    found = _ranked(tokens, query)
    if not found:
        fixed = [_closest(tok) for tok in tokens]
        if fixed != tokens:
            found = _ranked(fixed, " ".join(fixed))
    return found[:limit]


def _ranked(tokens: list[str], query: str) -> list[Occupation]:
    scored = [(_score(tokens, query, e), i, e.occupation) for i, e in enumerate(_index())]
    return [o for score, _, o in sorted(scored, key=lambda s: (-s[0], s[1])) if score > 0]


def _closest(token: str) -> str:
    if len(token) < 4:
        return token
    matches = difflib.get_close_matches(token, _vocabulary(), n=1, cutoff=0.75)
    return matches[0] if matches else token
