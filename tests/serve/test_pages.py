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
    page.wait_for_function(f"parseInt(document.querySelector('#total').textContent) < {before}")
    after = int(page.inner_text("#total").split()[0])
    assert 0 < after < before
    page.click("tr.row >> nth=0")
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
    page.wait_for_function(f"document.querySelectorAll('#world circle').length < {before}")
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
