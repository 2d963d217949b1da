import { http, HttpResponse } from "msw";
import { afterEach, describe, expect, test, vi } from "vitest";
import { unauthorized } from "../test/fake-api.js";
import { server } from "../test/server.js";
import { accessClaims, makeJwt } from "../test/jwt.js";
import {
  client,
  keepTokenFresh,
  msUntilRefresh,
  refreshNow,
  setUnauthorizedHandler,
} from "./client.js";
import { ApiError } from "./http.js";
import { getRequestLog } from "./request-log.js";
import { TOKEN_KEY } from "./token-store.js";

/**
 * Run `call` with a spy as the unauthorized handler (what the auth provider registers); return
 * the error it threw and the spy, to see whether the session was ended.
 */
async function failure(call) {
  const handler = vi.fn();
  const unregister = setUnauthorizedHandler(handler);
  try {
    await call();
  } catch (error) {
    return { error, handler };
  } finally {
    unregister();
  }
  throw new Error("the call succeeded");
}

describe("client", () => {
  test("sends the stored token as a Bearer Authorization header", async () => {
    window.localStorage.setItem(TOKEN_KEY, "abc.def.ghi");
    let seen;
    server.use(
      http.get("/api/protected", ({ request }) => {
        seen = request.headers.get("Authorization");
        return HttpResponse.json({ id: 1, username: "demo" });
      }),
    );

    const data = await client("/api/protected");

    expect(seen).toBe("Bearer abc.def.ghi");
    expect(data).toEqual({ id: 1, username: "demo" });
  });

  test("sends no Authorization header when no token is stored", async () => {
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

  test("token: null sends no Authorization header, even with a token stored", async () => {
    window.localStorage.setItem(TOKEN_KEY, "abc.def.ghi");
    let seen = "not called";
    server.use(
      http.post("/api/token", ({ request }) => {
        seen = request.headers.get("Authorization");
        return HttpResponse.json({ token: "t", user_id: 1, expires_in: 900 });
      }),
    );

    await client("/api/token", { body: {}, token: null });

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

  test("a non-2xx answer throws an ApiError with the server's msg, kind and field errors", async () => {
    server.use(
      http.post("/api/signup", () =>
        HttpResponse.json(
          {
            msg: "Invalid signup",
            error: "validation_failed",
            errors: { password: "Too short" },
          },
          { status: 400 },
        ),
      ),
    );

    const error = await client("/api/signup", { body: {} }).catch((e) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.msg).toBe("Invalid signup");
    expect(error.kind).toBe("validation_failed");
    expect(error.errors).toEqual({ password: "Too short" });
  });

  test("an answer that names no kind (a proxy's error page) has kind null and its status", async () => {
    server.use(
      http.get("/api/health", () =>
        HttpResponse.text("<h1>Bad Gateway</h1>", { status: 502 }),
      ),
    );

    const error = await client("/api/health").catch((e) => e);

    expect(error.status).toBe(502);
    expect(error.kind).toBeNull();
    expect(error.msg).toBe("Request failed with status 502");
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

  test("a 401 for the stored token calls the unauthorized handler", async () => {
    window.localStorage.setItem(TOKEN_KEY, "forged");
    server.use(
      http.get("/api/protected", () =>
        unauthorized("token_invalid", "Signature verification failed"),
      ),
    );
    const { error, handler } = await failure(() => client("/api/protected"));

    expect(error.status).toBe(401);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler.mock.calls[0][0]).toMatchObject({
      kind: "token_invalid",
      msg: "Signature verification failed",
    });
  });

  test("a 401 without a token (a failed login) does not call the handler", async () => {
    window.localStorage.setItem(TOKEN_KEY, "kept-after-a-network-error");
    server.use(
      http.post("/api/token", () =>
        unauthorized("bad_credentials", "Bad username or password"),
      ),
    );
    const { error, handler } = await failure(() =>
      client("/api/token", {
        body: { username: "x", password: "y" },
        token: null,
      }),
    );

    expect(error.msg).toBe("Bad username or password");
    expect(handler).not.toHaveBeenCalled();
  });

  test("records every call in the request log", async () => {
    window.localStorage.setItem(TOKEN_KEY, "t");
    server.use(
      http.get("/api/protected", () =>
        HttpResponse.json({ msg: "Nope" }, { status: 401 }),
      ),
    );

    await client("/api/protected").catch(() => {});

    const log = getRequestLog();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      method: "GET",
      path: "/api/protected",
      status: 401,
      sentAuth: true,
      token: "t",
    });
    expect(log[0].ms).toBeGreaterThanOrEqual(0);
    expect(log[0].at).toBeInstanceOf(Date);
  });
});

// --- refreshing an expired access token ----------------------------------------------------------

const expired = () => unauthorized("token_expired", "Token has expired");

/**
 * A protected route that accepts only `Bearer <valid>` and answers anything else with `refusal()`
 * (a 401 "expired"), noting each Authorization header in `calls`.
 */
function protectedAccepting(valid, calls = [], refusal = expired) {
  return http.get("/api/protected", ({ request }) => {
    const header = request.headers.get("Authorization");
    calls.push(header);
    if (header === `Bearer ${valid}`)
      return HttpResponse.json({ id: 1, username: "demo" });
    return refusal();
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
    const data = await client("/api/protected");

    expect(data).toEqual({ id: 1, username: "demo" });
    expect(calls).toEqual(["Bearer old", "Bearer new"]);
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0].headers.get("X-CSRF-TOKEN")).toBe("csrf-value");
    // The refresh cookie only travels with credentials, also cross-origin (make dev).
    expect(refreshes[0].credentials).toBe("include");
    expect(window.localStorage.getItem(TOKEN_KEY)).toBe("new");
    // The request log shows the whole story, newest first: refused, refreshed, retried.
    expect(
      getRequestLog().map(({ method, path, status, isRetry }) => [
        method,
        path,
        status,
        isRetry,
      ]),
    ).toEqual([
      ["GET", "/api/protected", 200, true],
      ["POST", "/api/token/refresh", 200, false],
      ["GET", "/api/protected", 401, false],
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
      client("/api/protected"),
      client("/api/protected"),
    ]);

    expect(results).toEqual([
      { id: 1, username: "demo" },
      { id: 1, username: "demo" },
    ]);
    expect(refusals).toBe(2);
    expect(refreshes).toHaveLength(1);
  });

  test("a token already replaced (by another request or tab) is used without refreshing", async () => {
    window.localStorage.setItem(TOKEN_KEY, "old");
    const calls = [];
    const refreshes = [];
    server.use(
      http.get("/api/protected", ({ request }) => {
        const header = request.headers.get("Authorization");
        calls.push(header);
        if (header === "Bearer newer")
          return HttpResponse.json({ id: 1, username: "demo" });
        // We sent "old"; by the time its 401 arrives, another tab has stored a newer token.
        window.localStorage.setItem(TOKEN_KEY, "newer");
        return expired();
      }),
      refreshGiving("x", refreshes),
    );

    const data = await client("/api/protected");

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
    const { error, handler } = await failure(() => client("/api/protected"));

    expect(error.status).toBe(401);
    expect(error.msg).toBe("Token has expired");
    expect(calls).toEqual(["Bearer old", "Bearer new"]);
    expect(refreshes).toHaveLength(1);
    expect(handler).toHaveBeenCalledTimes(1); // the session ends, once
  });

  test("a refused refresh ends the session with the refresh's kind, and no retry", async () => {
    window.localStorage.setItem(TOKEN_KEY, "old");
    const calls = [];
    server.use(
      protectedAccepting("new", calls),
      http.post("/api/token/refresh", () =>
        unauthorized("session_over", "Your session is over"),
      ),
    );
    const { error, handler } = await failure(() => client("/api/protected"));

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 401,
      kind: "session_over",
      refreshRefused: true,
    });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler.mock.calls[0][0]).toBe(error);
    expect(calls).toEqual(["Bearer old"]);
  });

  test("a refresh the server cannot give now (503) keeps the session and the token", async () => {
    window.localStorage.setItem(TOKEN_KEY, "old");
    server.use(
      protectedAccepting("new"),
      http.post("/api/token/refresh", () =>
        HttpResponse.json(
          { msg: "Busy", error: "server_busy" },
          { status: 503, headers: { "Retry-After": "2" } },
        ),
      ),
    );
    const { error, handler } = await failure(() => client("/api/protected"));

    expect(error).toMatchObject({ status: 503, refreshRefused: false });
    expect(handler).not.toHaveBeenCalled();
    expect(window.localStorage.getItem(TOKEN_KEY)).toBe("old");
  });

  test("an unreachable refresh endpoint keeps the session and says the server is down", async () => {
    window.localStorage.setItem(TOKEN_KEY, "old");
    server.use(
      protectedAccepting("new"),
      http.post("/api/token/refresh", () => HttpResponse.error()),
    );
    const { error, handler } = await failure(() => client("/api/protected"));

    expect(error.status).toBe(0);
    expect(handler).not.toHaveBeenCalled();
    expect(window.localStorage.getItem(TOKEN_KEY)).toBe("old");
  });

  test("other 401s (revoked, tampered) end the session without trying a refresh", async () => {
    window.localStorage.setItem(TOKEN_KEY, "old");
    const refreshes = [];
    server.use(
      http.get("/api/protected", () =>
        unauthorized("token_revoked", "Token has been revoked"),
      ),
      refreshGiving("new", refreshes),
    );
    const { error, handler } = await failure(() => client("/api/protected"));

    expect(error.msg).toBe("Token has been revoked");
    expect(handler).toHaveBeenCalledTimes(1);
    expect(refreshes).toHaveLength(0);
  });

  // The kind decides, never the words: the server may reword any `msg`.
  test("a reworded msg with the kind token_expired still refreshes and retries", async () => {
    window.localStorage.setItem(TOKEN_KEY, "old");
    const calls = [];
    const refreshes = [];
    server.use(
      protectedAccepting("new", calls, () =>
        unauthorized("token_expired", "Your pass ran out a moment ago"),
      ),
      refreshGiving("new", refreshes),
    );

    const data = await client("/api/protected");

    expect(data).toEqual({ id: 1, username: "demo" });
    expect(calls).toEqual(["Bearer old", "Bearer new"]);
    expect(refreshes).toHaveLength(1);
  });

  test.each([
    ["token_invalid", "Token has expired"],
    [undefined, "Token has expired"],
  ])(
    "a 401 of kind %s that reads 'Token has expired' ends the session without a refresh",
    async (kind, msg) => {
      window.localStorage.setItem(TOKEN_KEY, "old");
      const refreshes = [];
      server.use(
        http.get("/api/protected", () =>
          HttpResponse.json({ msg, error: kind }, { status: 401 }),
        ),
        refreshGiving("new", refreshes),
      );
      const { error, handler } = await failure(() => client("/api/protected"));

      expect(error.status).toBe(401);
      expect(handler).toHaveBeenCalledTimes(1);
      expect(refreshes).toHaveLength(0);
    },
  );

  test("a token given on purpose is sent as it is: no refresh, the session stays", async () => {
    window.localStorage.setItem(TOKEN_KEY, "mine");
    const calls = [];
    const refreshes = [];
    server.use(
      protectedAccepting("mine", calls),
      refreshGiving("new", refreshes),
    );
    const { error, handler } = await failure(() =>
      client("/api/protected", {
        token: "a-specimen",
      }),
    );

    expect(error.msg).toBe("Token has expired");
    expect(calls).toEqual(["Bearer a-specimen"]);
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
        unauthorized("token_revoked", "Token has been revoked"),
      ),
    );
    const { error, handler } = await failure(refreshNow);

    expect(error).toMatchObject({
      kind: "token_revoked",
      refreshRefused: true,
    });
    expect(handler).toHaveBeenCalledTimes(1);
  });

  test("an unreachable server keeps the session and the token", async () => {
    window.localStorage.setItem(TOKEN_KEY, "current");
    server.use(http.post("/api/token/refresh", () => HttpResponse.error()));
    const { error, handler } = await failure(refreshNow);

    expect(error.status).toBe(0);
    expect(handler).not.toHaveBeenCalled();
    expect(window.localStorage.getItem(TOKEN_KEY)).toBe("current");
  });
});

