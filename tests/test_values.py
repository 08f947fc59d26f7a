"""Reading what clerks type: every accepted form, and refusals with reasons."""

from __future__ import annotations

import datetime as dt

import pytest

from gxdesk.core.model import Status
from gxdesk.core.values import Unreadable, read_date, read_percent, read_status, read_text

D = dt.date(2014, 9, 30)


@pytest.mark.parametrize(
    "typed",
    [
        D,
        dt.datetime(2014, 9, 30, 15, 20),
        41912,  # Excel serial
        41912.0,
        41912.65,  # serial with a time of day
        "2014.9.30",
        "2014/9/30",
        "2014-9-30",
        "2014-09-30",
        "2014年9月30日",
        "2014 年 9 月 30 日",
        "9月30日",  # plan year
        "9.30",
        "２０１４年９月３０日",  # full-width digits
        "20140930",
        " 2014．9．30 ",
        "41912",
    ],
)
def test_dates_clerks_type(typed: object) -> None:
    assert read_date(typed, year=2014) == D


@pytest.mark.parametrize("typed", ["2014.2.30", "下月底", "9月", "2014/13/1", 12.5, True])
def test_unreadable_dates_say_why(typed: object) -> None:
    result = read_date(typed, year=2014)
    assert isinstance(result, Unreadable)
    assert result.reason


@pytest.mark.parametrize("typed", [None, "", "   "])
def test_empty_date(typed: object) -> None:
    assert read_date(typed, year=2014) is None


@pytest.mark.parametrize(
    ("typed", "percent"),
    [
        ("50%", 50),
        ("50 %", 50),
        ("５０％", 50),
        ("0.5", 50),
        ("50", 50),
        (0.5, 50),  # a cell formatted as percent holds the fraction
        (1, 100),
        (1.0, 100),
        (0, 0),
        (50, 50),
        (60.0, 60),
        ("100%", 100),
        ("1", 1),
        ("33.3%", 33),
        (0.335, 34),
    ],
)
def test_percent(typed: object, percent: int) -> None:
    assert read_percent(typed) == percent


@pytest.mark.parametrize("typed", ["过半", "150%", -0.2, 101, "50%%", dt.date(2014, 1, 1)])
def test_unreadable_percent(typed: object) -> None:
    assert isinstance(read_percent(typed), Unreadable)


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("已完成", Status.DONE),
        ("完成", Status.DONE),
        (" 已办结 ", Status.DONE),
        ("办结", Status.DONE),
        ("进行中", Status.IN_PROGRESS),
        ("正在推进", Status.IN_PROGRESS),
        ("推 进 中", Status.IN_PROGRESS),
        ("未开始", Status.NOT_STARTED),
        ("持续推进", Status.ONGOING),
        ("长期", Status.ONGOING),
        ("暂停", Status.SUSPENDED),
        ("暂缓", Status.SUSPENDED),
    ],
)
def test_status_synonyms(typed: str, status: Status) -> None:
    assert read_status(typed) is status


def test_unknown_status_is_not_guessed() -> None:
    result = read_status("基本完成")
    assert isinstance(result, Unreadable)
    assert "基本完成" in result.reason


def test_text_keeps_what_was_typed() -> None:
    assert read_text("=SUM(A1)") == "=SUM(A1)"
    assert read_text(" 前后空格 ") == " 前后空格 "
    assert read_text(13800138000.0) == "13800138000"
    assert read_text("03711234567") == "03711234567"
    assert read_text(dt.datetime(2014, 9, 30)) == "2014-09-30"
    assert read_text("   ") == ""
    assert read_text(None) == ""
