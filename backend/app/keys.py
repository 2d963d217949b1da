"""The keys that sign tokens: one current key signs, older ones verify, retired ones are refused.

The lesson signs every token with one shared secret (HS256). Here JWT_SIGNING chooses how:

- `hs256`: HMAC-SHA256, the lesson's. Whoever can check a token can also make one, so the key
  never leaves the server, and /.well-known/jwks.json lists no key.
- `es256`, `rs256`, `eddsa`: a private key signs (ECDSA P-256, RSA 2048, Ed25519); the public key
  verifies, and anyone may fetch it from /.well-known/jwks.json (RFC 7517) to check our tokens.

Every token's header names its key with `kid` (RFC 7515 section 4.1.4), and the keys live in the
database (models.SigningKey), so that every API process signs and verifies with the same ones:

    flask rotate-key    a new key signs from now on; the old one still verifies (nobody is
                        logged out), until its tokens have expired
    flask retire-key    the old key is refused: its tokens get 401 "... retired ..."

Nothing secret is stored in the clear. An HS256 key is not stored at all: it is derived from
JWT_SECRET_KEY and the kid (HKDF, RFC 5869). A private key is stored encrypted with Fernet
(AES-128-CBC + HMAC-SHA256) under a key also derived from JWT_SECRET_KEY. Reading the database
alone gives no key; a new JWT_SECRET_KEY makes every key made under the old one unusable, as a
leaked secret should.

Each process keeps the key set in memory (KeyRing) and reads it again at most every
SIGNING_KEYS_REFRESH seconds, so checking a token costs no database query; a token whose `kid`
this process does not know (a key another process just made) makes it read at once, at most once
a second, so made-up kids cannot make it query the database on every request.

flask-jwt-extended asks for the keys through its public callbacks: `additional_headers_loader`
(the `kid`), `encode_key_loader` (the signing key) and `decode_key_loader` (the key named by an
incoming token's `kid`, after checking the header).
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import jwt as pyjwt
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import Flask, current_app, g
from jwt.exceptions import InvalidAlgorithmError, InvalidTokenError
from sqlalchemy import inspect
from sqlalchemy.exc import SQLAlchemyError

from app.errors import ErrorKind, unauthorized
from app.extensions import db, jwt
from app.models import SigningKey, as_utc, utcnow

KEY_RETIRED = "This token was signed by a key that has been retired; please log in again"
UNKNOWN_KID = "The token's kid names no signing key of this server"
NO_KID = "The token's header has no kid: this server names the key of every token it signs"
KEY_IN_HEADER = (
    "The token's header names a key (jwk, jku, x5u or x5c): this server verifies only with "
    "its own keys, chosen by kid"
)
# PyJWT's own words for an algorithm it was not told to accept.
ALG_NOT_ALLOWED = "The specified alg value is not allowed"

# Header members that point at a key the token itself chooses (RFC 7515 section 4.1): trusting
# any of them would let whoever made the token choose the key that verifies it.
KEY_HEADERS = ("jwk", "jku", "x5u", "x5c")
# The kids we make (new_kid): the creation date and 8 random hex digits. A kid that could not be
# one of them is refused before any lookup.
KID_PATTERN = re.compile(r"[0-9]{8}-[0-9a-f]{8}")
# An unknown (well-formed) kid makes a process read the keys again at most this often.
UNKNOWN_KID_REREAD = 1.0
# Key sizes: RSA 2048 is NIST's minimum through 2030 (SP 800-57); P-256 and Ed25519 give about
# 128 bits of security, as does HS256 with a 32-byte key (RFC 7518 section 3.2).
RSA_BITS = 2048
HMAC_KEY_BYTES = 32
# The members a public JWK may have (RFC 7518 section 6, RFC 8037 section 2): /.well-known
# serves only these, so a private member (d, p, q, dp, dq, qi, k) can never slip out.
PUBLIC_MEMBERS = {
    "EC": ("kty", "crv", "x", "y"),
    "RSA": ("kty", "n", "e"),
    "OKP": ("kty", "crv", "x"),
}

CURRENT = "current"
VERIFY_ONLY = "verify-only"
RETIRED = "retired"


class KeyRetired(InvalidTokenError):
    """A token signed by a key that has been retired (or can no longer be used)."""


class KeyChangeRefused(Exception):
    """A rotation or retirement that cannot be done; the message says why."""


# --- Deriving and protecting key material ---------------------------------------------------------


def _derive(secret: str, info: str) -> bytes:
    """32 bytes from JWT_SECRET_KEY for one purpose (`info`): HKDF-SHA256 (RFC 5869)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info.encode())
    return hkdf.derive(secret.encode())


