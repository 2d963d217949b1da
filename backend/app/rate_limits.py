"""Rate limits on the routes an attacker would hammer: logging in, signing up, refreshing.

The lesson had none, so a script could try passwords as fast as the server can hash them.
Counts live in RATELIMIT_STORAGE_URI (memory:// for one process; Redis when several processes
must share the counts), in fixed windows counted by the `limits` library. The limits are
settings (config.py), so a class, a test or the fuzzer can change them:

- failed logins per username (5/minute): slows guessing one account's password, from any
  number of addresses. Only failures count, so logging in successfully never blocks anyone.
  A wrong current password at POST /api/password counts against the same budget (someone
  holding a stolen token could otherwise guess the password there). A student demo account is
  shared by the whole class, so its count is per (account, client address): one student's typos
  lock only that student. The teacher is one person, counted per account as anyone;
- failed logins per client address (100/minute): slows one machine trying many usernames,
  while a whole classroom behind one NAT address still fits;
- signups per client address (50/hour): enough for a class sharing one address, too few to
  mass-create accounts. Only attempts that cost a password hash count (201 and 409);
- refreshes per login session (30/minute): each one stores a refresh token for days, and the
  SPA refreshes once per access-token lifetime or when "Refresh now" is pressed;
- the tamper lab's specimens per login session (30/minute) and per user (120/minute): each call
  writes a blocklist row, and the page asks once per visit. Per user too, because logging in
  again starts a new session; for a shared demo account per (account, address), so one laptop
  cannot use up the lab for the class.

Each limit is counted by a decorator on the view it limits, and nowhere else: a rate-limit
extension that looks at every request (Flask-Limiter's, say) costs every other request too, the
token checks included, to find that they have no limit.

Counting only failures the usual way (Flask-Limiter's `deduct_when`) checks the count when a
request arrives and adds to it after the response: thirty wrong passwords sent at once all pass
the check before the first one is counted. So the password budgets are COUNTED FIRST, atomically
in the storage (one INCR on Redis), before any hashing, and the count is given back when the
attempt did not fail (the right password; a body that never reached the password check). A
request that finds the budget full while some counted attempts are still being checked waits
for them rather than being refused: they may be students logging in to one demo account, and
their counts come back when they succeed.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Flask, Response, current_app, make_response, request
from flask_jwt_extended import current_user, get_jwt
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter, RateLimiter

from app.demo import is_shared_account
from app.errors import ErrorKind, json_error
from app.schemas import normalise_username
from app.validation import json_object_body


def username_key() -> str:
    """The rate-limit key for a login: the username as it will be looked up (normalised).

    "Alice", " alice " and "alice" are one account, so they share one count.
    """
    body = json_object_body()
    username = body.get("username") if body is not None else None
    if not isinstance(username, str):
        username = ""  # an invalid body gets 400, which is never counted anyway
    return _guesses_key(normalise_username(username))


def account_key() -> str:
    """The same key as `username_key`, for a request whose token says who the user is."""
    return _guesses_key(current_user.username)


def _guesses_key(username: str) -> str:
    return f"username:{username}{_per_address_if_shared(username)}"


def _per_address_if_shared(username: str) -> str:
    # A demo account the class shares counts per address too: one student's typos, or one
    # laptop's lab visits, use only that machine's budget.
    return f":{address_key()}" if is_shared_account(username) else ""


def session_key() -> str:
    """The login session of the token on the request (every login starts a new one)."""
    return f"session:{get_jwt()['sid']}"


def user_key() -> str:
    """The user of the token on the request, whichever session it belongs to (and the address,
    for a shared demo account)."""
    return f"user:{current_user.id}{_per_address_if_shared(current_user.username)}"


def address_key() -> str:
    """The client's address (after ProxyFix, which only believes the proxies we trust)."""
    return f"address:{request.remote_addr or '127.0.0.1'}"


def failed_login(response: Response) -> bool:
    """A login counts against the limits only when the credentials were wrong."""
    return response.status_code == 401


def wrong_current_password(response: Response) -> bool:
    """A password change counts only when the current password was wrong (a guess)."""
    body = response.get_json(silent=True) if response.status_code == 400 else None
    return isinstance(body, dict) and "current_password" in (body.get("errors") or {})


def cost_a_hash(response: Response) -> bool:
    """A signup counts when it hashed a password: created (201) or name taken (409), not a 400."""
    return response.status_code in (201, 409)


