"""flask-jwt-extended's JWTManager, with one change on the hot path: a token is checked in ONE
decode, not three.

Before it checks a token, flask-jwt-extended 4.7.4 decodes it once without checking the
signature and reads its header a second time (each a full parse: three base64 segments and two
JSON documents), only to hand both to a `@jwt.decode_key_loader` callback. That callback is for
apps that pick the key from the token (a key per tenant, or per `kid`); we have one key and
register none, so both parses were thrown away on every `@jwt_required()` request. `make bench`:
bench/README.md says what this saves.

Everything else is the library's: `@jwt_required()`, the checks and the errors. The one decode
below is the library's own `_decode_jwt` with the arguments the library gives it, and
tests/test_jwt_manager.py checks that every kind of token gets the same answer as from the
library's method. flask-jwt-extended is pinned (==4.7.4): this overrides a private method, so
an upgrade must pass that test.
"""

from __future__ import annotations

import flask_jwt_extended
from flask_jwt_extended.config import config
from flask_jwt_extended.default_callbacks import default_decode_key_callback
from flask_jwt_extended.tokens import _decode_jwt
from jwt import ExpiredSignatureError, get_unverified_header


class JWTManager(flask_jwt_extended.JWTManager):
    """The library's manager; decodes a token once when no `decode_key_loader` is registered."""

    def _decode_jwt_from_config(
        self, encoded_token: str, csrf_value: str | None = None, allow_expired: bool = False
    ) -> dict:
        if self._decode_key_callback is not default_decode_key_callback:
            # A key chosen from the token's own claims needs them before the check: the
            # library's way, unverified decode first.
            return super()._decode_jwt_from_config(encoded_token, csrf_value, allow_expired)
        # The library's arguments (jwt_manager.py, _decode_jwt_from_config), with the one key.
        audience = config.decode_audience  # each config read looks up current_app: read once
        kwargs = {
            "algorithms": config.decode_algorithms,
            "audience": audience,
            "csrf_value": csrf_value,
            "encoded_token": encoded_token,
            "identity_claim_key": config.identity_claim_key,
            "issuer": config.decode_issuer,
            "leeway": config.leeway,
            "secret": config.decode_key,
            "verify_aud": audience is not None,
            "verify_sub": config.verify_sub,
        }
        try:
            return _decode_jwt(**kwargs, allow_expired=allow_expired)
        except ExpiredSignatureError as e:
            # As the library does: the expired-token callback gets the token's header and data.
            e.jwt_header = get_unverified_header(encoded_token)  # type: ignore[attr-defined]
            e.jwt_data = _decode_jwt(**kwargs, allow_expired=True)  # type: ignore[attr-defined]
            raise
