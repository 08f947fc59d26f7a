"""argparse's own words in Chinese: usage, help, and every error it raises.

argparse looks its strings up through ``gettext`` at the moment it uses them
(``_('usage: ')``, ``_('invalid choice: …')``). The program cannot rely on a
catalogue chosen by ``LANG`` (a clerk's machine may say ``C``), so
:func:`install` points argparse's two lookup names at this table. A message not
in the table (a newer Python's new wording) passes through unchanged, and
``tests/test_cli_chinese.py`` triggers every kind the program's parser can give.

The keys are argparse's msgids (Python 3.11–3.13), the values keep their
``%``-placeholders.
"""

from __future__ import annotations

import argparse

MESSAGES: dict[str, str] = {
    # help and usage
    "usage: ": "用法：",
    "options": "选项",
    "optional arguments": "选项",
    "positional arguments": "位置参数",
    "subcommands": "子命令",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    " (default: %(default)s)": "（默认：%(default)s）",
    # errors while parsing
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    # %(type)s is a Python function's name (int, parse_date): English, so it is left out
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "参数 %s 中必须给出一个",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的参数值 %r",
    "expected one argument": "需要一个参数值",
    "expected at most one argument": "最多需要一个参数值",
    "expected at least one argument": "至少需要一个参数值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是：%(matches)s",
    "unexpected option string: %s": "意外的选项：%s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的命令 %(parser_name)r（可选：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "argument \"-\" with mode %r": "参数“-”不能以 %r 模式打开",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "option '%(option)s' is deprecated": "选项“%(option)s”已弃用",
    "command '%(parser_name)s' is deprecated": "命令“%(parser_name)s”已弃用",
    "argument '%(argument_name)s' is deprecated": "参数“%(argument_name)s”已弃用",
}

#: (singular, plural) → Chinese, which has one form.
PLURALS: dict[tuple[str, str], str] = {
    ("expected %s argument", "expected %s arguments"): "需要 %s 个参数值",
    ("conflicting option string: %s", "conflicting option strings: %s"): "选项冲突：%s",
}


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    found = PLURALS.get((singular, plural))
    if found is not None:
        return found
    return singular if n == 1 else plural


def install() -> None:
    """Make argparse (in this process) speak Chinese; call before building a parser."""
    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
