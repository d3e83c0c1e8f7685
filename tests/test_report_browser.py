"""The HTML report in a real browser (headless Chromium): it loads offline, filters, moves, and is safe."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from plancmp.compare import CompareOptions, compare, is_contested
from plancmp.model import Comparison, Group
from plancmp.parse import load_document
from plancmp.parse.from_toml import load_positions, load_rules
from plancmp.render import link_title
from plancmp.render.escape import escape_terminal
from plancmp.render.to_html import render_report_html
from tests.conftest import CHROMIUM, browser_unavailable
from tests.test_render_html import write_hostile

ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DRAFTS = Path(__file__).resolve().parent.parent / "drafts"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module (starting it is most of the time these tests take).

    Without one these tests skip, saying why; in CI ($CI set) they fail instead.
    """
    if not os.path.exists(CHROMIUM):
        browser_unavailable(f"Chromium not found at {CHROMIUM} ($PLANCMP_CHROMIUM); apt-get install chromium")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        browser_unavailable("playwright is not installed; pip install '.[test]'")
    with sync_playwright() as p:
        try:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except Error as exc:
            browser_unavailable(f"Chromium at {CHROMIUM} did not start: {str(exc).strip().splitlines()[0]}")
        yield chromium
        chromium.close()


def wait_until(page: Any, expression: str, timeout: float = 5.0) -> None:
    """Poll an expression from outside the page.

    page.wait_for_function polls by eval inside the page, which the report's CSP forbids (it
    allows its one hashed script and nothing else); page.evaluate goes through DevTools instead.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        page.wait_for_timeout(50)


@dataclass
class Watched:
    """A page and what it did: console errors, requests, dialogs."""

    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def open(self, path: Path) -> None:
        self.page.goto(path.as_uri())
        wait_until(self.page, "window.plancmpReady === true")

    def visible_titles(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "#rows > li", "rows => rows.filter(r => !r.hidden).map(r => r.querySelector('.gt').textContent)"
        )

    def toggle(self, selector: str) -> None:
        """Tick or untick a box the way a keyboard user does: focus it, press Space."""
        self.page.focus(selector)
        self.page.keyboard.press("Space")

    def focused_title(self) -> str | None:
        return self.page.evaluate(
            "() => { const r = document.activeElement.closest('#rows > li');"
            " return r ? r.querySelector('.gt').textContent : null; }"
        )


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    """A fresh context and page, watched."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    w = Watched(page)
    page.on("console", lambda m: w.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: w.errors.append(str(e)))
    page.on("request", lambda r: w.requests.append(r.url))

    def on_dialog(dialog: Any) -> None:
        w.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield w
    context.close()


@pytest.fixture(scope="module")
def bundled() -> Comparison:
    options = CompareOptions(positions=load_positions(str(DRAFTS / "positions.toml")), rules=load_rules())
    return compare(load_document(str(DRAFTS / "28-point.txt")), load_document(str(DRAFTS / "20-point.txt")), options)


@pytest.fixture(scope="module")
def report(bundled: Comparison, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_report_html(bundled), encoding="utf-8")
    return path


def test_the_page_loads_offline_with_no_errors_and_no_requests(watched: Watched, report: Path) -> None:
    watched.open(report)
    watched.page.wait_for_load_state("load")
    assert watched.errors == []
    assert watched.requests == [report.as_uri()]
    assert watched.page.is_visible("#controls")


def test_rows_and_map_match_the_comparison(watched: Watched, report: Path, bundled: Comparison) -> None:
    watched.open(report)
    page = watched.page
    assert watched.visible_titles() == [link_title(g) for g in bundled.groups]
    assert page.locator("#map path.link").count() == sum(len(g.old) * len(g.new) for g in bundled.groups)
    assert page.locator("#map text.mk.dropped").count() == 10
    assert page.locator("#map text.mk.added").count() == 1
    row = page.locator("#rows > li", has=page.locator(".gt", has_text="6 → 4"))
    assert row.locator(".side.old del", has_text="600,000").is_visible()
    assert row.locator(".side.new ins", has_text="800,000").is_visible()
    # Side by side, the old column does not show the new words; the inline view shows both.
    assert not row.locator(".side.old ins", has_text="800,000").is_visible()
    watched.toggle("input[name=view][value=inline]")
    assert row.locator(".side.old ins", has_text="800,000").is_visible()
    assert not row.locator(".side.new").is_visible()


