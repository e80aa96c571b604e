"""Binding a report to a record id under the conflict rule (crawler/identity.py).

A shared identity key only *proposes* a merge. The report joins the first report it shares a key
with (strongest key first) whose identity does not conflict with its own; a key held by a report
that conflicts is passed over, and the report keeps its own id. A report is never used to chain
two held reports that conflict with each other. Each decision to keep apart becomes a warning
problem on the report and a stat:

- ``govreports/dedup/kept_apart``: a key matched a report whose identity conflicts;
- ``govreports/dedup/conflict_kept_apart``: the report matched two reports that conflict with each
  other; it joined the one with the stronger key only.

When it matches two held reports that do *not* conflict (copies that shared no key until now),
they are folded into one (``govreports/dedup/bridged``), unless one was exported by an earlier run.

State (namespaces of the store): ``key`` identity key → record id (first holder keeps it);
``ident`` record id → the merged identity (identity.identity_of) and the keys bound to it, kept
across runs so next week's copies are judged against what was exported; ``contested`` keys shared
by reports kept apart (a template body common to several townships): they join nothing any more,
so the PDF of one township's template page joins its page, not the first township that used it.
"""
from __future__ import annotations

from typing import NamedTuple

from crawler.identity import combine, conflict, dedup_keys, id_candidates, id_for_key, identity_of, key_string

KEPT_APART = "govreports/dedup/kept_apart"
CONFLICT_KEPT_APART = "govreports/dedup/conflict_kept_apart"
BRIDGED = "govreports/dedup/bridged"
_LINKED = ("buffered", "report")


def candidates_from_keys(record: dict, keys: list[tuple]) -> list[str]:
    """identity.id_candidates(record) from the record's dedup_keys computed already (the same
    list: tests/test_pipeline_speed_dedup.py holds them equal)."""
    ids = [k for k in keys if k[0] != "page"]
    ids.append(("url", record.get("document_url") or record.get("url") or ""))
    return [id_for_key(k) for k in ids]


class Binding(NamedTuple):
    record_id: str
    notes: list[dict]  # warning problems explaining why a match was not merged
    bridged: list[str]  # held reports this one showed to be the same report: fold them into record_id


def _named(ident: dict) -> bool:
    return bool(ident.get("issuer") or ident.get("index_no") or ident.get("title_unit"))


def _note(code: str, detail: str) -> dict:
    return {"code": code, "severity": "warning", "detail": detail}


