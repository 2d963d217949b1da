"""The grader against apps it did not write: the lesson's, JWT Classroom, and a student's with
one flaw at a time (or a few unrelated ones). Each must get exactly the findings it deserves.

The gradings run a few at a time in the background (`gradings`), so the suite's time is that of
the slowest few, not the sum.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from grader.checks import CHECKS
from grader.tests.helpers import PASSWORD, USERNAME, Graded, run_grader, serve

# flask-jwt-extended's default answer to a bad token is 422: a warning, not a failure.
DEFAULT_422 = {"api.tampered", "api.alg_none", "api.other_key"}
RENAMED_PATHS = ("--token-path", "/login", "--protected-path", "/me")
# The key checks read the token's header: without a JWT they do not run.
NO_JWT = {"api.token_key", "api.jwks"}

# flaws of the student app -> (failed, warned besides the 422s, skipped), exactly.
STUDENT_CASES: dict[tuple[str, ...], tuple[set[str], set[str], set[str]]] = {
    (): (set(), set(), set()),
    ("enumeration",): ({"api.no_enumeration"}, set(), set()),
    ("no_guard",): ({"browser.guard"}, set(), set()),
    ("logout_keeps_token",): ({"browser.logout_removes_token"}, set(), set()),
    # sessionStorage and a token in memory with a refresh cookie are sound choices (OWASP).
    ("session_storage",): (set(), set(), set()),
    ("cookie_token",): (set(), {"browser.token_cookie"}, set()),
    ("identity_from_query",): ({"api.identity_from_token"}, set(), set()),
    ("reflect_origin",): ({"api.cors_any_origin"}, set(), set()),
    # An app that allows 3 logins a minute is graded in full: a grade makes at most 3.
    ("logins_3_a_minute",): (set(), set(), set()),
    ("renamed",): (set(), {"api.token_field"}, set()),
    ("tutorial_key", "no_exp", "wrong_password_403"): (
        {"api.secret_not_tutorial", "api.token_expires", "api.wrong_password"},
        set(),
        set(),
    ),
    ("int_sub",): (
        {"api.sub_is_string", "api.protected_ok", "browser.private_shows_user"},
        set(),
        {"browser.reload_keeps_session", "api.identity_from_token"},
    ),
    ("no_verify", "silent_error"): (
        {"api.tampered", "api.alg_none", "api.other_key", "browser.wrong_password_message"},
        set(),
        set(),
    ),
    ("optional_jwt", "no_user_shown", "long_exp"): (
        {"api.no_token", "browser.private_shows_user"},
        {"api.token_expires"},
        {"browser.reload_keeps_session"},
    ),
    # An opaque token sent as Bearer: the front end is right, only the token is not a JWT.
    ("opaque_token",): (
        {"api.token_is_jwt"},
        set(),
        {
            "api.sub_is_string",
            "api.token_expires",
            "api.secret_not_tutorial",
            *NO_JWT,
            *DEFAULT_422,
        },
    ),
    ("opaque_token", "no_bearer"): (
        {"api.token_is_jwt", "browser.bearer_sent"},
        set(),
        {
            "api.sub_is_string",
            "api.token_expires",
            "api.secret_not_tutorial",
            *NO_JWT,
            *DEFAULT_422,
        },
    ),
    # A JWKS that publishes the signing secret; a `jku` naming another site (a warning).
    ("jwks_secret", "jku_elsewhere"): ({"api.jwks"}, {"api.token_key"}, set()),
    ("no_store",): (
        {"browser.token_stored", "browser.reload_keeps_session"},
        set(),
        {"browser.logout_removes_token"},
    ),
}
# Flaws whose other consequences are not this test's business: only these checks must fail.
SOME_CHECKS_FAIL = {
    ("no_login_form", "login_no_token"): {"browser.login_form", "api.login"},
    ("no_cors", "sends_email"): {"api.cors", "browser.logs_in"},
    # `*` never covers Authorization in the Fetch standard (Chromium still lets it through).
    ("star_headers",): {"api.cors"},
}


@pytest.fixture(scope="session")
def gradings(
    tmp_path_factory: pytest.TempPathFactory, classroom: str
) -> Iterator[Callable[[str], Graded]]:
    """name -> Graded, for every grading this module makes, run three at a time."""
    tmp = tmp_path_factory.mktemp("gradings")

    def student(flaws: tuple[str, ...], *options: str) -> Callable[[], Graded]:
        def grade() -> Graded:
            folder = tmp / ("student-" + "-".join(flaws))
            folder.mkdir()
            app = serve("student", folder, flaws)
            try:
                return run_grader(*target(app.api, app.app), *options, out=folder / "out.json")
            finally:
                app.process.stop()

        return grade

    def lesson() -> Graded:
        folder = tmp / "lesson"
        folder.mkdir()
        app = serve("lesson", folder)
        try:
            options = ("--junit", str(folder / "junit.xml"))
            return run_grader(*target(app.api, app.app), *options, out=folder / "out.json")
        finally:
            app.process.stop()

    def jwt_classroom() -> Graded:
        folder = tmp / "classroom"
        folder.mkdir()
        args = ("--api", classroom + "/api", "--app", classroom)
        # The demo account: its name is also on the login page (the demo list), which the
        # private-page and guard checks must not take for private data.
        args += ("--username", "demo", "--password", "demo1234")
        return run_grader(*args, out=folder / "out.json")

    def wrong_api() -> Graded:
        # The teacher passes the page's own address as API: the page calls the real one.
        folder = tmp / "wrong-api"
        folder.mkdir()
        app = serve("student", folder)
        try:
            return run_grader(*target(app.app, app.app), out=folder / "out.json")
        finally:
            app.process.stop()

    jobs: dict[str, Callable[[], Graded]] = {
        "lesson": lesson,
        "classroom": jwt_classroom,
        "wrong-api": wrong_api,
    }
    for flaws in STUDENT_CASES:
        options = RENAMED_PATHS if "renamed" in flaws else ()
        jobs["student:" + ",".join(flaws)] = student(flaws, *options)
    for flaws in [*SOME_CHECKS_FAIL, ("rate_limited",), ("dies_after_login",)]:
        jobs["student:" + ",".join(flaws)] = student(flaws)
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures: dict[str, Future[Graded]] = {name: pool.submit(job) for name, job in jobs.items()}
        yield lambda name: futures[name].result()


def target(api: str, app: str) -> tuple[str, ...]:
    return ("--api", api, "--app", app, "--username", USERNAME, "--password", PASSWORD)


def test_the_lessons_code_as_written_fails_with_the_lessons_mistakes(gradings):
    graded = gradings("lesson")
    assert graded.status == 1, graded.report
    assert graded.ids("fail") == {
        "api.sub_is_string",
        "api.protected_ok",
        "api.secret_not_tutorial",
        "browser.wrong_password_message",
        "browser.private_shows_user",
        "browser.logout_removes_token",
    }, graded.report
    assert graded.ids("warn") == DEFAULT_422
    # Nothing to compare with another identity while the protected route never answers 200.
    assert graded.ids("skip") == {"browser.reload_keeps_session", "api.identity_from_token"}
    results = graded.results
    assert "Subject must be a string" in results["api.protected_ok"]["note"]
    assert "identity=user.id" in results["api.sub_is_string"]["note"]
    assert "'super-secret'" in results["api.secret_not_tutorial"]["note"]
    assert "if(!resp.ok)" in results["browser.wrong_password_message"]["note"]
    assert "unreachable" in results["browser.wrong_password_message"]["note"]
    assert "getMyTasks()" in results["browser.private_shows_user"]["note"]


def test_the_report_says_what_was_sent_what_came_back_and_how_to_fix_it(gradings):
    report = gradings("lesson").report
    assert "Step 4. The API generates a token for that user and answers 200" in report
    assert "FAIL  The signing key is not one printed in a tutorial" in report
    assert 'got:      422 {"msg":"Subject must be a string"}' in report
    assert "fix:      create_access_token(identity=str(user.id))" in report
    assert "see:      backend/app/jwt_callbacks.py (user_identity) in JWT Classroom" in report
    assert PASSWORD not in report  # the student's password is never printed
    assert "\033[" not in report  # no colour when not on a terminal


def test_junit_has_a_failure_per_failed_required_check(gradings):
    graded = gradings("lesson")
    tree = ET.parse(graded.folder / "junit.xml")  # noqa: S314 (the grader's own file)
    failed = {
        case.get("name") for case in tree.iter("testcase") if case.find("failure") is not None
    }
    assert failed == graded.ids("fail")
    skipped = {
        case.get("name") for case in tree.iter("testcase") if case.find("skipped") is not None
    }
    assert skipped == graded.ids("skip")


def test_jwt_classroom_passes_every_check(gradings):
    graded = gradings("classroom")
    assert graded.status == 0, graded.report
    assert graded.ids("pass") == set(CHECKS), graded.report
    assert "every required check passed" in graded.report
    guard = graded.results["browser.guard"]["observed"]
    assert guard.endswith("/login; shows a login form"), guard


@pytest.mark.parametrize("flaws", list(STUDENT_CASES), ids=lambda f: ",".join(f) or "no-flaw")
def test_a_student_app_gets_exactly_its_flaws(gradings, flaws):
    failed, warned, skipped = STUDENT_CASES[flaws]
    graded = gradings("student:" + ",".join(flaws))
    assert graded.ids("fail") == failed, graded.report
    assert graded.ids("warn") == (DEFAULT_422 - failed - skipped) | warned, graded.report
    assert graded.ids("skip") == skipped, graded.report
    required_failures = {cid for cid in failed | skipped if CHECKS[cid].required}
    assert graded.status == (1 if required_failures else 0), graded.report


@pytest.mark.parametrize("flaws", list(SOME_CHECKS_FAIL), ids=",".join)
def test_flaws_fail_their_checks(gradings, flaws):
    graded = gradings("student:" + ",".join(flaws))
    assert SOME_CHECKS_FAIL[flaws] <= graded.ids("fail"), graded.report
    assert graded.status == 1


def test_the_field_name_and_paths_can_differ_from_the_lessons(gradings):
    result = gradings("student:renamed").results["api.token_field"]
    assert result["observed"] == "token in `access_token`"
    assert "data.access_token" in result["note"]


def test_a_rate_limited_app_stops_the_grader_politely(gradings):
    graded = gradings("student:rate_limited")
    assert graded.status == 3, graded.report
    assert graded.ids("fail") == set()
    assert "answered 429" in graded.json["rate_limited"]
    assert "grade again in 60 s" in graded.json["rate_limited"]
    # The browser's two logins came first; the API checks' unknown user met the 429.
    assert {"api.no_enumeration", "api.cors", "api.cors_any_origin"} <= graded.ids("skip")
    assert graded.results["browser.logs_in"]["result"] == "pass"


def test_every_check_has_a_case_that_makes_it_fail():
    made_to_fail = set().union(*SOME_CHECKS_FAIL.values())
    for failed, warned, _skipped in STUDENT_CASES.values():
        made_to_fail |= failed | {cid for cid in warned if not CHECKS[cid].required}
    assert made_to_fail == set(CHECKS)


def test_a_page_calling_another_api_is_a_set_up_problem_not_a_failure(gradings):
    graded = gradings("wrong-api")
    assert graded.status == 4, graded.report
    (problem,) = graded.json["setup"]
    assert problem["problem"].startswith("The page sends the login to http://127.0.0.1:")
    assert problem["fix"].startswith("Grade with API=http://127.0.0.1:")
    assert graded.ids("fail") == set(), graded.report
    assert "read the token from storage" not in graded.report


def test_an_api_that_stops_during_the_grade_is_a_set_up_problem(gradings):
    graded = gradings("student:dies_after_login")
    assert graded.status == 4, graded.report
    (problem,) = graded.json["setup"]
    assert problem["problem"].startswith("The API stopped answering during the grade"), problem
    # What was judged while the app went away is not held against its code.
    assert graded.ids("fail") == set(), graded.report
    assert "Fix first" not in graded.report
