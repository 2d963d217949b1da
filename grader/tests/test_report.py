"""The grader's reports, from grades built by hand (no app, no browser).

What a teacher reads first (set-up problems, then what to fix), how short a passing report is,
and that nothing the student's app sent reaches a terminal, a JUnit file or Markdown as it was.
"""

from __future__ import annotations

import io
import json
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

from markdown_it import MarkdownIt

from grader import report
from grader.checks import CHECKS, Grade, Result, SetupProblem

# What a hostile app puts in a body or an alert(): a clipboard write (OSC 52), a screen clear and
# a forged line, a bidi override that reverses what follows, C1's CSI, DEL, a zero-width joiner
# and a byte that was not UTF-8.
HOSTILE = (
    "\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\r\n  PASS  The token is a JWT\u202egnp.exe"
    "\x9b31m\x7f\u200d\u2066x\u2069\udc80"
)
# Characters a terminal or an XML parser must never get from the app (the report's own lines
# end in newlines: the app's newline is checked by the forged line it must not start).
RAW = {char for char in HOSTILE if report.unsafe(char)} - {"\n"}


def grade_of(statuses: dict[str, str] | None = None, **fields: object) -> Grade:
    """A grade in which every check passed, but those `statuses` names."""
    grade = Grade(api="http://127.0.0.1:5001", app="http://127.0.0.1:5002", **fields)
    for cid in CHECKS:
        status = (statuses or {}).get(cid, "pass")
        grade.add(
            Result(
                cid,
                status,
                sent=f"GET /{cid}",
                observed=f"200 seen by {cid}",
                note="" if status == "pass" else f"the cause of {cid}",
            )
        )
    return grade


def printed(grade: Grade, verbose: bool = False) -> str:
    stream = io.StringIO()
    report.terminal(grade, stream, colour_choice="never", verbose=verbose)
    return stream.getvalue()


def section(text: str, heading: str) -> list[str]:
    """The lines of a report section, from its heading to the next blank line."""
    lines = text.splitlines()
    start = lines.index(heading) + 1
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start:end]


def test_fix_first_lists_exactly_the_failed_required_checks_in_the_lessons_order():
    grade = grade_of(
        {
            "browser.guard": "fail",
            "api.sub_is_string": "fail",
            "api.token_field": "fail",  # optional: not a thing to fix first
            "api.wrong_password": "warn",
            "browser.reload_keeps_session": "skip",
        }
    )
    text = printed(grade)
    assert section(text, "Fix first:") == [
        f"- {CHECKS['api.sub_is_string'].title}: the cause of api.sub_is_string",
        f"- {CHECKS['browser.guard'].title}: the cause of browser.guard",
    ]
    assert text.index("Fix first:") < text.index("Step 1.")


def test_a_passing_app_gets_no_fix_first_and_a_report_that_fits_a_screen():
    text = printed(grade_of())
    assert "Fix first" not in text
    assert len(text.splitlines()) <= 50
    assert text.splitlines()[-1].endswith("every required check passed")


def test_a_pass_is_one_line_and_verbose_shows_what_was_sent_and_received():
    title = CHECKS["api.tampered"].title
    short = printed(grade_of()).splitlines()
    line = short.index(f"  PASS  {title}")
    assert short[line + 1].startswith("  PASS  ")  # the next check, nothing in between
    assert "sent:" not in "\n".join(short)

    verbose = printed(grade_of(), verbose=True).splitlines()
    line = verbose.index(f"  PASS  {title}")
    assert verbose[line + 1].split() == ["sent:", "GET", "/api.tampered"]
    assert verbose[line + 2].split() == ["got:", "200", "seen", "by", "api.tampered"]
    assert verbose[line + 3].startswith("  PASS  ")  # no why/fix for a PASS


