"""What the pages and the README say about this server's own behaviour, checked against the code.

Several pages state the same facts: which routes answer 403, what a stock flask-jwt-extended
answers to each bad token, where the access token lives, what a role change does. The SPA
renders them from one file, frontend/src/lib/server-facts.json (test_library_claims.py checks
its library answers); the tests here check the rest of it against the OpenAPI document, the
token store and the commands, and check the README's sentences against the same file.
"""

import json
import re
from fnmatch import fnmatch
from pathlib import Path

import jwt
import pytest
from helpers import Browser

REPO = Path(__file__).resolve().parents[2]
FACTS = json.loads((REPO / "frontend/src/lib/server-facts.json").read_text())
README = (REPO / "README.md").read_text()
# Every text that states these facts in prose: the READMEs, the pages, the view docstrings.
PROSE = {
    path.relative_to(REPO).as_posix(): path.read_text()
    for path in [
        REPO / "README.md",
        REPO / "backend/README.md",
        *sorted((REPO / "frontend/src").rglob("*.js")),
        *sorted((REPO / "frontend/src").rglob("*.jsx")),
        *sorted((REPO / "backend/app").rglob("*.py")),
    ]
    if ".test." not in path.name
}


def forbidden_operations(client) -> set[tuple[str, str]]:
    """(METHOD, path) of every operation whose OpenAPI description lists a 403."""
    document = client.get("/api/openapi.json").get_json()
    return {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if "403" in operation["responses"]
    }


def test_the_routes_that_answer_403_are_the_ones_the_pages_name(client):
    """The roles section of /how-it-works and the classroom page list FACTS["forbidden"]."""
    operations = forbidden_operations(client)
    assert operations, "no route documents a 403: the pages would be wrong"
    for method, path in sorted(operations):
        named = [entry for entry in FACTS["forbidden"] if fnmatch(path, entry["match"])]
        assert len(named) == 1, f"{method} {path} answers 403, and the pages do not say so"
    for entry in FACTS["forbidden"]:
        assert any(fnmatch(path, entry["match"]) for _m, path in operations), (
            f"the pages say {entry['routes']} answers 403; the OpenAPI document does not"
        )


@pytest.mark.parametrize("entry", FACTS["forbidden"], ids=lambda entry: entry["routes"])
def test_the_readme_names_each_route_that_answers_403(entry):
    lines = [line for line in README.splitlines() if f"`{entry['routes']}`" in line]
    assert any("403" in line for line in lines), f"README: no 403 next to {entry['routes']}"


# "401 for a missing, expired or revoked token and 422 for an invalid one": the kinds of bad
# token a sentence names, and the status it gives them.
STATUS_FOR = re.compile(
    r"\b(401|422) for (?:a |an )?((?:missing|expired|revoked|invalid)"
    r"(?:(?:, | or | and )(?:missing|expired|revoked|invalid))*)"
)
SINGLE = {"missing", "expired", "revoked"}


def statuses_stated() -> list[tuple[str, str, str]]:
    return [
        (name, status, kind)
        for name, text in PROSE.items()
        for status, kinds in STATUS_FOR.findall(" ".join(text.split()))
        for kind in re.split(r", | or | and ", kinds)
    ]


def test_prose_about_the_librarys_statuses_matches_what_it_answers():
    """Every "401 for a missing ... token, 422 for an invalid one" agrees with the library answers
    (each checked on a stock flask-jwt-extended by test_library_claims.py)."""
    stated = statuses_stated()
    assert len(stated) >= 4  # the READMEs and /how-it-works say it
    answers = FACTS["libraryAnswers"]
    for name, status, kind in stated:
        meant = [
            a for a in answers if a["id"] == kind or (kind == "invalid" and a["id"] not in SINGLE)
        ]
        assert meant and all(str(a["status"]) == status for a in meant), (
            f"{name}: {status} for {kind}, but the library answers "
            f"{sorted({a['status'] for a in meant})}"
        )


TOKEN_KEY = re.search(
    r'TOKEN_KEY = "([^"]+)"', (REPO / "frontend/src/api/token-store.js").read_text()
).group(1)
NAMED_KEY = re.compile(r"localStorage\[(?:&quot;|\\?\")([^\"&\\]+)(?:&quot;|\\?\")\]")


def test_every_text_names_the_key_the_token_store_uses():
    """Where the token lives: each `localStorage["..."]` in the READMEs and the pages is the
    token store's key (frontend/src/api/token-store.js, the only code that writes it)."""
    named = {(name, key) for name, text in PROSE.items() for key in NAMED_KEY.findall(text)}
    assert len(named) >= 3
    assert {key for _name, key in named} == {TOKEN_KEY}, sorted(named)


def test_a_role_change_does_what_the_pages_say(app, runner, logged_in):
    """FACTS["roleChange"]: set-role ends every session at once (access and refresh tokens get
    401) and the next login brings the new role. The README says the same words."""
    assert FACTS["roleChange"] in " ".join(README.replace("`", "").split())
    alice = logged_in("alice")
    result = runner.invoke(args=["set-role", "alice", "teacher"])
    assert result.exit_code == 0, result.output

    assert alice.protected().status_code == 401
    assert alice.refresh().status_code == 401
    assert alice.login("alice").status_code == 200
    assert jwt.decode(alice.token, options={"verify_signature": False})["role"] == "teacher"


def test_changing_the_key_logs_everyone_out(make_app, logged_in):
    """/how-it-works ("Keys: guessing, rotating, changing"): a new JWT_SECRET_KEY refuses every
    token of the old one, access and refresh alike, so everyone logs in again."""
    alice = logged_in("alice")
    assert alice.protected().status_code == 200
    new_key = make_app(schema=None, JWT_SECRET_KEY="another-test-key-" + "Zq8vT3nW5kR1xL7c" * 3)
    after = Browser(new_key.test_client())
    after.token = alice.token
    after.use_refresh_cookie(alice.refresh_cookie(), alice.csrf_cookie())

    assert after.protected().status_code == 401
    assert after.refresh().status_code == 401
