import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { importConfigModule } from "../../src/config/import-module.js";
import { ConfigError } from "../../src/errors.js";
import { tempProject } from "./temp.js";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const esmProject = { "package.json": '{ "type": "module" }' };
const cjsProject = { "package.json": "{}" };

async function loadError(file: string): Promise<string> {
  const error: unknown = await importConfigModule(file).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (error instanceof ConfigError) return error.message;
  throw new Error(`expected a ConfigError, got ${String(error)}`);
}

describe("a config's own files", () => {
  it("bundles a local TypeScript helper", async () => {
    const dir = tempProject({
      ...esmProject,
      "codegen.config.ts": `import { servers } from "./servers.ts";\nexport default { servers };`,
      "servers.ts": `interface Server { command: string }\nexport const servers: Record<string, Server> = { a: { command: "node" } };`,
    });
    expect(await importConfigModule(path.join(dir, "codegen.config.ts"))).toEqual({
      servers: { a: { command: "node" } },
    });
  });

  it.each([
    [
      "import.meta in the config and in a helper of another folder",
      {
        ...esmProject,
        "codegen.config.ts": [
          `import * as path from "node:path";`,
          `import { fileURLToPath } from "node:url";`,
          `import { helper } from "./lib/helper.ts";`,
          `export default {`,
          `  url: fileURLToPath(new URL("./server.mjs", import.meta.url)),`,
          `  dirname: path.join(import.meta.dirname, "server.mjs"),`,
          `  filename: import.meta.filename,`,
          `  helper,`,
          `};`,
        ].join("\n"),
        "lib/helper.ts": `export const helper = [import.meta.dirname, new URL(".", import.meta.url).href];`,
      },
      (dir: string) => ({
        url: path.join(dir, "server.mjs"),
        dirname: path.join(dir, "server.mjs"),
        filename: path.join(dir, "codegen.config.ts"),
        helper: [path.join(dir, "lib"), pathToFileURL(path.join(dir, "lib")).href + "/"],
      }),
    ],
    [
      "__dirname and __filename in TypeScript",
      {
        ...esmProject,
        "codegen.config.ts": `import * as path from "node:path";\nexport default { server: path.join(__dirname, "server.mjs"), file: __filename };`,
      },
      (dir: string) => ({
        server: path.join(dir, "server.mjs"),
        file: path.join(dir, "codegen.config.ts"),
      }),
    ],
    [
      "its own __dirname, declared the ES module way",
      {
        ...esmProject,
        "codegen.config.ts": [
          `import * as path from "node:path";`,
          `import { fileURLToPath } from "node:url";`,
          `const __dirname = path.join(path.dirname(fileURLToPath(import.meta.url)), "sub");`,
          `export default { server: path.join(__dirname, "server.mjs") };`,
        ].join("\n"),
      },
      (dir: string) => ({ server: path.join(dir, "sub", "server.mjs") }),
    ],
    [
      "__dirname in CommonJS, in the config and in a required helper",
      {
        ...cjsProject,
        "codegen.config.cjs": `const path = require("node:path");\nmodule.exports = { server: path.join(__dirname, "server.js"), helper: require("./lib/helper.cjs") };`,
        "lib/helper.cjs": "module.exports = __filename;",
      },
      (dir: string) => ({
        server: path.join(dir, "server.js"),
        helper: path.join(dir, "lib", "helper.cjs"),
      }),
    ],
    [
      "__filename in a TypeScript CommonJS config",
      {
        ...cjsProject,
        "codegen.config.cts": `const { basename } = require("node:path") as typeof import("node:path");\nmodule.exports = { file: basename(__filename) };`,
      },
      () => ({ file: "codegen.config.cts" }),
    ],
  ])("gives the file's real location to %s", async (_title, files, want) => {
    const dir = tempProject(files);
    const config = Object.keys(files).find((name) => name.startsWith("codegen.config"));
    expect(await importConfigModule(path.join(dir, config ?? ""))).toEqual(want(dir));
  });

  it("reads an edited helper anew, and runs an unchanged config again", async () => {
    const dir = tempProject({
      ...esmProject,
      "codegen.config.ts": [
        `import { name } from "./name.ts";`,
        `const g = globalThis as { configRuns?: number };`,
        `g.configRuns = (g.configRuns ?? 0) + 1;`,
        `export default { name, runs: g.configRuns };`,
      ].join("\n"),
      "name.ts": `export const name = "v1";`,
    });
    const file = path.join(dir, "codegen.config.ts");
    const first = (await importConfigModule(file)) as { runs: number };
    expect(first).toMatchObject({ name: "v1" });
    writeFileSync(path.join(dir, "name.ts"), `export const name = "v2";`);
    expect(await importConfigModule(file)).toEqual({ name: "v2", runs: first.runs + 1 });
    expect(await importConfigModule(file)).toEqual({ name: "v2", runs: first.runs + 2 });
  });
});

