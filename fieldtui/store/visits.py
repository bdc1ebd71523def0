"""Visits: log, edit, soft-delete and list outreach visits; shared reference checks."""

from __future__ import annotations

from fieldtui.domain.issues import Issue
from fieldtui.domain.models import Visit
from fieldtui.domain.regions import gazetteer
from fieldtui.store import indexes as ix
from fieldtui.store.base import VISIT, StoreBase, raise_issues
from fieldtui.store.listing import Page, RecordFilter, page_rows


class VisitsMixin(StoreBase):
    """Outreach visits."""

    def _reference_issues(
        self, *, officer_id: str, desa_code: str, banjar_id: str | None
    ) -> list[Issue]:
        """Problems with what a visit or sign-up points at: officer, desa, banjar."""
        issues: list[Issue] = []
        if officer_id not in self._index.table(ix.OFFICERS).by_id:
            issues.append(Issue("repository.issue.unknown_officer", {"id": officer_id}))
        region = gazetteer().get(desa_code)
        if region is None or not region.is_village:
            issues.append(Issue("repository.issue.unknown_desa", {"code": desa_code}))
        if banjar_id is not None:
            banjars = self._index.table(ix.BANJARS)
            doc_id = banjars.by_id.get(banjar_id)
            row = None if doc_id is None else banjars.rows.get(doc_id)
            if row is None or row.deleted:
                issues.append(Issue("repository.issue.unknown_banjar", {"id": banjar_id}))
            elif row.desa_code != desa_code:
                issues.append(Issue("repository.issue.banjar_elsewhere", {"code": desa_code}))
        return issues

    def validate_visit(self, visit: Visit) -> list[Issue]:
        """What blocks saving this visit (empty when it can be saved)."""
        with self._mutex:
            issues = self._reference_issues(
                officer_id=visit.officer_id, desa_code=visit.desa_code, banjar_id=visit.banjar_id
            )
        if visit.attendees < 0:
            issues.append(Issue("repository.issue.negative_attendees"))
        return issues

    def create_visit(self, visit: Visit) -> Visit:
        """Log a new visit."""
        return self._create(VISIT, visit, check=lambda: raise_issues(self.validate_visit(visit)))

    def update_visit(self, visit: Visit, *, reason: str = "") -> Visit:
        """Save changes to a visit (the reason, if given, goes into its history)."""
        return self._update(
            VISIT, visit, reason=reason, check=lambda v: raise_issues(self.validate_visit(v))
        )

    def delete_visit(self, visit_id: str, reason: str) -> Visit:
        """Soft-delete a visit (a reason is required)."""
        return self._delete(VISIT, visit_id, reason)

    def get_visit(self, visit_id: str) -> Visit:
        """A visit by id, deleted or not (NotFound otherwise)."""
        return self._load(VISIT, visit_id)

    def list_visits(
        self, where: RecordFilter | None = None, *, offset: int = 0, limit: int = 50
    ) -> Page[Visit]:
        """Visits matching ``where``, newest first, one page at a time."""
        with self._mutex:
            rows, total = page_rows(
                self._index.table(ix.VISITS), where or RecordFilter(), offset, limit
            )
            items = [self._load_doc(Visit, ix.VISITS, row.doc_id) for row in rows]
        return Page(items=items, total=total, offset=offset, limit=limit)
