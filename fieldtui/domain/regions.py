"""The Bali gazetteer (Kemendagri codes) and the branch areas: lookups, hierarchy, name search.

Both come from packaged data files (``data/bali-regions.csv``, ``data/branches.json``), read once
per process. Codes are dotted: province ``51``, kab/kota ``51.71``, kecamatan ``51.71.01``,
desa/kelurahan ``51.71.01.1003``.
"""

from __future__ import annotations

import bisect
import csv
import io
import json
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, cached_property
from importlib import resources

from fieldtui.domain.region_search import SearchIndex
from fieldtui.i18n import t


class Level(StrEnum):
    """The four administrative levels of the gazetteer, top down."""

    PROVINSI = "provinsi"
    KABUPATEN_KOTA = "kabupaten_kota"
    KECAMATAN = "kecamatan"
    DESA_KELURAHAN = "desa_kelurahan"


class Kind(StrEnum):
    """What a region is: a kab/kota is a kabupaten or a kota, a village a desa or a kelurahan."""

    PROVINSI = "provinsi"
    KABUPATEN = "kabupaten"
    KOTA = "kota"
    KECAMATAN = "kecamatan"
    DESA = "desa"
    KELURAHAN = "kelurahan"


_NAME_PREFIXES = {Kind.KABUPATEN: "Kabupaten ", Kind.KOTA: "Kota "}


@dataclass(frozen=True, slots=True)
class Region:
    """One row of the gazetteer."""

    code: str
    level: Level
    name: str  # as published: "Sesetan", "Kota Denpasar", "Kabupaten Badung"
    parent_code: str | None
    kind: Kind

    @property
    def short_name(self) -> str:
        """The name without "Kabupaten "/"Kota ": "Badung", "Denpasar"."""
        prefix = _NAME_PREFIXES.get(self.kind)
        if prefix and self.name.startswith(prefix):
            return self.name[len(prefix) :]
        return self.name

    @property
    def display_name(self) -> str:
        """The name with its kind: "Kel. Sesetan", "Desa Ubung Kaja", "Kab. Badung"."""
        return t(f"regions.display.{self.kind}", name=self.short_name)

    @property
    def is_village(self) -> bool:
        """True for a desa or kelurahan (where banjars, visits and sign-ups belong)."""
        return self.level is Level.DESA_KELURAHAN


class Gazetteer:
    """All regions, indexed by code and by parent, with a name search."""

    def __init__(self, regions: Iterable[Region]) -> None:
        self._by_code = {r.code: r for r in regions}
        self._codes = sorted(self._by_code)
        self._children: dict[str, list[Region]] = {}
        for code in self._codes:
            region = self._by_code[code]
            if region.parent_code is not None:
                self._children.setdefault(region.parent_code, []).append(region)

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Region]:
        return (self._by_code[code] for code in self._codes)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Region | None:
        """The region with this code, or None."""
        return self._by_code.get(code)

    def require(self, code: str) -> Region:
        """The region with this code; KeyError when there is none."""
        return self._by_code[code]

    def parent(self, code: str) -> Region | None:
        """The region one level up, or None for the province (or an unknown code)."""
        region = self._by_code.get(code)
        if region is None or region.parent_code is None:
            return None
        return self._by_code.get(region.parent_code)

    def ancestors(self, code: str) -> tuple[Region, ...]:
        """From the province down to the parent of ``code``."""
        chain: list[Region] = []
        parent = self.parent(code)
        while parent is not None:
            chain.append(parent)
            parent = self.parent(parent.code)
        return tuple(reversed(chain))

    def children(self, code: str) -> tuple[Region, ...]:
        """The regions one level below ``code``, in code order."""
        return tuple(self._children.get(code, ()))

    def descendants(self, code: str, level: Level | None = None) -> tuple[Region, ...]:
        """Every region below ``code`` (optionally only of one level), in code order."""
        # Codes sort so that everything under "51.71" sits together right after it.
        start = bisect.bisect_right(self._codes, code)
        found: list[Region] = []
        for child_code in self._codes[start:]:
            if not child_code.startswith(code + "."):
                break
            region = self._by_code[child_code]
            if level is None or region.level is level:
                found.append(region)
        return tuple(found)

    def villages(self, code: str) -> tuple[Region, ...]:
        """The desa/kelurahan under ``code``; a village code gives just that village."""
        region = self._by_code.get(code)
        if region is not None and region.is_village:
            return (region,)
        return self.descendants(code, Level.DESA_KELURAHAN)

    def path(self, code: str) -> str:
        """Where a region lies, nearest first, without the province: "Denpasar Selatan, Kota
        Denpasar" for Sesetan; the province name for a kab/kota; "" for the province."""
        above = [r for r in reversed(self.ancestors(code)) if r.level is not Level.PROVINSI]
        if not above:
            parent = self.parent(code)
            return parent.name if parent is not None else ""
        return ", ".join(r.name if r.level is Level.KECAMATAN else r.display_name for r in above)

    def describe(self, code: str) -> str:
        """Display name and path in one line: "Kel. Sesetan, Denpasar Selatan, Kota Denpasar"."""
        region = self._by_code.get(code)
        if region is None:
            return code
        path = self.path(code)
        return f"{region.display_name}, {path}" if path else region.display_name

    @cached_property
    def _index(self) -> SearchIndex:
        return SearchIndex(self)

    def search(
        self,
        text: str,
        limit: int = 10,
        within: str | Collection[str] | None = None,
        level: Level | None = None,
    ) -> list[Region]:
        """Regions whose name matches ``text``, best first (see `region_search`)."""
        return self._index.search(text, limit=limit, within=within, level=level)


