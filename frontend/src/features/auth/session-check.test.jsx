// The logged-in tab's session check: a session ended elsewhere (by the teacher) ends here too,
// within seconds and without a click, and /login says why: the app's sentence for the 401's kind.
import { act, screen, waitFor } from "@testing-library/react";
import { http } from "msw";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { getRequestLog } from "../../api/request-log.js";
import { TOKEN_KEY } from "../../api/token-store.js";
import { unauthorized } from "../../test/fake-api.js";
import { fakeClassroom } from "../../test/fake-classroom.js";
import { renderApp } from "../../test/render-app.jsx";
import { server } from "../../test/server.js";
import { showTab } from "../../test/visibility.js";
import { SESSION_CHECK_MS } from "./auth-provider.jsx";

const CHECK = "GET /api/protected";
const ENDED_NOTICE = "Your session was ended by the teacher";

// The check runs on a timer: fake timers moved on by the test (real time still passes too).
beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
});
afterEach(() => {
  vi.useRealTimers();
  showTab("visible");
});

async function nextCheck() {
  await act(() => vi.advanceTimersByTimeAsync(SESSION_CHECK_MS));
}

/** The student logged in (token stored) with /private open. */
async function studentOnPrivatePage() {
  const api = fakeClassroom();
  server.use(...api.handlers);
  window.localStorage.setItem(TOKEN_KEY, api.signIn("student"));
  const rendered = renderApp("/private");
  await screen.findByRole("heading", { name: "Welcome, student" });
  return { api, ...rendered };
}

describe("the session check", () => {
  test("a session the teacher ended lands on /login saying so, no click needed", async () => {
    const { api, location } = await studentOnPrivatePage();

    api.sessions[0].state = "ended by teacher";
    await nextCheck();

    await waitFor(() => expect(location()).toBe("/login"));
    expect(screen.getByRole("alert")).toHaveTextContent(
      new RegExp(`^${ENDED_NOTICE}$`),
    );
    expect(window.localStorage.getItem(TOKEN_KEY)).toBeNull();
  });

  // The server may reword its messages: what the app does and says follows the kind.
  test("a reworded msg of the same kind changes nothing", async () => {
    const { location } = await studentOnPrivatePage();
    server.use(
      http.get("/api/protected", () =>
        unauthorized("session_ended", "Your instructor closed this session."),
      ),
    );

    await nextCheck();

    await waitFor(() => expect(location()).toBe("/login"));
    expect(screen.getByRole("alert")).toHaveTextContent(
      new RegExp(`^${ENDED_NOTICE}$`),
    );
    expect(window.localStorage.getItem(TOKEN_KEY)).toBeNull();
  });

  // The access token expired meanwhile, and the refresh is refused for a reason written for
  // people: the teacher ended the session, or its absolute lifetime (SESSION_MAX_AGE) is over.
  // The words the server sends here are not the ones the page shows: the kind decides.
  test.each([
    ["session_ended", ENDED_NOTICE],
    ["session_over", "Your session is over: please log in again"],
  ])(
    "an expired token whose refresh is refused as %s lands on /login saying %s",
    async (kind, notice) => {
      const { location } = await studentOnPrivatePage();
      server.use(
        http.get("/api/protected", () =>
          unauthorized("token_expired", "Token has expired"),
        ),
        http.post("/api/token/refresh", () =>
          unauthorized(kind, "Refresh refused"),
        ),
      );

      await nextCheck();

      await waitFor(() => expect(location()).toBe("/login"));
      expect(screen.getByRole("alert")).toHaveTextContent(
        new RegExp(`^${notice}$`),
      );
      expect(window.localStorage.getItem(TOKEN_KEY)).toBeNull();
    },
  );

  test("a live session is asked about every few seconds, and stays", async () => {
    const { api, location } = await studentOnPrivatePage();
    const before = api.calls[CHECK];

    await nextCheck();
    await waitFor(() => expect(api.calls[CHECK]).toBe(before + 1));
    await nextCheck();
    await waitFor(() => expect(api.calls[CHECK]).toBe(before + 2));

    expect(location()).toBe("/private");
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  test("after Log out, no more checks", async () => {
    const { api, user } = await studentOnPrivatePage();

    await user.click(screen.getByRole("button", { name: "Log out" }));
    await screen.findByRole("button", { name: "Log in" });
    const after = api.calls[CHECK];
    await nextCheck();
    await nextCheck();

    expect(api.calls[CHECK]).toBe(after);
  });

  test("the checks stay out of the lab's request log", async () => {
    const { api } = await studentOnPrivatePage();
    const logged = getRequestLog().length;
    const before = api.calls[CHECK];

    await nextCheck();
    await waitFor(() => expect(api.calls[CHECK]).toBe(before + 1));

    expect(getRequestLog()).toHaveLength(logged);
  });

  test("a hidden tab asks nothing; shown again, it asks at once and learns the session ended", async () => {
    const { api, location } = await studentOnPrivatePage();
    const before = api.calls[CHECK];

    act(() => showTab("hidden"));
    await nextCheck();
    await nextCheck();
    await nextCheck();
    expect(api.calls[CHECK]).toBe(before);

    // Meanwhile the teacher ended the session: the tab finds out as soon as it is looked at,
    // without waiting for the next round.
    api.sessions[0].state = "ended by teacher";
    act(() => showTab("visible"));

    await waitFor(() => expect(location()).toBe("/login"));
    expect(api.calls[CHECK]).toBe(before + 1);
    expect(screen.getByRole("alert")).toHaveTextContent(ENDED_NOTICE);
  });

  test("hidden in the middle of a round, shown again: checks go on every few seconds", async () => {
    const { api } = await studentOnPrivatePage();
    const before = api.calls[CHECK];

    act(() => showTab("hidden"));
    await nextCheck();
    act(() => showTab("visible"));
    await waitFor(() => expect(api.calls[CHECK]).toBe(before + 1));
    await nextCheck();
    await waitFor(() => expect(api.calls[CHECK]).toBe(before + 2));
  });
});
