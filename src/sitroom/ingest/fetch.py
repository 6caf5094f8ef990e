"""Fetch web pages and feeds safely.

Contract: `Fetcher.get(url)` returns a `Fetched` or raises a `FetchError` naming the URL
(credentials removed) and the reason, for any URL string and any response; it never
raises anything else.

- Only http(s); at most `max_redirects` redirects, each one checked like the first.
- One total deadline per fetch (`timeout` seconds): DNS, connect, every redirect hop and
  the whole body share it; a server that drips bytes stops at the deadline.
- The address guard lives in the connection layer (`GuardedBackend`, an httpcore network
  backend): it resolves the host once, refuses the connection if any address is not
  public, and connects to an address it checked (pinning: no second resolution, so DNS
  rebinding between check and connect is not possible). Proxies from the environment are
  never used (`trust_env=False`).
- The body is read raw and each `Content-Encoding` layer (gzip, deflate, identity, any
  stacking) is undone incrementally with bounded output, stopping as soon as the decoded
  size passes `max_bytes`: a decompression bomb costs bounded memory.
"""

from __future__ import annotations

import base64
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpcore
import httpx


def _version() -> str:
    try:
        return version("sitroom")
    except PackageNotFoundError:
        return "dev"


USER_AGENT = f"sitroom/{_version()} (news event coder; +https://github.com/sitroom/sitroom)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/rdf+xml",
    "application/feed+json",
)
_CHUNK = 65_536  # the most one decompression step may produce


class FetchError(Exception):
    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        url = public_url(url)
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status


@dataclass(frozen=True)
class Fetched:
    url: str  # the final URL after redirects
    content_type: str
    body: bytes
    status: int


def public_url(url: str) -> str:
    """`url` without user:password@ credentials: what is stored, logged and printed."""
    try:
        parts = urlsplit(url)
        if "@" not in parts.netloc:
            return url
        host = parts.netloc.rsplit("@", 1)[1]
        return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    except ValueError:
        # Not parseable as a URL: cut anything between "//" and the last "@" before the path.
        head, sep, rest = url.partition("//")
        if not sep:
            return url
        netloc, slash, path = rest.partition("/")
        return f"{head}//{netloc.rsplit('@', 1)[-1]}{slash}{path}"


def printable_url(url: str, limit: int = 200) -> str:
    """A URL for a message: credentials removed, quoted with escapes, cut to `limit`."""
    text = repr(public_url(url))
    return text if len(text) <= limit else text[: limit - 4] + "...'"


# ------------------------------------------------------------------ address guard
_REFUSED_V6 = [
    (ipaddress.ip_network("64:ff9b::/96"), "NAT64"),
    (ipaddress.ip_network("64:ff9b:1::/48"), "NAT64"),
    (ipaddress.ip_network("2002::/16"), "6to4"),
    (ipaddress.ip_network("2001::/32"), "Teredo"),
    (ipaddress.ip_network("::/96"), "IPv4-compatible"),
    (ipaddress.ip_network("::ffff:0:0:0/96"), "IPv4-translated"),
    (ipaddress.ip_network("fec0::/10"), "site-local"),
]
_REFUSED_V4 = [(ipaddress.ip_network("192.88.99.0/24"), "6to4 relay")]


