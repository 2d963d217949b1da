"""Every check's "where JWT Classroom does it right" names a file and a name that exist."""

import pytest

from grader.checks import CHECKS
from grader.tests.helpers import REPO_ROOT
from tools.references import defines


@pytest.mark.parametrize("check", CHECKS.values(), ids=lambda c: c.id)
def test_the_reference_exists(check):
    file, name = check.reference
    path = REPO_ROOT / file
    assert path.is_file(), f"{check.id}: {file} does not exist"
    assert defines(path.read_text(encoding="utf-8"), name), f"{check.id}: no {name} in {file}"
