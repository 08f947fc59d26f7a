"""责任单位 phrases → :class:`UnitSpec`: which units, in which role.

A plan names units with a verb after them: "市财政局牵头", "职业技术学院落实",
"市编办会同市政府法制办牵头", "A牵头，B、C配合". Tasks, exported workbooks and
report figures are gathered per unit, so a phrase must become a list of unit
names with roles; what cannot be split sensibly is still split as well as
possible, but flagged ``needs_review`` for a clerk.

Rules (beyond the design notes):

- Names are separated by 、，,；;/ and by whitespace *between two complete names*
  (see :func:`_space_separates`): other spaces are justification padding and
  are removed, as by :func:`normalize`. Brackets （…） (…) 【…】 and all inside
  them belong to the name: "市政府办公厅（市政务公开办）" is one unit.
- 和/及/以及/与 split two names only when both sides end like a unit
  (…局, …委, …办, …中心, …政府, …) and neither side is a group:
  "行政机关和组织" stays one name.
- A verb (牵头 LEAD, 负责 RESPONSIBLE, 落实 IMPLEMENTING, 配合/协助/参与
  COOPERATING) applies to every name since the previous verb; with "A会同B牵头"
  A is LEAD and B is CO_LEAD. "A、B牵头" makes both LEAD (no rank is written).
- Names with no verb at all are LEAD (a single 责任单位/牵头单位 column); groups
  with no verb are RESPONSIBLE (each member answers for itself). Verb-less names
  after a verb ("A牵头，B") are LEAD too, but flagged needs_review.
- A group: a name starting with 各, or containing 各部门/各单位/各级/各有关/各相关,
  or ending with 有关部门/相关部门/有关单位/相关单位/机关和组织, or containing 及其.
- "配合：…" (or "配合单位：…") in the text starts the cooperating part; the
  ``cooperating`` argument (a separate 配合单位 column) is the same thing. Every
  unit there is COOPERATING. UnitSpec.text is then "<责任单位>；配合：<配合单位>",
  which parses back to the same spec.
- Duplicates (same name) are dropped, the first occurrence wins.
- needs_review: unbalanced brackets, a verb or 会同 with no name before it, a
  name over 30 characters, a name ending in 等, a non-group name not ending like
  a unit, or verb-less names after a verb.
"""

from __future__ import annotations

import re

from gxdesk.core.model import Role, UnitRef, UnitSpec
from gxdesk.core.text import fold_width, normalize

__all__ = ["canonical_text", "is_group_name", "parse_units"]

_VERBS: dict[str, Role] = {
    "牵头": Role.LEAD,
    "负责": Role.RESPONSIBLE,
    "落实": Role.IMPLEMENTING,
    "配合": Role.COOPERATING,
    "协助": Role.COOPERATING,
    "参与": Role.COOPERATING,
}
_WITH = "会同"
_SEPARATORS = frozenset("、，,；;/ 。")
_OPEN, _CLOSE = "（(【[", "）)】]"
_MAX_NAME = 30

