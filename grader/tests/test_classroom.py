"""Class mode: a CSV of students in, one table of who passes what out (HTML and Markdown).

Also the Makefile's `grade` and `grade-class`, which hand a teacher's values to the grader.
"""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from grader import cli
from grader.checks import CHECKS
from grader.classroom import Student, grader_command, html_page, markdown
from grader.tests.helpers import PASSWORD, REPO_ROOT, USERNAME, serve
from grader.tests.test_report import HOSTILE, cells
from tools.servers import free_port


def grade_class(csv_file: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "grader.classroom", str(csv_file), "--out", str(out), "--jobs", "2"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_class_gets_one_table_with_a_row_per_student(tmp_path):
    lesson = serve("lesson", tmp_path)
    good = serve("student", tmp_path)
    try:
        csv_file = tmp_path / "students.csv"
        csv_file.write_text(
            "name,api,app,username,password\n"
            f"Ada (lesson as written),{lesson.api},{lesson.app},{USERNAME},{PASSWORD}\n"
            f"Grace,{good.api},{good.app},{USERNAME},{PASSWORD}\n"
            f"Linus,ftp://nowhere,{good.app},{USERNAME},{PASSWORD}\n"
        )
        done = grade_class(csv_file, tmp_path / "grades")
    finally:
        lesson.process.stop()
        good.process.stop()
    assert done.returncode == 0, done.stdout + done.stderr
    out = tmp_path / "grades"
    rows = {row[0]: row[1:] for row in cells((out / "summary.md").read_text())}
    assert rows["Ada (lesson as written)"][0] == "not passed"
    assert rows["Ada (lesson as written)"][list(CHECKS).index("api.sub_is_string") + 1] == "✗"
    assert rows["Grace"][0] == "passed"
    assert rows["Linus"][0] == "not graded: row 4: api and app must be http:// or https:// URLs"
    assert "1 of 3 passed" in done.stdout

    page = (out / "index.html").read_text()
    assert "<script" not in page and "http" not in page.split("<body>")[0]  # offline, no CDN
    assert "Ada (lesson as written)" in page and "Grace" in page
    assert 'title="422 {&quot;msg&quot;:&quot;Subject must be a string&quot;}' in page
    assert 'href="Ada-lesson-as-written-2.txt"' in page
    report = (out / "Ada-lesson-as-written-2.txt").read_text()
    assert "FAIL  The signing key is not one printed in a tutorial" in report
    assert PASSWORD not in report


def test_a_csv_without_the_needed_columns_is_refused_with_what_to_write(tmp_path):
    csv_file = tmp_path / "students.csv"
    csv_file.write_text("name,url\nAda,http://localhost:3000\n")
    done = grade_class(csv_file, tmp_path / "grades")
    assert done.returncode != 0
    assert "the header row lacks api, app, username, password" in done.stderr


def test_every_row_gets_report_files_of_its_own():
    names = ["Ann Lee", "Ann-Lee", "Zoë", "Zoé", "李雷", "../../etc/passwd", "ann lee", "x" * 300]
    stems = [Student(row, name, {}).file_stem for row, name in enumerate(names, start=2)]
    assert len(set(stems)) == len(names)
    assert all(re.fullmatch(r"[A-Za-z0-9-]{1,60}", stem) for stem in stems)
    assert stems[:4] == ["Ann-Lee-2", "Ann-Lee-3", "Zoe-4", "Zoe-5"]


def graded(name: str, statuses: dict[str, str]) -> Student:
    """A student whose grade came back with these results (every other check passed)."""
    results = {
        cid: {"result": statuses.get(cid, "pass"), "observed": "", "note": ""} for cid in CHECKS
    }
    passed = not any(status == "fail" for status in statuses.values())
    return Student(2, name, {}, results=results, passed=passed)


def test_a_crafted_name_cannot_turn_a_failing_row_into_ticks():
    ticks = " | ".join(["✓"] * len(CHECKS))
    crafted = f"Mallory | passed | {ticks} |\n| Eve | passed | {ticks}"
    failing = graded(crafted, {cid: "fail" for cid in CHECKS})
    rows = cells(markdown([failing]))
    assert len(rows) == 2 and len(rows[1]) == len(CHECKS) + 2  # one row, no extra cells
    assert rows[1][0] == crafted.replace("\n", "\\n")  # the name, shown as it is
    assert rows[1][1:] == ["not passed"] + ["✗"] * len(CHECKS)


def test_hostile_names_and_findings_are_visible_and_escaped_in_the_html_table():
    student = graded(f"<script>alert(1)</script>{HOSTILE}", {"api.login": "fail"})
    student.results["api.login"]["observed"] = f'"><img src=x onerror=alert(1)>{HOSTILE}'
    page = html_page([student], f"grades {HOSTILE}")
    assert "<script>alert" not in page and "<img" not in page
    assert "\x1b" not in page and "\u202e" not in page and "\x9b" not in page
    assert r"\x1b]52;c;" in page


def test_a_row_whose_app_could_not_be_reached_says_so_instead_of_failures():
    student = Student(3, "Ada", {}, unreachable="Nothing answers at http://127.0.0.1:9 (API)")
    rows = cells(markdown([student]))
    assert rows[1] == ["Ada", "not reachable: Nothing answers at http://127.0.0.1:9 (API)"] + [
        ""
    ] * len(CHECKS)
    page = html_page([student], "grades")
    assert (
        '<a href="Ada-3.txt">not reachable: Nothing answers at http://127.0.0.1:9 (API)</a>' in page
    )
    assert 'class="fail"' not in page


def test_every_csv_setting_reaches_the_grader_as_one_value_even_a_leading_dash(tmp_path):
    settings = {
        "api": "http://127.0.0.1:5001",
        "app": "http://127.0.0.1:5002",
        "username": "--no-browser",
        "password": "-x $HOME 'q\"",
        "username_field": "email",
        "password_field": "pass",
        "logout_name": "Cerrar sesión|Salir",
        "login_path": "/#/login",
    }
    command = grader_command(settings, tmp_path / "out.json", deadline=30)
    assert command[:3] == [sys.executable, "-m", "grader"]
    args = cli.parser().parse_args(command[3:])
    assert (args.username, args.password) == ("--no-browser", "-x $HOME 'q\"")
    assert (args.username_field, args.password_field) == ("email", "pass")
    assert (args.logout_name, args.login_path, args.deadline) == (
        "Cerrar sesión|Salir",
        "/#/login",
        30,
    )
    assert args.no_browser is False


def test_an_app_that_is_not_running_reads_not_reachable(tmp_path):
    closed = f"http://127.0.0.1:{free_port()}"
    csv_file = tmp_path / "students.csv"
    csv_file.write_text(f"name,api,app,username,password\nAda,{closed},{closed},{USERNAME},-p$w\n")
    done = grade_class(csv_file, tmp_path / "grades")
    assert done.returncode == 0, done.stdout + done.stderr
    rows = {row[0]: row[1:] for row in cells((tmp_path / "grades" / "summary.md").read_text())}
    assert rows["Ada"][0].startswith("not reachable: ")
    assert set(rows["Ada"][1:]) == {""}  # no row of failures
    assert "127.0.0.1" in rows["Ada"][0]
    assert (tmp_path / "grades" / "Ada-2.txt").exists()


def stub_python(folder: Path) -> Path:
    """A `python` that only writes down the arguments it was given, one JSON list a line."""
    log = folder / "argv.jsonl"
    stub = folder / "python"
    stub.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"with open({str(log)!r}, 'a') as f: f.write(json.dumps(sys.argv[1:]) + '\\n')\n"
    )
    stub.chmod(0o755)
    return log