def test_a_pass_shows_what_the_grader_found_beside_it():
    grade = grade_of()
    (key,) = [r for r in grade.results if r.check == "api.token_key"]
    key.note = 'Your tokens name their key (kid "abc"); a verifier finds the public key by it.'
    lines = printed(grade).splitlines()
    line = lines.index(f"  PASS  {CHECKS['api.token_key'].title} (optional)")
    assert lines[line + 1].split(maxsplit=1) == ["found:", key.note]
    assert lines[line + 2].startswith("  PASS  ")  # no sent, got, why or fix for a PASS


def test_a_failure_keeps_what_was_sent_received_found_why_fix_and_where_to_look():
    text = printed(grade_of({"api.alg_none": "fail"}))
    lines = text.splitlines()
    start = lines.index(f"  FAIL  {CHECKS['api.alg_none'].title}")
    labels = [line.split()[0] for line in lines[start + 1 : start + 8] if line.startswith(" " * 8)]
    assert [label for label in labels if label.endswith(":")] == [
        "sent:",
        "got:",
        "found:",
        "why:",
        "fix:",
        "see:",
    ]


def test_set_up_problems_come_first_and_the_verdict_says_not_graded():
    grade = grade_of(
        {"browser.logs_in": "skip", "api.login": "fail"},
        setup=[
            SetupProblem(
                "Your page calls http://127.0.0.1:3205, not API",
                "pass API=http://127.0.0.1:3205",
            )
        ],
    )
    lines = printed(grade).splitlines()
    assert lines[1:5] == [
        "",
        "Set-up problems (nothing is concluded about the code from them):",
        "- Your page calls http://127.0.0.1:3205, not API",
        "  fix: pass API=http://127.0.0.1:3205",
    ]
    assert lines.index("Fix first:") > 4
    assert lines[-1].endswith("not graded: set-up problem (see the top)")


def test_stopped_early_deadline_and_every_refused_request_are_said_at_the_end():
    grade = grade_of(
        rate_limited="The API answered 429 to the login",
        deadline_passed="The 120 s deadline passed: browser.guard was not run",
        blocked=[f"GET http://127.0.0.1:9/{n}" for n in range(12)] + ["GET http://127.0.0.1:9/0"],
    )
    text = printed(grade)
    assert "\nDeadline passed: The 120 s deadline passed: browser.guard was not run\n" in text
    assert "\nStopped early: The API answered 429 to the login\n" in text
    blocked = section(text, "Blocked (only API and APP are contacted):")
    assert blocked[:2] == ["- GET http://127.0.0.1:9/0", "- GET http://127.0.0.1:9/1"]
    assert blocked[-1] == "- and 2 more (--json lists them all)"  # 12 different, 10 shown


def hostile_grade() -> Grade:
    grade = grade_of(
        {"api.login": "fail", "browser.wrong_password_message": "warn", "browser.guard": "skip"},
        setup=[SetupProblem(f"Your page calls {HOSTILE}", f"pass API={HOSTILE}")],
        blocked=[f"GET http://127.0.0.1:9/{HOSTILE}"],
        rate_limited=HOSTILE,
        deadline_passed=HOSTILE,
    )
    grade.app = HOSTILE
    for result in grade.results:
        result.sent, result.observed, result.note = HOSTILE, HOSTILE, HOSTILE
    return grade


def test_escape_sequences_bidi_and_control_characters_from_the_app_never_reach_the_terminal():
    for verbose in (False, True):
        text = printed(hostile_grade(), verbose=verbose)
        assert not [char for char in text if char in RAW]
        assert not [c for c in text if unicodedata.category(c) == "Cc" and c != "\n"]
        # The teacher still sees what the app sent, spelled out.
        assert r"\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\r\n  PASS  The token is a JWT\u202egnp" in text
        assert r"\x9b31m\x7f\u200d\u2066x\u2069\udc80" in text
        # Every PASS line is the grader's own: none is the line the app forged.
        titles = {check.title for check in CHECKS.values()}
        passes = [line[8:] for line in text.splitlines() if line.startswith("  PASS  ")]
        assert passes and all(title.removesuffix(" (optional)") in titles for title in passes)


