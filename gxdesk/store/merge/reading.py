"""Reading the unit's columns of returned rows, fast: each distinct cell value once.

The merge reads every row of every returned file; a batch holds few distinct
statuses, percents and dates, so :class:`ValueReader` remembers what each read
to. :class:`Hashes` remembers the lead and unit hashes the same way.
:func:`same_as` is the comparison with the latest report the database holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import cast

from gxdesk.core.model import Status
from gxdesk.core.values import Unreadable, read_date, read_percent, read_status, read_text
from gxdesk.core.workbook_data import (
    CELL_LIMIT,
    UNIT_FIELDS,
    ReturnedRow,
    UnitReport,
    lead_hash,
    long_text_cells,
    unit_hash,
)
from gxdesk.store.exports import LatestReport

_Read = tuple[object, str]
_STATUS, _PERCENT, _DONE_ON = (UNIT_FIELDS.index(f) for f in ("status", "percent", "done_on"))
# ValueReader.read_with_text unpacks a row's values in this order
_READ_ORDER = ("status", "percent", "text", "done_on", "evidence", "problems", "contact", "phone")
assert UNIT_FIELDS == _READ_ORDER, UNIT_FIELDS
STATUS_INDEX = _STATUS


class ValueReader:
    """Reads the unit's columns of rows, remembering each distinct cell value once.

    A batch holds few distinct statuses, percents and dates (the drop-down
    list, 50%, the end of the month), so most cells are a dictionary look-up
    that gives the value read and its text for :meth:`UnitReport.as_text`.
    Text and empty cells are their own key; any other value's key carries its
    type: ``1``, ``1.0`` and ``True`` are equal in a dict but read differently.
    """

    def __init__(self, year: int) -> None:
        self.year = year
        self._status: dict[object, _Read] = {}
        self._percent: dict[object, _Read] = {}
        self._date: dict[object, _Read] = {}

    def _read_status(self, value: object) -> _Read:
        found = read_status(value)
        return found, (found.value if type(found) is Status else "")

    def _read_percent(self, value: object) -> _Read:
        found = read_percent(value)
        return found, (str(found) if type(found) is int else "")

    def _read_date(self, value: object) -> _Read:
        found = read_date(value, year=self.year)
        return found, (found.isoformat() if isinstance(found, dt.date) else "")

    @staticmethod
    def _cached(memo: dict[object, _Read], value: object, read: Callable[[object], _Read]) -> _Read:
        key = value if value is None or type(value) is str else (type(value), value)
        try:
            return memo[key]
        except KeyError:
            found = memo[key] = read(value)
            return found
        except TypeError:  # unhashable: never from a reader, but cheap to allow
            return read(value)

    def read_with_text(
        self, row: ReturnedRow
    ) -> tuple[UnitReport | None, tuple[str, ...], list[tuple[str, str]]]:
        """The row's report and its :meth:`UnitReport.as_text` (built from the memo: a
        merge hashes the text of every row), or None, () and the (field, reason) of
        each cell that cannot be read — a text over Excel's cell limit included."""
        status_raw, percent_raw, text, done_raw, evidence, problems, contact, phone = row.values
        cached = self._cached
        status, status_text = cached(self._status, status_raw, self._read_status)
        percent, percent_text = cached(self._percent, percent_raw, self._read_percent)
        done_on, done_text = cached(self._date, done_raw, self._read_date)
        if type(status) is Unreadable or type(percent) is Unreadable or type(done_on) is Unreadable:
            unreadable = [
                (UNIT_FIELDS[i], found.reason)
                for i, found in ((_STATUS, status), (_PERCENT, percent), (_DONE_ON, done_on))
                if isinstance(found, Unreadable)
            ]
            return None, (), unreadable
        # read_text() keeps a non-blank str as it is and makes None "": spare the calls
        text = text if type(text) is str and not text.isspace() else read_text(text)
        evidence = "" if evidence is None else read_text(evidence)
        problems = "" if problems is None else read_text(problems)
        contact = contact if type(contact) is str and not contact.isspace() else read_text(contact)
        phone = phone if type(phone) is str and not phone.isspace() else read_text(phone)
        report = UnitReport(
            cast("Status | None", status),
            cast("int | None", percent),
            text,
            cast("dt.date | None", done_on),
            evidence,
            problems,
            contact,
            phone,
        )
        longest = max(
            len(report.text), len(evidence), len(problems), len(report.contact), len(report.phone)
        )
        if longest > CELL_LIMIT:
            return None, (), long_text_cells(report)
        as_text = (
            status_text,
            percent_text,
            report.text,
            done_text,
            evidence,
            problems,
            report.contact,
            report.phone,
        )
        return report, as_text, []


class Hashes:
    """lead_hash / unit_hash remembered by their input (a group task's lead columns
    are the same in every member's file; untouched pre-fills repeat)."""

    def __init__(self) -> None:
        self._lead: dict[tuple[str, ...], str] = {}
        self._unit: dict[tuple[str, ...], str] = {}

    def lead(self, values: tuple[str, ...]) -> str:
        found = self._lead.get(values)
        if found is None:
            found = self._lead[values] = lead_hash(values)
        return found

    def unit(self, values: tuple[str, ...]) -> str:
        found = self._unit.get(values)
        if found is None:
            found = self._unit[values] = unit_hash(values)
        return found


def same_as(values: UnitReport, text: tuple[str, ...], latest: LatestReport | None) -> bool:
    """Whether ``values`` (read, so readable; ``text`` is its as_text()) says what
    the unit's latest report says — or nothing, when there is none yet."""
    if latest is None:
        return not any(text)
    return values == latest.view.unit_report()
