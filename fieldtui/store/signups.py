"""Sign-ups: register, edit, soft-delete, list; NIK lookup, likely duplicates, name search."""

from __future__ import annotations

import dataclasses

from fieldtui.domain import clock
from fieldtui.domain.issues import Issue
from fieldtui.domain.models import Participant, SignUp
from fieldtui.domain.nik import NIK_LENGTH, clean_nik, parse_nik
from fieldtui.domain.phone import parse_phone
from fieldtui.store import indexes as ix
from fieldtui.store.base import SIGNUP, raise_issues, replace
from fieldtui.store.errors import DuplicateNik
from fieldtui.store.gcpause import freeze_long_lived, paused_gc
from fieldtui.store.indexes import Row, fold
from fieldtui.store.listing import Page, RecordFilter, page_rows
from fieldtui.store.search import NameSearch, NikSearch
from fieldtui.store.visits import VisitsMixin

ALLOWED_MONTHS = frozenset({1, 3, 6, 12})


def _tidy(signup: SignUp) -> SignUp:
    """The sign-up as stored: NIK without separators, name single-spaced, phone in E.164."""
    person = signup.participant
    nik, name = clean_nik(person.nik), " ".join(person.name.split())
    phone = person.phone
    if phone is not None:
        checked = parse_phone(phone)
        phone = checked.e164 if checked.ok else phone  # a bad number is reported by validate
    if (nik, name, phone) == (person.nik, person.name, person.phone):
        return signup
    tidy = dataclasses.replace(person, nik=nik, name=name, phone=phone)
    return replace(signup, participant=tidy)


