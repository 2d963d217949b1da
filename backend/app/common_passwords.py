"""Passwords nobody should pick: commonly used ones, the username, the app's own words.

NIST SP 800-63B (section 3.1.1.2) says a new password SHALL be checked against values known to be
commonly used, expected or compromised, and names context-specific words such as the username
and the service's name among them. Three checks, each with its own message:

- the 30,000 most common passwords of zxcvbn's frequency list (from leaked password sets; the
  key check in key_strength.py already uses the package), as typed or with only digits and
  symbols around a listed one ("Password1!", "2024monkey");
- this app's own words ("jwt", "classroom", "password", "token", "demo"...), in any spelling:
  case, digits, spaces and symbols aside ("JWT-Classroom-2026");
- the username, in the same way ("Alice_2024" for alice).

Only whole passwords and such trivial variants: "correct horse" or a phrase that contains a
listed word stays allowed, as it should. A demo account may have its own published password
(`demo` / `demo1234`) in demo mode only (schemas.refuse_guessable).
"""

from __future__ import annotations

import string
from functools import cache

COMMON = "This password is too common: it is among the first ones attackers try"
APP_WORDS = "This password is this app's name or one of its words: too easy to guess here"
USERNAME = "This password is your username: too easy to guess"

# What a guesser tries first on this site, letters only (see letters_of).
OWN_WORDS = frozenset(
    {
        "jwt",
        "jwtclassroom",
        "classroom",
        "classroomjwt",
        "password",
        "passwort",
        "pass",
        "token",
        "jsonwebtoken",
        "secret",
        "demo",
        "student",
        "teacher",
        "login",
        "admin",
    }
)
# Around a listed password, these make no new one.
PADDING = string.digits + string.punctuation + " "
# A core shorter than this is left to the other checks ("a1234567" is not "a").
MIN_CORE = 4


@cache
def common_passwords() -> frozenset[str]:
    """zxcvbn's list of common passwords, lower case (loaded on first use: a few MB)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def letters_of(text: str) -> str:
    """The letters of `text`, lower case: "JWT-Classroom 2026!" is "jwtclassroom"."""
    return "".join(c for c in text.lower() if c.isalpha())


def why_refused(password: str, username: str | None = None) -> str | None:
    """Why `password` must not be chosen (by `username`), or None if it may."""
    typed = password.lower()
    core = typed.strip(PADDING)
    if typed in common_passwords() or (len(core) >= MIN_CORE and core in common_passwords()):
        return COMMON
    letters = letters_of(password)
    if letters in OWN_WORDS:
        return APP_WORDS
    if username and letters and letters == letters_of(username):
        return USERNAME
    return None
