"""argparse speaks Chinese: every kind of message the command line can give.

Run through the real ``gxdesk.cli.main`` (in this process, on a seed copy);
English left over is found by removing what the user typed and the program's
own names (commands, options, choices) and looking for any Latin word.
"""

from __future__ import annotations

import argparse
import re

import pytest
from ui_helpers import seed_copy

from gxdesk.cli import argparse_zh, main
from gxdesk.cli.common import CliError, Parser

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
#: Names that are the program's own interface, not prose: they stay as typed.
OWN_NAMES = re.compile(
    r"--?[a-z][a-z-]*|gxdesk|import-plan|export-units|export-plan|copy-to|grant-lead|grant-unit|"
    r"\b(?:gui|tasks|calendar|merge|check|backup|restore|report|remind|red|yellow|green|table|gantt|"
    r"files|file|dir|out|UNIT|ON|DB|FILE|DIR|OUT|YEAR|ISSUED|VIEW|SCREENSHOT|SIZE|WxH|"
    r"NOTE|HOLIDAY|WORKDAY|DATE|xlsx|docx|txt|pdf|png|PNG|PDF|JSON|json|YYYY|MM|DD|postgresql|sqlite)\b"
)


def english_left(text: str, *typed: str) -> list[str]:
    for t in typed:
        text = text.replace(t, "")
    return LATIN_WORD.findall(OWN_NAMES.sub("", text))


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("GXDESK_HOME", str(tmp_path / "home"))
    return str(seed_copy(tmp_path))


@pytest.mark.parametrize(
    ("argv", "expected", "typed"),
    [
        (["tasks", "--light", "purple"], "参数 --light：无效的选项 'purple'（可选：", ["purple"]),
        (["frobnicate"], "参数 命令：无效的选项 'frobnicate'", ["frobnicate"]),
        (["tasks", "extra"], "无法识别的参数：extra", ["extra"]),
        (["import-plan"], "缺少必需的参数：文件", []),
        (["tasks", "--unit"], "参数 --unit：需要一个参数值", []),
        (["calendar", "20x4"], "参数 年份：年份应为四位数字", ["20x4"]),
        (["tasks", "--on", "2014-13-01"], "参数 --on：", ["2014-13-01"]),
        (["merge"], "缺少必需的参数：文件", []),
        (["gui", "--view", "list"], "无效的选项 'list'", ["list"]),
    ],
)
def test_each_error_is_one_chinese_line_with_exit_2(db, capsys, argv, expected, typed):
    code = main(["--db", db, *argv])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1, err
    assert expected in err, err
    assert english_left(err, *typed) == [], err


def _commands() -> list[str]:
    from gxdesk.cli import build_parser

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return list(sub.choices)


@pytest.mark.parametrize("argv", [["-h"], ["merge", "--help"]] + [[c, "-h"] for c in _commands()])
def test_help_is_chinese(db, capsys, argv):
    with pytest.raises(SystemExit) as exit_:
        main(["--db", db, *argv])
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    assert out.startswith("用法：gxdesk")
    assert "显示本帮助并退出" in out
    assert "\n选项：\n" in out
    for english in ("usage:", "options:", "show this help", "positional arguments"):
        assert english not in out
    assert english_left(out) == [], out


def test_top_level_help_lists_commands_and_version_in_chinese(db, capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "位置参数" in out and "命令" in out and "显示版本号并退出" in out


def _parser() -> Parser:
    """A parser with one of every shape, to reach the messages gxdesk's own commands lack."""
    argparse_zh.install()
    p = Parser(prog="gxdesk")
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--dry-json", action="store_true")
    p.add_argument("--pair", nargs=2)
    p.add_argument("--some", nargs="+")
    p.add_argument("--count", type=int)
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--alpha", action="store_true")
    group.add_argument("--beta", action="store_true")
    return p


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--dry", "--alpha"], "选项 --dry 有歧义，可能是：--dry-run, --dry-json"),
        (["--pair", "a", "--alpha"], "参数 --pair：需要 2 个参数值"),
        (["--some", "--alpha"], "参数 --some：至少需要一个参数值"),
        (["--count", "x", "--alpha"], "参数 --count：无效的值：'x'"),
        ([], "参数 --alpha --beta 中必须给出一个"),
        (["--alpha", "--beta"], "参数 --beta：不能与参数 --alpha 同时使用"),
        (["--alpha=1"], "参数 --alpha：多余的参数值 '1'"),
    ],
)
def test_the_rarer_messages_are_chinese_too(argv, expected):
    with pytest.raises(CliError) as err:
        _parser().parse_args(argv)
    assert str(err.value) == f"参数错误：{expected}"


def test_an_unknown_message_passes_through_unchanged():
    assert argparse_zh.gettext("a message from a future Python") == "a message from a future Python"
    assert argparse_zh.ngettext("%s thing", "%s things", 2) == "%s things"


def test_every_message_argparse_looks_up_here_is_in_the_table():
    """Every msgid this Python's argparse passes to _()/ngettext() has a translation."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(argparse))
    missing = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            args = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if node.func.id == "_" and args and isinstance(args[0], str):
                if args[0] not in argparse_zh.MESSAGES and not _internal(args[0]):
                    missing.append(args[0])
            elif (
                node.func.id == "ngettext"
                and len(args) >= 2
                and (args[0], args[1]) not in argparse_zh.PLURALS
            ):
                missing.append(args[0])
    assert missing == [], missing


def _internal(msgid: str) -> bool:
    """Messages only a programmer building a parser wrongly can see (raised as ValueError)."""
    return msgid in {
        ".__call__() not defined",
        "conflicting subparser: %s",
        "conflicting subparser alias: %s",
        "cannot merge actions - two groups are named %r",
        "'required' is an invalid argument for positionals",
        "invalid option string %(option)r: must start with a character %(prefix_chars)r",
        "dest= is required for options like %r",
        "invalid conflict_resolution value: %r",
        "mutually exclusive arguments must be optional",
        "cannot have multiple subparser arguments",
        "%r is not callable",
        "length of metavar tuple does not match nargs",
        "unexpected option string: %s",
    }


def test_help_columns_line_up_on_a_terminal_with_chinese_metavars(capsys):
    """A Chinese character is two columns wide: the help texts still start in one column."""
    import unicodedata

    with pytest.raises(SystemExit):
        main(["tasks", "-h"])
    out = capsys.readouterr().out

    def columns(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    starts = set()
    for line in out.splitlines():
        m = re.match(r"^(\s+-\S.*?\s{2,})(\S.*)$", line)
        if m:
            starts.add(columns(m.group(1)))
    assert len(starts) == 1, out
