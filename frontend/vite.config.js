import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// One config for the dev server, the production build (frontend/dist, served by Flask) and the
// unit tests. The API base URL comes from VITE_API_URL at build time (empty = same origin).
export default defineConfig({
  plugins: [react()],
  server: { port: 5173 },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.js"],
    // Explicit imports (`import { test } from "vitest"`) keep each test file self-explaining.
    globals: false,
    restoreMocks: true,
  },
});
