import { http, HttpResponse } from "msw";
import { afterEach, describe, expect, test, vi } from "vitest";
import { server } from "../test/server.js";
import {
  ApiError,
  client,
  onRequest,
  refreshNow,
  setUnauthorizedHandler,
} from "./client.js";
import { TOKEN_KEY } from "./token-store.js";

describe("client", () => {
  test("sends the token as a Bearer Authorization header", async () => {
    let seen;
    server.use(
      http.get("/api/protected", ({ request }) => {
        seen = request.headers.get("Authorization");
        return HttpResponse.json({ id: 1, username: "demo" });
      }),
    );

    const data = await client("/api/protected", { token: "abc.def.ghi" });

    expect(seen).toBe("Bearer abc.def.ghi");
    expect(data).toEqual({ id: 1, username: "demo" });
  });

  test("sends no Authorization header without a token", async () => {
    let seen = "not called";
    server.use(
      http.get("/api/demo", ({ request }) => {
        seen = request.headers.get("Authorization");
        return HttpResponse.json({ enabled: false, accounts: [] });
      }),
    );

    await client("/api/demo");

    expect(seen).toBeNull();
  });

  test("posts the body as JSON", async () => {
    let contentType;
    let received;
    server.use(
      http.post("/api/token", async ({ request }) => {
        contentType = request.headers.get("Content-Type");
        received = await request.json();
        return HttpResponse.json({ token: "t", user_id: 1, expires_in: 900 });
      }),
    );

    await client("/api/token", {
      body: { username: "demo", password: "demo1234" },
    });

    expect(contentType).toBe("application/json");
    expect(received).toEqual({ username: "demo", password: "demo1234" });
  });

  test("a non-2xx answer throws an ApiError with the server's msg and field errors", async () => {
    server.use(
      http.post("/api/signup", () =>
        HttpResponse.json(
          { msg: "Invalid signup", errors: { password: "Too short" } },
          { status: 400 },
        ),
      ),
    );

    const error = await client("/api/signup", { body: {} }).catch((e) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.msg).toBe("Invalid signup");
    expect(error.errors).toEqual({ password: "Too short" });
  });

  test("a failed fetch becomes status 0 with a message a person can act on", async () => {
    server.use(http.get("/api/health", () => HttpResponse.error()));

    const error = await client("/api/health").catch((e) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(0);
    expect(error.msg).toBe(
      "Cannot reach the server. Check that the API is running.",
    );
  });

  test("a 401 for a token we sent calls the unauthorized handler", async () => {
    server.use(
      http.get("/api/protected", () =>
        HttpResponse.json({ msg: "Token has expired" }, { status: 401 }),
      ),
    );
    const handler = vi.fn();
    const unregister = setUnauthorizedHandler(handler);

    const error = await client("/api/protected", { token: "old" }).catch(
      (e) => e,
    );
    unregister();

    expect(error.status).toBe(401);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler.mock.calls[0][0].msg).toBe("Token has expired");
  });

  test("a 401 without a token (a failed login) does not call the handler", async () => {
    server.use(
      http.post("/api/token", () =>
        HttpResponse.json({ msg: "Bad username or password" }, { status: 401 }),
      ),
    );
    const handler = vi.fn();
    const unregister = setUnauthorizedHandler(handler);

    const error = await client("/api/token", {
      body: { username: "x", password: "y" },
    }).catch((e) => e);
    unregister();

    expect(error.msg).toBe("Bad username or password");
    expect(handler).not.toHaveBeenCalled();
  });

  test("reports every call to request listeners", async () => {
    server.use(
      http.get("/api/protected", () =>
        HttpResponse.json({ msg: "Nope" }, { status: 401 }),
      ),
    );
    const seen = [];
    const unsubscribe = onRequest((entry) => seen.push(entry));

    await client("/api/protected", { token: "t" }).catch(() => {});
    unsubscribe();
    await client("/api/protected", { token: "t" }).catch(() => {});

    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      method: "GET",
      path: "/api/protected",
      status: 401,
      sentAuth: true,
      token: "t",
    });
    expect(seen[0].ms).toBeGreaterThanOrEqual(0);
    expect(seen[0].at).toBeInstanceOf(Date);
  });
});

// --- refreshing an expired access token ----------------------------------------------------------

const expired = () =>
  HttpResponse.json(
    { msg: "Token has expired" },
    { status: 401, headers: { "WWW-Authenticate": "Bearer" } },
  );

/** A protected route that accepts only `Bearer <valid>` and says "expired" to anything else. */
function protectedAccepting(valid, calls = []) {
  return http.get("/api/protected", ({ request }) => {
    const header = request.headers.get("Authorization");
    calls.push(header);
    if (header === `Bearer ${valid}`)
      return HttpResponse.json({ id: 1, username: "demo" });
    return expired();
  });
}

