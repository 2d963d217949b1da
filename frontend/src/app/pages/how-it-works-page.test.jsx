import { screen, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, onTestFinished, test } from "vitest";
import { TOKEN_KEY } from "../../api/token-store.js";
import { fakeApi } from "../../test/fake-api.js";
import { accessClaims, makeJwt } from "../../test/jwt.js";
import { renderApp } from "../../test/render-app.jsx";
import { server } from "../../test/server.js";
import { transportVerdict } from "../../features/how-it-works/bearer-transport.jsx";

const BASICS = [
  "Decoding is not verifying",
  "Bearer tokens: only over TLS, never in URLs",
  "Registered claims, the library's, and this app's",
  "Clocks and leeway",
  "Where a SPA can keep its token",
];

const STEP_FILES = [
  "frontend/src/app/pages/login-page.jsx",
  "frontend/src/features/auth/auth-provider.jsx",
  "backend/app/routes/auth.py",
  "backend/app/jwt_callbacks.py",
  "frontend/src/api/client.js",
];

// The page is lazy and long (getByRole walks all of it): on a busy machine loading and querying
// it takes longer than Testing Library's and vitest's defaults.
const LOADED = { timeout: 10000 };
const SLOW = 30000;

/** Render /how-it-works and wait until its code has loaded. */
async function openHowItWorks() {
  const rendered = renderApp("/how-it-works");
  await screen.findByRole(
    "heading",
    { name: "How it works", level: 1 },
    LOADED,
  );
  return rendered;
}

