"""Chinese text for reportlab: escaped markup, glyph fallback, and line breaking.

reportlab's CJK wrapping lets a line begin with ，；：？！》” (its table of
characters that cannot start a line is Japanese-oriented), hangs one
punctuation mark into the margin, and never keeps an opening bracket off a
line's end. :class:`CJKParagraph` breaks lines by the Chinese rules instead
(禁则): no line starts with closing punctuation, none ends with opening
punctuation, digits and Latin words stay whole; a mark that would break a rule
takes the character before it onto the next line, so nothing leaves the type
area.

Text supplied by units goes through :func:`markup`, which escapes it (reportlab's
paragraph markup is an injection path: ``<font>``, ``&``, ``<para>`` in a
progress text must print as typed) and prints the odd character the chosen face
lacks in the fallback face rather than as an empty box.
"""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfmetrics import getAscentDescent
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import FragLine
from reportlab.rl_config import _FUZZ

from gxdesk.exchange.pdf.fonts import FontSet

# 行首禁则 / 行尾禁则 (GB/T 15834 punctuation plus their half-width forms).
CANNOT_START = frozenset(
    "，。、；：？！）》」』】〕〉〗”’…～·・％‰℃々〻ー"
    ",.;:?!)]}%"
    "\uff09\uff3d\uff5d\uff0e\uff01\uff1f\uff1a\uff1b\uff05"
)
CANNOT_END = frozenset("（《「『【〔〈〖“‘([{￥$＄\uff08\uff3b\uff5b")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _keep_together(a: str, b: str) -> bool:
    """Digits and Latin letters of one word (2014, 10%, PDF) are not broken apart."""
    return a.isascii() and b.isascii() and a.isalnum() and b.isalnum()


def break_ok(before: str, after: str) -> bool:
    """May a line end after ``before`` and the next begin with ``after``?"""
    return not (after in CANNOT_START or before in CANNOT_END or _keep_together(before, after))


def markup(text: str, font: str, fonts: FontSet) -> str:
    """Unit-supplied ``text`` as safe paragraph markup in ``font``, line breaks kept.

    Characters ``font`` has no glyph for are set in the fallback face.
    """
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    out: list[str] = []
    fallback = fonts.fallback
    for line_no, line in enumerate(text.split("\n")):
        if line_no:
            out.append("<br/>")
        run: list[str] = []
        for ch in line:
            if fallback and fallback != font and not fonts.covers(font, ch) and (
                fonts.covers(fallback, ch)
            ):
                if run:
                    out.append(escape("".join(run)))
                    run = []
                out.append(f'<font name="{fallback}">{escape(ch)}</font>')
            else:
                run.append(ch)
        if run:
            out.append(escape("".join(run)))
    return "".join(out)


class _Glyph(str):
    """One character with its fragment (font, size) and width, as reportlab's CJK lines want."""

    frag: object
    width: float


_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}


def _glyphs(frags: list[Any]) -> list[_Glyph]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    out: list[_Glyph] = []
    for f in frags:
        text = f.text
        if isinstance(text, bytes):
            text = text.decode("utf8")
        cb = getattr(f, "cbDefn", None)
        widths = _WIDTHS.setdefault((f.fontName, f.fontSize), {})
        for ch in text or ("",):
            g = _Glyph(ch)
            g.frag = f
            if cb is not None:
                g.width = getattr(cb, "width", 0)
            else:
                w = widths.get(ch)
                if w is None:
                    w = widths[ch] = stringWidth(ch, f.fontName, f.fontSize)
                g.width = w
            out.append(g)
    return out


