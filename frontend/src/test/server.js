// The network edge for unit tests: msw answers fetch calls, so the app code runs unchanged
// (real fetch, real JSON, real status codes) without a backend.
import { setupServer } from "msw/node";
import { fakeSharedSecret } from "./fake-keys.js";

// Every page of the lab asks for the server's keys (the JWKS and GET /api/keys): unless a test
// says otherwise, the answer is an HS256 server's, which publishes no key.
export const server = setupServer(...fakeSharedSecret());

/**
 * A request the test answers when it chooses, to see the page while it waits:
 * `const request = held(); server.use(http.post(path, request.resolver));`, later
 * `request.answer(HttpResponse.json(...))`.
 */
export function held() {
  let answer;
  const response = new Promise((resolve) => (answer = resolve));
  return { resolver: () => response, answer };
}
