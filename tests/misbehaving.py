"""A local web server that misbehaves on purpose, for the reliability tests and the soak benchmark.

``MisbehavingServer`` listens on 127.0.0.1 (a free port), answers each connection in its own
thread, counts every request by path (query included), and answers each path with a
*behaviour*: a function ``(request, server) -> None`` that writes to the socket however it
likes — a proper response, nothing for a while, half a body followed by a TCP reset, an
endless chain of redirects, 50 MB of HTML, a gzip bomb. The behaviours below are the web's
usual ways of failing a crawler; compose them with :func:`after` and :func:`first`.

    with MisbehavingServer({"/": page(html("Home", links=["/plan"])), "/plan": reset_mid_body(...)}) as site:
        site.url("/")            # http://127.0.0.1:PORT/
        site.hits("/plan")       # how many requests /plan received

Paths are matched exactly first, then by the longest ``prefix*`` key; anything else is 404.
``robots`` is the behaviour of /robots.txt (default: 404, i.e. no rules).

Runnable on its own, to poke at it with a browser or curl::

    python tests/misbehaving.py   # prints the address of a server showing every behaviour
"""

from __future__ import annotations

import collections
import gzip
import http.server
import socket
import socketserver
import struct
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping

__all__ = [
    "MisbehavingServer",
    "Request",
    "Behaviour",
    "html",
    "page",
    "status",
    "not_found",
    "redirect",
    "endless_redirects",
    "slow",
    "trickle",
    "reset_mid_body",
    "truncated",
    "huge",
    "gzip_bomb",
    "first",
    "after",
    "endless_calendar",
    "minimal_pdf",
    "closed_port",
    "field_toml",
]


@dataclass
class Request:
    method: str
    path: str
    headers: Mapping[str, str]
    handler: http.server.BaseHTTPRequestHandler = field(repr=False)

    @property
    def socket(self) -> socket.socket:
        return self.handler.connection

    def write(self, data: bytes) -> None:
        self.handler.wfile.write(data)
        self.handler.wfile.flush()

    def head(self, code: int, headers: Iterable[tuple[str, str]] = (), reason: str | None = None) -> None:
        """The status line and headers (Content-Length is up to the caller)."""
        h = self.handler
        h.send_response_only(code, reason)
        h.send_header("Date", h.date_time_string())
        for name, value in headers:
            h.send_header(name, value)
        h.end_headers()
        h.wfile.flush()

    def respond(self, code: int, body: bytes = b"", headers: Iterable[tuple[str, str]] = ()) -> None:
        headers = list(headers)
        if not any(name.lower() == "content-length" for name, _ in headers):
            headers.append(("Content-Length", str(len(body))))
        self.head(code, headers)
        if self.method != "HEAD" and body:
            self.write(body)

    def reset(self) -> None:
        """Abort the connection with a TCP RST (SO_LINGER 0), as a crashing server or proxy does."""
        self.handler.close_connection = True
        try:
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        raise _Abort


Behaviour = Callable[[Request, "MisbehavingServer"], None]


class _Abort(Exception):
    """Raised by a behaviour to drop the connection without a word."""


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers: resets then hit pooled connections
    server: "_TCPServer"

    def log_message(self, *args) -> None:  # quiet
        pass

    def handle(self) -> None:
        try:
            super().handle()
        except (_Abort, OSError, ValueError):
            self.close_connection = True

    def finish(self) -> None:
        try:
            super().finish()
        except (OSError, ValueError):
            pass

    def _serve(self) -> None:
        owner = self.server.owner
        owner._count(self.path)
        request = Request(self.command, self.path, dict(self.headers), self)
        behaviour = owner.behaviour_for(self.path)
        behaviour(request, owner)

    do_GET = _serve
    do_HEAD = _serve


class _TCPServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    owner: "MisbehavingServer"

    def handle_error(self, request, client_address) -> None:  # no tracebacks on stderr
        pass


