"""Officers (the store's users), banjars and targets: the small tables of a store."""

from __future__ import annotations

from fieldtui.domain.banjars import validate_banjar
from fieldtui.domain.models import Banjar, Officer, Period, Role, Target
from fieldtui.domain.permissions import Permission
from fieldtui.store import indexes as ix
from fieldtui.store.base import BANJAR, OFFICER, TARGET, StoreBase, raise_issues, replace
from fieldtui.store.errors import NotFound, PermissionDenied, StoreReadOnly, ValidationFailed
from fieldtui.store.indexes import fold


class RecordsMixin(StoreBase):
    """Users, banjars and targets."""

    # -- officers (users) -----------------------------------------------------------------

    def create_officer(self, officer: Officer) -> Officer:
        """Add a user. The first user of a new store creates themself and becomes the actor."""
        if not officer.username.strip() or not officer.name.strip():
            raise ValidationFailed("repository.error.officer_incomplete")
        with self._mutex, self._backend.transaction():
            if officer.username in self._index.username:
                raise ValidationFailed("repository.error.username_taken", username=officer.username)
            first = self._actor is None and not self._index.table(ix.OFFICERS).rows
            if not first:
                return self._create(OFFICER, officer)
            self._actor = officer
            try:
                # Nobody can grant the first user anything: they create themself.
                return self._create(OFFICER, officer, permission=Permission.READ)
            except BaseException:
                self._actor = None
                raise

    def update_officer(self, officer: Officer, *, reason: str = "") -> Officer:
        """Change a user (name, role, phone, PIN hash, active); the login name stays unique.

        Changing another user needs MANAGE_USERS. Anyone may change their own name, phone and
        PIN, but nobody their own login name, role or active flag (a supervisor cannot demote
        or lock out themself by mistake).
        """
        with self._mutex, self._backend.transaction():
            owner = self._index.username.get(officer.username)
            if owner is not None and owner != officer.id:
                raise ValidationFailed("repository.error.username_taken", username=officer.username)
            permission = self._officer_edit_permission(officer)
            self._require(permission)  # an officer is told they may not, not why it is unwise
            self._keep_a_supervisor(officer)
            saved = self._update(OFFICER, officer, reason=reason, permission=permission)
        if self._actor is not None and self._actor.id == saved.id:
            self._actor = saved
        return saved

    def _keep_a_supervisor(self, officer: Officer) -> None:
        """Refuse a change that would leave the store without an active supervisor.

        Nobody could then manage users or set targets again. A supervisor's own role and active
        flag are refused anyway (`_officer_edit_permission`); this catches the rest, e.g. the
        last two supervisors, in two processes, each switching the other off: the second sees
        the first's change once it holds the lock, and is refused.
        """
        old = self._load(OFFICER, officer.id)
        if old.role is not Role.SUPERVISOR or not old.active:
            return
        if officer.role is Role.SUPERVISOR and officer.active:
            return
        table = self._index.table(ix.OFFICERS)
        others = (self._load_doc(Officer, ix.OFFICERS, d) for d in table.rows)
        if not any(o.active and o.role is Role.SUPERVISOR and o.id != old.id for o in others):
            raise ValidationFailed("users.error.last_supervisor", name=old.name)

    def _officer_edit_permission(self, officer: Officer) -> Permission:
        """What changing ``officer`` needs: READ for one's own profile, else MANAGE_USERS."""
        actor = self._actor
        if actor is None or actor.id != officer.id:
            return Permission.MANAGE_USERS
        if self._backend.read_only:
            raise StoreReadOnly("store.error.read_only_mode")
        old = self._load(OFFICER, officer.id)
        if (old.username, old.role, old.active) != (officer.username, officer.role, officer.active):
            raise PermissionDenied("repository.denied.own_role")
        return Permission.READ

    def get_officer(self, officer_id: str) -> Officer:
        """A user by id (NotFound otherwise)."""
        return self._load(OFFICER, officer_id)

    def officer_by_username(self, username: str) -> Officer | None:
        """The user with this login name, or None."""
        with self._mutex:
            officer_id = self._index.username.get(username)
            return None if officer_id is None else self._load(OFFICER, officer_id)

    def officers(self, *, include_inactive: bool = True) -> list[Officer]:
        """Every user, by name."""
        with self._mutex:
            table = self._index.table(ix.OFFICERS)
            found = [self._load_doc(Officer, ix.OFFICERS, d) for d in table.rows]
        found = [o for o in found if include_inactive or o.active]
        return sorted(found, key=lambda o: (fold(o.name), o.username))

    def use_actor(self, username: str) -> Officer:
        """Act as the user with this login name from now on.

        NotFound when unknown; PermissionDenied for a deactivated user (a supervisor switched
        them off: they keep their records but cannot sign in). Proving the identity (OS login,
        PIN) is the caller's job; see `fieldtui.domain.auth`.
        """
        officer = self.officer_by_username(username)
        if officer is None:
            raise NotFound("repository.error.unknown_user", username=username)
        if not officer.active:
            raise PermissionDenied("users.error.inactive", username=username)
        self._actor = officer
        return officer

    # -- banjars --------------------------------------------------------------------------

    def _check_banjar(self, banjar: Banjar) -> None:
        others = [
            str((self._backend.get(ix.BANJARS, row.doc_id) or {}).get("name", ""))
            for row in self._index.table(ix.BANJARS).rows.values()
            if not row.deleted and row.desa_code == banjar.desa_code and row.id != banjar.id
        ]
        raise_issues(validate_banjar(banjar.name, banjar.desa_code, others))

    def create_banjar(self, banjar: Banjar) -> Banjar:
        """Add a banjar under its desa (names are unique within a desa, ignoring case)."""
        if not banjar.created_by and self._actor is not None:
            banjar = replace(banjar, created_by=self._actor.id)
        with self._mutex, self._backend.transaction():
            return self._create(BANJAR, banjar, check=lambda: self._check_banjar(banjar))

    def update_banjar(self, banjar: Banjar, *, reason: str = "") -> Banjar:
        """Change a banjar's name, head or notes."""
        with self._mutex, self._backend.transaction():
            return self._update(BANJAR, banjar, reason=reason, check=self._check_banjar)

    def delete_banjar(self, banjar_id: str, reason: str) -> Banjar:
        """Soft-delete a banjar (a reason is required); its visits and sign-ups keep the id."""
        return self._delete(BANJAR, banjar_id, reason)

    def get_banjar(self, banjar_id: str) -> Banjar:
        """A banjar by id, deleted or not (NotFound otherwise)."""
        return self._load(BANJAR, banjar_id)

    def banjars(
        self, desa_code: str | None = None, *, include_deleted: bool = False
    ) -> list[Banjar]:
        """The banjars of one desa (or all), by name."""
        with self._mutex:
            rows = [
                row
                for row in self._index.table(ix.BANJARS).rows.values()
                if (desa_code is None or row.desa_code == desa_code)
                and (include_deleted or not row.deleted)
            ]
            found = [self._load_doc(Banjar, ix.BANJARS, row.doc_id) for row in rows]
        return sorted(found, key=lambda b: (b.desa_code, fold(b.name), b.id))

    # -- targets --------------------------------------------------------------------------

    def set_target(self, region_code: str, period: Period, number: int) -> Target:
        """Set (or change) the sign-up target of a region or banjar for a period."""
        if number < 0 or not region_code.strip():
            raise ValidationFailed("repository.error.target_invalid")
        with self._mutex, self._backend.transaction():
            existing = self.get_target(region_code, period)
            if existing is not None:
                return self._update(TARGET, replace(existing, number=number))
            actor = self._actor.id if self._actor is not None else ""
            target = Target(region_code=region_code, period=period, number=number, set_by=actor)
            return self._create(TARGET, target)

    def get_target(self, region_code: str, period: Period) -> Target | None:
        """The live target of a region for exactly this period, or None."""
        with self._mutex:
            key = (region_code, f"{period.start.isoformat()}..{period.end.isoformat()}")
            target_id = self._index.target_key.get(key)
            return None if target_id is None else self._load(TARGET, target_id)

    def targets(
        self, *, period: Period | None = None, region_code: str | None = None
    ) -> list[Target]:
        """Live targets, optionally for one period and/or one region and the regions under it."""
        with self._mutex:
            found = [self._load(TARGET, target_id) for target_id in self._index.target_key.values()]
        if period is not None:
            found = [tg for tg in found if tg.period == period]
        if region_code is not None:
            under = region_code + "."
            found = [
                tg
                for tg in found
                if tg.region_code == region_code or tg.region_code.startswith(under)
            ]
        return sorted(found, key=lambda tg: (tg.region_code, tg.period.start, tg.period.end))

    def delete_target(self, target_id: str, reason: str) -> Target:
        """Soft-delete a target (a reason is required)."""
        return self._delete(TARGET, target_id, reason)
