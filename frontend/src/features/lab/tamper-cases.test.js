import { describe, expect, test } from "vitest";
import { KEY_CASES, TAMPER_CASES } from "./tamper-cases.js";

// Each "why" is read by students next to this server's answer: where the library on its own
// (the lesson's set-up) answers differently, it says so. backend/tests/test_library_claims.py
// checks those library answers on a stock flask-jwt-extended app.
function why(id) {
  return TAMPER_CASES.find((experiment) => experiment.id === id).why;
}

describe("tamper cases", () => {
  test("alg none: refused by the library's default too, with 422", () => {
    expect(why("none")).toContain("RFC 8725 §2.1");
    expect(why("none")).toMatch(
      /flask-jwt-extended accepts only its JWT_ALGORITHM \(HS256\) by default, and answers 422/,
    );
  });

  test("no token: a bare Bearer challenge, the msg says what is missing", () => {
    expect(why("missing")).toMatch(/RFC 6750 §3 .*no error code/);
    expect(why("missing")).toContain("the body's msg says what is missing");
    expect(why("missing")).not.toMatch(/header that says what is missing/);
  });

  test("a forged role: 401 before the role is read, where the real token gets 403", () => {
    expect(why("role")).toContain("answers 401 before it even reads the role");
    expect(why("role")).toContain("this route answers 403");
    expect(why("role")).toContain('422 "Signature verification failed"');
  });

  test("a changed sub and a refresh token: 422 by the library's default", () => {
    expect(why("sub")).toContain('422 "Signature verification failed"');
    expect(why("refresh")).toContain(
      '422 "Only non-refresh tokens are allowed"',
    );
  });
});

describe("the key experiments' explanations", () => {
  const keyWhy = (id) =>
    KEY_CASES.find((experiment) => experiment.id === id).why;

  test("each names the standard that describes the attack", () => {
    expect(keyWhy("confusion")).toContain("RFC 8725 §2.1");
    expect(keyWhy("jwk")).toContain("RFC 7515 §4.1.3");
    expect(keyWhy("jwk")).toContain("CVE-2018-0114");
    expect(keyWhy("jku")).toContain("RFC 7515 §4.1.2");
    expect(keyWhy("jku")).toContain("RFC 8725 §3.10");
    expect(keyWhy("kid-path")).toContain("RFC 8725 §3.10");
    expect(keyWhy("aud")).toContain("RFC 8725 §3.9");
    expect(keyWhy("iss")).toContain("RFC 8725 §3.8");
  });

  test("the server's refusals are told in the order it checks: algorithm, then key headers, then kid", () => {
    expect(keyWhy("confusion")).toContain(
      "refuses any other before it even chooses a key",
    );
    expect(keyWhy("jwk")).toContain("(jwk, jku, x5u, x5c)");
    expect(keyWhy("kid-path")).toContain("refused before any look-up");
  });
});
