"""Chinese line breaking (禁则), escaping and glyph fallback of the printed documents."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from report_helpers import pdf_fonts, pdf_text
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import SimpleDocTemplate

from gxdesk.exchange.pdf.fonts import report_fonts
from gxdesk.exchange.pdf.text import CANNOT_END, CANNOT_START, CJKParagraph, markup

FONTS = report_fonts(ROOT / "resources" / "fonts")
STYLE = ParagraphStyle("t", fontName=FONTS.body, fontSize=16, leading=28, wordWrap="CJK")
ALPHABET = "政府信息公开工作要点任务推进" + "，。、；：？！）》”（《“" + "2014AB"


def lines_of(text: str, width: float) -> list[str]:
    p = CJKParagraph(markup(text, FONTS.body, FONTS), STYLE)
    p.wrap(width, 10_000)
    return ["".join(w.text for w in line.words) for line in p.blPara.lines]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=120), st.integers(120, 440))
def test_wrapped_lines_keep_the_rules_and_every_character(text: str, width: int) -> None:
    lines = lines_of(text, width)
    assert "".join(lines) == text
    for prev, line in zip(lines, lines[1:], strict=False):
        # A rule is broken only when half a line of marks left no other place.
        if line and line[0] in CANNOT_START or prev and prev[-1] in CANNOT_END:
            assert sum(c in CANNOT_START | CANNOT_END for c in prev) > len(prev) // 2 - 1


def test_a_comma_at_the_edge_takes_the_character_before_it_along() -> None:
    width = 16 * 10 + 1  # room for ten characters
    lines = lines_of("一二三四五六七八九十，十一", width)
    assert lines == ["一二三四五六七八九", "十，十一"]
    lines = lines_of("一二三四五六七八九“十一”", width)
    assert lines[0] == "一二三四五六七八九" and lines[1].startswith("“")


def test_numbers_stay_whole() -> None:
    lines = lines_of("一二三四五六七八九2014年", 16 * 10 + 1)
    assert lines == ["一二三四五六七八九", "2014年"]


def test_markup_in_unit_text_prints_as_typed(tmp_path: Path) -> None:
    evil = '<font name="Courier" size="40">大</font> &amp; & <para> <br/> 堃'
    out = tmp_path / "t.pdf"
    doc = SimpleDocTemplate(str(out), invariant=1, initialFontName=FONTS.body)
    doc.build([CJKParagraph(markup(evil, FONTS.body, FONTS), STYLE)])
    text = "".join(pdf_text(out).split())
    assert "".join(evil.split()) in text
    # 堃 is outside GB2312: printed in the fallback face, not as an empty box
    assert '<font name="GX-wqy' in markup("堃", FONTS.body, FONTS) or FONTS.covers(FONTS.body, "堃")
    assert all(emb == "yes" for _n, emb in pdf_fonts(out))


def test_a_paragraph_split_over_two_pages_keeps_its_text_whole() -> None:
    text = "政府信息公开工作要点，任务推进；“谁公开、谁解读”。" * 12
    p = CJKParagraph(markup(text, FONTS.body, FONTS), STYLE)
    p.wrap(200, 10_000)
    head, tail = p.split(200, STYLE.leading * 3.5)
    tail.wrap(200, 10_000)
    printed = [
        "".join(w.text for w in line.words)
        for part in (head, tail)
        for line in part.blPara.lines
    ]
    assert len(printed) > 4 and "".join(printed) == text  # no space where it split
