// Every path the SPA uses, in one table: its own pages (the routes in app/app.jsx) and the API
// routes it calls (backend/app/routes/). Code links, navigates and calls through these names, so
// a path is spelled once. Tests keep the literal paths: they check that these are the right ones.

/** The SPA's pages. */
export const PAGES = {
  home: "/",
  login: "/login",
  signup: "/signup",
  private: "/private",
  lab: "/lab",
  classroom: "/classroom",
  howItWorks: "/how-it-works",
};

/** The API routes the SPA calls. */
export const API = {
  token: "/api/token",
  refresh: "/api/token/refresh",
  protected: "/api/protected",
  logout: "/api/logout",
  password: "/api/password",
  signup: "/api/signup",
  demo: "/api/demo",
  labTokens: "/api/lab/tokens",
  classroomSessions: "/api/classroom/sessions",
  endSession: (id) => `/api/classroom/sessions/${id}/end`,
  endStudentSessions: "/api/classroom/sessions/end-students",
  keys: "/api/keys",
  rotateKey: "/api/classroom/keys/rotate",
  // The public keys, where verifiers look for them: a /.well-known/ path (RFC 8615), not under /api.
  jwks: "/.well-known/jwks.json",
};
