"""The room (/classroom): a teacher watches the class's sessions live and ends them, in one
browser, while each student uses another. The student's open tab learns its session was ended
without anyone clicking there.

Its own server (demo mode seeds the teacher), so ending every student session here cannot end a
session another module's test is using.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
from helpers import User, api_json, log_in, sign_up, stored_token
from playwright.sync_api import Locator, Page, expect

TEACHER, TEACHER_PASSWORD = "teacher", "teacher1234"
ENDED_MSG = "Your session was ended by the teacher"

# The teacher's table asks the server every 1.5 s; a logged-in tab checks its session every 3 s.
APPEARS_WITHIN_MS = 2000
NOTICE_WITHIN_MS = 5000


@pytest.fixture(scope="module")
def room(start_server: Callable[..., str]) -> str:
    """A server of its own for this module, as `make run` serves it (demo mode)."""
    return start_server()


def log_in_at(page: Page, room: str, username: str, password: str) -> None:
    page.goto("/login")
    log_in(page, username, password)
    expect(page).to_have_url(room + "/private")


def teacher_view(page: Page, room: str) -> Locator:
    """The teacher logged in, on /classroom through the header's link: the sessions region."""
    log_in_at(page, room, TEACHER, TEACHER_PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Classroom").click()
    expect(page).to_have_url(room + "/classroom")
    region = page.get_by_role("region", name="Class sessions")
    expect(own_row(region)).to_contain_text(TEACHER)
    return region


def row_of(region: Locator, username: str) -> Locator:
    return region.get_by_role("row").filter(
        has=region.page.get_by_role("rowheader", name=username, exact=True)
    )


def end_all_button(region: Locator) -> Locator:
    return region.get_by_role("button", name="End all student sessions", exact=True)


def own_row(region: Locator) -> Locator:
    """The row of the session the page is using (the teacher may have older ones too)."""
    return region.get_by_role("row").filter(has_text="Your session")


def expect_notice_on_login(page: Page, room: str) -> None:
    """The student's tab, untouched: on /login with the teacher's reason, within seconds."""
    expect(page).to_have_url(re.compile(rf"^{re.escape(room)}/login"), timeout=NOTICE_WITHIN_MS)
    expect(page.get_by_role("alert")).to_have_text(ENDED_MSG, timeout=NOTICE_WITHIN_MS)


def test_teacher_sees_a_student_arrive_and_ends_their_session(
    open_browser: Callable[[], Page], room: str
) -> None:
    teacher = open_browser()
    sessions = teacher_view(teacher, room)

    student_user = sign_up(room)
    student = open_browser()
    log_in_at(student, room, student_user.username, student_user.password)

    # No reload on the teacher's side: the table polls.
    row = row_of(sessions, student_user.username)
    expect(row).to_contain_text("active", timeout=APPEARS_WITHIN_MS)
    expect(row).to_contain_text("student")
    # The teacher's own row has no button to end it by accident.
    expect(own_row(sessions).get_by_role("button")).to_have_count(0)

    row.get_by_role("button", name="End session", exact=True).click()
    expect(sessions.get_by_role("status")).to_have_text(
        f"Ended the session of {student_user.username}."
    )
    expect(row).to_contain_text("ended by teacher")
    expect(row.get_by_role("button")).to_have_count(0)

    expect_notice_on_login(student, room)

    # The teacher is still logged in, and the table still updates.
    expect(own_row(sessions)).to_contain_text("active")


def test_end_all_student_sessions_at_the_end_of_class(
    open_browser: Callable[[], Page], room: str
) -> None:
    students: list[tuple[User, Page]] = []
    for _ in range(2):
        account = sign_up(room)
        page = open_browser()
        log_in_at(page, room, account.username, account.password)
        students.append((account, page))
    teacher = open_browser()
    sessions = teacher_view(teacher, room)
    for account, _ in students:
        expect(row_of(sessions, account.username)).to_contain_text("active")

    end_all = end_all_button(sessions)
    # Before the click it says how many it will end: exactly these two (the first test's
    # student was ended already, the teacher never is).
    expect(end_all).to_have_accessible_description("Ends 2 student sessions on this server.")

    end_all.click()

    expect(sessions.get_by_role("status")).to_have_text("Ended 2 student sessions.")
    for account, page in students:
        expect(row_of(sessions, account.username)).to_contain_text("ended by teacher")
        expect_notice_on_login(page, room)
    expect(own_row(sessions)).to_contain_text("active")
    expect(teacher.get_by_role("button", name="Log out", exact=True)).to_be_visible()


def test_end_all_says_how_many_before_the_click(
    open_browser: Callable[[], Page], room: str
) -> None:
    teacher = open_browser()
    teacher_view(teacher, room)
    # This class, from now on: whatever earlier tests left is not counted.
    teacher.goto("/classroom?" + urlencode({"since": datetime.now(UTC).isoformat()}))
    sessions = teacher.get_by_role("region", name="Class sessions")
    end_all = end_all_button(sessions)
    nothing = re.compile(r"^No student session started since \d\d:\d\d to end\.$")
    expect(end_all).to_have_accessible_description(nothing)
    expect(end_all).to_be_disabled()

    account = sign_up(room)
    student = open_browser()
    log_in_at(student, room, account.username, account.password)

    # The count follows the class live, shown beside the button; nothing is ended by showing it.
    one = re.compile(r"^Ends 1 student session started since \d\d:\d\d\.$")
    expect(end_all).to_have_accessible_description(one, timeout=APPEARS_WITHIN_MS)
    expect(sessions.get_by_text(one)).to_be_visible()
    expect(end_all).to_be_enabled()
    expect(row_of(sessions, account.username)).to_contain_text("active")

    end_all.click()

    expect(sessions.get_by_role("status")).to_have_text("Ended 1 student session.")
    expect_notice_on_login(student, room)
    expect(end_all).to_have_accessible_description(nothing)
    expect(end_all).to_be_disabled()


def test_this_class_only_when_two_classes_share_the_server(
    open_browser: Callable[[], Page], room: str
) -> None:
    earlier = sign_up(room)
    earlier_page = open_browser()
    log_in_at(earlier_page, room, earlier.username, earlier.password)
    # "This class started at" this moment: after the earlier class's login, before this one's.
    class_start = datetime.now(UTC).isoformat()
    this_class = sign_up(room)
    this_page = open_browser()
    log_in_at(this_page, room, this_class.username, this_class.password)
    teacher = open_browser()
    teacher_view(teacher, room)

    # The teacher's link for this class (the time field fills in the address the same way).
    teacher.goto("/classroom?" + urlencode({"since": class_start}))
    sessions = teacher.get_by_role("region", name="Class sessions")
    expect(row_of(sessions, this_class.username)).to_contain_text("active")
    expect(row_of(sessions, earlier.username)).to_have_count(0)
    expect(sessions.get_by_label("This class started at")).not_to_have_value("")

    end_all = end_all_button(sessions)
    expect(end_all).to_have_accessible_description(
        re.compile(r"^Ends 1 student session started since \d\d:\d\d\.$")
    )
    end_all.click()

    expect(sessions.get_by_role("status")).to_have_text("Ended 1 student session.")
    expect_notice_on_login(this_page, room)
    # The earlier class goes on: its token still opens the API.
    token = stored_token(earlier_page)
    assert token is not None
    status, _ = api_json(room, "GET", "/api/protected", token=token)
    assert status == 200


def test_a_student_opening_classroom_gets_403_explained(
    open_browser: Callable[[], Page], room: str
) -> None:
    account = sign_up(room)
    page = open_browser()
    log_in_at(page, room, account.username, account.password)
    # No link for a student; the address typed by hand.
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Classroom")).to_have_count(0)

    page.goto("/classroom")

    expect(page.get_by_role("heading", name="Classroom: teachers only")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_text(
        "403 Forbidden: Only a teacher may open the classroom view"
    )
    expect(page.get_by_role("main")).to_contain_text("You are logged in, but not allowed.")
    expect(page.get_by_role("region", name="Class sessions")).to_have_count(0)
    # A 403 is not a 401: the student is still logged in.
    expect(page.get_by_role("button", name="Log out", exact=True)).to_be_visible()
