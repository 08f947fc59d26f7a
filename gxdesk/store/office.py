"""The issuing office's particulars, kept in the database beside its plan.

The report and the notices print them (发文机关, contact, reply deadline); the
window and the command line read the same values, so both print the same page.
"""

from __future__ import annotations

from dataclasses import asdict, fields

from sqlalchemy.orm import Session

from gxdesk.core.documents import OfficeInfo
from gxdesk.store.database import Database


def office_info(db: Database) -> OfficeInfo:
    """The stored particulars; defaults for what was never set or cannot be read."""
    with db.raw() as conn:
        stored = dict(conn.execute('SELECT "key", value FROM office_setting').fetchall())
    values: dict[str, object] = {}
    defaults = OfficeInfo()
    for f in fields(OfficeInfo):
        if f.name not in stored:
            continue
        if f.name == "reply_workdays":
            try:
                days = int(stored[f.name])
            except ValueError:
                continue
            values[f.name] = days if 1 <= days <= 60 else defaults.reply_workdays
        else:
            values[f.name] = stored[f.name]
    return OfficeInfo(**values)  # type: ignore[arg-type]


def save_office_info(session: Session, info: OfficeInfo) -> None:
    conn = session.connection()
    conn.exec_driver_sql(
        'INSERT INTO office_setting ("key", value) VALUES (?, ?)'
        ' ON CONFLICT ("key") DO UPDATE SET value = excluded.value',  # SQLite and PostgreSQL
        [(k, str(v)) for k, v in asdict(info).items()],
    )


def set_office_info(db: Database, info: OfficeInfo) -> None:
    """Store the particulars (one transaction), for the window's 发文设置."""
    if not 1 <= info.reply_workdays <= 60:
        raise ValueError("回复时限应为 1 至 60 个工作日")
    with db.transaction() as session:
        save_office_info(session, info)
