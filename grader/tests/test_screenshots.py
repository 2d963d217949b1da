"""The README's picture of a grader report, taken from a real run (`make screenshots`).

The lesson's code as written is graded with colours on; the report is drawn as a terminal would
(dark background, the same four colours) in Chromium and saved as docs/screenshots/grade-report.png.
"""

import html
import re
import subprocess
import sys

import pytest
from playwright.sync_api import sync_playwright

from grader.tests.helpers import PASSWORD, REPO_ROOT, USERNAME, serve
from tools.browser import launch_options

SCREENSHOT = REPO_ROOT / "docs" / "screenshots" / "grade-report.png"
ANSI_COLOURS = {"32": "#5fd35f", "33": "#e5c34b", "31": "#ff6b6b", "90": "#9a9a9a"}


def as_html(report: str) -> str:
    """The terminal report as a page: its ANSI colours as spans, everything else escaped."""
    body = html.escape(report)
    body = body.replace("\x1b[0m", "</span>")
    body = re.sub(r"\x1b\[(\d+)m", lambda m: f'<span style="color:{ANSI_COLOURS[m[1]]}">', body)
    return (
        "<!doctype html><body style='margin:0;background:#1e1e1e'>"
        "<pre style='margin:0;padding:16px;color:#ddd;font:13px/1.35 monospace;"
        f"white-space:pre-wrap;width:1000px'>{body}</pre></body>"
    )


@pytest.mark.screenshots
def test_a_report_on_the_lessons_code(tmp_path):
    app = serve("lesson", tmp_path)
    try:
        target = ["--api", app.api, "--app", app.app, "--username", USERNAME]
        done = subprocess.run(
            [sys.executable, "-m", "grader", *target, "--password", PASSWORD, "--color", "always"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        app.process.stop()
    assert done.returncode == 1, done.stdout + done.stderr
    # The ports change every run; the picture says where a student's app would be.
    report = done.stdout.replace(app.api, "http://localhost:3001").replace(
        app.app, "http://localhost:3000"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options())
        page = browser.new_page(viewport={"width": 1032, "height": 600})
        page.set_content(as_html(report))
        page.screenshot(path=SCREENSHOT, full_page=True)
        browser.close()
    assert SCREENSHOT.stat().st_size > 10_000
