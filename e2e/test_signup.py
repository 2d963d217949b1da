"""Signing up: a new account, then the usual login with it."""

from __future__ import annotations

import re

import pytest
from helpers import (
    api_json,
    expect_private_page_for,
    fill_signup_form,
    log_in,
    unique_username,
)
from playwright.sync_api import Page, expect


def test_new_account_can_log_in(page: Page, base_url: str) -> None:
    username = unique_username()
    password = "correct horse battery"

    page.goto("/signup")
    fill_signup_form(page, username, password, password)

    expect(page).to_have_url(base_url + "/login")
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"account.*created", re.I))

    log_in(page, username, password)

    expect(page).to_have_url(base_url + "/private")
    expect_private_page_for(page, username)


@pytest.mark.parametrize(
    ("password", "confirm", "field", "complaint"),
    [
        pytest.param(
            "short",
            "short",
            "Password",
            "Password must be at least 8 characters long.",
            id="password-too-short",
        ),
        pytest.param(
            "long enough 1",
            "long enough 2",
            "Confirm password",
            "Passwords do not match.",
            id="confirm-mismatch",
        ),
    ],
)
def test_bad_input_is_explained_at_the_field_and_creates_nothing(
    page: Page, base_url: str, password: str, confirm: str, field: str, complaint: str
) -> None:
    username = unique_username()

    page.goto("/signup")
    fill_signup_form(page, username, password, confirm)

    # The message is on screen, and tied to its field for screen readers (aria-invalid plus
    # aria-describedby), with the focus moved there so the student can fix it right away.
    expect(page.get_by_text(complaint, exact=True)).to_be_visible()
    bad_field = page.get_by_label(field, exact=True)
    expect(bad_field).to_have_attribute("aria-invalid", "true")
    expect(bad_field).to_have_accessible_description(re.compile(re.escape(complaint)))
    expect(bad_field).to_be_focused()
    expect(page).to_have_url(base_url + "/signup")
    # Nothing was created: the server does not know this username.
    credentials = {"username": username, "password": password}
    assert api_json(base_url, "POST", "/api/token", credentials)[0] == 401


def test_taken_username_is_refused(page: Page, base_url: str) -> None:
    page.goto("/signup")
    fill_signup_form(page, "demo", "another password", "another password")

    expect(page.get_by_role("alert")).to_contain_text("Username already taken")
    expect(page).to_have_url(base_url + "/signup")
    # The demo account is untouched: its own password still works, the new one does not.
    new_password = {"username": "demo", "password": "another password"}
    assert api_json(base_url, "POST", "/api/token", new_password)[0] == 401
