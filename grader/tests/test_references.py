"""Every check's "where JWT Classroom does it right" names a file and a name that exist."""

import re
from pathlib import Path

import pytest

from grader.checks import CHECKS

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("check", CHECKS.values(), ids=lambda c: c.id)
def test_the_reference_exists(check):
    file, name = check.reference
    path = REPO_ROOT / file
    assert path.is_file(), f"{check.id}: {file} does not exist"
    defined = re.compile(
        rf"(def|class|function|const|let)\s+{re.escape(name)}\b"  # a function or a binding
        rf"|^\s*{re.escape(name)}\s*[:=]"  # an assignment
        rf"|[\"']{re.escape(name)}[\"']",  # a setting read by name
        re.MULTILINE,
    )
    assert defined.search(path.read_text(encoding="utf-8")), f"{check.id}: no {name} in {file}"
