import { act, screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, test } from "vitest";
import { recordRequest } from "../../api/request-log.js";
import { TOKEN_KEY } from "../../api/token-store.js";
import { decodeToken, splitToken } from "../../lib/jwt.js";
import { fakeApi, unauthorized } from "../../test/fake-api.js";
import { accessClaims, makeJwt } from "../../test/jwt.js";
import { renderApp } from "../../test/render-app.jsx";
import { server } from "../../test/server.js";

const REAL = makeJwt(accessClaims({ sub: "1", role: "student" }));
const EXPIRED = makeJwt(accessClaims({ sub: "1", ttl: -1 }), "ZXhwaXJlZA");
const REFRESH = makeJwt(
  accessClaims({ sub: "1", type: "refresh" }),
  "cmVmcmVzaA",
);
const REVOKED = makeJwt(accessClaims({ sub: "1" }), "cmV2b2tlZA");

// A stand-in for the server's checks, just precise enough to answer each experiment.
function protectedLikeTheServer({ request }) {
  const header = request.headers.get("Authorization");
  if (!header)
    return unauthorized("token_missing", "Missing Authorization Header");
  const token = header.replace(/^Bearer /, "");
  if (token === REAL) return HttpResponse.json({ id: 1, username: "demo" });
  if (token === EXPIRED)
    return unauthorized("token_expired", "Token has expired");
  if (token === REFRESH)
    return unauthorized("token_invalid", "Only non-refresh tokens are allowed");
  if (token === REVOKED)
    return unauthorized("token_revoked", "Token has been revoked");
  if (decodeToken(token).header?.alg === "none") {
    return unauthorized(
      "token_invalid",
      "The specified alg value is not allowed",
    );
  }
  return unauthorized("token_invalid", "Signature verification failed");
}

function labTokens() {
  return http.post("/api/lab/tokens", () =>
    HttpResponse.json({
      expired: EXPIRED,
      refresh: REFRESH,
      revoked: REVOKED,
      other_user_id: 2,
    }),
  );
}

// The teacher-only route: the real (student) token is known but not allowed; any edit is a
// broken signature.
function classroomLikeTheServer({ request }) {
  const token = request.headers.get("Authorization")?.replace(/^Bearer /, "");
  if (token === REAL) {
    return HttpResponse.json(
      { msg: "Only a teacher may open the classroom view" },
      { status: 403 },
    );
  }
  return unauthorized("token_invalid", "Signature verification failed");
}

async function openLab(...handlers) {
  server.use(
    ...handlers,
    http.get("/api/protected", protectedLikeTheServer),
    http.get("/api/classroom/sessions", classroomLikeTheServer),
  );
  window.localStorage.setItem(TOKEN_KEY, REAL);
  const rendered = renderApp("/lab");
  // The lab's code arrives on first use (React.lazy): on a busy machine that can take seconds.
  await screen.findByRole(
    "heading",
    { name: "Lab", level: 1 },
    { timeout: 5000 },
  );
  return rendered;
}

function experiment(name) {
  return screen.getByRole("article", { name });
}

async function runExperiment(user, title, button) {
  const article = experiment(title);
  await user.click(within(article).getByRole("button", { name: button }));
  await waitFor(() =>
    expect(within(article).queryByText("Sending...")).not.toBeInTheDocument(),
  );
  return article;
}

