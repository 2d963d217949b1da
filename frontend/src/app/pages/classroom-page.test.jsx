import { act, screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { TOKEN_KEY } from "../../api/token-store.js";
import { FORBIDDEN_MSG, fakeClassroom } from "../../test/fake-classroom.js";
import { renderApp } from "../../test/render-app.jsx";
import { server } from "../../test/server.js";
import { showTab } from "../../test/visibility.js";
import { POLL_MS } from "../../features/classroom/use-sessions.js";

const LIST = "GET /api/classroom/sessions";

/**
 * The fake classroom server (`first`: handlers that take precedence), `username` logged in
 * (token stored), the app opened at `path`.
 */
function openAs(
  username,
  path = "/classroom",
  api = fakeClassroom(),
  first = [],
) {
  server.use(...first, ...api.handlers);
  window.localStorage.setItem(TOKEN_KEY, api.signIn(username));
  return { api, ...renderApp(path) };
}

/** The "Class sessions" region, once the first answer has arrived. */
async function sessionsRegion() {
  const region = await screen.findByRole("region", { name: "Class sessions" });
  await waitFor(() =>
    expect(within(region).queryByText("Loading the sessions...")).toBeNull(),
  );
  return region;
}

function endAllButton(region) {
  return within(region).getByRole("button", {
    name: "End all student sessions",
  });
}

function rowOf(region, username) {
  return within(region).getByRole("row", { name: new RegExp(`^${username}`) });
}

// The poll and the countdown run on timers: fake ones, moved on by the test, so "every 1.5 s"
// is tested without waiting for it (real time still passes, for msw and Testing Library).
beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
});
afterEach(() => {
  vi.useRealTimers();
  showTab("visible");
});

async function nextPoll() {
  await act(() => vi.advanceTimersByTimeAsync(POLL_MS));
}

