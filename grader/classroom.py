"""`python -m grader.classroom students.csv`: grade a whole class, one table of who passes what.

The CSV has a header row and one row per student:

    name,api,app,username,password[,token_path,protected_path,login_path,private_path]

Each student's app is graded by `python -m grader` in its own process (a few at a time, each
bounded in time), so one app that hangs or crashes the browser cannot spoil the others. The
output folder gets each student's report (`<name>.txt`, `<name>.json`) and the class table as
`index.html` (one file, no scripts, readable offline) and `summary.md`.
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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .checks import CHECKS, STEPS

REQUIRED_COLUMNS = ("name", "api", "app", "username", "password")
OPTIONAL_COLUMNS = ("token_path", "protected_path", "login_path", "private_path")
STUDENT_TIMEOUT_S = 180
REPO_ROOT = Path(__file__).resolve().parent.parent
CELL = {"pass": "✓", "warn": "!", "fail": "✗", "skip": "-"}


@dataclass
class Student:
    """One row of the CSV, and what grading it gave."""

    row: int
    name: str
    settings: dict[str, str]
    problem: str = ""  # why it could not be graded
    results: dict[str, dict] = field(default_factory=dict)
    passed: bool = False

    @property
    def slug(self) -> str:
        """The name as a file name: letters, digits, dashes."""
        return re.sub(r"[^A-Za-z0-9_-]+", "-", self.name).strip("-") or f"row-{self.row}"


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


def grade_one(student: Student, out: Path) -> Student:
    """Run `python -m grader` for one student, keeping its report and JSON in `out`."""
    if student.problem:
        return student
    settings = student.settings
    json_file = (out / f"{student.slug}.json").resolve()
    command = [sys.executable, "-m", "grader", "--json", str(json_file)]
    for option in ("api", "app", "username", "password", *OPTIONAL_COLUMNS):
        if settings.get(option):
            command += [f"--{option.replace('_', '-')}", settings[option]]
    try:
        done = subprocess.run(  # noqa: S603 (our own module, arguments as a list)
            command,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=STUDENT_TIMEOUT_S,
            env={**os.environ, "NO_COLOR": "1"},
            check=False,
        )
    except subprocess.TimeoutExpired:
        student.problem = f"grading took over {STUDENT_TIMEOUT_S} s and was stopped"
        return student
    (out / f"{student.slug}.txt").write_text(done.stdout + done.stderr, encoding="utf-8")
    if not json_file.exists():
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        student.problem = f"the grader stopped: {last}"
        return student
    report = json.loads(json_file.read_text(encoding="utf-8"))
    student.results = {check["id"]: check for check in report["checks"]}
    student.passed = report["passed"]
    return student


def columns() -> list[str]:
    """The table's check columns, in the lesson's order."""
    return list(CHECKS)


def markdown(students: list[Student]) -> str:
    """The class table as Markdown: a row per student, a column per check."""
    ids = columns()
    lines = [
        "| student | result | " + " | ".join(f"`{cid}`" for cid in ids) + " |",
        "|---|---|" + "---|" * len(ids),
    ]
    for student in students:
        if student.problem:
            cells = ["not graded: " + student.problem] + [""] * len(ids)
        else:
            cells = ["passed" if student.passed else "not passed"] + [
                CELL[student.results[cid]["result"]] if cid in student.results else ""
                for cid in ids
            ]
        lines.append(f"| {student.name} | " + " | ".join(cells) + " |")
    legend = "✓ passed, ! warning, ✗ failed, - not run. Each student's report: <name>.txt"
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
        name = html.escape(student.name)
        if student.problem:
            problem = html.escape(student.problem)
            rows.append(
                f'<tr><th class="name" scope="row">{name}</th>'
                f'<td class="problem" colspan="{len(ids) + 1}">not graded: {problem}</td></tr>'
            )
            continue
        verdict = "passed" if student.passed else "not passed"
        link = f'<a href="{html.escape(student.slug)}.txt">{verdict}</a>'
        cells = []
        for cid in ids:
            result = student.results.get(cid)
            if result is None:
                cells.append("<td></td>")
                continue
            status = result["result"]
            tip = " — ".join(x for x in (result["observed"], result["note"]) if x)
            cells.append(
                f'<td class="{status}" title="{html.escape(tip)}">'
                f'<span aria-label="{status}">{CELL[status]}</span></td>'
            )
        rows.append(
            f'<tr><th class="name" scope="row">{name}</th><td>{link}</td>{"".join(cells)}</tr>'
        )
    steps = "".join(f"<li>{html.escape(text)}</li>" for text in STEPS.values())
    return f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{html.escape(title)}</title><style>{STYLE}</style></head>
<body>
<h1>{html.escape(title)}</h1>
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
    args = parse.parse_args(argv)
    if not args.csv.is_file():
        parse.error(f"{args.csv}: no such file")
    if args.jobs < 1:
        parse.error("--jobs must be at least 1")
    students = read_class(args.csv)
    args.out.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        graded = list(pool.map(lambda s: grade_one(s, args.out), students))
    title = f"JWT Classroom grades: {args.csv.name}"
    table = markdown(graded)
    (args.out / "summary.md").write_text(f"# {title}\n\n{table}", encoding="utf-8")
    (args.out / "index.html").write_text(html_page(graded, title), encoding="utf-8")
    print(table)
    passed = sum(s.passed for s in graded)
    print(f"{passed} of {len(graded)} passed. Table: {args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
