"""The `make dev` shape: the SPA on the Vite dev server, the API on another port, CORS between."""

from __future__ import annotations

from helpers import (
    CrossOrigin,
    api_json,
    expect_private_page_for,
    log_in,
    store_token,
    stored_token,
)
from playwright.sync_api import Page, Response, expect


def test_login_from_the_vite_dev_server_calls_the_api_cross_origin(
    page: Page, cross_origin: CrossOrigin
) -> None:
    page.goto(cross_origin.spa_url + "/login")

    def is_token_call(response: Response) -> bool:
        return response.url == cross_origin.api_url + "/api/token" and (
            response.request.method == "POST"
        )

    with page.expect_response(is_token_call) as token_call:
        log_in(page, "demo", "demo1234")

    # The browser really went to the other origin, and the API allowed exactly the SPA's origin.
    response = token_call.value
    assert response.status == 200
    assert response.header_value("access-control-allow-origin") == cross_origin.spa_url

    # ... and the Bearer call that followed (a preflighted request) worked too.
    expect(page).to_have_url(cross_origin.spa_url + "/private")
    expect_private_page_for(page, "demo")


def test_an_expired_token_is_refreshed_cross_origin_with_the_cookie(
    page: Page, cross_origin: CrossOrigin
) -> None:
    api_url = cross_origin.api_url
    page.goto(cross_origin.spa_url + "/login")
    log_in(page, "demo", "demo1234")
    expect(page).to_have_url(cross_origin.spa_url + "/private")
    token = stored_token(page)
    assert token is not None
    # The lab's specimen: a token of this very session whose exp is already past. Storing it
    # saves waiting for a real expiry; the server treats it exactly like one.
    status, specimens = api_json(api_url, "POST", "/api/lab/tokens", token=token)
    assert status == 200, specimens
    store_token(page, specimens["expired"])

    def is_refresh(response: Response) -> bool:
        return response.url == api_url + "/api/token/refresh" and (
            response.request.method == "POST"
        )

    with page.expect_response(is_refresh) as refresh:
        page.reload()

    # The refresh cookie (set by the API's origin) went along, with the CSRF value the SPA read
    # from the other cookie: allowed only because the API opts in to credentials for this origin.
    response = refresh.value
    assert response.status == 200
    assert response.header_value("access-control-allow-credentials") == "true"
    assert response.header_value("access-control-allow-origin") == cross_origin.spa_url
    expect(page).to_have_url(cross_origin.spa_url + "/private")
    expect_private_page_for(page, "demo")
    assert stored_token(page) not in (None, specimens["expired"])
