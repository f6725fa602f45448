"""A lean HTTP/1.1 keep-alive client for generating load: a request prepared once, its status back.

General-purpose clients (httpx over httpcore and anyio) spend milliseconds of CPU per request;
on a small machine they, not the server under test, would set the pace. This one writes the
prepared bytes and reads the answer by its Content-Length, nothing more.
"""

from __future__ import annotations

import asyncio

HEADER_END = b"\r\n\r\n"


def request(
    method: str, path: str, host: str, headers: dict[str, str] | None = None, body: bytes = b""
) -> bytes:
    """The bytes of one request, to be sent as they are, again and again."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            return int(value)
        if name == b"transfer-encoding":
            raise ValueError("chunked answers are not supported")
    return 0


class Connection:
    """One keep-alive connection; requests go one at a time."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        reader, writer = await asyncio.open_connection(host, port)
        return cls(reader, writer)

    async def exchange(self, prepared: bytes) -> tuple[int, bytes]:
        """Sends a prepared request; the answer's status and body."""
        self.writer.write(prepared)
        head = await self.reader.readuntil(HEADER_END)
        body = await self.reader.readexactly(content_length(head))
        return int(head[9:12]), body

    async def close(self) -> None:
        self.writer.close()
        await self.writer.wait_closed()


async def answers(host: str, port: int, prepared: bytes) -> int | None:
    """The status of one request on a fresh connection; None if there is no answer."""
    try:
        connection = await Connection.open(host, port)
    except OSError:
        return None
    try:
        status, _ = await connection.exchange(prepared)
        return status
    except (OSError, asyncio.IncompleteReadError):
        return None
    finally:
        await connection.close()
