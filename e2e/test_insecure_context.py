"""One server for a classroom: students open http://<the teacher's laptop>:5000, plain http.

A browser treats that origin as not "potentially trustworthy" (only https://, localhost and
127.0.0.0/8 are), so the page gets no secure context: no `crypto.subtle`, among others. Here
Chromium resolves the name classroom.test to 127.0.0.1 (`--host-resolver-rules`), so the page's
origin is http://classroom.test:<port>, exactly what a student's browser sees, and every page
and all nine tamper-lab experiments must still work.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from helpers import (
    ConsoleWatch,
    experiment,
    fill_signup_form,
    log_in,
    run,
    stored_token,
    unique_username,
)
from playwright.sync_api import BrowserType, Page, expect

ROOM_HOST = "classroom.test"


@pytest.fixture
def room_url(server: str) -> str:
    """The app's URL under a LAN-like name instead of 127.0.0.1."""
    return f"http://{ROOM_HOST}:{urlsplit(server).port}"


@pytest.fixture
def room_page(
    browser_type: BrowserType,
    browser_type_launch_args: dict,
    room_url: str,
    console_watch: ConsoleWatch,
) -> Iterator[Page]:
    """A page in a Chromium of its own, whose resolver sends classroom.test to this machine."""
    rule = f"--host-resolver-rules=MAP {ROOM_HOST} 127.0.0.1"
    args = [*browser_type_launch_args.get("args", []), rule]
    browser = browser_type.launch(**{**browser_type_launch_args, "args": args})
    context = browser.new_context(base_url=room_url)
    context.on("page", console_watch.watch)
    try:
        yield context.new_page()
    finally:
        context.close()
        browser.close()
    # The same rule as the other tests: the CSP must not block anything here either.
    assert console_watch.csp_violations == []


def test_every_page_and_every_tamper_experiment_work_without_a_secure_context(
    room_page: Page, room_url: str
) -> None:
    page = room_page
    page.goto("/")
    expect(page.get_by_role("heading", name="See how a JWT protects an API")).to_be_visible()
    # The point of the test: this origin is not trustworthy, so WebCrypto's subtle is absent.
    assert page.evaluate("window.isSecureContext") is False
    assert page.evaluate("typeof window.crypto.subtle") == "undefined"

    page.goto("/how-it-works")
    expect(page.get_by_role("heading", name="How it works", level=1)).to_be_visible()

    username, password = unique_username(), "a classroom passphrase"
    page.goto("/signup")
    fill_signup_form(page, username, password, password)
    expect(page).to_have_url(room_url + "/login")
    expect(page.get_by_role("status")).to_contain_text("created")

    log_in(page, username, password)
    expect(page).to_have_url(room_url + "/private")
    expect(page.get_by_role("heading", name=f"Welcome, {username}")).to_be_visible()
    token = stored_token(page)
    assert token is not None

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Lab").click()
    expect(page.get_by_role("heading", name="Lab", level=1)).to_be_visible()
    # The token's signature, checked in this page with the JWKS's public key, without WebCrypto.
    keys = page.get_by_role("region", name="Keys")
    expect(keys.get_by_role("status")).to_contain_text("Signature valid: your token (ES256")
    expect(keys.get_by_role("status")).to_contain_text(
        "by @noble/curves: this page is not a secure context"
    )

    lab = page.get_by_role("region", name="Tamper lab")
    experiments = lab.get_by_role("article")
    expect(experiments).to_have_count(16)
    for index in range(16):
        article = experiments.nth(index)
        title = article.get_by_role("heading").inner_text()
        button = article.get_by_role("button").inner_text()
        answered = run(page, title, button)
        # Each shows the server's answer, and it is the one the experiment predicts:
        # forged tokens (3, 10, 11 and 12 are signed in this page, without WebCrypto) refused,
        # the real one 200.
        expect(answered.get_by_text("as expected", exact=True)).to_be_visible()
    expect(experiment(page, "3. Sign it with a key of your own")).to_contain_text(
        "Signature verification failed"
    )

    # The refresh cookie flows over plain http too (it is Secure only in production).
    inspector = page.get_by_role("region", name="Token inspector")
    inspector.get_by_role("button", name="Refresh now", exact=True).click()
    expect(inspector.get_by_role("status")).to_contain_text(re.compile(r"New token: jti"))
    assert stored_token(page) not in (None, token)

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(room_url + "/login")
    assert stored_token(page) is None
