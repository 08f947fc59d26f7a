"""The command line: a thin face over the same core as the window.

Every command exits 0 on success; on bad input it prints one line (Chinese) on
stderr, exits non-zero, and leaves the database exactly as it was.

Each module of this package holds one group of commands and a ``register(sub)``
that adds its sub-parsers, each with ``func`` set to the function that runs it.
A new command is a new module (or a function in one) and one line in ``GROUPS``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from gxdesk import __version__
from gxdesk.cli import (
    argparse_zh,
    exchange,
    gantt,
    gui,
    maintenance,
    plan,
    report,
    selftest,
    server,
)
from gxdesk.cli.common import EXIT_BAD_INPUT, CliError, Parser, db_arg

GROUPS = (gui, plan, exchange, maintenance, report, gantt, server)


def build_parser() -> argparse.ArgumentParser:
    argparse_zh.install()
    p = Parser(prog="gxdesk", description="政务公开工作台账")
    p.add_argument(
        "--db",
        type=db_arg,
        metavar="数据库",
        help="数据库文件，或服务器 postgresql://用户@主机:端口/库名（默认：用户自己的数据库）",
    )
    p.add_argument(
        "--version", action="version", version=f"gxdesk {__version__}", help="显示版本号并退出"
    )
    selftest.add_flag(p)
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=Parser)
    for group in GROUPS:
        group.register(sub)
    return p


#: The errors a command reports as one line, by the module that defines each.
_KNOWN_ERRORS = (
    ("gxdesk.core.plan", "PlanError"),
    ("gxdesk.exchange.safety", "BadFileError"),
    ("gxdesk.store.sqlite_file", "DatabaseError"),
    ("gxdesk.core.workdays", "CalendarUnknownError"),
    ("gxdesk.store.merge.records", "StalePlanError"),
)


def _known_errors() -> tuple[type[BaseException], ...]:
    """The known error classes whose modules are loaded: only those can have been raised.

    Looked up, not imported: this runs for every exception that leaves a command,
    ``--help``'s SystemExit included, and importing the merge's module for its
    StalePlanError would load SQLAlchemy (about a second) to print a help text.
    """
    found: list[type[BaseException]] = [CliError]
    for module, name in _KNOWN_ERRORS:
        loaded = sys.modules.get(module)
        if loaded is not None:
            found.append(getattr(loaded, name))
    return tuple(found)


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:  # no command: the window
            return gui.cmd_gui(args)
        return int(args.func(args))
    except BrokenPipeError:  # e.g. `gxdesk tasks | head`: the reader left, nothing to say
        sys.stderr = None
        return 0
    except _known_errors() as exc:
        print(f"gxdesk: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("gxdesk: 已取消", file=sys.stderr)
        return 130
    except Exception as exc:  # a failing disk or file, a server's refusal: one line, no traceback
        from gxdesk.store.errors import describe
        from gxdesk.store.server.reasons import server_failure

        line = server_failure(exc) or describe(exc)
        if line is None:
            raise
        print(f"gxdesk: {line}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
