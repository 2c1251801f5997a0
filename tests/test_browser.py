"""The report as a reader meets it: reports/report.html opened from disk in headless Chromium.

Debian's chromium drives Playwright's Python package (no `playwright install`, which downloads).
Every request the page makes is routed and recorded; only file: and data: URLs are let through, so a
stray CDN link fails here even on a machine that is online.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CHROMIUM, launch_chromium

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

VIEWPORT = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} not found (Debian package 'chromium'; .ci/run installs it)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


class Visit:
    """One page load with everything the page did recorded."""

    def __init__(self, page):
        self.page = page
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def open_page(browser, path: Path, viewport=None) -> Visit:
    context = browser.new_context(viewport=viewport or VIEWPORT)
    page = context.new_page()
    visit = Visit(page)

    def route(r):
        url = r.request.url
        visit.requests.append(url)
        if url.startswith(("file://", "data:")):
            r.continue_()
        else:
            visit.blocked.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: visit.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: visit.page_errors.append(str(e)))
    page.goto(path.resolve().as_uri(), wait_until="load")
    return visit


@pytest.fixture(scope="module")
def report_visit(browser, built_report):
    visit = open_page(browser, built_report / "report.html")
    yield visit
    visit.page.context.close()


def test_the_page_loads_without_errors_or_requests_elsewhere(report_visit):
    assert report_visit.requests, "no request recorded: the route did not run"
    assert not report_visit.blocked, f"requests that would leave the file: {report_visit.blocked[:5]}"
    assert not report_visit.console_errors, report_visit.console_errors[:5]
    assert not report_visit.page_errors, report_visit.page_errors[:5]


def test_the_embedded_font_is_the_one_used(report_visit):
    page = report_visit.page
    page.evaluate("document.fonts.ready.then(() => true)")
    assert page.evaluate("document.fonts.check('16px \"Report CJK\"', '服务外包')")
    family = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert family.startswith('"Report CJK"')


def test_every_figure_is_vector_with_selectable_text(report_visit):
    page = report_visit.page
    figures = page.evaluate("""Array.from(document.querySelectorAll('figure.figure')).map(f => ({
        id: f.id, svg: !!f.querySelector('svg'), texts: f.querySelectorAll('svg text').length,
        width: f.querySelector('svg') ? f.querySelector('svg').getBoundingClientRect().width : 0}))""")
    assert figures
    for f in figures:
        assert f["svg"] and f["texts"] > 5 and f["width"] > 300, f
    # Text in a figure can be selected like any other text.
    selected = page.evaluate("""(() => { const t = document.querySelector('#fig-b1 svg text');
        const r = document.createRange(); r.selectNodeContents(t);
        const s = getSelection(); s.removeAllRanges(); s.addRange(r); return s.toString(); })()""")
    assert selected.strip()


def test_every_internal_link_has_a_target(report_visit):
    # As the HTML standard finds a fragment's element: the id as written, then percent-decoded.
    missing = report_visit.page.evaluate("""
        Array.from(document.querySelectorAll('a[href^="#"]'))
          .map(a => a.getAttribute('href').slice(1))
          .filter(id => id && !document.getElementById(id) && !document.getElementById(decodeURIComponent(id)))""")
    assert not missing, f"links to no element: {sorted(set(missing))[:10]}"
    duplicates = report_visit.page.evaluate("""
        (() => { const seen = {}; for (const e of document.querySelectorAll('[id]')) seen[e.id] = (seen[e.id] || 0) + 1;
                 return Object.keys(seen).filter(k => seen[k] > 1); })()""")
    assert not duplicates, f"ids used more than once: {duplicates[:10]}"


def test_claim_links_land_on_audit_rows(report_visit):
    page = report_visit.page
    claims = page.evaluate("""Array.from(new Set(Array.from(document.querySelectorAll('a[href^="#claim-"]'))
                                .map(a => a.getAttribute('href'))))""")
    if not page.evaluate("!!document.getElementById('part-audit')"):
        pytest.skip("the claims audit is not part of this build")
    assert claims, "the figures and tables link to no audited claim"
    for href in claims:
        assert page.evaluate(f"document.getElementById({href[1:]!r}).tagName") == "TR", href


def test_every_contents_link_scrolls_its_target_into_view(report_visit):
    page = report_visit.page
    hrefs = page.evaluate("Array.from(document.querySelectorAll('nav.toc a')).map(a => a.getAttribute('href'))")
    assert len(hrefs) >= 6
    page.evaluate("window.scrollTo(0, 0)")
    for href in hrefs:
        target = href[1:]
        assert page.evaluate(f"!!document.getElementById({target!r})"), f"{href}: no such element"
        page.evaluate("window.scrollTo(0, 0)")
        page.locator(f"nav.toc a[href={href!r}]").first.click()
        page.wait_for_function(f"location.hash === {href!r}")
        top = page.evaluate(f"document.getElementById({target!r}).getBoundingClientRect().top")
        height = page.evaluate("window.innerHeight")
        assert 0 <= top < height, f"{href}: target at {top:.0f}px, viewport is {height}px tall"


def test_code_is_folded_and_opens(report_visit):
    page = report_visit.page
    assert page.evaluate("document.querySelectorAll('details.code').length") > 0
    assert page.evaluate("document.querySelectorAll('details.code[open]').length") == 0
    first = page.locator("details.code").first
    first.scroll_into_view_if_needed()
    assert not first.locator("pre").first.is_visible()
    first.locator("summary").click()
    assert first.locator("pre").first.is_visible()


def test_figures_and_tables_have_numbered_bilingual_captions(report_visit):
    captions = report_visit.page.evaluate("""
        Array.from(document.querySelectorAll('figure.figure, figure.table')).map(f => {
            const c = f.querySelector('figcaption');
            return {id: f.id, number: c && c.querySelector('.item-no') ? c.querySelector('.item-no').innerText : '',
                    zh: c && c.querySelector('.cap-zh') ? c.querySelector('.cap-zh').innerText : '',
                    en: c && c.querySelector('.cap-en') ? c.querySelector('.cap-en').innerText : '',
                    source: f.querySelector('p.source') ? f.querySelector('p.source').innerText : ''};
        })""")
    assert captions
    for cap in captions:
        assert re.fullmatch(r"(Figure|Table) [A-Z]\d+\.", cap["number"]), cap
        assert re.search(r"[\u4e00-\u9fff]", cap["zh"]), cap
        assert re.search(r"[A-Za-z]", cap["en"]), cap
        assert "code:" in cap["source"] and "notebooks/" in cap["source"], cap


def test_a_notebook_page_opens_and_links_back(browser, built_report):
    pages = sorted((built_report / "notebooks").glob("*.html"))
    assert pages
    visit = open_page(browser, pages[0])
    try:
        assert not visit.blocked and not visit.console_errors and not visit.page_errors
        back = visit.page.locator("nav.back a")
        assert back.get_attribute("href").startswith("../report.html#nb-")
        back.click()
        visit.page.wait_for_load_state("load")
        assert visit.page.url.endswith(f"report.html#nb-{pages[0].stem}")
    finally:
        visit.page.context.close()


# ---------------------------------------------------------------------------------------------
# Read at 1280 px and at 390 px (a phone)


@pytest.fixture(scope="module", params=[VIEWPORT, PHONE], ids=["1280px", "390px"])
def sized_visit(request, browser, built_report):
    visit = open_page(browser, built_report / "report.html", request.param)
    yield visit
    visit.page.context.close()


def test_the_page_never_scrolls_sideways(sized_visit):
    page = sized_visit.page
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Nothing sticks out of the page: every element wider than the viewport sits in a scroll box.
    sticking_out = page.evaluate("""(() => {
        const w = document.documentElement.clientWidth, out = [];
        for (const e of document.querySelectorAll('main *')) {
            const r = e.getBoundingClientRect();
            if (r.width === 0 || r.right <= w + 1) continue;
            let p = e.parentElement, boxed = false;
            while (p) { const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') { boxed = true; break; } p = p.parentElement; }
            if (!boxed) out.push(e.tagName + '.' + e.className + '#' + e.id);
        }
        return out.slice(0, 10); })()""")
    assert not sticking_out, sticking_out


def test_contents_stay_in_view_on_wide_screens_and_fold_on_phones(sized_visit):
    page = sized_visit.page
    wide = page.viewport_size["width"] >= 1200
    page.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
    sidebar = page.locator("nav.sidebar")
    assert sidebar.is_visible() == wide
    if wide:
        assert page.evaluate("document.querySelector('nav.sidebar').getBoundingClientRect().top") <= 0.5
    top = page.locator("p.corner a[href='#top']")
    assert top.is_visible()  # back to the top is always near
    top.click()
    page.wait_for_function("location.hash === '#top'")
    assert 0 <= page.evaluate("document.getElementById('top').getBoundingClientRect().top") < 100


@pytest.mark.parametrize("query, expect", [("温州", "温州"), ("2,964", "2,964")])
def test_search_finds_headings_captions_and_table_cells(sized_visit, query, expect):
    page = sized_visit.page
    if page.viewport_size["width"] < 1200:
        pytest.skip("the search box sits in the sidebar, shown on wide screens")
    box = page.locator("#q")
    box.fill(query)
    hits = page.locator("#hits a")
    assert hits.count() > 0
    texts = [hits.nth(i).inner_text() for i in range(min(hits.count(), 20))]
    assert any(expect in t for t in texts), texts
    href = hits.first.get_attribute("href")
    assert page.evaluate(f"!!document.getElementById({href[1:]!r})")


def test_every_cross_reference_resolves_both_ways(sized_visit):
    page = sized_visit.page
    pairs = page.evaluate("""Array.from(document.querySelectorAll('.shown-in a')).map(a => ({
        claim: a.closest('tr') ? a.closest('tr').id : '', item: a.getAttribute('href').slice(1)}))""")
    assert pairs, "no audited claim links back to a figure or table"
    for pair in pairs:
        links = page.evaluate(
            f"Array.from(document.getElementById({pair['item']!r}).querySelectorAll('a'))"
            ".map(a => a.getAttribute('href'))"
        )
        assert "#" + pair["claim"] in links, pair


def test_axe_finds_no_accessibility_violation(sized_visit):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    results = axe_module.Axe().run(sized_visit.page)
    violations = [(v["id"], v["impact"], len(v["nodes"])) for v in results.response["violations"]]
    assert not violations, violations


def test_screenshots_at_both_widths(sized_visit, built_report):
    width = sized_visit.page.viewport_size["width"]
    target = built_report / f"report_screenshot_{width}.png"
    sized_visit.page.evaluate("window.scrollTo(0, 0)")
    sized_visit.page.screenshot(path=str(target))
    assert target.stat().st_size > 10_000
