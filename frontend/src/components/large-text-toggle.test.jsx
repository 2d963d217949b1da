import { screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { fakeApi } from "../test/fake-api.js";
import { renderApp } from "../test/render-app.jsx";
import { server } from "../test/server.js";

describe("larger text", () => {
  // The pages around the toggle call the API (e.g. /login asks GET /api/demo).
  beforeEach(() => server.use(...fakeApi()));
  afterEach(() => document.documentElement.classList.remove("large-text"));

  test("the header's toggle switches larger text on and off, and says which", async () => {
    const { user } = renderApp("/");
    const toggle = screen.getByRole("button", { name: "Larger text" });
    expect(toggle).toHaveAttribute("aria-pressed", "false");

    await user.click(toggle);
    expect(toggle).toHaveAttribute("aria-pressed", "true");
    expect(document.documentElement).toHaveClass("large-text");
    expect(window.localStorage.getItem("classroom-large-text")).toBe("on");

    await user.click(toggle);
    expect(toggle).toHaveAttribute("aria-pressed", "false");
    expect(document.documentElement).not.toHaveClass("large-text");
    expect(window.localStorage.getItem("classroom-large-text")).toBeNull();
  });

  test("is remembered: a new visit starts with larger text on", () => {
    window.localStorage.setItem("classroom-large-text", "on");

    renderApp("/login");

    expect(screen.getByRole("button", { name: "Larger text" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    expect(document.documentElement).toHaveClass("large-text");
  });

  test("still switches when the browser blocks storage", async () => {
    vi.spyOn(Storage.prototype, "setItem").mockImplementation(() => {
      throw new DOMException("blocked", "SecurityError");
    });
    const { user } = renderApp("/");
    const toggle = screen.getByRole("button", { name: "Larger text" });

    await user.click(toggle);

    expect(toggle).toHaveAttribute("aria-pressed", "true");
    expect(document.documentElement).toHaveClass("large-text");
  });
});
