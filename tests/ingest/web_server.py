"""A local HTTP server, run inside the test process (127.0.0.1 only), serving pages and
feeds written for the tests: good articles, a feed of them, and every kind of bad or
hostile source: redirects to javascript:/data:/bad ports/broken IPv6 literals, a body that
drips a byte at a time, a gzip-in-gzip bomb, unknown or broken encodings, a feed of
100,000 entries."""

from __future__ import annotations

import contextlib
import functools
import gzip
import threading
import time
import zlib
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COUNTRIES = [
    ("Malaysia", "Russia", "Kuala Lumpur"),
    ("India", "Japan", "Tokyo"),
    ("Brazil", "China", "Beijing"),
    ("Turkey", "Ukraine", "Ankara"),
    ("Indonesia", "Australia", "Canberra"),
]
FIRST_DAY = date(2025, 3, 3)


def article_date(n: int) -> date:
    return FIRST_DAY + timedelta(days=n)


def article_html(n: int, with_date: bool) -> str:
    a, b, city = COUNTRIES[n % len(COUNTRIES)]
    meta = (
        f'<meta property="article:published_time" content="{article_date(n)}T09:00:00Z">'
        if with_date
        else ""
    )
    return f"""<!doctype html><html lang="en"><head><title>{a} and {b} talks, part {n}</title>
{meta}</head><body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>{a} and {b} hold talks in {city}</h1>
<p>Officials from {a} held talks with their counterparts from {b} in {city}, the foreign
ministry said in a statement, describing the meeting as frank and useful for both sides.</p>
<p>The two governments agreed to expand trade and to hold regular consultations on
regional security, according to a joint statement released after the meeting.</p>
<p>Analysts said the talks, the number {n} in a series this year, showed how both capitals
want to keep channels open despite their differences over several regional disputes.</p>
</article><footer>Copyright sitroom test site</footer></body></html>"""


FRENCH = """<!doctype html><html lang="fr"><head><title>Rencontre</title></head><body><article>
<h1>La France et l'Allemagne se rencontrent</h1>
<p>Les ministres des affaires étrangères de la France et de l'Allemagne se sont rencontrés
mardi à Paris pour discuter de la sécurité européenne et de l'aide à l'Ukraine.</p>
<p>Les deux pays ont convenu de renforcer leur coopération militaire et de tenir des
consultations régulières, selon un communiqué commun publié après la réunion.</p>
</article></body></html>"""


def rss(base: str, numbers: list[int], extra: str = "") -> str:
    items = []
    for n in numbers:
        stamp = datetime(*article_date(n).timetuple()[:3], 8, 0, tzinfo=UTC)
        items.append(
            f"<item><title>Story {n}</title><link>{base}/article/{n}</link>"
            f"<pubDate>{format_datetime(stamp)}</pubDate></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Test wire</title><link>{base}/</link>{''.join(items)}{extra}"
        "</channel></rss>"
    )


BOMB_SIZE = 256 * 1024 * 1024  # decoded size of /bomb: gzip(gzip(256 MiB of zeros))
BIG_FEED_ENTRIES = 100_000