/** A refresh endpoint that hands out `token` (or the given response) and counts its calls. */
function refreshGiving(token, seen = []) {
  return http.post("/api/token/refresh", ({ request }) => {
    seen.push(request);
    return HttpResponse.json({ token, expires_in: 900 });
  });
}

describe("client, when the access token has expired", () => {
  afterEach(() => {
    // The CSRF cookie some tests set: expire it so the next test starts without one.
    document.cookie = "csrf_refresh_token=; max-age=0; path=/";
  });

  test("refreshes once with the CSRF header, stores the new token and retries with it", async () => {
    window.localStorage.setItem(TOKEN_KEY, "old");
    document.cookie = "csrf_refresh_token=csrf-value; path=/";
    const calls = [];
    const refreshes = [];
    server.use(
      protectedAccepting("new", calls),
      refreshGiving("new", refreshes),
    );
    const log = [];
    const unsubscribe = onRequest((entry) => log.push(entry));

    const data = await client("/api/protected", { token: "old" });
    unsubscribe();

    expect(data).toEqual({ id: 1, username: "demo" });
    expect(calls).toEqual(["Bearer old", "Bearer new"]);
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0].headers.get("X-CSRF-TOKEN")).toBe("csrf-value");
    // The refresh cookie only travels with credentials, also cross-origin (make dev).
    expect(refreshes[0].credentials).toBe("include");
    expect(window.localStorage.getItem(TOKEN_KEY)).toBe("new");
    // The request log shows the whole story: refused, refreshed, retried.
    expect(
      log.map(({ method, path, status, retry }) => [
        method,
        path,
        status,
        retry,
      ]),
    ).toEqual([
      ["GET", "/api/protected", 401, false],
      ["POST", "/api/token/refresh", 200, false],
      ["GET", "/api/protected", 200, true],
    ]);
  });

  test("two requests failing at once share ONE refresh", async () => {
    window.localStorage.setItem(TOKEN_KEY, "old");
    let refusals = 0;
    let bothRefused;
    const bothRefusedYet = new Promise((resolve) => (bothRefused = resolve));
    const refreshes = [];
    server.use(
      http.get("/api/protected", ({ request }) => {
        if (request.headers.get("Authorization") === "Bearer new")
          return HttpResponse.json({ id: 1, username: "demo" });
        refusals += 1;
        if (refusals === 2) bothRefused();
        return expired();
      }),
      // The refresh answers only once BOTH requests have been refused, so the second 401
      // certainly arrives while the first refresh is still in flight.
      http.post("/api/token/refresh", async ({ request }) => {
        refreshes.push(request);
        await bothRefusedYet;
        return HttpResponse.json({ token: "new", expires_in: 900 });
      }),
    );

    const results = await Promise.all([
      client("/api/protected", { token: "old" }),
      client("/api/protected", { token: "old" }),
    ]);

    expect(results).toEqual([
      { id: 1, username: "demo" },
      { id: 1, username: "demo" },
    ]);
    expect(refusals).toBe(2);
    expect(refreshes).toHaveLength(1);
  });

  test("a token already replaced (by another request or tab) is used without refreshing", async () => {
    // We sent "old"; by the time its 401 arrives, a newer token is stored.
    window.localStorage.setItem(TOKEN_KEY, "newer");
    const calls = [];
    const refreshes = [];
    server.use(
      protectedAccepting("newer", calls),
      refreshGiving("x", refreshes),
    );

    const data = await client("/api/protected", { token: "old" });

    expect(data).toEqual({ id: 1, username: "demo" });
    expect(calls).toEqual(["Bearer old", "Bearer newer"]);
    expect(refreshes).toHaveLength(0);
  });

  test("a server that keeps saying 'expired' gets one refresh and one retry, no loop", async () => {
    window.localStorage.setItem(TOKEN_KEY, "old");
    const calls = [];
    const refreshes = [];
    // Even the fresh token is refused (say, the server's clock is far ahead).
    server.use(
      protectedAccepting("never", calls),
      refreshGiving("new", refreshes),
    );
    const handler = vi.fn();
    const unregister = setUnauthorizedHandler(handler);

    const error = await client("/api/protected", { token: "old" }).catch(
      (e) => e,
    );
    unregister();

    expect(error.status).toBe(401);
    expect(error.msg).toBe("Token has expired");
    expect(calls).toEqual(["Bearer old", "Bearer new"]);
    expect(refreshes).toHaveLength(1);
    expect(handler).toHaveBeenCalledTimes(1); // the session ends, once
  });

  test("a refused refresh ends the session with the expiry notice and no retry", async () => {
    window.localStorage.setItem(TOKEN_KEY, "old");
    const calls = [];
    server.use(
      protectedAccepting("new", calls),
      http.post("/api/token/refresh", () =>
        HttpResponse.json({ msg: "Token has expired" }, { status: 401 }),
      ),
    );
    const handler = vi.fn();
    const unregister = setUnauthorizedHandler(handler);

    const error = await client("/api/protected", { token: "old" }).catch(
      (e) => e,
    );
    unregister();

    expect(error).toBeInstanceOf(ApiError);
    expect(error.msg).toBe("Your session expired, please log in again");
    expect(error.sessionExpired).toBe(true);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler.mock.calls[0][0].msg).toBe(
      "Your session expired, please log in again",
    );
    expect(calls).toEqual(["Bearer old"]);
  });

  test("an unreachable refresh endpoint keeps the session and says the server is down", async () => {
    window.localStorage.setItem(TOKEN_KEY, "old");
    server.use(
      protectedAccepting("new"),
      http.post("/api/token/refresh", () => HttpResponse.error()),
    );
    const handler = vi.fn();
    const unregister = setUnauthorizedHandler(handler);

    const error = await client("/api/protected", { token: "old" }).catch(
      (e) => e,
    );
    unregister();

    expect(error.status).toBe(0);
    expect(handler).not.toHaveBeenCalled();
    expect(window.localStorage.getItem(TOKEN_KEY)).toBe("old");
  });

  test("other 401s (revoked, tampered) end the session without trying a refresh", async () => {
    window.localStorage.setItem(TOKEN_KEY, "old");
    const refreshes = [];
    server.use(
      http.get("/api/protected", () =>
        HttpResponse.json({ msg: "Token has been revoked" }, { status: 401 }),
      ),
      refreshGiving("new", refreshes),
    );
    const handler = vi.fn();
    const unregister = setUnauthorizedHandler(handler);

    const error = await client("/api/protected", { token: "old" }).catch(
      (e) => e,
    );
    unregister();

    expect(error.msg).toBe("Token has been revoked");
    expect(handler).toHaveBeenCalledTimes(1);
    expect(refreshes).toHaveLength(0);
  });

  test("session: false sends a token as it is: no refresh, the session stays", async () => {
    window.localStorage.setItem(TOKEN_KEY, "mine");
    const refreshes = [];
    server.use(protectedAccepting("mine"), refreshGiving("new", refreshes));
    const handler = vi.fn();
    const unregister = setUnauthorizedHandler(handler);

    const error = await client("/api/protected", {
      token: "a-specimen",
      session: false,
    }).catch((e) => e);
    unregister();

    expect(error.msg).toBe("Token has expired");
    expect(refreshes).toHaveLength(0);
    expect(handler).not.toHaveBeenCalled();
    expect(window.localStorage.getItem(TOKEN_KEY)).toBe("mine");
  });
});

