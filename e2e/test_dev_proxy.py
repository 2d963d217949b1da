"""`make dev`: the browser talks only to the Vite dev server, which passes /api on to Flask.

One origin, so no CORS and a refresh cookie that flows wherever the dev server is reached from,
Codespaces included, where every forwarded port is an https site of its own.
"""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from helpers import (
    CODESPACES_DOMAIN,
    CrossOrigin,
    api_json,
    expect_private_page_for,
    log_in,
    store_token,
    stored_token,
)
from playwright.sync_api import Page, Response, expect


def test_login_and_refresh_go_through_the_dev_servers_own_origin(
    page: Page, dev_proxy: CrossOrigin
) -> None:
    spa_url = dev_proxy.spa_url
    page.goto(spa_url + "/login")

    with page.expect_response(lambda r: r.url == spa_url + "/api/token") as token_call:
        log_in(page, "demo", "demo1234")
    # The call went to the page's own origin (the URL above), so no CORS was needed: the API
    # behind the proxy allows no origin at all.
    assert token_call.value.status == 200
    expect(page).to_have_url(spa_url + "/private")
    expect_private_page_for(page, "demo")

    # An expired token (the lab's specimen) makes the SPA refresh with the HttpOnly cookie,
    # which the browser sends because the refresh goes to the page's own origin.
    token = stored_token(page)
    assert token is not None
    status, specimens = api_json(dev_proxy.api_url, "POST", "/api/lab/tokens", token=token)
    assert status == 200, specimens
    store_token(page, specimens["expired"])

    def is_refresh(response: Response) -> bool:
        return response.url == spa_url + "/api/token/refresh"

    with page.expect_response(is_refresh) as refresh:
        page.reload()
    assert refresh.value.status == 200
    expect_private_page_for(page, "demo")
    assert stored_token(page) not in (None, specimens["expired"])


def test_the_public_keys_go_through_the_dev_servers_own_origin(dev_proxy: CrossOrigin) -> None:
    status, jwks = api_json(dev_proxy.spa_url, "GET", "/.well-known/jwks.json")
    assert status == 200, jwks
    assert jwks == api_json(dev_proxy.api_url, "GET", "/.well-known/jwks.json")[1]
    assert "keys" in jwks


def status_for_host(url: str, host: str) -> int:
    """The dev server's answer to a request that arrived under another host name."""
    # S310: the URL is the http:// address of the dev server this suite started.
    request = urllib.request.Request(url, headers={"Host": host})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        with error:
            return error.code


@pytest.mark.parametrize(
    ("host", "status"),
    [
        # How Codespaces forwards the dev server's port.
        (f"friendly-space-robot-5173.{CODESPACES_DOMAIN}", 200),
        # Any other name is still refused (Vite's DNS-rebinding guard stays on).
        ("attacker.example", 403),
    ],
)
def test_the_dev_server_answers_under_codespaces_forwarded_names_only(
    dev_proxy: CrossOrigin, host: str, status: int
) -> None:
    assert status_for_host(dev_proxy.spa_url + "/", host) == status
