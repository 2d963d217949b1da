// Panel: one HS256 token is enough to test guesses at its key offline, where no rate limit
// applies; a button runs such a guess in this browser. Backed by
// backend/tests/test_library_claims.py (PyJWT alone says which guess signed a token).
import { useState } from "react";
import { hs256Signature, splitToken } from "../../lib/jwt.js";
import { Panel } from "./teaching-parts.jsx";

// Keys printed in tutorials and defaults, the first an attacker tries; the lesson's is second.
export const TUTORIAL_KEYS = [
  "secret",
  "super-secret",
  "supersecret",
  "changeme",
  "change-me",
  "jwt-secret",
  "jwt_secret",
  "secret-key",
  "secretkey",
  "my-secret-key",
  "your-256-bit-secret",
  "password",
];
const LESSON_KEY = "super-secret";

/** The first of `keys` whose HS256 signature over the token's header and payload is the token's own, or null. */
export function guessKey(token, keys = TUTORIAL_KEYS) {
  const { signature } = splitToken(token);
  return keys.find((key) => hs256Signature(token, key) === signature) ?? null;
}

/** The same header and payload, signed HS256 with the lesson's key. */
function signedWithLessonKey(token) {
  const { header, payload } = splitToken(token);
  return `${header}.${payload}.${hs256Signature(token, LESSON_KEY)}`;
}

function GuessButton({ token }) {
  const [result, setResult] = useState(null);
  function guess() {
    setResult({
      yours: guessKey(token),
      lesson: guessKey(signedWithLessonKey(token)),
    });
  }
  return (
    <>
      <p>
        <button type="button" className="button-secondary" onClick={guess}>
          Guess the key
        </button>{" "}
        tries {TUTORIAL_KEYS.length} keys from tutorials against this token, in
        your browser, without asking the server.
      </p>
      <div aria-live="polite">
        {result && (
          <p role="status">
            This token:{" "}
            {result.yours === null ? "none of them" : `"${result.yours}"`}{" "}
            signed it. The same token signed with the lesson&apos;s key: found,{" "}
            <code>&quot;{result.lesson}&quot;</code>.
          </p>
        )}
      </div>
    </>
  );
}

export function KeyGuess({ exchange }) {
  return (
    <Panel id="keys-guessing" title="A weak HS256 key is guessed offline">
      <p>
        A token is all an attacker needs to test guesses at an HS256 key:
        compute the HMAC of its header and payload with a guess and compare with
        its signature, on their own machines, as fast as they can. No server is
        asked, so no rate limit applies. A key from a tutorial, or one a person
        made up, is among the first guesses; 32 random bytes are out of reach.
        Hence RFC 8725 §3.5 (&quot;Ensure Cryptographic Keys Have Sufficient
        Entropy&quot;, answering the attack of §2.2): a human-memorable password
        must never be an HS256 key. The private keys of ES256, RS256 and EdDSA
        come from a key generator, never from a person, so there is no short
        list of likely ones to try.
      </p>
      <GuessButton token={exchange.token} />
    </Panel>
  );
}
