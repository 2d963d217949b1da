// The import direction of eslint.config.js (shared -> features -> app) is enforced: ESLint
// flags an import against it, and lets the allowed ones through.
import { ESLint } from "eslint";
import { describe, expect, test } from "vitest";

const eslint = new ESLint({ cwd: import.meta.dirname });

/** The no-restricted-imports messages for `file` (which need not exist) importing `target`. */
async function directionErrors(file, target) {
  const [result] = await eslint.lintText(`import "${target}";\n`, {
    filePath: file,
  });
  return result.messages.filter(
    (message) => message.ruleId === "no-restricted-imports",
  );
}

describe("import direction", () => {
  test.each([
    [
      "src/components/x.jsx",
      "../features/auth/auth-provider.jsx",
      "Shared code",
    ],
    ["src/api/x.js", "../app/app.jsx", "Shared code"],
    ["src/lib/x.js", "../features/lab/claims.js", "Shared code"],
    ["src/features/auth/x.jsx", "../lab/claims.js", "A feature imports"],
    [
      "src/features/lab/x.jsx",
      "../auth/auth-provider.jsx",
      "A feature imports",
    ],
    ["src/features/lab/x.jsx", "../../app/layout.jsx", "A feature imports"],
    ["src/features/how-it-works/x.jsx", "../lab/forge.js", "A feature imports"],
    [
      "src/features/classroom/x.jsx",
      "../auth/auth-provider.jsx",
      "A feature imports",
    ],
    [
      "src/features/lab/x.jsx",
      "../classroom/use-sessions.js",
      "A feature imports",
    ],
    ["src/lib/x.js", "../features/classroom/use-action.js", "Shared code"],
  ])("%s may not import %s", async (file, target, says) => {
    const errors = await directionErrors(file, target);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain(says);
  });

  test.each([
    ["src/api/x.js", "../lib/paths.js"],
    ["src/components/x.jsx", "../api/http.js"],
    ["src/features/lab/x.jsx", "./claims.js"],
    ["src/features/lab/x.jsx", "../../api/client.js"],
    ["src/features/auth/x.jsx", "../../components/text-field.jsx"],
    ["src/app/pages/x.jsx", "../../features/lab/tamper-lab.jsx"],
    ["src/features/how-it-works/x.jsx", "../../lib/jwt.js"],
    ["src/features/classroom/x.jsx", "./use-sessions.js"],
    ["src/features/classroom/x.jsx", "../../lib/use-polling.js"],
    ["src/app/pages/x.jsx", "../../features/classroom/class-sessions.jsx"],
    ["src/app/x.jsx", "../features/auth/auth-provider.jsx"],
  ])("%s may import %s", async (file, target) => {
    expect(await directionErrors(file, target)).toEqual([]);
  });
});
