import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // For a hang, not for a slow machine: on two cores shared with other work, a test that
    // starts sandboxes or type-checks has taken over 30 s.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Tests spawn real MCP servers; two cores do not gain from more parallel files.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "all", include: ["test/**/*.test.ts"] } },
      // The hostile programs again, through `serve`'s execute_code (test/hostile/through-serve.ts).
      {
        extends: true,
        test: {
          name: "hostile-through-serve",
          include: ["test/hostile/**/*.test.ts"],
          env: { HOSTILE_VIA: "serve" },
        },
      },
    ],
  },
});
