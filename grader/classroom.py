"""`python -m grader.classroom students.csv`: grade a whole class, one table of who passes what.

The CSV has a header row and one row per student:

    name,api,app,username,password[,token_path,protected_path,login_path,private_path,
    username_field,password_field,logout_name]

Each student's app is graded by `python -m grader` in its own process (a few at a time, each
bounded by the grader's deadline and a margin), so one app that hangs or crashes the browser
cannot spoil the others. The output folder gets each student's report (`<name>-<row>.txt` and
`.json`: the row number keeps "Ann Lee" and "Ann-Lee" apart) and the class table as `index.html`
(one file, no scripts, readable offline) and `summary.md`. Names and everything the apps sent
are untrusted: made visible and escaped before they reach the table.
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import os
import re
import subprocess
import sys
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .checks import CHECKS, STEPS
from .cli import EXIT_SETUP, parser
from .report import markdown_cell, visible, visible_lines

REQUIRED_COLUMNS = ("name", "api", "app", "username", "password")
OPTIONAL_COLUMNS = (
    "token_path",
    "protected_path",
    "login_path",
    "private_path",
    "username_field",
    "password_field",
    "logout_name",
)
# `python -m grader`'s own --deadline for one grade; a student's process is stopped after it
# and a margin (starting Chromium, writing the reports).
GRADER_DEADLINE_S: float = parser().get_default("deadline")
MARGIN_S = 60
REPO_ROOT = Path(__file__).resolve().parent.parent
CELL = {"pass": "✓", "warn": "!", "fail": "✗", "skip": "-"}


@dataclass
class Student:
    """One row of the CSV, and what grading it gave."""

    row: int
    name: str
    settings: dict[str, str]
    problem: str = ""  # why it could not be graded
    unreachable: str = ""  # the grader's first set-up problem: the app could not be reached
    results: dict[str, dict] = field(default_factory=dict)
    passed: bool = False

    @property
    def file_stem(self) -> str:
        """The name of this student's report files: the name in ASCII letters, then the row.

        The row number makes it unique: "Ann Lee" and "Ann-Lee", "Zoë" and "Zoé" differ there.
        """
        ascii_name = unicodedata.normalize("NFKD", self.name).encode("ascii", "ignore").decode()
        slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-")[:40].strip("-")
        return f"{slug or 'student'}-{self.row}"


def read_class(path: Path) -> list[Student]:
    """The students of a CSV file; a row with a missing column is kept, with its problem."""
    with path.open(newline="", encoding="utf-8-sig") as file:
        reader = csv.DictReader(file)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise SystemExit(
                f"{path}: the header row lacks {', '.join(missing)} "
                f"(expected: {','.join(REQUIRED_COLUMNS)}[,{','.join(OPTIONAL_COLUMNS)}])"
            )
        students = []
        for number, row in enumerate(reader, start=2):
            values = {key: (value or "").strip() for key, value in row.items() if key}
            student = Student(number, values.get("name") or f"row {number}", values)
            empty = [c for c in REQUIRED_COLUMNS if not values.get(c)]
            if empty:
                student.problem = f"row {number}: no {', '.join(empty)}"
            elif not all(values[c].startswith(("http://", "https://")) for c in ("api", "app")):
                student.problem = f"row {number}: api and app must be http:// or https:// URLs"
            students.append(student)
    return students


def grader_command(settings: dict[str, str], json_file: Path, deadline: float | None) -> list[str]:
    """`python -m grader` with one `--option=value` argument per setting.

    The `=` form keeps a value that starts with `-` (a password such as `-x9`) a value.
    """
    command = [sys.executable, "-m", "grader", f"--json={json_file}"]
    for option in ("api", "app", "username", "password", *OPTIONAL_COLUMNS):
        if settings.get(option):
            command.append(f"--{option.replace('_', '-')}={settings[option]}")
    if deadline is not None:
        command.append(f"--deadline={deadline:g}")
    return command


def grade_one(student: Student, out: Path, deadline: float | None = None) -> Student:
    """Run `python -m grader` for one student, keeping its report and JSON in `out`."""
    if student.problem:
        return student
    json_file = (out / f"{student.file_stem}.json").resolve()
    json_file.unlink(missing_ok=True)  # a file from an earlier run must not pass for this one
    timeout = (deadline or GRADER_DEADLINE_S) + MARGIN_S
    try:
        done = subprocess.run(  # noqa: S603 (our own module, arguments as a list)
            grader_command(student.settings, json_file, deadline),
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            env={**os.environ, "NO_COLOR": "1"},
            check=False,
        )
    except subprocess.TimeoutExpired:
        student.problem = f"grading took over {timeout:g} s and was stopped"
        return student
    report_text = visible_lines(done.stdout + done.stderr)
    (out / f"{student.file_stem}.txt").write_text(report_text, encoding="utf-8")
    try:
        report = json.loads(json_file.read_text(encoding="utf-8"))
        results = {check["id"]: check for check in report["checks"]}
    except (OSError, ValueError, KeyError, TypeError):
        last = (report_text.strip().splitlines() or ["no output"])[-1]
        if done.returncode == EXIT_SETUP:
            student.unreachable = last
        else:
            student.problem = f"the grader stopped: {last}"
        return student
    setup = report.get("setup") or []
    if setup or done.returncode == EXIT_SETUP:
        first = setup[0].get("problem", "") if setup and isinstance(setup[0], dict) else ""
        student.unreachable = str(first) or f"see {student.file_stem}.txt"
        return student
    student.results = results
    student.passed = report.get("passed") is True
    return student


def columns() -> list[str]:
    """The table's check columns, in the lesson's order."""
    return list(CHECKS)


def verdict(student: Student) -> str:
    """The row's result cell in words, when the app was not graded check by check."""
    if student.problem:
        return f"not graded: {student.problem}"
    if student.unreachable:
        return f"not reachable: {student.unreachable}"
    return "passed" if student.passed else "not passed"


