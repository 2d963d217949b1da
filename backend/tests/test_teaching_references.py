"""The files and functions the teaching text sends students to exist, so it cannot go stale.

The README's lesson map and /how-it-works name files and functions; a rename that forgets them
fails here instead of in front of a class.
"""

import re
from pathlib import Path

import pytest

from tools.references import comment_problems, defines, source_files

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
# /how-it-works: its thin page and the sections in its feature folder (tests left out).
HOW_IT_WORKS = [
    page
    for page in sorted(
        [
            *(REPO / "frontend/src/app/pages").glob("how-it-works*.jsx"),
            *(REPO / "frontend/src/features/how-it-works").glob("*.jsx"),
        ]
    )
    if ".test." not in page.name
]

# A path in the repository written in backticks or quotes, ending in a file extension.
PATH = re.compile(
    r"[`\"]((?:backend|frontend|e2e|grader|deploy|bench|tools|docs)/[\w./-]+\.\w+)[`\"]"
)
# How /how-it-works names a place: ["backend/app/jwt_callbacks.py", "user_identity"].
PLACE = re.compile(r'\["((?:backend|frontend)/[^"]+)", "([\w.]+)"\]')


def lesson_map_rows() -> list[tuple[list[str], list[str]]]:
    """(files, names) of each row of the README's "The lesson, mapped to this code" table."""
    section = README.read_text().split("## The lesson, mapped to this code")[1].split("\n## ")[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[1].startswith("`"):
            continue
        files = re.findall(r"`([^`]+)`", cells[1])
        # Names outside parentheses; a file name mentioned in passing is not a function.
        names = re.findall(r"`([A-Za-z_][\w.]*)`", re.sub(r"\([^)]*\)", "", cells[2]))
        rows.append((files, [n for n in names if not re.search(r"\.(py|js|jsx)$", n)]))
    return rows


def mentioned_paths() -> list[str]:
    texts = [README.read_text(), *(page.read_text() for page in HOW_IT_WORKS)]
    return sorted({path for text in texts for path in PATH.findall(text)})


def test_the_lesson_map_is_found_and_names_functions():
    rows = lesson_map_rows()
    assert len(rows) >= 10
    assert any("create_token" in names for _files, names in rows)


@pytest.mark.parametrize("row", lesson_map_rows(), ids=lambda row: row[0][0])
def test_each_function_of_the_lesson_map_is_defined_in_its_files(row):
    files, names = row
    texts = []
    for file in files:
        assert (REPO / file).is_file(), f"README's lesson map names {file}, which does not exist"
        texts.append((REPO / file).read_text())
    for name in names:
        assert any(defines(text, name) for text in texts), f"no {name} in {', '.join(files)}"


@pytest.mark.parametrize("path", mentioned_paths())
def test_each_file_the_teaching_text_names_exists(path):
    assert (REPO / path).is_file(), f"README.md or /how-it-works names {path}"


def test_each_place_on_how_it_works_defines_its_function():
    places = {place for page in HOW_IT_WORKS for place in PLACE.findall(page.read_text())}
    assert len(places) >= 8
    for file, name in sorted(places):
        path = REPO / file
        assert path.is_file(), f"/how-it-works names {file}, which does not exist"
        assert defines(path.read_text(), name), f"/how-it-works: no {name} in {file}"


def test_comments_and_docstrings_name_files_and_functions_that_exist():
    """A comment that sends a reader to `lifecycle.py` or `lifecycle.token_state` is a pointer
    too: tools/references.py reads them all (comment_problems says which forms count)."""
    files = source_files(REPO)
    assert len(files) >= 100
    problems = [problem for path in files for problem in comment_problems(REPO, path)]
    assert problems == [], "\n".join(problems)