describe("classroom page, for a teacher", () => {
  test("a row per session; End session on student rows only; the teacher's own row says so", async () => {
    const api = fakeClassroom();
    api.signIn("student");
    api.signIn("demo");
    openAs("teacher", "/classroom", api);

    const region = await sessionsRegion();
    const rows = within(region).getAllByRole("row");
    expect(rows).toHaveLength(4); // header + 3 sessions, newest first
    expect(rows[1]).toHaveTextContent(/^teacher/);
    expect(rows[3]).toHaveTextContent(/^student/);

    const own = rowOf(region, "teacher");
    expect(own).toHaveTextContent("Your session");
    expect(within(own).queryByRole("button")).not.toBeInTheDocument();

    const student = rowOf(region, "student");
    expect(student).toHaveTextContent("student");
    expect(student).toHaveTextContent("active");
    expect(student).toHaveTextContent("never"); // not refreshed yet
    expect(student).toHaveTextContent(/1[45]:\d\d/); // access token expires in
    expect(
      within(student).getByRole("button", { name: "End session" }),
    ).toBeEnabled();
    expect(
      within(region).getAllByRole("button", { name: "End session" }),
    ).toHaveLength(2);
    expect(endAllButton(region)).toHaveAccessibleDescription(
      "Ends 2 student sessions on this server.",
    );
  });

  test("the header has a Classroom link for a teacher", async () => {
    openAs("teacher", "/private");
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(
      await within(nav).findByRole("link", { name: "Classroom" }),
    ).toHaveAttribute("href", "/classroom");
  });

  test("the access token's countdown goes down by itself", async () => {
    const api = fakeClassroom();
    api.signIn("student");
    openAs("teacher", "/classroom", api);
    const region = await sessionsRegion();
    const cell = () => rowOf(region, "student").querySelectorAll("td")[3];
    const before = cell().textContent;

    await act(() => vi.advanceTimersByTimeAsync(5000));

    expect(cell().textContent).not.toBe(before);
    expect(cell()).toHaveTextContent(/^1[45]:\d\d$/);
  });

  test("End session: the server ends it, the page says so and the row shows it", async () => {
    const api = fakeClassroom();
    api.signIn("student");
    const { user } = openAs("teacher", "/classroom", api);
    const region = await sessionsRegion();

    await user.click(
      within(rowOf(region, "student")).getByRole("button", {
        name: "End session",
      }),
    );

    expect(await within(region).findByRole("status")).toHaveTextContent(
      "Ended the session of student.",
    );
    await waitFor(() =>
      expect(rowOf(region, "student")).toHaveTextContent("ended by teacher"),
    );
    expect(
      within(rowOf(region, "student")).queryByRole("button"),
    ).not.toBeInTheDocument();
    expect(api.sessions[0].state).toBe("ended by teacher");
  });

  test("End all student sessions says how many it will end, then ends them in one click, never the teacher's", async () => {
    const api = fakeClassroom();
    api.signIn("student");
    api.signIn("demo");
    const { user } = openAs("teacher", "/classroom", api);
    const region = await sessionsRegion();
    const endAll = endAllButton(region);

    // Before the click: the count is shown beside the button and read out with it.
    expect(endAll).toBeEnabled();
    expect(endAll).toHaveAccessibleDescription(
      "Ends 2 student sessions on this server.",
    );
    expect(region).toHaveTextContent("Ends 2 student sessions on this server.");
    expect(
      api.calls["POST /api/classroom/sessions/end-students"],
    ).toBeUndefined();

    await user.click(endAll);

    expect(await within(region).findByRole("status")).toHaveTextContent(
      "Ended 2 student sessions.",
    );
    expect(api.calls["POST /api/classroom/sessions/end-students"]).toBe(1);
    expect(api.sessions.map((s) => s.state)).toEqual([
      "ended by teacher",
      "ended by teacher",
      "active",
    ]);
    await waitFor(() =>
      expect(rowOf(region, "student")).toHaveTextContent("ended by teacher"),
    );
    expect(rowOf(region, "teacher")).toHaveTextContent("active");
    // Nothing left to end: the button says so, and is disabled.
    expect(endAll).toHaveAccessibleDescription(
      "No student session on this server to end.",
    );
    expect(endAll).toBeDisabled();
  });

  test("End all's message gives what the server ended, even when a student arrived after the count", async () => {
    const api = fakeClassroom();
    api.signIn("student");
    const { user } = openAs("teacher", "/classroom", api);
    const region = await sessionsRegion();
    expect(endAllButton(region)).toHaveAccessibleDescription(
      "Ends 1 student session on this server.",
    );

    api.signIn("demo"); // between two polls: the page still says 1
    await user.click(endAllButton(region));

    expect(await within(region).findByRole("status")).toHaveTextContent(
      "Ended 2 student sessions.",
    );
  });

  test("with no student logged in, End all is disabled and says there is nothing to end", async () => {
    const { api } = openAs("teacher");
    const region = await sessionsRegion();
    const endAll = endAllButton(region);

    expect(endAll).toBeDisabled();
    expect(endAll).toHaveAccessibleDescription(
      "No student session on this server to end.",
    );

    api.signIn("student");
    await nextPoll();

    await waitFor(() => expect(endAll).toBeEnabled());
    expect(endAll).toHaveAccessibleDescription(
      "Ends 1 student session on this server.",
    );
  });

  test("an active session is listed first, after 250 ended ones", async () => {
    const api = fakeClassroom();
    for (let i = 0; i < 250; i += 1) api.signIn("demo");
    for (const session of api.sessions) session.state = "logged out";
    api.signIn("student"); // the one still active...
    api.signIn("demo");
    api.sessions.at(-1).state = "expired"; // ...and a newer one that ended
    openAs("teacher", "/classroom", api);
    const region = await sessionsRegion();

    const rows = within(region).getAllByRole("row");
    // The header, the two active sessions (the teacher's is the newest), then the ended ones.
    expect(rows[1]).toHaveTextContent(/^teacher.*active/);
    expect(rows[2]).toHaveTextContent(/^student.*active/);
    expect(rows[3]).toHaveTextContent(/^demo.*expired/);
    expect(
      within(rows[2]).getByRole("button", { name: "End session" }),
    ).toBeEnabled();
    expect(endAllButton(region)).toHaveAccessibleDescription(
      "Ends 1 student session on this server.",
    );
    expect(region).toHaveTextContent(
      "And 51 older ended sessions, not listed: every active session is.",
    );
  }, 30_000); // 200 rows rendered and queried by role: seconds on a busy machine

  test("a student who logs in shows up at the next poll, without a reload", async () => {
    const { api } = openAs("teacher");
    const region = await sessionsRegion();
    expect(within(region).queryByRole("row", { name: /^student/ })).toBeNull();

    api.signIn("student");
    await nextPoll();

    await waitFor(() =>
      expect(rowOf(region, "student")).toHaveTextContent("active"),
    );
  });

  test("polling stops when the page is left", async () => {
    const { api, user } = openAs("teacher");
    await sessionsRegion();
    await nextPoll();
    await waitFor(() => expect(api.calls[LIST]).toBe(2));

    await user.click(screen.getByRole("link", { name: "Private" }));
    await screen.findByRole("heading", { name: "Welcome, teacher" });
    await nextPoll();
    await nextPoll();

    expect(api.calls[LIST]).toBe(2);
  });

  test("a hidden tab stops asking; shown again, the table is brought up to date at once", async () => {
    const { api } = openAs("teacher");
    const region = await sessionsRegion();
    const asked = api.calls[LIST];

    act(() => showTab("hidden"));
    api.signIn("student");
    await nextPoll();
    await nextPoll();
    expect(api.calls[LIST]).toBe(asked);

    act(() => showTab("visible"));
    await waitFor(() =>
      expect(rowOf(region, "student")).toHaveTextContent("active"),
    );
    expect(api.calls[LIST]).toBe(asked + 1);
  });

  test("a session that no longer exists: the server's 404 is shown", async () => {
    const api = fakeClassroom();
    api.signIn("student");
    const { user } = openAs("teacher", "/classroom", api);
    const region = await sessionsRegion();
    api.sessions[0].id = 99; // gone from under the button

    await user.click(
      within(rowOf(region, "student")).getByRole("button", {
        name: "End session",
      }),
    );

    expect(await within(region).findByRole("alert")).toHaveTextContent(
      "No such session",
    );
  });

  test("a failed poll keeps the last table and says why", async () => {
    const api = fakeClassroom();
    api.signIn("student");
    openAs("teacher", "/classroom", api);
    const region = await sessionsRegion();

    server.use(http.get("/api/classroom/sessions", () => HttpResponse.error()));
    await nextPoll();

    expect(await within(region).findByRole("alert")).toHaveTextContent(
      "The table could not be updated: Cannot reach the server",
    );
    expect(rowOf(region, "student")).toBeInTheDocument();
  });
});

