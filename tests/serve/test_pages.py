"""The five dashboard pages in Debian's Chromium, driven by Playwright."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.model

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    outside: list[str] = []
    tab.on(
        "request", lambda r: outside.append(r.url) if not r.url.startswith(live_server) else None
    )
    tab.errors = errors
    tab.outside = outside
    yield tab
    context.close()


def _until(check, timeout=15.0):
    """Poll `check` from Python (the page's CSP refuses wait_for_function's eval)."""
    import time

    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.1)


def _shot(tab, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("name", ["overview", "events", "dyad", "country", "map"])
def test_every_page_loads_without_console_errors(page, live_server, name):
    page.goto(f"{live_server}/{name}")
    page.wait_for_selector("main h2")
    page.wait_for_load_state("networkidle")
    assert "Could not load" not in page.inner_text("main")
    _shot(page, name)
    assert page.errors == [] and page.outside == []


def test_filter_narrows_the_table_and_a_row_shows_highlighted_evidence(page, live_server):
    page.goto(f"{live_server}/events")
    page.wait_for_selector("#total")
    before = int(page.inner_text("#total").split()[0])
    page.fill("input[name=actor]", "MYS")
    page.click("button[type=submit]")
    _until(lambda: int(page.inner_text("#total").split()[0]) < before)
    after = int(page.inner_text("#total").split()[0])
    assert 0 < after < before
    # The first row whose source is named in its own sentence (a side known only from an
    # earlier sentence has no span to highlight); the table lists the API's order.
    listed = page.request.get(f"{live_server}/api/events?actor=MYS&page_size=100").json()["items"]
    row = next(
        n
        for n, item in enumerate(listed)
        if any(
            s["kind"] == "source"
            for s in page.request.get(f"{live_server}/api/events/{item['event_id']}").json()[
                "spans"
            ]
        )
    )
    page.click(f"tr.row >> nth={row}")
    page.wait_for_selector("#evidence-text mark.trigger")
    assert page.locator("#evidence-text mark.source").count() >= 1
    _shot(page, "evidence")
    page.click("#document-link")
    page.wait_for_selector("#document-text mark.trigger")
    _shot(page, "document")
    assert page.errors == []


def test_map_filter_narrows_the_dots(page, live_server):
    page.goto(f"{live_server}/map")
    page.wait_for_selector("#world circle", state="attached")
    before = page.locator("#world circle").count()
    page.fill("input[name=actor]", "PHL")
    page.click("button[type=submit]")
    _until(lambda: page.locator("#world circle").count() < before)
    assert page.errors == []


def test_charts_and_map_render(page, live_server):
    page.goto(f"{live_server}/dyad?a=MYS&b=RUS")
    page.wait_for_selector("svg polyline", state="attached")
    assert page.locator("svg circle").count() > 0
    page.goto(f"{live_server}/country?code=MYS")
    page.wait_for_selector("svg line", state="attached")
    assert page.locator("svg polyline").count() >= 1
    page.goto(f"{live_server}/map")
    page.wait_for_selector("#world path", state="attached")
    assert page.locator("#world path").count() > 150
    assert page.locator("#world circle").count() > 0
    assert page.errors == []


# ------------------------------------------------------------ hostile store content
HOSTILE = [
    {
        "id": "evil-1",
        "date": "2025-01-09",
        "language": "en",
        "title": '<img src=x onerror="window.__pwned=1">Talks in Moscow',
        "url": "javascript:window.__pwned=1",
        "text": "Malaysian Prime Minister Anwar Ibrahim met Russian President Vladimir Putin "
        "in Moscow on Thursday. <script>window.__pwned=1</script>",
    },
    {
        "id": "evil-2",
        "date": "2025-01-10",
        "language": "en",
        "title": "Talks in Beijing",
        "url": "https://example.org/beijing",
        "text": "Malaysian Prime Minister Anwar Ibrahim met Chinese President Xi Jinping "
        "in Beijing on Friday.",
    },
    {
        "id": "good-1",
        "date": "2025-01-11",
        "language": "en",
        "title": "Talks in Jakarta",
        "url": "https://example.org/jakarta",
        "text": "Malaysian Prime Minister Anwar Ibrahim met Indonesian President Prabowo "
        "Subianto in Jakarta on Saturday.",
    },
]


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    import json

    from sitroom.ingest.files import read_inputs
    from sitroom.run.ingest import ingest
    from sitroom.serve.app import create_app
    from sitroom.store.database import EventStore
    from tests.serve.conftest import serve

    folder = tmp_path_factory.mktemp("hostile")
    corpus = folder / "hostile.jsonl"
    corpus.write_text("".join(json.dumps(d) + "\n" for d in HOSTILE))
    path = folder / "hostile.duckdb"
    with EventStore(path) as store:
        ingest(store, read_inputs([str(corpus)]), processes=1, english_only=False)
        # A store written before URLs were checked: the page itself must refuse the link.
        store.con.execute(
            "UPDATE documents SET url = 'javascript:window.__pwned=1' WHERE doc_id = 'evil-2'"
        )
        stored = dict(store.con.execute("SELECT doc_id, url FROM documents").fetchall())
    assert stored["evil-1"] is None  # dropped on the way in
    yield from serve(create_app(path))


@pytest.mark.parametrize("doc_id", ["evil-1", "evil-2"])
def test_stored_script_urls_and_markup_stay_inert(browser, hostile_server, doc_id):
    context = browser.new_context()
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    dialogs: list[str] = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.goto(f"{hostile_server}/document?id={doc_id}")
    tab.wait_for_selector("#document-text")
    tab.wait_for_load_state("networkidle")
    assert tab.locator("main a").count() == 0  # no link at all, let alone javascript:
    assert tab.locator("main img, main script").count() == 0
    if doc_id == "evil-1":  # markup in the store is shown as text
        assert "<script>" in tab.inner_text("#document-text")
        assert "<img" in tab.inner_text("main h2")
    tab.click("#document-text")
    assert tab.evaluate("window.__pwned") is None
    assert dialogs == [] and errors == []
    _shot(tab, f"hostile-{doc_id}")
    tab.goto(f"{hostile_server}/events?q=Moscow")
    tab.wait_for_selector("tr.row")
    tab.click("tr.row >> nth=0")
    tab.wait_for_selector("#evidence-text")
    assert tab.locator("main img").count() == 0 and tab.evaluate("window.__pwned") is None
    context.close()


def test_a_web_url_is_still_a_link(browser, hostile_server):
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(f"{hostile_server}/document?id=good-1")
    tab.wait_for_selector("#source-link")
    assert tab.get_attribute("#source-link", "href") == "https://example.org/jakarta"
    context.close()


def test_api_docs_render_offline_under_the_csp(page, live_server):
    response = page.goto(f"{live_server}/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector("section.operation")
    page.wait_for_load_state("networkidle")
    assert page.locator("section.operation").count() >= 10
    section = page.locator("#get-api-events")
    section.locator("input[name=actor]").fill("MYS")
    section.locator("button[type=submit]").click()
    section.locator("pre.result", has_text="200").wait_for()
    assert '"total"' in section.locator("pre.result").inner_text()
    _shot(page, "docs")
    assert page.errors == [] and page.outside == []


def test_pages_raise_no_csp_violations(page, live_server):
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security" in m.text else 0)
    for name in ("overview", "dyad", "country", "map", "events"):
        page.goto(f"{live_server}/{name}")
        page.wait_for_selector("main h2")
        page.wait_for_load_state("networkidle")
    assert violations == [] and page.errors == []