# --- Budgets, and the storage that counts them -------------------------------------------------


@dataclass(frozen=True)
class Budget:
    """A limit: `setting` names it, `key` says whose count it is (an account, an address...).

    Budgets with the same `scope` and key share one count (a login and a password change guess
    the same account's password).
    """

    setting: str
    key: Callable[[], str]
    scope: str


# How long a request waits for attempts still being checked, polling every WAIT_STEP seconds.
# Logins queue for the hashing threads (PASSWORD_HASH_THREADS), one hash per core at a time:
# MAX_WAIT leaves time for a whole class's logins to be checked.
WAIT_STEP = 0.05
MAX_WAIT = 20.0
STORAGE_RETRY = 30.0  # seconds before trying the configured storage again after a failure


@dataclass(frozen=True)
class _Counter:
    item: RateLimitItem
    key: str
    scope: str
    prefix: str  # RATELIMIT_KEY_PREFIX, first in every key (apps that share a Redis)

    def ids(self, suffix: str = "") -> tuple[str, ...]:
        ids = (self.key, self.scope + suffix)
        return (self.prefix, *ids) if self.prefix else ids


class TooManyAttempts(Exception):
    """A budget is spent: answer 429 with Retry-After `seconds`."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def init_app(app: Flask) -> None:
    """Count in the storage RATELIMIT_STORAGE_URI names; answer every 429 in the API's shape."""
    storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"])
    app.extensions["rate-limits"] = FixedWindowRateLimiter(storage)

    @app.errorhandler(TooManyAttempts)
    def budget_spent(e: TooManyAttempts) -> Any:
        return too_many_attempts(e.seconds)


def _strategy() -> RateLimiter:
    # Fixed windows on the configured storage. If that storage (Redis) failed recently, this
    # process counts in memory instead: never a 500 because of a rate limit.
    if time.monotonic() < current_app.extensions.get("rate-limits-down-until", 0.0):
        return current_app.extensions["rate-limits-fallback"]
    return current_app.extensions["rate-limits"]


def _fall_back_to_memory() -> None:
    current_app.logger.exception("Rate-limit storage failed; counting in memory for a while")
    current_app.extensions["rate-limits-down-until"] = time.monotonic() + STORAGE_RETRY
    current_app.extensions.setdefault(
        "rate-limits-fallback", FixedWindowRateLimiter(MemoryStorage())
    )


def _counting(count: Callable[[RateLimiter], None]) -> RateLimiter:
    """count(strategy) on the storage, or in memory if the storage fails; the strategy used."""
    strategy = _strategy()
    try:
        count(strategy)
    except TooManyAttempts:
        raise
    except Exception:
        _fall_back_to_memory()
        strategy = _strategy()
        count(strategy)
    return strategy


def _counters(budgets: tuple[Budget, ...]) -> list[_Counter]:
    # Limits are read per request, so each app (each test) can have its own.
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "")
    return [
        _Counter(item, budget.key(), budget.scope, prefix)
        for budget in budgets
        for item in parse_many(current_app.config[budget.setting])
    ]


# --- Budgets counted before the work they limit -------------------------------------------------


def _take(strategy: RateLimiter, counter: _Counter) -> bool:
    """Count one attempt, atomically; False (and nothing counted) if that is over the limit."""
    # In flight first, so a request refused meanwhile sees this one being checked, and waits.
    strategy.hit(counter.item, *counter.ids(":checking"))
    if strategy.hit(counter.item, *counter.ids()):
        return True
    _give_back(strategy, counter, keep=False)  # over the limit: take both back
    return False


def _give_back(strategy: RateLimiter, counter: _Counter, *, keep: bool) -> None:
    # A negative hit is a decrement (INCRBY -1 on Redis). If the window ended meanwhile, the
    # new window starts at -1: one extra attempt, once, after a success that straddled it.
    # The attempt's place in the budget is given back BEFORE it stops being "in flight": a
    # request that finds the budget full and nothing in flight is then sure the budget is
    # spent, never merely looking at a success halfway through giving its place back.
    if not keep:
        strategy.hit(counter.item, *counter.ids(), cost=-1)
    strategy.hit(counter.item, *counter.ids(":checking"), cost=-1)


def _in_flight(strategy: RateLimiter, counter: _Counter) -> bool:
    stats = strategy.get_window_stats(counter.item, *counter.ids(":checking"))
    return stats.remaining < counter.item.amount


