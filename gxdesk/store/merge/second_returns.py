"""Two returns of the same export by the same unit: which one a row takes.

A unit sometimes mails its workbook twice — a correction, or a stale copy sent
again. Where the two disagree on a row, the one the unit saved later corrects
the other (:func:`gxdesk.core.row_verdict.corrects`); when that cannot be told,
the row is a conflict the clerk decides. The earlier return may be in the
database already (:func:`against_merged`, asked by the planner for each changed
row) or in the same merge (:func:`within_one_merge`, once every file is
planned). Either way the later file says which return it replaces.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from gxdesk.core.row_verdict import Outcome, corrects
from gxdesk.store.merge.context import EarlierReturn
from gxdesk.store.merge.records import FilePlan, RowPlan

# rows that would write a report: the ones two returns can disagree on
_WRITING = frozenset({Outcome.APPLIED, Outcome.WARNING, Outcome.CONFLICT})


def shown_time(when: dt.datetime | None) -> str:
    """A saved time (UTC) as the clerk's clock shows it; 时间不明 when not known."""
    if when is None:
        return "保存时间不明"
    return when.replace(tzinfo=dt.UTC).astimezone().strftime("保存于 %Y-%m-%d %H:%M")


def replaces_text(earlier: EarlierReturn, saved_at: dt.datetime | None) -> str:
    """What a second return says about the one merged before."""
    return (
        f"同一次导出的第二份回收文件：替换第 {earlier.batch_id} 批合并的“{earlier.file_name}”"
        f"（{shown_time(earlier.saved_at)}；本文件{shown_time(saved_at)}）"
    )


def earlier_of(returns: Sequence[EarlierReturn], source_file: str) -> EarlierReturn:
    """The merged return a latest report came from (by its file name; else the last)."""
    return next((e for e in reversed(returns) if e.file_name == source_file), returns[-1])


def against_merged(
    plan: RowPlan, earlier: EarlierReturn, saved_at: dt.datetime | None, other: tuple[str, ...]
) -> RowPlan:
    """A row that differs from what an earlier return of this export made the latest
    report (``other``, its unit columns): a correction when saved later, else a conflict."""
    if corrects(saved_at, earlier.saved_at):
        return plan._replace(
            reason=(
                f"更正：本文件{shown_time(saved_at)}，晚于第 {earlier.batch_id} 批合并的"
                f"“{earlier.file_name}”（{shown_time(earlier.saved_at)}），此行以本文件为准"
            )
            + (f"；{plan.reason}" if plan.outcome is Outcome.WARNING else "")
        )
    return plan._replace(
        outcome=Outcome.CONFLICT,
        reason=(
            f"与第 {earlier.batch_id} 批合并的同一导出文件“{earlier.file_name}”此行不同，"
            f"本文件并非更晚保存（本文件{shown_time(saved_at)}，"
            f"前者{shown_time(earlier.saved_at)}）：请选择采用哪一份"
        ),
        other=other,
        other_source=f"第 {earlier.batch_id} 批“{earlier.file_name}”",
    )


def within_one_merge(files: Sequence[FilePlan]) -> None:
    """Settle, in place, the rows of files of one export that arrive in the same merge.

    Rows that say the same are written once (from the file saved first); where
    they disagree, the file saved last corrects the others, and when the saved
    times cannot tell, each such row is a conflict showing the other side.
    """
    groups: dict[str, list[FilePlan]] = {}
    for f in files:
        if f.export_id and not f.error and f.duplicate_of is None:
            groups.setdefault(f.export_id, []).append(f)
    for group in groups.values():
        if len(group) > 1:
            _settle(group)


def _settle(group: list[FilePlan]) -> None:
    known = all(f.saved_at is not None for f in group)
    times = [f.saved_at for f in group]
    order = sorted(group, key=lambda f: f.saved_at or dt.datetime.min) if known else list(group)
    last = order[-1] if known and len(set(times)) == len(times) else None
    for f in group:
        others = [g for g in order if g is not f]
        if last is f:
            f.replaces = (
                "同一次导出的另一份回收文件也在本批："
                + "、".join(f"“{g.file_name}”（{shown_time(g.saved_at)}）" for g in others)
                + f"；本文件{shown_time(f.saved_at)}，最晚，不同之处以本文件为准"
            )
        elif last is not None:
            f.replaces = (
                f"同一次导出的另一份回收文件“{last.file_name}”也在本批，且保存更晚"
                f"（{shown_time(last.saved_at)}；本文件{shown_time(f.saved_at)}）：不同之处以那份为准"
            )
        else:
            f.replaces = (
                "同一次导出的另一份回收文件也在本批："
                + "、".join(f"“{g.file_name}”" for g in others)
                + "；无法判断哪份更晚保存，不同之处请逐行选择"
            )
    rows: dict[int, list[tuple[FilePlan, int]]] = {}
    for f in order:
        for i, r in enumerate(f.rows):
            if r.task_id is not None and r.report is not None and r.outcome in _WRITING:
                rows.setdefault(r.task_id, []).append((f, i))
    for places in rows.values():
        if len(places) < 2:
            continue
        said = {f.rows[i].values for f, i in places}
        first_file, _ = places[0]
        if len(said) == 1:  # the same values: written once, from the file saved first
            for f, i in places[1:]:
                f.rows[i] = f.rows[i]._replace(
                    outcome=Outcome.UNCHANGED, reason=f"与本批“{first_file.file_name}”此行相同"
                )
            continue
        for f, i in places:
            r = f.rows[i]
            if last is not None and f is last:
                if r.outcome is not Outcome.CONFLICT:
                    note = f"更正：本批同一导出的其他文件此行不同，本文件{shown_time(f.saved_at)}，最晚"
                    reason = note if r.outcome is Outcome.APPLIED else f"{note}；{r.reason}"
                    f.rows[i] = r._replace(reason=reason)
            elif last is not None:
                f.rows[i] = r._replace(
                    outcome=Outcome.REJECTED,
                    reason=f"已被本批中保存更晚的“{last.file_name}”更正，此行不予采用",
                )
            else:
                g, j = next((g, j) for g, j in places if g is not f)
                other = g.rows[j].values
                f.rows[i] = r._replace(
                    outcome=Outcome.CONFLICT,
                    reason=(
                        f"与本批同一导出的“{g.file_name}”此行不同，无法判断哪份更晚保存"
                        "：请选择采用哪一份"
                    ),
                    other=other.as_text() if other is not None else (),
                    other_source=f"本批“{g.file_name}”",
                )
