import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { ConfigError } from "../../src/errors.js";
import { tempProject } from "./temp.js";

const defineTs = pathToFileURL(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src/config/define.ts"),
).href;
const env = { TOKEN: "secret-token" };

/** A stand-in for the published package, installed in the temp project's node_modules. */
const fakePackage = (exportsField: object): Record<string, string> => ({
  "node_modules/mcp-codegen/package.json": JSON.stringify({
    name: "mcp-codegen",
    type: "module",
    exports: { ".": exportsField },
  }),
  "node_modules/mcp-codegen/dist/index.js":
    "export function defineConfig(config) { return config; }\n",
});
const esmProject = { "package.json": '{ "type": "module" }' };
const cjsProject = { "package.json": "{}" };
const userConfig = `import { defineConfig } from "mcp-codegen";\nexport default defineConfig({ servers: { a: { command: "node" } } });\n`;

async function loadError(run: () => Promise<unknown>): Promise<ConfigError> {
  const error: unknown = await run().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (error instanceof ConfigError) return error;
  throw new Error(`expected a ConfigError, got ${String(error)}`);
}

describe("loading a TS or JS config", () => {
  it("loads codegen.config.ts importing defineConfig from the installed mcp-codegen", async () => {
    const dir = tempProject({
      ...esmProject,
      ...fakePackage({ import: "./dist/index.js" }),
      "codegen.config.ts": userConfig,
    });
    const config = await loadConfig({ cwd: dir, env });
    expect(config).toMatchObject({
      file: path.join(dir, "codegen.config.ts"),
      root: dir,
      outDir: dir,
    });
    expect(config.servers.map((s) => s.name)).toEqual(["a"]);
  });

  it.each([
    [
      "a typed config using the real defineConfig",
      `import { defineConfig } from "${defineTs}";\nconst n: number = 1;\nexport default defineConfig({ servers: { a: { command: "node", args: [String(n)] } } });`,
    ],
    ["a function", `export default () => ({ servers: { a: { command: "node" } } });`],
    [
      "an async function through defineConfig",
      `import { defineConfig } from "${defineTs}";\nexport default defineConfig(async () => ({ servers: { a: { command: "node" } } }));`,
    ],
    ["a named servers export", `export const servers = { a: { command: "node" } };`],
  ])("loads %s", async (_title, source) => {
    const dir = tempProject({ ...esmProject, "codegen.config.ts": source });
    expect((await loadConfig({ cwd: dir, env })).servers.map((s) => s.name)).toEqual(["a"]);
  });

  it.each([
    [
      "codegen.config.mjs in a CommonJS project",
      {
        ...cjsProject,
        "codegen.config.mjs": "export default { servers: { a: { command: 'x' } } };",
      },
    ],
    [
      "mcp-codegen.config.js as CommonJS",
      {
        ...cjsProject,
        "mcp-codegen.config.js": "module.exports = { servers: { a: { command: 'x' } } };",
      },
    ],
    [
      "codegen.config.ts with export default in a CommonJS project",
      {
        ...cjsProject,
        "codegen.config.ts": "export default { servers: { a: { command: 'x' } } };",
      },
    ],
    [
      // The config is bundled as an ES module, so its imports resolve with the "import" condition.
      "codegen.config.ts importing the ESM-only package in a CommonJS project",
      {
        ...cjsProject,
        ...fakePackage({ import: "./dist/index.js" }),
        "codegen.config.ts": userConfig,
      },
    ],
    [
      "a CommonJS project importing a package that also exports a default",
      {
        ...cjsProject,
        ...fakePackage({ import: "./dist/index.js", default: "./dist/index.js" }),
        "codegen.config.ts": userConfig,
      },
    ],
  ])("loads %s", async (_title, files) => {
    const dir = tempProject(files);
    expect((await loadConfig({ cwd: dir, env })).servers.map((s) => s.name)).toEqual(["a"]);
  });

  it("prefers codegen.config.ts over mcp-codegen.config.ts", async () => {
    const dir = tempProject({
      "codegen.config.ts": "export default { servers: { first: { command: 'x' } } };",
      "mcp-codegen.config.ts": "export default { servers: { second: { command: 'x' } } };",
    });
    expect((await loadConfig({ cwd: dir, env })).servers[0]?.name).toBe("first");
  });

  it("reads an edited config anew", async () => {
    const dir = tempProject({
      "codegen.config.ts": "export default { servers: { one: { command: 'x' } } };",
    });
    expect((await loadConfig({ cwd: dir, env })).servers[0]?.name).toBe("one");
    writeFileSync(
      path.join(dir, "codegen.config.ts"),
      "export default { servers: { two: { command: 'x' } } };",
    );
    expect((await loadConfig({ cwd: dir, env })).servers[0]?.name).toBe("two");
  });
});

