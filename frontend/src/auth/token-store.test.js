import { describe, expect, test } from "vitest";
import { clearToken, getToken, setToken } from "./token-store.js";

describe("token store", () => {
  test("has no token to begin with", () => {
    expect(getToken()).toBeNull();
  });

  test("keeps the token under the lesson's key, jwt-token", () => {
    setToken("header.payload.signature");
    expect(window.localStorage.getItem("jwt-token")).toBe(
      "header.payload.signature",
    );
    expect(getToken()).toBe("header.payload.signature");
  });

  test("clearToken forgets it", () => {
    setToken("header.payload.signature");
    clearToken();
    expect(window.localStorage.getItem("jwt-token")).toBeNull();
    expect(getToken()).toBeNull();
  });
});