test("a server that cannot be reached at first says so instead of loading forever", async () => {
  openAs("teacher", "/classroom", fakeClassroom(), [
    http.get("/api/classroom/sessions", () => HttpResponse.error()),
  ]);

  const region = await screen.findByRole("region", { name: "Class sessions" });
  expect(await within(region).findByRole("alert")).toHaveTextContent(
    "The table could not be updated: Cannot reach the server",
  );
  expect(within(region).queryByRole("status")).toBeNull();
});

describe("classroom page, for anyone else", () => {
  test("a student gets the server's 403, explained next to 401, and no table", async () => {
    const { api } = openAs("student");

    expect(
      await screen.findByRole("heading", { name: "Classroom: teachers only" }),
    ).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent(
      `403 Forbidden: ${FORBIDDEN_MSG}`,
    );
    const main = screen.getByRole("main");
    expect(main).toHaveTextContent("You are logged in, but not allowed.");
    expect(main).toHaveTextContent("401 Unauthorized");
    // The lesson's API (a stock flask-jwt-extended) answers 401 or 422, never 403; this app
    // answers 403 in more than this one place.
    expect(main).toHaveTextContent(
      /it answers 401 for no token.* 422 for an edited payload/,
    );
    expect(main).toHaveTextContent(
      /403 only where .*\/api\/classroom\/\.\.\. .* and POST \/api\/password/,
    );
    expect(main).not.toHaveTextContent(/that is always a 401|the one place/);
    expect(main).toHaveTextContent(
      /next login brings a token with the new role/,
    );
    expect(
      screen.queryByRole("region", { name: "Class sessions" }),
    ).not.toBeInTheDocument();
    // Still logged in: a 403 is not a reason to end the session.
    expect(screen.getByRole("button", { name: "Log out" })).toBeInTheDocument();
    expect(
      screen.queryByRole("link", { name: "Classroom" }),
    ).not.toBeInTheDocument();
    // Asking again would not change the answer: no polling.
    await nextPoll();
    expect(api.calls[LIST]).toBe(1);
  });

  test("logged out, /classroom sends you to /login", async () => {
    server.use(...fakeClassroom().handlers);
    const { location } = renderApp("/classroom");
    await screen.findByRole("button", { name: "Log in" });
    expect(location()).toBe("/login");
  });
});