describe("keepTokenFresh (while someone is logged in)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test("a token is due 10 seconds before its exp, a short one a quarter of its life before", () => {
    const now = 1_800_000_000_000;
    const at = (ttl) => makeJwt({ iat: now / 1000, exp: now / 1000 + ttl });

    expect(msUntilRefresh(at(900), now)).toBe(890_000);
    expect(msUntilRefresh(at(3), now)).toBe(2_250);
    expect(msUntilRefresh("not-a-jwt", now)).toBeNull();
  });

  test("a browser clock ahead of the server's gets one refresh, not a loop", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    // Every token the server hands out has expired already by this browser's clock.
    const stale = () => makeJwt(accessClaims({ ttl: -60 }));
    window.localStorage.setItem(TOKEN_KEY, stale());
    const refreshes = [];
    server.use(
      http.post("/api/token/refresh", ({ request }) => {
        refreshes.push(request);
        return HttpResponse.json({ token: stale(), expires_in: 900 });
      }),
    );

    const stop = keepTokenFresh();
    await vi.advanceTimersByTimeAsync(60_000);
    stop();

    expect(refreshes).toHaveLength(1);
  });

  test("an unreachable server is tried again a few seconds later", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    window.localStorage.setItem(TOKEN_KEY, makeJwt(accessClaims({ ttl: 5 })));
    let answer = () => HttpResponse.error();
    const refreshes = [];
    server.use(
      http.post("/api/token/refresh", () => {
        refreshes.push(Date.now());
        return answer();
      }),
    );

    const stop = keepTokenFresh();
    await vi.advanceTimersByTimeAsync(4_000);
    expect(refreshes).toHaveLength(1);
    const next = makeJwt(accessClaims({ ttl: 900 }));
    answer = () => HttpResponse.json({ token: next, expires_in: 900 });
    await vi.advanceTimersByTimeAsync(6_000);
    stop();

    expect(refreshes).toHaveLength(2);
    expect(window.localStorage.getItem(TOKEN_KEY)).toBe(next);
  });
});
