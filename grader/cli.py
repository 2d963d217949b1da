"""`python -m grader`: grade one running app, print the report, exit 0 only if it all passed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import api_checks, browser_checks, reachable, report
from .api_checks import SETUP_NOTE, skip_missing
from .checks import CHECKS, Grade, SetupProblem
from .target import Deadline, Target, set_grade_deadline

EXIT_PASSED, EXIT_FAILED, EXIT_INCOMPLETE, EXIT_SETUP = 0, 1, 3, 4


def parser() -> argparse.ArgumentParser:
    """The command line: where the app is, the account, which paths differ, what to write."""
    parse = argparse.ArgumentParser(
        prog="python -m grader",
        description=(
            "Grade a running implementation of the lesson (a Flask API with flask-jwt-extended "
            "and a front end): API checks over HTTP, browser checks in Chromium."
        ),
        epilog=(
            "Exit status: 0 every required check passed, 1 some did not, 3 the app rate-limited "
            "the grader before it could finish (grade again later), 4 not graded: a set-up "
            "problem (API or APP not answering, the page calling another API)."
        ),
    )
    parse.add_argument(
        "--api", required=True, help="the API's base URL, e.g. http://localhost:3001/api"
    )
    parse.add_argument(
        "--app", help="the front end's URL, e.g. http://localhost:3000 (omit with --no-browser)"
    )
    parse.add_argument("--username", required=True, help="an account the student created")
    parse.add_argument("--password", required=True, help="its password (never printed)")
    parse.add_argument(
        "--token-path", default="/token", help="login route, relative to --api (default /token)"
    )
    parse.add_argument(
        "--protected-path",
        help="a protected GET route (default: the one the page calls with its token, else "
        "/protected)",
    )
    parse.add_argument("--login-path", help="the page with the login form, relative to --app")
    parse.add_argument(
        "--private-path", help="the private page, relative to --app (default: where login lands)"
    )
    parse.add_argument(
        "--username-field",
        help="the login body's field for the username, e.g. email (default: what the app's "
        "form sends, else username)",
    )
    parse.add_argument(
        "--password-field", help="the login body's field for the password (default: as above)"
    )
    parse.add_argument(
        "--logout-name",
        help="a regular expression for the log-out control's name, besides Log out, Sign out, "
        "Cerrar sesión, Salir, Sair...",
    )
    parse.add_argument(
        "--deadline",
        type=float,
        default=120.0,
        metavar="SECONDS",
        help="the whole grade's time limit (default 120)",
    )
    parse.add_argument("--no-browser", action="store_true", help="only the API checks")
    parse.add_argument(
        "--verbose", action="store_true", help="what was sent and received, for every check"
    )
    parse.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="colour the report (default: only on a terminal, and not with NO_COLOR set)",
    )
    parse.add_argument("--json", type=Path, metavar="FILE", help="also write every result as JSON")
    parse.add_argument("--junit", type=Path, metavar="FILE", help="also write a JUnit XML report")
    return parse


def target_from(args: argparse.Namespace) -> Target:
    """The app to grade, from the command line."""
    return Target(
        api=args.api,
        app=args.app,
        username=args.username,
        password=args.password,
        token_path=args.token_path,
        protected_path=args.protected_path,
        login_path=args.login_path,
        private_path=args.private_path,
        username_field=args.username_field,
        password_field=args.password_field,
        logout_name=args.logout_name,
        deadline=args.deadline,
    )


def grade(target: Target, browser: bool = True) -> Grade:
    """Run every check against `target`: set-up first, then the pages with the API checks.

    The API checks run in the middle of the browser checks, once the app's own session works:
    they reuse its logins and its token, and the browser logs out only after them.
    """
    result = Grade(api=target.api, app=target.app)
    deadline = Deadline(target.deadline)
    set_grade_deadline(deadline)
    use_browser = browser and bool(target.app)
    result.setup = reachable.problems(target.api, target.app if use_browser else None)
    if result.setup:
        ids = [c for c in CHECKS if use_browser or not c.startswith("browser.")]
        skip_missing(result, [c for c in ids if target.app or c != "api.cors"], SETUP_NOTE)
        return result

    def api_part(seen: api_checks.Seen | None) -> None:
        api_checks.run(target, result, seen)

    if use_browser:
        browser_checks.BrowserRun(target, result, deadline).run(api_part)
    else:
        api_part(None)
    if result.failed() and not result.setup:
        gone = reachable.problem("API", target.api)
        if gone is not None:
            result.setup.append(
                SetupProblem(
                    f"The API stopped answering during the grade: {gone.problem}",
                    "Start the API again (and keep it running), then grade again.",
                )
            )
    if result.setup:
        # Failures seen with the app half gone say nothing about its code.
        for checked in result.results:
            if checked.status == "fail":
                checked.status, checked.note = "skip", SETUP_NOTE
    return result


def exit_status(result: Grade) -> int:
    """0 all passed; 4 a set-up problem; 3 stopped by a 429 with nothing failed; 1 otherwise."""
    if result.setup:
        return EXIT_SETUP
    if not result.failed():
        return EXIT_PASSED
    real_failures = [r for r in result.failed() if r.status == "fail"]
    return EXIT_INCOMPLETE if result.rate_limited and not real_failures else EXIT_FAILED


def main(argv: list[str] | None = None) -> int:
    """Grade, print the report, write the files asked for; return the exit status."""
    args = parser().parse_args(argv)
    if not args.app and not args.no_browser:
        parser().error("--app is required for the browser checks (or pass --no-browser)")
    result = grade(target_from(args), browser=not args.no_browser)
    report.terminal(result, colour_choice=args.color, verbose=args.verbose)
    if args.json:
        report.write_json(result, args.json)
    if args.junit:
        report.write_junit(result, args.junit)
    return exit_status(result)


if __name__ == "__main__":
    sys.exit(main())
