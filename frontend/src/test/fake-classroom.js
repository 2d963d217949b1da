// An in-memory stand-in for the classroom API (GET /api/classroom/sessions, POST .../end,
// POST .../end-students, both with `?since=`) and the login it needs, for msw. Unlike fake-api.js its access tokens
// are JWT-shaped (fake signature) with a `role` claim, because the SPA reads the role from the
// token. A session the teacher ended answers 401 {"error": "session_ended"}, as the API does.
import { http, HttpResponse } from "msw";
import { unauthorized } from "./fake-api.js";
import { accessClaims, makeJwt } from "./jwt.js";

const ENDED_MSG = "Your session was ended by the teacher";
export const FORBIDDEN_MSG = "Only a teacher may open the classroom view";

// The list shows every active session, and at most this many ended ones (the newest).
const MAX_ENDED = 200;

const USERS = [
  { id: 1, username: "teacher", password: "teacher1234", role: "teacher" },
  { id: 2, username: "student", password: "student1234", role: "student" },
  { id: 3, username: "demo", password: "demo1234", role: "student" },
];

/**
 * { handlers, signIn(username) -> token, sessions, calls, lastSince }: `handlers` for
 * server.use(), `signIn` opens a session as the login would (for tests that start logged in),
 * `sessions` is the server's table (tests may edit it), `calls` counts requests per
 * "METHOD path", `lastSince` the `since` parameter of each list and end-all request.
 */
export function fakeClassroom() {
  const sessions = [];
  const tokens = new Map(); // token -> session
  const calls = {};
  const lastSince = []; // the `since` of each list and end-all request, in order
  let clock = Date.parse("2026-12-01T09:00:00Z");

  function count(request) {
    const key = `${request.method} ${new URL(request.url).pathname}`;
    calls[key] = (calls[key] ?? 0) + 1;
  }

  // `startedAt` (a Date): when the login was; by default a minute after the one before.
  function signIn(username, { startedAt } = {}) {
    const user = USERS.find((u) => u.username === username);
    const id = sessions.length + 1;
    clock += 60_000;
    const session = {
      id,
      user,
      started_at: (startedAt ?? new Date(clock)).toISOString(),
      refreshed_at: null,
      // Far enough ahead that "expires in" counts down from the real clock in the test.
      access_expires_at: new Date(Date.now() + 900_000).toISOString(),
      state: "active",
    };
    sessions.push(session);
    const token = makeJwt(
      accessClaims({ sub: String(user.id), role: user.role, jti: `jti-${id}` }),
    );
    tokens.set(token, session);
    return token;
  }

  // The session a request's Bearer token belongs to, or a 401 response.
  function authenticate(request) {
    const header = request.headers.get("Authorization");
    if (!header)
      return {
        error: unauthorized("token_missing", "Missing Authorization Header"),
      };
    const session = tokens.get(header.replace(/^Bearer /, ""));
    if (!session)
      return {
        error: unauthorized("token_invalid", "Signature verification failed"),
      };
    if (session.state === "ended by teacher")
      return { error: unauthorized("session_ended", ENDED_MSG) };
    if (session.state !== "active")
      return { error: unauthorized("token_revoked", "Token has been revoked") };
    return { session };
  }

  // authenticate(), then the teacher check: 401 before 403, as on the server.
  function teacher(request) {
    const { session, error } = authenticate(request);
    if (error) return { error };
    if (session.user.role !== "teacher") {
      return {
        error: HttpResponse.json({ msg: FORBIDDEN_MSG }, { status: 403 }),
      };
    }
    return { session };
  }

  // What "End all student sessions" ends: the live students' sessions, never the caller's.
  const isStudentToEnd = (s, caller) =>
    s.state === "active" && s.user.role === "student" && s !== caller;

  // The request's `since`: which sessions it selects (started at or after it), or a 400.
  function sinceOf(request) {
    const raw = new URL(request.url).searchParams.get("since");
    lastSince.push(raw);
    if (!raw) return { includes: () => true };
    const at = Date.parse(raw);
    if (Number.isNaN(at) || !/(Z|[+-]\d\d:\d\d)$/.test(raw)) {
      return {
        error: HttpResponse.json(
          { msg: "Invalid query", errors: { since: "Use an ISO 8601 date" } },
          { status: 400 },
        ),
      };
    }
    return { includes: (s) => Date.parse(s.started_at) >= at };
  }

  const row = (session, caller) => ({
    id: session.id,
    username: session.user.username,
    role: session.user.role,
    started_at: session.started_at,
    refreshed_at: session.refreshed_at,
    access_expires_at: session.access_expires_at,
    state: session.state,
    yours: session === caller,
  });

  const handlers = [
    http.post("/api/token", async ({ request }) => {
      count(request);
      const { username, password } = await request.json();
      const user = USERS.find(
        (u) => u.username === username && u.password === password,
      );
      if (!user)
        return unauthorized("bad_credentials", "Bad username or password");
      return HttpResponse.json({
        token: signIn(username),
        user_id: user.id,
        expires_in: 900,
      });
    }),

    http.get("/api/protected", ({ request }) => {
      count(request);
      const { session, error } = authenticate(request);
      if (error) return error;
      return HttpResponse.json({
        id: session.user.id,
        username: session.user.username,
      });
    }),

    http.post("/api/token/refresh", ({ request }) => {
      count(request);
      return unauthorized(
        "token_missing",
        'Missing cookie "refresh_token_cookie"',
      );
    }),

    http.post("/api/logout", ({ request }) => {
      count(request);
      const { session, error } = authenticate(request);
      if (error) return error;
      session.state = "logged out";
      return HttpResponse.json({ msg: "Logged out" });
    }),

    http.get("/api/demo", () =>
      HttpResponse.json({ enabled: false, accounts: [] }),
    ),

    http.get("/api/classroom/sessions", ({ request }) => {
      count(request);
      const { session, error } = teacher(request);
      if (error) return error;
      const since = sinceOf(request);
      if (since.error) return since.error;
      const newestFirst = [...sessions].reverse().filter(since.includes);
      const active = newestFirst.filter((s) => s.state === "active");
      const ended = newestFirst.filter((s) => s.state !== "active");
      const shown = ended.slice(0, MAX_ENDED);
      return HttpResponse.json({
        // Every active session first, then the newest ended ones.
        sessions: [...active, ...shown].map((s) => row(s, session)),
        active: active.length,
        active_students: active.filter((s) => isStudentToEnd(s, session))
          .length,
        ended: ended.length,
        ended_shown: shown.length,
      });
    }),

    http.post("/api/classroom/sessions/end-students", ({ request }) => {
      count(request);
      const { session, error } = teacher(request);
      if (error) return error;
      const since = sinceOf(request);
      if (since.error) return since.error;
      const ending = sessions.filter(
        (s) => since.includes(s) && isStudentToEnd(s, session),
      );
      for (const s of ending) s.state = "ended by teacher";
      return HttpResponse.json({ ended: ending.length });
    }),

    http.post("/api/classroom/sessions/:id/end", ({ request, params }) => {
      count(request);
      const { session, error } = teacher(request);
      if (error) return error;
      const target = sessions.find((s) => s.id === Number(params.id));
      if (!target) {
        return HttpResponse.json({ msg: "No such session" }, { status: 404 });
      }
      if (target === session) {
        return HttpResponse.json(
          { msg: "That is your own session: use Log out" },
          { status: 409 },
        );
      }
      target.state = "ended by teacher";
      return HttpResponse.json({ msg: "Session ended" });
    }),
  ];

  return { handlers, signIn, sessions, calls, lastSince };
}
