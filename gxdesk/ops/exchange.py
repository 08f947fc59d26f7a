"""The exchange workflows, shared by the command line and the window.

Each function is one job: it reads and writes through ``store`` and ``exchange``,
reports progress through an optional callback ``step(done, total, label)`` and
stops early when ``cancelled()`` turns true. No Qt here: the window runs these
on its background runner.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gxdesk.core.cancel import JobCancelled
from gxdesk.core.views import PlanInfo
from gxdesk.core.workbook_data import ReturnedWorkbook
from gxdesk.exchange.ledger import write_ledger
from gxdesk.exchange.safety import DEFAULT_LIMITS, BadFileError, Limits
from gxdesk.exchange.unit_workbook import workbook_file_name, write_unit_workbook
from gxdesk.exchange.workbook_reader import (
    CheckedFile,
    SheetGrids,
    check_returned_file,
    is_owner_file,
    is_temporary_file,
    is_workbook_name,
    parse_sheets,
    read_returned_workbook,
    returned_workbook,
)
from gxdesk.ops.progress import Cancelled, Step, never, no_step
from gxdesk.runtime import bulk_work
from gxdesk.store import queries
from gxdesk.store.database import Database
from gxdesk.store.exports import build_unit_sheet, record_exports, reporting_units
from gxdesk.store.litter import clean_parts
from gxdesk.store.merge import FilePlan, MergePlan, MergePlanner, refused_file


@dataclass(frozen=True)
class ExportedFile:
    unit: str
    path: Path
    rows: int
    export_id: str


def export_units(
    db: Database,
    folder: Path,
    *,
    unit_names: Sequence[str] = (),
    on: dt.date | None = None,
    plan_id: int | None = None,
    step: Step = no_step,
    cancelled: Cancelled = never,
) -> list[ExportedFile]:
    """One workbook per unit into ``folder``; every export is recorded for the merge.

    Workbooks are written under temporary names, their export ids recorded in
    one transaction, and only then renamed: killed, locked or out of disk, the
    export leaves no workbook the database would refuse when it comes back.
    """
    on = on or dt.date.today()
    folder = Path(folder)
    if not folder.is_dir():
        if not folder.parent.is_dir():
            raise BadFileError(f"目录不存在：{folder.parent}")
        folder.mkdir()
    plan = _plan(db, plan_id)
    if unit_names:
        units = [queries.unit_by_name(db, n) for n in unit_names]
        groups = [u.name for u in units if u.is_group]
        if groups:
            raise LookupError(f"“{groups[0]}”是单位组，请指定具体单位")
    else:
        units = reporting_units(db, plan.id)
    tasks = queries.list_tasks(db, plan.id, on=on)
    clean_parts(folder)  # temporaries of an earlier export that was killed
    done: list[tuple[Any, ...]] = []
    written: list[tuple[Path, Path]] = []  # (temporary, final) names
    out = []
    try:
        for i, unit in enumerate(units):
            if cancelled():
                break
            step(i, len(units), unit.name)
            sheet = build_unit_sheet(db, plan.id, unit, on=on, tasks=tasks)
            if not sheet.rows:
                continue
            path = folder / workbook_file_name(plan.year, unit.name, on)
            tmp = folder / f".{path.stem}.{os.getpid()}.part.xlsx"
            write_unit_workbook(sheet, tmp)
            written.append((tmp, path))
            done.append((sheet, path.name))
            out.append(ExportedFile(unit.name, path, len(sheet.rows), sheet.meta.export_id))
        # the export ids are recorded before any workbook takes its final name: a
        # file the database does not know never reaches a unit
        with db.transaction() as session:
            record_exports(session, done)
        for tmp, path in written:
            os.replace(tmp, path)
    finally:
        for tmp, _path in written:
            tmp.unlink(missing_ok=True)
    step(len(units), len(units), "")
    return out


def _plan(db: Database, plan_id: int | None) -> PlanInfo:
    plans = queries.plans(db)
    if not plans:
        raise LookupError("数据库中还没有计划，请先导入工作要点")
    if plan_id is None:
        return plans[-1]
    for p in plans:
        if p.id == plan_id:
            return p
    raise LookupError(f"没有编号为 {plan_id} 的计划")


def export_plan(db: Database, out: Path, *, on: dt.date | None = None) -> Path:
    """The whole 台账 of the current plan as one workbook."""
    on = on or dt.date.today()
    plan = _plan(db, None)
    tasks = queries.list_tasks(db, plan.id, on=on)
    progress = queries.latest_progress(db, [t.id for t in tasks])
    return write_ledger(out, title=plan.title, tasks=tasks, progress=progress, on=on)


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[Path]]:
    """Files to merge and the owner/lock and temporary files skipped.

    A folder gives its ``.xls*`` files, the extension in any case; a file named
    on its own is read whatever its name, unless it is an owner or temporary file.
    """
    files: list[Path] = []
    skipped: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if is_workbook_name(f) and not f.is_dir())
        else:
            found = [p]
        for f in found:
            (skipped if is_owner_file(f) or is_temporary_file(f) else files).append(f)
    return files, skipped


def _refused(path: Path, exc: Exception) -> FilePlan:
    if isinstance(exc, OSError):
        return refused_file(path, f"无法读取文件（{exc.strerror or exc}）")
    return refused_file(path, str(exc))


def _read_one(path: Path, limits: Limits) -> ReturnedWorkbook | FilePlan:
    try:
        return read_returned_workbook(path, limits)
    except (BadFileError, OSError) as exc:
        return _refused(path, exc)


def read_workbooks(
    paths: Sequence[Path],
    *,
    limits: Limits = DEFAULT_LIMITS,
    step: Step = no_step,
    cancelled: Cancelled = never,
    threads: int | None = None,
) -> list[ReturnedWorkbook | FilePlan]:
    """Read every file; one that cannot be read becomes a refused FilePlan with its reason."""
    out: list[ReturnedWorkbook | FilePlan] = []
    for batch in iter_workbooks(
        paths, limits=limits, step=step, cancelled=cancelled, threads=threads
    ):
        out.extend(batch)
    return out


def parse_threads() -> int:
    """Parsing threads for a merge: the cores this thread does not keep busy.

    This thread runs Python the whole time (checking, interpreting, planning), and
    each parser takes the GIL back to hand over its cells, so a parser per core
    makes three threads fight over two cores. Interleaved on a 2-core machine
    (100 files × 200 rows, preview + apply): two parsers 1.35 s wall / 1.84 s
    CPU, one parser 1.22 / 1.68, none 1.68 / 1.66. One core: no parser, the
    reading is done here.
    """
    return (os.cpu_count() or 1) - 1


#: Files checked and handed to the parsing threads ahead of the one being finished:
#: enough to keep them busy while the caller plans a batch (PLAN_BATCH files).
READ_AHEAD = 16


def iter_workbooks(
    paths: Sequence[Path],
    *,
    limits: Limits = DEFAULT_LIMITS,
    step: Step = no_step,
    cancelled: Cancelled = never,
    threads: int | None = None,
) -> Iterator[list[ReturnedWorkbook | FilePlan]]:
    """The files read, in the order of ``paths``, in batches of those already read.

    Reading has three stages (``workbook_reader``): the safety check and the
    interpretation of rows run here, holding the GIL; python-calamine's parsing,
    which releases it, runs on ``threads`` other threads (unless told, one per
    core beyond the one this thread keeps busy — see :func:`parse_threads`; 0
    reads everything on this thread). So parsing goes on while this
    thread checks the next files, and while the caller works on a batch (the
    merge plans it) before asking for the next. Only this thread runs Python for
    long: the GIL is not passed back and forth between readers. At most
    :data:`READ_AHEAD` files wait in memory. ``step`` and ``cancelled`` are
    called before each file is finished here (:class:`JobCancelled` ends reading).
    """
    workers = parse_threads() if threads is None else threads
    if workers < 1 or len(paths) <= 1:  # threads=0: everything on this thread
        for i, path in enumerate(paths):
            if cancelled():
                raise JobCancelled()
            step(i, len(paths), path.name)
            yield [_read_one(path, limits)]
        step(len(paths), len(paths), "")
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="gxdesk-read") as pool:
        pending: deque[tuple[Path, CheckedFile | FilePlan, Future[SheetGrids] | None]] = deque()
        queued = iter(paths)

        def refill() -> None:
            while len(pending) < READ_AHEAD:
                path = next(queued, None)
                if path is None:
                    return
                try:
                    checked = check_returned_file(path, limits)
                except (BadFileError, OSError) as exc:
                    pending.append((path, _refused(path, exc), None))
                    continue
                pending.append((path, checked, pool.submit(parse_sheets, checked)))

        def finish() -> ReturnedWorkbook | FilePlan:
            path, checked, parsing = pending.popleft()
            if isinstance(checked, FilePlan):  # refused by the check: nothing was parsed
                return checked
            try:
                assert parsing is not None
                return returned_workbook(checked, parsing.result())
            except (BadFileError, OSError) as exc:
                return _refused(path, exc)

        done = 0

        def next_one() -> ReturnedWorkbook | FilePlan:
            nonlocal done
            if cancelled():
                raise JobCancelled()
            step(done, len(paths), paths[done].name)
            done += 1
            return finish()

        try:
            refill()
            while pending:
                batch = [next_one()]
                while pending and (pending[0][2] is None or pending[0][2].done()):
                    batch.append(next_one())
                refill()
                yield batch
        finally:
            for _path, _checked, parsing in pending:
                if parsing is not None:
                    parsing.cancel()
    step(len(paths), len(paths), "")


#: Files planned together: each batch costs a few queries for all its units, and
#: planning it overlaps the reading of the files after it.
PLAN_BATCH = 8


def preview_merge(
    db: Database,
    paths: Sequence[Path],
    *,
    confirm_units: dict[str, int] | None = None,
    on: dt.date | None = None,
    limits: Limits = DEFAULT_LIMITS,
    step: Step = no_step,
    cancelled: Cancelled = never,
) -> MergePlan:
    """Read and plan a merge (nothing is written): each batch of files is planned
    while the next ones are being read."""
    with bulk_work():
        planner = MergePlanner(db, confirm_units=confirm_units, on=on)
        books: list[ReturnedWorkbook | FilePlan] = []
        done = 0
        for batch in iter_workbooks(paths, limits=limits, step=step, cancelled=cancelled):
            books += batch
            if len(books) >= PLAN_BATCH or done + len(books) == len(paths):
                planner.add(books, paths[done : done + len(books)])
                done += len(books)
                books = []
        return planner.result()
