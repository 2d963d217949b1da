"""`python -m grader`: grade one running app, print the report, exit 0 only if it all passed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import api_checks, browser_checks, report
from .checks import Grade
from .target import Target

EXIT_PASSED, EXIT_FAILED, EXIT_INCOMPLETE = 0, 1, 3


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
            "the grader before it could finish (grade again later)."
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
        "--protected-path", default="/protected", help="a protected GET route (default /protected)"
    )
    parse.add_argument("--login-path", help="the page with the login form, relative to --app")
    parse.add_argument(
        "--private-path", help="the private page, relative to --app (default: where login lands)"
    )
    parse.add_argument("--no-browser", action="store_true", help="only the API checks")
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
    )


def grade(target: Target, browser: bool = True) -> Grade:
    """Run every check against `target`: the API first, then the pages."""
    result = Grade(api=target.api, app=target.app)
    token = api_checks.run(target, result)
    if browser and target.app:
        browser_checks.run(target, result, token)
    return result


def exit_status(result: Grade) -> int:
    """0 all required checks passed; 3 stopped by a 429 with nothing failed; 1 otherwise."""
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
    report.terminal(result, colour_choice=args.color)
    if args.json:
        report.write_json(result, args.json)
    if args.junit:
        report.write_junit(result, args.junit)
    return exit_status(result)


if __name__ == "__main__":
    sys.exit(main())
