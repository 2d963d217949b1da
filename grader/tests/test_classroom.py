"""Class mode: a CSV of students in, one table of who passes what out (HTML and Markdown)."""

import subprocess
import sys
from pathlib import Path

from grader.tests.helpers import PASSWORD, REPO_ROOT, USERNAME, serve


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
    summary = (out / "summary.md").read_text()
    rows = {line.split("|")[1].strip(): line for line in summary.splitlines() if "|" in line}
    assert "not passed" in rows["Ada (lesson as written)"]
    assert "| passed |" in rows["Grace"]
    assert "not graded: row 4: api and app must be http:// or https:// URLs" in rows["Linus"]
    assert "1 of 3 passed" in done.stdout

    page = (out / "index.html").read_text()
    assert "<script" not in page and "http" not in page.split("<body>")[0]  # offline, no CDN
    assert "Ada (lesson as written)" in page and "Grace" in page
    assert 'title="422 {&quot;msg&quot;:&quot;Subject must be a string&quot;}' in page
    assert 'href="Ada-lesson-as-written.txt"' in page
    report = (out / "Ada-lesson-as-written.txt").read_text()
    assert "FAIL  The signing key is not one printed in a tutorial" in report
    assert PASSWORD not in report


def test_a_csv_without_the_needed_columns_is_refused_with_what_to_write(tmp_path):
    csv_file = tmp_path / "students.csv"
    csv_file.write_text("name,url\nAda,http://localhost:3000\n")
    done = grade_class(csv_file, tmp_path / "grades")
    assert done.returncode != 0
    assert "the header row lacks api, app, username, password" in done.stderr
