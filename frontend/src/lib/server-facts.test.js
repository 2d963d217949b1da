import { describe, expect, test } from "vitest";
import {
  forbiddenRoutes,
  libraryAnswer,
  libraryStatuses,
} from "./server-facts.js";

describe("server facts, as the pages say them", () => {
  test("one library answer: status and message", () => {
    expect(libraryAnswer("missing")).toBe('401 "Missing Authorization Header"');
    expect(libraryAnswer("integer-sub")).toBe('422 "Subject must be a string"');
    // A page asking for an answer nobody checked fails loudly, not with "undefined".
    expect(() => libraryAnswer("teleported")).toThrow(/teleported/);
  });

  test("every library answer in one sentence, grouped by status", () => {
    expect(libraryStatuses()).toBe(
      "401 for no token, an expired token or a revoked token; 422 for an edited payload, " +
        "another key's signature, alg: none, an integer sub, a refresh token or a malformed token",
    );
  });

  test("every route that answers 403, with when", () => {
    expect(forbiddenRoutes()).toBe(
      '/api/classroom/... (a genuine token whose role claim is not "teacher") and ' +
        "POST /api/password (a demo account in demo mode, whose password the class shares)",
    );
  });
});
