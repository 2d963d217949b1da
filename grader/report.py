"""The grader's outputs: a terminal report by lesson step, `--json` and `--junit` files.

Everything the student's app sent (bodies, headers, alerts, URLs, cookie names) is untrusted:
`visible()` is the one place that makes it safe to print, and every output but JSON goes through
it (JSON keeps the raw strings: `json.dumps` escapes them).
"""

from __future__ import annotations

import json
import os
import re
import sys
import textwrap
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TextIO

from .checks import CHECKS, STEPS, Grade, Result

SYMBOLS = {"pass": "PASS", "warn": "WARN", "fail": "FAIL", "skip": "SKIP"}
COLOURS = {"pass": "32", "warn": "33", "fail": "31", "skip": "90"}
WIDTH = 100
# A field of the terminal report is cut here; --json keeps every character.
FIELD_CHARS = 600
# How many refused requests the terminal lists; --json lists them all.
BLOCKED_SHOWN = 10

# Unicode categories a terminal or a reader could be fooled by: Cc (C0 controls such as ESC and
# newline, DEL, C1 controls), Cf (bidi overrides and isolates, zero-width joiners, tag
# characters), Cs (lone surrogates: bytes that were not UTF-8), Zl and Zp (line separators).
UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}
NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Characters that mean something in a Markdown table cell (CommonMark lets any ASCII punctuation
# be escaped with a backslash; GitHub adds `:emoji:`, `$math$` and `@mention`).
MARKDOWN_SPECIAL = re.compile(r"([\\`*_~\[\]<>|&:$@{}!#])")


def unsafe(char: str) -> bool:
    """True for a character that must not reach a terminal, a text file or XML as it is."""
    # U+FFFE and U+FFFF are not characters at all, and XML 1.0 forbids them.
    return unicodedata.category(char) in UNSAFE_CATEGORIES or char in "\ufffe\uffff"


def escape(char: str) -> str:
    """One character as the escape a reader recognises: \\x1b, \\u202e, \\n."""
    code = ord(char)
    if char in NAMED_ESCAPES:
        return NAMED_ESCAPES[char]
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: str) -> str:
    """Untrusted text on one line, every control and invisible formatting character escaped.

    An escape sequence (ESC [ 2 J, an OSC 52 clipboard write) is harmless once its ESC is
    written as `\\x1b`: what follows is plain text. A newline becomes `\\n`, so a student's
    message cannot start a line of the report that looks like the grader's own.
    """
    return "".join(escape(char) if unsafe(char) else char for char in text)


def visible_lines(text: str) -> str:
    """Untrusted text of several lines (a program's output): each line made `visible()`."""
    return "\n".join(visible(line) for line in text.split("\n"))


def markdown_cell(text: str) -> str:
    """Untrusted text as one Markdown table cell: visible, and nothing in it is Markdown."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", visible(text))


def cut(text: str, limit: int = FIELD_CHARS) -> str:
    """`text` made visible and cut to about `limit` characters, saying how much was left out."""
    if len(text) > limit:
        return f"{visible(text[:limit])}... ({len(text) - limit} more characters in --json)"
    return visible(text)


def use_colour(stream: TextIO, choice: str = "auto") -> bool:
    """`auto`: colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    if choice != "auto":
        return choice == "always"
    return stream.isatty() and not os.environ.get("NO_COLOR")


def filled(text: str, first: str, rest: str) -> str:
    """`text` (already safe) wrapped at WIDTH columns after `first`, then indented by `rest`."""
    return textwrap.fill(
        text,
        WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
        break_long_words=False,
    )


def wrapped(label: str, text: str) -> str:
    """One labelled field of a check, wrapped under its label."""
    head = f"        {label + ':' if label else '':<10}"
    return filled(text, head, " " * len(head))


def in_order(grade: Grade) -> list[Result]:
    """The results in the catalogue's order (the lesson's), whatever order they ran in."""
    order = list(CHECKS)
    return sorted(grade.results, key=lambda result: order.index(result.check))


def fix_first(grade: Grade) -> list[Result]:
    """The required checks that failed, in the lesson's order: what to work on first."""
    return [r for r in in_order(grade) if r.status == "fail" and CHECKS[r.check].required]


def summary(grade: Grade) -> str:
    """The report's last line: the counts and the verdict."""
    counts = grade.counts()
    failed = [r for r in grade.failed() if r.status == "fail"]
    not_run = len(grade.failed()) - len(failed)
    if grade.setup:
        verdict = "not graded: set-up problem (see the top)"
    elif not grade.failed():
        verdict = "every required check passed"
    else:
        verdict = ", ".join(
            text
            for text in (
                f"{len(failed)} required check(s) failed" if failed else "",
                f"{not_run} not run" if not_run else "",
            )
            if text
        )
    return (
        f"{counts['pass']} passed, {counts['warn']} warnings, {counts['fail']} failed, "
        f"{counts['skip']} skipped: {verdict}"
    )


def result_lines(result: Result, verbose: bool) -> list[tuple[str, str]]:
    """The labelled fields printed under one result's line.

    A PASS shows only what the grader found beside it (a `kid` it saw, a check it did not need
    to try), unless verbose.
    """
    check = CHECKS[result.check]
    if result.status == "skip":
        return [("", cut(result.note))]
    if result.status == "pass" and not verbose:
        return [("found", cut(result.note))] if result.note else []
    lines = [("sent", result.sent), ("got", result.observed), ("found", result.note)]
    lines = [(label, cut(text)) for label, text in lines if text]
    if result.status in ("fail", "warn"):
        file, name = check.reference
        lines += [
            ("why", check.why),
            ("fix", check.fix),
            ("see", f"{file} ({name}) in JWT Classroom"),
        ]
    return lines