class SignUpsMixin(VisitsMixin):
    """BPU registrations."""

    _name_search: NameSearch | None = None
    _nik_search: NikSearch | None = None

    def validate_signup(self, signup: SignUp) -> list[Issue]:
        """What blocks saving this sign-up (empty when it can be saved).

        The domain checks (NIK, consent) plus what only the store knows: the officer, desa,
        banjar and visit it points at. A duplicate NIK is reported by `find_by_nik`.
        """
        person = signup.participant
        issues = list(parse_nik(person.nik, today=clock.today()).errors)
        if person.phone is not None and person.phone.strip():
            phone_error = parse_phone(person.phone).error
            if phone_error is not None:
                issues.append(phone_error)
        if not person.name.strip():
            issues.append(Issue("repository.issue.name_required"))
        if not signup.consent.given:
            issues.append(Issue("repository.issue.consent_required"))
        if signup.income_rp < 0:
            issues.append(Issue("repository.issue.negative_income"))
        for payment in signup.payments:
            if payment.months not in ALLOWED_MONTHS or payment.amount_rp < 0:
                issues.append(Issue("repository.issue.bad_payment", {"months": payment.months}))
        with self._mutex:
            issues += self._reference_issues(
                officer_id=signup.officer_id, desa_code=signup.desa_code, banjar_id=signup.banjar_id
            )
            if (
                signup.visit_id is not None
                and signup.visit_id not in self._index.table(ix.VISITS).by_id
            ):
                issues.append(Issue("repository.issue.unknown_visit", {"id": signup.visit_id}))
        return issues

    def _check_signup(self, signup: SignUp) -> None:
        # Runs inside the write transaction, after catching up with other processes: two
        # officers saving the same NIK at once cannot both succeed.
        raise_issues(self.validate_signup(signup))
        if signup.deleted_at is None:
            existing = self._live_nik(signup.participant.nik, exclude=signup.id)
            if existing is not None:
                raise DuplicateNik(existing_id=existing)

    def _live_nik(self, nik: str, *, exclude: str | None = None) -> str | None:
        ids = [i for i in self._index.nik.get(clean_nik(nik), ()) if i != exclude]
        return ids[0] if ids else None

    def create_signup(self, signup: SignUp) -> SignUp:
        """Register a participant; DuplicateNik when a live sign-up has that NIK."""
        signup = _tidy(signup)
        return self._create(SIGNUP, signup, check=lambda: self._check_signup(signup))

    def update_signup(self, signup: SignUp, *, reason: str = "") -> SignUp:
        """Save changes to a sign-up (the reason, if given, goes into its history)."""
        return self._update(SIGNUP, _tidy(signup), reason=reason, check=self._check_signup)

    def delete_signup(self, signup_id: str, reason: str) -> SignUp:
        """Soft-delete a sign-up (a reason is required); its NIK becomes free again."""
        return self._delete(SIGNUP, signup_id, reason)

    def restore_signup(self, signup_id: str, reason: str) -> SignUp:
        """Undo a soft delete, unless another live sign-up took the NIK meanwhile."""
        return self._restore(SIGNUP, signup_id, reason, check=self._check_signup)

    def get_signup(self, signup_id: str) -> SignUp:
        """A sign-up by id, deleted or not (NotFound otherwise)."""
        return self._load(SIGNUP, signup_id)

    def find_by_nik(self, nik: str) -> SignUp | None:
        """The live sign-up with this NIK (separators ignored), or None. A dict lookup."""
        with self._mutex:
            signup_id = self._live_nik(nik)
            return None if signup_id is None else self._load(SIGNUP, signup_id)

    def likely_duplicates(
        self, participant: Participant, desa_code: str, *, exclude_id: str | None = None
    ) -> list[SignUp]:
        """Live sign-ups of someone with the same name (folded), birth date and desa: a warning."""
        key = self._index.person_key(
            participant.name, participant.birth_date.isoformat(), desa_code
        )
        with self._mutex:
            ids = sorted(self._index.person.get(key, ()))
            return [self._load(SIGNUP, i) for i in ids if i != exclude_id]

    def search_signups(self, text: str, *, limit: int = 20) -> list[SignUp]:
        """Live sign-ups for a search box: NIK prefix (digits) or name, as the officer types.

        Names starting with the text come first, then names with a word starting with it, then
        names containing it anywhere; each group newest first.
        """
        query = text.strip()
        if not query or limit <= 0:
            return []
        with self._mutex:
            rows = self._search_rows(query, limit)
            return [self._load_doc(SignUp, ix.SIGNUPS, row.doc_id) for row in rows]

    def _search_rows(self, query: str, limit: int) -> list[Row]:
        index = self._index.table(ix.SIGNUPS)
        digits = clean_nik(query)
        if digits.isdigit():
            if len(digits) == NIK_LENGTH:
                ids = self._index.nik.get(digits, ())
                return [index.rows[index.by_id[i]] for i in ids][:limit]
            found: list[Row] = []
            for row in index.newest_first():
                if row.nik.startswith(digits):
                    found.append(row)
                    if len(found) >= limit:
                        break
            return found
        return [index.rows[d] for d in self._names().find(fold(query), limit)]

    def warm_up(self) -> None:
        """Build the search indexes now (the app does it in a worker once the dashboard shows),
        so the officer's first key in a search box does not pay for them."""
        with self._mutex, paused_gc():
            self._names().build()
            self._niks().build()
            freeze_long_lived(len(self._index.table(ix.SIGNUPS).rows))

    def _niks(self) -> NikSearch:
        search = self._nik_search
        if search is None or search.index is not self._index.table(ix.SIGNUPS):
            search = self._nik_search = NikSearch(self._index.table(ix.SIGNUPS))
        return search

    def _names(self) -> NameSearch:
        search = self._name_search
        if search is None or search.index is not self._index.table(ix.SIGNUPS):
            search = self._name_search = NameSearch(self._index.table(ix.SIGNUPS))
        return search

    def list_signups(
        self, where: RecordFilter | None = None, *, offset: int = 0, limit: int = 50
    ) -> Page[SignUp]:
        """Sign-ups matching ``where``, newest first, one page at a time."""
        with self._mutex:
            rows, total = page_rows(
                self._index.table(ix.SIGNUPS),
                where or RecordFilter(),
                offset,
                limit,
                self._names(),
                self._niks(),
            )
            items = [self._load_doc(SignUp, ix.SIGNUPS, row.doc_id) for row in rows]
        return Page(items=items, total=total, offset=offset, limit=limit)
