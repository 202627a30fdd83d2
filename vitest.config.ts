import { defineConfig } from "vitest/config";
import { availableParallelism } from "node:os";
import path from "node:path";

const alias = { "~": path.resolve("app"), "#db": path.resolve("db") };

export default defineConfig({
  resolve: { alias },
  test: {
    // Vitest's default (one worker fewer than cores) is a single worker on a 2-core machine; the
    // integration tests mostly wait for PostgreSQL, LibreOffice and child processes, so two
    // overlap well there (the suite: 10.3 -> 6.7 min on the 2-core CI machine).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["app/**/*.test.ts", "app/**/*.test.tsx", "scripts/**/*.test.ts"], environment: "node" },
      },
      {
        resolve: { alias },
        test: {
          name: "letters",
          include: ["tests/letters/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          // the CLI compiled once for the run (tests/support/cli.ts); the run named for its shared demo-data copies
          globalSetup: ["tests/support/cli-bundle.ts", "tests/support/test-run.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