describe("one class among several on the same server", () => {
  // 7 December, 10:30 local time; one student logged in at 09:10 (an earlier class), one at
  // 10:05 (this class).
  const NOW = new Date(2026, 11, 7, 10, 30);
  const TEN = new Date(2026, 11, 7, 10, 0);

  function twoClasses() {
    vi.setSystemTime(NOW);
    const api = fakeClassroom();
    api.signIn("student", { startedAt: new Date(2026, 11, 7, 9, 10) });
    api.signIn("demo", { startedAt: new Date(2026, 11, 7, 10, 5) });
    return api;
  }

  test("'This class started at' lists only the sessions since then, and End all ends only those", async () => {
    const api = twoClasses();
    const { user, location } = openAs("teacher", "/classroom", api);
    const region = await sessionsRegion();
    expect(endAllButton(region)).toHaveAccessibleDescription(
      "Ends 2 student sessions on this server.",
    );

    await user.type(
      within(region).getByLabelText("This class started at"),
      "10:00",
    );

    await waitFor(() =>
      expect(
        within(region).queryByRole("row", { name: /^student/ }),
      ).not.toBeInTheDocument(),
    );
    expect(rowOf(region, "demo")).toHaveTextContent("active");
    expect(endAllButton(region)).toHaveAccessibleDescription(
      "Ends 1 student session started since 10:00.",
    );
    expect(api.lastSince.at(-1)).toBe(TEN.toISOString());
    // Kept in the address, so a reload keeps it.
    expect(location()).toBe(
      `/classroom?since=${encodeURIComponent(TEN.toISOString())}`,
    );

    await user.click(endAllButton(region));

    expect(await within(region).findByRole("status")).toHaveTextContent(
      "Ended 1 student session.",
    );
    expect(api.sessions.map((s) => [s.user.username, s.state])).toEqual([
      ["student", "active"], // the earlier class goes on
      ["demo", "ended by teacher"],
      ["teacher", "active"],
    ]);
  });

  test("Show every session takes the limit away", async () => {
    const api = twoClasses();
    const since = encodeURIComponent(TEN.toISOString());
    const { user, location } = openAs(
      "teacher",
      `/classroom?since=${since}`,
      api,
    );
    const region = await sessionsRegion();
    expect(within(region).getByLabelText("This class started at")).toHaveValue(
      "10:00",
    );
    expect(endAllButton(region)).toHaveAccessibleDescription(
      "Ends 1 student session started since 10:00.",
    );

    await user.click(
      within(region).getByRole("button", { name: "Show every session" }),
    );

    await waitFor(() =>
      expect(rowOf(region, "student")).toHaveTextContent("active"),
    );
    expect(endAllButton(region)).toHaveAccessibleDescription(
      "Ends 2 student sessions on this server.",
    );
    expect(within(region).getByLabelText("This class started at")).toHaveValue(
      "",
    );
    expect(location()).toBe("/classroom");
  });
});