def test_contested_only_and_search_show_exactly_the_matching_rows(
    watched: Watched, report: Path, bundled: Comparison
) -> None:
    watched.open(report)
    page = watched.page
    watched.toggle("input[name=contested]")
    contested = [link_title(g) for g in bundled.groups if is_contested(g, bundled)]
    assert watched.visible_titles() == contested == ["6 → 4", "7 → —", "14 → —", "21 → 14"]
    assert page.inner_text("#shown") == "Showing 4 of 29 groups"
    watched.toggle("input[name=contested]")
    page.fill("#q", "Zaporizhzhia")

    def mentions(group: Group, word: str) -> bool:
        points = [bundled.old.find(i) for i in group.old] + [bundled.new.find(i) for i in group.new]
        return any(p is not None and word.lower() in p.full_text.lower() for p in points)

    expected = [link_title(g) for g in bundled.groups if mentions(g, "Zaporizhzhia")]
    assert watched.visible_titles() == expected == ["19 → 12", "21 → 14"]
    page.fill("#q", "12.a")
    assert watched.visible_titles() == ["12 → 8+9"]
    page.fill("#q", "")
    watched.toggle("input[name=status][value=modified]")
    assert set(watched.visible_titles()) == {link_title(g) for g in bundled.groups if g.status.value != "modified"}
    page.click("button[type=reset]")
    wait_until(page, "document.querySelectorAll('#rows > li[hidden]').length === 0")


def test_n_and_p_move_focus_between_changed_rows_skipping_hidden_ones(watched: Watched, report: Path) -> None:
    watched.open(report)
    page = watched.page
    page.keyboard.press("n")
    assert watched.focused_title() == "1 → 1"
    page.keyboard.press("n")
    assert watched.focused_title() == "2 → 2"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    # From the "contested only" box, n goes to the first contested row on screen.
    watched.toggle("input[name=contested]")
    page.keyboard.press("n")
    assert watched.focused_title() == "6 → 4"
    page.keyboard.press("n")
    assert watched.focused_title() == "7 → —"
    page.keyboard.press("p")
    assert watched.focused_title() == "6 → 4"
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    # Typing n in the search box types an n; it does not move.
    page.keyboard.type("n")
    assert page.input_value("#q") == "n"


def test_clicking_a_map_line_goes_to_its_row(watched: Watched, report: Path) -> None:
    watched.open(report)
    page = watched.page
    page.locator("#map a.lk.moved").click()
    assert page.evaluate("location.hash") == "#old-16"
    assert watched.focused_title() == "probably 16 → 6 (reworded; 0.60)"
    top = page.evaluate("document.getElementById('old-16').closest('li').getBoundingClientRect().top")
    assert 0 < top < 100


def test_a_link_to_a_row_the_filters_hide_opens_it_and_the_count_says_so(watched: Watched, report: Path) -> None:
    watched.open(report)
    page = watched.page
    page.fill("#q", "zzzz")
    wait_until(page, "document.getElementById('shown').textContent === 'Showing 0 of 29 groups'")
    assert page.is_visible("#no-match")
    page.evaluate("location.hash = '#new-2'")
    wait_until(page, "document.getElementById('shown').textContent === 'Showing 1 of 29 groups'")
    assert watched.visible_titles() == ["2 → 2"] and watched.focused_title() == "2 → 2"
    assert not page.is_visible("#no-match")
    dimmed = page.eval_on_selector_all(
        "#map [data-k]", "els => els.filter(e => e.classList.contains('dim')).map(e => e.getAttribute('data-k'))"
    )
    key = page.evaluate("document.getElementById('new-2').closest('#rows > li').getAttribute('data-k')")
    assert key not in dimmed and len(dimmed) > 0
    # A filter changed afterwards applies to every row again, that one too.
    page.fill("#q", "zzzzz")
    wait_until(page, "document.getElementById('shown').textContent === 'Showing 0 of 29 groups'")


