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
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from gxdesk.core.bulk import paused_gc
from gxdesk.core.workbook_data import ReturnedWorkbook
from gxdesk.exchange.ledger import write_ledger
from gxdesk.exchange.safety import DEFAULT_LIMITS, BadFileError, Limits
from gxdesk.exchange.unit_workbook import workbook_file_name, write_unit_workbook
from gxdesk.exchange.workbook_reader import is_owner_file, read_returned_workbook
from gxdesk.store import queries
from gxdesk.store.database import Database
from gxdesk.store.exports import build_unit_sheet, record_exports, reporting_units
from gxdesk.store.merge import FilePlan, MergePlan, MergePlanner, refused_file

Step = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


class JobCancelled(Exception):
    pass


def _noop_step(_done: int, _total: int, _label: str) -> None:
    return None


def _never() -> bool:
    return False


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
    step: Step = _noop_step,
    cancelled: Cancelled = _never,
) -> list[ExportedFile]:
    """One workbook per unit into ``folder``; every export is recorded for the merge."""
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
    done: list[tuple] = []
    out = []
    for i, unit in enumerate(units):
        if cancelled():
            break
        step(i, len(units), unit.name)
        sheet = build_unit_sheet(db, plan.id, unit, on=on, tasks=tasks)
        if not sheet.rows:
            continue
        path = folder / workbook_file_name(plan.year, unit.name, on)
        write_unit_workbook(sheet, path)
        done.append((sheet, path.name))
        out.append(ExportedFile(unit.name, path, len(sheet.rows), sheet.meta.export_id))
    with db.transaction() as session:
        record_exports(session, done)
    step(len(units), len(units), "")
    return out


def _plan(db: Database, plan_id: int | None) -> queries.PlanInfo:
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
    """Files to merge (folders give their .xlsx files) and the owner/lock files skipped."""
    files: list[Path] = []
    skipped: list[Path] = []
    for p in map(Path, paths):
        found = sorted(p.glob("*.xls*")) if p.is_dir() else [p]
        for f in found:
            (skipped if is_owner_file(f) else files).append(f)
    return files, skipped


def _read_one(path: Path, limits: Limits) -> ReturnedWorkbook | FilePlan:
    try:
        return read_returned_workbook(path, limits)
    except BadFileError as exc:
        return refused_file(path, str(exc))
    except OSError as exc:
        return refused_file(path, f"无法读取文件（{exc.strerror or exc}）")


def read_workbooks(
    paths: Sequence[Path],
    *,
    limits: Limits = DEFAULT_LIMITS,
    step: Step = _noop_step,
    cancelled: Cancelled = _never,
    threads: int | None = None,
) -> list[ReturnedWorkbook | FilePlan]:
    """Read every file; one that cannot be read becomes a refused FilePlan with its reason."""
    out: list[ReturnedWorkbook | FilePlan] = []
    for batch in iter_workbooks(
        paths, limits=limits, step=step, cancelled=cancelled, threads=threads
    ):
        out.extend(batch)
    return out


def iter_workbooks(
    paths: Sequence[Path],
    *,
    limits: Limits = DEFAULT_LIMITS,
    step: Step = _noop_step,
    cancelled: Cancelled = _never,
    threads: int | None = None,
) -> Iterator[list[ReturnedWorkbook | FilePlan]]:
    """The files read, in the order of ``paths``, in batches of those already read.

    python-calamine releases the GIL while it parses, so a few threads overlap
    one file's parsing with the checks of others, and with whatever the caller
    does with a batch (the merge plans it) before asking for the next. At most
    ``2 × threads`` files are read ahead; :class:`JobCancelled` between batches.
    """
    workers = threads or min(4, os.cpu_count() or 1)
    if workers <= 1 or len(paths) <= 1:
        for i, path in enumerate(paths):
            if cancelled():
                raise JobCancelled()
            step(i, len(paths), path.name)
            yield [_read_one(path, limits)]
        step(len(paths), len(paths), "")
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="gxdesk-read") as pool:
        pending: deque[Future[ReturnedWorkbook | FilePlan]] = deque()
        queued = iter(paths)

        def refill() -> None:
            while len(pending) < 2 * workers:
                nxt = next(queued, None)
                if nxt is None:
                    return
                pending.append(pool.submit(_read_one, nxt, limits))

        done = 0
        try:
            refill()
            while pending:
                if cancelled():
                    raise JobCancelled()
                step(done, len(paths), paths[done].name)
                batch = [pending.popleft().result()]
                while pending and pending[0].done():
                    batch.append(pending.popleft().result())
                refill()  # the pool reads on while the caller works on this batch
                done += len(batch)
                yield batch
        finally:
            for f in pending:
                f.cancel()
    step(len(paths), len(paths), "")


def preview_merge(
    db: Database,
    paths: Sequence[Path],
    *,
    confirm_units: dict[str, int] | None = None,
    on: dt.date | None = None,
    limits: Limits = DEFAULT_LIMITS,
    step: Step = _noop_step,
    cancelled: Cancelled = _never,
) -> MergePlan:
    """Read and plan a merge (nothing is written): each batch of files is planned
    while the next ones are being read."""
    with paused_gc():
        planner = MergePlanner(db, confirm_units=confirm_units, on=on)
        done = 0
        for batch in iter_workbooks(paths, limits=limits, step=step, cancelled=cancelled):
            planner.add(batch, paths[done : done + len(batch)])
            done += len(batch)
        return planner.result()
