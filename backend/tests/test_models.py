"""The User model's password handling."""

import pytest

from app.extensions import db
from app.models import User


def test_password_is_write_only(app):
    with app.app_context():
        user = User(username="alice")
        user.password = "correct horse"
        with pytest.raises(AttributeError, match="write-only"):
            _ = user.password
        assert user.password_hash.startswith("$argon2id$")


def test_verify_password(app):
    with app.app_context():
        user = User(username="alice")
        user.password = "correct horse"
        db.session.add(user)
        db.session.commit()
        assert user.verify_password("correct horse") is True
        assert user.verify_password("Correct horse") is False
        assert user.verify_password("") is False


def test_same_password_gets_a_different_hash_each_time(app):
    with app.app_context():
        a, b = User(username="a"), User(username="b")
        a.password = b.password = "correct horse"
        assert a.password_hash != b.password_hash  # a random salt per hash


def test_a_corrupt_hash_fails_closed(app):
    with app.app_context():
        user = User(username="alice", password_hash="not-a-hash")
        assert user.verify_password("anything") is False


def test_the_real_profile_meets_owasp(app):
    from app.passwords import PROFILES

    params = PROFILES["default"]
    assert params.type.name == "ID"
    assert params.memory_cost >= 19456
    assert params.time_cost >= 2
    # One lane, as the README says: a login's hash takes one core, not all of them.
    assert params.parallelism == 1
