import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests spawn real MCP servers; two cores do not gain from more parallel files.
    maxWorkers: 2,
  },
});
