"""Chinese numerals as they appear in plans: 一 … 十二, 二十, 一百零五."""

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
