"""The SPA's copies of the signup rules agree with the schemas that enforce them.

The forms check a password's length and a username's shape for instant feedback; the API's
pydantic schemas (and so /api/openapi.json) are where the rules live. If one side changes, the
forms would tell students something the server does not do: this test fails first.
"""

import re
from pathlib import Path

from app.schemas import SignupIn

FRONTEND = Path(__file__).resolve().parents[2] / "frontend" / "src"


def schema_of(field: str) -> dict:
    return SignupIn.model_json_schema()["properties"][field]


def test_the_password_length_rule_is_the_schemas():
    rules = (FRONTEND / "components" / "password-rules.js").read_text()
    schema = schema_of("password")
    assert re.search(rf"length < {schema['minLength']}\)", rules)
    assert re.search(rf"length > {schema['maxLength']}\)", rules)
    assert f"at least {schema['minLength']} characters" in rules
    assert f"at most {schema['maxLength']} characters" in rules


def test_the_username_rule_is_the_schemas():
    page = (FRONTEND / "app" / "pages" / "signup-page.jsx").read_text()
    pattern = schema_of("username")["pattern"]  # ^[A-Za-z0-9_.-]{3,32}$
    low, high = re.search(r"\{(\d+),(\d+)\}\$$", pattern).groups()
    assert f"username.length < {low} || username.length > {high}" in page
    assert f"{low} to {high} characters" in page
    characters = re.search(r"\[([^\]]+)\]", pattern)[1]
    assert f"[{characters}]" in re.search(r"USERNAME_PATTERN = /(.+)/", page)[1]
