// The teacher's "Rotate signing key": POST /api/classroom/keys/rotate makes a new key that signs
// every token from now on. Nobody is logged out: tokens signed by the older key are still
// verified until they expire, and each student's next refresh brings a token with the new kid.
import { API } from "../../lib/paths.js";
import { ActionOutcome } from "./action-outcome.jsx";
import { useAction } from "./use-action.js";

/** The status line after a rotation: the new key, and the older ones that still verify. */
function describeKeys({ keys }) {
  const current = keys.find((key) => key.state === "current");
  const older = keys.filter((key) => key.state === "verify-only");
  const still = older.length
    ? ` Still verified until their tokens expire: ${older.map((key) => key.kid).join(", ")}.`
    : "";
  return `New signing key: ${current.kid} (${current.alg}).${still}`;
}

/** Region "Signing key": the rotate button, then the new kid and the server's key list. */
export function RotateSigningKey() {
  const { pending, outcome, run } = useAction(() => {});

  function rotate() {
    run("rotate", API.rotateKey, describeKeys);
  }

  return (
    <section className="panel" aria-labelledby="signing-key-heading">
      <h2 id="signing-key-heading">Signing key</h2>
      <p>
        Every token&apos;s header names the key that signed it (<code>kid</code>
        ). Rotating makes a new key: new tokens are signed with it at once, and
        tokens signed by the older one are still verified until they expire, so
        nobody is logged out. Students see the new kid in the Lab after their
        token&apos;s next refresh.
      </p>
      <button type="button" disabled={pending !== null} onClick={rotate}>
        Rotate signing key
      </button>
      {pending && <p>Rotating...</p>}
      <ActionOutcome outcome={outcome} />
    </section>
  );
}