def address_refusal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why `address` may not be fetched from, or None when it is a public address.

    Refused: every non-global address (private, loopback, link-local, reserved,
    unspecified, shared), multicast, and the IPv6 forms that carry or reach an IPv4
    address: NAT64, 6to4 (and its relay 192.88.99.0/24), Teredo, IPv4-compatible,
    IPv4-translated, site-local; an IPv4-mapped address is
    judged by the IPv4 address it maps."""
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped
        if mapped is not None:
            inner = address_refusal(mapped)
            return f"{inner} (mapped in {address})" if inner else None
        for network, name in _REFUSED_V6:
            if address in network:
                return f"{name} address {address}"
    else:
        for network, name in _REFUSED_V4:
            if address in network:
                return f"{name} address {address}"
    if address.is_multicast or not address.is_global:
        return f"non-public address {address}"
    return None


class AddressRefused(Exception):
    """Raised by the connection layer; `Fetcher.get` turns it into a FetchError."""


def _resolve(host: str, port: int, timeout: float) -> list[str]:
    """The addresses of `host`, waiting at most `timeout` s (the lookup runs in a daemon
    thread so a stuck resolver cannot hold the fetch past its deadline). Literal
    addresses never get here: `GuardedBackend.resolve` answers them itself."""
    box: dict[str, object] = {}

    def lookup() -> None:
        try:
            box["infos"] = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError, ValueError) as exc:
            box["error"] = exc

    worker = threading.Thread(target=lookup, daemon=True)
    worker.start()
    worker.join(max(timeout, 0.0))
    if worker.is_alive():
        raise httpcore.ConnectTimeout(f"resolving {host!r} took longer than {timeout:.1f} s")
    if "error" in box:
        raise AddressRefused(f"cannot resolve host {host!r} ({box['error']})")
    infos = box["infos"]
    assert isinstance(infos, list)
    # Drop any IPv6 scope ("fe80::1%eth0"): the address itself is what is judged.
    return list(dict.fromkeys(str(info[4][0]).split("%", 1)[0] for info in infos))


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every read and write waits at most until the deadline."""

    def __init__(self, inner: httpcore.NetworkStream, remaining: Callable[[], float]) -> None:
        self.inner = inner
        self.remaining = remaining

    def _limit(self, timeout: float | None, error: type[Exception]) -> float:
        left = self.remaining()
        if left <= 0:
            raise error("the fetch's total deadline passed")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, self._limit(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, self._limit(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):  # type: ignore[no-untyped-def]
        limit = self._limit(timeout, httpcore.ConnectTimeout)
        tls = self.inner.start_tls(ssl_context, server_hostname, limit)
        return _DeadlineStream(tls, self.remaining)

    def get_extra_info(self, info: str):  # type: ignore[no-untyped-def]
        return self.inner.get_extra_info(info)


class GuardedBackend(httpcore.SyncBackend):
    """Resolves each host once, checks every address, connects to a checked one.

    `allow_private` skips the check (not the pinning); `allowed_hosts` lists host or
    host:port values exempt from it. `deadline` (a time.monotonic() value, set by the
    Fetcher for each fetch) bounds DNS, connect and every read and write."""

    def __init__(
        self,
        allow_private: bool = False,
        allowed_hosts: frozenset[str] = frozenset(),
        resolver: Callable[[str, int, float], list[str]] | None = None,
    ) -> None:
        self.allow_private = allow_private
        self.allowed_hosts = allowed_hosts
        self.resolver = resolver or _resolve
        self.deadline: float | None = None
        self.connected: list[tuple[str, str, int]] = []  # (host, address, port) of the last

    def remaining(self) -> float:
        return float("inf") if self.deadline is None else self.deadline - time.monotonic()

    def resolve(self, host: str, port: int, timeout: float) -> list[str]:
        """The host's addresses: one lookup (`resolver` answers instead of DNS if given)."""
        try:
            return [str(ipaddress.ip_address(host))]  # a literal address is its own answer
        except ValueError:
            return self.resolver(host, port, timeout)

    def check_host(self, host: str, port: int, timeout: float) -> list[str]:
        """The addresses to connect to, all checked; AddressRefused if any is refused."""
        addresses = self.resolve(host, port, timeout)
        if not addresses:
            raise AddressRefused(f"host {host!r} has no address")
        exempt = self.allow_private or host in self.allowed_hosts
        exempt = exempt or f"{host}:{port}" in self.allowed_hosts
        if not exempt:
            for text in addresses:
                why = address_refusal(ipaddress.ip_address(text))
                if why:
                    raise AddressRefused(
                        f"refused: {host} resolves to {why} "
                        "(use --allow-private to fetch from private networks)"
                    )
        return addresses

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options=None,  # type: ignore[no-untyped-def]
    ) -> httpcore.NetworkStream:
        limit = self.remaining() if timeout is None else min(timeout, self.remaining())
        if limit <= 0:
            raise httpcore.ConnectTimeout("the fetch's total deadline passed")
        addresses = self.check_host(host.strip("[]"), port, limit)
        last: Exception | None = None
        for address in addresses:
            limit = self.remaining() if timeout is None else min(timeout, self.remaining())
            if limit <= 0:
                raise httpcore.ConnectTimeout("the fetch's total deadline passed")
            try:
                # Connect to the checked address itself, never to the name again.
                stream = super().connect_tcp(
                    address, port, limit, local_address, socket_options or []
                )
            except httpcore.ConnectError as exc:
                last = exc
                continue
            self.connected.append((host, address, port))
            del self.connected[:-8]
            return _DeadlineStream(stream, self.remaining)
        raise last or httpcore.ConnectError(f"cannot connect to {host}")


