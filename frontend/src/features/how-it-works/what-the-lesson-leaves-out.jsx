// "What the lesson leaves out": five short panels, each shown with this browser's own token
// where it can be (or the example token when nobody is logged in). Every claim about a library
// is checked by backend/tests/test_library_claims.py.
import { BearerTransport } from "./bearer-transport.jsx";
import { ClaimNames } from "./claim-names.jsx";
import { ClocksAndLeeway } from "./clocks-and-leeway.jsx";
import { DecodingIsNotVerifying } from "./decoding-is-not-verifying.jsx";
import { TokenStorage } from "./token-storage.jsx";

/** The five panels under one heading, shown with `exchange` (this browser's token or the example). */
export function WhatTheLessonLeavesOut({ exchange }) {
  return (
    <>
      <h2>What the lesson leaves out</h2>
      <p>
        Five things a beginner needs next, each shown with{" "}
        {exchange.live ? "your own token" : "the example token"} where it can
        be.
      </p>
      <DecodingIsNotVerifying exchange={exchange} />
      <BearerTransport />
      <ClaimNames exchange={exchange} />
      <ClocksAndLeeway exchange={exchange} />
      <TokenStorage />
    </>
  );
}