def make(*args: str, folder: Path) -> list[list[str]]:
    """`make ARGS` with the stub as the virtualenv's python; the argument lists it was given."""
    log = stub_python(folder)
    done = subprocess.run(
        [shutil.which("make") or "make", "-s", "-o", "backend/.venv/.dev", *args, f"BIN={folder}"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return [json.loads(line) for line in log.read_text().splitlines()]


def test_make_grade_passes_every_value_unchanged(tmp_path):
    password = """p$a"ss'-x $(shell touch pwned) `touch pwned` $$HOME"""
    calls = make(
        "grade",
        "API=http://127.0.0.1:5001/a b",
        "APP=http://127.0.0.1:5002",
        "USERNAME=-u",
        f"PASSWORD={password}",
        "USERNAME_FIELD=email",
        "PASSWORD_FIELD=pw",
        "LOGOUT_NAME=Cerrar sesión|Salir",
        "DEADLINE=60",
        "GRADE_ARGS=--json report.json --no-browser *",
        folder=tmp_path,
    )
    assert calls == [
        ["-m", "tools.browser"],
        [
            "-m",
            "grader",
            "--api=http://127.0.0.1:5001/a b",
            "--username=-u",
            f"--password={password}",
            "--app=http://127.0.0.1:5002",
            "--username-field=email",
            "--password-field=pw",
            "--logout-name=Cerrar sesión|Salir",
            "--deadline=60",
            "--json",
            "report.json",
            "--no-browser",
            "*",
        ],
    ]
    assert not (REPO_ROOT / "pwned").exists() and not (tmp_path / "pwned").exists()


def test_make_grade_class_passes_the_csv_file_unchanged(tmp_path):
    calls = make("grade-class", "CLASS=-class $1.csv", "JOBS=3", folder=tmp_path)
    assert calls == [["-m", "grader.classroom", "--out=grades", "--jobs=3", "--", "-class $1.csv"]]
