import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { clearRequestLog } from "../api/request-log.js";
import { server } from "./server.js";

// A request no test expected is a bug in the test or the app: fail loudly.
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  // globals are off, so Testing Library cannot register its own cleanup: do it here.
  cleanup();
  server.resetHandlers();
  window.localStorage.clear();
});
// The app records every call from the start; each test starts with an empty log.
beforeEach(() => clearRequestLog());
afterAll(() => server.close());
