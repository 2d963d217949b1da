import { act, renderHook, screen, waitFor } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { MemoryRouter } from "react-router";
import { describe, expect, test, vi } from "vitest";
import { client } from "../../api/client.js";
import { TOKEN_KEY } from "../../api/token-store.js";
import { fakeApi, unauthorized } from "../../test/fake-api.js";
import { LocationProbe } from "../../test/render-app.jsx";
import { server } from "../../test/server.js";
import { AuthProvider, useAuth } from "./auth-provider.jsx";

function renderAuth(path = "/") {
  const wrapper = ({ children }) => (
    <MemoryRouter initialEntries={[path]}>
      <AuthProvider>{children}</AuthProvider>
      <LocationProbe />
    </MemoryRouter>
  );
  return renderHook(() => useAuth(), { wrapper });
}

describe("AuthProvider", () => {
  test("starts anonymous without a stored token", () => {
    const { result } = renderAuth();
    expect(result.current.status).toBe("anonymous");
    expect(result.current.user).toBeNull();
  });

  test("login stores the token in localStorage['jwt-token'] and exposes the user", async () => {
    server.use(...fakeApi());
    const { result } = renderAuth();

    await act(() => result.current.login("demo", "demo1234"));

    expect(window.localStorage.getItem(TOKEN_KEY)).toBe("token-1");
    expect(result.current.status).toBe("authenticated");
    expect(result.current.user).toEqual({ id: 1, username: "demo" });
  });

  test("a failed login throws the server's msg and stores nothing", async () => {
    server.use(...fakeApi());
    const { result } = renderAuth();

    await expect(
      result.current.login("demo", "wrong-password"),
    ).rejects.toMatchObject({
      status: 401,
      msg: "Bad username or password",
    });
    expect(window.localStorage.getItem(TOKEN_KEY)).toBeNull();
    expect(result.current.status).toBe("anonymous");
    expect(result.current.notice).toBeNull();
  });

  test("logout clears the token and the user and goes to /login", async () => {
    server.use(...fakeApi());
    const { result } = renderAuth("/private");
    await act(() => result.current.login("demo", "demo1234"));

    await act(() => result.current.logout());

    expect(window.localStorage.getItem(TOKEN_KEY)).toBeNull();
    expect(result.current.status).toBe("anonymous");
    expect(result.current.user).toBeNull();
    expect(screen.getByTestId("location")).toHaveTextContent("/login");
  });

  test("a stored token restores the session on mount (a reload keeps you logged in)", async () => {
    server.use(...fakeApi());
    window.localStorage.setItem(TOKEN_KEY, "token-2");

    const { result } = renderAuth();

    expect(result.current.status).toBe("loading");
    await waitFor(() => expect(result.current.status).toBe("authenticated"));
    expect(result.current.user).toEqual({ id: 2, username: "student" });
  });

  test("a stored token the server rejects ends the session and says why", async () => {
    server.use(
      http.get("/api/protected", () =>
        unauthorized("token_revoked", "Token has been revoked"),
      ),
    );
    window.localStorage.setItem(TOKEN_KEY, "revoked-token");

    const { result } = renderAuth();

    await waitFor(() => expect(result.current.status).toBe("anonymous"));
    expect(result.current.notice).toBe(
      "Your session has ended: Token has been revoked. Please log in again.",
    );
    expect(window.localStorage.getItem(TOKEN_KEY)).toBeNull();
  });

  test("an unreachable server on reload keeps the token and says why you are logged out", async () => {
    server.use(http.get("/api/protected", () => HttpResponse.error()));
    window.localStorage.setItem(TOKEN_KEY, "token-1");

    const { result } = renderAuth();

    await waitFor(() => expect(result.current.status).toBe("anonymous"));
    expect(result.current.notice).toBe(
      "Cannot reach the server. Check that the API is running.",
    );
    expect(window.localStorage.getItem(TOKEN_KEY)).toBe("token-1");
  });

  test("a 401 from any later call ends the session and sets the notice", async () => {
    server.use(...fakeApi());
    const { result } = renderAuth();
    await act(() => result.current.login("demo", "demo1234"));

    // Some page calls the API with the token; meanwhile the server stopped accepting it.
    server.use(
      http.get("/api/protected", () =>
        unauthorized("token_invalid", "Signature verification failed"),
      ),
    );
    await act(() => client("/api/protected").catch(() => {}));

    expect(result.current.status).toBe("anonymous");
    expect(result.current.user).toBeNull();
    expect(result.current.notice).toBe(
      "Your session has ended: Signature verification failed. Please log in again.",
    );
    expect(window.localStorage.getItem(TOKEN_KEY)).toBeNull();
  });

  test("a new login clears the notice", async () => {
    server.use(
      http.get("/api/protected", () =>
        unauthorized("token_revoked", "Token has been revoked"),
      ),
    );
    window.localStorage.setItem(TOKEN_KEY, "revoked-token");
    const { result } = renderAuth();
    await waitFor(() => expect(result.current.notice).not.toBeNull());

    server.resetHandlers(...fakeApi());
    await act(() => result.current.login("demo", "demo1234"));

    expect(result.current.notice).toBeNull();
    expect(result.current.status).toBe("authenticated");
  });

  test("logout tells the server with the token, then forgets it", async () => {
    const sent = [];
    server.use(
      http.post("/api/logout", ({ request }) => {
        sent.push(request.headers.get("Authorization"));
        return HttpResponse.json({ msg: "Logged out" });
      }),
      ...fakeApi(),
    );
    const { result } = renderAuth("/private");
    await act(() => result.current.login("demo", "demo1234"));

    await act(() => result.current.logout());

    expect(sent).toEqual(["Bearer token-1"]);
    expect(window.localStorage.getItem(TOKEN_KEY)).toBeNull();
    expect(result.current.status).toBe("anonymous");
  });

  test.each([
    ["unreachable", () => HttpResponse.error()],
    [
      "answering 500",
      () => HttpResponse.json({ msg: "Internal error" }, { status: 500 }),
    ],
    [
      "refusing the token",
      () => unauthorized("token_revoked", "Token has been revoked"),
    ],
  ])(
    "logout with the server %s still logs out here, without a notice",
    async (_, answer) => {
      server.use(http.post("/api/logout", answer), ...fakeApi());
      const { result } = renderAuth("/private");
      await act(() => result.current.login("demo", "demo1234"));

      await act(() => result.current.logout());

      expect(window.localStorage.getItem(TOKEN_KEY)).toBeNull();
      expect(result.current.status).toBe("anonymous");
      expect(result.current.notice).toBeNull();
      expect(screen.getByTestId("location")).toHaveTextContent("/login");
    },
  );

  test("an expired stored token is refreshed silently on mount", async () => {
    let refreshes = 0;
    server.use(
      http.get("/api/protected", ({ request }) =>
        request.headers.get("Authorization") === "Bearer fresh"
          ? HttpResponse.json({ id: 1, username: "demo" })
          : unauthorized("token_expired", "Token has expired"),
      ),
      http.post("/api/token/refresh", () => {
        refreshes += 1;
        return HttpResponse.json({ token: "fresh", expires_in: 900 });
      }),
    );
    window.localStorage.setItem(TOKEN_KEY, "expired-token");

    const { result } = renderAuth();

    await waitFor(() => expect(result.current.status).toBe("authenticated"));
    expect(result.current.user).toEqual({ id: 1, username: "demo" });
    expect(result.current.notice).toBeNull();
    expect(window.localStorage.getItem(TOKEN_KEY)).toBe("fresh");
    expect(refreshes).toBe(1);
  });

  test("another tab logging out logs this one out too, and says so", async () => {
    server.use(...fakeApi());
    const { result } = renderAuth("/private");
    await act(() => result.current.login("demo", "demo1234"));

    // The other tab removed the token; the browser tells this tab with a `storage` event.
    act(() => {
      window.localStorage.removeItem(TOKEN_KEY);
      window.dispatchEvent(
        new StorageEvent("storage", {
          key: TOKEN_KEY,
          oldValue: "token-1",
          newValue: null,
          storageArea: window.localStorage,
        }),
      );
    });

    expect(result.current.status).toBe("anonymous");
    expect(result.current.user).toBeNull();
    expect(result.current.notice).toBe("You were logged out in another tab.");
  });

  test("another tab logging in as someone else switches this tab to that user", async () => {
    server.use(...fakeApi());
    const { result } = renderAuth("/private");
    await act(() => result.current.login("demo", "demo1234"));

    act(() => {
      window.localStorage.setItem(TOKEN_KEY, "token-2");
      window.dispatchEvent(
        new StorageEvent("storage", {
          key: TOKEN_KEY,
          oldValue: "token-1",
          newValue: "token-2",
          storageArea: window.localStorage,
        }),
      );
    });

    await waitFor(() =>
      expect(result.current.user).toEqual({ id: 2, username: "student" }),
    );
    expect(result.current.status).toBe("authenticated");
  });

  test("changePassword stores the new token the server hands out", async () => {
    server.use(...fakeApi());
    const { result } = renderAuth("/private");
    await act(() => result.current.login("demo", "demo1234"));

    await act(() => result.current.changePassword("demo1234", "a-new-secret"));

    const stored = window.localStorage.getItem(TOKEN_KEY);
    expect(stored).not.toBe("token-1");
    // The new token works; the old one was revoked by the change.
    await expect(client("/api/protected")).resolves.toEqual({
      id: 1,
      username: "demo",
    });
    expect(result.current.status).toBe("authenticated");
  });

  test("useAuth outside <AuthProvider> throws a helpful error", () => {
    // React reports the thrown error on the console too; keep the test output clean.
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect(() => renderHook(() => useAuth())).toThrow(
      "useAuth must be used inside <AuthProvider>",
    );
  });
});
