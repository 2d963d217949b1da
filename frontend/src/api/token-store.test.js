import { describe, expect, test, vi } from "vitest";
import { clearToken, getToken, setToken, subscribe } from "./token-store.js";

// What the browser delivers in THIS tab when another tab changes localStorage.
function storageEventFromAnotherTab(init) {
  window.dispatchEvent(
    new StorageEvent("storage", {
      storageArea: window.localStorage,
      ...init,
    }),
  );
}

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

  test("subscribe hears another tab store, replace or remove the token", () => {
    const listener = vi.fn();
    const unsubscribe = subscribe(listener);

    storageEventFromAnotherTab({ key: "jwt-token", newValue: "a" });
    storageEventFromAnotherTab({
      key: "jwt-token",
      oldValue: "a",
      newValue: "b",
    });
    storageEventFromAnotherTab({
      key: "jwt-token",
      oldValue: "b",
      newValue: null,
    });
    storageEventFromAnotherTab({ key: null }); // localStorage.clear() over there
    storageEventFromAnotherTab({ key: "some-other-key", newValue: "x" });
    unsubscribe();
    storageEventFromAnotherTab({ key: "jwt-token", newValue: "c" });

    expect(listener.mock.calls).toEqual([["a"], ["b"], [null], [null]]);
  });
});
