"""What the clerk types for a server: a libpq ``postgresql://`` URI, checked before use.

libpq reads the rest itself: ``PGPASSFILE`` / ``~/.pgpass``, ``service=`` from a
service file, ``sslmode`` and the TLS files. A password written into the address
is refused, so none ends up in the program's settings or a shell history.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from gxdesk.store.database import DatabaseError

SCHEMES = ("postgresql://", "postgres://")


class AddressError(DatabaseError):
    """An address that cannot be used; the message is for the clerk."""


def is_server_address(text: object) -> bool:
    return str(text).lower().startswith(SCHEMES)


def check_address(url: str) -> str:
    """``url`` if it is usable; AddressError (Chinese) otherwise."""
    if not is_server_address(url):
        raise AddressError(f"不是数据库服务器地址（应以 postgresql:// 开头）：{url}")
    try:
        parts = urlsplit(url)
        _port = parts.port
        query = parse_qsl(parts.query, keep_blank_values=True)
    except ValueError as exc:
        raise AddressError(f"数据库服务器地址格式不对：{exc}") from None
    if parts.password is not None or any(k == "password" for k, _ in query):
        raise AddressError(
            "数据库服务器地址中不能写口令；请把口令写在 ~/.pgpass（或 PGPASSFILE 指定的文件）里"
        )
    if not parts.path.strip("/") and not any(k in ("dbname", "service") for k, _ in query):
        raise AddressError("数据库服务器地址缺少数据库名，如 postgresql://用户@主机:5432/库名")
    return url


def describe(url: str) -> str:
    """A short name of the server database for titles and messages (no secrets in it)."""
    parts = urlsplit(url)
    host = parts.hostname or "本机"
    port = f":{parts.port}" if parts.port else ""
    name = parts.path.strip("/") or dict(parse_qsl(parts.query)).get("service", "")
    user = f"{parts.username}@" if parts.username else ""
    return f"{user}{host}{port}/{name}"


def split_password(url: str) -> tuple[str, str | None]:
    """``url`` without a password typed into it (``user:口令@`` or ``?password=``), and that
    password. The window connects with it once but remembers only the address."""
    try:
        parts = urlsplit(url)
        password = parts.password
        query = parse_qsl(parts.query, keep_blank_values=True)
    except ValueError:
        return url, None
    typed = [v for k, v in query if k == "password"]
    if password is None and not typed:
        return url, None
    netloc = parts.netloc.rpartition("@")[2]
    if parts.username is not None:
        user = parts.netloc.rpartition("@")[0].split(":", 1)[0]
        netloc = f"{user}@{netloc}"
    rest = urlencode([(k, v) for k, v in query if k != "password"], safe="/:")
    clean = urlunsplit((parts.scheme, netloc, parts.path, rest, parts.fragment))
    from urllib.parse import unquote

    return clean, unquote(password) if password is not None else typed[-1]
