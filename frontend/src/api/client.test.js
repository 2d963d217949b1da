import { http, HttpResponse } from "msw";
import { describe, expect, test, vi } from "vitest";
import { server } from "../test/server.js";
import {
  ApiError,
  client,
  onRequest,
  setUnauthorizedHandler,
} from "./client.js";

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
    });
    expect(seen[0].ms).toBeGreaterThanOrEqual(0);
    expect(seen[0].at).toBeInstanceOf(Date);
  });
});
