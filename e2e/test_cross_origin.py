"""The `make dev` shape: the SPA on the Vite dev server, the API on another port, CORS between."""

from __future__ import annotations

from helpers import CrossOrigin, expect_private_page_for, log_in
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
