// A teacher's action on the server (end one session, end all of them, rotate the signing key): which one is on its way,
// then what happened, and the table asked again at once so it shows the result.
import { useState } from "react";
import { client } from "../../api/client.js";

/**
 * Returns { pending, outcome, run }. `run(key, path, describe)` POSTs to `path`; meanwhile
 * `pending` is `key` (so that button can say "Ending..."); then `outcome` is {ok, text}: the
 * `describe(data)` of the answer, or the server's msg. `reload` runs after either (a no-op when
 * nothing is shown to ask again).
 */
export function useAction(reload) {
  const [pending, setPending] = useState(null);
  const [outcome, setOutcome] = useState(null);

  async function run(key, path, describe) {
    setPending(key);
    setOutcome(null);
    try {
      const data = await client(path, { method: "POST" });
      setOutcome({ ok: true, text: describe(data) });
    } catch (error) {
      setOutcome({ ok: false, text: error.msg });
    } finally {
      setPending(null);
      reload();
    }
  }
  return { pending, outcome, run };
}
