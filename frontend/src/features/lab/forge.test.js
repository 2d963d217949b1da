import { describe, expect, test, vi } from "vitest";
import { decodeToken, splitToken } from "../../lib/jwt.js";
import {
  signedWithKey,
  withAlgNone,
  withOtherSub,
  withRole,
  WRONG_KEY,
} from "./forge.js";

const JWT_IO =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." +
  "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ." +
  "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

describe("forging tokens", () => {
  test("a new sub (as a string) in the payload, header and signature untouched", () => {
    const forged = withOtherSub(JWT_IO, 7);
    const before = splitToken(JWT_IO);
    const after = splitToken(forged);

    expect(after.header).toBe(before.header);
    expect(after.signature).toBe(before.signature);
    expect(after.payload).not.toBe(before.payload);
    expect(decodeToken(forged).payload).toEqual({
      sub: "7",
      name: "John Doe",
      iat: 1516239022,
    });
  });

  test("a role claim set in the payload, header and signature untouched", () => {
    const forged = withRole(JWT_IO, "teacher");

    expect(splitToken(forged).header).toBe(splitToken(JWT_IO).header);
    expect(splitToken(forged).signature).toBe(splitToken(JWT_IO).signature);
    expect(decodeToken(forged).payload).toEqual({
      sub: "1234567890",
      name: "John Doe",
      iat: 1516239022,
      role: "teacher",
    });
  });

  test('alg "none": a new header and an empty signature', () => {
    const forged = withAlgNone(JWT_IO);

    expect(decodeToken(forged).header).toEqual({ alg: "none", typ: "JWT" });
    expect(splitToken(forged).payload).toBe(splitToken(JWT_IO).payload);
    expect(forged.endsWith(".")).toBe(true);
  });

  test("signs HS256 exactly like a server would, given the key", async () => {
    // jwt.io's example was signed with "your-256-bit-secret": the same key gives the same MAC.
    expect(await signedWithKey(JWT_IO, "your-256-bit-secret")).toBe(JWT_IO);
  });

  test("with the wrong key the signature differs, the rest is kept", async () => {
    const forged = await signedWithKey(JWT_IO);

    expect(WRONG_KEY).toBe("not-the-server-key");
    const before = splitToken(JWT_IO);
    const after = splitToken(forged);
    expect(after.header).toBe(before.header);
    expect(after.payload).toBe(before.payload);
    expect(after.signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(after.signature).not.toBe(before.signature);
  });

  test("signs where the browser offers no WebCrypto (plain http on a LAN address)", async () => {
    vi.stubGlobal("crypto", {});
    try {
      expect(await signedWithKey(JWT_IO, "your-256-bit-secret")).toBe(JWT_IO);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
