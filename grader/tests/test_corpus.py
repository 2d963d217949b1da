"""The grader against a corpus of students' apps it has never seen (grader/tests/corpus/).

Each app is written the way bootcamp students write the lesson, each a real Flask API with its
page on another origin (one shares the API's): multi-page vanilla JS, React built with Vite,
email login, a Spanish UI, a Portuguese one posting its form encoded, a German one keeping its
token inside a JSON value, an icon log-out, hash routes, a token in memory with a refresh cookie,
three built in 4GeeksAcademy/react-flask-hello, and flawed ones. Its app.json says how it runs
and what a person sees using it; its expected.json gives the verdict of every check, written
from the grader's specification before the app was ever graded. Any difference fails.

First a person uses each app in Chromium (log in, see the user, reload, log out), so a verdict
that differs is about the grader, not a broken app. Then the grader grades it, a correct app
three times: the verdicts must not change from run to run. The apps run three at a time, each
in one process of its own (API and page servers), graded one run after another.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect, sync_playwright

from grader.checks import CHECKS
from grader.tests.corpus.build import build
from grader.tests.corpus.serve import CORPUS, app_info
from grader.tests.helpers import REPO_ROOT, Graded, run_grader
from tools.browser import launch_options
from tools.servers import Process, free_port, start, wait_until_up

APPS = sorted(path.parent.name for path in CORPUS.glob("*/app.json"))
RUNS_OF_A_CORRECT_APP = 3
PERSON_WAIT_MS = 10_000


def expected(name: str) -> dict:
    """The app's expected.json: exit status, hosts refused, the login body's fields,
    {check id: verdict}, why, and what some checks' texts must name."""
    return json.loads((CORPUS / name / "expected.json").read_text())


def is_correct(name: str) -> bool:
    """A correct app (app.json): the grader must pass every required check."""
    return app_info(name)["correct"]


@dataclass
class Served:
    """A corpus app being served: the URLs a teacher passes as API and APP."""

    api: str
    app: str
    process: Process


def serve(name: str, folder: Path) -> Served:
    """Build the app's page if it is a Vite app, then start grader/tests/corpus/serve.py."""
    info = app_info(name)
    api_port, page_port = free_port(), free_port()
    api_origin = f"http://127.0.0.1:{api_port}"
    command = [sys.executable, "-m", "grader.tests.corpus.serve", name]
    command += [f"--api-port={api_port}", f"--page-port={page_port}", f"--data={folder}"]
    if info["page"] == "vite":
        command.append(f"--page-dir={build(name, api_origin, folder)}")
    process = start(
        f"the corpus app {name}",
        command,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        log=folder / "server.log",
    )
    app = api_origin if info["page"] == "same-origin" else f"http://127.0.0.1:{page_port}"
    wait_until_up(process, app + "/")
    return Served(api_origin + info.get("api_prefix", ""), app, process)


def field_named(page: Page, name: str) -> Locator:
    """The input a person finds by its label, or by its placeholder when it has none."""
    return page.get_by_label(name, exact=True).or_(page.get_by_placeholder(name, exact=True))


def control_named(page: Page, name: str) -> Locator:
    return page.get_by_role("button", name=name, exact=True).or_(
        page.get_by_role("link", name=name, exact=True)
    )


def use_as_a_person(name: str, served: Served) -> str | None:
    """Log in, see the user, reload, log out, as app.json's "person" says; None if all went so.

    Otherwise the step that went wrong. An app marked "broken" must show that text instead of
    the user after logging in (what a person sees when the browser refuses the call).
    """
    info = app_info(name)
    person = info["person"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options())
        try:
            page = browser.new_page()
            page.set_default_timeout(PERSON_WAIT_MS)
            step = "open the app"
            try:
                page.goto(served.app + person["start"])
                if "login_link" in person:
                    step = f"follow the link {person['login_link']!r}"
                    control_named(page, person["login_link"]).first.click()
                    # As a person would: the form is used once its page has loaded.
                    page.wait_for_load_state("load")
                step = "log in"
                field_named(page, person["username_label"]).fill(info["username"])
                field_named(page, person["password_label"]).fill(info["password"])
                page.get_by_role("button", name=person["submit"], exact=True).click()
                if "broken" in person:
                    step = f"see {person['broken']!r} (the app is broken there)"
                    expect(page.get_by_text(person["broken"])).to_be_visible()
                    expect(page.get_by_text(person["sees"])).to_be_hidden()
                    return None
                step = f"see {person['sees']!r} after logging in"
                expect(page.get_by_text(person["sees"])).to_be_visible()
                page.reload()
                step = f"see {person['sees']!r} after a reload"
                expect(page.get_by_text(person["sees"])).to_be_visible()
                step = f"click {person['logout']!r}"
                control_named(page, person["logout"]).first.click()
                step = "see the login form again after logging out"
                expect(field_named(page, person["password_label"])).to_be_visible()
                expect(page.get_by_text(person["sees"])).to_be_hidden()
            except (PlaywrightError, AssertionError) as error:
                return f"could not {step} on {page.url}: {error}"
            return None
        finally:
            browser.close()


