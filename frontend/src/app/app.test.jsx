import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { TOKEN_KEY } from "../api/token-store.js";
import { fakeApi } from "../test/fake-api.js";
import { renderApp } from "../test/render-app.jsx";
import { server } from "../test/server.js";

describe("app", () => {
  test("the home page explains the lesson and links to log in and sign up", () => {
    renderApp("/");

    expect(screen.getByRole("heading", { level: 1 })).toBeInTheDocument();
    expect(screen.getAllByRole("listitem")).toHaveLength(5);
    expect(screen.getByRole("link", { name: "Log in" })).toHaveAttribute(
      "href",
      "/login",
    );
    expect(screen.getByRole("link", { name: "Sign up" })).toHaveAttribute(
      "href",
      "/signup",
    );
  });

  test("/private shows the username and user id, with one Log out button that works", async () => {
    server.use(...fakeApi());
    window.localStorage.setItem(TOKEN_KEY, "token-2");
    const { user, location } = renderApp("/private");

    expect(
      await screen.findByRole("heading", { name: "Welcome, student" }),
    ).toBeInTheDocument();
    // The definition list, read as term -> definition pairs.
    const facts = screen
      .getAllByRole("term")
      .map((term) => [term.textContent, term.nextElementSibling.textContent]);
    expect(facts).toEqual([
      ["Username", "student"],
      ["User id", "2"],
    ]);
    expect(screen.getByRole("link", { name: "Private" })).toBeInTheDocument();

    const logOutButtons = screen.getAllByRole("button", { name: "Log out" });
    expect(logOutButtons).toHaveLength(1);
    await user.click(logOutButtons[0]);

    // The server is told first (POST /api/logout), then the page moves on.
    await waitFor(() => expect(location()).toBe("/login"));
    expect(window.localStorage.getItem(TOKEN_KEY)).toBeNull();
    expect(
      screen.queryByRole("button", { name: "Log out" }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole("link", { name: "Private" }),
    ).not.toBeInTheDocument();
  });

  test("the header links How it works for everyone, and Lab once logged in", async () => {
    server.use(...fakeApi());
    const { user, location } = renderApp("/");
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(
      within(nav).getByRole("link", { name: "How it works" }),
    ).toHaveAttribute("href", "/how-it-works");
    expect(
      within(nav).queryByRole("link", { name: "Lab" }),
    ).not.toBeInTheDocument();

    await user.click(within(nav).getByRole("link", { name: "How it works" }));
    // The page is lazy: the router switches once its code has loaded.
    await screen.findByRole(
      "heading",
      { name: "How it works", level: 1 },
      { timeout: 5000 },
    );
    expect(location()).toBe("/how-it-works");
  });

  test("a logged-in visitor gets a Lab link that opens the lab", async () => {
    server.use(...fakeApi());
    window.localStorage.setItem(TOKEN_KEY, "token-1");
    const { user, location } = renderApp("/private");

    await user.click(await screen.findByRole("link", { name: "Lab" }));

    expect(
      await screen.findByRole(
        "region",
        { name: "Tamper lab" },
        { timeout: 5000 },
      ),
    ).toBeInTheDocument();
    expect(location()).toBe("/lab");
  });

  test("an unknown path shows a not-found page with a way back", () => {
    renderApp("/no/such/page");

    expect(
      screen.getByRole("heading", { name: "Page not found" }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole("link", { name: "Back to the start page" }),
    ).toHaveAttribute("href", "/");
  });
});
