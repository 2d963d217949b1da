import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// `make dev` sets API_PROXY: the SPA calls /api on its own origin and the dev server passes the
// call on to Flask, so the browser sees one origin and the SameSite=Strict refresh cookie flows,
// even where every forwarded port is a site of its own (Codespaces). The public signing keys,
// /.well-known/jwks.json, are Flask's too.
const apiProxy = process.env.API_PROXY;
// Codespaces serves this server as <codespace>-5173.<domain>, a host Vite refuses by default.
const forwardedDomain = process.env.GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN;

// One config for the dev server, the production build (frontend/dist, served by Flask) and the
// unit tests. The API base URL comes from VITE_API_URL at build time (empty = same origin); the
// e2e CORS test sets it to call an API on another port for real.
export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: apiProxy
      ? { "/api": apiProxy, "/.well-known/jwks.json": apiProxy }
      : undefined,
    allowedHosts: forwardedDomain ? [`.${forwardedDomain}`] : [],
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.js"],
    // Explicit imports (`import { test } from "vitest"`) keep each test file self-explaining.
    globals: false,
    restoreMocks: true,
  },
});