describe("a config that cannot be loaded", () => {
  it.each([
    [
      "throws",
      "throw new Error('no token configured');",
      "Loading the config failed with Error: no token configured",
    ],
    [
      "exports a function that rejects",
      "export default async () => { throw new TypeError('bad'); };",
      "Loading the config failed with TypeError: bad",
    ],
    ["has a syntax error", "export default {", "The config has a syntax error: /"],
    [
      "has no default export",
      "export const x = 1;",
      "The config file has no default export; write `export default defineConfig({ servers: { … } })`",
    ],
    [
      "imports mcp-codegen that is not installed",
      userConfig,
      "The config imports mcp-codegen, which is not installed in this project; run `npm install --save-dev mcp-codegen`",
    ],
  ])("%s", async (_title, source, want) => {
    const dir = tempProject({ ...esmProject, "codegen.config.ts": source });
    const error = await loadError(() => loadConfig({ cwd: dir, env }));
    expect(error.file).toBe(path.join(dir, "codegen.config.ts"));
    expect(error.message).toContain(want);
    expect(error.message.endsWith(` in ${path.join(dir, "codegen.config.ts")}`)).toBe(true);
  });

  it("points at the line and column of a syntax error", async () => {
    const dir = tempProject({ "codegen.config.ts": "export default {" });
    const error = await loadError(() => loadConfig({ cwd: dir, env }));
    expect(error.message).toContain(
      `${path.join(dir, "codegen.config.ts")}:1:17: Expected identifier but found end of file`,
    );
  });

  it("explains a require() of the ESM-only package from a CommonJS config", async () => {
    const dir = tempProject({
      ...cjsProject,
      ...fakePackage({ import: "./dist/index.js" }),
      "mcp-codegen.config.js": `const { defineConfig } = require("mcp-codegen");\nmodule.exports = defineConfig({ servers: {} });`,
    });
    expect((await loadError(() => loadConfig({ cwd: dir, env }))).message).toContain(
      'The config loads mcp-codegen with require(), but mcp-codegen is an ES module; write `import { defineConfig } from "mcp-codegen"` instead',
    );
  });

  it("reports validation problems with the file", async () => {
    const dir = tempProject({
      "codegen.config.ts": "export default { servers: { a: { comand: 'x' } } };",
    });
    const error = await loadError(() => loadConfig({ cwd: dir, env }));
    expect(error.issues.map((i) => i.path)).toEqual(["servers.a.comand", "servers.a"]);
  });

  it("says which names it looked for when there is no config", async () => {
    const dir = tempProject({});
    const error = await loadError(() => loadConfig({ cwd: dir, env }));
    expect(error.message).toBe(
      `No mcp-codegen config found from ${dir} upward (looked in each folder for codegen.config.ts, codegen.config.mts, codegen.config.js, codegen.config.mjs, mcp-codegen.config.ts, mcp-codegen.config.mts, mcp-codegen.config.js, mcp-codegen.config.mjs, then .mcp.json, .cursor/mcp.json, .vscode/mcp.json). Run \`npx mcp-codegen init\` to write one, or pass --config <file>`,
    );
  });

  it.each([
    ["a missing file", "nope.ts", "Config file not found: "],
    [
      "an unsupported type",
      "config.yaml",
      'Unsupported config file type ".yaml": use .ts, .mts, .js, .mjs or .json',
    ],
  ])("rejects %s given with --config", async (_title, configFile, want) => {
    const dir = tempProject({ "config.yaml": "servers: {}" });
    expect((await loadError(() => loadConfig({ configFile, cwd: dir, env }))).message).toContain(
      want,
    );
  });
});

describe("options from the command line", () => {
  const files = {
    "codegen.config.ts":
      "export default { outDir: 'agent', servers: { b: { command: 'x', env: { T: '${NOT_SET}' } }, a: { command: 'x' }, c: { url: 'http://h' } } };",
  };

  it("--server keeps only the named servers, so another's missing variable does not matter", async () => {
    const dir = tempProject(files);
    expect(
      (await loadConfig({ cwd: dir, env, servers: ["c", "a"] })).servers.map((s) => s.name),
    ).toEqual(["a", "c"]);
  });

  it("--server with an unknown name lists the known ones", async () => {
    const dir = tempProject(files);
    const error = await loadError(() => loadConfig({ cwd: dir, env, servers: ["a", "gihub"] }));
    expect(error.message).toBe(
      `Unknown server "gihub" in --server; the config has: b, a, c in ${path.join(dir, "codegen.config.ts")}`,
    );
  });

  it("--out overrides outDir, relative to cwd", async () => {
    const dir = tempProject(files);
    const sub = path.join(dir, "sub");
    expect(
      (await loadConfig({ configFile: "../codegen.config.ts", cwd: sub, env, servers: ["a"] }))
        .outDir,
    ).toBe(path.join(dir, "agent"));
    expect(
      (
        await loadConfig({
          configFile: "../codegen.config.ts",
          cwd: sub,
          env,
          servers: ["a"],
          outDir: "gen",
        })
      ).outDir,
    ).toBe(path.join(sub, "gen"));
  });
});