@functools.lru_cache(maxsize=2)
def gzip_bomb(size: int = BOMB_SIZE, layers: int = 2) -> bytes:
    """`layers` nested gzip streams around `size` zero bytes, built a MiB at a time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1 << 20)
    parts = [packer.compress(block) for _ in range(size // len(block))]
    data = b"".join(parts) + packer.flush()
    for _ in range(layers - 1):
        data = gzip.compress(data, 9)
    return data


def big_feed(base: str, entries: int = BIG_FEED_ENTRIES) -> bytes:
    items = "".join(
        f"<item><title>Story {n}</title><link>{base}/article/{n}</link></item>"
        for n in range(entries)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Flood</title><link>{base}/</link>{items}</channel></rss>"
    ).encode()


class LocalSite:
    def __init__(self) -> None:
        self.feed_numbers = list(range(20))
        self.requests: list[tuple[str, str]] = []  # (path, Host header) of each request
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LocalSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def send(self, status: int, body: str | bytes, ctype: str, **headers: str) -> None:
                data = body.encode("utf-8") if isinstance(body, str) else body
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                for key, value in headers.items():
                    self.send_header(key.replace("_", "-"), value)
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def drip(self, seconds: float) -> None:
                """Headers at once, then one body byte every 0.25 s for `seconds`."""
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                with contextlib.suppress(OSError):
                    stop = time.monotonic() + seconds
                    while time.monotonic() < stop:
                        self.wfile.write(b"x")
                        self.wfile.flush()
                        time.sleep(0.25)

            def hostile(self, path: str) -> bool:
                """The hostile cases; False when `path` is not one of them."""
                redirects = {
                    "/to-javascript": "javascript:alert(1)",
                    "/to-data": "data:text/html,<h1>hi</h1>",
                    "/to-bad-port": "http://127.0.0.1:99999/x",
                    "/to-broken-ipv6": "http://[::1/x",
                    "/to-no-host": "https:///x",
                    "/to-metadata": "http://169.254.169.254/latest/meta-data",
                    "/to-nat64": "http://[64:ff9b::a9fe:a9fe]/latest",
                }
                if path in redirects:
                    self.send(302, "", "text/plain", Location=redirects[path])
                elif path == "/drip":
                    self.drip(30)
                elif path == "/bomb":
                    self.send(200, gzip_bomb(), "text/html", Content_Encoding="gzip, gzip")
                elif path.startswith("/gzip-article/"):
                    page = gzip.compress(article_html(int(path.rsplit("/", 1)[1]), True).encode())
                    self.send(200, page, "text/html", Content_Encoding="gzip")
                elif path.startswith("/deflate-article/"):
                    page = zlib.compress(article_html(int(path.rsplit("/", 1)[1]), True).encode())
                    self.send(200, page, "text/html", Content_Encoding="deflate")
                elif path == "/brotli":
                    self.send(200, b"\x0b\x02\x80hello\x03", "text/html", Content_Encoding="br")
                elif path == "/bad-gzip":
                    self.send(200, b"not gzip at all", "text/html", Content_Encoding="gzip")
                elif path == "/hostile-feed.xml":
                    links = ["http://h:99999/", "http://[::1/x", f"{site.base}/to-javascript"]
                    extra = "".join(
                        f"<item><title>Bad</title><link>{u}</link></item>" for u in links
                    )
                    self.send(200, rss(site.base, [0], extra), "application/rss+xml")
                elif path == "/big-feed.xml":
                    self.send(200, big_feed(site.base), "application/rss+xml")
                else:
                    return False
                return True

            def do_GET(self) -> None:
                site.requests.append((self.path, self.headers.get("Host", "")))
                path = self.path.split("?", 1)[0]
                if self.hostile(path):
                    return
                if path == "/feed.xml":
                    self.send(200, rss(site.base, site.feed_numbers), "application/rss+xml")
                elif path.startswith("/article/"):
                    n = int(path.rsplit("/", 1)[1])
                    self.send(
                        200, article_html(n, with_date=n % 2 == 0), "text/html; charset=utf-8"
                    )
                elif path == "/slow":
                    time.sleep(3)
                    self.send(200, article_html(99, True), "text/html")
                elif path == "/loop":
                    self.send(302, "", "text/plain", Location="/loop")
                elif path == "/to-private":
                    self.send(302, "", "text/plain", Location="http://10.255.255.1/secret")
                elif path == "/huge":
                    self.send(200, "<html><body>" + "x" * 3_000_000 + "</body></html>", "text/html")
                elif path == "/report.pdf":
                    self.send(200, b"%PDF-1.4 not html", "application/pdf")
                elif path == "/french":
                    self.send(200, FRENCH, "text/html; charset=utf-8")
                elif path == "/broken-feed.xml":
                    extra = (
                        "<item><title>No link here</title></item>"
                        "<item><title>Bad link</title><link>javascript:alert(1)</link></item>"
                    )
                    self.send(200, rss(site.base, [0], extra), "application/rss+xml")
                else:
                    self.send(404, "not found", "text/plain")

        return Handler