def _read_data(name: str) -> str:
    return resources.files("fieldtui").joinpath("data", name).read_text(encoding="utf-8")


@cache
def gazetteer() -> Gazetteer:
    """The packaged Bali gazetteer, loaded on first use and then shared."""
    rows = csv.DictReader(io.StringIO(_read_data("bali-regions.csv")))
    return Gazetteer(
        Region(
            code=row["code"],
            level=Level(row["level"]),
            name=row["name"],
            parent_code=row["parent_code"] or None,
            kind=Kind(row["kind"]),
        )
        for row in rows
    )


@dataclass(frozen=True, slots=True)
class PilotVillage:
    """A village of an earlier drive, with the number of BPU workers signed up then."""

    code: str
    year: int
    signups: int


@dataclass(frozen=True, slots=True)
class Branch:
    """A BPJS Ketenagakerjaan branch office and the kab/kota it covers."""

    code: str  # e.g. "KC-BALI-DENPASAR"
    name: str
    region_codes: tuple[str, ...]  # kab/kota codes
    pilot_villages: tuple[PilotVillage, ...] = ()

    def covers(self, region_code: str) -> bool:
        """True when ``region_code`` is one of the branch's kab/kota or lies inside one."""
        return any(
            region_code == root or region_code.startswith(root + ".") for root in self.region_codes
        )


@cache
def branches() -> tuple[Branch, ...]:
    """Every branch in the packaged ``data/branches.json``."""
    data = json.loads(_read_data("branches.json"))
    return tuple(
        Branch(
            code=item["code"],
            name=item["name"],
            region_codes=tuple(item["region_codes"]),
            pilot_villages=tuple(
                PilotVillage(code=p["code"], year=int(p["year"]), signups=int(p["signups"]))
                for p in item.get("pilot_villages", ())
            ),
        )
        for item in data["branches"]
    )


def branch(code: str) -> Branch | None:
    """The branch with this code, or None."""
    return next((b for b in branches() if b.code == code), None)


def branch_of(region_code: str) -> Branch | None:
    """The branch whose area contains ``region_code`` (None for the province or outside)."""
    return next((b for b in branches() if b.covers(region_code)), None)


def villages_in_branch(code: str) -> tuple[Region, ...]:
    """Every desa/kelurahan in the branch's area; KeyError for an unknown branch code."""
    found = branch(code)
    if found is None:
        raise KeyError(code)
    places = gazetteer()
    return tuple(v for root in found.region_codes for v in places.villages(root))