def markdown(students: list[Student]) -> str:
    """The class table as Markdown: a row per student, a column per check, every cell escaped."""
    ids = columns()
    lines = [
        "| student | result | " + " | ".join(f"`{cid}`" for cid in ids) + " |",
        "|---|---|" + "---|" * len(ids),
    ]
    for student in students:
        graded = not (student.problem or student.unreachable)
        cells = [markdown_cell(student.name), markdown_cell(verdict(student))] + [
            CELL.get(str(student.results[cid].get("result")), "?")
            if graded and cid in student.results
            else ""
            for cid in ids
        ]
        lines.append("| " + " | ".join(cells) + " |")
    legend = "✓ passed, ! warning, ✗ failed, - not run. Each student's report: <name>-<row>.txt"
    return "\n".join(lines) + f"\n\n{legend}\n"


STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #111; }
table { border-collapse: collapse; font-size: 0.9rem; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.4rem; text-align: center; }
th.name, td.name { text-align: left; }
thead th { background: #f2f2f2; vertical-align: bottom; }
th.check { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; }
td.pass { background: #e3f4e3; } td.warn { background: #fff3cd; }
td.fail { background: #f8d7da; } td.skip { background: #eee; color: #555; }
td.problem { text-align: left; background: #f8d7da; }
"""


def html_page(students: list[Student], title: str) -> str:
    """The class table as one HTML file: no script, no external file, readable offline."""
    ids = columns()
    head = "".join(
        f'<th class="check" scope="col" title="{html.escape(CHECKS[cid].title)}">'
        f"{CHECKS[cid].step}. {html.escape(cid)}</th>"
        for cid in ids
    )
    rows = []
    for student in students:
        name = html.escape(visible(student.name))
        if student.problem or student.unreachable:
            text = html.escape(visible(verdict(student)))
            if student.unreachable:
                text = f'<a href="{html.escape(student.file_stem)}.txt">{text}</a>'
            rows.append(
                f'<tr><th class="name" scope="row">{name}</th>'
                f'<td class="problem" colspan="{len(ids) + 1}">{text}</td></tr>'
            )
            continue
        link = f'<a href="{html.escape(student.file_stem)}.txt">{verdict(student)}</a>'
        cells = []
        for cid in ids:
            result = student.results.get(cid)
            if not isinstance(result, dict) or result.get("result") not in CELL:
                cells.append("<td></td>")
                continue
            status = result["result"]
            tip = " — ".join(str(result[x]) for x in ("observed", "note") if result.get(x))
            cells.append(
                f'<td class="{status}" title="{html.escape(visible(tip))}">'
                f'<span aria-label="{status}">{CELL[status]}</span></td>'
            )
        rows.append(
            f'<tr><th class="name" scope="row">{name}</th><td>{link}</td>{"".join(cells)}</tr>'
        )
    steps = "".join(f"<li>{html.escape(text)}</li>" for text in STEPS.values())
    heading = html.escape(visible(title))
    return f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{heading}</title><style>{STYLE}</style></head>
<body>
<h1>{heading}</h1>
<p>✓ passed, ! warning, ✗ failed, - not run. Hover a cell for what was seen; the result
links to the student's full report.</p>
<table>
<thead><tr><th class="name" scope="col">student</th><th scope="col">result</th>{head}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<h2>The lesson's steps</h2>
<ol>{steps}</ol>
</body>
</html>
"""


def main(argv: list[str] | None = None) -> int:
    """Grade the class; 0 once the table is written (whoever passed)."""
    parse = argparse.ArgumentParser(
        prog="python -m grader.classroom",
        description="Grade every student of a CSV file; write one table of who passes what.",
    )
    parse.add_argument("csv", type=Path, help="name,api,app,username,password[,...] per row")
    parse.add_argument("--out", type=Path, default=Path("grades"), help="default: grades/")
    parse.add_argument("--jobs", type=int, default=2, help="students graded at once (default 2)")
    parse.add_argument(
        "--deadline",
        type=float,
        metavar="SECONDS",
        help=f"each student's whole grade (the grader's --deadline, default {GRADER_DEADLINE_S:g})",
    )
    args = parse.parse_args(argv)
    if not args.csv.is_file():
        parse.error(f"{args.csv}: no such file")
    if args.jobs < 1:
        parse.error("--jobs must be at least 1")
    if args.deadline is not None and args.deadline < 1:
        parse.error("--deadline must be at least 1 second")
    students = read_class(args.csv)
    args.out.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        graded = list(pool.map(lambda s: grade_one(s, args.out, args.deadline), students))
    title = f"JWT Classroom grades: {args.csv.name}"
    table = markdown(graded)
    heading = markdown_cell(title)
    (args.out / "summary.md").write_text(f"# {heading}\n\n{table}", encoding="utf-8")
    (args.out / "index.html").write_text(html_page(graded, title), encoding="utf-8")
    print(table)
    passed = sum(s.passed for s in graded)
    unreachable = sum(bool(s.unreachable) for s in graded)
    also = f" ({unreachable} not reachable)" if unreachable else ""
    print(f"{passed} of {len(graded)} passed{also}. Table: {visible(str(args.out / 'index.html'))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
