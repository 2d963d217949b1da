// The server's signing keys as the lab sees them: GET /api/keys lists each key's kid, algorithm
// and state, asked again every few seconds so a teacher's rotation shows without a reload, and at
// once when the token names another key; and the one sentence that says which of them signed a
// token.
import { useState } from "react";
import { client } from "../../api/client.js";
import { API } from "../../lib/paths.js";
import { usePolling } from "../../lib/use-polling.js";

// How often the lab asks again; a token that names another key makes it ask at once.
export const KEYS_POLL_MS = 10_000;

/**
 * {keys, error}: the server's list of keys (null until the first answer) and why the last ask
 * failed (null when it worked). A new `kid` (the token was replaced) asks again at once.
 */
export function useSigningKeys(kid) {
  const [view, setView] = useState({ keys: null, error: null });
  usePolling(
    async (signal) => {
      try {
        const data = await client(API.keys, { signal, background: true });
        if (!signal.aborted) setView({ keys: data.keys, error: null });
      } catch (error) {
        if (!signal.aborted) setView((v) => ({ ...v, error: error.msg }));
      }
    },
    KEYS_POLL_MS,
    { immediate: true, restartOn: kid },
  );
  return view;
}

const ROLE = {
  current: "the current key, which signs every new token",
  "verify-only":
    "an older key, still verified until its tokens expire; new tokens are signed by the current key",
  retired: "a retired key: the server now refuses every token it signed",
};

/** Which key signed a token with this `kid`, in words; null while the list is unknown. */
export function signedBy(kid, keys) {
  if (!keys) return null;
  if (kid === undefined) return "no key named: the header has no kid";
  const key = keys.find((k) => k.kid === kid);
  if (!key) return "a key this server does not list";
  return ROLE[key.state] ?? `a key in the state "${key.state}"`;
}
