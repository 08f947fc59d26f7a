"""Normalisation of cell text from Chinese official documents.

Word tables pad short cells with spaces for justification ("年  内",
"市财政局牵  头") and break long cells over lines ("文件下发20\n个工作日内").
Those spaces and breaks are layout, not content: they are removed between CJK
characters (and between a CJK character and a digit), while spaces inside Latin
text are kept. The raw text is always kept beside the normalised one by callers.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# CJK ideographs, CJK punctuation, full-width forms.
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2014\u2018-\u201d\u2026"
_WS = r"[ \t\u00a0\u3000\r\n]+"


@functools.cache
def _layout_patterns() -> tuple[re.Pattern[str], ...]:
    """Compiled on first use: the CJK classes take ~10 ms to compile, and every
    importer of this module (the window's task list, each command) paid it at start."""
    return (
        re.compile(rf"(?<=[{_CJK}]){_WS}(?=[{_CJK}])"),  # between two CJK characters
        re.compile(rf"(?<=[{_CJK}]){_WS}(?=[0-9])|(?<=[0-9]){_WS}(?=[{_CJK}])"),  # CJK | digit
    )


_LINEBREAK = re.compile(r"[ \t\u00a0\u3000]*[\r\n]+[ \t\u00a0\u3000]*")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


def normalize(raw: str | None) -> str:
    """Return ``raw`` without layout whitespace; ``None`` becomes ``""``."""
    if not raw:
        return ""
    text = raw.replace("\u200b", "").replace("\ufeff", "")
    between_cjk, cjk_digit = _layout_patterns()
    text = between_cjk.sub("", text)
    text = cjk_digit.sub("", text)
    text = _LINEBREAK.sub(" ", text)
    text = _SPACES.sub(" ", text)
    return text.strip()


def fold_width(text: str) -> str:
    """Full-width digits and Latin letters to ASCII ("２０１４" → "2014").

    Only NFKC on the ASCII-like range: full-width brackets （） stay as they are,
    because they belong to unit names such as 市政府办公厅（市政务公开办）.
    """
    out = []
    for ch in text:
        if (
            "\uff10" <= ch <= "\uff19"
            or "\uff21" <= ch <= "\uff3a"
            or "\uff41" <= ch <= "\uff5a"
            or ch in "\uff0e\uff05\uff0f\uff0d"
        ):
            out.append(unicodedata.normalize("NFKC", ch))
        else:
            out.append(ch)
    return "".join(out)