class MisbehavingServer:
    """A threaded HTTP server on 127.0.0.1 answering each path with a behaviour."""

    def __init__(self, routes: Mapping[str, Behaviour] | None = None, robots: Behaviour | None = None,
                 default: Behaviour | None = None):
        self.routes: dict[str, Behaviour] = dict(routes or {})
        self.routes.setdefault("/robots.txt", robots or not_found())
        self.default = default or not_found()
        self.counts: collections.Counter[str] = collections.Counter()
        self._lock = threading.Lock()
        self._server: _TCPServer | None = None
        self._thread: threading.Thread | None = None

    # -- life -------------------------------------------------------------------------
    def start(self) -> "MisbehavingServer":
        self._server = _TCPServer(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True, name=f"misbehaving-{self.port}")
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "MisbehavingServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "start the server first"
        return self._server.server_address[1]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base + path

    # -- routing and counting ---------------------------------------------------------
    def route(self, path: str, behaviour: Behaviour) -> None:
        self.routes[path] = behaviour

    def behaviour_for(self, path: str) -> Behaviour:
        if path in self.routes:
            return self.routes[path]
        prefixes = [k for k in self.routes if k.endswith("*") and path.startswith(k[:-1])]
        if prefixes:
            return self.routes[max(prefixes, key=len)]
        return self.default

    def _count(self, path: str) -> None:
        with self._lock:
            self.counts[path] += 1

    def hits(self, path: str) -> int:
        with self._lock:
            return self.counts[path]

    def hits_under(self, prefix: str) -> int:
        with self._lock:
            return sum(n for p, n in self.counts.items() if p.startswith(prefix))

    def requested(self) -> set[str]:
        with self._lock:
            return {p for p, n in self.counts.items() if n}

    def reset_counts(self) -> None:
        with self._lock:
            self.counts.clear()


# -- documents ---------------------------------------------------------------------------------


def html(title: str, text: str = "", links: Iterable[str | tuple[str, str]] = (), charset: str = "utf-8") -> bytes:
    """A small campaign page: a heading, a paragraph and a list of links (``path`` or ``(path, text)``)."""
    items = []
    for link in links:
        href, label = link if isinstance(link, tuple) else (link, link.strip("/").replace("-", " ") or "home")
        items.append(f'<li><a href="{href}">{label}</a></li>')
    body = (
        f"<!DOCTYPE html><html><head><meta charset=\"{charset}\"><title>{title}</title></head><body>"
        f"<main><h1>{title}</h1><p>{text}</p><ul>{''.join(items)}</ul></main></body></html>"
    )
    return body.encode(charset, errors="xmlcharrefreplace")


def minimal_pdf(text: str = "I will publish every city contract online by 2015.") -> bytes:
    """A one-page PDF with a line of text (pypdf reads it)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# -- behaviours --------------------------------------------------------------------------------


def page(body: bytes | str, content_type: str = "text/html; charset=utf-8", code: int = 200,
         headers: Iterable[tuple[str, str]] = ()) -> Behaviour:
    """A well-formed response."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    extra = list(headers)

    def behave(request: Request, _server) -> None:
        request.respond(code, data, [("Content-Type", content_type), *extra])

    return behave


def status(code: int, headers: Iterable[tuple[str, str]] = (), body: bytes = b"") -> Behaviour:
    """An error page, e.g. ``status(500)`` or ``status(429, [("Retry-After", "1")])``."""
    body = body or f"<html><body><h1>{code}</h1></body></html>".encode()
    return page(body, code=code, headers=headers)


def not_found() -> Behaviour:
    return status(404)


def redirect(location: str, code: int = 302) -> Behaviour:
    return status(code, [("Location", location)], body=b"moved")


def endless_redirects(prefix: str) -> Behaviour:
    """``prefix1`` → ``prefix2`` → ``prefix3`` … forever (route it as ``prefix*``)."""

    def behave(request: Request, _server) -> None:
        tail = request.path[len(prefix):]
        n = int(tail) if tail.isdigit() else 0
        request.respond(302, b"", [("Location", f"{prefix}{n + 1}")])

    return behave


def slow(seconds: float, then: Behaviour | None = None) -> Behaviour:
    """Say nothing for ``seconds`` (past the client's read timeout), then answer (or hang up)."""

    def behave(request: Request, server) -> None:
        time.sleep(seconds)
        if then is None:
            raise _Abort
        then(request, server)

    return behave


