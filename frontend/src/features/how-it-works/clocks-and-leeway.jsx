// Panel: exp, nbf and iat against the server's clock, and what leeway is for.
import { localTime } from "../../lib/time.js";
import { Panel } from "./teaching-parts.jsx";

export function ClocksAndLeeway({ exchange }) {
  const { iat, nbf, exp } = exchange.payload;
  const times = [iat, nbf, exp].every((value) => typeof value === "number");
  return (
    <Panel id="basics-clocks" title="Clocks and leeway">
      <p>
        <code>exp</code>, <code>nbf</code> and <code>iat</code> are seconds
        since 1970 in UTC (RFC 7519 §2, &quot;NumericDate&quot;). The server
        compares them with its own clock: <code>exp</code> must be in the
        future, <code>nbf</code> and <code>iat</code> must not be.
        flask-jwt-extended writes <code>nbf</code> equal to <code>iat</code>:
        the moment of signing.
      </p>
      {times && (
        <p>
          {exchange.live ? "Your token" : "The example token"}: <code>iat</code>{" "}
          {localTime(iat)}, <code>nbf</code> {localTime(nbf)}
          {nbf === iat ? " (the same)" : ""}, <code>exp</code> {localTime(exp)},{" "}
          {exp - iat} seconds later.
        </p>
      )}
      <p>
        Two machines&apos; clocks never agree exactly. If the server that checks
        a token runs 5 seconds behind the one that signed it, PyJWT refuses a
        brand-new token for its first 5 seconds: &quot;The token is not yet
        valid (iat)&quot; (422 by flask-jwt-extended&apos;s default).{" "}
        <em>Leeway</em> is a grace period on all three checks: with{" "}
        <code>JWT_DECODE_LEEWAY = 10</code>, a token is accepted up to 10
        seconds early and 10 seconds after its <code>exp</code>. RFC 7519 §4.1.4
        allows &quot;some small leeway, usually no more than a few
        minutes&quot;. flask-jwt-extended&apos;s default, kept here, is 0: the
        same server signs and checks, with one clock. Servers on several
        machines need their clocks kept in sync (NTP), or a few seconds of
        leeway.
      </p>
      <p>
        Your browser&apos;s clock never counts: the server does not ask it. It
        only drives the Lab&apos;s countdown, which is off by as much as your
        clock is.
      </p>
    </Panel>
  );
}
