import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { afterEach, describe, expect, test, vi } from "vitest";
import { TOKEN_KEY } from "../../api/token-store.js";
import { encodePart, splitToken } from "../../lib/jwt.js";
import {
  fakeSharedSecret,
  fakeSigningKeys,
  SHARED_SECRET_NOTE,
} from "../../test/fake-keys.js";
import { accessClaims } from "../../test/jwt.js";
import { renderApp } from "../../test/render-app.jsx";
import { server } from "../../test/server.js";

// The lab's other parts ask the server too: who is logged in, and the tamper lab's specimens.
const me = http.get("/api/protected", () =>
  HttpResponse.json({ id: 1, username: "demo" }),
);

async function openLab(token, ...handlers) {
  server.use(me, ...handlers);
  window.localStorage.setItem(TOKEN_KEY, token);
  const rendered = renderApp("/lab");
  // The lab's code arrives on first use (React.lazy): the first test waits for it longer.
  const panel = await screen.findByRole(
    "region",
    { name: "Keys" },
    { timeout: 5000 },
  );
  return { ...rendered, panel };
}

/** The panel's status once it says `text` (it says "Checking..." first). */
async function statusSays(panel, text) {
  await waitFor(() =>
    expect(within(panel).getByRole("status")).toHaveTextContent(text),
  );
}

function headerRow(name) {
  const inspector = screen.getByRole("region", { name: "Token inspector" });
  const table = within(inspector).getByRole("table", { name: "Header fields" });
  return within(table).getByRole("row", { name: new RegExp(`^${name}`) });
}

// The first key the fake server makes.
const FIRST_KID = "20261208-00000001";

afterEach(() => vi.unstubAllGlobals());

// Real key pairs, real signatures, and the lab's code loaded on first use: slower than most.
describe("the Keys panel", { timeout: 15_000 }, () => {
  test("shows the JWKS as fetched, public members only, and checks the token with WebCrypto", async () => {
    const keys = await fakeSigningKeys();
    const token = await keys.sign(accessClaims());
    const { panel } = await openLab(token, ...keys.handlers);

    const jwks = await within(panel).findByLabelText("JWKS");
    expect(JSON.parse(jwks.textContent)).toEqual(keys.jwks());
    expect(jwks).toHaveTextContent(`"kid": "${FIRST_KID}"`);
    // A private EC key's member would be "d".
    expect(jwks).not.toHaveTextContent('"d"');
    await statusSays(
      panel,
      `Signature valid: your token (ES256, kid "${FIRST_KID}"), checked with the public key of the same kid, in this browser by the browser's own WebCrypto`,
    );
    const table = within(panel).getByRole("table", {
      name: /The server's signing keys/,
    });
    expect(
      within(table).getByRole("row", {
        name: new RegExp(`^${FIRST_KID} \\(your token's\\) ES256 current`),
      }),
    ).toHaveTextContent("current");
    await waitFor(() =>
      expect(headerRow("kid")).toHaveTextContent(
        "This one is the current key, which signs every new token.",
      ),
    );
    expect(headerRow("alg")).toHaveTextContent("ECDSA on the P-256 curve");
  });

  test("on plain http (no crypto.subtle) @noble/curves does the check", async () => {
    const keys = await fakeSigningKeys();
    const token = await keys.sign(accessClaims());
    vi.stubGlobal("crypto", {
      getRandomValues: (array) => array,
      randomUUID: () => "00000000-0000-4000-8000-000000000000",
    });
    const { panel } = await openLab(token, ...keys.handlers);

    await statusSays(panel, "Signature valid");
    expect(within(panel).getByRole("status")).toHaveTextContent(
      "by @noble/curves: this page is not a secure context",
    );
  });

  test("a token with an edited payload fails the check", async () => {
    const keys = await fakeSigningKeys();
    const { header, signature } = splitToken(
      await keys.sign(accessClaims({ sub: "1" })),
    );
    const edited = `${header}.${encodePart(accessClaims({ sub: "2" }))}.${signature}`;
    const { panel } = await openLab(edited, ...keys.handlers);

    await statusSays(panel, "Signature invalid");
  });

  test("after a rotation a token from the new key makes the page fetch the JWKS again, and the old key is shown as older", async () => {
    const keys = await fakeSigningKeys();
    const old = await keys.sign(accessClaims());
    let jwksFetches = 0;
    const cacheModes = new Set();
    server.events.on("request:start", ({ request }) => {
      if (new URL(request.url).pathname === "/.well-known/jwks.json") {
        jwksFetches += 1;
        cacheModes.add(request.cache);
      }
    });
    const { panel } = await openLab(old, ...keys.handlers);
    await statusSays(panel, "Signature valid");
    expect(jwksFetches).toBe(1);

    const kid = await keys.rotate();
    // What the next refresh brings: a token signed by the new key.
    window.localStorage.setItem(TOKEN_KEY, await keys.sign(accessClaims()));

    await waitFor(
      () =>
        expect(within(panel).getByRole("status")).toHaveTextContent(
          `Signature valid: your token (ES256, kid "${kid}")`,
        ),
      { timeout: 3000 },
    );
    expect(jwksFetches).toBe(2);
    // The browser's cached copy (the server allows a minute) would not have the new key.
    expect([...cacheModes]).toEqual(["no-cache"]);
    expect(within(panel).getByLabelText("JWKS")).toHaveTextContent(
      `"kid": "${FIRST_KID}"`,
    );
    const table = within(panel).getByRole("table", {
      name: /The server's signing keys/,
    });
    await waitFor(() =>
      expect(
        within(table).getByRole("row", { name: new RegExp(`^${FIRST_KID}`) }),
      ).toHaveTextContent("verify-only"),
    );
    expect(headerRow("kid")).toHaveTextContent("This one is the current key");
    server.events.removeAllListeners();
  });

  test("a kid no published key has is said, not checked", async () => {
    const keys = await fakeSigningKeys();
    const { payload, signature } = splitToken(await keys.sign(accessClaims()));
    const stranger = `${encodePart({ alg: "ES256", typ: "JWT", kid: "stranger" })}.${payload}.${signature}`;
    const { panel } = await openLab(stranger, ...keys.handlers);

    await statusSays(
      panel,
      'No key in the JWKS has your token\'s kid "stranger": this page cannot check it.',
    );
    await waitFor(() =>
      expect(headerRow("kid")).toHaveTextContent(
        "This one is a key this server does not list.",
      ),
    );
  });

  test("with HS256 the JWKS is empty, and the panel says why the browser cannot check", async () => {
    const { panel } = await openLab(
      `${encodePart({ alg: "HS256", typ: "JWT", kid: "hs-1" })}.${encodePart(accessClaims())}.c2ln`,
      ...fakeSharedSecret(),
    );

    expect(await within(panel).findByLabelText("JWKS")).toHaveTextContent(
      '"keys": []',
    );
    expect(panel).toHaveTextContent(SHARED_SECRET_NOTE);
    expect(within(panel).getByRole("status")).toHaveTextContent(
      "This browser cannot check your token's signature: with HS256 only the server, which holds the secret, can.",
    );
  });

  test("a JWKS that cannot be fetched is said in an alert", async () => {
    const keys = await fakeSigningKeys();
    const { panel } = await openLab(
      await keys.sign(accessClaims()),
      // First: msw answers with the first handler that matches.
      http.get("/.well-known/jwks.json", () => HttpResponse.error()),
      ...keys.handlers,
    );

    expect(await within(panel).findByRole("alert")).toHaveTextContent(
      "Could not fetch the JWKS: Cannot reach the server",
    );
  });
});
