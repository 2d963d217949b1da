import { readdirSync } from "node:fs";
import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import prettier from "eslint-config-prettier";

// The folders of src/ import in one direction: shared -> features -> app.
//   shared    api/, components/, lib/   import no feature and not the app
//   features  features/<name>/          import shared code and their own files: no other
//                                        feature, not the app
//   app       app/, main.jsx            import anything
// The core rule matches the import as written, so a folder is recognised by its name in the
// path: "../features/auth/...", "../../app/...", or "../lab/..." from a sibling feature.
const FEATURES = readdirSync(new URL("./src/features", import.meta.url), {
  withFileTypes: true,
})
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

function forbidFolders(folders, message) {
  return {
    "no-restricted-imports": [
      "error",
      { patterns: [{ regex: `(^|/)(${folders.join("|")})/`, message }] },
    ],
  };
}

const LAYERS = [
  {
    files: ["src/{api,components,lib}/**"],
    rules: forbidFolders(
      ["features", "app"],
      "Shared code (api, components, lib) imports no feature and not the app: move what both need into shared code.",
    ),
  },
  ...FEATURES.map((feature) => ({
    files: [`src/features/${feature}/**`],
    rules: forbidFolders(
      ["app", ...FEATURES.filter((other) => other !== feature)],
      `A feature imports shared code and its own files only: not another feature, not the app (features/${feature}).`,
    ),
  })),
];

export default [
  { ignores: ["dist", "coverage"] },
  js.configs.recommended,
  reactHooks.configs.flat.recommended,
  {
    files: ["**/*.{js,jsx}"],
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
      globals: globals.browser,
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
  },
  ...LAYERS,
  {
    // Config files and the test of this config run in Node, not the browser.
    files: ["*.config.js", "eslint.config.test.js"],
    languageOptions: { globals: globals.node },
  },
  // Last: switch off every style rule that Prettier owns.
  prettier,
];