def hmac_key(secret: str, kid: str) -> bytes:
    """The HS256 key named `kid`: derived, never stored, different for every kid."""
    return _derive(secret, f"jwt-classroom hs256 signing key {kid}")


def _fernet(secret: str) -> Fernet:
    """The cipher that keeps private keys encrypted in the database."""
    key = _derive(secret, "jwt-classroom signing keys at rest")
    return Fernet(base64.urlsafe_b64encode(key))


def new_private_key(alg: str) -> Any:
    """A new random private key for `alg` (ES256, RS256 or EdDSA)."""
    if alg == "ES256":
        return ec.generate_private_key(ec.SECP256R1())
    if alg == "RS256":
        return rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    if alg == "EdDSA":
        return ed25519.Ed25519PrivateKey.generate()
    raise ValueError(f"No private key for {alg}")


def public_jwk(public_key: Any, kid: str, alg: str) -> dict[str, str]:
    """A public key as a JWK (RFC 7517): only the public members, plus kid, alg and use."""
    full = pyjwt.get_algorithm_by_name(alg).to_jwk(public_key, as_dict=True)
    jwk = {name: full[name] for name in PUBLIC_MEMBERS[full["kty"]]}
    return {**jwk, "kid": kid, "alg": alg, "use": "sig"}


def new_kid() -> str:
    """A key id: today's date and 8 random hex digits, e.g. 20261208-3f9a1c2e."""
    return f"{utcnow():%Y%m%d}-{secrets.token_hex(4)}"


# --- The key set, as one process sees it ----------------------------------------------------------


@dataclass(frozen=True)
class Key:
    """One signing key, ready for PyJWT. `verifying` is None when it can no longer be used."""

    kid: str
    alg: str
    created_at: datetime
    retired_at: datetime | None
    signing: Any  # the private key, or the HMAC key
    verifying: Any  # the public key, or the HMAC key
    jwk: dict[str, str] | None  # the public JWK; None for HS256


@dataclass(frozen=True)
class KeySet:
    """Every key in the database, and which one signs for this server's algorithm."""

    alg: str
    keys: Mapping[str, Key]

    @property
    def current(self) -> Key | None:
        """The newest usable, unretired key of our algorithm: the one that signs."""
        usable = [k for k in self.keys.values() if self._live(k)]
        return max(usable, key=lambda k: (k.created_at, k.kid), default=None)

    def _live(self, key: Key) -> bool:
        return key.alg == self.alg and key.retired_at is None and key.verifying is not None

    def state(self, key: Key) -> str:
        """current, verify-only or retired (retired, of another algorithm, or unusable)."""
        if not self._live(key):
            return RETIRED
        current = self.current
        return CURRENT if current is not None and key.kid == current.kid else VERIFY_ONLY

    def newest_first(self) -> list[Key]:
        """Every key, the newest first."""
        return sorted(self.keys.values(), key=lambda k: (k.created_at, k.kid), reverse=True)


