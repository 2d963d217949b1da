import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { afterEach, describe, expect, test, vi } from "vitest";
import {
  base64UrlFromBytes,
  decodeToken,
  encodePart,
  splitToken,
} from "../../lib/jwt.js";
import {
  attackerKey,
  publicKeyPem,
  signedWithKeyOf,
  signedWithPublicKeyAsSecret,
  withHeader,
  withHeaderSignedWithEmptyKey,
} from "./forge-keys.js";
import { verifyToken } from "./verify.js";

const { subtle } = globalThis.crypto;
const TOKEN = `${encodePart({ alg: "ES256", typ: "JWT", kid: "20261208-0badc0de" })}.${encodePart({ sub: "1" })}.c2ln`;

// What a server's PEM file holds: Node's WebCrypto (OpenSSL) writes the SubjectPublicKeyInfo.
async function opensslPem(generate) {
  const pair = await subtle.generateKey(generate, true, ["sign", "verify"]);
  const spki = new Uint8Array(await subtle.exportKey("spki", pair.publicKey));
  const base64 = btoa(String.fromCharCode(...spki)).match(/.{1,64}/g);
  return {
    jwk: await subtle.exportKey("jwk", pair.publicKey),
    pem: `-----BEGIN PUBLIC KEY-----\n${base64.join("\n")}\n-----END PUBLIC KEY-----\n`,
  };
}

function hs256(input, key) {
  const bytes = typeof key === "string" ? new TextEncoder().encode(key) : key;
  return base64UrlFromBytes(
    hmac(sha256, bytes, new TextEncoder().encode(input)),
  );
}

afterEach(() => vi.unstubAllGlobals());

describe("forging tokens with keys", () => {
  test.each([
    ["P-256", { name: "ECDSA", namedCurve: "P-256" }],
    ["Ed25519", { name: "Ed25519" }],
    [
      "RSA",
      {
        name: "RSASSA-PKCS1-v1_5",
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: "SHA-256",
      },
    ],
  ])(
    "a %s public JWK becomes the PEM text OpenSSL writes",
    async (_, generate) => {
      const { jwk, pem } = await opensslPem(generate);
      expect(await publicKeyPem(jwk)).toBe(pem);
    },
  );

  test("without WebCrypto, P-256 still becomes PEM; RSA cannot", async () => {
    const ec = await opensslPem({ name: "ECDSA", namedCurve: "P-256" });
    const rsa = await opensslPem({
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    });
    vi.stubGlobal("crypto", { getRandomValues: (a) => a });
    expect(await publicKeyPem(ec.jwk)).toBe(ec.pem);
    expect(await publicKeyPem(rsa.jwk)).toBeNull();
  });

  test("algorithm confusion: an HS256 header, and an HMAC keyed with the PEM text", () => {
    const pem = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
    const forged = signedWithPublicKeyAsSecret(TOKEN, pem);
    const { header, payload, signature } = splitToken(forged);

    expect(decodeToken(forged).header).toEqual({
      alg: "HS256",
      typ: "JWT",
      kid: "20261208-0badc0de",
    });
    expect(payload).toBe(splitToken(TOKEN).payload);
    expect(signature).toBe(hs256(`${header}.${payload}`, pem));
  });

  test.each(["ES256", "EdDSA", "RS256", "HS256"])(
    "an attacker's %s key signs, and its public JWK checks the signature",
    async (alg) => {
      const key = await attackerKey(alg);
      const header = { alg, typ: "JWT", jwk: key.jwk };
      const forged = await signedWithKeyOf(key, header, TOKEN);

      expect(decodeToken(forged).header.jwk).toEqual(key.jwk);
      expect(JSON.stringify(key.jwk)).not.toMatch(/"d"|"p"|"q"/);
      if (alg === "HS256") {
        const { header: h, payload, signature } = splitToken(forged);
        const secret = Uint8Array.from(
          atob(key.jwk.k.replace(/-/g, "+").replace(/_/g, "/")),
          (c) => c.charCodeAt(0),
        );
        expect(signature).toBe(hs256(`${h}.${payload}`, secret));
      } else {
        expect((await verifyToken(forged, key.jwk, alg)).valid).toBe(true);
      }
    },
  );

  test("on plain http an ES256 key is still made (noble), an RSA key is not", async () => {
    const key = await attackerKey("ES256");
    const forged = await signedWithKeyOf(key, { alg: "ES256" }, TOKEN);
    vi.stubGlobal("crypto", { getRandomValues: (a) => a });
    expect((await verifyToken(forged, key.jwk, "ES256")).valid).toBe(true);
    expect(await attackerKey("RS256")).toBeNull();
  });

  test("a changed kid keeps the rest; the /dev/null form is an HMAC with an empty key", () => {
    const kept = withHeader(TOKEN, { kid: "../../../dev/null" });
    expect(decodeToken(kept).header).toEqual({
      alg: "ES256",
      typ: "JWT",
      kid: "../../../dev/null",
    });
    expect(splitToken(kept).signature).toBe("c2ln");

    const hsToken = `${encodePart({ alg: "HS256", typ: "JWT", kid: "k" })}.${encodePart({ sub: "1" })}.c2ln`;
    const empty = withHeaderSignedWithEmptyKey(hsToken, {
      kid: "../../../dev/null",
    });
    const { header, payload, signature } = splitToken(empty);
    expect(signature).toBe(hs256(`${header}.${payload}`, new Uint8Array(0)));
  });
});
