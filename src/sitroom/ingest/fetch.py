"""Fetch web pages and feeds safely: http(s) only, every hop's address checked (no
private, loopback, link-local, multicast or reserved addresses unless allowed), manual
redirects with a limit, a timeout, a size cap read as the body streams, a content-type
check and an honest user agent.

A failed fetch is a `FetchError` naming the URL and the reason (HTTP status, timeout,
refused address, too large, wrong type); it never raises anything else.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urljoin, urlsplit

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


class FetchError(Exception):
    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
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


@dataclass
class Fetcher:
    timeout: float = 15.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    allow_private: bool = False
    # host[:port] values allowed even though their address is private (tests, intranets).
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        self.client = httpx.Client(
            timeout=httpx.Timeout(self.timeout),
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT, "Accept": "text/html, application/xml;q=0.9"},
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, accept: tuple[str, ...] | None = None) -> Fetched:
        """GET `url`, following up to `max_redirects` redirects, each one checked."""
        current = url
        for _ in range(self.max_redirects + 1):
            self.check_url(current)
            try:
                with self.client.stream("GET", current) as response:
                    if response.is_redirect:
                        location = response.headers.get("location")
                        if not location:
                            raise FetchError(
                                url, "redirect without a Location", response.status_code
                            )
                        current = urljoin(current, location)
                        continue
                    if response.status_code >= 400:
                        raise FetchError(url, f"HTTP {response.status_code}", response.status_code)
                    content_type = response.headers.get("content-type", "").split(";")[0]
                    content_type = content_type.strip().lower()
                    if accept and content_type not in accept:
                        raise FetchError(
                            url,
                            f"content type {content_type or 'missing'!r} is not one of "
                            f"{', '.join(accept)}",
                            response.status_code,
                        )
                    declared = response.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > self.max_bytes:
                        raise FetchError(url, self._too_large(int(declared)), response.status_code)
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body.extend(chunk)
                        if len(body) > self.max_bytes:
                            raise FetchError(url, self._too_large(len(body)), response.status_code)
                    return Fetched(current, content_type, bytes(body), response.status_code)
            except httpx.TimeoutException:
                raise FetchError(url, f"timed out after {self.timeout:g} s") from None
            except httpx.HTTPError as exc:
                raise FetchError(url, f"connection failed ({type(exc).__name__}: {exc})") from None
        raise FetchError(url, f"more than {self.max_redirects} redirects")

    def _too_large(self, size: int) -> str:
        return f"larger than the {self.max_bytes:,}-byte cap ({size:,} bytes or more)"

    def check_url(self, url: str) -> None:
        """Refuse non-http(s) URLs and hosts that resolve to a non-public address."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError(
                url, f"scheme {parts.scheme or 'missing'!r} refused; only http and https"
            )
        host = parts.hostname
        if not host:
            raise FetchError(url, "no host in URL")
        if self.allow_private:
            return
        port = parts.port or (443 if parts.scheme == "https" else 80)
        if host in self.allowed_hosts or f"{host}:{port}" in self.allowed_hosts:
            return
        try:
            infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchError(url, f"cannot resolve host {host!r} ({exc})") from None
        for info in infos:
            address = ipaddress.ip_address(info[4][0])
            if not address.is_global or address.is_multicast:
                raise FetchError(
                    url,
                    f"refused: {host} resolves to non-public address {address} "
                    "(use --allow-private to fetch from private networks)",
                )
