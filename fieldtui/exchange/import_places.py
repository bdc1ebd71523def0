"""Names in a spreadsheet resolved to the app's codes: desa/kelurahan, occupation, banjar.

A desa is taken by its Kemendagri code or by its exact name (case, accents, "Desa"/"Kel."
ignored), searched within the kecamatan or kab/kota the row names, else within the branch's
area, else in all of Bali. A name that fits several villages is refused with the candidates;
one that fits none with the closest names. Answers are remembered: a file names the same few
villages thousands of times.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from fieldtui.domain import occupations
from fieldtui.domain.banjars import banjar_key
from fieldtui.domain.models import Banjar
from fieldtui.domain.region_search import LEVEL_WORDS, fold
from fieldtui.domain.regions import Level, Region, branches, gazetteer
from fieldtui.exchange.import_values import CellRefused, refuse

_CODE = re.compile(r"^51[.\s]?\d{2}[.\s]?\d{2}[.\s]?\d{4}$")
_MAX_CANDIDATES = 4


def bare(name: str) -> str:
    """A place name as compared: folded, without leading level words ("Kel.", "Desa", "Kab")."""
    words = fold(name).split()
    while len(words) > 1 and words[0] in LEVEL_WORDS:
        words = words[1:]
    return " ".join(words)


def _names(region: Region) -> set[str]:
    return {bare(region.name), bare(region.short_name)}


class Places:
    """Resolves desa, kecamatan/kab hints and occupations, remembering every answer."""

    def __init__(self) -> None:
        self._desa: dict[tuple[str, str, str], str | CellRefused] = {}
        self._occupations: dict[str, str | CellRefused] = {}
        self._branch_roots = tuple(code for b in branches() for code in b.region_codes)

    # -- desa ---------------------------------------------------------------------------

    def desa(self, code_text: str, name_text: str, kec_text: str, kab_text: str) -> str:
        """The desa/kelurahan code a row means; `CellRefused` (column desa/desa_code) if none."""
        memo_key = (code_text, name_text, f"{kec_text}\0{kab_text}")
        found = self._desa.get(memo_key)
        if found is None:
            try:
                found = self._resolve(code_text, name_text, kec_text, kab_text)
            except CellRefused as exc:
                found = exc
            self._desa[memo_key] = found
        if isinstance(found, CellRefused):
            raise found
        return found

    def _resolve(self, code_text: str, name_text: str, kec_text: str, kab_text: str) -> str:
        if code_text.strip():
            return self._by_code(code_text.strip())
        if not name_text.strip():
            raise refuse("desa", "import.reason.desa_required")
        roots = self._hint_roots(kec_text, kab_text)
        for within in (roots, self._branch_roots, None):
            if within == ():
                continue
            exact = self._exact(name_text, within)
            if len(exact) == 1:
                return exact[0].code
            if len(exact) > 1:
                raise refuse(
                    "desa",
                    "import.reason.desa_ambiguous",
                    value=name_text,
                    candidates=_list(exact),
                )
            if within is roots and roots:
                break  # the row said where: do not look elsewhere
        close = gazetteer().search(name_text, limit=3, level=Level.DESA_KELURAHAN)
        if close:
            raise refuse(
                "desa", "import.reason.desa_unknown_close", value=name_text, candidates=_list(close)
            )
        raise refuse("desa", "import.reason.desa_unknown", value=name_text)

    def _by_code(self, text: str) -> str:
        if not _CODE.match(text):
            raise refuse("desa_code", "import.reason.desa_code_bad", value=text)
        digits = re.sub(r"\D", "", text)
        code = f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"
        region = gazetteer().get(code)
        if region is None or not region.is_village:
            raise refuse("desa_code", "import.reason.desa_code_unknown", value=text)
        return code

    def _exact(self, name: str, within: tuple[str, ...] | None) -> list[Region]:
        wanted = bare(name)
        found = gazetteer().search(name, limit=25, within=within, level=Level.DESA_KELURAHAN)
        return [r for r in found if wanted in _names(r)]

    def _hint_roots(self, kec_text: str, kab_text: str) -> tuple[str, ...]:
        """The kecamatan (or else kab/kota) codes the row's hint columns name; () for none."""
        places = gazetteer()
        kabs: list[Region] = []
        if kab_text.strip():
            wanted = bare(kab_text)
            kabs = [
                r
                for r in places.search(kab_text, limit=10, level=Level.KABUPATEN_KOTA)
                if wanted in _names(r)
            ]
        if kec_text.strip():
            wanted = bare(kec_text)
            within = tuple(r.code for r in kabs) or None
            kecs = [
                r
                for r in places.search(kec_text, limit=10, within=within, level=Level.KECAMATAN)
                if wanted in _names(r)
            ]
            if kecs:
                return tuple(r.code for r in kecs)
        return tuple(r.code for r in kabs)

    # -- occupation -----------------------------------------------------------------------

    def occupation(self, code_text: str, label_text: str) -> str:
        """The occupation code a row means; `CellRefused` (column occupation) if none."""
        memo_key = f"{code_text}\0{label_text}"
        found = self._occupations.get(memo_key)
        if found is None:
            try:
                found = _occupation(code_text.strip(), label_text.strip())
            except CellRefused as exc:
                found = exc
            self._occupations[memo_key] = found
        if isinstance(found, CellRefused):
            raise found
        return found


