// A tiny in-memory stand-in for the Flask API (see CONTRACT.md), for msw. Tokens are fake
// ("token-<id>"): the frontend never checks a signature, the server does.
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

/** msw handlers for /api/token, /api/protected, /api/signup and /api/demo. */
export function fakeApi({ demo = true } = {}) {
  const users = DEMO_ACCOUNTS.map((account, index) => ({
    id: index + 1,
    ...account,
  }));

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
      const header = request.headers.get("Authorization");
      if (!header) return unauthorized("Missing Authorization Header");
      const user = users.find((u) => header === `Bearer token-${u.id}`);
      if (!user) return unauthorized("Signature verification failed");
      return HttpResponse.json({ id: user.id, username: user.username });
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