def _break_point(glyphs: list[_Glyph], start: int, over: int) -> int:
    """Where the line that overflows at ``over`` should end, by the 禁则.

    Moves the break back over at most half the line; gives up (breaks at
    ``over``) only for a line that is nothing but marks.
    """
    limit = start + max(1, (over - start) // 2)
    brk = over
    while brk > limit and not break_ok(glyphs[brk - 1], glyphs[brk] or " "):
        brk -= 1
    return brk if brk > limit or break_ok(glyphs[brk - 1], glyphs[brk] or " ") else over


_BOUNDS: dict[tuple[str, float], tuple[float, float]] = {}


def _make_line(glyphs: list[_Glyph], max_width: float, width: float, line_break: bool) -> Any:
    """One CJK line for reportlab's drawing code (as ``makeCJKParaLine`` builds it).

    Runs of glyphs are grouped by their fragment object: reportlab compares every
    pair of fragments attribute by attribute, which measured a fifth of a
    2,000-task report; glyphs of one fragment are the same by construction.
    """
    words: list[Any] = []
    size = ascent = descent = 0.0
    run: list[str] = []
    frag: Any = None
    for g in glyphs:
        if g.frag is not frag:
            if frag is not None:
                w = frag.clone()
                w.text = "".join(run)
                words.append(w)
            frag, run = g.frag, []
            key = (frag.fontName, frag.fontSize)
            bounds = _BOUNDS.get(key)
            if bounds is None:
                bounds = _BOUNDS[key] = getAscentDescent(frag.fontName, frag.fontSize)
            size = max(size, frag.fontSize)
            ascent = max(ascent, bounds[0])
            descent = min(descent, bounds[1])
        run.append(g)
    if frag is not None:
        w = frag.clone()
        w.text = "".join(run)
        words.append(w)
    return FragLine(
        kind=1, extraSpace=max_width - width, wordCount=1, words=words, fontSize=size,
        ascent=ascent, descent=descent, maxWidth=max_width, currentWidth=width,
        lineBreak=line_break,
    )  # fmt: skip


def split_lines(frags: list[Any], max_widths: list[float]) -> Any:
    """reportlab ``ParaLines`` of ``frags`` broken by the Chinese rules."""
    from reportlab.platypus.paragraph import ParaLines

    glyphs = _glyphs(frags)
    lines: list[Any] = []
    n = len(glyphs)
    start = i = 0
    used = 0.0
    max_width = max_widths[0]

    def next_width() -> float:
        return max_widths[min(len(lines), len(max_widths) - 1)]

    while i < n:
        g = glyphs[i]
        if hasattr(g.frag, "lineBreak"):
            lines.append(_make_line(glyphs[start : i + 1], max_width, used, True))
            i += 1
            start, used = i, 0.0
            max_width = next_width()
            continue
        if used + g.width > max_width + _FUZZ and i > start:
            brk = _break_point(glyphs, start, i)
            width = sum(x.width for x in glyphs[start:brk])
            lines.append(_make_line(glyphs[start:brk], max_width, width, False))
            start = i = brk
            used = 0.0
            max_width = next_width()
            continue
        used += g.width
        i += 1
    if start < n:
        lines.append(_make_line(glyphs[start:], max_width, used, False))
    return ParaLines(kind=1, lines=lines)


def _split_frags(bl_para: Any, start: int, stop: int) -> list[Any]:
    """The fragments of lines ``start:stop``, joined as they were.

    reportlab's own version appends a space to every line it rejoins (right for
    words, wrong for Chinese): a cell split over two pages then showed gaps where
    its lines had broken.
    """
    return [w for line in bl_para.lines[start:stop] for w in line.words]


class CJKParagraph(Paragraph):
    """A reportlab paragraph whose lines break by the Chinese rules (style ``wordWrap='CJK'``)."""

    def _get_split_blParaFunc(self):  # type: ignore[no-untyped-def]  # noqa: N802
        return _split_frags

    def breakLinesCJK(self, maxWidths):  # type: ignore[no-untyped-def]  # noqa: N802, N803
        if not isinstance(maxWidths, list | tuple):
            maxWidths = [maxWidths]  # noqa: N806
        if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
            return self.blPara
        self.height = 0
        from reportlab.platypus.paragraph import ParaLines, _handleBulletWidth

        _handleBulletWidth(self.bulletText, self.style, maxWidths)
        if not self.frags:
            style = self.style
            return ParaLines(kind=0, fontSize=style.fontSize, fontName=style.fontName,
                             textColor=style.textColor, lines=[], ascent=style.fontSize,
                             descent=-0.2 * style.fontSize)  # fmt: skip
        # A table wraps each cell three or four times (height, split, draw) at one width.
        key = tuple(maxWidths)
        cached = getattr(self, "_gx_lines", None)
        if cached is not None and cached[0] == key:
            return cached[1]
        lines = split_lines(self.frags, list(maxWidths))
        self._gx_lines = (key, lines)
        return lines
