import { defineConfig } from "vitest/config";

// Test tiers, by file name (README, *Tests*): *.unit.test.ts in-process (the domain; helpers on a
// temporary file at most), *.int.test.ts against real stores (SQLite files, PostgreSQL), *.e2e.test.ts
// against a running server over HTTP (tests/browser: the console in Chromium).
export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
