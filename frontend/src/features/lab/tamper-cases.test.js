import { describe, expect, test } from "vitest";
import { TAMPER_CASES } from "./tamper-cases.js";

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