describe("refreshNow (the lab's button)", () => {
  afterEach(() => {
    document.cookie = "csrf_refresh_token=; max-age=0; path=/";
  });

  test("trades the refresh cookie for a new token, stores and returns it", async () => {
    window.localStorage.setItem(TOKEN_KEY, "current");
    document.cookie = "csrf_refresh_token=csrf-value; path=/";
    const refreshes = [];
    server.use(refreshGiving("next", refreshes));

    expect(await refreshNow()).toBe("next");
    expect(window.localStorage.getItem(TOKEN_KEY)).toBe("next");
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0].headers.get("X-CSRF-TOKEN")).toBe("csrf-value");
  });

  test("a refused refresh ends the session, as for an expired token", async () => {
    window.localStorage.setItem(TOKEN_KEY, "current");
    server.use(
      http.post("/api/token/refresh", () =>
        HttpResponse.json({ msg: "Token has been revoked" }, { status: 401 }),
      ),
    );
    const handler = vi.fn();
    const unregister = setUnauthorizedHandler(handler);

    const error = await refreshNow().catch((e) => e);
    unregister();

    expect(error.msg).toBe("Your session expired, please log in again");
    expect(handler).toHaveBeenCalledTimes(1);
  });

  test("an unreachable server keeps the session and the token", async () => {
    window.localStorage.setItem(TOKEN_KEY, "current");
    server.use(http.post("/api/token/refresh", () => HttpResponse.error()));
    const handler = vi.fn();
    const unregister = setUnauthorizedHandler(handler);

    const error = await refreshNow().catch((e) => e);
    unregister();

    expect(error.status).toBe(0);
    expect(handler).not.toHaveBeenCalled();
    expect(window.localStorage.getItem(TOKEN_KEY)).toBe("current");
  });
});
