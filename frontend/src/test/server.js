// The network edge for unit tests: msw answers fetch calls, so the app code runs unchanged
// (real fetch, real JSON, real status codes) without a backend.
import { setupServer } from "msw/node";

export const server = setupServer();