def test_a_screenshot_of_the_report(watched: Watched, report: Path, tmp_path: Path) -> None:
    watched.open(report)
    shot = tmp_path / "report.png"
    watched.page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    # On a phone the two columns stack.
    watched.page.set_viewport_size({"width": 390, "height": 800})
    columns = watched.page.evaluate(
        "getComputedStyle(document.querySelector('#rows > li .sides')).gridTemplateColumns.split(' ').length"
    )
    assert columns == 1
    watched.page.screenshot(path=str(tmp_path / "phone.png"))


def test_a_hostile_draft_runs_nothing_and_shows_as_written(watched: Watched, tmp_path: Path) -> None:
    old, new, positions = write_hostile(tmp_path)
    comparison = compare(
        load_document(str(old)), load_document(str(new)),
        CompareOptions(positions=load_positions(str(positions)), rules=load_rules()),
    )
    page_path = tmp_path / "hostile.html"
    page_path.write_text(render_report_html(comparison), encoding="utf-8")
    watched.open(page_path)
    page = watched.page
    page.wait_for_timeout(100)
    assert watched.dialogs == []
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert watched.requests == [page_path.as_uri()]
    assert watched.errors == []
    row = page.locator("#rows > li", has=page.locator(".gt", has_text="2 → 2"))
    assert row.locator(".side.new .txt").inner_text() == comparison.new.find("2").text  # type: ignore[union-attr]
    added = page.locator("#rows > li", has=page.locator(".gt", has_text="— → 5"))
    assert added.locator(".side.new .txt").inner_text() == escape_terminal(comparison.new.find("5").text)  # type: ignore[union-attr]
    assert page.locator("h1").inner_text() == f"{comparison.old.source} → {comparison.new.source}"
    party = row.locator("li.pos abbr")
    assert party.get_attribute("title") == comparison.parties[0].name


