import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;

export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      // The marker package throws outside React Server Components; tests run server code directly.
      "server-only": path.join(root, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    // Seals second-factor secrets in tests; a fixed test value, not a secret of any deployment.
    env: { AUTH_SECRET: "vitest-only-auth-secret-0123456789abcdef" },
    // CI adds a JSON report that .ci/summary.mjs totals into one closing line.
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: "test-results/vitest.json" },
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["{lib,db,components,app}/**/*.test.{ts,tsx}"], exclude: ["**/*.int.test.ts"] },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["{lib,db,app}/**/*.int.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
