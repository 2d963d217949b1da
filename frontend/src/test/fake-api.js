// A tiny in-memory stand-in for the Flask API (its routes in backend/app/routes/), for msw. Tokens are fake
// ("token-<id>", or "token-<id>-<n>" after a password change): the frontend never checks a
// signature, the server does. Logout and password changes revoke the token that was sent.
// There is no refresh cookie here: POST /api/token/refresh always fails, as with no cookie;
// the client tests cover refreshing with their own handlers.
import { http, HttpResponse } from "msw";

export const DEMO_ACCOUNTS = [
  { username: "demo", password: "demo1234" },
  { username: "student", password: "student1234" },
];

const unauthorized = (msg) =>
  HttpResponse.json(
    { msg },
    { status: 401, headers: { "WWW-Authenticate": "Bearer" } },
  );

/** msw handlers for /api/token (+ /refresh), /api/protected, /api/logout, /api/password,
 * /api/signup and /api/demo. */
export function fakeApi({ demo = true } = {}) {
  const users = DEMO_ACCOUNTS.map((account, index) => ({
    id: index + 1,
    ...account,
  }));
  const revoked = new Set();
  let issued = 0;

  // The user a request's Bearer token stands for, or a 401 response.
  function authenticate(request) {
    const header = request.headers.get("Authorization");
    if (!header) return { error: unauthorized("Missing Authorization Header") };
    const token = header.replace(/^Bearer /, "");
    const match = /^token-(\d+)(-\d+)?$/.exec(token);
    const user = match && users.find((u) => u.id === Number(match[1]));
    if (!user) return { error: unauthorized("Signature verification failed") };
    if (revoked.has(token))
      return { error: unauthorized("Token has been revoked") };
    return { user, token };
  }

  return [
    http.post("/api/token", async ({ request }) => {
      const { username, password } = await request.json();
      const user = users.find(
        (u) => u.username === username && u.password === password,
      );
      if (!user) return unauthorized("Bad username or password");
      return HttpResponse.json({
        token: `token-${user.id}`,
        user_id: user.id,
        expires_in: 900,
      });
    }),

    http.get("/api/protected", ({ request }) => {
      const { user, error } = authenticate(request);
      if (error) return error;
      return HttpResponse.json({ id: user.id, username: user.username });
    }),

    http.post("/api/token/refresh", () =>
      unauthorized('Missing cookie "refresh_token_cookie"'),
    ),

    http.post("/api/logout", ({ request }) => {
      const { token, error } = authenticate(request);
      if (error) return error;
      revoked.add(token);
      return HttpResponse.json({ msg: "Logged out" });
    }),

    http.post("/api/password", async ({ request }) => {
      const { user, token, error } = authenticate(request);
      if (error) return error;
      const body = await request.json();
      const invalid = (errors) =>
        HttpResponse.json(
          { msg: "Invalid password change", errors },
          { status: 400 },
        );
      if (body.current_password !== user.password) {
        return invalid({ current_password: "Current password is incorrect" });
      }
      if (body.new_password === user.password) {
        return invalid({
          new_password: "Choose a password different from the current one",
        });
      }
      user.password = body.new_password;
      revoked.add(token);
      issued += 1;
      return HttpResponse.json({
        token: `token-${user.id}-${issued}`,
        expires_in: 900,
        revoked_sessions: 0,
      });
    }),

    http.post("/api/signup", async ({ request }) => {
      const { username, password } = await request.json();
      if (users.some((u) => u.username === username)) {
        return HttpResponse.json(
          { msg: "Username already taken" },
          { status: 409 },
        );
      }
      const user = { id: users.length + 1, username, password };
      users.push(user);
      return HttpResponse.json({ id: user.id, username }, { status: 201 });
    }),

    http.get("/api/demo", () =>
      HttpResponse.json({ enabled: demo, accounts: demo ? DEMO_ACCOUNTS : [] }),
    ),
  ];
}
