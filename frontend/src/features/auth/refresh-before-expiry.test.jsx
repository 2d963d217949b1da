// While someone is logged in, the access token is replaced shortly BEFORE it expires, so no page
// ever holds an expired one (the Lab's Token inspector never reads "expired" for a live session).
// The clock is a fake one, moved on by the test; the server stand-in notes when each refresh came.
import { act, screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { TOKEN_KEY } from "../../api/token-store.js";
import { decodeToken } from "../../lib/jwt.js";
import { unauthorized } from "../../test/fake-api.js";
import { accessClaims, makeJwt } from "../../test/jwt.js";
import { renderApp } from "../../test/render-app.jsx";
import { server } from "../../test/server.js";

const TTL_S = 60;

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
});
afterEach(() => {
  vi.useRealTimers();
});

/**
 * A server whose access tokens live TTL_S seconds: GET /api/protected accepts any unexpired one
 * it issued, POST /api/token/refresh issues a new one (or, with `refuse` set to [kind, msg],
 * answers 401 with them).
 * `refreshedAt` lists the (fake) time of each refresh, in seconds.
 */
function shortLivedTokens() {
  const issued = new Set();
  const refreshedAt = [];
  const api = { refreshedAt, refuse: null, issue };

  function issue() {
    const token = makeJwt(
      accessClaims({ ttl: TTL_S, jti: `jti-${issued.size}`, role: "student" }),
    );
    issued.add(token);
    return token;
  }

  server.use(
    http.get("/api/protected", ({ request }) => {
      const token = request.headers.get("Authorization")?.slice(7);
      if (!issued.has(token))
        return unauthorized("token_invalid", "Unknown token");
      if (decodeToken(token).payload.exp <= Date.now() / 1000)
        return unauthorized("token_expired", "Token has expired");
      return HttpResponse.json({ id: 1, username: "demo" });
    }),
    http.post("/api/token/refresh", () => {
      refreshedAt.push(Date.now() / 1000);
      if (api.refuse) return unauthorized(...api.refuse);
      return HttpResponse.json({ token: issue(), expires_in: TTL_S });
    }),
    http.post("/api/logout", () => HttpResponse.json({ msg: "Logged out" })),
    http.get("/api/demo", () =>
      HttpResponse.json({ enabled: false, accounts: [] }),
    ),
  );
  return api;
}

async function openLab(api) {
  const first = api.issue();
  window.localStorage.setItem(TOKEN_KEY, first);
  const rendered = renderApp("/lab");
  const inspector = await screen.findByRole("region", {
    name: "Token inspector",
  });
  return { first, inspector, ...rendered };
}

/** Move the clock on one second at a time, as the inspector's countdown does. */
async function secondsPass(seconds, eachSecond = () => {}) {
  for (let i = 0; i < seconds; i += 1) {
    await act(() => vi.advanceTimersByTimeAsync(1000));
    eachSecond();
  }
}

describe("the access token is replaced before it expires", () => {
  test("the inspector never reads 'expired': each token is refreshed before its exp", async () => {
    const api = shortLivedTokens();
    const { first, inspector } = await openLab(api);
    const firstExp = decodeToken(first).payload.exp;
    const timer = () => within(inspector).getByRole("timer");

    // Two lifetimes of a token, watched second by second.
    await secondsPass(2 * TTL_S, () =>
      expect(timer()).toHaveTextContent(/This token expires in \d+:\d\d/),
    );

    expect(api.refreshedAt.length).toBeGreaterThanOrEqual(2);
    // The first refresh came before the first token's exp, not after a 401.
    expect(api.refreshedAt[0]).toBeLessThan(firstExp);
    const stored = window.localStorage.getItem(TOKEN_KEY);
    expect(stored).not.toBe(first);
    expect(decodeToken(stored).payload.exp).toBeGreaterThan(Date.now() / 1000);
  }, 60_000); // two minutes of page time, one render a second: slow on a busy machine

  test("a session past its absolute lifetime: the refresh is refused, /login says why", async () => {
    const api = shortLivedTokens();
    const { location } = await openLab(api);
    api.refuse = ["session_over", "Your session is over: please log in again"];

    await secondsPass(TTL_S);

    await waitFor(() => expect(location()).toBe("/login"));
    expect(screen.getByRole("alert")).toHaveTextContent(
      /^Your session is over: please log in again$/,
    );
    expect(window.localStorage.getItem(TOKEN_KEY)).toBeNull();
  });

  test("after Log out, nothing is refreshed", async () => {
    const api = shortLivedTokens();
    const { user } = await openLab(api);

    await user.click(screen.getByRole("button", { name: "Log out" }));
    await screen.findByRole("button", { name: "Log in" });
    await secondsPass(2 * TTL_S);

    expect(api.refreshedAt).toEqual([]);
  });
});
