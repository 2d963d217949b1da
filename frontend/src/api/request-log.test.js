import { http, HttpResponse } from "msw";
import { describe, expect, test } from "vitest";
import { server } from "../test/server.js";
import { client } from "./client.js";
import {
  clearRequestLog,
  getRequestLog,
  MAX_ENTRIES,
  recordRequest,
  subscribeRequestLog,
} from "./request-log.js";
import { TOKEN_KEY } from "./token-store.js";

const TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.x9QkAbCdEfGhx9Qk";

describe("request log store", () => {
  test("records the client's calls, newest first, with the token shortened", async () => {
    server.use(
      http.post("/api/token", () =>
        HttpResponse.json({ token: TOKEN, user_id: 1, expires_in: 900 }),
      ),
      http.get("/api/protected", () =>
        HttpResponse.json({ id: 1, username: "demo" }),
      ),
    );

    const { token } = await client("/api/token", {
      body: { username: "demo", password: "x" },
      token: null,
    });
    window.localStorage.setItem(TOKEN_KEY, token);
    await client("/api/protected");

    const [newest, oldest] = getRequestLog();
    expect(newest).toMatchObject({
      method: "GET",
      path: "/api/protected",
      status: 200,
      sentAuth: true,
      token: "eyJhbGci…x9Qk",
      isUnauthorized: false,
    });
    expect(oldest).toMatchObject({
      method: "POST",
      path: "/api/token",
      sentAuth: false,
      token: null,
    });
    // The password is not in the log at all.
    expect(JSON.stringify(getRequestLog())).not.toContain('"x"');
  });

  test("flags 401s and refresh calls", async () => {
    server.use(
      http.get("/api/protected", () =>
        HttpResponse.json({ msg: "Token has expired" }, { status: 401 }),
      ),
      http.post("/api/token/refresh", () =>
        HttpResponse.json({ token: TOKEN, expires_in: 900 }),
      ),
    );

    await client("/api/protected", { token: TOKEN }).catch(() => {});
    await client("/api/token/refresh", { method: "POST" });

    const [refresh, rejected] = getRequestLog();
    expect(refresh).toMatchObject({ isRefresh: true, isUnauthorized: false });
    expect(rejected).toMatchObject({ isRefresh: false, isUnauthorized: true });
  });

  test("leaves out the calls the app repeats by itself", async () => {
    server.use(
      http.get("/api/health", () => HttpResponse.json({ status: "ok" })),
    );

    await client("/api/health", { background: true });
    expect(getRequestLog()).toHaveLength(0);

    await client("/api/health");
    expect(getRequestLog()).toHaveLength(1);
  });

  test(`keeps the newest ${MAX_ENTRIES} entries`, () => {
    for (let i = 0; i < MAX_ENTRIES + 5; i++) {
      recordRequest({
        method: "GET",
        path: `/api/n/${i}`,
        status: 200,
        ms: 1,
        at: new Date(),
      });
    }

    const log = getRequestLog();
    expect(log).toHaveLength(MAX_ENTRIES);
    expect(log[0].path).toBe(`/api/n/${MAX_ENTRIES + 4}`);
    expect(log.at(-1).path).toBe("/api/n/5");
  });

  test("clearing empties the log and tells subscribers", () => {
    recordRequest({
      method: "GET",
      path: "/api/demo",
      status: 200,
      ms: 1,
      at: new Date(),
    });
    let told = 0;
    const unsubscribe = subscribeRequestLog(() => told++);

    clearRequestLog();
    unsubscribe();

    expect(getRequestLog()).toEqual([]);
    expect(told).toBe(1);
  });
});
