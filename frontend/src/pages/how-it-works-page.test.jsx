import { screen, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, test } from "vitest";
import { fakeApi } from "../test/fake-api.js";
import { accessClaims, makeJwt } from "../test/jwt.js";
import { renderApp } from "../test/render-app.jsx";
import { server } from "../test/server.js";

const STEP_FILES = [
  "frontend/src/pages/login-page.jsx",
  "frontend/src/auth/auth-provider.jsx",
  "backend/app/routes/auth.py",
  "backend/app/auth.py",
  "frontend/src/api/client.js",
];

describe("how it works", () => {
  test("anyone sees the five steps with example values, files and functions", async () => {
    renderApp("/how-it-works");

    await screen.findByRole("heading", { name: "How it works", level: 1 });
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
  });

  test("has the lesson's token comparison and the mistakes it fixes", async () => {
    renderApp("/how-it-works");

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
    ]);
    expect(mistakes).toHaveTextContent("422 Subject must be a string");
  });

  test("after a login it shows your own requests, never your password", async () => {
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
    const { user } = renderApp("/login");
    await user.type(
      screen.getByRole("textbox", { name: "Username" }),
      "student",
    );
    await user.type(screen.getByLabelText("Password"), "student1234");
    await user.click(screen.getByRole("button", { name: "Log in" }));
    await user.click(await screen.findByRole("link", { name: "How it works" }));

    // The page is lazy: give its code time to load on a busy machine.
    expect(
      await screen.findByText(/Live: these are your own requests/, undefined, {
        timeout: 5000,
      }),
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
    // A login, a redirect and a lazy page: slower than the 5 s default on a busy machine.
  }, 20000);
});