class _GuardedTransport(httpx.HTTPTransport):
    def __init__(self, backend: GuardedBackend, ssl_context: ssl.SSLContext | None) -> None:
        super().__init__(trust_env=False)
        self._pool.close()
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context or httpx.create_ssl_context(trust_env=False),
            max_connections=10,
            max_keepalive_connections=10,
            network_backend=backend,
        )


# ------------------------------------------------------------------ decoding
class _Layer:
    """Undo one content-encoding layer, never producing more than _CHUNK at a time."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.inflater: zlib._Decompress | None = None  # type: ignore[name-defined]
        if name in ("gzip", "x-gzip"):
            self.inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self.name == "identity":
            if data:
                yield data
            return
        if self.inflater is None:  # deflate: zlib-wrapped as the RFC says, or raw
            if not data:
                return
            wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self.inflater = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        if self.inflater.eof:
            return  # trailing bytes after the end of the stream are ignored
        out = self.inflater.decompress(data, _CHUNK)
        while True:
            if out:
                yield out
            if self.inflater.eof:
                return
            tail = self.inflater.unconsumed_tail
            if not tail and len(out) < _CHUNK:
                return
            out = self.inflater.decompress(tail, _CHUNK)

    def finish(self) -> Iterator[bytes]:
        if self.inflater is not None and not self.inflater.eof:
            yield from self.feed(b"")
            rest = self.inflater.flush(_CHUNK)
            if rest:
                yield rest


class _Decoder:
    """All the layers of a Content-Encoding header, outermost (last listed) first."""

    def __init__(self, header: str) -> None:
        names = [n.strip().lower() for n in header.split(",") if n.strip()]
        unknown = [n for n in names if n not in ("gzip", "x-gzip", "deflate", "identity")]
        if unknown:
            raise ValueError(f"unsupported content encoding {unknown[0]!r}")
        self.layers = [_Layer(n) for n in reversed(names)]

    def feed(self, data: bytes) -> Iterator[bytes]:
        yield from self._push(0, data)

    def finish(self) -> Iterator[bytes]:
        for n, layer in enumerate(self.layers):
            for out in layer.finish():
                yield from self._push(n + 1, out)

    def _push(self, n: int, data: bytes) -> Iterator[bytes]:
        if n == len(self.layers):
            if data:
                yield data
            return
        for out in self.layers[n].feed(data):
            yield from self._push(n + 1, out)


# ------------------------------------------------------------------ fetcher
@dataclass
class Fetcher:
    timeout: float = 15.0  # seconds for the whole fetch: DNS, connect, redirects, body
    max_bytes: int = 5_000_000  # decoded body size cap
    max_redirects: int = 5
    allow_private: bool = False
    # host[:port] values allowed even though their address is private (tests, intranets).
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)
    # (host, port, timeout) -> addresses, instead of the system resolver (tests, pinning).
    resolver: Callable[[str, int, float], list[str]] | None = None
    # Certificates to trust instead of the default ones (an intranet CA, tests).
    ssl_context: ssl.SSLContext | None = None

    def __post_init__(self) -> None:
        self.backend = GuardedBackend(
            self.allow_private, frozenset(self.allowed_hosts), self.resolver
        )
        # The transport is used directly, not through httpx.Client: the client parses every
        # redirect's Location before returning the response (and raises on javascript: or a
        # bad port); here each hop is parsed and checked by `_check_syntax` instead.
        self.transport = _GuardedTransport(self.backend, self.ssl_context)

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, accept: tuple[str, ...] | None = None) -> Fetched:
        """GET `url`, following up to `max_redirects` redirects, each one checked, all
        within `timeout` seconds. A Fetched or a FetchError, never another exception."""
        self.backend.deadline = time.monotonic() + self.timeout
        try:
            return self._get(url, accept)
        except FetchError:
            raise
        except (httpx.TimeoutException, httpcore.TimeoutException, TimeoutError):
            raise FetchError(url, f"timed out after {self.timeout:g} s") from None
        except AddressRefused as exc:
            raise FetchError(url, str(exc)) from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise FetchError(url, f"invalid URL ({exc})") from None
        except (httpx.HTTPError, httpx.StreamError, httpcore.NetworkError, OSError) as exc:
            raise FetchError(url, f"connection failed ({type(exc).__name__}: {exc})") from None
        except Exception as exc:  # the contract: nothing but FetchError leaves get()
            raise FetchError(url, f"fetch failed ({type(exc).__name__}: {exc})") from None
        finally:
            self.backend.deadline = None

    def _get(self, url: str, accept: tuple[str, ...] | None) -> Fetched:
        current = url
        for _ in range(self.max_redirects + 1):
            try:
                self._check_syntax(current)
            except FetchError as exc:
                if current == url:
                    raise
                target = printable_url(current)
                raise FetchError(url, f"redirect to {target}: {exc.reason}") from None
            response = self.transport.handle_request(self._request(current))
            try:
                if response.is_redirect:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchError(url, "redirect without a Location", response.status_code)
                    try:
                        current = urljoin(current, location)
                    except ValueError as exc:
                        raise FetchError(
                            url, f"redirect to an invalid URL {printable_url(location)} ({exc})"
                        ) from None
                    continue
                return self._body(url, current, response, accept)
            finally:
                response.close()
        raise FetchError(url, f"more than {self.max_redirects} redirects")

    def _body(
        self, url: str, final: str, response: httpx.Response, accept: tuple[str, ...] | None
    ) -> Fetched:
        status = response.status_code
        if status >= 400:
            raise FetchError(url, f"HTTP {status}", status)
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if accept and content_type not in accept:
            raise FetchError(
                url,
                f"content type {content_type or 'missing'!r} is not one of {', '.join(accept)}",
                status,
            )
        declared = response.headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(url, self._too_large(int(declared)), status)
        try:
            decoder = _Decoder(response.headers.get("content-encoding", ""))
        except ValueError as exc:
            raise FetchError(url, str(exc), status) from None
        body = bytearray()
        raw = 0

        def take(pieces: Iterator[bytes]) -> None:
            for piece in pieces:
                body.extend(piece)
                if len(body) > self.max_bytes:
                    raise FetchError(url, self._too_large(len(body)), status)

        try:
            for chunk in response.iter_raw():
                raw += len(chunk)
                if raw > self.max_bytes:
                    raise FetchError(url, self._too_large(raw), status)
                take(decoder.feed(chunk))
                if self.backend.remaining() <= 0:
                    raise FetchError(url, f"timed out after {self.timeout:g} s", status)
            take(decoder.finish())
        except zlib.error as exc:
            raise FetchError(url, f"cannot decode the body ({exc})", status) from None
        return Fetched(public_url(final), content_type, bytes(body), status)

    def _request(self, url: str) -> httpx.Request:
        left = max(self.backend.remaining(), 0.001)
        headers = {
            "User-Agent": USER_AGENT,
            "Accept": "text/html, application/xml;q=0.9",
            "Accept-Encoding": "gzip, deflate",
        }
        parsed = httpx.URL(url)
        if parsed.username or parsed.password:  # user:password@ in the URL: basic auth
            pair = f"{parsed.username}:{parsed.password}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        timeouts = {"connect": left, "read": left, "write": left, "pool": left}
        return httpx.Request("GET", parsed, headers=headers, extensions={"timeout": timeouts})

    def _too_large(self, size: int) -> str:
        return f"larger than the {self.max_bytes:,}-byte cap ({size:,} bytes or more)"

    def _check_syntax(self, url: str) -> tuple[str, int]:
        """(host, port) of an http(s) URL, or a FetchError saying what is wrong."""
        try:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            host = parts.hostname
            port = parts.port
        except ValueError as exc:
            raise FetchError(url, f"invalid URL ({exc})") from None
        if scheme not in ("http", "https"):
            raise FetchError(url, f"scheme {scheme or 'missing'!r} refused; only http and https")
        if not host:
            raise FetchError(url, "no host in URL")
        if port == 0:
            raise FetchError(url, "invalid URL (port 0)")
        try:
            httpx.URL(url)
        except Exception as exc:  # httpx.InvalidURL, and anything its parser meets
            raise FetchError(url, f"invalid URL ({exc})") from None
        return host, port or (443 if scheme == "https" else 80)

    def check_url(self, url: str) -> None:
        """Refuse non-http(s) or malformed URLs and hosts that resolve to a non-public
        address. `get` applies the same address check when it connects."""
        host, port = self._check_syntax(url)
        try:
            self.backend.check_host(host, port, self.timeout)
        except AddressRefused as exc:
            raise FetchError(url, str(exc)) from None
        except Exception as exc:
            raise FetchError(url, f"cannot resolve host {host!r} ({exc})") from None
