"""Banjars, the neighbourhoods officers add as they meet them: names, head titles, validation."""

from __future__ import annotations

from collections.abc import Iterable

from fieldtui.domain.issues import Issue
from fieldtui.domain.region_search import ABBREVIATIONS, fold
from fieldtui.domain.regions import Gazetteer, Kind, gazetteer

KEPALA_LINGKUNGAN = "Kepala Lingkungan"  # head of a banjar dinas in a kelurahan
KELIAN_DINAS = "Kelian Dinas"  # head of a banjar dinas in a desa
KEPALA_DUSUN = "Kepala Dusun"  # the national title for the same post in a desa
KELIAN_ADAT = "Kelian Adat"  # head of the banjar adat (customary), in either
HEAD_TITLES: tuple[str, ...] = (KEPALA_LINGKUNGAN, KELIAN_DINAS, KEPALA_DUSUN, KELIAN_ADAT)

MAX_NAME_LENGTH = 80

# How the unit word gets written: "Br.", "Bjr", "banjar" -> "Banjar"; other unit words kept.
_UNIT_WORDS = {
    "br": "Banjar",
    "bjr": "Banjar",
    "banjar": "Banjar",
    "lingkungan": "Lingkungan",
    "ling": "Lingkungan",
    "lingk": "Lingkungan",
    "dusun": "Dusun",
    "dsn": "Dusun",
}
_SMALL_WORDS = {"dinas": "Dinas", "adat": "Adat"}


def head_titles(desa_code: str, places: Gazetteer | None = None) -> tuple[str, ...]:
    """The titles a banjar head can have in this desa/kelurahan, the usual one first."""
    region = (places or gazetteer()).get(desa_code)
    if region is not None and region.kind is Kind.KELURAHAN:
        return (KEPALA_LINGKUNGAN, KELIAN_ADAT)
    return (KELIAN_DINAS, KEPALA_DUSUN, KELIAN_ADAT)


def default_head_title(desa_code: str, places: Gazetteer | None = None) -> str:
    """Kepala Lingkungan in a kelurahan, Kelian Dinas in a desa."""
    return head_titles(desa_code, places)[0]


def _capitalised(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def _word(word: str) -> str:
    # Keep words the officer capitalised on purpose ("RT", "McD"); fix all-lower/all-upper.
    # Some letters change length when cased ("ß" -> "SS"); leave those words as typed.
    if word.islower() or word.isupper():
        tidy = _capitalised(word)
        if _capitalised(tidy) == tidy:
            return tidy
    return word


def banjar_display_name(text: str) -> str:
    """A tidy banjar name: "br. kaja" -> "Banjar Kaja", "BR TENGAH KGN" -> "Banjar Tengah Kangin".

    A name typed without a unit word gets "Banjar" in front, so "Kaja" and "Br. Kaja" are one
    banjar; "Lingkungan ..." and "Dusun ..." keep their own word. Empty text stays empty.
    """
    words = text.replace(".", ". ").split()
    out: list[str] = []
    for position, raw in enumerate(words):
        key = fold(raw)
        if not key:
            continue  # a lone "." or "-"
        if position == 0 and key in _UNIT_WORDS:
            out.append(_UNIT_WORDS[key])
        elif key in ABBREVIATIONS:
            out.append(ABBREVIATIONS[key].capitalize())
        elif key in _SMALL_WORDS and out:
            out.append(_SMALL_WORDS[key])
        else:
            out.append(_word(raw.rstrip(".") or raw))
    if out and fold(out[0]) not in {"banjar", "lingkungan", "dusun"}:
        out.insert(0, "Banjar")
    return " ".join(out)


def banjar_key(name: str) -> str:
    """What makes two banjar names the same: case, spacing, accents and "Br."/"Banjar" ignored."""
    return "".join(fold(banjar_display_name(name)).split())


def validate_banjar(
    name: str,
    desa_code: str,
    existing_names: Iterable[str] = (),
    *,
    places: Gazetteer | None = None,
) -> list[Issue]:
    """What blocks saving a new banjar: no name, too long, not in a desa/kelurahan, a duplicate.

    ``existing_names`` are the names of the banjars already recorded in the same desa (when
    renaming a banjar, leave its own current name out).
    """
    problems: list[Issue] = []
    cleaned = name.strip()
    if not cleaned or not fold(cleaned):
        problems.append(Issue("banjar.error.name_required"))
    elif len(cleaned) > MAX_NAME_LENGTH:
        problems.append(Issue("banjar.error.name_too_long", {"max": MAX_NAME_LENGTH}))
    region = (places or gazetteer()).get(desa_code)
    if region is None or not region.is_village:
        problems.append(Issue("banjar.error.not_a_village", {"code": desa_code}))
    if cleaned and fold(cleaned):
        key = banjar_key(cleaned)
        for other in existing_names:
            if banjar_key(other) == key:
                problems.append(
                    Issue("banjar.error.duplicate", {"name": banjar_display_name(other)})
                )
                break
    return problems
