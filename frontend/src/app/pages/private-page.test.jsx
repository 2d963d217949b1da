import { act, screen } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, test } from "vitest";
import { TOKEN_KEY } from "../../api/token-store.js";
import { fakeApi } from "../../test/fake-api.js";
import { renderApp } from "../../test/render-app.jsx";
import { held, server } from "../../test/server.js";

// /private as the demo user (fakeApi's token for user 1).
async function openPrivatePage() {
  window.localStorage.setItem(TOKEN_KEY, "token-1");
  const app = renderApp("/private");
  await screen.findByRole("heading", { name: "Welcome, demo" });
  return app;
}

async function fillPasswordForm(user, { current, next, confirm = next }) {
  if (current)
    await user.type(screen.getByLabelText("Current password"), current);
  if (next) await user.type(screen.getByLabelText("New password"), next);
  if (confirm)
    await user.type(screen.getByLabelText("Confirm new password"), confirm);
  await user.click(screen.getByRole("button", { name: "Change password" }));
}

describe("private page: change password", () => {
  test("a successful change says so, empties the form and keeps this session with a new token", async () => {
    server.use(...fakeApi());
    const { user, location } = await openPrivatePage();

    await fillPasswordForm(user, {
      current: "demo1234",
      next: "a-brand-new-secret",
    });

    expect(await screen.findByRole("status")).toHaveTextContent(
      "Password changed. Other sessions were logged out.",
    );
    expect(screen.getByLabelText("Current password")).toHaveValue("");
    expect(screen.getByLabelText("New password")).toHaveValue("");
    expect(screen.getByLabelText("Confirm new password")).toHaveValue("");
    const stored = window.localStorage.getItem(TOKEN_KEY);
    expect(stored).toMatch(/^token-1-/); // the server's new token replaced the revoked one
    expect(location()).toBe("/private");
  });

  test("a wrong current password is shown on that field, and nothing changes", async () => {
    server.use(...fakeApi());
    const { user } = await openPrivatePage();

    await fillPasswordForm(user, {
      current: "not-my-password",
      next: "a-brand-new-secret",
    });

    const current = screen.getByLabelText("Current password");
    expect(
      await screen.findByText("Current password is incorrect"),
    ).toBeInTheDocument();
    expect(current).toHaveAttribute("aria-invalid", "true");
    expect(current).toHaveAccessibleDescription(
      "Current password is incorrect",
    );
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
    expect(window.localStorage.getItem(TOKEN_KEY)).toBe("token-1");
  });

  test("a new password on the server's blocklist is shown on that field; the session stays", async () => {
    const why =
      "This password is too common: it is on a list of passwords people pick most.";
    server.use(
      http.post("/api/password", () =>
        HttpResponse.json(
          { msg: "Invalid password change", errors: { new_password: [why] } },
          { status: 400 },
        ),
      ),
      ...fakeApi(),
    );
    const { user } = await openPrivatePage();

    await fillPasswordForm(user, { current: "demo1234", next: "12345678" });

    const next = screen.getByLabelText("New password");
    expect(await screen.findByText(why)).toBeVisible();
    expect(next).toHaveAttribute("aria-invalid", "true");
    expect(next).toHaveAccessibleDescription(new RegExp(why));
    expect(next).toHaveFocus();
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
    expect(window.localStorage.getItem(TOKEN_KEY)).toBe("token-1");
  });

  test("checks the new password before sending anything", async () => {
    let sent = false;
    server.use(
      http.post("/api/password", () => {
        sent = true;
        return HttpResponse.json({ token: "x", expires_in: 900 });
      }),
      ...fakeApi(),
    );
    const { user } = await openPrivatePage();

    await fillPasswordForm(user, {
      current: "demo1234",
      next: "short",
      confirm: "different",
    });

    expect(
      screen.getByText("Password must be at least 8 characters long."),
    ).toBeInTheDocument();
    expect(screen.getByText("Passwords do not match.")).toBeInTheDocument();
    expect(screen.getByLabelText("New password")).toHaveFocus();
    expect(sent).toBe(false);
  });

  test("an unreachable server is an alert, and the session stays", async () => {
    server.use(
      http.post("/api/password", () => HttpResponse.error()),
      ...fakeApi(),
    );
    const { user, location } = await openPrivatePage();

    await fillPasswordForm(user, {
      current: "demo1234",
      next: "a-brand-new-secret",
    });

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Cannot reach the server. Check that the API is running.",
    );
    expect(location()).toBe("/private");
    expect(window.localStorage.getItem(TOKEN_KEY)).toBe("token-1");
  });

  test("the button is disabled and says so while the change is in flight", async () => {
    const request = held();
    server.use(http.post("/api/password", request.resolver), ...fakeApi());
    const { user } = await openPrivatePage();

    await fillPasswordForm(user, {
      current: "demo1234",
      next: "a-brand-new-secret",
    });

    expect(
      await screen.findByRole("button", { name: "Changing password..." }),
    ).toBeDisabled();
    request.answer(HttpResponse.json({ token: "token-1-9", expires_in: 900 }));
    expect(await screen.findByRole("status")).toBeInTheDocument();
    expect(
      screen.getByRole("button", { name: "Change password" }),
    ).toBeEnabled();
  });
});

describe("private page: another tab", () => {
  test("logging out in another tab sends this one from /private to /login with a notice", async () => {
    server.use(...fakeApi());
    const { location } = await openPrivatePage();

    act(() => {
      window.localStorage.removeItem(TOKEN_KEY);
      window.dispatchEvent(
        new StorageEvent("storage", {
          key: TOKEN_KEY,
          oldValue: "token-1",
          newValue: null,
          storageArea: window.localStorage,
        }),
      );
    });

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "You were logged out in another tab.",
    );
    expect(location()).toBe("/login");
  });
});
