"""Make docs/report.png, the README's picture of the HTML report, from the code as it is now.

    python docs/make_report_png.py [OUT.png]     (default: docs/report.png)

It writes the report the README shows how to write (`plancmp report` on the bundled 28- and
20-point drafts with their positions), opens it in headless Chromium (through Playwright, from
`pip install '.[test]'`) at 1280 × 900 and saves what the window shows. Run it after changing the
report, so that the picture never shows an older one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ["drafts/28-point.txt", "drafts/20-point.txt", "--positions", "drafts/positions.toml"]
"""The `plancmp report` arguments, relative to the repository, as the README gives them."""
WINDOW = (1280, 900)
"""The browser window, in CSS pixels (one device pixel each)."""


def chromium() -> str | None:
    """$PLANCMP_CHROMIUM, or the Chromium (or Chrome) on PATH, if any."""
    if os.environ.get("PLANCMP_CHROMIUM"):
        return os.environ["PLANCMP_CHROMIUM"]
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def main(out: Path) -> None:
    """Write the report with the current code and save a screenshot of it at out."""
    browser = chromium()
    if browser is None:
        sys.exit("make_report_png: Chromium not found; apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sys.exit("make_report_png: Playwright not found; pip install '.[test]'")
    with tempfile.TemporaryDirectory() as tmp:
        page_file = Path(tmp) / "report.html"
        subprocess.run(
            [sys.executable, "-m", "plancmp", "report", *REPORT, "-o", str(page_file)], cwd=ROOT, check=True
        )
        width, height = WINDOW
        # Playwright, not `chromium --screenshot`: that one now and then saves the window before
        # every part of it is painted (a white block where rows should be).
        with sync_playwright() as p:
            engine = p.chromium.launch(executable_path=browser, args=["--no-sandbox", "--disable-gpu"])
            page = engine.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
            page.goto(page_file.as_uri())
            deadline = time.monotonic() + 10
            # The page's script shows the filters; wait for it (polled from outside: the page's
            # Content-Security-Policy allows no script of Playwright's inside it).
            while not page.evaluate("window.plancmpReady === true"):
                if time.monotonic() > deadline:
                    sys.exit("make_report_png: the report's script did not finish")
                page.wait_for_timeout(50)
            page.screenshot(path=str(out))
            engine.close()
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "report.png")
