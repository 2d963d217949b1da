import { afterEach, describe, expect, test, vi } from "vitest";
import { base64UrlFromBytes, encodePart } from "../../lib/jwt.js";
import { hasWebCrypto, verifyToken } from "./verify.js";

// Node's WebCrypto (OpenSSL underneath, like the server's `cryptography`) makes real keys and
// real signatures here; the page under test only ever sees the public JWK and the token.
const { subtle } = globalThis.crypto;

const ALGORITHMS = {
  ES256: {
    generate: { name: "ECDSA", namedCurve: "P-256" },
    sign: { name: "ECDSA", hash: "SHA-256" },
  },
  RS256: {
    generate: {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    sign: { name: "RSASSA-PKCS1-v1_5" },
  },
  EdDSA: { generate: { name: "Ed25519" }, sign: { name: "Ed25519" } },
};

async function keyPair(alg) {
  const pair = await subtle.generateKey(ALGORITHMS[alg].generate, true, [
    "sign",
    "verify",
  ]);
  const jwk = await subtle.exportKey("jwk", pair.publicKey);
  return { privateKey: pair.privateKey, jwk: { ...jwk, kid: "k1", alg } };
}

async function signToken(alg, privateKey, claims = { sub: "1" }) {
  const signed = `${encodePart({ alg, typ: "JWT", kid: "k1" })}.${encodePart(claims)}`;
  const signature = await subtle.sign(
    ALGORITHMS[alg].sign,
    privateKey,
    new TextEncoder().encode(signed),
  );
  return `${signed}.${base64UrlFromBytes(new Uint8Array(signature))}`;
}

function withoutWebCrypto() {
  // What a page on http://<LAN address> has: crypto.getRandomValues, but no crypto.subtle.
  vi.stubGlobal("crypto", { getRandomValues: (a) => a });
}

afterEach(() => vi.unstubAllGlobals());

describe("verifying a token with a public key", () => {
  test.each(["ES256", "RS256", "EdDSA"])(
    "%s with WebCrypto: the genuine token passes, an edited one fails",
    async (alg) => {
      const { privateKey, jwk } = await keyPair(alg);
      const token = await signToken(alg, privateKey);
      const [header, , signature] = token.split(".");
      const edited = `${header}.${encodePart({ sub: "2" })}.${signature}`;

      expect(hasWebCrypto()).toBe(true);
      expect(await verifyToken(token, jwk, alg)).toEqual({
        valid: true,
        engine: "WebCrypto",
      });
      expect((await verifyToken(edited, jwk, alg)).valid).toBe(false);
    },
  );

  test.each(["ES256", "EdDSA"])(
    "%s without WebCrypto (plain http): @noble/curves gives the same answers",
    async (alg) => {
      const { privateKey, jwk } = await keyPair(alg);
      // Several signatures: about half of OpenSSL's ECDSA signatures have a "high" s.
      const tokens = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          signToken(alg, privateKey, { sub: String(i) }),
        ),
      );
      const other = await keyPair(alg);
      withoutWebCrypto();

      expect(hasWebCrypto()).toBe(false);
      for (const token of tokens) {
        expect(await verifyToken(token, jwk, alg)).toEqual({
          valid: true,
          engine: "@noble/curves",
        });
        expect((await verifyToken(token, other.jwk, alg)).valid).toBe(false);
      }
    },
  );

  test("RS256 without WebCrypto says it cannot check, instead of a wrong answer", async () => {
    const { privateKey, jwk } = await keyPair("RS256");
    const token = await signToken("RS256", privateKey);
    withoutWebCrypto();

    await expect(verifyToken(token, jwk, "RS256")).rejects.toThrow(
      "This page has no RS256 check without WebCrypto, which needs https:// or localhost.",
    );
  });

  test("an algorithm the page does not know is said, not guessed", async () => {
    const { jwk } = await keyPair("ES256");
    await expect(verifyToken("a.b.c", jwk, "HS256")).rejects.toThrow(
      "This page does not check HS256 signatures.",
    );
  });
});
