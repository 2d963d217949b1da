import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, test } from "vitest";
import { TOKEN_KEY } from "../../api/token-store.js";
import {
  AUDIENCE,
  fakeSharedSecret,
  fakeSigningKeys,
  ISSUER,
  KEY_IN_HEADER,
  UNKNOWN_KID,
} from "../../test/fake-keys.js";
import { accessClaims, makeJwt } from "../../test/jwt.js";
import { renderApp } from "../../test/render-app.jsx";
import { server } from "../../test/server.js";

const CLAIMS = accessClaims({ sub: "1", iss: ISSUER, aud: AUDIENCE });

// An ES256 server whose /api/protected checks tokens as the real one does (test/fake-keys.js).
// `specimens`: whether POST /api/lab/tokens hands out genuine tokens for another aud and iss.
async function openLab({ specimens }) {
  const keys = await fakeSigningKeys();
  const real = await keys.sign(CLAIMS);
  const lab = { expired: real, refresh: real, revoked: real, other_user_id: 2 };
  if (specimens) {
    lab.other_audience = await keys.sign({ ...CLAIMS, aud: "another-api" });
    lab.other_issuer = await keys.sign({
      ...CLAIMS,
      iss: "https://issuer.example",
    });
  }
  server.use(
    ...keys.handlers,
    http.get("/api/protected", async ({ request }) => {
      const { response } = await keys.check(request);
      return response ?? HttpResponse.json({ id: 1, username: "demo" });
    }),
    http.post("/api/lab/tokens", () => HttpResponse.json(lab)),
  );
  window.localStorage.setItem(TOKEN_KEY, real);
  const rendered = renderApp("/lab");
  await screen.findByRole("region", { name: "Tamper lab" }, { timeout: 5000 });
  return { ...rendered, real };
}

async function runExperiment(user, title, button) {
  const lab = screen.getByRole("region", { name: "Tamper lab" });
  const article = within(lab).getByRole("article", { name: title });
  await user.click(within(article).getByRole("button", { name: button }));
  await waitFor(() =>
    expect(within(article).queryByText("Sending...")).not.toBeInTheDocument(),
  );
  return article;
}

const KEY_EXPERIMENTS = [
  [
    "10. Sign HS256 with the public key (algorithm confusion)",
    "Sign with the public key",
    "The specified alg value is not allowed",
    'Header says "alg": "HS256"',
  ],
  [
    "11. Bring your own key in the header (jwk)",
    "Embed a jwk",
    KEY_IN_HEADER,
    'its public key put in the header as "jwk"',
  ],
  [
    "12. Point jku at your own key set",
    "Add a jku",
    KEY_IN_HEADER,
    '"jku": "https://attacker.example/jwks.json"',
  ],
  [
    "13. Put a path in kid",
    "Use a path as kid",
    UNKNOWN_KID,
    'kid set to "../../../dev/null"',
  ],
  [
    "14. Name a key that does not exist",
    "Use an unknown kid",
    UNKNOWN_KID,
    'kid set to "20000101-00000000"',
  ],
  [
    "15. Send a token for another audience",
    "Change aud",
    "Audience doesn't match",
    'A genuine token from this server, signed by its current key, whose aud is "another-api".',
  ],
  [
    "16. Send a token from another issuer",
    "Change iss",
    "Invalid issuer",
    'whose iss is "https://issuer.example"',
  ],
];

describe("the tamper lab's key experiments", { timeout: 30_000 }, () => {
  test("each is refused with 401, its kind and the server's reason; the session survives", async () => {
    const { user, location, real } = await openLab({ specimens: true });

    for (const [title, button, msg, changed] of KEY_EXPERIMENTS) {
      const article = await runExperiment(user, title, button);
      expect(article).toHaveTextContent("401 Unauthorized");
      expect(article).toHaveTextContent(msg);
      expect(article).toHaveTextContent("Kindtoken_invalid");
      expect(article).toHaveTextContent(changed);
      expect(within(article).getByText("as expected")).toBeInTheDocument();
    }
    expect(location()).toBe("/lab");
    expect(window.localStorage.getItem(TOKEN_KEY)).toBe(real);
  });

  test("without the server's aud and iss specimens, the claim is edited and the signature check refuses it", async () => {
    const { user } = await openLab({ specimens: false });

    const aud = await runExperiment(
      user,
      "15. Send a token for another audience",
      "Change aud",
    );
    expect(aud).toHaveTextContent(
      'aud "jwt-classroom-api" changed to "another-api" in the payload',
    );
    expect(aud).toHaveTextContent(
      "fails the signature check, which comes first",
    );
    expect(aud).toHaveTextContent("Signature verification failed");
    expect(within(aud).getByText("as expected")).toBeInTheDocument();
  });

  test("on an HS256 server the algorithm confusion has no public key to use, and says so", async () => {
    server.use(
      ...fakeSharedSecret(),
      http.get("/api/protected", () =>
        HttpResponse.json({ id: 1, username: "demo" }),
      ),
    );
    window.localStorage.setItem(TOKEN_KEY, makeJwt(CLAIMS));
    const { user } = renderApp("/lab");
    await screen.findByRole(
      "region",
      { name: "Tamper lab" },
      { timeout: 5000 },
    );

    const confusion = await runExperiment(
      user,
      "10. Sign HS256 with the public key (algorithm confusion)",
      "Sign with the public key",
    );
    expect(confusion).toHaveTextContent(
      "This server signs with HS256 and publishes no public key",
    );
    expect(confusion).not.toHaveTextContent("401");
  });
});
