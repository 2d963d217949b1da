import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, test } from "vitest";
import { TOKEN_KEY } from "../../api/token-store.js";
import { signedWithKey } from "../../features/lab/forge.js";
import {
  guessKey,
  TUTORIAL_KEYS,
} from "../../features/how-it-works/key-guess.jsx";
import { encodePart } from "../../lib/jwt.js";
import { accessClaims, makeJwt } from "../../test/jwt.js";
import { renderApp } from "../../test/render-app.jsx";
import { server } from "../../test/server.js";

// The page is lazy and long: see how-it-works-page.test.jsx.
const LOADED = { timeout: 10000 };
const SLOW = 30000;

const PANELS = {
  algorithms: "One shared secret or a key pair: HS256, ES256, RS256, EdDSA",
  guessing: "A weak HS256 key is guessed offline",
  jwks: "Public keys, published: the JWKS",
  rotation: "Keys rotate, and nobody is logged out",
  audience: "Who made it, who it is for: iss and aud",
  attacks: "Attacks that come with keys",
};

async function openKeys() {
  const { user } = renderApp("/how-it-works");
  const section = await screen.findByRole(
    "region",
    { name: "Keys, algorithms and audiences" },
    LOADED,
  );
  const panel = (name) =>
    within(section).getByRole("region", { name: PANELS[name] });
  return { user, section, panel };
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

/** A token with this header, the claims of an access token plus `claims`, a made-up signature. */
function tokenWith(header, claims = {}) {
  const payload = makeJwt(
    accessClaims({ sub: "2", role: "student", ...claims }),
  )
    .split(".")
    .slice(1)
    .join(".");
  return `${encodePart({ typ: "JWT", ...header })}.${payload}`;
}

describe("keys, algorithms and audiences", () => {
  test(
    "with the example token: the lesson's HS256, and the mode left to the server's setting",
    async () => {
      const { panel } = await openKeys();

      const algorithms = panel("algorithms");
      expect(algorithms).toHaveTextContent(
        `The example token says "alg": "HS256", the lesson's algorithm.`,
      );
      expect(algorithms).toHaveTextContent(
        "log in and this panel reads it from your own token",
      );
      expect(algorithms).toHaveTextContent(
        "whatever can check a token can also make one",
      );
      expect(algorithms).toHaveTextContent("a public key that only verifies");
      expect(algorithms).toHaveTextContent("Ed25519 since Chrome 137");

      const guessing = panel("guessing");
      expect(guessing).toHaveTextContent("no rate limit applies");
      expect(guessing).toHaveTextContent("RFC 8725 §3.5");

      const jwks = panel("jwks");
      expect(jwks).toHaveTextContent(
        "The example token's header has no kid, like the lesson's.",
      );
      expect(jwks).toHaveTextContent("GET /.well-known/jwks.json");
      expect(jwks).toHaveTextContent("RFC 7515 §4.1.4");
      expect(jwks).toHaveTextContent(
        'In HS256 mode the list is empty, {"keys": []}',
      );

      const rotation = panel("rotation");
      expect(rotation).toHaveTextContent(
        "new tokens are signed with it and carry its kid",
      );
      expect(rotation).toHaveTextContent(
        "tokens it signed keep working until they expire",
      );
      expect(rotation).toHaveTextContent('"error": "key_retired"');
      expect(rotation).toHaveTextContent("everyone is logged out");

      const audience = panel("audience");
      expect(audience).toHaveTextContent(
        "The example token has neither: log in and this sentence shows your own token's.",
      );
      expect(audience).toHaveTextContent("RFC 7519 §4.1.1");
      expect(audience).toHaveTextContent("(§3.9)");
    },
    SLOW,
  );

  test(
    "names each attack that comes with keys, and why this server answers 401",
    async () => {
      const { panel } = await openKeys();
      const attacks = panel("attacks");

      expect(
        within(attacks)
          .getAllByRole("term")
          .map((term) => term.textContent),
      ).toEqual([
        "Algorithm confusion",
        "An embedded jwk",
        "A jku pointing elsewhere",
        "A kid with a path in it",
        "An unknown kid",
        "Another aud or iss",
      ]);
      const answers = within(attacks).getAllByRole("definition");
      expect(answers).toHaveLength(6);
      for (const answer of answers) {
        expect(answer).toHaveTextContent(/Here: \S/);
      }
      expect(attacks).toHaveTextContent(
        'this server answers each with 401 "error": "token_invalid"',
      );
      expect(answers[0]).toHaveTextContent("RFC 8725 §3.1");
      expect(answers[4]).toHaveTextContent("key_retired");
      expect(
        within(attacks).getByRole("link", { name: "Lab" }),
      ).toHaveAttribute("href", "/lab");
    },
    SLOW,
  );

  test(
    "Guess the key finds the lesson's key, not a random one",
    async () => {
      const { user, panel } = await openKeys();
      const guessing = panel("guessing");

      await user.click(
        within(guessing).getByRole("button", { name: "Guess the key" }),
      );

      expect(await within(guessing).findByRole("status")).toHaveTextContent(
        `This token: none of them signed it. The same token signed with the lesson's key: found, "super-secret".`,
      );
    },
    SLOW,
  );

  test(
    "logged in with an ES256 token, it reads the mode, kid, iss and aud from it",
    async () => {
      loggedInWith(
        tokenWith(
          { alg: "ES256", kid: "2030-01" },
          { iss: "https://classroom.example", aud: "classroom-api" },
        ),
      );

      const { panel } = await openKeys();

      const audience = panel("audience");
      // The page turns live once the server has said who this token is for.
      await waitFor(
        () =>
          expect(audience).toHaveTextContent(
            'Your token says iss "https://classroom.example" and aud "classroom-api".',
          ),
        LOADED,
      );
      expect(panel("algorithms")).toHaveTextContent(
        'Your token says "alg": "ES256": its signature is an ECDSA signature on the P-256 curve with SHA-256 (RFC 7518 §3.4).',
      );
      expect(panel("algorithms")).toHaveTextContent(
        "So this server signs with a private key, and anyone may hold its public key.",
      );
      expect(panel("jwks")).toHaveTextContent(
        `Your token's header says "kid": "2030-01".`,
      );
      // The beginner panel says how such a token is checked: with a public key, not a secret.
      expect(
        screen.getByRole("region", { name: "Decoding is not verifying" }),
      ).toHaveTextContent(
        "it checks the signature, an ECDSA signature on the P-256 curve with SHA-256 (RFC 7518 §3.4) over header and payload, with its public key",
      );
    },
    SLOW,
  );

  test(
    "logged in with an HS256 token, it says the server holds one shared secret",
    async () => {
      loggedInWith(tokenWith({ alg: "HS256", kid: "2030-01" }));

      const { panel } = await openKeys();

      await waitFor(
        () =>
          expect(panel("algorithms")).toHaveTextContent(
            "So this server holds one shared secret.",
          ),
        LOADED,
      );
      expect(
        screen.getByRole("region", { name: "Decoding is not verifying" }),
      ).toHaveTextContent(
        "it recomputes the signature, an HMAC-SHA256 (RFC 7518 §3.2) over header and payload, with its secret key and compares",
      );
    },
    SLOW,
  );
});

describe("guessKey", () => {
  test("finds a tutorial key from one token, offline", async () => {
    const token = await signedWithKey(makeJwt(accessClaims()), "changeme");
    expect(TUTORIAL_KEYS).toContain("changeme");
    expect(guessKey(token)).toBe("changeme");
  });

  test("finds nothing for a key that is not on the list", async () => {
    const token = await signedWithKey(
      makeJwt(accessClaims()),
      "Zq8vT3nW5kR1xL7cZq8vT3nW5kR1xL7c",
    );
    expect(guessKey(token)).toBeNull();
  });
});
