"""The built site in a real browser (Debian's Chromium driven by Selenium), as a reader sees it.

The site is served on 127.0.0.1 under the base path of the default ``site_url``. Tests skip
when Chromium is not installed, unless COURSE_REQUIRE_BROWSER=1 (set by CI), which makes a
missing browser an error.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = [pytest.mark.site, pytest.mark.browser]

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
ARTIFACTS = Path(os.environ.get("COURSE_ARTIFACTS", "/tmp/course-artifacts"))
AXE = (ROOT / "tests" / "vendor" / "axe.min.js").read_text(encoding="utf-8")
A11Y_PAGES = ["", "readings/single-neuron/", "lessons/single-neuron/", "api/"]

if not (CHROMIUM and CHROMEDRIVER):
    if os.environ.get("COURSE_REQUIRE_BROWSER") == "1":
        raise RuntimeError("COURSE_REQUIRE_BROWSER=1 but chromium/chromedriver are not installed")
    pytest.skip(
        "Chromium is not installed (apt-get install chromium chromium-driver)",
        allow_module_level=True,
    )

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(built_site):
    handler = functools.partial(QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
        "--window-size=1280,900",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def open_page(browser, url: str) -> None:
    browser.get(url)
    WebDriverWait(browser, 15).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


@pytest.mark.parametrize(
    "page",
    ["lessons/single-neuron/", "readings/single-neuron/", "papers/transformer/", "api/models/"],
)
def test_language_switcher_round_trip(browser, base_url, page):
    open_page(browser, base_url + page)
    english = browser.find_element(
        By.CSS_SELECTOR, 'a.md-select__link[hreflang="en"]'
    ).get_attribute("href")
    open_page(browser, english)
    assert browser.current_url == base_url + "en/" + page
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    spanish = browser.find_element(
        By.CSS_SELECTOR, 'a.md-select__link[hreflang="es"]'
    ).get_attribute("href")
    open_page(browser, spanish)
    assert browser.current_url == base_url + page


@pytest.mark.parametrize(
    ("prefix", "query", "expected"),
    [("", "neurona", "lessons/single-neuron"), ("en/", "neuron", "en/lessons/single-neuron")],
)
def test_search_finds_terms_in_each_language(browser, base_url, prefix, query, expected):
    open_page(browser, base_url + prefix)
    field = browser.find_element(By.CSS_SELECTOR, "input.md-search__input")
    field.click()
    field.send_keys(query)
    WebDriverWait(browser, 20).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, ".md-search-result__item"))
    )
    links = [
        a.get_attribute("href")
        for a in browser.find_elements(By.CSS_SELECTOR, ".md-search-result__link")
    ]
    assert any(expected in link for link in links), links
    if prefix == "":
        assert not any("/en/" in link for link in links), "Spanish search returned English pages"


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_lesson_page_shows_loaded_figures_outputs_and_rendered_math(browser, base_url, prefix):
    open_page(browser, base_url + prefix + "lessons/binary-classification/")
    # Figures are lazy-loaded; load them all now, as scrolling through the page would.
    sizes = browser.execute_script(
        "return [...document.querySelectorAll('figure.lesson-figure img')].map(i => { i.loading = 'eager'; return i.src; })"
    )
    WebDriverWait(browser, 10).until(
        lambda d: all(
            d.execute_script(
                "return [...document.querySelectorAll('figure.lesson-figure img')].map(i => i.complete && i.naturalWidth > 0)"
            )
        )
    )
    assert len(sizes) >= 3
    shown = browser.execute_script(
        "return [...document.querySelectorAll('pre.lesson-output')]"
        ".filter(o => !o.closest('details')).map(o => o.innerText)"
    )
    word = "exactitud" if prefix == "" else "accuracy"  # printed in the page's language
    assert shown and any(word in text for text in shown), shown
    solution = browser.find_element(
        By.XPATH,
        "//details[contains(@class, 'success')][.//pre[contains(@class, 'lesson-output')]]",
    )
    output = solution.find_element(By.CSS_SELECTOR, "pre.lesson-output")
    assert not output.is_displayed(), "an executed solution starts folded"
    solution.find_element(By.TAG_NAME, "summary").click()
    WebDriverWait(browser, 5).until(lambda _: output.is_displayed())
    assert browser.find_elements(By.CSS_SELECTOR, ".arithmatex .katex"), (
        "math was not rendered by KaTeX"
    )
    raw = browser.execute_script(
        "return [...document.querySelectorAll('.arithmatex')].filter(e => !e.querySelector('.katex')).length"
    )
    assert raw == 0, f"{raw} formulas left as raw TeX"


def set_palette(browser, scheme: str) -> None:
    index = 0 if scheme == "default" else 1
    browser.execute_script(
        "localStorage.setItem(__md_scope.pathname + '.__palette', JSON.stringify({index: arguments[0], color: {scheme: arguments[1], primary: 'indigo', accent: 'deep-orange'}}));"
        "localStorage.setItem('/.__palette', JSON.stringify({index: arguments[0], color: {scheme: arguments[1], primary: 'indigo', accent: 'deep-orange'}}));",
        index,
        scheme,
    )
    browser.refresh()
    WebDriverWait(browser, 10).until(
        lambda d: (
            d.execute_script("return document.body.getAttribute('data-md-color-scheme')") == scheme
        )
    )


def test_dark_palette_keeps_figures_and_code_readable(browser, base_url):
    open_page(browser, base_url + "lessons/single-neuron/")
    for scheme in ("default", "slate"):
        set_palette(browser, scheme)
        figure_bg = browser.execute_script(
            "return getComputedStyle(document.querySelector('figure.lesson-figure img')).backgroundColor"
        )
        assert figure_bg == "rgb(255, 255, 255)", (
            "figures must keep their white card in every palette"
        )
        code = browser.find_element(By.CSS_SELECTOR, ".highlight code")
        fg, bg = browser.execute_script(
            "const s = getComputedStyle(arguments[0]); const p = getComputedStyle(arguments[0].closest('pre'));"
            "return [s.color, p.backgroundColor];",
            code,
        )
        assert fg != bg
        browser.find_element(By.CSS_SELECTOR, "figure.lesson-figure").screenshot(
            str(ARTIFACTS / f"figure-{scheme}.png")
        )
        browser.save_screenshot(str(ARTIFACTS / f"lesson-{scheme}.png"))
    set_palette(browser, "default")


def test_phone_viewport_has_reachable_navigation_and_no_overflow(browser, base_url):
    browser.set_window_size(390, 844)
    try:
        for page in ("", "lessons/single-neuron/", "en/readings/single-neuron/"):
            open_page(browser, base_url + page)
            time.sleep(0.3)
            assert browser.find_element(
                By.CSS_SELECTOR, "label.md-header__button[for='__drawer']"
            ).is_displayed()
            overflow = browser.execute_script(
                "return document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 1, f"{page} is {overflow}px wider than the phone screen"
        browser.save_screenshot(str(ARTIFACTS / "phone-lesson.png"))
    finally:
        browser.set_window_size(1280, 900)


@pytest.mark.parametrize(
    "page",
    [
        "",
        "lessons/single-neuron/",
        "en/lessons/binary-classification/",
        "en/api/training/lightning/",
        "glossary/",
    ],
)
def test_no_console_errors_and_no_request_leaves_localhost(browser, base_url, page):
    browser.get_log("browser")  # drop earlier entries
    open_page(browser, base_url + page)
    time.sleep(0.5)
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, errors
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(r => r.name)"
    )
    foreign = [url for url in resources if not url.startswith("http://127.0.0.1")]
    assert not foreign, f"requests leaving 127.0.0.1: {foreign}"


@pytest.mark.parametrize("prefix", ["", "en/"])
@pytest.mark.parametrize("page", A11Y_PAGES)
def test_accessibility_has_no_serious_violations(browser, base_url, prefix, page):
    open_page(browser, base_url + prefix + page)
    browser.execute_script(AXE)
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations)).catch(e => done(String(e)));"
    )
    assert isinstance(result, list), result
    report = [{"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"])} for v in result]
    name = (prefix + page).strip("/").replace("/", "_") or "home"
    (ARTIFACTS / f"axe-{name}.json").write_text(json.dumps(report, indent=1))
    serious = [v for v in report if v["impact"] in ("serious", "critical")]
    assert not serious, serious