def _occupation(code_text: str, label_text: str) -> str:
    if code_text:
        if occupations.get(code_text) is not None:
            return code_text
        if not label_text:
            raise refuse("occupation_code", "import.reason.occupation_unknown", value=code_text)
    if not label_text:
        raise refuse("occupation", "import.reason.occupation_required")
    wanted = occupations.normalise(label_text)
    for kind in ("label", "synonym"):
        hits = [o for o in occupations.all() if wanted in _occupation_names(o, kind)]
        if len(hits) == 1:
            return hits[0].code
        if len(hits) > 1:
            raise refuse(
                "occupation",
                "import.reason.occupation_ambiguous",
                value=label_text,
                candidates=", ".join(o.label for o in hits[:_MAX_CANDIDATES]),
            )
    close = occupations.search(label_text, limit=3)
    if close:
        raise refuse(
            "occupation",
            "import.reason.occupation_unknown_close",
            value=label_text,
            candidates=", ".join(o.label for o in close),
        )
    raise refuse("occupation", "import.reason.occupation_unknown", value=label_text)


def _occupation_names(occupation: occupations.Occupation, kind: str) -> set[str]:
    if kind == "label":
        names = (occupation.code.replace("_", " "), occupation.label_id, occupation.label_en)
        return {occupations.normalise(n) for n in names}
    return {occupations.normalise(s) for s in occupation.synonyms}


def _list(regions: list[Region]) -> str:
    shown = [gazetteer().describe(r.code) + f" ({r.code})" for r in regions[:_MAX_CANDIDATES]]
    return "; ".join(shown)


class Banjars:
    """The banjars of each desa by name (as `banjar_key` compares them), read once per desa."""

    def __init__(self, load: Callable[[str], Iterable[Banjar]]) -> None:
        self._load = load
        self._by_desa: dict[str, dict[str, str]] = {}
        self._keys: dict[str, str] = {}  # name as written -> banjar_key (a file repeats a few)

    def find(self, desa_code: str, name: str) -> str | None:
        """The id of the banjar called ``name`` in this desa, or None."""
        return self._known(desa_code).get(self._key(name))

    def add(self, desa_code: str, name: str, banjar_id: str) -> None:
        """Remember a banjar created (or, in a dry run, to be created) during the import."""
        self._known(desa_code)[self._key(name)] = banjar_id

    def _key(self, name: str) -> str:
        key = self._keys.get(name)
        if key is None:
            key = self._keys[name] = banjar_key(name)
        return key

    def _known(self, desa_code: str) -> dict[str, str]:
        known = self._by_desa.get(desa_code)
        if known is None:
            known = {banjar_key(b.name): b.id for b in self._load(desa_code)}
            self._by_desa[desa_code] = known
        return known
