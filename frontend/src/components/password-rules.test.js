import { describe, expect, test } from "vitest";
import { passwordProblem } from "./password-rules.js";

describe("passwordProblem", () => {
  test("names what is wrong, like the API would", () => {
    expect(passwordProblem("", "Choose a password.")).toBe(
      "Choose a password.",
    );
    expect(passwordProblem("short", "x")).toBe(
      "Password must be at least 8 characters long.",
    );
    expect(passwordProblem("a".repeat(129), "x")).toBe(
      "Password must be at most 128 characters long.",
    );
    expect(passwordProblem("correct horse", "x")).toBeNull();
  });

  test("counts characters as the API does, not UTF-16 units", () => {
    // 7 emoji are 14 UTF-16 units but 7 characters: too short for the API, so too short here.
    expect(passwordProblem("🔑".repeat(7), "x")).toBe(
      "Password must be at least 8 characters long.",
    );
    expect(passwordProblem("🔑".repeat(8), "x")).toBeNull();
  });
});
