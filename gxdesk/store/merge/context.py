"""What a merge preview reads from the database: once per merge, or per batch of files.

:class:`MergeContext` holds the plans, units, ledger of merged files and task
versions read when the preview starts, and fills in, batch by batch, the export
records, each unit's assignments and — for the rows that changed only — the
latest reports and their fingerprints. It also notes what the rows that would
write a report relied on (:class:`~gxdesk.store.merge.records.PlanBasis`).
Read-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from gxdesk.core.views import PlanInfo, UnitRow
from gxdesk.store import queries
from gxdesk.store.chunks import chunk_size, chunks, id_lists, marks
from gxdesk.store.database import Database
from gxdesk.store.exports import (
    LatestReport,
    UnitAssignment,
    latest_reports,
    unit_assignments_many,
)
from gxdesk.store.merge.reading import Hashes, ValueReader
from gxdesk.store.merge.records import PlanBasis


def report_fingerprints(
    conn_or_db: Database | Any, pairs: Iterable[tuple[int, int]], size: int | None = None
) -> dict[tuple[int, int], tuple[int, int]]:
    """(assignment, unit) → (reports not withdrawn, highest id among them); absent: none.

    ``conn_or_db`` is a :class:`Database` or anything with a DB-API ``execute``
    (a raw connection, or the transaction's driver connection in apply); ``size``: ids per
    ``IN (…)`` list (by default the database's own)."""
    pairs = set(pairs)
    ids = sorted({a for a, _ in pairs})
    units = ",".join(str(int(u)) for u in sorted({u for _, u in pairs}))
    found: dict[tuple[int, int], tuple[int, int]] = {}

    if size is None:
        size = chunk_size(isinstance(conn_or_db, Database) and conn_or_db.is_server)

    def run(conn: Any) -> None:
        for in_list in id_lists(ids, size):
            for a, u, n, top in conn.execute(
                "SELECT assignment_id, unit_id, count(*), max(id) FROM progress"
                f" WHERE assignment_id IN ({in_list}) AND unit_id IN ({units}) AND withdrawn = FALSE"
                " GROUP BY assignment_id, unit_id"
            ):
                if (a, u) in pairs:
                    found[(a, u)] = (n, top)

    if isinstance(conn_or_db, Database):
        with conn_or_db.raw() as conn:
            run(conn)
    else:
        run(conn_or_db)
    return found


class EarlierReturn(NamedTuple):
    """A file of the same export merged before (its batch not undone)."""

    file_name: str
    sha256: str
    batch_id: int
    saved_at: dt.datetime | None  # when the unit saved it (None: not known)


def _as_datetime(value: object) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None


@dataclass
class MergeContext:
    """What the preview needs from the database, read once per merge (or per batch of files)."""

    plans: dict[int, PlanInfo]
    units: dict[int, UnitRow]
    merged: dict[str, int]  # sha256 → batch id (batches not undone)
    task_versions: dict[int, tuple[int, int, str, str]]  # task → version, plan, seq, name
    on: dt.date
    exports: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # id → plan, unit, rev
    # export id → the files of it merged before, oldest first (load_exports)
    returns: dict[str, list[EarlierReturn]] = field(default_factory=dict)
    # (plan, unit) → task → assignment, for each batch of files (prefetch);
    # (assignment, unit) → latest report and its fingerprint, for the rows that
    # changed in a batch (load_reports)
    assignments: dict[tuple[int, int], dict[int, UnitAssignment]] = field(default_factory=dict)
    latest: dict[tuple[int, int], LatestReport] = field(default_factory=dict)
    fingerprints: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    reports_known: set[tuple[int, int]] = field(default_factory=set)  # pairs loaded (or none)
    basis: PlanBasis = field(default_factory=PlanBasis)
    hashes: Hashes = field(default_factory=Hashes)
    readers: dict[int, ValueReader] = field(default_factory=dict)

    def reader(self, year: int) -> ValueReader:
        if year not in self.readers:
            self.readers[year] = ValueReader(year)
        return self.readers[year]

    def mine(self, db: Database, plan_id: int, unit_id: int) -> dict[int, UnitAssignment]:
        key = (plan_id, unit_id)
        if key not in self.assignments:
            self.prefetch(db, plan_id, [unit_id])
        return self.assignments[key]

    def rely_on(self, task_id: int, a: UnitAssignment, unit_id: int) -> int:
        """Note what a row that may write a report was decided on (see PlanBasis);
        returns the task's version now."""
        b = self.basis
        version = b.tasks[task_id] = self.task_versions.get(task_id, (0,))[0]
        b.assignments[a.assignment_id] = a.version
        pair = (a.assignment_id, unit_id)
        b.reports[pair] = self.fingerprints.get(pair, (0, 0))
        return version

    def load_exports(self, db: Database, export_ids: Iterable[str]) -> None:
        ids = sorted(set(export_ids) - self.exports.keys())
        if not ids:
            return
        with db.raw() as conn:
            for chunk in chunks(ids):
                for e, p, u, r in conn.execute(
                    "SELECT export_id, plan_id, unit_id, plan_revision FROM export_record"
                    f" WHERE export_id IN ({marks(len(chunk))})",
                    chunk,
                ):
                    self.exports[e] = (p, u, r)
                for e, name, sha, batch, saved in conn.execute(
                    "SELECT f.export_id, f.file_name, f.sha256, f.batch_id, f.saved_at"
                    " FROM merged_file f JOIN merge_batch b ON b.id = f.batch_id"
                    f" WHERE b.undone_at IS NULL AND f.export_id IN ({marks(len(chunk))})"
                    " ORDER BY f.id",
                    chunk,
                ):
                    self.returns.setdefault(e, []).append(
                        EarlierReturn(name, sha, batch, _as_datetime(saved))
                    )

    def prefetch(self, db: Database, plan_id: int, unit_ids: Iterable[int]) -> None:
        wanted = [u for u in unit_ids if (plan_id, u) not in self.assignments]
        if not wanted:
            return
        found = unit_assignments_many(db, plan_id, wanted)
        for u in wanted:
            self.assignments[(plan_id, u)] = found.get(u, {})

    def load_reports(self, db: Database, pairs: Iterable[tuple[int, int]]) -> None:
        """The latest report and fingerprint of each (assignment, unit) pair not yet known.

        Asked only for the rows that differ from what went out: in a later month
        most rows come back untouched and are settled by their hash alone.
        """
        wanted = set(pairs) - self.reports_known
        if not wanted:
            return
        self.latest.update(latest_reports(db, wanted))
        self.fingerprints.update(report_fingerprints(db, wanted))
        self.reports_known |= wanted


def load_context(db: Database, on: dt.date) -> MergeContext:
    """What every file of a merge is planned against, read when the preview starts."""
    with db.raw() as conn:
        merged = {
            sha: batch
            for sha, batch in conn.execute(
                "SELECT f.sha256, f.batch_id FROM merged_file f JOIN merge_batch b"
                " ON b.id = f.batch_id WHERE b.undone_at IS NULL ORDER BY f.id"
            )
        }
        task_versions = {
            r[0]: (r[1], r[2], str(r[3]), r[4])
            for r in conn.execute("SELECT id, version, plan_id, seq, name FROM task")
        }
    return MergeContext(
        plans={p.id: p for p in queries.plans(db)},
        units={u.id: u for u in queries.units(db)},
        merged=merged,
        task_versions=task_versions,
        on=on,
    )
