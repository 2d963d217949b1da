"""Whether a file defines a name, for the tests that keep pointers to the code from going stale.

The README's lesson map, /how-it-works and each grader check send students to a file and a name
in it; backend/tests/test_teaching_references.py and grader/tests/test_references.py check both
exist, with this one rule of what counts as defining the name.
"""

from __future__ import annotations

import re


def defines(text: str, name: str) -> bool:
    """Whether `text` defines `name`: def, class, function, const or let; an assignment or an
    object key; or a quoted key at the start of a line, as in app/config.py's SETTINGS table.

    For a dotted name such as `User.verify_password`, the method's own name is looked for.
    """
    last = re.escape(name.split(".")[-1])
    definition = (
        rf"\b(def|class|function|const|let)\s+{last}\b"
        rf"|^\s*{last}\s*[:=]"
        rf"|^\s*[\"']{last}[\"']\s*:"
    )
    return re.search(definition, text, re.MULTILINE) is not None
