"""Chinese numerals as they appear in plans: 一 … 十二, 二十, 一百零五 — read and written."""

from __future__ import annotations

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def parse_chinese_number(token: str) -> int | None:
    """Value of a Chinese numeral below 10,000, or None if ``token`` is not one."""
    if not token:
        return None
    if not any(ch in _UNITS for ch in token):  # digit by digit: 二〇一五 → 2015
        if not all(ch in _DIGITS for ch in token):
            return None
        return int("".join(str(_DIGITS[ch]) for ch in token))
    total, digit = 0, None
    for ch in token:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


_WRITTEN = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 25 → 二十五, as category numbers are written; Arabic from 100 on."""
    if 0 <= n < 10:
        return _WRITTEN[n]
    if 10 <= n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _WRITTEN[tens]) + "十" + (_WRITTEN[ones] if ones else "")
    return str(n)


def category_label(seq: int, title: str) -> str:
    """ "三、推进财政资金信息公开": how the plan numbers a category, wherever it is shown."""
    return f"{chinese_number(seq)}、{title}"