def _seconds_left(strategy: RateLimiter, counter: _Counter) -> int:
    reset = strategy.get_window_stats(counter.item, *counter.ids()).reset_time
    return max(1, math.ceil(reset - time.time()))


def _reserve(strategy: RateLimiter, counters: list[_Counter]) -> None:
    """Count this attempt in every counter, or in none: wait while others are being checked."""
    for _ in range(max(1, round(MAX_WAIT / WAIT_STEP))):
        taken: list[_Counter] = []
        for counter in counters:
            if not _take(strategy, counter):
                for done in taken:
                    _give_back(strategy, done, keep=False)
                if not _in_flight(strategy, counter):
                    # Full of attempts that ended badly: the budget is spent.
                    raise TooManyAttempts(_seconds_left(strategy, counter))
                break
            taken.append(counter)
        else:
            return
        time.sleep(WAIT_STEP)
    raise TooManyAttempts(_seconds_left(strategy, counters[-1]))


def counted_first(*budgets: Budget, keep_when: Callable[[Response], bool]) -> Callable:
    """Decorate a view: count the attempt in each budget BEFORE the view runs.

    The count is kept when `keep_when(response)` says the attempt ended badly, and when the
    view raised (fail closed); otherwise it is given back. A spent budget is 429.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_app.config["RATELIMIT_ENABLED"]:
                return view(*args, **kwargs)
            counters = _counters(budgets)
            strategy = _counting(lambda strategy: _reserve(strategy, counters))
            keep = True
            try:
                response = make_response(view(*args, **kwargs))
                keep = keep_when(response)
            finally:
                try:
                    for counter in counters:
                        _give_back(strategy, counter, keep=keep)
                except Exception:
                    _fall_back_to_memory()
            return response

        return wrapper

    return decorator


# One budget of password guesses per account, shared by the two places a password is checked:
# the same scope and key ("username:alice") on both routes.
GUESS_SCOPE = "guesses"
login_guesses = counted_first(
    Budget("RATELIMIT_LOGIN_PER_USERNAME", username_key, GUESS_SCOPE),
    Budget("RATELIMIT_LOGIN_PER_ADDRESS", address_key, "failed-logins"),
    keep_when=failed_login,
)
# Below @jwt_required on the view, so the user is known when the key is computed.
password_change_guesses = counted_first(
    Budget("RATELIMIT_LOGIN_PER_USERNAME", account_key, GUESS_SCOPE),
    keep_when=wrong_current_password,
)
signups = counted_first(
    Budget("RATELIMIT_SIGNUP_PER_ADDRESS", address_key, "signups"), keep_when=cost_a_hash
)


# --- Limits counted on arrival -------------------------------------------------------------------


def _hit(strategy: RateLimiter, counters: list[_Counter]) -> None:
    for counter in counters:
        # One atomic increment (INCR on Redis); False once the count is over the limit.
        if not strategy.hit(counter.item, *counter.ids()):
            raise TooManyAttempts(_seconds_left(strategy, counter))


def counted_on_arrival(budget: Budget) -> Callable:
    """Decorate a view: every request counts in `budget` as it arrives. A spent budget is 429."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if current_app.config["RATELIMIT_ENABLED"]:
                counters = _counters((budget,))
                _counting(lambda strategy: _hit(strategy, counters))
            return view(*args, **kwargs)

        return wrapper

    return decorator


# Every request counts, on arrival. Below @jwt_required on the view, so the session and the user
# are known.
refreshes_per_session = counted_on_arrival(
    Budget("RATELIMIT_REFRESH_PER_SESSION", session_key, "refreshes")
)
lab_tokens_per_session = counted_on_arrival(
    Budget("RATELIMIT_LAB_TOKENS_PER_SESSION", session_key, "lab-tokens")
)
lab_tokens_per_user = counted_on_arrival(
    Budget("RATELIMIT_LAB_TOKENS_PER_USER", user_key, "lab-tokens")
)


def too_many_attempts(seconds: int) -> tuple[Response, int, dict[str, str]]:
    """429 in the API's error shape, with Retry-After (RFC 9110) in seconds."""
    return json_error(
        429,
        f"Too many attempts, try again in {seconds} seconds",
        ErrorKind.RATE_LIMITED,
        {"Retry-After": str(seconds)},
    )