# How a unit's name ends (…局, …办公室, …中心, …政府, 县/区/镇 names, a bracket).
_UNIT_END = re.compile(
    r"(?:[局委办院厅部处室司府校所站队会社馆台行组团联协区县市镇乡村关）]"
    r"|中心|部门|单位|机构|街道|社区)$"
)
# The first character of a right-hand piece that cannot start a new unit name.
_NOT_A_START = frozenset("办机牵负配协参落会局委厅处室部心司府等和及与（(")
_GROUP = re.compile(
    r"^各|各(?:部门|单位|级|有关|相关)|(?:有关|相关)(?:部门|单位)$|机关和组织$|及其"
)
_CONJ = re.compile(r"以及|和|及|与")
_COOP_LABEL = re.compile(r"(?:^|(?<=[；;，,。 ]))配合(?:单位)?[:：]")
_MAIN_LABEL = re.compile(r"^(?:牵头|责任)单位[:：]")
_WS = re.compile(r"[ \t\u00a0\u3000\r\n\u200b\ufeff]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def is_group_name(name: str) -> bool:
    """True for a name that stands for several units (市级各部门, 各有关单位, …)."""
    return bool(_GROUP.search(name))


def _space_separates(left: str, right: str) -> bool:
    """Whether whitespace between ``left`` (text so far) and ``right`` separates names.

    Both pieces must be at least two characters, ``left`` must end like a unit
    and ``right`` must begin with a CJK character that can start a name. So
    "市财政局 市审计局" is two names, "市财政局牵  头" and "市政府 办公室" are not.
    """
    return (
        len(left) >= 2
        and len(right) >= 2
        and bool(_UNIT_END.search(left))
        and bool(_CJK.match(right))
        and right[0] not in _NOT_A_START
    )


def canonical_text(raw: str | None) -> str:
    """The phrase as stored in ``UnitSpec.text``.

    Widths folded and layout whitespace removed as :func:`normalize` does, except
    whitespace that separates two names, which is kept as one space.
    """
    pieces = [p for p in _WS.split(fold_width(raw or "")) if p]
    groups: list[str] = []
    current: list[str] = []
    for piece in pieces:
        if current:
            left = normalize(" ".join(current))
            tail = left.rsplit(" ", 1)[-1]
            if _space_separates(tail, piece) and _space_separates(left, piece):
                groups.append(left)
                current = []
        current.append(piece)
    if current:
        groups.append(normalize(" ".join(current)))
    return " ".join(g for g in groups if g)


def _tokens(text: str) -> tuple[list[tuple[str, str]], bool]:
    """Split into ("name", …), ("verb", …), ("with", "") tokens; bool = brackets ok."""
    tokens: list[tuple[str, str]] = []
    name: list[str] = []
    depth, ok, i = 0, True, 0

    def flush() -> None:
        if name:
            tokens.append(("name", "".join(name)))
            name.clear()

    while i < len(text):
        ch = text[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
            if depth < 0:
                ok, depth = False, 0
        elif depth == 0:
            two = text[i : i + 2]
            if two in _VERBS or two == _WITH:
                flush()
                tokens.append(("verb", two) if two in _VERBS else ("with", ""))
                i += 2
                continue
            if ch in _SEPARATORS:
                flush()
                i += 1
                continue
        name.append(ch)
        i += 1
    flush()
    return tokens, ok and depth == 0


def _split_conj(name: str) -> list[str]:
    """ "市财政局和市审计局" → two names; "行政机关和组织" stays one."""
    if is_group_name(name) or "（" in name or "(" in name:
        return [name]
    for m in _CONJ.finditer(name):
        left, right = name[: m.start()], name[m.end() :]
        if (
            len(left) >= 2
            and len(right) >= 3
            and _UNIT_END.search(left)
            and _UNIT_END.search(right)
            and not is_group_name(right)
        ):
            return [left, *_split_conj(right)]
    return [name]


def _parse_part(text: str, *, cooperating: bool) -> tuple[list[UnitRef], bool]:
    tokens, review = _tokens(text)
    review = not review
    refs: list[UnitRef] = []
    pending: list[tuple[str, bool]] = []  # (name, named after 会同)
    after_with = had_verb = False

    def emit(name: str, role: Role | None) -> None:
        group = is_group_name(name)
        if cooperating:
            role = Role.COOPERATING
        elif role is None:
            role = Role.RESPONSIBLE if group else Role.LEAD
        refs.append(UnitRef(name, role, group))

    previous = ""
    for kind, value in tokens:
        if kind == "verb" and previous == "verb":  # 牵头负责: the first verb counts
            continue
        previous = kind
        if kind == "name":
            pending.extend((n, after_with) for n in _split_conj(value))
        elif kind == "with":
            review |= not pending or after_with
            after_with = True
        else:
            review |= not pending
            role = _VERBS[value]
            for name, co in pending:
                emit(name, Role.CO_LEAD if co and role is Role.LEAD else role)
            pending, after_with, had_verb = [], False, True
    review |= after_with or (had_verb and bool(pending))
    for name, _co in pending:
        emit(name, None)
    for ref in refs:
        review |= (
            len(ref.name) > _MAX_NAME
            or "等" in ref.name
            or (not ref.is_group and not _UNIT_END.search(ref.name))
        )
    return refs, review


def parse_units(text: str, cooperating: str = "") -> UnitSpec:
    """Interpret a 责任单位 phrase, plus an optional separate 配合单位 column."""
    main, coop = canonical_text(text), canonical_text(cooperating)
    phrase = "；".join(p for p in (main, f"配合：{coop}" if coop else "") if p)
    m = _COOP_LABEL.search(phrase)
    if m:
        main, coop = phrase[: m.start()], phrase[m.end() :]
    else:
        main, coop = phrase, ""
    main = _MAIN_LABEL.sub("", main)
    lead_refs, review_main = _parse_part(main, cooperating=False)
    coop_refs, review_coop = _parse_part(coop, cooperating=True)
    seen: set[str] = set()
    refs: list[UnitRef] = []
    for ref in lead_refs + coop_refs:
        if ref.name not in seen:
            seen.add(ref.name)
            refs.append(ref)
    review = review_main or review_coop or (bool(phrase) and not refs)
    return UnitSpec(phrase, tuple(refs), review)
