"""The outermost layer of the app (plain ASGI, so it sees every request and response):

- the Host header must name the bound address, a loopback name when bound to loopback,
  or a name given with --allowed-host: this closes DNS rebinding, where a page on another
  site resolves its own name to this server and reads it with the user's browser;
- with a token, every /api/ request needs `Authorization: Bearer <token>` (the scheme in
  any case; the token compared in constant time);
- every response carries the security headers (a Content-Security-Policy that allows only
  the app's own scripts and styles, nosniff, no framing, no referrer);
- any exception the app did not turn into a response becomes the one JSON error shape
  with status 500 (the traceback goes to the server log, never to the client).

Binding 0.0.0.0 or :: (every interface) accepts a Host that is an IP address (a browser
only sends one when the user typed that address, which no rebinding page can do), the
loopback names and the --allowed-host names; any other name is refused.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import secrets
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sitroom.serve.errors import error_body

log = logging.getLogger("sitroom.serve")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def host_name(header: str) -> str:
    """The name in a Host header, without port, brackets, case or a trailing dot."""
    value = header.strip().lower()
    if value.startswith("["):  # [::1]:8000
        value = value[1 : value.find("]")] if "]" in value else ""
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


def _ip(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


class HostPolicy:
    """Which Host header values the server answers to, given the address it is bound to."""

    def __init__(self, bound: str, allowed: Iterable[str] = ()) -> None:
        bound_name = host_name(bound) if bound else "127.0.0.1"
        self.names = {bound_name, *(host_name(a) for a in allowed if a.strip())}
        ip = _ip(bound_name)
        self.any_ip = ip is not None and ip.is_unspecified
        if bound_name == "localhost" or (ip is not None and (ip.is_loopback or self.any_ip)):
            self.names |= LOOPBACK_NAMES

    def allows(self, header: str | None) -> bool:
        if not header:
            return False
        name = host_name(header)
        if name in self.names:
            return True
        return self.any_ip and _ip(name) is not None


class Guard:
    def __init__(self, app: ASGIApp, hosts: HostPolicy, token: str | None) -> None:
        self.app = app
        self.hosts = hosts
        self.token = token.encode() if token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":  # the app serves none
            await send({"type": "websocket.close", "code": 1008})
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        if not self.hosts.allows(headers.get("host")):
            await _error(send, 400, "bad_host", "this server does not answer to that Host name")
            return
        path = scope.get("path", "")
        if self.token and path.startswith("/api/") and not self._authorised(headers):
            await _error(
                send,
                401,
                "unauthorized",
                "a bearer token is required",
                [(b"www-authenticate", b"Bearer")],
            )
            return

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": [*message.get("headers", []), *_headers()]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("request %s %s failed", scope.get("method"), path)
            if started:
                raise
            await _error(send, 500, "internal_error", "internal error (details in the server log)")

    def _authorised(self, headers: dict[str, str]) -> bool:
        scheme, _, given = headers.get("authorization", "").strip().partition(" ")
        if scheme.lower() != "bearer":
            return False
        return secrets.compare_digest(given.strip().encode("latin-1"), self.token)


def _headers() -> list[tuple[bytes, bytes]]:
    return list(SECURITY_HEADERS)


async def _error(
    send: Send,
    status: int,
    code: str,
    message: str,
    extra: list[tuple[bytes, bytes]] | None = None,
) -> None:
    body = json.dumps(error_body(status, code, message)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *(extra or []),
                *_headers(),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
