import { screen } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, test } from "vitest";
import { fakeApi } from "../../test/fake-api.js";
import { renderApp } from "../../test/render-app.jsx";
import { held, server } from "../../test/server.js";

const fields = () => ({
  username: screen.getByRole("textbox", { name: "Username" }),
  password: screen.getByLabelText("Password"),
  confirm: screen.getByLabelText("Confirm password"),
});

async function fillIn(user, { username, password, confirm = password }) {
  const { username: u, password: p, confirm: c } = fields();
  if (username) await user.type(u, username);
  if (password) await user.type(p, password);
  if (confirm) await user.type(c, confirm);
}

describe("signup page", () => {
  test("checks the rules before sending, with a message on each field", async () => {
    let sent = false;
    server.use(
      http.post("/api/signup", () => {
        sent = true;
        return HttpResponse.json({ id: 9, username: "x" }, { status: 201 });
      }),
    );
    const { user } = renderApp("/signup");

    await fillIn(user, { username: "ab", password: "short" });
    await user.click(screen.getByRole("button", { name: "Sign up" }));

    const { username, password, confirm } = fields();
    expect(username).toHaveAttribute("aria-invalid", "true");
    expect(username).toHaveAccessibleDescription(
      /Username must be 3 to 32 characters long\./,
    );
    expect(password).toHaveAttribute("aria-invalid", "true");
    expect(password).toHaveAccessibleDescription(
      /Password must be at least 8 characters long\./,
    );
    expect(confirm).not.toHaveAttribute("aria-invalid");
    expect(username).toHaveFocus();
    expect(sent).toBe(false);
  });

  test("rejects characters the server would reject", async () => {
    const { user } = renderApp("/signup");

    await fillIn(user, { username: "no spaces", password: "long enough" });
    await user.click(screen.getByRole("button", { name: "Sign up" }));

    expect(fields().username).toHaveAccessibleDescription(
      /Username may only contain letters, digits, _ \. and -\./,
    );
  });

  test("a confirmation that does not match is flagged, and fixing it clears the message", async () => {
    const { user } = renderApp("/signup");

    await fillIn(user, {
      username: "newbie",
      password: "long enough",
      confirm: "long enougH",
    });
    await user.click(screen.getByRole("button", { name: "Sign up" }));

    const { confirm } = fields();
    expect(confirm).toHaveAttribute("aria-invalid", "true");
    expect(confirm).toHaveAccessibleDescription("Passwords do not match.");
    expect(confirm).toHaveFocus();

    await user.clear(confirm);
    await user.type(confirm, "long enough");
    expect(confirm).not.toHaveAttribute("aria-invalid");
    expect(
      screen.queryByText("Passwords do not match."),
    ).not.toBeInTheDocument();
  });

  test("shows the server's per-field errors on the fields", async () => {
    server.use(
      http.post("/api/signup", () =>
        HttpResponse.json(
          {
            msg: "Invalid signup",
            errors: { password: "Password is too common." },
          },
          { status: 400 },
        ),
      ),
    );
    const { user } = renderApp("/signup");

    await fillIn(user, { username: "newbie", password: "password123" });
    await user.click(screen.getByRole("button", { name: "Sign up" }));

    const password = fields().password;
    await expect.poll(() => password.getAttribute("aria-invalid")).toBe("true");
    expect(password).toHaveAccessibleDescription(/Password is too common\./);
    expect(fields().username).not.toHaveAttribute("aria-invalid");
  });

  test("a commonly used password (the server's blocklist) is refused on the Password field", async () => {
    const why =
      "This password is too common: it is on a list of passwords people pick most.";
    server.use(
      http.post("/api/signup", () =>
        HttpResponse.json(
          { msg: "Invalid signup", errors: { password: [why] } },
          { status: 400 },
        ),
      ),
    );
    const { user, location } = renderApp("/signup");

    await fillIn(user, { username: "newbie", password: "12345678" });
    await user.click(screen.getByRole("button", { name: "Sign up" }));

    const password = fields().password;
    await expect.poll(() => password.getAttribute("aria-invalid")).toBe("true");
    expect(password).toHaveAccessibleDescription(new RegExp(why));
    expect(screen.getByText(why)).toBeVisible();
    expect(location()).toBe("/signup");
  });

  test("a taken username (409) is announced as an alert", async () => {
    server.use(...fakeApi());
    const { user, location } = renderApp("/signup");

    await fillIn(user, { username: "demo", password: "another-password" });
    await user.click(screen.getByRole("button", { name: "Sign up" }));

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Username already taken",
    );
    expect(location()).toBe("/signup");
    expect(screen.getByRole("button", { name: "Sign up" })).toBeEnabled();
  });

  test("the button is disabled and says 'Signing up...' while the request is in flight", async () => {
    const request = held();
    server.use(http.post("/api/signup", request.resolver));
    const { user } = renderApp("/signup");

    await fillIn(user, { username: "newbie", password: "a good password" });
    await user.click(screen.getByRole("button", { name: "Sign up" }));

    const button = await screen.findByRole("button", { name: "Signing up..." });
    expect(button).toBeDisabled();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();

    request.answer(
      HttpResponse.json({ msg: "Username already taken" }, { status: 409 }),
    );
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Username already taken",
    );
    expect(screen.getByRole("button", { name: "Sign up" })).toBeEnabled();
  });

  test("success goes to /login with a confirmation, and the new account can log in", async () => {
    server.use(...fakeApi());
    const { user, location } = renderApp("/signup");

    await fillIn(user, { username: "newbie", password: "a good password" });
    await user.click(screen.getByRole("button", { name: "Sign up" }));

    expect(await screen.findByRole("status")).toHaveTextContent(
      "Account created for newbie. You can log in now.",
    );
    expect(location()).toBe("/login");
    expect(screen.getByRole("textbox", { name: "Username" })).toHaveValue(
      "newbie",
    );

    await user.type(screen.getByLabelText("Password"), "a good password");
    await user.click(screen.getByRole("button", { name: "Log in" }));
    expect(
      await screen.findByRole("heading", { name: "Welcome, newbie" }),
    ).toBeInTheDocument();
  });
});
