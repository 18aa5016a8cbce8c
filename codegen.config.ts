/**
 * The repo's own configuration: what `npx mcp-codegen generate` reads here, what the tests use,
 * and an example to copy. The generated tree is committed in `out/`; CI runs `mcp-codegen check`
 * to make sure it is not stale.
 */
import { defineConfig } from "mcp-codegen";

export default defineConfig({
  outDir: "out",
  servers: {
    // Official servers from the npm registry, installed as devDependencies; `npx` finds them in
    // node_modules/.bin, exactly as a user's config would start them.
    everything: { command: "npx", args: ["--no-install", "mcp-server-everything", "stdio"] },
    memory: { command: "npx", args: ["--no-install", "mcp-server-memory"] },
    filesystem: {
      command: "npx",
      args: ["--no-install", "mcp-server-filesystem", "fixtures/files"],
    },
    // The repo's fixture servers (plain JavaScript, see fixtures/servers/README.md).
    schemas: { command: "node", args: ["fixtures/servers/schemas.mjs"] },
    names: { command: "node", args: ["fixtures/servers/names.mjs"] },
    // Resources, resource templates and prompts with names and text that test the rules.
    extras: { command: "node", args: ["fixtures/servers/extras.mjs"] },
    hostile: {
      command: "node",
      args: ["fixtures/servers/hostile.mjs"],
      // A config-supplied value the server echoes back: it must be redacted from every file.
      env: { FIXTURE_SECRET: "fixture-secret-value-1234" },
    },
  },
});