def test_colour_is_the_grader_own_and_only_when_asked():
    stream = io.StringIO()
    report.terminal(hostile_grade(), stream, colour_choice="always")
    escapes = stream.getvalue().count("\x1b")
    assert escapes == stream.getvalue().count("\x1b[0m") * 2  # each colour opened and closed


def test_junit_with_control_characters_is_well_formed_xml(tmp_path: Path):
    path = tmp_path / "report.xml"
    report.write_junit(hostile_grade(), path)
    # expat refuses any character XML 1.0 forbids; the file is our own output.
    root = ET.parse(path).getroot()  # noqa: S314
    suites = root.findall("testsuite")
    assert suites[0].get("name") == "Set-up"
    assert suites[0].find("testcase/failure").get("message").startswith(r"Your page calls \x1b]52")
    login = root.find(".//testcase[@name='api.login']/failure")
    assert login.get("message") == CHECKS["api.login"].title
    assert r"got: \x1b]52;c;cm0gLXJmIH4=\x07" in login.text
    skipped = root.find(".//testcase[@name='browser.guard']/skipped")
    assert skipped.get("message").startswith(r"\x1b]52")
    raw = path.read_text(encoding="utf-8", errors="surrogateescape")
    assert not [char for char in raw if char in RAW]


def test_json_keeps_what_the_app_sent_and_says_set_up_login_fields_and_deadline(tmp_path: Path):
    grade = hostile_grade()
    grade.login_fields = {"username": "email", "password": "password", "format": "json"}
    path = tmp_path / "report.json"
    report.write_json(grade, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["setup"] == [
        {"problem": f"Your page calls {HOSTILE}", "fix": f"pass API={HOSTILE}"}
    ]
    assert data["login_fields"] == {"username": "email", "password": "password", "format": "json"}
    assert data["deadline_passed"] == HOSTILE
    assert data["blocked"] == [f"GET http://127.0.0.1:9/{HOSTILE}"]
    assert data["checks"][0]["observed"] == HOSTILE
    assert data["passed"] is False
    assert json.loads(json.dumps(report.as_json(grade_of())))["setup"] == []


def cells(markdown: str) -> list[list[str]]:
    """The text of every cell of a Markdown table, rendered as GitHub renders tables."""
    rows: list[list[str]] = []
    in_cell = False
    for token in MarkdownIt("commonmark").enable("table").parse(markdown):
        if token.type == "tr_open":
            rows.append([])
        in_cell = token.type in ("th_open", "td_open") or (in_cell and token.type == "inline")
        if in_cell and token.type == "inline":
            rows[-1].append("".join(child.content for child in token.children or []))
    return rows


def test_a_markdown_cell_shows_its_text_and_nothing_else():
    crafted = "Eve | passed | ✓ | ✓ `code` **bold** <b>x</b> [link](http://x) :tada: $x$ \\|"
    table = f"| name | result |\n|---|---|\n| {report.markdown_cell(crafted)} | not passed |\n"
    assert cells(table) == [["name", "result"], [crafted, "not passed"]]
    html = MarkdownIt("commonmark").enable("table").render(table)
    assert "<code>" not in html and "<strong>" not in html and "<a " not in html
    assert "<b>" not in html


def test_a_markdown_cell_cannot_end_the_row_and_makes_control_characters_visible():
    cell = report.markdown_cell("Eve\n| x | y |")
    table = f"| a | b |\n|---|---|\n| {cell} | 1 |\n"
    assert cells(table) == [["a", "b"], [r"Eve\n| x | y |", "1"]]
    assert report.markdown_cell(HOSTILE).count("\x1b") == 0


def test_a_programs_output_keeps_its_lines_and_loses_its_control_characters():
    output = "Grading API x\n\x1b]0;pwned\x07 alert: \u202eevil\r\nTraceback\n"
    assert report.visible_lines(output) == (
        "Grading API x\n\\x1b]0;pwned\\x07 alert: \\u202eevil\\r\nTraceback\n"
    )