describe("how it works", () => {
  test(
    "anyone sees the five steps with example values, files and functions",
    async () => {
      await openHowItWorks();

      const steps = screen
        .getAllByRole("heading", { level: 2 })
        .map((h) => h.textContent)
        .filter((text) => /^\d\. /.test(text));
      expect(steps).toHaveLength(5);
      expect(screen.getByText(/Example values/)).toBeInTheDocument();
      expect(screen.getByLabelText("Step 2 request")).toHaveTextContent(
        '{"username": "demo", "password": "********"}',
      );
      for (const file of STEP_FILES) {
        expect(screen.getAllByText(file).length).toBeGreaterThan(0);
      }
      expect(screen.getAllByText("create_token").length).toBeGreaterThan(0);
      expect(screen.getByText("token_is_revoked")).toBeInTheDocument();
      expect(screen.getByText("load_user")).toBeInTheDocument();
    },
    SLOW,
  );

  test(
    "has the lesson's token comparison and the mistakes it fixes",
    async () => {
      await openHowItWorks();

      const table = await screen.findByRole("table", {
        name: /The lesson's comparison/,
      });
      for (const type of ["Basic", "Bearer", "JWT"]) {
        expect(
          within(table).getByRole("rowheader", { name: type }),
        ).toBeInTheDocument();
      }
      const mistakes = screen.getByRole("heading", {
        name: /Mistakes in the lesson's code/,
      }).nextElementSibling;
      const items = within(mistakes).getAllByRole("listitem");
      expect(
        items.map((item) => item.querySelector("strong").textContent),
      ).toEqual([
        "Plain-text passwords.",
        "An integer identity.",
        "Unreachable error branches.",
        "A 403 that never comes.",
        'The "super-secret" key.',
        "No way to take a token back.",
        "getMyTasks throws on every path.",
        "Three token types that are not.",
      ]);
      expect(mistakes).toHaveTextContent("422 Subject must be a string");
      expect(mistakes).toHaveTextContent(
        "401 for a missing, expired or revoked token, 422 for an invalid one",
      );
    },
    SLOW,
  );

  test(
    "the comparison says what the lesson's examples really are",
    async () => {
      await openHowItWorks();

      const table = await screen.findByRole("table", {
        name: /what each example really is/,
      });
      const basic = within(table).getByRole("row", { name: /^Basic/ });
      expect(basic).toHaveTextContent("an opaque token");
      expect(basic).toHaveTextContent("not HTTP Basic");
      // The page decodes the lesson's "Bearer" example itself: it is a Basic credential.
      const bearer = within(table).getByRole("row", { name: /^Bearer/ });
      expect(bearer).toHaveTextContent(
        "alesanchezr:714bfa43e7c312be999d0afea89148e7",
      );
      expect(bearer).toHaveTextContent("not a token format");
      expect(bearer).toHaveTextContent("RFC 6750 §1.2");
      const jwt = within(table).getByRole("row", { name: /^JWT/ });
      // Only the first 24 of the header's 25 characters can be decoded.
      expect(jwt).toHaveTextContent(
        /only its first 24 decode, to \{"alg":"HS256","ty/,
      );
      expect(jwt).toHaveTextContent("It is a bearer token too");
    },
    SLOW,
  );

  test(
    "anyone sees the five beginner panels, shown with the example token",
    async () => {
      await openHowItWorks();

      await screen.findByRole("heading", {
        name: "What the lesson leaves out",
        level: 2,
      });
      for (const name of BASICS) {
        expect(screen.getByRole("region", { name })).toBeInTheDocument();
      }

      const decoding = screen.getByRole("region", { name: BASICS[0] });
      expect(
        within(decoding).getByLabelText("Payload decoded by this page"),
      ).toHaveTextContent('"sub": "1"');
      expect(decoding).toHaveTextContent(
        "signed (JWS, RFC 7515), not encrypted",
      );

      // The test page is served from http://localhost: this machine, no network crossed.
      const tls = screen.getByRole("region", { name: BASICS[1] });
      expect(tls).toHaveTextContent("This page came over http://localhost");
      expect(tls).toHaveTextContent("to this very machine");
      expect(tls).toHaveTextContent("RFC 6750 §5.3");

      const claims = screen.getByRole("region", { name: BASICS[2] });
      const table = within(claims).getByRole("table", {
        name: "Who defines each name in a token",
      });
      expect(
        within(table).getByRole("row", { name: /^typ / }),
      ).toHaveTextContent('RFC 7515 §4.1.9the token\'s media type: "JWT""JWT"');
      expect(
        within(table).getByRole("row", { name: /^type / }),
      ).toHaveTextContent("flask-jwt-extended");
      // sid is registered (IANA "Session ID"); role is this app's own, and in the example too.
      expect(
        within(table).getByRole("row", { name: /^sid / }),
      ).toHaveTextContent("IANA registry");
      expect(
        within(table).getByRole("row", { name: /^role / }),
      ).toHaveTextContent(
        "this app" + "student or teacher: what you may do" + '"student"',
      );

      const clocks = screen.getByRole("region", { name: BASICS[3] });
      expect(clocks).toHaveTextContent("(the same)");
      expect(clocks).toHaveTextContent("900 seconds later");
      expect(clocks).toHaveTextContent("default, kept here, is 0");

      const storage = screen.getByRole("region", { name: BASICS[4] });
      const places = within(storage).getByRole("table", {
        name: "Places a single-page app can keep a token",
      });
      expect(
        within(places)
          .getAllByRole("rowheader")
          .map((cell) => cell.textContent),
      ).toEqual([
        "localStorage",
        "sessionStorage",
        "Memory (a JavaScript variable)",
        "HttpOnly cookie",
        "Backend-for-frontend",
      ]);
      expect(storage).toHaveTextContent(
        "HttpOnly stops the cookie being stolen, not used",
      );
      expect(storage).toHaveTextContent('localStorage["jwt-token"] is empty');
    },
    SLOW,
  );

  test("the TLS panel warns about plain http across a network only", () => {
    expect(
      transportVerdict({ protocol: "https:", hostname: "class.example" }),
    ).toMatch(/^encrypted with TLS/);
    expect(
      transportVerdict({ protocol: "http:", hostname: "127.0.0.1" }),
    ).toMatch(/to this very machine/);
    expect(
      transportVerdict({ protocol: "http:", hostname: "192.168.1.20" }),
    ).toMatch(/anyone on it .* can read your token/);
    // Not only the token: the password and the 7-day refresh cookie cross the network too.
    expect(
      transportVerdict({ protocol: "http:", hostname: "192.168.1.20" }),
    ).toMatch(/the password you logged in with and the refresh cookie/);
  });

  test(
    "after a login it shows your own requests, never your password",
    async () => {
      const token = makeJwt(accessClaims({ sub: "2", ttl: 900 }));
      // Listed first, so they answer before fakeApi's own /api/token and /api/protected.
      server.use(
        http.post("/api/token", () =>
          HttpResponse.json({ token, user_id: 2, expires_in: 900 }),
        ),
        http.get("/api/protected", () =>
          HttpResponse.json({ id: 2, username: "student" }),
        ),
        ...fakeApi(),
      );
      // What the server's login sets beside the HttpOnly refresh cookie (which no script sees).
      document.cookie = "csrf_refresh_token=csrf-value; path=/";
      onTestFinished(() => {
        document.cookie = "csrf_refresh_token=; max-age=0; path=/";
      });
      const { user } = renderApp("/login");
      await user.type(
        screen.getByRole("textbox", { name: "Username" }),
        "student",
      );
      await user.type(screen.getByLabelText("Password"), "student1234");
      await user.click(screen.getByRole("button", { name: "Log in" }));
      await user.click(
        await screen.findByRole("link", { name: "How it works" }),
      );

      expect(
        await screen.findByText(
          /Live: these are your own requests/,
          undefined,
          LOADED,
        ),
      ).toHaveTextContent("as student");
      expect(screen.getByLabelText("Step 2 request")).toHaveTextContent(
        '{"username": "student", "password": "********"}',
      );
      expect(screen.getByLabelText("Step 4 response")).toHaveTextContent(
        `{"token": "${token.slice(0, 8)}…${token.slice(-4)}", "user_id": 2, "expires_in": 900}`,
      );
      expect(
        screen.getByLabelText("Step 5 request and response"),
      ).toHaveTextContent('{"id": 2, "username": "student"}');
      expect(document.body).not.toHaveTextContent("student1234");

      // The beginner panels use this session's own token and what its script can see.
      const decoding = screen.getByRole("region", { name: BASICS[0] });
      expect(decoding).toHaveTextContent("with your own token");
      expect(
        within(decoding).getByLabelText("Payload decoded by this page"),
      ).toHaveTextContent('"sub": "2"');
      const claims = screen.getByRole("region", { name: BASICS[2] });
      expect(
        within(claims).getByRole("row", { name: /^sub / }),
      ).toHaveTextContent('"2"');
      expect(screen.getByRole("region", { name: BASICS[3] })).toHaveTextContent(
        "Your token: iat",
      );
      const storage = screen.getByRole("region", { name: BASICS[4] });
      expect(storage).toHaveTextContent(
        `localStorage["jwt-token"] holds ${token.slice(0, 8)}…${token.slice(-4)}`,
      );
      expect(storage).toHaveTextContent("cookies: csrf_refresh_token.");
      // A login, a redirect and a lazy page: slower than the 5 s default on a busy machine.
    },
    SLOW,
  );
});

describe("how it works explains the role claim", () => {
  test(
    "401 against 403, and a role change that waits for the next token",
    async () => {
      await openHowItWorks();
      const section = screen.getByRole("region", {
        name: "Who may do what: the role claim",
      });
      expect(section).toHaveTextContent(
        "Log in and this sentence shows the role in your own token.",
      );
      const terms = within(section)
        .getAllByRole("term")
        .map((term) => term.textContent);
      expect(terms).toEqual(["401 Unauthorized", "403 Forbidden"]);
      expect(section).toHaveTextContent("I know who you are, and you may not.");
      expect(section).toHaveTextContent(/until it is replaced \(a refresh/);
      expect(section).toHaveTextContent(
        /flask set-role USERNAME ROLE.*also ends every session of that user.*next login brings a token with the new role/,
      );
      // Every place that answers 403, not "the one place".
      expect(section).toHaveTextContent(
        /403 in these places only: \/api\/classroom\/\.\.\. .* and POST \/api\/password/,
      );
      expect(section).not.toHaveTextContent(/the one place/);
    },
    SLOW,
  );

  test(
    "logged in, it shows the role in your own token",
    async () => {
      const token = makeJwt(accessClaims({ sub: "2", role: "student" }));
      server.use(
        http.get("/api/protected", () =>
          HttpResponse.json({ id: 2, username: "student" }),
        ),
      );
      window.localStorage.setItem(TOKEN_KEY, token);
      await openHowItWorks();
      const section = await screen.findByRole(
        "region",
        { name: "Who may do what: the role claim" },
        LOADED,
      );
      expect(
        await within(section).findByText(/Yours says/, undefined, LOADED),
      ).toHaveTextContent('Yours says "role": "student".');
    },
    SLOW,
  );
});

describe("how it works says what refresh rotation does not catch", () => {
  test(
    "reuse detection, the thief who refreshes first, and SESSION_MAX_AGE",
    async () => {
      await openHowItWorks();
      const section = screen.getByRole("region", {
        name: "Refresh rotation: what it catches and what it does not",
      });
      const points = within(section)
        .getAllByRole("listitem")
        .map((item) => item.textContent);
      expect(points).toEqual([
        expect.stringMatching(
          /^What it catches: the same refresh cookie used twice/,
        ),
        expect.stringMatching(
          /^What it does not catch: a thief who refreshes first/,
        ),
      ]);
      expect(section).toHaveTextContent(
        /SESSION_MAX_AGE \(30 days from the login/,
      );
      // The words the login page shows when that lifetime is over.
      expect(section).toHaveTextContent(
        "Your session is over: please log in again",
      );
      expect(
        within(section).getByRole("link", { name: "Lab" }),
      ).toHaveAttribute("href", "/lab");
    },
    SLOW,
  );
});

describe("how it works ends with the grader", () => {
  test(
    "points a student to make grade for their own app",
    async () => {
      await openHowItWorks();
      const section = screen.getByRole("region", {
        name: "Now grade your own",
      });
      expect(section).toHaveTextContent(/make grade API=\S+ APP=\S+/);
    },
    SLOW,
  );
});
