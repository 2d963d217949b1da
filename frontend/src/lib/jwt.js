// Reading a JWT in the browser: split it at its two dots, decode the JSON in the first two
// parts, shorten it for display, and build new parts for the tamper lab. A JWT is three base64url
// strings joined by dots: header.payload.signature. The first two are only ENCODED (anyone can
// read them); the third is the signature the server made over "header.payload" with its key.
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { jwtDecode } from "jwt-decode";

/** The three dot-separated parts of a token, as the strings they are on the wire. */
export function splitToken(token) {
  const [header = "", payload = "", signature = ""] = String(token).split(".");
  return { header, payload, signature };
}

/** "eyJhbGci…x9Qk": enough of a token to recognise it, short enough for a log line. */
export function shortenToken(token) {
  if (!token) return "";
  if (token.length <= 16) return token;
  return `${token.slice(0, 8)}…${token.slice(-4)}`;
}

/**
 * The decoded header and payload, or {error} when the string is not a readable JWT.
 * Decoding uses jwt-decode (a well-kept library), not hand-written base64 code: reading a
 * token never needs the key, which is exactly why a JWT must not carry secrets.
 */
export function decodeToken(token) {
  try {
    return {
      header: jwtDecode(token, { header: true }),
      payload: jwtDecode(token),
    };
  } catch (error) {
    return { error: error.message };
  }
}

/** base64url (RFC 4648 section 5, no padding) of raw bytes: the alphabet JWTs use. */
export function base64UrlFromBytes(bytes) {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary)
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/**
 * One JWT part from a JSON object: JSON text -> UTF-8 bytes -> base64url. jwt-decode only
 * decodes, so the tamper lab needs this tiny encoder to write a header or payload of its own.
 */
export function encodePart(object) {
  return base64UrlFromBytes(new TextEncoder().encode(JSON.stringify(object)));
}

/**
 * The HS256 signature (HMAC-SHA256, RFC 7518 section 3.2) of the token's "header.payload" under
 * `key`, base64url-encoded. From @noble/hashes, not WebCrypto: browsers offer `crypto.subtle`
 * only on https:// or localhost, and a classroom server is often plain http on a LAN address.
 */
export function hs256Signature(token, key) {
  const { header, payload } = splitToken(token);
  const encoder = new TextEncoder();
  const mac = hmac(
    sha256,
    encoder.encode(key),
    encoder.encode(`${header}.${payload}`),
  );
  return base64UrlFromBytes(mac);
}