def trickle(body: bytes, every: float = 0.05, size: int = 16, content_type: str = "text/html") -> Behaviour:
    """Headers at once, then the body a few bytes at a time: never trips a read timeout."""

    def behave(request: Request, _server) -> None:
        request.head(200, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
        for start in range(0, len(body), size):
            request.write(body[start:start + size])
            time.sleep(every)

    return behave


def reset_mid_body(body: bytes, content_type: str = "text/html; charset=utf-8") -> Behaviour:
    """Declare the whole body, send half of it, then reset the connection."""

    def behave(request: Request, _server) -> None:
        request.head(200, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
        request.write(body[: len(body) // 2])
        time.sleep(0.02)  # let the half arrive before the RST
        request.reset()

    return behave


def truncated(body: bytes, content_type: str = "text/html; charset=utf-8") -> Behaviour:
    """Declare the whole body, send half of it, then close cleanly (FIN, no RST)."""

    def behave(request: Request, _server) -> None:
        request.head(200, [("Content-Type", content_type), ("Content-Length", str(len(body))),
                           ("Connection", "close")])
        request.write(body[: len(body) // 2])
        request.handler.close_connection = True
        raise _Abort

    return behave


def huge(size: int = 50_000_000, declare_length: bool = False, content_type: str = "text/html") -> Behaviour:
    """``size`` bytes of HTML, streamed (with or without a Content-Length saying so)."""
    chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"

    def behave(request: Request, _server) -> None:
        headers = [("Content-Type", content_type)]
        if declare_length:
            headers.append(("Content-Length", str(size)))
        else:
            headers.append(("Connection", "close"))  # the body ends when the connection does
            request.handler.close_connection = True
        request.head(200, headers)
        request.write(b"<html><body>")
        sent = 12
        while sent < size:
            piece = chunk[: size - sent]
            request.write(piece)  # raises once the client hangs up
            sent += len(piece)

    return behave


_BOMB_CACHE: dict[int, bytes] = {}


def gzip_bomb(decompressed: int = 200_000_000) -> Behaviour:
    """A small gzip body (about 1/1000 of its size) that inflates to ``decompressed`` bytes."""
    if decompressed not in _BOMB_CACHE:
        # One member inflating to 1 MB, repeated: a multi-member gzip stream (RFC 1952) that
        # clients decompress as one body. Built in milliseconds, unlike compressing 100s of MB.
        member = gzip.compress(b" " * 1_000_000, compresslevel=9)
        _BOMB_CACHE[decompressed] = gzip.compress(b"<html><body>") + member * max(1, decompressed // 1_000_000)
    bomb = _BOMB_CACHE[decompressed]
    return page(bomb, headers=[("Content-Encoding", "gzip")])


def first(n: int, behaviour: Behaviour, then: Behaviour) -> Behaviour:
    """``behaviour`` for the first ``n`` requests to the path, ``then`` afterwards (a storm that passes)."""
    seen: collections.Counter[str] = collections.Counter()
    lock = threading.Lock()

    def behave(request: Request, server) -> None:
        with lock:
            seen[request.path] += 1
            count = seen[request.path]
        (behaviour if count <= n else then)(request, server)

    return behave


def after(seconds: float, behaviour: Behaviour) -> Behaviour:
    """``behaviour``, answered ``seconds`` late (a slow but working server)."""

    def behave(request: Request, server) -> None:
        time.sleep(seconds)
        behaviour(request, server)

    return behave


def endless_calendar(prefix: str) -> Behaviour:
    """Day pages under ``prefix`` (``prefix`` + ``day-N``), each linking to the next day, week and
    month and back: an endless site that no skip rule names (route it as ``prefix*``)."""

    def behave(request: Request, _server) -> None:
        tail = request.path[len(prefix):]
        n = int(tail[4:]) if tail.startswith("day-") and tail[4:].isdigit() else 1
        links = [(f"{prefix}day-{m}", f"Day {m}") for m in (n + 1, n + 7, n + 30, max(1, n - 1))]
        request.respond(200, html(f"Happenings, day {n}", "Come along.", links),
                        [("Content-Type", "text/html; charset=utf-8")])

    return behave


def gzip_body(body: bytes) -> Behaviour:
    return page(gzip.compress(body), headers=[("Content-Encoding", "gzip")])


def field_toml(candidates: Iterable[tuple[str, str, Iterable[str]]], gather: Mapping[str, float] | None = None,
               city: str = "Testville") -> str:
    """A field file: ``candidates`` are ``(name, slug, [source url, ...])``; ``gather`` the [gather] keys."""
    lines = ["[election]", f'city = "{city}"', 'state = "ZZ"', 'office = "Mayor"', "year = 2013",
             "fictional = true", ""]
    if gather:
        lines.append("[gather]")
        lines += [f"{key} = {value!r}" for key, value in gather.items()]
        lines.append("")
    for name, slug, urls in candidates:
        sources = ", ".join(f'{{ url = "{u}" }}' for u in urls)
        lines += ["[[candidates]]", f'name = "{name}"', f'slug = "{slug}"', f"sources = [{sources}]", ""]
    return "\n".join(lines)


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connections are refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":  # pragma: no cover - a manual look
    demo = MisbehavingServer({
        "/": page(html("Everything that goes wrong", links=[
            "/slow", "/trickle", "/reset", "/truncated", "/loop/0", "/429", "/500", "/huge", "/bomb",
            "/day-1"])),
        "/slow": slow(30),
        "/trickle": trickle(html("Slowly", "x" * 2000)),
        "/reset": reset_mid_body(html("Reset", "x" * 5000)),
        "/truncated": truncated(html("Truncated", "x" * 5000)),
        "/loop/*": endless_redirects("/loop/"),
        "/429": status(429),
        "/500": status(500),
        "/huge": huge(),
        "/bomb": gzip_bomb(),
        "/day-*": endless_calendar("/"),
    }).start()
    print(demo.url("/"), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        demo.stop()