@dataclass
class Outcome:
    """What happened to one app: the person's attempt, then every grading of it."""

    person: str | None
    gradings: list[Graded] = field(default_factory=list)
    # How many login requests (POST to the token route) the app received during each grading.
    logins: list[int] = field(default_factory=list)
    # Graded with --no-browser and the login body's field names given as options, if app.json
    # says how ("no_browser_args"); or why the grader wrote no result.
    api_only: Graded | str | None = None


def token_route(name: str) -> str:
    """The login route's path on the API's server, as the teacher gives it to the grader."""
    info = app_info(name)
    args = info["grader_args"]
    path = args[args.index("--token-path") + 1] if "--token-path" in args else "/token"
    return info.get("api_prefix", "") + path


def logins_in(log: str, name: str) -> int:
    """Login requests in a part of the app's server log: werkzeug logs one line per request,
    in colour (an escape sequence before the method) when the answer is an error."""
    request_line = re.compile(r'"(\x1b\[[0-9;]*m)*POST ' + re.escape(token_route(name)) + " HTTP/")
    return len(request_line.findall(log))


def grader_target(name: str, served: Served) -> list[str]:
    info = app_info(name)
    target = ["--api", served.api, "--app", served.app]
    target += ["--username", info["username"], f"--password={info['password']}"]
    return target + info["grader_args"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], Outcome]]:
    """name -> Outcome for every app, three apps at a time."""
    tmp = tmp_path_factory.mktemp("corpus")

    def job(name: str) -> Outcome:
        folder = tmp / name
        folder.mkdir()
        served = serve(name, folder)
        try:
            outcome = Outcome(use_as_a_person(name, served))
            runs = RUNS_OF_A_CORRECT_APP if is_correct(name) else 1
            for run in range(1, runs + 1):
                out = folder / f"grade-{run}" / "out.json"
                out.parent.mkdir()
                before = len(served.process.output(limit=10**7))
                outcome.gradings.append(run_grader(*grader_target(name, served), out=out))
                log = served.process.output(limit=10**7)[before:]
                outcome.logins.append(logins_in(log, name))
            if "no_browser_args" in app_info(name):
                out = folder / "api-only" / "out.json"
                out.parent.mkdir()
                args = [*grader_target(name, served), "--no-browser"]
                args += app_info(name)["no_browser_args"]
                args.remove("--app")
                args.remove(served.app)
                try:
                    outcome.api_only = run_grader(*args, out=out)
                except AssertionError as error:  # no JSON: the other tests still get their gradings
                    outcome.api_only = str(error)
            return outcome
        finally:
            served.process.stop()

    # The correct apps first: three gradings each, the longest jobs.
    order = sorted(APPS, key=lambda name: not is_correct(name))
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures: dict[str, Future[Outcome]] = {name: pool.submit(job, name) for name in order}
        yield lambda name: futures[name].result()


def verdicts(graded: Graded) -> dict[str, str]:
    return {check_id: result["result"] for check_id, result in graded.results.items()}


def differences(name: str, graded: Graded) -> list[str]:
    """One line per check whose verdict is not the expected one, with the grader's note."""
    want = expected(name)["checks"]
    got = verdicts(graded)
    lines = []
    for check_id in CHECKS:
        if want.get(check_id) != got.get(check_id):
            result = graded.results.get(check_id, {})
            note = result.get("note") or result.get("observed") or ""
            lines.append(
                f"{check_id}: expected {want.get(check_id)}, got {got.get(check_id)}  {note}"
            )
    return lines


def test_every_expectation_gives_a_verdict_for_every_check():
    for name in APPS:
        want = expected(name)
        assert set(want["checks"]) == set(CHECKS), name
        assert set(want["checks"].values()) <= {"pass", "warn", "fail", "skip"}, name
        failing = {cid for cid, v in want["checks"].items() if v in ("fail", "skip")}
        required_failing = {cid for cid in failing if CHECKS[cid].required}
        assert want["exit"] == (1 if required_failing else 0), name
        assert (want["exit"] == 0) == is_correct(name), name


