/**
 * The bundler is the host's: every import a program names is read by esbuild with the user's
 * rights. Only real paths inside the program's folder, `servers/`, `skills/`, `workspace/`, the
 * project's node_modules and the package's runtime may be read, never the config or a dotfile;
 * anything else is a compile error before the program runs, and no canary reaches its output.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CONFIG_NAME,
  PID_PROGRAM,
  ROOT,
  expectDaemonServes,
  expectNoCanary,
  expectNotCompiled,
  hostileProject,
  makeCanaries,
  runHostile,
  startDaemon,
  type TestDaemon,
  VIA_SERVE,
  workspaceOf,
} from "./harness.js";
import { runCli } from "../e2e/cli.js";
import type { ResolvedConfig } from "../../src/config/types.js";
import { programAccess } from "../../src/runner/access.js";
import { bundleProgram } from "../../src/runner/bundle.js";

const canaries = makeCanaries();
const { home } = canaries;
// Outside files a program could want: JS, JSON and a source map, each holding a canary.
writeFileSync(path.join(home, "leak.js"), `export default ${JSON.stringify(canaries.sshKey)};\n`);
writeFileSync(
  path.join(home, "leak.cjs"),
  `module.exports = ${JSON.stringify(canaries.sshKey)};\n`,
);
writeFileSync(path.join(home, "config.json"), JSON.stringify({ key: canaries.sshKey }));
writeFileSync(
  path.join(home, "tsconfig.json"),
  JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { leak: ["./leak.js"] } } }),
);
writeFileSync(
  path.join(home, "map.json"),
  JSON.stringify({
    version: 3,
    sources: [canaries.sshKey],
    names: [canaries.sshKey],
    mappings: "AAAA",
  }),
);
// TypeScript that, once read, the type-checker quotes back in its messages ("Cannot find name …").
const typeCanary = `TYPECANARY_${canaries.sshKey.replace(/-/g, "_")}`;
writeFileSync(
  path.join(home, "secret.ts"),
  `${typeCanary};\nexport const x: number = ${JSON.stringify(typeCanary)};\n`,
);
writeFileSync(path.join(home, "secret.d.ts"), `declare const y: ${typeCanary};\n`);
// Another run's folder, as the runner names them, with a bundle in it.
const otherRun = mkdtempSync(path.join(tmpdir(), "mcp-codegen-run-"));
writeFileSync(
  path.join(otherRun, "program.cjs"),
  `export default ${JSON.stringify(canaries.sshKey)};\n`,
);
afterAll(() => rmSync(otherRun, { recursive: true, force: true }));

const project = hostileProject(canaries, {
  files: {
    "outside.js": `export default ${JSON.stringify(canaries.besideConfig)};\n`,
    "workspace/.hidden.js": `export default ${JSON.stringify(canaries.dotfile)};\n`,
    "tasks/ok.ts": 'export const ok = "fine";\n',
    // Packages whose fields point out of node_modules.
    "node_modules/evil-main/package.json": { name: "evil-main", main: "../../outside.js" },
    "node_modules/evil-browser/package.json": {
      name: "evil-browser",
      main: "./index.js",
      browser: { "./index.js": "../../outside.js" },
    },
    "node_modules/evil-browser/index.js": "export default 'harmless';\n",
    "node_modules/evil-exports/package.json": {
      name: "evil-exports",
      exports: { ".": "./link.js", "./up": "./../../outside.js" },
    },
    "node_modules/evil-imports/package.json": {
      name: "evil-imports",
      main: "./index.js",
      imports: { "#leak": path.join(home, "leak.js") },
    },
    "node_modules/evil-imports/index.js": 'import leak from "#leak";\nexport default leak;\n',
    "node_modules/evil-reexport/package.json": { name: "evil-reexport", main: "./index.js" },
    "node_modules/evil-reexport/index.js": `export { default } from ${JSON.stringify(path.join(home, "leak.js"))};\n`,
    "node_modules/evil-text/package.json": { name: "evil-text", main: "./index.js" },
    "node_modules/evil-text/index.js": `import key from "../../secret.txt" with { type: "text" };\nexport default key;\n`,
  },
});
// Links that lead out: in node_modules, servers/, skills/, workspace/ and the program's folder.
symlinkSync(path.join(home, "leak.js"), path.join(project, "node_modules/evil-exports/link.js"));
symlinkSync(home, path.join(project, "node_modules/evil-linked"));
symlinkSync(path.join(home, "leak.js"), path.join(project, "servers/leak.js"));
symlinkSync(home, path.join(project, "servers/home"));
symlinkSync(path.join(home, "leak.js"), path.join(project, "skills/leak.js"));
symlinkSync(path.join(project, "secret.txt"), path.join(project, "skills/secret.txt"));
symlinkSync(path.join(home, "leak.js"), path.join(workspaceOf(project), "leak.js"));
symlinkSync(path.join(home, "leak.js"), path.join(project, "tasks/leak.js"));
symlinkSync(path.join(project, CONFIG_NAME), path.join(project, "tasks/config-link.mjs"));
mkdirSync(path.join(project, "tasks/linked"), { recursive: true });
symlinkSync(home, path.join(project, "tasks/linked/home"));

const q = JSON.stringify;
const rel = (to: string) =>
  path.relative(path.join(project, "tasks"), to).split(path.sep).join("/");
const TEXT = 'with { type: "text" }';

/** [title, program]: each must fail to compile, and print no canary. */
const REFUSED: [string, string][] = [
  [
    "the SSH key by absolute path, as text",
    `import k from ${q(canaries.sshKeyFile)} ${TEXT};\nconsole.log("RAN", k);\n`,
  ],
  [
    "the SSH key through ~ spelled out relative",
    `import k from ${q(rel(canaries.sshKeyFile))} ${TEXT};\nconsole.log("RAN", k);\n`,
  ],
  [
    "the SSH key as a file: URL",
    `import k from ${q(`file://${canaries.sshKeyFile}`)} ${TEXT};\nconsole.log("RAN", k);\n`,
  ],
  [
    "the SSH key with a doubled slash",
    `import k from ${q(`/${canaries.sshKeyFile.replace(/\//g, "//")}`)} ${TEXT};\nconsole.log("RAN", k);\n`,
  ],
  [
    "the SSH key through a query suffix",
    `import k from ${q(`${canaries.sshKeyFile}?raw`)} ${TEXT};\nconsole.log("RAN", k);\n`,
  ],
  [
    "/proc/self/environ (the runner's environment)",
    `import k from "/proc/self/environ" ${TEXT};\nconsole.log("RAN", k);\n`,
  ],
  [
    "/proc/self/cwd/secret.txt",
    `import k from "/proc/self/cwd/secret.txt" ${TEXT};\nconsole.log("RAN", k);\n`,
  ],
  [
    "/proc/self/root of the SSH key",
    `import k from ${q(`/proc/self/root${canaries.sshKeyFile}`)} ${TEXT};\nconsole.log("RAN", k);\n`,
  ],
  ["/etc/passwd", `import k from "/etc/passwd" ${TEXT};\nconsole.log("RAN", k);\n`],
  [
    "the config beside the program's folder, as text",
    `import k from "../${CONFIG_NAME}" ${TEXT};\nconsole.log("RAN", k);\n`,
  ],
  [
    "the config as code",
    `import c from "../${CONFIG_NAME}";\nconsole.log("RAN", JSON.stringify(c));\n`,
  ],
  [
    "the config through a link in the program's folder",
    `import k from "./config-link.mjs" ${TEXT};\nconsole.log("RAN", k);\n`,
  ],
  [
    "the config by absolute path",
    `import k from ${q(path.join(project, CONFIG_NAME))} ${TEXT};\nconsole.log("RAN", k);\n`,
  ],
  ["a file beside the config", `import k from "../secret.txt" ${TEXT};\nconsole.log("RAN", k);\n`],
  [
    "a file beside the config, spelled ./../",
    `import k from "./../secret.txt" ${TEXT};\nconsole.log("RAN", k);\n`,
  ],
  [
    "a file beside the config, through servers/..",
    `import k from "servers/../secret.txt" ${TEXT};\nconsole.log("RAN", k);\n`,
  ],
  [
    "a file beside the config, through skills/../",
    `import k from "skills/../../${path.basename(project)}/secret.txt" ${TEXT};\nconsole.log("RAN", k);\n`,
  ],
  [
    "a file beside the config, through a relative with ../tasks/..",
    `import k from "../tasks/../secret.txt" ${TEXT};\nconsole.log("RAN", k);\n`,
  ],
  ["a JS file beside the config", `import k from "../outside.js";\nconsole.log("RAN", k);\n`],
  [
    "a dotfile in the program's folder",
    `import k from "./.env" ${TEXT};\nconsole.log("RAN", k);\n`,
  ],
  ["a dotfile in the project root", `import k from "../.env" ${TEXT};\nconsole.log("RAN", k);\n`],
  ["a dotfile in workspace/", `import k from "../workspace/.hidden.js";\nconsole.log("RAN", k);\n`],
  [
    "a JSON file outside, no attribute",
    `import j from ${q(path.join(home, "config.json"))};\nconsole.log("RAN", JSON.stringify(j));\n`,
  ],
  [
    "a JSON file outside, type json",
    `import j from ${q(path.join(home, "config.json"))} with { type: "json" };\nconsole.log("RAN", JSON.stringify(j));\n`,
  ],
  [
    "require() of an outside CommonJS file",
    `const k = require(${q(path.join(home, "leak.cjs"))});\nconsole.log("RAN", k);\n`,
  ],
  [
    "require() of an outside JSON file",
    `const j = require(${q(path.join(home, "config.json"))});\nconsole.log("RAN", JSON.stringify(j));\n`,
  ],
  [
    "require.resolve-free require of the config",
    `const c = require("../${CONFIG_NAME}");\nconsole.log("RAN", JSON.stringify(c));\n`,
  ],
  [
    "dynamic import of an outside file (a literal)",
    `const m = await import(${q(path.join(home, "leak.js"))});\nconsole.log("RAN", m.default);\n`,
  ],
  [
    "a glob import reaching the project root",
    'const name = process.argv.length > 99 ? "x" : "secret";\nconst m = await import(`../${name}.txt`, { with: { type: "text" } });\nconsole.log("RAN", m.default);\n',
  ],
  [
    "a glob import two folders up",
    'const name = String(Date.now() > 0 ? "outside.js" : "");\nconst m = await import(`../../${name}`);\nconsole.log("RAN", m.default);\n',
  ],
  [
    "a glob require reaching the project root",
    'const name = Date.now() > 0 ? "outside" : "";\nconst m = require(`../${name}.js`);\nconsole.log("RAN", m.default);\n',
  ],
  [
    "another run's bundle in /tmp/mcp-codegen-run-*",
    `import k from ${q(path.join(otherRun, "program.cjs"))};\nconsole.log("RAN", k);\n`,
  ],
  [
    "another run's bundle through a glob",
    `const dir = Date.now() > 0 ? ${q(path.basename(otherRun))} : "";\nconst m = await import(\`${tmpdir()}/\${dir}/program.cjs\`);\nconsole.log("RAN", m.default);\n`,
  ],
  [
    "a link in servers/ to a file outside",
    `import k from "servers/leak.js";\nconsole.log("RAN", k);\n`,
  ],
  [
    "a link in servers/ to a folder outside",
    `import k from "servers/home/leak.js";\nconsole.log("RAN", k);\n`,
  ],
  [
    "a dotfile under a linked folder of servers/",
    `import k from "servers/home/.ssh/id_rsa" ${TEXT};\nconsole.log("RAN", k);\n`,
  ],
  [
    "a link in skills/ to a file outside",
    `import k from "skills/leak.js";\nconsole.log("RAN", k);\n`,
  ],
  [
    "a link in skills/ to the file beside the config",
    `import k from "skills/secret.txt" ${TEXT};\nconsole.log("RAN", k);\n`,
  ],
  [
    "a link in workspace/ to a file outside",
    `import k from "../workspace/leak.js";\nconsole.log("RAN", k);\n`,
  ],
  [
    "a link in the program's folder to a file outside",
    `import k from "./leak.js";\nconsole.log("RAN", k);\n`,
  ],
  [
    "a linked folder below the program's folder",
    `import k from "./linked/home/leak.js";\nconsole.log("RAN", k);\n`,
  ],
  [
    "a package whose main points outside node_modules",
    `import k from "evil-main";\nconsole.log("RAN", k);\n`,
  ],
  [
    "a package whose exports lead to a link outside",
    `import k from "evil-exports";\nconsole.log("RAN", k);\n`,
  ],
  [
    "a package whose exports climb out",
    `import k from "evil-exports/up";\nconsole.log("RAN", k);\n`,
  ],
  [
    "a package whose imports map points outside",
    `import k from "evil-imports";\nconsole.log("RAN", k);\n`,
  ],
  [
    "a package re-exporting an absolute outside path",
    `import k from "evil-reexport";\nconsole.log("RAN", k);\n`,
  ],
  [
    "a package importing the file beside the config as text",
    `import k from "evil-text";\nconsole.log("RAN", k);\n`,
  ],
  [
    "a package in node_modules that is a link outside",
    `import k from "evil-linked/leak.js";\nconsole.log("RAN", k);\n`,
  ],
  [
    "the package's own folder beyond its runtime",
    `import k from ${q(path.join(ROOT, "codegen.config.ts"))} ${TEXT};\nconsole.log("RAN", k);\n`,
  ],
  [
    "mcp-codegen/runtime with a path after it",
    `import k from "mcp-codegen/runtime/../../../package.json" ${TEXT};\nconsole.log("RAN", k);\n`,
  ],
];

/** Through the CLI too (the rest run in-process, below, to keep the suite quick). */
const THROUGH_CLI = new Set([
  "the SSH key by absolute path, as text",
  "/proc/self/environ (the runner's environment)",
  "the config as code",
  "a file beside the config",
  "a dotfile in the program's folder",
  "a JSON file outside, no attribute",
  "require() of an outside CommonJS file",
  "a glob import reaching the project root",
  "another run's bundle in /tmp/mcp-codegen-run-*",
  "a link in servers/ to a file outside",
  "a link in the program's folder to a file outside",
  "a package whose main points outside node_modules",
  "a package in node_modules that is a link outside",
]);

describe("the bundler refuses imports from outside (each case, in-process)", () => {
  it.each(REFUSED)("%s", async (_title, program) => {
    const file = path.join(project, "tasks", `inproc-${randomUUID()}.ts`);
    writeFileSync(file, program);
    const config = {
      file: path.join(project, CONFIG_NAME),
      outDir: project,
      servers: [],
    } as unknown as ResolvedConfig;
    let outcome: string;
    try {
      const code = await bundleProgram({
        program: { file },
        access: async () => programAccess(config),
        outfile: path.join(tmpdir(), "hostile-inproc", "program.cjs"),
        cwd: project,
        signal: AbortSignal.timeout(10_000),
      });
      outcome = `bundled: ${code}`;
    } catch (error) {
      outcome = `refused: ${(error as Error).message}`;
    } finally {
      rmSync(file, { force: true });
    }
    for (const canary of canaries.all) expect(outcome).not.toContain(canary);
    expect(outcome).toMatch(/^refused: the program could not be compiled:/);
  });
});

describe("the bundler refuses imports from outside (the CLI, no daemon)", () => {
  it.each(REFUSED.filter(([title]) => THROUGH_CLI.has(title)))("%s", async (_title, program) => {
    const result = await runHostile(project, canaries, program);
    expectNotCompiled(result, canaries);
    // Located at the import that was refused: the program's, or a package's.
    expect(result.stderr).toMatch(/^[^\n]*\.(ts|js|mjs):\d+:\d+: error: /m);
  });

  // serve's programs have no folder of their own (test/serve/serve.test.ts: what they import).
  it.skipIf(VIA_SERVE)(
    "still bundles what a program may import: its folder, servers/, skills/, the runtime",
    async () => {
      writeFileSync(path.join(project, "servers/fine.ts"), 'export const fine = "servers";\n');
      writeFileSync(path.join(project, "skills/fine.ts"), 'export const fine = "skills";\n');
      const result = await runHostile(
        project,
        canaries,
        `import { ok } from "./ok.js";
import { fine as s } from "servers/fine.js";
import { fine as k } from "skills/fine.js";
import { callMcpTool } from "mcp-codegen/runtime";
console.log(ok, s, k, typeof callMcpTool);
`,
      );
      expect(result).toMatchObject({ code: 0, stdout: "fine servers skills function\n" });
    },
  );
});

describe("what esbuild reads by itself, beside the imports", () => {
  it("a package's browser field is not followed (the platform is Node)", async () => {
    const result = await runHostile(
      project,
      canaries,
      'import k from "evil-browser";\nconsole.log("RAN", k);\n',
    );
    expect(result).toMatchObject({ code: 0, stdout: "RAN harmless\n" });
    expectNoCanary(result, canaries);
  });

  it("a tsconfig.json near the program cannot map a name to an outside file", async () => {
    writeFileSync(
      path.join(project, "tasks/tsconfig.json"),
      JSON.stringify({
        compilerOptions: { baseUrl: ".", paths: { leak: [path.join(home, "leak.js")] } },
      }),
    );
    try {
      const result = await runHostile(
        project,
        canaries,
        'import k from "leak";\nconsole.log("RAN", k);\n',
      );
      expectNotCompiled(result, canaries);
    } finally {
      rmSync(path.join(project, "tasks/tsconfig.json"));
    }
  });

  it("a tsconfig.json extending an outside one cannot map a name out", async () => {
    writeFileSync(
      path.join(project, "tasks/tsconfig.json"),
      JSON.stringify({ extends: path.join(home, "tsconfig.json") }),
    );
    try {
      const result = await runHostile(
        project,
        canaries,
        'import k from "leak";\nconsole.log("RAN", k);\n',
      );
      expectNotCompiled(result, canaries);
    } finally {
      rmSync(path.join(project, "tasks/tsconfig.json"));
    }
  });

  it("a tsconfig.json extending the SSH key does not echo it in an error", async () => {
    writeFileSync(
      path.join(project, "tasks/tsconfig.json"),
      JSON.stringify({ extends: canaries.sshKeyFile }),
    );
    try {
      const result = await runHostile(project, canaries, 'console.log("ran");\n');
      expectNoCanary(result, canaries);
    } finally {
      rmSync(path.join(project, "tasks/tsconfig.json"));
    }
  });

  it("a //# sourceMappingURL to an outside file does not bring it into the bundle", async () => {
    writeFileSync(
      path.join(project, "tasks/mapped.js"),
      `export const v = 1;\n//# sourceMappingURL=${rel(path.join(home, "map.json"))}\n`,
    );
    writeFileSync(
      path.join(project, "tasks/mapped-abs.js"),
      `export const w = 2;\n//# sourceMappingURL=file://${path.join(home, "map.json")}\n`,
    );
    // The program prints its own bundle, source map included: whatever esbuild put there.
    const result = await runHostile(
      project,
      canaries,
      `import { v } from "./mapped.js";
import { w } from "./mapped-abs.js";
import { readFileSync } from "node:fs";
const bundle = readFileSync(new URL(import.meta.url), "utf8");
const map = /sourceMappingURL=data:application\\/json;base64,(\\S+)/.exec(bundle)?.[1];
console.log(v + w, map ? Buffer.from(map, "base64").toString() : "no map");
`,
    );
    expectNoCanary(result, canaries);
    if (result.code !== 0) expect(result.stderr).toContain("could not be compiled");
  });

  it("new URL(…, import.meta.url) names no host file the program can read", async () => {
    const result = await runHostile(
      project,
      canaries,
      `import { readFileSync } from "node:fs";
for (const where of ["../secret.txt", "../../secret.txt", ${q(canaries.sshKeyFile)}]) {
  try {
    console.log("read", readFileSync(new URL(where, import.meta.url), "utf8"));
  } catch (error) {
    console.log("denied", (error as { code?: string }).code);
  }
}
`,
    );
    expectNoCanary(result, canaries);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/^denied (ENOENT|ERR_ACCESS_DENIED)$/);
  });
});

describe("the type-checker reads through the same gate", () => {
  const TYPED: [string, string][] = [
    [
      "a triple-slash reference path",
      `/// <reference path=${q(path.join(home, "secret.ts"))} />\nconsole.log("RAN");\n`,
    ],
    [
      "a triple-slash reference to a declaration file",
      `/// <reference path=${q(path.join(home, "secret.d.ts"))} />\nconsole.log("RAN");\n`,
    ],
    [
      "an import type",
      `import type { x } from ${q(path.join(home, "secret.ts"))};\nconst v: typeof x = 1;\nconsole.log("RAN", v);\n`,
    ],
    [
      "a typeof import()",
      `type T = typeof import(${q(path.join(home, "secret.ts"))});\nconst v = null as unknown as T;\nconsole.log("RAN", v);\n`,
    ],
    [
      "a relative import of the file beside the config",
      `import k from "../secret.txt" ${TEXT};\nconsole.log("RAN", k);\n`,
    ],
    ["the config", `import c from "../${CONFIG_NAME}";\nconsole.log("RAN", c);\n`],
  ];
  it.each(TYPED)("%s", async (_title, program) => {
    const result = await runHostile(project, canaries, program, ["--typecheck"]);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain("RAN");
    expectNoCanary(result, canaries, [typeCanary, canaries.sshKey.slice(11)]);
  });
});

describe("a program in the project's root", () => {
  it.each([
    ["its config", `import k from "./${CONFIG_NAME}" ${TEXT};\nconsole.log("RAN", k);\n`],
    [
      "its config as code",
      `import c from "./${CONFIG_NAME}";\nconsole.log("RAN", JSON.stringify(c));\n`,
    ],
    ["its .env", `import k from "./.env" ${TEXT};\nconsole.log("RAN", k);\n`],
    ["a dotfile below it", `import k from "./tasks/.env" ${TEXT};\nconsole.log("RAN", k);\n`],
  ])("still cannot import %s (a file)", async (_title, program) => {
    const result = await runHostile(project, canaries, program, [], { file: "root-task.ts" });
    expectNotCompiled(result, canaries);
  });

  it.each([
    ["its config", `import k from "./${CONFIG_NAME}" ${TEXT};\nconsole.log("RAN", k);\n`],
    ["its .env", `import k from "./.env" ${TEXT};\nconsole.log("RAN", k);\n`],
  ])("still cannot import %s (--eval from the root)", async (_title, program) => {
    const result = await runCli(
      ["run", "--no-daemon", "--config", CONFIG_NAME, "--eval", program],
      {
        cwd: project,
        env: { HOME: home, HOSTILE_ENV_SECRET: canaries.envSecret },
      },
    );
    expectNotCompiled(result, canaries);
  });
});

describe("the bundler refuses imports from outside (through the daemon)", () => {
  let daemon: TestDaemon;
  let daemonPid = "";
  beforeAll(async () => {
    daemon = await startDaemon(project, canaries);
    const first = await runHostile(project, canaries, PID_PROGRAM, [], {
      daemon: true,
      file: "tasks/pid.ts",
    });
    expect(first.code).toBe(0);
    daemonPid = first.stdout;
  });
  afterAll(() => daemon?.stop());

  const THROUGH_DAEMON = REFUSED.filter(([title]) =>
    [
      "the SSH key by absolute path, as text",
      "/proc/self/environ (the runner's environment)",
      "the config as code",
      "a glob import reaching the project root",
      "a link in servers/ to a file outside",
    ].includes(title),
  );

  it.each(THROUGH_DAEMON)("%s", async (_title, program) => {
    const result = await runHostile(project, canaries, program, [], { daemon: true });
    expectNotCompiled(result, canaries);
    expect(daemon.log()).not.toContain(canaries.sshKey);
    await expectDaemonServes(project, canaries, daemon, daemonPid);
  });
});
