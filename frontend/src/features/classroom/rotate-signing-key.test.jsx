import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, test } from "vitest";
import { TOKEN_KEY } from "../../api/token-store.js";
import { held, server } from "../../test/server.js";
import { fakeClassroom } from "../../test/fake-classroom.js";
import { fakeSigningKeys } from "../../test/fake-keys.js";
import { renderApp } from "../../test/render-app.jsx";

/** The teacher on /classroom, with `handlers` first; returns the "Signing key" region. */
async function openAsTeacher(...handlers) {
  const classroom = fakeClassroom();
  server.use(...handlers, ...classroom.handlers);
  window.localStorage.setItem(TOKEN_KEY, classroom.signIn("teacher"));
  const rendered = renderApp("/classroom");
  const region = await screen.findByRole(
    "region",
    { name: "Signing key" },
    { timeout: 5000 },
  );
  return { ...rendered, region };
}

describe("Rotate signing key", { timeout: 15_000 }, () => {
  test("a teacher rotates: the button waits for the server, then the new kid is shown", async () => {
    const keys = await fakeSigningKeys();
    const [first] = keys.keys;
    const request = held();
    const { user, region } = await openAsTeacher(
      http.post("/api/classroom/keys/rotate", request.resolver),
    );
    const button = within(region).getByRole("button", {
      name: "Rotate signing key",
    });

    await user.click(button);
    expect(button).toBeDisabled();
    expect(region).toHaveTextContent("Rotating...");

    const kid = await keys.rotate();
    request.answer(
      HttpResponse.json({
        alg: "ES256",
        keys: keys.keys
          .toReversed()
          .map(({ kid: k, alg, state, created_at }) => ({
            kid: k,
            alg,
            state,
            created_at,
          })),
      }),
    );

    const status = await within(region).findByRole("status");
    expect(status).toHaveTextContent(
      `New signing key: ${kid} (ES256). Still verified until their tokens expire: ${first.kid}.`,
    );
    expect(button).toBeEnabled();
    expect(within(region).queryByRole("alert")).toBeNull();
  });

  test("each click makes another key", async () => {
    const keys = await fakeSigningKeys();
    const { user, region } = await openAsTeacher(...keys.handlers);
    const button = within(region).getByRole("button", {
      name: "Rotate signing key",
    });

    await user.click(button);
    await waitFor(() =>
      expect(within(region).getByRole("status")).toHaveTextContent(
        `New signing key: ${keys.keys[1].kid}`,
      ),
    );
    await user.click(button);
    await waitFor(() =>
      expect(within(region).getByRole("status")).toHaveTextContent(
        `New signing key: ${keys.keys[2].kid}`,
      ),
    );
    expect(keys.keys.map((key) => key.state)).toEqual([
      "verify-only",
      "verify-only",
      "current",
    ]);
  });

  test("a refusal is shown in an alert, and the button can be pressed again", async () => {
    const { user, region } = await openAsTeacher(
      http.post("/api/classroom/keys/rotate", () =>
        HttpResponse.json(
          {
            msg: "Only a teacher may rotate the signing key",
            error: "forbidden",
          },
          { status: 403 },
        ),
      ),
    );
    const button = within(region).getByRole("button", {
      name: "Rotate signing key",
    });

    await user.click(button);

    expect(await within(region).findByRole("alert")).toHaveTextContent(
      "Only a teacher may rotate the signing key",
    );
    expect(within(region).queryByRole("status")).toBeNull();
    expect(button).toBeEnabled();
  });

  test("with the server unreachable the alert says so", async () => {
    const { user, region } = await openAsTeacher(
      http.post("/api/classroom/keys/rotate", () => HttpResponse.error()),
    );

    await user.click(
      within(region).getByRole("button", { name: "Rotate signing key" }),
    );

    expect(await within(region).findByRole("alert")).toHaveTextContent(
      "Cannot reach the server",
    );
  });
});