def test_the_corpus_has_ten_correct_apps_and_the_flawed_ones():
    correct = [name for name in APPS if is_correct(name)]
    assert len(correct) >= 10, correct
    assert len(APPS) - len(correct) >= 5


@pytest.mark.parametrize("name", APPS)
def test_a_person_can_use_the_app(corpus, name):
    problem = corpus(name).person
    assert problem is None, f"{name}: {problem}"


@pytest.mark.parametrize("name", APPS)
def test_the_grader_gives_the_expected_verdicts(corpus, name):
    graded = corpus(name).gradings[0]
    wrong = differences(name, graded)
    assert not wrong, f"{name}:\n" + "\n".join(wrong) + "\n\nThe report:\n" + graded.report
    assert graded.status == expected(name)["exit"], graded.report
    assert graded.json.get("setup", []) == [], graded.report


@pytest.mark.parametrize("name", APPS)
def test_the_grade_reports_the_login_body_the_form_sends(corpus, name):
    """The field names (and, where the expectation says, the format) of the form's login body."""
    graded = corpus(name).gradings[0]
    reported = graded.json.get("login_fields") or {}
    want = expected(name)["login_fields"]
    assert {key: reported.get(key) for key in want} == want, graded.report


@pytest.mark.parametrize("name", [name for name in APPS if expected(name)["texts"]])
def test_the_findings_name_what_the_specification_says(corpus, name):
    """A setting that hides a mistake is named, a tutorial key with where it comes from, the
    parameter that carried another identity, the log-out control by its accessible name..."""
    results = corpus(name).gradings[0].results
    for check_id, words in expected(name)["texts"].items():
        result = results[check_id]
        text = " ".join((result["sent"], result["observed"], result["note"])).lower()
        missing = [word for word in words if word.lower() not in text]
        assert not missing, f"{check_id} does not name {missing}: {result}"


@pytest.mark.parametrize("name", [name for name in APPS if "no_browser_args" in app_info(name)])
def test_without_a_browser_the_options_name_the_login_fields(corpus, name):
    """An API that logs in by email, graded with --no-browser --username-field email: every
    API check gives its expected verdict, none skipped for want of a token."""
    graded = corpus(name).api_only
    assert isinstance(graded, Graded), graded
    want = expected(name)["checks"]
    got = verdicts(graded)
    # CORS needs no login; whether it runs without an APP origin is not this test's business.
    must_run = {cid for cid in CHECKS if cid.startswith("api.") and not cid.startswith("api.cors")}
    assert must_run <= set(got), graded.report
    wrong = {cid: (want[cid], v) for cid, v in got.items() if v != want[cid]}
    assert not wrong, f"{name}: {wrong}\n{graded.report}"
    assert not any(cid.startswith("browser.") for cid in got), graded.report
    assert graded.status == expected(name)["exit"], graded.report


@pytest.mark.parametrize("name", APPS)
def test_the_report_lists_what_the_page_tried_to_reach_elsewhere(corpus, name):
    """Only API and APP are contacted: the Bootstrap CDN of react-flask-hello's index.html is
    refused and listed; the other apps reach nothing else."""
    blocked = corpus(name).gradings[0].json.get("blocked", [])
    hosts = expected(name)["blocked_hosts"]
    for host in hosts:
        assert any(host in entry for entry in blocked), (host, blocked)
    if not hosts:
        assert blocked == [], blocked


@pytest.mark.parametrize("name", APPS)
def test_a_grade_logs_in_at_most_three_times(corpus, name):
    """So an app that allows 3 logins a minute is fully graded: the API checks reuse the
    browser's token and wrong-password answer, and add only the unknown user's login."""
    outcome = corpus(name)
    assert all(count <= 3 for count in outcome.logins), outcome.logins


@pytest.mark.parametrize("name", [name for name in APPS if is_correct(name)])
def test_a_correct_app_gets_the_same_verdicts_every_time(corpus, name):
    gradings = corpus(name).gradings
    assert len(gradings) == RUNS_OF_A_CORRECT_APP
    first = verdicts(gradings[0])
    for run, graded in enumerate(gradings[1:], start=2):
        changed = {
            cid: (first.get(cid), verdict)
            for cid, verdict in verdicts(graded).items()
            if first.get(cid) != verdict
        }
        assert not changed, f"{name}, run {run} differs from run 1: {changed}\n{graded.report}"
        assert graded.status == gradings[0].status
