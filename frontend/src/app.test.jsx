import { screen, waitFor } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { fakeApi } from "./test/fake-api.js";
import { renderApp } from "./test/render-app.jsx";
import { server } from "./test/server.js";

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
    window.localStorage.setItem("jwt-token", "token-2");
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
    expect(window.localStorage.getItem("jwt-token")).toBeNull();
    expect(
      screen.queryByRole("button", { name: "Log out" }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole("link", { name: "Private" }),
    ).not.toBeInTheDocument();
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
