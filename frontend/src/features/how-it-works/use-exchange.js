// What /how-it-works shows in its examples: this browser's own login and token when someone is
// logged in, else a made-up exchange for the demo user. Every section reads the same object, so
// the page says "your token" or "the example token" consistently.
import { useRequestLog } from "../../api/request-log.js";
import { getToken } from "../../api/token-store.js";
import { decodeToken } from "../../lib/jwt.js";
import { API } from "../../lib/paths.js";

// Shown when this browser has no session. Most claims of this app's access tokens are there,
// `role` included; the header is the lesson's (HS256, no `kid`) and the signature is made up.
const EXAMPLE_TOKEN =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJmcmVzaCI6dHJ1ZSwiaWF0IjoxNzk2MjIwMDAwLCJqdGkiOiIwZjZjMWI5ZS0yZDRhLTRjOGUtOWE1Ny0zYmUxZjBkMmM0YTEiLCJ0eXBlIjoiYWNjZXNzIiwic3ViIjoiMSIsIm5iZiI6MTc5NjIyMDAwMCwiY3NyZiI6IjVkN2U5YTEwLTRiMmMtNGYxZS04YzNkLTZhOWIwZTFmMmQzYyIsImV4cCI6MTc5NjIyMDkwMCwic2lkIjoiOGMxZDJlM2YtNGE1Yi00YzZkLThlN2YtOWEwYjFjMmQzZTRmIiwicm9sZSI6InN0dWRlbnQifQ.c2lnbmF0dXJlLXg5UWs";
const EXAMPLE = {
  live: false,
  username: "demo",
  userId: 1,
  token: EXAMPLE_TOKEN,
  ...decodeToken(EXAMPLE_TOKEN),
  expiresIn: 900,
};

/**
 * The exchange the page walks through: {live, loginAt, username, userId, token, header,
 * payload, expiresIn}. `status` and `user` are the auth Context's; live only when both say
 * someone is logged in and the stored token can be read.
 */
export function useExchange({ status, user }) {
  const log = useRequestLog();
  const token = status === "authenticated" ? getToken() : null;
  const decoded = token ? decodeToken(token) : { error: "no token" };
  if (!user || decoded.error) return EXAMPLE;

  const { exp, iat } = decoded.payload;
  const login = log.find(
    (entry) =>
      entry.method === "POST" &&
      entry.path === API.token &&
      entry.status === 200,
  );
  return {
    live: true,
    loginAt: login?.at,
    username: user.username,
    userId: user.id,
    token,
    header: decoded.header,
    payload: decoded.payload,
    expiresIn:
      typeof exp === "number" && typeof iat === "number" ? exp - iat : "…",
  };
}

/** "Your token" or "The example token", as a sentence starts. */
export function whoseToken(exchange) {
  return exchange.live ? "Your token" : "The example token";
}
