// "Keys, algorithms and audiences": what signs a token and what checks it. HS256's one shared
// secret against a key pair, guessing a weak key, the published public keys (JWKS), rotation,
// iss and aud, and the attacks that come with keys. Library behaviour is checked by
// backend/tests/test_library_claims.py.
import { IssuerAndAudience } from "./issuer-and-audience.jsx";
import { KeyAttacks } from "./key-attacks.jsx";
import { KeyGuess } from "./key-guess.jsx";
import { KeyRotation } from "./key-rotation.jsx";
import { PublishedKeys } from "./published-keys.jsx";
import { SharedSecretOrKeyPair } from "./shared-secret-or-key-pair.jsx";

/** The section, shown with `exchange` (this browser's token or the example). */
export function SigningKeys({ exchange }) {
  return (
    <section aria-labelledby="keys-heading">
      <h2 id="keys-heading">Keys, algorithms and audiences</h2>
      <SharedSecretOrKeyPair exchange={exchange} />
      <KeyGuess exchange={exchange} />
      <PublishedKeys exchange={exchange} />
      <KeyRotation />
      <IssuerAndAudience exchange={exchange} />
      <KeyAttacks />
    </section>
  );
}