def unique(items: list[str]) -> list[str]:
    """`items` without repeats, in their first order."""
    return list(dict.fromkeys(items))


def terminal(
    grade: Grade,
    stream: TextIO = sys.stdout,
    colour_choice: str = "auto",
    verbose: bool = False,
) -> None:
    """The report a student reads: set-up problems, what to fix first, then each lesson step.

    A PASS is one line, with what the grader found beside it when it found something; a WARN or
    FAIL says what was sent and received, what the grader found, why it matters, how to fix it
    and where JWT Classroom does it right. `verbose` shows what was sent and received for every
    check.
    """
    colour = use_colour(stream, colour_choice)

    def paint(text: str, status: str) -> str:
        return f"\033[{COLOURS[status]}m{text}\033[0m" if colour else text

    def say(text: str = "") -> None:
        print(text, file=stream)

    app = f" and app {visible(grade.app)}" if grade.app else ""
    say(f"Grading API {visible(grade.api)}{app}")
    if grade.setup:
        say(
            f"\n{paint('Set-up problems', 'fail')} (nothing is concluded about the code from them):"
        )
        for problem in grade.setup:
            say(filled(cut(problem.problem), "- ", "  "))
            say(filled(cut(problem.fix), "  fix: ", "       "))
    failures = fix_first(grade)
    if failures:
        say(f"\n{paint('Fix first', 'fail')}:")
        for result in failures:
            note = f": {cut(result.note)}" if result.note else ""
            say(f"- {CHECKS[result.check].title}{note}")
    for step, title in STEPS.items():
        results = [r for r in in_order(grade) if CHECKS[r.check].step == step]
        if not results:
            continue
        say(f"\nStep {step}. {title}")
        for result in results:
            check = CHECKS[result.check]
            optional = "" if check.required else " (optional)"
            say(f"  {paint(SYMBOLS[result.status], result.status)}  {check.title}{optional}")
            for label, text in result_lines(result, verbose):
                say(wrapped(label, text))
    if grade.deadline_passed:
        say(f"\nDeadline passed: {cut(grade.deadline_passed)}")
    if grade.rate_limited:
        say(f"\nStopped early: {cut(grade.rate_limited)}")
    if grade.blocked:
        blocked = unique(grade.blocked)
        say("\nBlocked (only API and APP are contacted):")
        for entry in blocked[:BLOCKED_SHOWN]:
            say(f"- {cut(entry, WIDTH)}")
        if len(blocked) > BLOCKED_SHOWN:
            say(f"- and {len(blocked) - BLOCKED_SHOWN} more (--json lists them all)")
    say(f"\n{summary(grade)}")


def as_json(grade: Grade) -> dict:
    """Every result, with its check's why, fix and reference: what `--json` writes.

    The strings are as the app sent them (json.dumps escapes what JSON must); whoever prints
    them makes them `visible()` first.
    """
    return {
        "api": grade.api,
        "app": grade.app,
        "passed": not grade.failed() and not grade.setup,
        "counts": grade.counts(),
        "setup": [{"problem": p.problem, "fix": p.fix} for p in grade.setup],
        "login_fields": grade.login_fields,
        "deadline_passed": grade.deadline_passed,
        "rate_limited": grade.rate_limited,
        "blocked": grade.blocked,
        "checks": [result.to_dict() for result in grade.results],
    }


def write_json(grade: Grade, path: Path) -> None:
    """`--json FILE`."""
    path.write_text(json.dumps(as_json(grade), indent=2) + "\n", encoding="utf-8")


def junit(grade: Grade) -> ET.ElementTree:
    """One <testsuite> per lesson step, one <testcase> per check: what CI dashboards read.

    Set-up problems come first, as a suite of their own whose cases fail. Every string from the
    app is `visible()`, so the XML never holds a character XML 1.0 forbids.
    """
    suites = ET.Element("testsuites", name="JWT Classroom grader")
    if grade.setup:
        suite = ET.SubElement(
            suites,
            "testsuite",
            name="Set-up",
            tests=str(len(grade.setup)),
            failures=str(len(grade.setup)),
            skipped="0",
        )
        for number, problem in enumerate(grade.setup, start=1):
            case = ET.SubElement(suite, "testcase", classname="setup", name=f"setup.{number}")
            failure = ET.SubElement(case, "failure", message=visible(problem.problem))
            failure.text = f"fix: {visible(problem.fix)}"
    for step, title in STEPS.items():
        results = [r for r in in_order(grade) if CHECKS[r.check].step == step]
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=f"Step {step}. {title}",
            tests=str(len(results)),
            failures=str(sum(r.status == "fail" and CHECKS[r.check].required for r in results)),
            skipped=str(sum(r.status == "skip" for r in results)),
        )
        for result in results:
            check = CHECKS[result.check]
            case = ET.SubElement(suite, "testcase", classname=f"step{step}", name=result.check)
            text = "\n".join(
                f"{label}: {value}"
                for label, value in (
                    ("sent", visible(result.sent)),
                    ("got", visible(result.observed)),
                    ("found", visible(result.note)),
                    ("why", check.why),
                    ("fix", check.fix),
                )
                if value
            )
            if result.status == "fail" and check.required:
                ET.SubElement(case, "failure", message=check.title).text = text
            elif result.status == "skip":
                ET.SubElement(case, "skipped", message=visible(result.note))
            else:
                ET.SubElement(case, "system-out").text = text
    return ET.ElementTree(suites)


def write_junit(grade: Grade, path: Path) -> None:
    """`--junit FILE`."""
    junit(grade).write(path, encoding="utf-8", xml_declaration=True)
