import { describe, expect, test } from "vitest";
import {
  explainClaim,
  explainClaims,
  explainHeader,
  expiryText,
} from "./claims.js";

const NOW_MS = Date.UTC(2026, 0, 1, 12, 0, 0);
const NOW = NOW_MS / 1000;

describe("claim explanations", () => {
  test('"expires in ..." while valid, "expired" once exp has passed', () => {
    expect(expiryText(NOW + 872, NOW_MS)).toBe("expires in 14:32");
    expect(expiryText(NOW + 872, NOW_MS + 1000)).toBe("expires in 14:31");
    expect(expiryText(NOW, NOW_MS)).toBe("expired");
    expect(expiryText(NOW - 60, NOW_MS)).toBe("expired");
  });

  test("sub is the user id as a string, refused as a number when checked, not when made", () => {
    const text = explainClaim("sub", "42");
    expect(text).toContain('your user id "42"');
    expect(text).toContain("RFC 7519 §4.1.2");
    expect(text).toContain(
      `refuses it when the token is checked: flask-jwt-extended's default answer is 422 "Subject must be a string"`,
    );
  });

  test("csrf is checked only for a token sent in a cookie, never for this one", () => {
    const text = explainClaim("csrf", "c1");
    expect(text).toMatch(/checks it only when the token arrives in a cookie/);
    expect(text).toMatch(/this access token .* its csrf is never checked/);
  });

  test("exp gives the local time and the live countdown", () => {
    const text = explainClaim("exp", NOW + 90, NOW_MS);
    expect(text).toContain(new Date((NOW + 90) * 1000).toLocaleString());
    expect(text).toContain("expires in 1:30");
    expect(explainClaim("exp", NOW - 1, NOW_MS)).toContain("the token expired");
  });

  test("jti is tied to logout, type and fresh are explained by value", () => {
    expect(explainClaim("jti", "abc")).toMatch(/Logging out .* blocklist/);
    expect(explainClaim("type", "access")).toContain('Token type "access"');
    expect(explainClaim("type", "refresh")).toContain('Token type "refresh"');
    expect(explainClaim("fresh", true)).toMatch(/^Fresh: true/);
    expect(explainClaim("fresh", false)).toMatch(/^Fresh: false/);
    expect(explainClaim("iat", NOW)).toMatch(/^Issued at/);
    expect(explainClaim("nbf", NOW)).toMatch(/^Not before/);
    expect(explainClaim("sid", "s1")).toMatch(/^Session id/);
    expect(explainClaim("role", "student")).toMatch(
      /^Role "student": .*403 for anyone else.*editing it gets 401/,
    );
    expect(explainClaim("csrf", "c1")).toMatch(/^CSRF/);
  });

  test("every claim gets a sentence, known ones first in a teaching order", () => {
    const rows = explainClaims(
      { fresh: false, iat: NOW, team: "blue", sub: "1", exp: NOW + 5 },
      NOW_MS,
    );

    expect(rows.map((row) => row.name)).toEqual([
      "sub",
      "exp",
      "iat",
      "fresh",
      "team",
    ]);
    expect(rows[0].value).toBe("1");
    expect(rows[4].text).toMatch(/does not explain/);
  });

  test("the header's alg says that only the server's algorithm is accepted, typ is not the type claim", () => {
    const [alg, typ] = explainHeader({ alg: "HS256", typ: "JWT" });
    expect(alg.text).toMatch(/one secret key both signs and checks/);
    expect(alg.text).toMatch(/accepts only the algorithm it signs with/);
    expect(alg.text).toMatch(/only its JWT_ALGORITHM by\s+default/);
    expect(typ.text).toMatch(/JSON Web Token/);
    expect(typ.text).toMatch(/Not the payload's "type" claim/);
  });

  test("an asymmetric alg says who signs and who checks", () => {
    const [alg] = explainHeader({ alg: "ES256" });
    expect(alg.text).toMatch(/ECDSA on the P-256 curve with SHA-256/);
    expect(alg.text).toMatch(/public key, which anyone may have, checks/);
  });

  test("the kid row says which of the server's keys signed the token", () => {
    const keys = [
      { kid: "new", alg: "ES256", state: "current" },
      { kid: "old", alg: "ES256", state: "verify-only" },
      { kid: "gone", alg: "ES256", state: "retired" },
    ];
    const kidText = (kid) =>
      explainHeader({ alg: "ES256", kid }, keys).find((r) => r.name === "kid")
        .text;

    expect(kidText("new")).toMatch(/This one is the current key/);
    expect(kidText("old")).toMatch(
      /This one is an older key, still verified until its tokens expire/,
    );
    expect(kidText("gone")).toMatch(/This one is a retired key/);
    expect(kidText("stranger")).toMatch(
      /This one is a key this server does not list/,
    );
    // Before the list has come, the row says what kid is and nothing about which key.
    expect(
      explainHeader({ kid: "new" }).find((r) => r.name === "kid").text,
    ).not.toMatch(/This one is/);
  });
});
