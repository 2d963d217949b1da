import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, test } from "vitest";
import { TOKEN_KEY } from "../../api/token-store.js";
import { signedWithKey } from "../../features/lab/forge.js";
import { encodePart } from "../../lib/jwt.js";
import { accessClaims, makeJwt } from "../../test/jwt.js";
import { renderApp } from "../../test/render-app.jsx";
import { server } from "../../test/server.js";
import { guessKey, TUTORIAL_KEYS } from "./how-it-works-keys.jsx";

// The page is lazy and long: see how-it-works-page.test.jsx.
const LOADED = { timeout: 10000 };
const SLOW = 30000;

async function openKeys() {
  const { user } = renderApp("/how-it-works");
  const section = await screen.findByRole(
    "region",
    { name: "Keys, algorithms and audiences" },
    LOADED,
  );
  return { user, section };
}

/** Log in as far as the page is concerned: this token in storage, the server knows the user. */
function loggedInWith(token) {
  server.use(
    http.get("/api/protected", () =>
      HttpResponse.json({ id: 2, username: "student" }),
    ),
  );
  window.localStorage.setItem(TOKEN_KEY, token);
}

describe("keys, algorithms and audiences", () => {
  test(
    "with the example token: HS256 shared, no iss or aud, no kid",
    async () => {
      const { section } = await openKeys();

      const algorithms = within(section).getByRole("region", {
        name: "One shared secret: HS256, RS256, ES256",
      });
      expect(algorithms).toHaveTextContent(
        'The example token says "alg": "HS256"',
      );
      expect(algorithms).toHaveTextContent(
        "whatever can check a token can also make one",
      );
      expect(algorithms).toHaveTextContent("a public key that only verifies");

      const audience = within(section).getByRole("region", {
        name: "Who made it, who it is for: iss and aud",
      });
      expect(audience).toHaveTextContent(
        "The example token has neither: this app does not issue them today.",
      );
      expect(audience).toHaveTextContent("RFC 7519 §4.1.1");
      expect(audience).toHaveTextContent("(§3.9)");

      const keys = within(section).getByRole("region", {
        name: "Keys: guessed, rotated, changed",
      });
      expect(keys).toHaveTextContent("no rate limit applies");
      expect(keys).toHaveTextContent(
        "The example token's header has no kid: this app signs with one key",
      );
      expect(keys).toHaveTextContent("everyone is logged out");
    },
    SLOW,
  );

  test(
    "Guess the key finds the lesson's key, not a random one",
    async () => {
      const { user, section } = await openKeys();
      const keys = within(section).getByRole("region", {
        name: "Keys: guessed, rotated, changed",
      });

      await user.click(
        within(keys).getByRole("button", { name: "Guess the key" }),
      );

      expect(await within(keys).findByRole("status")).toHaveTextContent(
        `This token: none of them signed it. The same token signed with the lesson's key: found, "super-secret".`,
      );
    },
    SLOW,
  );

  test(
    "logged in, it shows your own token's iss, aud and kid when it has them",
    async () => {
      const claims = accessClaims({
        sub: "2",
        role: "student",
        iss: "https://classroom.example",
        aud: "classroom-api",
      });
      const header = encodePart({ alg: "HS256", typ: "JWT", kid: "2030-01" });
      const token = `${header}.${makeJwt(claims).split(".").slice(1).join(".")}`;
      loggedInWith(token);

      const { section } = await openKeys();

      const audience = within(section).getByRole("region", {
        name: "Who made it, who it is for: iss and aud",
      });
      // The page turns live once the server has said who this token is for.
      await waitFor(
        () =>
          expect(audience).toHaveTextContent(
            'Your token says iss "https://classroom.example" and aud "classroom-api".',
          ),
        LOADED,
      );
      expect(section).toHaveTextContent(
        `Your token's header says "kid": "2030-01".`,
      );
    },
    SLOW,
  );
});

describe("guessKey", () => {
  test("finds a tutorial key from one token, offline", async () => {
    const token = await signedWithKey(makeJwt(accessClaims()), "changeme");
    expect(TUTORIAL_KEYS).toContain("changeme");
    expect(await guessKey(token)).toBe("changeme");
  });

  test("finds nothing for a key that is not on the list", async () => {
    const token = await signedWithKey(
      makeJwt(accessClaims()),
      "Zq8vT3nW5kR1xL7cZq8vT3nW5kR1xL7c",
    );
    expect(await guessKey(token)).toBeNull();
  });
});
