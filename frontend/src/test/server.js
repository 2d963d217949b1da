// The network edge for unit tests: msw answers fetch calls, so the app code runs unchanged
// (real fetch, real JSON, real status codes) without a backend.
import { setupServer } from "msw/node";

export const server = setupServer();

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