describe("lab page", () => {
  test("logged out, /lab sends you to /login", async () => {
    server.use(...fakeApi());
    const { location } = renderApp("/lab");
    await screen.findByRole("button", { name: "Log in" });
    expect(location()).toBe("/login");
  });

  test("has the three regions, and the inspector takes the token apart", async () => {
    await openLab(labTokens());

    for (const name of ["Token inspector", "Request log", "Tamper lab"]) {
      expect(screen.getByRole("region", { name })).toBeInTheDocument();
    }
    const inspector = screen.getByRole("region", { name: "Token inspector" });
    const { header, payload, signature } = splitToken(REAL);
    const coloured = within(inspector).getByLabelText(
      "The token, coloured by part",
    );
    expect(coloured).toHaveTextContent(`${header}.${payload}.${signature}`);
    expect(coloured.querySelector(".jwt-payload")).toHaveTextContent(payload);
    expect(
      within(inspector).getByLabelText("Decoded header"),
    ).toHaveTextContent('"alg": "HS256"');
    expect(
      within(inspector).getByLabelText("Decoded payload"),
    ).toHaveTextContent('"sub": "1"');
    expect(within(inspector).getByRole("timer")).toHaveTextContent(
      /This token expires in 1[45]:\d\d/,
    );
    const claims = within(inspector).getByRole("table", { name: "Claims" });
    const sub = within(claims).getByRole("row", { name: /^sub/ });
    expect(sub).toHaveTextContent("Subject must be a string");
  });

  test("Refresh now puts a new token in the inspector and the call in the log", async () => {
    const next = makeJwt(
      accessClaims({
        sub: "1",
        jti: "99999999-aaaa-bbbb-cccc-dddddddddddd",
        fresh: false,
      }),
      "bmV4dA",
    );
    const { user } = await openLab(
      labTokens(),
      http.post("/api/token/refresh", () =>
        HttpResponse.json({ token: next, expires_in: 900 }),
      ),
    );
    const inspector = screen.getByRole("region", { name: "Token inspector" });

    await user.click(
      within(inspector).getByRole("button", { name: "Refresh now" }),
    );

    const status = within(inspector).getByRole("status");
    await waitFor(() =>
      expect(status).toHaveTextContent(
        "New token: jti 6ddb6ab9… is now 99999999…, fresh is now false",
      ),
    );
    expect(window.localStorage.getItem(TOKEN_KEY)).toBe(next);
    // The inspector re-reads the token every second.
    await waitFor(
      () =>
        expect(
          within(inspector).getByLabelText("The token, coloured by part"),
        ).toHaveTextContent(next),
      { timeout: 2500 },
    );
    const log = screen.getByRole("region", { name: "Request log" });
    const row = within(log)
      .getAllByRole("row")
      .find((r) => r.textContent.includes("POST /api/token/refresh"));
    expect(row).toHaveTextContent("Refresh");
    expect(row).toHaveTextContent("200");
  });

  test("Refresh now with the server down says so and keeps the session", async () => {
    const { user, location } = await openLab(
      labTokens(),
      http.post("/api/token/refresh", () => HttpResponse.error()),
    );
    const inspector = screen.getByRole("region", { name: "Token inspector" });

    await user.click(
      within(inspector).getByRole("button", { name: "Refresh now" }),
    );

    expect(await within(inspector).findByRole("status")).toHaveTextContent(
      "Could not refresh: Cannot reach the server",
    );
    expect(location()).toBe("/lab");
    expect(window.localStorage.getItem(TOKEN_KEY)).toBe(REAL);
  });

  test("Refresh now refused by the server ends the session on /login", async () => {
    const { user, location } = await openLab(
      labTokens(),
      // /login asks whether to list the demo accounts.
      http.get("/api/demo", () =>
        HttpResponse.json({ enabled: false, accounts: [] }),
      ),
      // The refresh cookie has expired too.
      http.post("/api/token/refresh", () =>
        unauthorized("token_expired", "Token has expired"),
      ),
    );

    await user.click(screen.getByRole("button", { name: "Refresh now" }));

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Your session expired, please log in again",
    );
    expect(location()).toBe("/login");
    expect(window.localStorage.getItem(TOKEN_KEY)).toBeNull();
  });

  test("a token that cannot be decoded is explained, not a crash", async () => {
    server.use(...fakeApi());
    window.localStorage.setItem(TOKEN_KEY, "token-1");
    renderApp("/lab");

    const inspector = await screen.findByRole("region", {
      name: "Token inspector",
    });
    expect(within(inspector).getByRole("alert")).toHaveTextContent(
      "This token cannot be read",
    );
  });

  // Nine experiments one after another: on a busy machine that takes longer than the default
  // five seconds.
  test("every experiment shows the server's answer and the session survives", async () => {
    const { user, location } = await openLab(labTokens());

    const expectations = [
      [
        "1. Pretend to be another user",
        "Change sub",
        "401 Unauthorized",
        "Signature verification failed",
      ],
      [
        '2. Claim the token is unsigned ("alg": "none")',
        "Use alg none",
        "401 Unauthorized",
        "The specified alg value is not allowed",
      ],
      [
        "3. Sign it with a key of your own",
        "Sign with another key",
        "401 Unauthorized",
        "Signature verification failed",
      ],
      [
        "4. Send a token that has expired",
        "Send expired token",
        "401 Unauthorized",
        "Token has expired",
      ],
      [
        "5. Send no token at all",
        "Send no header",
        "401 Unauthorized",
        "Missing Authorization Header",
      ],
      [
        "6. Use a refresh token as an access token",
        "Send refresh token",
        "401 Unauthorized",
        "Only non-refresh tokens are allowed",
      ],
      [
        "7. Send a token that has been revoked",
        "Send revoked token",
        "401 Unauthorized",
        "Token has been revoked",
      ],
      [
        "8. Send your real token",
        "Send real token",
        "200 OK",
        '{"id":1,"username":"demo"}',
      ],
      [
        "9. Make yourself a teacher",
        "Change role",
        "401 Unauthorized",
        "Signature verification failed",
      ],
    ];
    for (const [title, button, status, msg] of expectations) {
      const article = await runExperiment(user, title, button);
      expect(article).toHaveTextContent(status);
      expect(article).toHaveTextContent(msg);
      expect(within(article).getByText("as expected")).toBeInTheDocument();
    }

    const sub = experiment("1. Pretend to be another user");
    expect(sub).toHaveTextContent('sub "1" changed to "2"');
    const none = experiment("5. Send no token at all");
    expect(none).toHaveTextContent("no Authorization header");
    const revoked = experiment("7. Send a token that has been revoked");
    expect(revoked).toHaveTextContent("put on its blocklist");
    const role = experiment("9. Make yourself a teacher");
    expect(role).toHaveTextContent(
      'role "student" changed to "teacher" in the payload',
    );
    expect(role).toHaveTextContent("GET /api/classroom/sessions");
    // Eight 401s, and still logged in on /lab with the same token.
    expect(location()).toBe("/lab");
    expect(window.localStorage.getItem(TOKEN_KEY)).toBe(REAL);
    expect(screen.getByRole("button", { name: "Log out" })).toBeInTheDocument();
  }, 20_000);

  test("without POST /api/lab/tokens (404) experiments 4, 6 and 7 say so; the others still run", async () => {
    const { user } = await openLab(
      http.post("/api/lab/tokens", () =>
        HttpResponse.json({ msg: "Not Found" }, { status: 404 }),
      ),
    );

    for (const [title, button] of [
      ["4. Send a token that has expired", "Send expired token"],
      ["6. Use a refresh token as an access token", "Send refresh token"],
      ["7. Send a token that has been revoked", "Send revoked token"],
    ]) {
      const article = await runExperiment(user, title, button);
      expect(article).toHaveTextContent(
        "This server has no POST /api/lab/tokens (404 Not Found)",
      );
    }
    // Experiment 1 guesses another id instead.
    const sub = await runExperiment(
      user,
      "1. Pretend to be another user",
      "Change sub",
    );
    expect(sub).toHaveTextContent('sub "1" changed to "2"');
    expect(sub).toHaveTextContent("Signature verification failed");
  });

  test("a server whose lab hands out no revoked token: experiment 7 says so, sends nothing", async () => {
    const { user } = await openLab(
      http.post("/api/lab/tokens", () =>
        HttpResponse.json({ expired: EXPIRED, refresh: REFRESH }),
      ),
    );

    const revoked = await runExperiment(
      user,
      "7. Send a token that has been revoked",
      "Send revoked token",
    );
    expect(revoked).toHaveTextContent(
      "This server's POST /api/lab/tokens hands out no revoked token.",
    );
    expect(revoked).not.toHaveTextContent("401");
  });

  test("a teacher cannot make themselves a teacher: experiment 9 says so, sends nothing", async () => {
    const teacher = makeJwt(accessClaims({ sub: "1", role: "teacher" }));
    server.use(
      http.get("/api/protected", () =>
        HttpResponse.json({ id: 1, username: "teacher" }),
      ),
      http.get("/api/classroom/sessions", () => {
        throw new Error("experiment 9 must not send a request for a teacher");
      }),
    );
    window.localStorage.setItem(TOKEN_KEY, teacher);
    const { user } = renderApp("/lab");
    await screen.findByRole("heading", { name: "Lab", level: 1 });

    const role = await runExperiment(
      user,
      "9. Make yourself a teacher",
      "Change role",
    );
    expect(role).toHaveTextContent("already says you are a teacher");
    expect(role).not.toHaveTextContent("401");
  });

  test("a 500 or no answer at all is shown, not a crash", async () => {
    const { user } = await openLab(labTokens());
    server.use(
      http.get("/api/protected", () =>
        HttpResponse.json({ msg: "Internal server error" }, { status: 500 }),
      ),
    );

    const real = await runExperiment(
      user,
      "8. Send your real token",
      "Send real token",
    );
    expect(real).toHaveTextContent("500 Internal Server Error");
    expect(real).toHaveTextContent("Internal server error");
    expect(within(real).getByText("expected 200")).toBeInTheDocument();

    server.use(http.get("/api/protected", () => HttpResponse.error()));
    const none = await runExperiment(
      user,
      "5. Send no token at all",
      "Send no header",
    );
    expect(none).toHaveTextContent("No answer");
    expect(none).toHaveTextContent("Cannot reach the server");
  });

  test("when the lab's tokens cannot be fetched, the experiment says why", async () => {
    const { user } = await openLab(
      http.post("/api/lab/tokens", () => HttpResponse.error()),
    );

    const expired = await runExperiment(
      user,
      "4. Send a token that has expired",
      "Send expired token",
    );
    expect(expired).toHaveTextContent(
      "Could not get the lab's tokens from the server: Cannot reach the server",
    );
  });

  test("the request log lists the login and the calls after it, and clears", async () => {
    server.use(...fakeApi());
    const { user } = renderApp("/login");
    await user.type(screen.getByRole("textbox", { name: "Username" }), "demo");
    await user.type(screen.getByLabelText("Password"), "demo1234");
    await user.click(screen.getByRole("button", { name: "Log in" }));
    await user.click(await screen.findByRole("link", { name: "Lab" }));

    const log = await screen.findByRole("region", { name: "Request log" });
    const login = within(log).getByRole("row", { name: /POST \/api\/token/ });
    expect(login).toHaveTextContent("200");
    expect(login).toHaveTextContent("Not sent");
    const check = within(log).getByRole("row", {
      name: /GET \/api\/protected/,
    });
    expect(check).toHaveTextContent("Sent: Bearer token-1");

    await user.click(within(log).getByRole("button", { name: "Clear log" }));
    expect(within(log).getByText("No requests yet.")).toBeInTheDocument();
  });

  test("401s and refresh calls carry a text badge in the log", async () => {
    const { user } = await openLab(labTokens());
    await runExperiment(user, "5. Send no token at all", "Send no header");
    // What the request log records when the client refreshes an expired token.
    act(() =>
      recordRequest({
        method: "POST",
        path: "/api/token/refresh",
        status: 200,
        ms: 3,
        at: new Date(),
      }),
    );
    act(() =>
      recordRequest({
        method: "GET",
        path: "/api/protected",
        status: 200,
        ms: 3,
        at: new Date(),
        token: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.bmV3LXRva2Vu",
        retry: true,
      }),
    );

    const log = screen.getByRole("region", { name: "Request log" });
    const rejected = within(log).getAllByRole("row", {
      name: /401 Rejected/,
    });
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toHaveTextContent("Not sent");
    const refresh = within(log).getByRole("row", { name: /Refresh/ });
    expect(refresh).toHaveTextContent("POST /api/token/refresh");
    expect(refresh).not.toHaveTextContent("401 Rejected");
    const retried = within(log).getByRole("row", {
      name: /Retry with new token/,
    });
    expect(retried).toHaveTextContent("Sent: Bearer eyJhbGci…a2Vu");
  });
});
