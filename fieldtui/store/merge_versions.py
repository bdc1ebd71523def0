"""Versions of one record for the merge: history sets, the join of two sides, and the winner.

A version is a record's document together with its *history*: the ids of the audit entries
that changed it (creations, edits, deletions, restores, reviews; not reveals, exports or merge
notes, which leave the record as it was). Every change of a record writes such an entry in
the same transaction, and entry ids are ULIDs that never collide across laptops, so history
sets order versions: one whose history is a strict subset of another's is an ancestor of it.

`join` of any sets of versions keeps the maximal ones (no ancestors), which makes merging
commutative, associative and idempotent. One maximal version is the record; several are a
conflict, shown as the deterministic `winner` flagged HAS_ISSUES (`materialize`), with every
maximal version kept aside in the ``conflicts`` table so later merges can join them again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fieldtui.store import indexes as ix

Doc = dict[str, Any]
NOT_CHANGES = frozenset({"reveal", "export", "merge"})  # audit actions that change no record
FLAGGED = "has_issues"
REVIEWABLE_TABLES = frozenset({ix.SIGNUPS, ix.VISITS})

# Fields that name an officer or a banjar, per table (dotted: nested), for id mapping.
OFFICER_FIELDS: dict[str, tuple[str, ...]] = {
    ix.SIGNUPS: ("officer_id", "consent.recorded_by"),
    ix.VISITS: ("officer_id",),
    ix.BANJARS: ("created_by",),
    ix.TARGETS: ("set_by",),
    ix.REVIEWS: ("reviewer_id",),
    ix.AUDIT: ("actor_id",),
}
BANJAR_FIELDS: dict[str, tuple[str, ...]] = {
    ix.SIGNUPS: ("banjar_id",),
    ix.VISITS: ("banjar_id",),
    ix.TARGETS: ("region_code",),
}
_CHANGE_OFFICER = frozenset({"officer_id", "consent.recorded_by", "created_by", "set_by"})
_CHANGE_BANJAR = frozenset({"banjar_id", "region_code"})
_CHANGE = _CHANGE_OFFICER | _CHANGE_BANJAR


@dataclass(frozen=True)
class Version:
    """One version of a record: its document, history, and when it was last changed."""

    doc: Doc
    history: frozenset[str]
    time: dt.datetime  # the latest of its history entries (updated_at without any)
    content: str  # digest of the document without its review state

    @property
    def flagged(self) -> bool:
        """True when a merge (or a supervisor) marked this document HAS_ISSUES."""
        return self.doc.get("review_state") == FLAGGED

    def key(self, table: str) -> str:
        """A stable id for this version of this record (the conflicts table's document id)."""
        text = "|".join((table, str(self.doc.get("id", "")), *sorted(self.history), self.content))
        return hashlib.sha1(text.encode("utf-8")).hexdigest()


def content_digest(doc: Mapping[str, Any]) -> str:
    """A digest of ``doc`` that ignores its review state (a merge flag is not an edit)."""
    bare = {k: v for k, v in doc.items() if k != "review_state"}
    text = json.dumps(bare, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def parse_time(text: object) -> dt.datetime:
    """An ISO timestamp as an aware datetime (the epoch for anything unreadable)."""
    try:
        value = dt.datetime.fromisoformat(str(text))
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def make_version(doc: Doc, history: Iterable[str], times: Callable[[str], str | None]) -> Version:
    """A version of ``doc``; ``times(entry_id)`` gives an entry's ``at`` (None if unknown)."""
    ids = frozenset(history)
    stamps = [parse_time(at) for at in map(times, ids) if at is not None]
    time = max(stamps) if stamps else parse_time(doc.get("updated_at"))
    return Version(doc=doc, history=ids, time=time, content=content_digest(doc))


def join(versions: Iterable[Version]) -> list[Version]:
    """The maximal versions among ``versions``: a commutative, associative, idempotent join.

    The same version seen twice (same history and content) counts once, preferring the
    flagged document. Concurrent versions that reached the same content have converged: they
    become one version with both histories.
    """
    by_key: dict[tuple[frozenset[str], str], Version] = {}
    for v in versions:
        old = by_key.get((v.history, v.content))
        if old is None or _preference(v) > _preference(old):
            by_key[(v.history, v.content)] = v
    current = list(by_key.values())
    while True:
        maximal = [v for v in current if not any(v.history < w.history for w in current)]
        merged = _converge(maximal)
        if len(merged) == len(current) and len(maximal) == len(current):
            return sorted(merged, key=lambda v: (v.time, v.content), reverse=True)
        current = merged


def _preference(v: Version) -> tuple[bool, str]:
    return (v.flagged, str(v.doc.get("review_state", "")))


def _converge(versions: Sequence[Version]) -> list[Version]:
    by_content: dict[str, list[Version]] = {}
    for v in versions:
        by_content.setdefault(v.content, []).append(v)
    out: list[Version] = []
    for same in by_content.values():
        if len(same) == 1:
            out.append(same[0])
            continue
        doc = max(same, key=_preference).doc
        history = frozenset().union(*(v.history for v in same))
        time = max(v.time for v in same)
        out.append(Version(doc=doc, history=history, time=time, content=same[0].content))
    return out


def winner(versions: Sequence[Version]) -> Version:
    """The version shown for a conflict: the latest change; equal times by content digest."""
    return max(versions, key=lambda v: (v.time, v.content))


def materialize(versions: Sequence[Version]) -> Doc:
    """The document a record shows for its maximal ``versions`` (a conflict: flagged)."""
    if len(versions) == 1:
        return versions[0].doc
    doc = winner(versions).doc
    return {**doc, "review_state": FLAGGED} if "review_state" in doc else doc


def differing_fields(versions: Sequence[Version], limit: int = 3) -> list[str]:
    """The top-level (or participant.*) fields whose values differ between the versions."""
    docs = [v.doc for v in versions]
    names: list[str] = []
    for key in docs[0]:
        if key in ("review_state", "updated_at"):
            continue
        values = [d.get(key) for d in docs]
        if all(v == values[0] for v in values):
            continue
        people = [v for v in values if isinstance(v, dict)]
        if key == "participant" and len(people) == len(values):
            inner = people[0]
            names += [
                f"participant.{k}" for k in inner if any(p.get(k) != inner[k] for p in people)
            ]
        else:
            names.append(key)
    return names[:limit] + (["…"] if len(names) > limit else [])


# -- id mapping: the same officer (username) or banjar (desa + name) under another id ---------


def mapper(
    officers: Mapping[str, str], banjars: Mapping[str, str], in_records: Iterable[Doc] = ()
) -> Callable[[str, Doc], Doc]:
    """A function rewriting one table's document to this store's officer and banjar ids.

    Documents that need no change are returned as they are (no copy). Audit entries' field
    changes are rewritten only for the ids that ``in_records`` (the incoming records) name:
    an officer or banjar named by no record appears in no record's history either, and
    looking through every change of 100k entries would cost a second.
    """
    if not officers and not banjars:
        return lambda table, doc: doc
    named = _named_ids(in_records, officers.keys() | banjars.keys())
    change_officers = {k: v for k, v in officers.items() if k in named}
    change_banjars = {k: v for k, v in banjars.items() if k in named}

    def rewrite(table: str, doc: Doc) -> Doc:
        out = doc
        for name in OFFICER_FIELDS.get(table, ()):
            out = _map_field(out, name, officers)
        for name in BANJAR_FIELDS.get(table, ()):
            out = _map_field(out, name, banjars)
        if table == ix.AUDIT and (change_officers or change_banjars):
            out = _map_changes(out, change_officers, change_banjars)
        elif table == "conflicts" and isinstance(doc.get("doc"), dict):
            inner = rewrite(str(doc.get("table", "")), doc["doc"])
            if inner is not doc["doc"]:
                out = {**out, "doc": inner}
        return out

    return rewrite


def _named_ids(records: Iterable[Doc], wanted: Collection[str]) -> set[str]:
    fields = [f for f in _CHANGE if "." not in f]
    found: set[str] = set()
    for doc in records:
        for name in fields:
            value = doc.get(name)
            if value in wanted:
                found.add(str(value))
        consent = doc.get("consent")
        if isinstance(consent, dict) and consent.get("recorded_by") in wanted:
            found.add(str(consent["recorded_by"]))
    return found


def _map_field(doc: Doc, name: str, ids: Mapping[str, str]) -> Doc:
    if "." in name:
        outer, inner = name.split(".", 1)
        sub = doc.get(outer)
        if isinstance(sub, dict):
            new_sub = _map_field(sub, inner, ids)
            if new_sub is not sub:
                return {**doc, outer: new_sub}
        return doc
    value = doc.get(name)
    if isinstance(value, str) and value in ids:
        return {**doc, name: ids[value]}
    return doc


def _map_changes(entry: Doc, officers: Mapping[str, str], banjars: Mapping[str, str]) -> Doc:
    changes = entry.get("changes")
    if not isinstance(changes, list):
        return entry
    # Most entries name no officer or banjar field: find the few that do in one pass.
    hits = [i for i, c in enumerate(changes) if isinstance(c, dict) and c.get("field") in _CHANGE]
    new_changes: list[Any] | None = None
    for i in hits:
        change = changes[i]
        name = change.get("field")
        ids = officers if name in _CHANGE_OFFICER else banjars
        mapped = _map_field(_map_field(change, "before", ids), "after", ids)
        if mapped is not change:
            if new_changes is None:
                new_changes = list(changes)
            new_changes[i] = mapped
    return entry if new_changes is None else {**entry, "changes": new_changes}