describe("packages a config imports", () => {
  it("resolves an installed package from the config's folder and lets Node load it", async () => {
    const dir = tempProject({
      ...esmProject,
      "codegen.config.ts": `import { z } from "zod";\nexport default z.object({ servers: z.record(z.string(), z.unknown()) }).parse({ servers: { a: {} } });`,
    });
    mkdirSync(path.join(dir, "node_modules"));
    symlinkSync(path.join(repo, "node_modules/zod"), path.join(dir, "node_modules/zod"), "dir");
    expect(await importConfigModule(path.join(dir, "codegen.config.ts"))).toEqual({
      servers: { a: {} },
    });
  });

  it("picks the file Node would import, not the bundler's, and does not bundle it", async () => {
    const dir = tempProject({
      ...esmProject,
      "node_modules/dual/package.json": JSON.stringify({
        name: "dual",
        type: "module",
        exports: { module: "./bundler.js", import: "./node.js", require: "./node.cjs" },
      }),
      "node_modules/dual/bundler.js": `export const which = "module";`,
      "node_modules/dual/node.js": `export const which = "import"; export const url = import.meta.url;`,
      "node_modules/dual/node.cjs": `exports.which = "require";`,
      "codegen.config.ts": `import { which, url } from "dual";\nexport default { which, url, required: require("dual").which };`,
    });
    expect(await importConfigModule(path.join(dir, "codegen.config.ts"))).toEqual({
      which: "import",
      url: pathToFileURL(path.join(dir, "node_modules/dual/node.js")).href,
      required: "require",
    });
  });

  it("points at the import of a package that is not installed", async () => {
    const dir = tempProject({
      ...esmProject,
      "codegen.config.ts": `// servers\nimport leftPad from "left-pad";\nexport default leftPad;`,
    });
    expect(await loadError(path.join(dir, "codegen.config.ts"))).toContain(
      `Loading the config failed with Error: ${path.join(dir, "codegen.config.ts")}:2:21: Could not resolve "left-pad"`,
    );
  });
});

describe("where a config failed", () => {
  it("says where in a helper the config threw", async () => {
    const dir = tempProject({
      ...esmProject,
      "codegen.config.ts": `import { servers } from "./lib/servers.ts";\nexport default { servers: servers() };`,
      "lib/servers.ts": `export function servers(): never {\n  throw new TypeError("no token");\n}`,
    });
    expect(await loadError(path.join(dir, "codegen.config.ts"))).toContain(
      `Loading the config failed with TypeError: no token (at ${path.join(dir, "lib/servers.ts")}:2:9)`,
    );
  });

  // Line 1 of a file that uses import.meta carries injected declarations; columns count characters.
  it.each([
    [
      "a syntax error",
      `const s = "é"; const url = import.meta.url; export default { servers: { a: } };`,
      `The config has a syntax error: {file}:1:76: Unexpected "}"`,
    ],
    [
      "a throw",
      `const s = "é"; const url = import.meta.url; throw new Error("x");`,
      `Loading the config failed with Error: x (at {file}:1:51)`,
    ],
  ])(
    "counts columns on the first line as the user wrote them: %s",
    async (_title, source, want) => {
      const dir = tempProject({ ...esmProject, "für/codegen.config.ts": source });
      const file = path.join(dir, "für/codegen.config.ts");
      expect(await loadError(file)).toContain(want.replace("{file}", file));
    },
  );

  it("points at a syntax error in a helper", async () => {
    const dir = tempProject({
      ...esmProject,
      "codegen.config.ts": `import servers from "./servers.ts";\nexport default { servers };`,
      "servers.ts": `export default {\n  a: { command: "node" \n`,
    });
    expect(await loadError(path.join(dir, "codegen.config.ts"))).toContain(
      `The config has a syntax error: ${path.join(dir, "servers.ts")}:3:1: Expected "}" but found end of file`,
    );
  });

  it("names a missing local file without calling it a syntax error", async () => {
    const dir = tempProject({
      ...esmProject,
      "codegen.config.ts": `import servers from "./servers.ts";\nexport default { servers };`,
    });
    expect(await loadError(path.join(dir, "codegen.config.ts"))).toContain(
      `Loading the config failed with Error: ${path.join(dir, "codegen.config.ts")}:1:21: Could not resolve "./servers.ts"`,
    );
  });
});
