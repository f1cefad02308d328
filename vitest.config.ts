import { defineConfig } from "vitest/config";

// Tiers (DEVELOPERS.md): *.unit.test.ts pure domain, *.int.test.ts real stores, *.e2e.test.ts over HTTP.
export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
