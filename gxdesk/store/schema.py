"""SQLAlchemy models of the gxdesk database.

The models describe the current schema for the ORM; the schema itself is created
and changed only by the numbered migrations in :mod:`gxdesk.store.migrations`,
and a test keeps the two in agreement.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Plan(Base):
    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    year: Mapped[int] = mapped_column(Integer)
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    # Bumped by every change to the lead office's columns; exported workbooks carry it.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    source_name: Mapped[str] = mapped_column(Text, default="")
    source_kind: Mapped[str] = mapped_column(String(16), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Category(Base):
    __tablename__ = "category"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    title_raw: Mapped[str] = mapped_column(Text, default="")


class Unit(Base):
    """A unit, or a group of units (市级各部门) whose members report for themselves."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    short_name: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(Text, default="")
    is_group: Mapped[bool] = mapped_column(Boolean, default=False)


class GroupMember(Base):
    __tablename__ = "group_member"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True
    )


class Task(Base):
    __tablename__ = "task"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("category.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    name_raw: Mapped[str] = mapped_column(Text, default="")
    requirement: Mapped[str] = mapped_column(Text, default="")
    requirement_raw: Mapped[str] = mapped_column(Text, default="")
    deadline_text: Mapped[str] = mapped_column(Text, default="")
    deadline_raw: Mapped[str] = mapped_column(Text, default="")
    deadline_kind: Mapped[str] = mapped_column(String(16), default="none")
    deadline_due: Mapped[dt.date | None] = mapped_column(Date)
    deadline_workdays: Mapped[int | None] = mapped_column(Integer)
    deadline_period: Mapped[str | None] = mapped_column(String(16))
    deadline_review: Mapped[bool] = mapped_column(Boolean, default=False)
    deadline_inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    units_text: Mapped[str] = mapped_column(Text, default="")
    units_raw: Mapped[str] = mapped_column(Text, default="")
    units_review: Mapped[bool] = mapped_column(Boolean, default=False)
    units_inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    # Derived from the latest report of every assigned unit; kept by store.progress.
    status: Mapped[str] = mapped_column(String(16), default="未启动")
    version: Mapped[int] = mapped_column(Integer, default=1)
    source_where: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Assignment(Base):
    __tablename__ = "assignment"
    __table_args__ = (UniqueConstraint("task_id", "unit_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer, default=0)
    inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped when the lead office changes this assignment (or its task) after an export.
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class MergeBatch(Base):
    """One merge of returned workbooks, applied in one transaction (and undoable)."""

    __tablename__ = "merge_batch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    undone_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Progress(Base):
    """One progress report of one unit on one assignment: history, never overwritten."""

    __tablename__ = "progress"
    __table_args__ = (
        Index("ix_progress_task_latest", "task_id", "reported_at", "id"),
        Index("ix_progress_assignment_unit", "assignment_id", "unit_id", "reported_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"))
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    # The reporting unit: the assignment's unit, or a member when the assignment is a group's.
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    period: Mapped[str] = mapped_column(String(7), default="")  # YYYY-MM
    status: Mapped[str] = mapped_column(String(16))
    percent: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    evidence: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(Text, default="")
    reported_at: Mapped[dt.datetime] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String(16), default="manual")  # manual | workbook
    source_file: Mapped[str] = mapped_column(Text, default="")
    source_sha256: Mapped[str] = mapped_column(String(64), default="")
    export_id: Mapped[str] = mapped_column(String(64), default="")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("merge_batch.id"), index=True)
    assignment_version: Mapped[int] = mapped_column(Integer, default=1)
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)


class ExportRecord(Base):
    """A unit workbook that went out: returned files are matched against it."""

    __tablename__ = "export_record"

    export_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    plan_revision: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class MergedFile(Base):
    """Ledger of merged files, so the same file merged twice changes nothing."""

    __tablename__ = "merged_file"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("merge_batch.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    export_id: Mapped[str] = mapped_column(String(64), default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    file_name: Mapped[str] = mapped_column(Text, default="")
    merged_at: Mapped[dt.datetime] = mapped_column(DateTime)
    saved_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class CalendarDay(Base):
    """A day of the State Council's holiday schedule entered by the clerk."""

    __tablename__ = "calendar_day"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")


class CalendarYear(Base):
    """A year whose whole schedule the clerk has entered (weekdays work unless a day says no)."""

    __tablename__ = "calendar_year"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    note: Mapped[str] = mapped_column(Text, default="")


class Reminder(Base):
    """One 催办通知单 sent to a unit: when, its number, the file it was written to."""

    __tablename__ = "reminder"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    number: Mapped[str] = mapped_column(Text)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    file_name: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ReminderTask(Base):
    """A task a notice chased: counted in the next notice, the report and the task's history."""

    __tablename__ = "reminder_task"

    reminder_id: Mapped[int] = mapped_column(
        ForeignKey("reminder.id", ondelete="CASCADE"), primary_key=True
    )
    task_id: Mapped[int] = mapped_column(
        ForeignKey("task.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class OfficeSetting(Base):
    """The issuing office's particulars (name, contact, reply deadline), kept with its data."""

    __tablename__ = "office_setting"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
