// The teacher's "Rotate signing key": POST /api/classroom/keys/rotate makes a new key that signs
// every token from now on. Nobody is logged out: tokens signed by the older key are still
// verified until they expire, and each student's next refresh brings a token with the new kid.
import { useState } from "react";
import { client } from "../../api/client.js";
import { API } from "../../lib/paths.js";

/** Region "Signing key": the rotate button, then the new kid and the server's key list. */
export function RotateSigningKey() {
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState(null); // {keys} or {error}

  async function rotate() {
    setPending(true);
    setOutcome(null);
    try {
      const data = await client(API.rotateKey, { method: "POST" });
      setOutcome({ keys: data.keys });
    } catch (error) {
      setOutcome({ error: error.msg });
    } finally {
      setPending(false);
    }
  }

  const current = outcome?.keys?.find((key) => key.state === "current");
  const older = outcome?.keys?.filter((key) => key.state === "verify-only");

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
      <button type="button" disabled={pending} onClick={rotate}>
        Rotate signing key
      </button>
      <div aria-live="polite">
        {pending && <p>Rotating...</p>}
        {current && (
          <p role="status" className="message message-success">
            New signing key: <code>{current.kid}</code> ({current.alg}).
            {older.length > 0 &&
              ` Still verified until their tokens expire: ${older.map((key) => key.kid).join(", ")}.`}
          </p>
        )}
      </div>
      {outcome?.error && (
        <p role="alert" className="message message-error">
          Could not rotate the signing key: {outcome.error}
        </p>
      )}
    </section>
  );
}
