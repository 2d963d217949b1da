"""One server for a classroom: what a student can do to a classmate's session. Nothing.

On `make room` every student reaches the same API. Bob, in a browser of his own, uses every
route the API offers a student, and guesses at Alice's password until the limit stops him;
Alice's tokens and her refresh cookie keep working throughout. (His wrong guesses do hold up
her *next* login for the rest of the minute: the per-username limit's known price.)
"""

from helpers import PASSWORD


def test_nothing_a_classmate_does_ends_another_students_session(app, auth, logged_in):
    alice = logged_in("alice")
    bob = logged_in("bob")

    assert bob.client.post("/api/lab/tokens", headers=bob.headers).status_code == 200
    assert bob.refresh().status_code == 200
    changed = bob.client.post(
        "/api/password",
        json={"current_password": PASSWORD, "new_password": "bob's new password"},
        headers=bob.headers,
    )
    assert changed.status_code == 200
    bob.token = changed.get_json()["token"]
    guesses = [auth.login("alice", f"guess {n}").status_code for n in range(6)]
    assert guesses == [401] * 5 + [429]
    assert bob.logout().status_code == 200

    # Alice's session goes on: her token is accepted, and her refresh cookie still rotates.
    assert alice.protected().get_json()["username"] == "alice"
    assert alice.refresh().status_code == 200
    assert alice.protected().get_json()["username"] == "alice"
    # Bob's own session is over, as he asked.
    assert bob.protected().status_code == 401