class IdentityBinder:
    def __init__(self, store, stats=None):
        self.store = store
        self.stats = stats

    def bind(self, record: dict, own: dict | None = None) -> Binding:
        """`own`: the record's identity_of, when the caller has it already (`weak`)."""
        keys = dedup_keys(record)
        try:
            strings = {key: key_string(key) for key in keys}   # each key's string, once per bind
        except TypeError:   # an unhashable part: strings are made where needed
            strings = None
        own = identity_of(record) if own is None else own
        notes: list[dict] = []
        bridged: list[str] = []
        chosen, merged, seen = None, own, set()
        for name, ks, rid, mine in self._candidates(record, keys, own, strings):
            other = self.identity(rid)
            if rid in seen or self._anonymous_copy(name, other, own):
                continue  # (the same report may still be proposed by the page relation)
            seen.add(rid)
            why_own = conflict(other, mine)
            if why_own:
                notes.append(_note("kept_apart", f"shares its {name} with report {rid}, but {why_own}: "
                                                 "kept as a separate report"))
                self._inc(KEPT_APART)
                if ks:  # a key two different reports share (a template body) proposes nothing more
                    self.store.put("contested", ks, True)
            elif chosen is None:
                chosen, merged = rid, combine(other, own)
            elif (why := conflict(other, merged)):
                notes.append(_note("conflict_kept_apart",
                                   f"also shares its {name} with report {rid}, which cannot be the same report "
                                   f"as {chosen} ({why}): joined {chosen} only"))
                self._inc(CONFLICT_KEPT_APART)
            elif self._foldable(rid):
                # two held copies that shared no key (a town page and a county copy on another
                # site) are linked by this one (the copy's DOCX names the full organ)
                bridged.append(rid)
                merged = combine(merged, other)
                self._inc(BRIDGED)
        if chosen is None:
            chosen = self._new_id(record, keys)
        self._register(chosen, keys, merged, bridged, strings)
        return Binding(chosen, notes, bridged)

    def _register(self, rid: str, keys: list[tuple], merged: dict, bridged: list[str],
                  strings: dict | None = None) -> None:
        """Bind the free keys (and those of the folded reports) to `rid`; store its identity."""
        bound = set(self.identity(rid).get("keys") or [])
        for other in bridged:
            bound |= self._repoint(other, rid)
        for key in keys:
            ks = strings[key] if strings and key in strings else key_string(key)
            if not self.store.get("key", ks):
                self.store.put("key", ks, rid)
                bound.add(ks)
        self.store.put("ident", rid, {**merged, "keys": sorted(bound)})

    @staticmethod
    def _anonymous_copy(name: str, other: dict, own: dict) -> bool:
        """Identical text alone does not give a document that names nothing (no issuer, 索引号 or
        unit in its title or link) to a report that names its unit: under a county's template
        the same body belongs to every township (the page relation still joins a wap twin or a
        PDF to its page)."""
        return name == "content" and not _named(own) and _named(other)

    @staticmethod
    def weak(record: dict, own: dict | None = None) -> bool:
        """A document that names nothing of its own (no issuer, 索引号 or unit in its title), such
        as a PDF without organ: bound after every other copy is held (`DedupPipeline` defers it),
        so it joins the page that links it rather than whichever template twin came first.
        `own`: the record's identity_of, when the caller has it already."""
        return not _named(identity_of(record) if own is None else own)

    def _foldable(self, rid: str) -> bool:
        """Only a report held in this run and never exported can be folded into another (an
        exported row keeps its id)."""
        return not self.store.has("exported", rid) and self.store.has("buffer", rid)

    def _repoint(self, rid: str, into: str) -> set[str]:
        """Move the keys of `rid` to `into`; returns them."""
        moved = set(self.identity(rid).get("keys") or [])
        for ks in moved:
            self.store.put("key", ks, into)
        self.store.delete("ident", rid)
        return moved

    def _candidates(self, record: dict, keys: list[tuple], own: dict, strings: dict | None = None):
        """(what is shared, key string, record id, identity to compare) for each report this one
        may join, strongest evidence first: its own document URL (seen before: the same place, so
        the portal it was reached from does not matter), then the identity keys not contested."""
        url = record.get("document_url")
        known = self.store.get("url", url) if url else None
        if known and known.get("kind") in _LINKED and known.get("record_id"):
            yield "document URL", None, known["record_id"], {**own, "sites": []}
        for key in keys:
            ks = strings[key] if strings and key in strings else key_string(key)
            rid = self.store.get("key", ks)
            if rid and not self.store.get("contested", ks):
                yield key[0], ks, rid, own

    def identity(self, rid: str | None) -> dict:
        """The merged identity of a report ({} for one bound before identities were kept)."""
        return (self.store.get("ident", rid) if rid else None) or {}

    def _new_id(self, record: dict, keys: list[tuple] | None = None) -> str:
        """The best id not already naming another report (a template report kept apart from its
        twin gets the id of its own organ key, never its twin's content key). `keys`: the record's
        dedup_keys, when the caller has them already."""
        ids = id_candidates(record) if keys is None else candidates_from_keys(record, keys)
        for rid in ids:
            if not self._taken(rid):
                return rid
        n = 1
        while self._taken(f"{ids[-1]}-{n}"):
            n += 1
        return f"{ids[-1]}-{n}"

    def _taken(self, rid: str) -> bool:
        return any(self.store.has(ns, rid) for ns in ("ident", "buffer", "exported"))

    def _inc(self, stat: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(stat)
