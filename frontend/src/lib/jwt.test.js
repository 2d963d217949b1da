import { describe, expect, test } from "vitest";
import {
  base64UrlFromBytes,
  decodeToken,
  encodePart,
  shortenToken,
  splitToken,
} from "./jwt.js";

// jwt.io's example token (HS256, key "your-256-bit-secret").
const JWT_IO =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." +
  "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ." +
  "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

describe("token parts", () => {
  test("splits a token into header, payload and signature at the dots", () => {
    expect(splitToken(JWT_IO)).toEqual({
      header: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
      payload:
        "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ",
      signature: "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    });
  });

  test("decodes the header and the payload without any key", () => {
    expect(decodeToken(JWT_IO)).toEqual({
      header: { alg: "HS256", typ: "JWT" },
      payload: { sub: "1234567890", name: "John Doe", iat: 1516239022 },
    });
  });

  test("says why a string is not a readable token instead of throwing", () => {
    expect(decodeToken("token-1").error).toMatch(/Invalid token/);
    expect(decodeToken("a.%%%.c").error).toMatch(/Invalid token/);
  });

  test("encodes JSON as base64url without padding, the way JWTs do", () => {
    expect(encodePart({ alg: "HS256", typ: "JWT" })).toBe(
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
    );
    // 0xfb 0xff -> "+/8=" in base64, "-_8" in base64url.
    expect(base64UrlFromBytes(new Uint8Array([0xfb, 0xff]))).toBe("-_8");
  });

  test("round-trips non-ASCII text through encodePart and decodeToken", () => {
    const token = `${encodePart({ alg: "HS256" })}.${encodePart({ name: "Zoë 🎓" })}.sig`;
    expect(decodeToken(token).payload).toEqual({ name: "Zoë 🎓" });
  });

  test("shortens a token to its first 8 and last 4 characters", () => {
    expect(shortenToken(JWT_IO)).toBe("eyJhbGci…sw5c");
    expect(shortenToken("short")).toBe("short");
    expect(shortenToken(null)).toBe("");
  });
});
