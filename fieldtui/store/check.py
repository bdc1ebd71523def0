"""`check_store`: verify a store file without changing a byte — parse, schema, documents,
references, duplicate NIKs and file modes — and say what is wrong in plain words."""

from __future__ import annotations

import stat
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from fieldtui.domain.issues import Issue
from fieldtui.domain.models import (
    ReviewState,
)
from fieldtui.domain.nik import mask_nik
from fieldtui.domain.regions import gazetteer
from fieldtui.store import indexes as ix
from fieldtui.store.backend import EngineBackend
from fieldtui.store.backups import latest_good_backup
from fieldtui.store.base import TABLE_MODELS
from fieldtui.store.codec import CodecError, decode
from fieldtui.store.errors import StoreCorrupt, StoreError
from fieldtui.store.rawtable import read_every_document
from fieldtui.store.schema import SCHEMA, stored_version
from fieldtui.store.sharing import is_shared_directory, store_files

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One thing found wrong (error) or worth a look (warning)."""

    severity: Severity
    issue: Issue


@dataclass
class CheckReport:
    """What `check_store` found."""

    path: Path
    schema_version: int | None = None
    counts: dict[str, int] = field(default_factory=dict)  # live records per table
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        """The findings that make the store not OK."""
        return [f for f in self.findings if f.severity == "error"]

    @property
    def ok(self) -> bool:
        """True when nothing is wrong (warnings may remain)."""
        return not self.errors

    def add(self, severity: Severity, key: str, /, **fields: object) -> None:
        """Record a finding (``key`` is its i18n key)."""
        self.findings.append(Finding(severity, Issue(key, fields)))


def check_store(path: Path) -> CheckReport:
    """Check the store at ``path`` (FileNotFoundError when there is none); read-only."""
    if not path.is_file():
        raise FileNotFoundError(path)
    report = CheckReport(path=path)
    _check_modes(path, report)
    try:
        backend = EngineBackend(path, read_only=True, create=False)
    except StoreCorrupt as exc:
        backup = exc.backup or latest_good_backup(path)
        report.add("error", "check.corrupt", detail=exc.message())
        if backup is not None:
            report.add("warning", "check.backup_hint", backup=str(backup))
        return report
    except StoreError as exc:
        report.add("error", "check.unreadable", detail=exc.message())
        return report
    try:
        tables = backend.tables()
        _check_schema(backend_version := stored_version(backend), report)
        report.schema_version = backend_version
        records = _decode_all(tables, report)
        _read_the_rest(tables, report)
        _check_references(records, report)
        _check_duplicates(records, report)
    finally:
        backend.close()
    return report


def _check_modes(path: Path, report: CheckReport) -> None:
    shared = is_shared_directory(path.parent)
    for file in store_files(path):
        mode = stat.S_IMODE(file.stat().st_mode)
        if mode & (stat.S_IROTH | stat.S_IWOTH):
            report.add("warning", "check.world_readable", path=str(file), mode=f"0{mode:o}")
        elif mode & (stat.S_IRGRP | stat.S_IWGRP) and not shared and file.is_file():
            report.add("warning", "check.group_readable", path=str(file), mode=f"0{mode:o}")


def _check_schema(version: int | None, report: CheckReport) -> None:
    if version is None:
        report.add("warning", "check.empty")
    elif version > SCHEMA.version:
        report.add("error", "check.too_new", found=version, known=SCHEMA.version)
    elif version < SCHEMA.version:
        report.add("warning", "check.old_schema", found=version, known=SCHEMA.version)


Records = dict[str, dict[str, Any]]  # table -> record id -> decoded record


def _decode_all(tables: Mapping[str, Mapping[str, dict[str, Any]]], report: CheckReport) -> Records:
    records: Records = {}
    for table, model in TABLE_MODELS.items():
        found: dict[str, Any] = {}
        docs = tables.get(table, {})
        for doc_id in list(docs):
            try:
                # (A big table's documents are parsed here: a damaged one raises StoreCorrupt.)
                record = decode(model, docs[doc_id], path=f"{table}[{doc_id}]")
            except CodecError as exc:
                report.add("error", "check.bad_document", where=exc.path, problem=exc.problem)
                continue
            except StoreCorrupt as exc:
                problem = str(exc.fields.get("detail", exc.message()))
                report.add(
                    "error", "check.bad_document", where=f"{table}[{doc_id}]", problem=problem
                )
                continue
            if record.id in found:
                report.add("error", "check.duplicate_id", table=table, id=record.id)
            found[record.id] = record
        records[table] = found
        report.counts[table] = sum(
            1 for r in found.values() if getattr(r, "deleted_at", None) is None
        )
    return records


def _read_the_rest(tables: Mapping[str, Mapping[str, Any]], report: CheckReport) -> None:
    """Documents of the other tables (conflicts, meta) must at least read."""
    for name, docs in tables.items():
        if name in TABLE_MODELS:
            continue
        try:
            read_every_document({name: docs})
        except StoreCorrupt as exc:
            problem = str(exc.fields.get("detail", exc.message()))
            report.add("error", "check.bad_document", where=name, problem=problem)


def _check_references(records: Records, report: CheckReport) -> None:
    places = gazetteer()
    officers, banjars, visits = (records[t] for t in (ix.OFFICERS, ix.BANJARS, ix.VISITS))

    def village(code: str, table: str, record_id: str) -> None:
        region = places.get(code)
        if region is None or not region.is_village:
            report.add("error", "check.unknown_desa", table=table, id=record_id, code=code)

    for banjar in banjars.values():
        village(banjar.desa_code, ix.BANJARS, banjar.id)
    for table in (ix.VISITS, ix.SIGNUPS):
        for record in records[table].values():
            village(record.desa_code, table, record.id)
            if record.officer_id not in officers:
                report.add(
                    "error", "check.missing_ref", table=table, id=record.id, ref=record.officer_id
                )
            if record.banjar_id is not None and record.banjar_id not in banjars:
                report.add(
                    "error", "check.missing_ref", table=table, id=record.id, ref=record.banjar_id
                )
    for signup in records[ix.SIGNUPS].values():
        if signup.visit_id is not None and signup.visit_id not in visits:
            report.add(
                "error", "check.missing_ref", table=ix.SIGNUPS, id=signup.id, ref=signup.visit_id
            )
    for table in (ix.REVIEWS, ix.AUDIT):
        for entry in records[table].values():
            actor = entry.reviewer_id if table == ix.REVIEWS else entry.actor_id
            if actor not in officers:
                report.add("warning", "check.unknown_actor", table=table, id=entry.id, ref=actor)


def _check_duplicates(records: Records, report: CheckReport) -> None:
    live = [s for s in records[ix.SIGNUPS].values() if s.deleted_at is None]
    counts = Counter(s.participant.nik for s in live)
    for nik, n in sorted(counts.items()):
        if n > 1:
            same = [s for s in live if s.participant.nik == nik]
            ids = ", ".join(sorted(s.id for s in same))
            if any(s.review_state in _UNDER_REVIEW for s in same):
                # Met at a merge and flagged for a supervisor (counted once meanwhile): known,
                # waiting for a decision, not damage.
                report.add("warning", "check.duplicate_nik_flagged", nik=mask_nik(nik), ids=ids)
            else:
                report.add("error", "check.duplicate_nik", nik=mask_nik(nik), count=n, ids=ids)


_UNDER_REVIEW = frozenset({ReviewState.HAS_ISSUES, ReviewState.REJECTED})
