"""Logging in (the lesson's steps 1-4): the form sends username and password, gets a token back."""

from __future__ import annotations

import pytest
from helpers import api_json, expect_private_page_for, log_in, stored_token
from playwright.sync_api import Page, expect


def test_demo_account_logs_in_and_sees_its_username_and_id(page: Page, base_url: str) -> None:
    # The id the page must show is the one the API itself reports for the demo account.
    status, body = api_json(
        base_url, "POST", "/api/token", {"username": "demo", "password": "demo1234"}
    )
    assert status == 200, body
    demo_id = body["user_id"]

    page.goto("/login")
    log_in(page, "demo", "demo1234")

    expect(page).to_have_url(base_url + "/private")
    expect_private_page_for(page, "demo", demo_id)
    # The token sits under the lesson's key, and it really opens the protected endpoint.
    token = stored_token(page)
    assert token is not None
    assert api_json(base_url, "GET", "/api/protected", token=token) == (
        200,
        {"id": demo_id, "username": "demo"},
    )


@pytest.mark.parametrize(
    ("username", "password"),
    [
        pytest.param("demo", "not-the-password", id="wrong-password"),
        pytest.param("nobody_here", "demo1234", id="unknown-user"),
    ],
)
def test_bad_credentials_are_refused_without_saying_which_part_was_wrong(
    page: Page, base_url: str, username: str, password: str
) -> None:
    page.goto("/login")
    log_in(page, username, password)

    # One message for both cases, so the form does not reveal which usernames exist.
    expect(page.get_by_role("alert")).to_contain_text("Bad username or password")
    expect(page).to_have_url(base_url + "/login")
    assert stored_token(page) is None
