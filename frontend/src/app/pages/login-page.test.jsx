import { screen, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, test } from "vitest";
import { TOKEN_KEY } from "../../api/token-store.js";
import { fakeApi, unauthorized } from "../../test/fake-api.js";
import { renderApp } from "../../test/render-app.jsx";
import { held, server } from "../../test/server.js";

async function fillAndSubmit(user, username, password) {
  await user.type(screen.getByRole("textbox", { name: "Username" }), username);
  await user.type(screen.getByLabelText("Password"), password);
  await user.click(screen.getByRole("button", { name: "Log in" }));
}

describe("login page", () => {
  test("logging in lands on /private with the user's name", async () => {
    server.use(...fakeApi());
    const { user, location } = renderApp("/login");

    await fillAndSubmit(user, "demo", "demo1234");

    expect(
      await screen.findByRole("heading", { name: "Welcome, demo" }),
    ).toBeInTheDocument();
    expect(location()).toBe("/private");
  });

  test("shows the server's reason when the login fails, and stays on /login", async () => {
    server.use(...fakeApi());
    const { user, location } = renderApp("/login");

    await fillAndSubmit(user, "demo", "wrong-password");

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Bad username or password",
    );
    expect(location()).toBe("/login");
    expect(window.localStorage.getItem(TOKEN_KEY)).toBeNull();
  });

  test("a server busy with a class's logins (503, Retry-After) is asked again", async () => {
    let answered = 0;
    server.use(
      http.post("/api/token", () => {
        answered += 1;
        if (answered > 1) return undefined; // the fake API logs in from the second try on
        return HttpResponse.json(
          {
            msg: "Many people are logging in right now; please try again in a moment",
          },
          { status: 503, headers: { "Retry-After": "0" } },
        );
      }),
      ...fakeApi(),
    );
    const { user, location } = renderApp("/login");

    await fillAndSubmit(user, "demo", "demo1234");

    expect(
      await screen.findByRole("heading", { name: "Welcome, demo" }),
    ).toBeInTheDocument();
    expect(answered).toBe(2);
    expect(location()).toBe("/private");
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  test("a 503 without Retry-After is shown, not retried", async () => {
    let answered = 0;
    server.use(
      http.post("/api/token", () => {
        answered += 1;
        return HttpResponse.json(
          { msg: "The database is not answering" },
          { status: 503 },
        );
      }),
      ...fakeApi(),
    );
    const { user } = renderApp("/login");

    await fillAndSubmit(user, "demo", "demo1234");

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "The database is not answering",
    );
    expect(answered).toBe(1);
  });

  test("says so when the server cannot be reached", async () => {
    server.use(
      http.post("/api/token", () => HttpResponse.error()),
      ...fakeApi(),
    );
    const { user } = renderApp("/login");

    await fillAndSubmit(user, "demo", "demo1234");

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Cannot reach the server. Check that the API is running.",
    );
  });

  test("asks for both fields before sending anything", async () => {
    server.use(...fakeApi());
    const { user } = renderApp("/login");

    await user.click(screen.getByRole("button", { name: "Log in" }));

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Enter your username and password.",
    );
  });

  test("the button is disabled and says 'Logging in...' while the request is in flight", async () => {
    const request = held();
    server.use(http.post("/api/token", request.resolver), ...fakeApi());
    const { user } = renderApp("/login");

    await fillAndSubmit(user, "demo", "wrong-password");

    const button = await screen.findByRole("button", { name: "Logging in..." });
    expect(button).toBeDisabled();

    request.answer(unauthorized("bad_credentials", "Bad username or password"));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Bad username or password",
    );
    expect(screen.getByRole("button", { name: "Log in" })).toBeEnabled();
  });

  test("in demo mode, lists the demo accounts and fills them in", async () => {
    server.use(...fakeApi({ demo: true }));
    const { user } = renderApp("/login");

    const demo = await screen.findByRole("region", { name: "Demo accounts" });
    expect(within(demo).getByText("student1234")).toBeInTheDocument();

    await user.click(
      within(demo).getByRole("button", { name: "Fill in student" }),
    );

    expect(screen.getByRole("textbox", { name: "Username" })).toHaveValue(
      "student",
    );
    expect(screen.getByLabelText("Password")).toHaveValue("student1234");
  });

  test("without demo mode, no accounts are shown", async () => {
    let asked = false;
    server.use(
      http.get("/api/demo", () => {
        asked = true;
        return HttpResponse.json({ enabled: false, accounts: [] });
      }),
    );
    renderApp("/login");

    await expect.poll(() => asked).toBe(true);
    expect(
      screen.queryByRole("region", { name: "Demo accounts" }),
    ).not.toBeInTheDocument();
  });

  test("shows why the last session ended", async () => {
    server.use(
      http.get("/api/protected", () =>
        unauthorized("token_revoked", "Token has been revoked"),
      ),
      ...fakeApi(),
    );
    window.localStorage.setItem(TOKEN_KEY, "revoked-token");

    const { location } = renderApp("/private");

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Your session has ended: Token has been revoked. Please log in again.",
    );
    expect(location()).toBe("/login");
  });

  test("an expired token whose refresh fails ends on /login with the expiry notice", async () => {
    // fakeApi's refresh endpoint always refuses, as the server does once the cookie is gone.
    server.use(
      http.get("/api/protected", () =>
        unauthorized("token_expired", "Token has expired"),
      ),
      ...fakeApi(),
    );
    window.localStorage.setItem(TOKEN_KEY, "expired-token");

    const { location } = renderApp("/private");

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Your session expired, please log in again",
    );
    expect(location()).toBe("/login");
    expect(window.localStorage.getItem(TOKEN_KEY)).toBeNull();
  });

  test("a visitor who is already logged in goes straight to /private", async () => {
    server.use(...fakeApi());
    window.localStorage.setItem(TOKEN_KEY, "token-1");

    const { location } = renderApp("/login");

    expect(
      await screen.findByRole("heading", { name: "Welcome, demo" }),
    ).toBeInTheDocument();
    expect(location()).toBe("/private");
  });
});
