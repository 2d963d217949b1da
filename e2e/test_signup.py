"""Signing up: a new account, then the usual login with it."""

from __future__ import annotations

import re

import pytest
from helpers import api_json, log_in, unique_username
from playwright.sync_api import Page, expect


def fill_signup_form(page: Page, username: str, password: str, confirm: str) -> None:
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Confirm password", exact=True).fill(confirm)
    page.get_by_role("button", name="Sign up", exact=True).click()


def test_new_account_can_log_in(page: Page, base_url: str) -> None:
    username = unique_username()
    password = "correct horse battery"

    page.goto("/signup")
    fill_signup_form(page, username, password, password)

    expect(page).to_have_url(base_url + "/login")
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"account.*created", re.I))

    log_in(page, username, password)

    expect(page).to_have_url(base_url + "/private")
    expect(page.get_by_text(username, exact=True)).to_be_visible()


@pytest.mark.parametrize(
    ("password", "confirm", "complaint"),
    [
        pytest.param("short", "short", re.compile(r"password", re.I), id="password-too-short"),
        pytest.param(
            "long enough 1", "long enough 2", re.compile(r"match", re.I), id="confirm-mismatch"
        ),
    ],
)
def test_bad_input_is_explained_and_creates_nothing(
    page: Page, base_url: str, password: str, confirm: str, complaint: re.Pattern
) -> None:
    username = unique_username()

    page.goto("/signup")
    fill_signup_form(page, username, password, confirm)

    expect(page.get_by_role("alert")).to_contain_text(complaint)
    expect(page).to_have_url(base_url + "/signup")
    # Nothing was created: the server does not know this username.
    status, _ = api_json(
        base_url, "POST", "/api/token", {"username": username, "password": password}
    )
    assert status == 401


def test_taken_username_is_refused(page: Page, base_url: str) -> None:
    page.goto("/signup")
    fill_signup_form(page, "demo", "another password", "another password")

    expect(page.get_by_role("alert")).to_contain_text("Username already taken")
    expect(page).to_have_url(base_url + "/signup")
    # The demo account is untouched: its own password still works, the new one does not.
    new_password = {"username": "demo", "password": "another password"}
    assert api_json(base_url, "POST", "/api/token", new_password)[0] == 401
