/**
 * `npm run build`, after tsc: bundles src/cli/entry.ts (what bin/mcp-codegen.js loads first)
 * into one CommonJS file, dist/cli/entry.cjs, which Node loads far sooner than the same code as
 * ES modules (see entry.ts).
 */
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: ["src/cli/entry.ts"],
  outfile: "dist/cli/entry.cjs",
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  // Node's own modules only: the bundle must not carry a second copy of a dependency.
  packages: "external",
  logLevel: "warning",
  // A warning here (import.meta in CommonJS, say) would be a bug in the bundle: fail the build.
  logOverride: { "empty-import-meta": "error" },
});