class KeyRing:
    """One process's copy of the key set (one per app), read again when it is old.

    Reads happen on the request that finds the copy old, on a connection of their own; while one
    thread reads, the others go on with the copy they have.
    """

    def __init__(self, app: Flask) -> None:
        self.alg: str = app.config["JWT_ALGORITHM"]
        self.refresh_every: float = app.config["SIGNING_KEYS_REFRESH"]
        self._secret: str = app.config["JWT_SECRET_KEY"]
        self._fernet = _fernet(self._secret)
        self._lock = threading.Lock()
        self._key_set: KeySet | None = None
        self._read_at = 0.0
        self._unknown_read_at: float | None = None  # when an unknown kid last made us read

    def key_set(self) -> KeySet:
        """The key set, read again if older than SIGNING_KEYS_REFRESH seconds."""
        key_set = self._key_set
        if key_set is not None and time.monotonic() - self._read_at < self.refresh_every:
            return key_set
        if key_set is not None:
            # Someone else is reading: use what we have rather than wait.
            if not self._lock.acquire(blocking=False):
                return key_set
        else:
            self._lock.acquire()
        try:
            if self._key_set is key_set or self._key_set is None:
                self.read()
        except SQLAlchemyError:
            if key_set is None:
                raise
            # The database did not answer (a restart, a failover): the keys we have still
            # verify, and the next request past SIGNING_KEYS_REFRESH asks again.
            current_app.logger.warning("Could not read the signing keys; using the last ones read")
            return key_set
        finally:
            self._lock.release()
        assert self._key_set is not None
        return self._key_set

    def find(self, kid: str) -> Key | None:
        """The key named `kid`; an unknown one makes us read again, at most once a second."""
        key = self.key_set().keys.get(kid)
        if key is not None:
            return key
        with self._lock:
            key_set = self._key_set
            if key_set is not None and kid in key_set.keys:  # read by another thread meanwhile
                return key_set.keys[kid]
            now = time.monotonic()
            last = self._unknown_read_at
            if last is not None and now - last < UNKNOWN_KID_REREAD:
                return None
            self._unknown_read_at = now
            return self.read().keys.get(kid)

    def read(self) -> KeySet:
        """Read the key set from the database now (one SELECT, outside any transaction)."""
        query = db.select(
            SigningKey.kid,
            SigningKey.alg,
            SigningKey.private_key,
            SigningKey.created_at,
            SigningKey.retired_at,
        )
        with db.engine.connect() as connection:
            # As lifecycle.read_token_state: a lone SELECT needs no BEGIN and no ROLLBACK.
            if connection.dialect.name != "sqlite":
                connection.execution_options(isolation_level="AUTOCOMMIT")
            rows = connection.execute(query).all()
        known = self._key_set.keys if self._key_set is not None else {}
        keys = {}
        for kid, alg, private_key, created_at, retired_at in rows:
            old = known.get(kid)
            if old is not None:  # already decrypted and parsed: only retired_at can change
                keys[kid] = replace(old, retired_at=as_utc(retired_at))
            else:
                keys[kid] = self._load(
                    kid, alg, private_key, as_utc(created_at), as_utc(retired_at)
                )
        self._key_set = KeySet(self.alg, keys)
        self._read_at = time.monotonic()
        return self._key_set

    def _load(
        self,
        kid: str,
        alg: str,
        private_key: str | None,
        created_at: datetime,
        retired_at: datetime | None,
    ) -> Key:
        if alg == "HS256":
            secret = hmac_key(self._secret, kid)
            return Key(kid, alg, created_at, retired_at, secret, secret, None)
        try:
            pem = self._fernet.decrypt((private_key or "").encode())
        except InvalidToken:
            # Encrypted under another JWT_SECRET_KEY: no longer ours to use.
            return Key(kid, alg, created_at, retired_at, None, None, None)
        private = serialization.load_pem_private_key(pem, password=None)
        public = private.public_key()
        return Key(kid, alg, created_at, retired_at, private, public, public_jwk(public, kid, alg))

    def add_key(self) -> Key:
        """Make a new key of our algorithm and store it: from now on it signs. Returns it."""
        kid = new_kid()
        row = SigningKey(kid=kid, alg=self.alg, created_at=utcnow())
        if self.alg != "HS256":
            private = new_private_key(self.alg)
            pem = private.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            row.private_key = self._fernet.encrypt(pem).decode()
            row.public_jwk = json.dumps(public_jwk(private.public_key(), kid, self.alg))
        # A connection of its own, so that a key made in the middle of a login is committed
        # whatever the login's own transaction does.
        with db.engine.begin() as connection:
            connection.execute(
                db.insert(SigningKey).values(
                    kid=row.kid,
                    alg=row.alg,
                    public_jwk=row.public_jwk,
                    private_key=row.private_key,
                    created_at=row.created_at,
                )
            )
        return self.reload().keys[kid]

    def reload(self) -> KeySet:
        """Read the key set now, after a change this process made."""
        with self._lock:
            return self.read()

    def signing_key(self) -> Key:
        """The current key; made at once if there is none (a new database, a new JWT_SIGNING)."""
        current = self.key_set().current
        if current is not None:
            return current
        with _making_lock:
            current = self.read().current
            return current if current is not None else self.add_key()


# One process makes at most one first key at a time (two processes may each make one: the newer
# signs, the other verifies, and nothing is lost).
_making_lock = threading.Lock()


def ring() -> KeyRing:
    """The current app's KeyRing."""
    return current_app.extensions["signing-keys"]


# --- What flask-jwt-extended calls ----------------------------------------------------------------


