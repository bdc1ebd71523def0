"""Progress rows and how they roll up: levels, the row record, an injectable region resolver.

The default resolver uses the packaged gazetteer and branch areas (`fieldtui.domain.regions`):
a desa rolls up to its kecamatan, kab/kota, and then straight to the branch that covers it (the
province is skipped: a branch is the level above kab/kota for progress). Tests and other
deployments can pass their own callables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from fieldtui.i18n import fmt_date, fmt_number, fmt_percent, t


class Level(StrEnum):
    """The levels of a progress table, top down."""

    BRANCH = "branch"
    KABKOTA = "kabkota"
    KECAMATAN = "kecamatan"
    DESA = "desa"
    BANJAR = "banjar"

    @property
    def label(self) -> str:
        """The level's name in the current language."""
        return t(f"progress.level.{self.value}")


_BY_SEGMENTS = {2: Level.KABKOTA, 3: Level.KECAMATAN, 4: Level.DESA}


def level_by_code(code: str) -> Level | None:
    """The level of a dotted Kemendagri code or a branch code ("KC-..."); None otherwise."""
    if code.startswith("KC-"):
        return Level.BRANCH
    parts = code.split(".")
    if all(p.isdigit() for p in parts):
        return _BY_SEGMENTS.get(len(parts))
    return None


def parent_by_code(code: str, branch_of: Callable[[str], str | None]) -> str | None:
    """The code one level up: "51.71.01.1003" -> "51.71.01" -> "51.71" -> branch_of("51.71")."""
    level = level_by_code(code)
    if level is Level.KABKOTA:
        return branch_of(code)
    if level in (Level.KECAMATAN, Level.DESA):
        return code.rsplit(".", 1)[0]
    return None


@dataclass(frozen=True, slots=True)
class RegionResolver:
    """Parents, names and levels of region codes (banjars are handled by the book itself)."""

    parent_of: Callable[[str], str | None]
    name_of: Callable[[str], str] = str
    level_of: Callable[[str], Level | None] = level_by_code


def default_resolver() -> RegionResolver:
    """Parents and names from the packaged gazetteer and branch areas."""
    from fieldtui.domain import regions

    def branch_code(code: str) -> str | None:
        found = regions.branch_of(code)
        return found.code if found is not None else None

    def name(code: str) -> str:
        branch = regions.branch(code)
        if branch is not None:
            return branch.name
        region = regions.gazetteer().get(code)
        return region.display_name if region is not None else code

    return RegionResolver(parent_of=lambda code: parent_by_code(code, branch_code), name_of=name)


@dataclass(frozen=True, slots=True)
class ProgressRow:
    """The figures of one region (or banjar) for a progress table."""

    region_code: str
    name: str
    level: Level
    target: int | None
    signups: int
    pct_of_target: float | None  # 0.5 for 50%
    paid: int
    paid_pct: float | None  # None with no sign-ups
    nonaktif: int
    visits: int
    last_visit: dt.date | None
    weekly: tuple[int, ...]

    def summary(self) -> str:
        """One translated line: sign-ups against target, paid, nonaktif, visits."""
        parts = [t("progress.summary.signups", name=self.name, count=fmt_number(self.signups))]
        if self.target is not None:
            pct = fmt_percent(self.pct_of_target) if self.pct_of_target is not None else "–"
            parts.append(t("progress.summary.target", target=fmt_number(self.target), pct=pct))
        if self.paid_pct is not None:
            paid_pct = fmt_percent(self.paid_pct)
            parts.append(t("progress.summary.paid", count=fmt_number(self.paid), pct=paid_pct))
        parts.append(t("progress.summary.nonaktif", count=fmt_number(self.nonaktif)))
        parts.append(t("progress.summary.visits", count=fmt_number(self.visits)))
        if self.last_visit is not None:
            parts.append(t("progress.summary.last_visit", date=fmt_date(self.last_visit)))
        return ", ".join(parts)
