"""The grader's outputs: a terminal report by lesson step, `--json` and `--junit` files."""

from __future__ import annotations

import json
import os
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TextIO

from .checks import CHECKS, STEPS, Grade

SYMBOLS = {"pass": "PASS", "warn": "WARN", "fail": "FAIL", "skip": "SKIP"}
COLOURS = {"pass": "32", "warn": "33", "fail": "31", "skip": "90"}
WIDTH = 100


def use_colour(stream: TextIO, choice: str = "auto") -> bool:
    """`auto`: colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    if choice != "auto":
        return choice == "always"
    return stream.isatty() and not os.environ.get("NO_COLOR")


def wrapped(label: str, text: str) -> str:
    """One labelled field of a check, wrapped under its label at WIDTH columns."""
    head = f"        {label + ':' if label else '':<10}"
    return textwrap.fill(
        text,
        WIDTH,
        initial_indent=head,
        subsequent_indent=" " * len(head),
        break_on_hyphens=False,
        break_long_words=False,
    )


def in_order(grade: Grade) -> list:
    """The results in the catalogue's order (the lesson's), whatever order they ran in."""
    order = list(CHECKS)
    return sorted(grade.results, key=lambda result: order.index(result.check))


def summary(grade: Grade) -> str:
    """The report's last line: the counts and the verdict."""
    counts = grade.counts()
    failed = [r for r in grade.failed() if r.status == "fail"]
    not_run = len(grade.failed()) - len(failed)
    if not grade.failed():
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


def terminal(
    grade: Grade, stream: TextIO = sys.stdout, colour_choice: str = "auto", verbose: bool = False
) -> None:
    """The report a student reads: each lesson step, each check, and what to do about it."""
    colour = use_colour(stream, colour_choice)

    def paint(text: str, status: str) -> str:
        return f"\033[{COLOURS[status]}m{text}\033[0m" if colour else text

    print(f"Grading API {grade.api}" + (f" and app {grade.app}" if grade.app else ""), file=stream)
    for step, title in STEPS.items():
        results = [r for r in in_order(grade) if CHECKS[r.check].step == step]
        if not results:
            continue
        print(f"\nStep {step}. {title}", file=stream)
        for result in results:
            check = CHECKS[result.check]
            optional = "" if check.required else " (optional)"
            print(
                f"  {paint(SYMBOLS[result.status], result.status)}  {check.title}{optional}",
                file=stream,
            )
            if result.status == "skip":
                print(wrapped("", result.note), file=stream)
                continue
            lines = [("sent", result.sent), ("got", result.observed), ("found", result.note)]
            if result.status in ("fail", "warn"):
                file, name = check.reference
                lines += [
                    ("why", check.why),
                    ("fix", check.fix),
                    ("see", f"{file} ({name}) in JWT Classroom"),
                ]
            for label, text in lines:
                if text:
                    print(wrapped(label, text), file=stream)
    if grade.rate_limited:
        print(f"\nStopped early: {grade.rate_limited}", file=stream)
    if grade.blocked:
        print(
            f"\nBlocked (only API and APP are contacted): {', '.join(grade.blocked)}", file=stream
        )
    print(f"\n{summary(grade)}", file=stream)


def as_json(grade: Grade) -> dict:
    """Every result, with its check's why, fix and reference: what `--json` writes."""
    return {
        "api": grade.api,
        "app": grade.app,
        "passed": not grade.failed(),
        "counts": grade.counts(),
        "rate_limited": grade.rate_limited,
        "blocked": grade.blocked,
        "checks": [result.to_dict() for result in grade.results],
    }


def write_json(grade: Grade, path: Path) -> None:
    """`--json FILE`."""
    path.write_text(json.dumps(as_json(grade), indent=2) + "\n", encoding="utf-8")


def write_junit(grade: Grade, path: Path) -> None:
    """One <testsuite> per lesson step, one <testcase> per check: what CI dashboards read."""
    suites = ET.Element("testsuites", name="JWT Classroom grader")
    for step, title in STEPS.items():
        results = [r for r in grade.results if CHECKS[r.check].step == step]
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
                    ("sent", result.sent),
                    ("got", result.observed),
                    ("found", result.note),
                    ("why", check.why),
                    ("fix", check.fix),
                )
                if value
            )
            if result.status == "fail" and check.required:
                ET.SubElement(case, "failure", message=check.title).text = text
            elif result.status == "skip":
                ET.SubElement(case, "skipped", message=result.note)
            else:
                ET.SubElement(case, "system-out").text = text
    ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)
