// Its own module, free of dependencies: the request log (loaded with the login page) uses it,
// and must not pull jwt-decode into the first download.

/** "eyJhbGci…x9Qk": enough of a token to recognise it, short enough for a log line. */
export function shortenToken(token) {
  if (!token) return "";
  if (token.length <= 16) return token;
  return `${token.slice(0, 8)}…${token.slice(-4)}`;
}
