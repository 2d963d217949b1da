import { screen } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, test } from "vitest";
import { TOKEN_KEY } from "../../api/token-store.js";
import { fakeApi } from "../../test/fake-api.js";
import { renderApp } from "../../test/render-app.jsx";
import { held, server } from "../../test/server.js";

describe("RequireAuth", () => {
  test("sends a logged-out visitor to /login, then back to the page asked for", async () => {
    server.use(...fakeApi());
    const { user, location } = renderApp("/private?tab=me");

    expect(
      await screen.findByRole("heading", { name: "Log in" }),
    ).toBeInTheDocument();
    expect(location()).toBe("/login");

    await user.type(screen.getByRole("textbox", { name: "Username" }), "demo");
    await user.type(screen.getByLabelText("Password"), "demo1234");
    await user.click(screen.getByRole("button", { name: "Log in" }));

    expect(
      await screen.findByRole("heading", { name: "Welcome, demo" }),
    ).toBeInTheDocument();
    expect(location()).toBe("/private?tab=me");
  });

  test("says it is checking while a stored token is being verified", async () => {
    const request = held();
    server.use(http.get("/api/protected", request.resolver), ...fakeApi());
    window.localStorage.setItem(TOKEN_KEY, "token-1");

    renderApp("/private");

    expect(await screen.findByRole("status")).toHaveTextContent(
      "Checking your session...",
    );
    request.answer(HttpResponse.json({ id: 1, username: "demo" }));
    expect(
      await screen.findByRole("heading", { name: "Welcome, demo" }),
    ).toBeInTheDocument();
  });
});