def signing_key() -> Key:
    """The key this request signs with: chosen once per request, so that the `kid` in a token's
    header and the key that signs it are always the same, whatever a rotation does meanwhile."""
    key = g.get("signing_key")
    if key is None:
        key = g.signing_key = ring().signing_key()
    return key


@jwt.additional_headers_loader
def kid_header(_identity: Any) -> dict[str, str]:
    """Every token's header names its key: {"kid": ...}."""
    return {"kid": signing_key().kid}


@jwt.encode_key_loader
def encode_key(_identity: Any) -> Any:
    """The key that signs: the private key, or the HMAC key (the same as kid_header's)."""
    return signing_key().signing


@jwt.decode_key_loader
def decode_key(header: dict, _claims: dict) -> Any:
    """The key that verifies an incoming token, chosen by its `kid`, never by the token itself.

    Runs before the signature is checked, on the token's UNVERIFIED header: anything it says is
    the sender's claim. So only our algorithm is accepted, a key the header carries or points
    to is refused, and the kid must name one of our keys.
    """
    if header.get("alg") != current_app.config["JWT_ALGORITHM"]:
        # Checked here too, before any key is chosen: HS256 with our public key as the
        # "secret" (algorithm confusion) or "none" never get as far as a key.
        raise InvalidAlgorithmError(ALG_NOT_ALLOWED)
    if any(name in header for name in KEY_HEADERS):
        raise InvalidTokenError(KEY_IN_HEADER)
    kid = header.get("kid")
    if kid is None:
        raise InvalidTokenError(NO_KID)
    if not isinstance(kid, str) or not KID_PATTERN.fullmatch(kid):
        raise InvalidTokenError(UNKNOWN_KID)
    keys = ring()
    key = keys.find(kid)
    if key is None:
        raise InvalidTokenError(UNKNOWN_KID)
    if keys.key_set().state(key) == RETIRED:
        raise KeyRetired(KEY_RETIRED)
    return key.verifying


# --- Rotation and retirement (the CLI and the classroom call these) -------------------------------


def rotate() -> Key:
    """Make a new current key. The old one verifies until it is retired."""
    g.pop("signing_key", None)  # this request's next token is signed by the new key
    return ring().add_key()


def retire(kid: str | None = None) -> Key:
    """Retire a verify-only key (by default the newest one); KeyChangeRefused if it cannot be."""
    keys = ring()
    key_set = keys.read()
    if kid is None:
        candidates = [k for k in key_set.newest_first() if key_set.state(k) == VERIFY_ONLY]
        if not candidates:
            raise KeyChangeRefused("There is no verify-only key to retire (rotate first).")
        kid = candidates[0].kid
    key = key_set.keys.get(kid)
    if key is None:
        raise KeyChangeRefused(f"No signing key with kid {kid!r}.")
    if key.retired_at is not None:
        raise KeyChangeRefused(f"Key {kid} is already retired.")
    if key_set.state(key) == CURRENT:
        raise KeyChangeRefused(
            f"Key {kid} is the current key, which signs every new token: rotate first "
            "(flask rotate-key), then retire it."
        )
    with db.engine.begin() as connection:
        connection.execute(
            db.update(SigningKey).where(SigningKey.kid == kid).values(retired_at=utcnow())
        )
    return keys.reload().keys[kid]


def jwks() -> dict[str, Any]:
    """The JWK Set (RFC 7517 section 5): the public keys of the keys that still verify."""
    key_set = ring().key_set()
    return {
        "keys": [
            key.jwk
            for key in key_set.newest_first()
            if key.jwk is not None and key_set.state(key) != RETIRED
        ]
    }


def init_app(app: Flask) -> None:
    """Give the app its KeyRing and the 401 for retired keys; load the keys if the table exists.

    Loading (and making the first key) at start-up means no request waits for it. Before the
    migrations have run there is no table yet: the first token made then makes the first key.
    """
    app.extensions["signing-keys"] = KeyRing(app)

    # The other refusals of decode_key are PyJWT errors: flask-jwt-extended answers them with
    # the invalid-token callback (jwt_callbacks.py), kind token_invalid.
    @app.errorhandler(KeyRetired)
    def key_retired(error: KeyRetired) -> Any:
        return unauthorized(str(error), ErrorKind.KEY_RETIRED)

    with app.app_context():
        try:
            if inspect(db.engine).has_table(SigningKey.__tablename__):
                app.extensions["signing-keys"].signing_key()
        except SQLAlchemyError:
            app.logger.warning("Could not read the signing keys at start-up; will try again")