def test_without_javascript_every_row_shows_and_the_controls_stay_hidden(browser: Any, report: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(report.as_uri())
    assert page.locator("#rows > li:visible").count() == 29
    assert not page.is_visible("#controls")
    # The map's links are plain fragment links: they work without the script.
    assert page.locator("#map a.lk.moved").get_attribute("href") == "#old-16"
    context.close()


# -- the chain report -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chain_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from plancmp.compare import compare_chain, compare_pairs
    from plancmp.parse.from_toml import load_negotiation
    from plancmp.render.to_html_chain import picker_pairs, render_chain_html

    negotiation = load_negotiation(str(DRAFTS / "negotiation.toml"))
    docs = tuple(load_document(d.path) for d in negotiation.drafts)
    options = CompareOptions(positions=load_positions(negotiation.positions or ""), rules=load_rules())
    chain = compare_chain(docs, tuple(d.label for d in negotiation.drafts), options)
    # As `plancmp report --negotiation` writes it: every pair of drafts in the picker.
    html = render_chain_html(
        chain, negotiation.title, tuple(d.date for d in negotiation.drafts), tuple(d.side for d in negotiation.drafts),
        compare_pairs(chain, picker_pairs(chain), options),
    )
    path = tmp_path_factory.mktemp("chain") / "chain.html"
    path.write_text(html, encoding="utf-8")
    return path


def visible_pairs(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "section.pair", "ss => ss.filter(s => s.offsetParent !== null).map(s => s.dataset.pair)"
    )


def test_the_chain_page_loads_offline_with_no_errors_and_no_requests(watched: Watched, chain_report: Path) -> None:
    watched.open(chain_report)
    page = watched.page
    assert watched.errors == []
    assert watched.requests == [chain_report.as_uri()]
    assert page.is_visible("#picker")
    # First against last is shown at first; the timelines wait to be opened.
    assert visible_pairs(page) == ["0-3"]
    assert page.input_value("#pick-old") == "0" and page.input_value("#pick-new") == "3"
    assert page.locator("tr.tl-row:visible").count() == 0
    assert page.locator("tbody.lineage").count() == 28


def test_the_picker_compares_any_two_drafts(watched: Watched, chain_report: Path) -> None:
    watched.open(chain_report)
    page = watched.page
    page.select_option("#pick-old", "1")
    # The new draft chosen (the last) is kept: the European draft against the 20-point one.
    assert page.input_value("#pick-new") == "3"
    assert visible_pairs(page) == ["1-3"]
    assert page.inner_text("#pair-shown") == "Showing 28-point European → 20-point"
    # Only drafts after the old one can be the new one.
    disabled = page.eval_on_selector_all("#pick-new option", "os => os.map(o => o.disabled)")
    assert disabled == [True, False, False]
    page.select_option("#pick-new", "2")
    assert visible_pairs(page) == ["1-2"]
    section = page.locator("#pair-1-2")
    # 28 points, 27 groups: 7 and 8 merge into 5 at this step.
    assert section.locator("ol.rows > li:visible").count() == section.locator("ol.rows > li").count() == 27
    assert page.locator("#pair-0-3 ol.rows > li:visible").count() == 0
    page.select_option("#pick-old", "0")
    page.select_option("#pick-new", "2")
    assert visible_pairs(page) == ["0-2"]
    assert page.inner_text("#pair-shown") == "Showing 28-point → 19-point Geneva"
    assert page.locator("#pair-0-2 .pair-summary").inner_text().startswith("28 → 19 points:")
    page.select_option("#pick-new", "3")
    assert visible_pairs(page) == ["0-3"]
    assert page.inner_text("#pair-shown") == "Showing 28-point → 20-point (first and last, compared directly)"
    row = page.locator("#pair-0-3 ol.rows > li", has=page.locator(".gt", has_text="6 → 4"))
    assert row.locator(".side.old del", has_text="600,000").is_visible()
    assert row.locator(".side.new ins", has_text="800,000").is_visible()
    assert watched.errors == []


def test_clicking_a_lineage_opens_its_timeline(watched: Watched, chain_report: Path, tmp_path: Path) -> None:
    watched.open(chain_report)
    page = watched.page
    row = page.locator("#lin-6 tr.lin")
    assert not page.is_visible("#tl-6")
    row.locator("td.id").first.click()
    assert page.is_visible("#tl-6")
    assert row.locator("button.tl-toggle").get_attribute("aria-expanded") == "true"
    timeline = page.locator("#tl-6")
    assert timeline.locator("li.tl-e").count() == 4
    assert timeline.locator("li.tl-e").nth(1).locator("del", has_text="600,000").is_visible()
    assert timeline.locator("li.tl-e").nth(3).locator("li.pos .chip.party").inner_text() == "RU rejects"
    assert page.locator("tr.tl-row:visible").count() == 1
    page.screenshot(path=str(tmp_path / "chain.png"))
    assert (tmp_path / "chain.png").stat().st_size > 10_000
    # The button says the same from the keyboard, and closes it again.
    row.locator("button.tl-toggle").focus()
    page.keyboard.press("Enter")
    assert not page.is_visible("#tl-6")
    assert row.locator("button.tl-toggle").get_attribute("aria-expanded") == "false"
    # A link to a timeline opens it.
    page.evaluate("location.hash = '#tl-12'")
    wait_until(page, "document.getElementById('tl-12').offsetParent !== null")
    assert watched.errors == []


def test_without_javascript_the_chain_page_shows_every_pair_and_timeline(browser: Any, chain_report: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(chain_report.as_uri())
    assert visible_pairs(page) == ["0-1", "1-2", "2-3", "0-3", "0-2", "1-3"]
    assert page.locator("tr.tl-row:visible").count() == 28
    assert not page.is_visible("#picker")
    assert not page.is_visible("#controls")
    context.close()


# -- phones, short windows, the new filters ------------------------------------------------------------------


def page_width(page: Any) -> tuple[int, int]:
    """(how wide the page's content is, how wide the window is): equal when nothing scrolls sideways."""
    width, window = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return width, window


def test_on_a_phone_nothing_scrolls_sideways(browser: Any, report: Path, chain_report: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(chain_report.as_uri())
    wait_until(page, "window.plancmpReady === true")
    assert page_width(page) == (390, 390)
    # The lineage table is a list: each row's numbers on a line, then its steps that did something.
    row = page.locator("#lin-6 tr.lin")
    assert row.locator("td.id").evaluate_all("cs => cs.map(c => c.getBoundingClientRect().top)") == [
        pytest.approx(row.locator("td.id").first.bounding_box()["y"], abs=2)  # type: ignore[index]
    ] * 4
    assert row.locator("td.step.quiet").first.is_hidden()
    assert row.locator("td.step", has_text="600,000 personnel → 800,000 personnel").is_visible()
    row.locator("td.id").first.click()
    assert page.is_visible("#tl-6")
    assert page_width(page) == (390, 390)
    page.select_option("#pick-old", "1")
    page.locator("#pair-1-3").scroll_into_view_if_needed()
    assert page_width(page) == (390, 390)
    page.goto(report.as_uri())
    wait_until(page, "window.plancmpReady === true")
    assert page_width(page) == (390, 390)
    context.close()


def test_the_side_panel_keeps_the_filters_in_view_and_scrolls_the_map_on_its_own(browser: Any, report: Path) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(report.as_uri())
    wait_until(page, "window.plancmpReady === true")
    page.evaluate("window.scrollTo(0, 2000)")
    box = page.locator(".panel").bounding_box()
    assert box is not None and box["y"] == 0 and box["height"] <= 900
    last = page.locator("#map .old-col a.num", has=page.locator("text", has_text="28")).last
    legend = page.locator(".legend")
    assert legend.bounding_box()["y"] > 900  # type: ignore[index]  # below the window, for now
    search_at = page.locator("#q").bounding_box()["y"]  # type: ignore[index]
    # The wheel over the map scrolls the map alone (not the page, nor the filters above it) and
    # brings its end into view.
    page.mouse.move(1200, 700)
    page.mouse.wheel(0, 2000)
    wait_until(page, "document.querySelector('.legend').getBoundingClientRect().bottom <= 900")
    assert page.evaluate("window.scrollY") == 2000
    assert page.locator("#q").bounding_box()["y"] == search_at  # type: ignore[index]
    for part in (last, legend, page.locator("#q")):
        box = part.bounding_box()
        assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 900
    context.close()


def test_the_status_filter_offers_changed_moved_and_renumbered(
    watched: Watched, report: Path, bundled: Comparison
) -> None:
    watched.open(report)
    page = watched.page
    watched.toggle("input[name=flag][value=moved]")
    assert watched.visible_titles() == ["12 → 8+9", "probably 16 → 6 (reworded; 0.60)"]  # 12.a moved inside 12, as --only moved says
    assert page.inner_text("#shown") == "Showing 2 of 29 groups"
    watched.toggle("input[name=flag][value=renumbered]")
    renumbered = [link_title(g) for g in bundled.groups if any(s.renumbered or s.moved for s in g.walk())]
    assert watched.visible_titles() == renumbered and len(renumbered) == 16
    watched.toggle("input[name=flag][value=moved]")
    watched.toggle("input[name=flag][value=renumbered]")
    watched.toggle("input[name=flag][value=changed]")
    assert watched.visible_titles() == [link_title(g) for g in bundled.groups if g.changed]
    labels = page.eval_on_selector_all("input[name=flag]", "bs => bs.map(b => b.parentNode.textContent.trim())")
    assert labels == ["Δ changed (29)", "↕ moved (2)", "№ renumbered (16)"]


def test_a_search_hides_the_text_outside_the_points_unless_it_matches_there(watched: Watched, report: Path) -> None:
    watched.open(report)
    page = watched.page
    assert page.is_visible("#outside")
    page.fill("#q", "Zaporizhzhia")
    assert watched.visible_titles() == ["19 → 12", "21 → 14"]
    assert not page.is_visible("#outside")
    page.fill("#q", "framework")
    assert page.is_visible("#outside")
    page.fill("#q", "")
    watched.toggle("input[name=flag][value=moved]")
    assert not page.is_visible("#outside")  # like `diff --only moved`: the outside text is not a move
    watched.toggle("input[name=flag][value=moved]")
    assert page.is_visible("#outside")


def test_on_the_chain_page_a_link_past_the_filters_opens_its_lineage_or_row_and_is_counted(
    watched: Watched, chain_report: Path
) -> None:
    watched.open(chain_report)
    page = watched.page
    page.fill("#q", "zzzz")
    nothing = "Showing 0 of 28 points through the drafts; 0 of 29 groups of 28-point → 20-point"
    wait_until(page, f"document.getElementById('shown').textContent === {nothing!r}")
    first = page.evaluate("document.querySelector('#lineages > tbody.lineage').id")
    page.evaluate(f"location.hash = '#{first}'")
    one = "Showing 1 of 28 points through the drafts; 0 of 29 groups of 28-point → 20-point"
    wait_until(page, f"document.getElementById('shown').textContent === {one!r}")
    assert page.evaluate(f"document.getElementById('{first}').classList.contains('open')")
    assert not page.is_visible("#no-lineage")
    page.evaluate("location.hash = '#p0-3-new-4'")
    two = "Showing 1 of 28 points through the drafts; 1 of 29 groups of 28-point → 20-point"
    wait_until(page, f"document.getElementById('shown').textContent === {two!r}")
    assert not page.is_visible("#pair-0-3 .no-match")
    assert watched.errors == []


def test_the_chain_page_filters_and_searches_lineages_and_the_pair_shown(watched: Watched, chain_report: Path) -> None:
    watched.open(chain_report)
    page = watched.page

    def lineages() -> list[str]:
        return page.eval_on_selector_all(
            "#lineages > tbody.lineage", "bs => bs.filter(b => !b.hidden).map(b => b.dataset.path)"
        )

    assert len(lineages()) == 28
    watched.toggle("input[name=flag][value=moved]")
    assert lineages() == ["12 → 12 → 8 → 8+9", "16 → 16 → 9 → 6"]
    # The pair shown (28-point → 20-point) is filtered the same way.
    assert page.eval_on_selector_all(
        "#pair-0-3 ol.rows > li", "rs => rs.filter(r => !r.hidden).map(r => r.querySelector('.gt').textContent)"
    ) == ["12 → 8+9", "probably 16 → 6 (reworded; 0.60)"]
    assert page.inner_text("#shown") == (
        "Showing 2 of 28 points through the drafts; 2 of 29 groups of 28-point → 20-point"
    )
    watched.toggle("input[name=flag][value=moved]")
    watched.toggle("input[name=contested]")
    assert lineages() == ["6 → 6 → 4 → 4", "7+8 → 7+8 → 5 → —", "14 → 14 → — → —", "21 → 21 → 13 → 14"]
    watched.toggle("input[name=contested]")
    page.fill("#q", "Zaporizhzhia")
    assert lineages() == ["19 → 19 → 11 → 12", "21 → 21 → 13 → 14"]
    page.fill("#q", "8+9")
    assert lineages() == []
    assert page.is_visible("#no-lineage")
    page.fill("#q", "9")
    assert "12 → 12 → 8 → 8+9" in lineages() and "16 → 16 → 9 → 6" in lineages()
    page.fill("#q", "")
    page.select_option("select[name=party]", "RU")
    assert lineages() == ["6 → 6 → 4 → 4"]
    page.click("button[type=reset]")
    wait_until(page, "document.querySelectorAll('#lineages > tbody[hidden]').length === 0")
    assert watched.errors == []
