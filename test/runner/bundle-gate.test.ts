/**
 * The bundler's file gate, called directly: hostile programs in a temp project, each refused
 * with its exact compile error, and no canary (a fake HOME's SSH key, a secret in this
 * process's environment, the config, a file beside it, a dotfile) in anything the bundler
 * returns or says; what a program may import still bundles.
 */
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import {
  closeSync,
  ftruncateSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { esbuild } from "../../src/esbuild.js";
import { bundleProgram, projectNodeModules, type ProgramAccess } from "../../src/runner/bundle.js";
import { computedImportErrors } from "../../src/runner/computed-imports.js";
import { FileGate } from "../../src/runner/file-gate.js";
import { openChecked } from "../../src/runner/open-checked.js";
import { ROOT, tempProject } from "../e2e/cli.js";

const CANARIES = {
  sshKey: `SSH-CANARY-${randomUUID()}`,
  env: `ENV-CANARY-${randomUUID()}`,
  config: `CONFIG-CANARY-${randomUUID()}`,
  beside: `BESIDE-CANARY-${randomUUID()}`,
  dotfile: `DOTFILE-CANARY-${randomUUID()}`,
};
const exported = (canary: string) => `export default ${JSON.stringify(canary)};\n`;

const home = tempProject({
  ".ssh/id_rsa": `-----BEGIN OPENSSH PRIVATE KEY-----\n${CANARIES.sshKey}\n`,
  "leak.ts": exported(CANARIES.sshKey),
  "map.json": JSON.stringify({
    version: 3,
    sources: [CANARIES.sshKey],
    names: [],
    mappings: "AAAA",
  }),
});
const project = tempProject({
  "codegen.config.ts": exported(CANARIES.config),
  "secret.txt": `${CANARIES.beside}\n`,
  "outside.ts": exported(CANARIES.beside),
  "tasks/.env": `TOKEN=${CANARIES.dotfile}\n`,
  "tasks/lib.ts": 'export const lib = "from lib";\n',
  "tasks/mapped.js": `export const mapped = 1;\n//# sourceMappingURL=${path.join(home, "map.json")}\n`,
  "tasks/tsconfig.json": JSON.stringify({
    compilerOptions: { baseUrl: ".", paths: { leak: [path.join(home, "leak.ts")] } },
  }),
  "servers/fine.ts": 'export const fine = "from servers";\n',
  "skills/fine.ts": 'export const fine = "from skills";\n',
  "workspace/data.json": '{ "rows": 3 }\n',
  "node_modules/good/package.json": JSON.stringify({ name: "good", main: "./index.js" }),
  "node_modules/good/index.js": 'export const good = "from a package";\n',
  "node_modules/evil-main/package.json": JSON.stringify({
    name: "evil-main",
    main: "../../outside.ts",
  }),
});
const PROGRAM = path.join(project, "tasks/task.ts");
const ACCESS: ProgramAccess = {
  root: project,
  outDir: project,
  denied: [path.join(project, "codegen.config.ts")],
  nodeModules: projectNodeModules(path.join(project, "codegen.config.ts")),
};

symlinkSync(path.join(home, "leak.ts"), path.join(project, "servers/leak.ts"));
symlinkSync(home, path.join(project, "servers/home"));
symlinkSync(path.join(home, "leak.ts"), path.join(project, "workspace/leak.ts"));
symlinkSync("/dev/zero", path.join(project, "tasks/zero.ts"));
linkSync(path.join(home, "leak.ts"), path.join(project, "workspace/hard.ts"));
execFileSync("mkfifo", [path.join(project, "tasks/fifo.ts")]);
// 100 MB of nothing (sparse): the size cap must refuse it before anything reads it.
const huge = openSync(path.join(project, "tasks/huge.ts"), "w");
ftruncateSync(huge, 100 * 1024 * 1024);
closeSync(huge);
// Another run's sandbox folder, named as the runner names them.
const otherRun = mkdtempSync(path.join(tmpdir(), "mcp-codegen-run-"));
writeFileSync(path.join(otherRun, "program.cjs"), exported(CANARIES.sshKey));
afterAll(() => rmSync(otherRun, { recursive: true, force: true }));

beforeAll(() => {
  vi.stubEnv("HOME", home);
  vi.stubEnv("BUNDLE_GATE_SECRET", CANARIES.env);
});
afterAll(() => vi.unstubAllEnvs());

/** Bundles `code` as `tasks/task.ts`: the bundle, or the error's message. */
async function bundle(
  code: string,
  options: { access?: () => Promise<ProgramAccess>; signal?: AbortSignal } = {},
): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
  writeFileSync(PROGRAM, code);
  try {
    const text = await bundleProgram({
      program: { file: "tasks/task.ts" },
      access: options.access ?? (async () => ACCESS),
      outfile: path.join(project, "out/program.cjs"),
      cwd: project,
      signal: options.signal ?? AbortSignal.timeout(10_000),
    });
    return { ok: true, text };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

function expectNoCanary(text: string): void {
  for (const canary of Object.values(CANARIES)) expect(text).not.toContain(canary);
}

const q = JSON.stringify;
const TEXT = 'with { type: "text" }';
const OUTSIDE =
  "is outside what a program may import: its own folder (below the project's), servers/, skills/, workspace/ and the project's packages";
const AS_TEXT =
  'is imported with { type: "text" }: a program imports code and JSON only (data it reads at run time, with node:fs)';
const COMPUTED_IMPORT =
  'import() with a computed name cannot be bundled: name the file or package in a string (import("./lib.js")); data is read at run time, with node:fs';
const COMPUTED_REQUIRE =
  'require() with a computed name cannot be bundled: name the file or package in a string (require("./lib.js"))';

/** [title, program, the error after "the program could not be compiled:\n"]. */
const REFUSED: [string, string, string][] = [
  [
    "the SSH key by absolute path",
    `import k from ${q(path.join(home, ".ssh/id_rsa"))};\nconsole.log(k);\n`,
    `tasks/task.ts:1:15: error: ${q(path.join(home, ".ssh/id_rsa"))} ${OUTSIDE}`,
  ],
  [
    "the SSH key as text",
    `import k from ${q(path.join(home, ".ssh/id_rsa"))} ${TEXT};\nconsole.log(k);\n`,
    `tasks/task.ts:1:15: error: ${q(path.join(home, ".ssh/id_rsa"))} ${AS_TEXT}`,
  ],
  [
    "the SSH key as a file: URL",
    `import k from ${q(`file://${home}/.ssh/id_rsa`)};\nconsole.log(k);\n`,
    `tasks/task.ts:1:15: error: ${q(`file://${home}/.ssh/id_rsa`)} ${OUTSIDE}`,
  ],
  [
    "/proc/self/environ",
    'import e from "/proc/self/environ";\nconsole.log(e);\n',
    `tasks/task.ts:1:15: error: "/proc/self/environ" ${OUTSIDE}`,
  ],
  [
    "/proc/self/environ as text",
    `import e from "/proc/self/environ" ${TEXT};\nconsole.log(e);\n`,
    `tasks/task.ts:1:15: error: "/proc/self/environ" ${AS_TEXT}`,
  ],
  [
    "the config beside the program's folder",
    'import c from "../codegen.config.ts";\nconsole.log(c);\n',
    `tasks/task.ts:1:15: error: "../codegen.config.ts" ${OUTSIDE}`,
  ],
  [
    "the config without its extension",
    'import c from "../codegen.config";\nconsole.log(c);\n',
    `tasks/task.ts:1:15: error: "../codegen.config" ${OUTSIDE}`,
  ],
  [
    "a file beside the config, through servers/..",
    'import k from "servers/../outside.ts";\nconsole.log(k);\n',
    `tasks/task.ts:1:15: error: "servers/../outside.ts" ${OUTSIDE}`,
  ],
  [
    "a dotfile in the program's folder",
    'import k from "./.env";\nconsole.log(k);\n',
    'tasks/task.ts:1:15: error: "./.env" is hidden (a name starting with "."), which a program may not import',
  ],
  [
    "a link in servers/ to a file outside",
    'import k from "servers/leak.ts";\nconsole.log(k);\n',
    `tasks/task.ts:1:15: error: "servers/leak.ts" ${OUTSIDE}`,
  ],
  [
    "a link in servers/ to a folder outside",
    'import k from "servers/home/leak.ts";\nconsole.log(k);\n',
    `tasks/task.ts:1:15: error: "servers/home/leak.ts" ${OUTSIDE}`,
  ],
  [
    "a dotfile under a linked folder of servers/",
    'import k from "servers/home/.ssh/id_rsa";\nconsole.log(k);\n',
    'tasks/task.ts:1:15: error: "servers/home/.ssh/id_rsa" is hidden (a name starting with "."), which a program may not import',
  ],
  [
    "a link in workspace/ to a file outside",
    'import k from "../workspace/leak.ts";\nconsole.log(k);\n',
    `tasks/task.ts:1:15: error: "../workspace/leak.ts" ${OUTSIDE}`,
  ],
  [
    "a hard link in workspace/ to a file outside",
    'import k from "../workspace/hard.ts";\nconsole.log(k);\n',
    `tasks/task.ts:1:15: error: "../workspace/hard.ts" ${OUTSIDE}`,
  ],
  [
    "a glob import up the tree",
    "const x = String(Date.now());\nconst m = await import(`../../${x}`);\n",
    `tasks/task.ts:2:17: error: ${COMPUTED_IMPORT}`,
  ],
  [
    "a glob import of a folder of the program's own",
    "const x = String(Date.now());\nconst m = await import(`./${x}.ts`);\n",
    `tasks/task.ts:2:17: error: ${COMPUTED_IMPORT}`,
  ],
  [
    "a glob require up the tree",
    'const x = String(Date.now());\nconst m = require("../" + x);\n',
    `tasks/task.ts:2:11: error: ${COMPUTED_REQUIRE}`,
  ],
  [
    "a glob require inside try, in dead code",
    "const x = String(Date.now());\nif (false) {\n  try { require(`../${x}`); } catch {}\n}\n",
    `tasks/task.ts:3:9: error: ${COMPUTED_REQUIRE}`,
  ],
  [
    "a glob through module.require",
    "const x = String(Date.now());\nmodule.require(`../${x}`);\n",
    "tasks/task.ts:2:1: error: module.require cannot be bundled: use import, or require() with the file's name in a string",
  ],
  [
    "a dynamic import() of /proc/self/environ",
    'const e = await import("/proc/self/environ");\nconsole.log(e);\n',
    `tasks/task.ts:1:24: error: "/proc/self/environ" ${OUTSIDE}`,
  ],
  [
    "a require() of the SSH key",
    `const k = require(${q(path.join(home, ".ssh/id_rsa"))});\nconsole.log(k);\n`,
    `tasks/task.ts:1:19: error: ${q(path.join(home, ".ssh/id_rsa"))} ${OUTSIDE}`,
  ],
  [
    "another run's bundle in /tmp",
    `import k from ${q(path.join(otherRun, "program.cjs"))};\nconsole.log(k);\n`,
    `tasks/task.ts:1:15: error: ${q(path.join(otherRun, "program.cjs"))} ${OUTSIDE}`,
  ],
  [
    "/dev/zero",
    'import z from "/dev/zero";\nconsole.log(z);\n',
    `tasks/task.ts:1:15: error: "/dev/zero" ${OUTSIDE}`,
  ],
  [
    "/dev/zero through a link in the program's folder",
    'import z from "./zero.ts";\nconsole.log(z);\n',
    `tasks/task.ts:1:15: error: "./zero.ts" ${OUTSIDE}`,
  ],
  [
    "a FIFO",
    'import { x } from "./fifo.ts";\nconsole.log(x);\n',
    'tasks/task.ts:1:19: error: "./fifo.ts" is not a regular file',
  ],
  [
    "a 100 MB file",
    'import { x } from "./huge.ts";\nconsole.log(x);\n',
    'tasks/task.ts:1:19: error: "./huge.ts" is larger than 8 MiB, the most a program may import from one file',
  ],
  [
    "a file of the program's own folder as text",
    `import t from "./lib.ts" ${TEXT};\nconsole.log(t);\n`,
    `tasks/task.ts:1:15: error: "./lib.ts" ${AS_TEXT}`,
  ],
  [
    "workspace/ data as bytes",
    'import t from "../workspace/data.json" with { type: "bytes" };\nconsole.log(t);\n',
    'tasks/task.ts:1:15: error: "../workspace/data.json" is imported with { type: "bytes" }: a program imports code and JSON only (data it reads at run time, with node:fs)',
  ],
  [
    "code as JSON",
    'import t from "./lib.ts" with { type: "json" };\nconsole.log(t);\n',
    'tasks/task.ts:1:15: error: "./lib.ts" is imported with { type: "json" } but is not a .json file',
  ],
  [
    "a file that is not code",
    'import t from "../secret.txt";\nconsole.log(t);\n',
    `tasks/task.ts:1:15: error: "../secret.txt" ${OUTSIDE}`,
  ],
  [
    "a data: URL",
    'import t from "data:text/javascript,export default 1";\nconsole.log(t);\n',
    'tasks/task.ts:1:15: error: "data:text/javascript,export default 1" is not a file: a program imports files, packages and node: modules',
  ],
  [
    "a name a tsconfig.json near the program maps outside",
    'import k from "leak";\nconsole.log(k);\n',
    'tasks/task.ts:1:15: error: Could not resolve "leak"',
  ],
  [
    "a package whose main points outside node_modules",
    'import k from "evil-main";\nconsole.log(k);\n',
    `tasks/task.ts:1:15: error: "evil-main" ${OUTSIDE}`,
  ],
];

describe("the bundler's gate refuses", () => {
  it.each(REFUSED)("%s", async (_title, program, error) => {
    const started = Date.now();
    const result = await bundle(program);
    expect(result).toEqual({ ok: false, message: `the program could not be compiled:\n${error}` });
    expectNoCanary(JSON.stringify(result));
    // Refused before anything is read (a device or a huge file would take far longer), with
    // room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("a program's own file that is not code", async () => {
    writeFileSync(path.join(project, "tasks/notes.txt"), "notes\n");
    const result = await bundle('import t from "./notes.txt";\nconsole.log(t);\n');
    expect(result).toEqual({
      ok: false,
      message:
        'the program could not be compiled:\ntasks/task.ts:1:15: error: "./notes.txt" is not code: a program imports .ts, .tsx, .mts, .cts, .js, .jsx, .mjs, .cjs and .json files',
    });
  });

  it("the config beside --eval code run from the project's folder", async () => {
    const result = await bundleProgram({
      program: {
        code: 'import c from "./codegen.config.ts";\nconsole.log(c);\n',
        resolveDir: project,
        name: "[eval].ts",
      },
      access: async () => ACCESS,
      outfile: path.join(project, "out/program.cjs"),
      cwd: project,
      signal: AbortSignal.timeout(10_000),
    }).catch((error: Error) => error.message);
    expect(result).toBe(
      // The project's top is not the program's own folder: nothing there is, the config least.
      "the program could not be compiled:\n[eval].ts:1:15: error: \"./codegen.config.ts\" is outside what a program may import: its own folder (below the project's), servers/, skills/, workspace/ and the project's packages",
    );
  });

  it("another run's folder even when the program's folder holds it", async () => {
    const result = await bundleProgram({
      program: {
        code: `import k from ${q(`./${path.basename(otherRun)}/program.cjs`)};\nconsole.log(k);\n`,
        resolveDir: tmpdir(),
        name: "[eval].ts",
      },
      access: async () => ACCESS,
      outfile: path.join(project, "out/program.cjs"),
      cwd: project,
      signal: AbortSignal.timeout(10_000),
    }).catch((error: Error) => error.message);
    expect(result).toBe(
      `the program could not be compiled:\n[eval].ts:1:15: error: ${q(`./${path.basename(otherRun)}/program.cjs`)} ${OUTSIDE}`,
    );
  });
});

describe("esbuild's glob imports, which the gate finds before esbuild sees them", () => {
  // A folder with one file for the globs to match.
  const globs = tempProject({ "dir/a.ts": "export const a = 1;\n" });
  const FORMS: [string, string][] = [
    ["import() of a template", "await import(`./dir/${x}.ts`);"],
    ["require() of a sum", 'require("./dir/" + x);'],
    ["require() with type arguments", "require<unknown>(`./dir/${x}.ts`);"],
    ["(require)()", "(require)(`./dir/${x}.ts`);"],
    ["module.require()", "module.require(`./dir/${x}.ts`);"],
    ['module["require"]()', 'module["require"](`./dir/${x}.ts`);'],
    [
      "require() in try, in dead code",
      "if (false) {\n  try { require(`./dir/${x}.ts`); } catch {}\n}",
    ],
    ["one branch of a ternary", 'await import(x ? "./dir/b.ts" : `./dir/${x}.ts`);'],
    ["import.defer()", "await import.defer(`./dir/${x}.ts`);"],
  ];

  it.each(FORMS)(
    "%s: esbuild lists the folder and loads the match, asking no onResolve",
    async (_title, line) => {
      const code = `const x = String(Date.now());\n${line}\n`;
      const resolved: string[] = [];
      const loaded: string[] = [];
      await esbuild()
        .build({
          stdin: { contents: code, loader: "ts", resolveDir: globs, sourcefile: "task.ts" },
          bundle: true,
          write: false,
          platform: "node",
          format: "esm",
          logLevel: "silent",
          plugins: [
            {
              name: "claims-everything",
              setup(build) {
                build.onResolve({ filter: /.*/ }, (args) => {
                  resolved.push(args.path);
                  return { path: args.path, namespace: "claimed" };
                });
                build.onLoad({ filter: /.*/ }, (args) => {
                  loaded.push(args.path);
                  return { contents: "" };
                });
              },
            },
          ],
        })
        .catch(() => {});
      const match = path.join(globs, "dir/a.ts");
      expect(loaded).toContain(match);
      expect(resolved).not.toContain(match);
      // The gate's check, on the same text, finds it without reading or listing anything.
      expect(await computedImportErrors(code, "ts", "task.ts")).not.toEqual([]);
    },
  );

  it("the check lets static imports and strings be", async () => {
    const code =
      'import { a } from "./dir/a.ts";\nconst b = await import("./dir/a.ts");\nconst module = { a: 1 };\nconsole.log(a, b, module["a"], "require(x) and import(y)", require("./dir/a.ts"));\n';
    expect(await computedImportErrors(code, "ts", "task.ts")).toEqual([]);
  });
});

describe("what esbuild would read by itself", () => {
  it("a source map comment naming an outside file brings none of it into the bundle", async () => {
    const result = await bundle(
      `import { mapped } from "./mapped.js";\nconsole.log(mapped);\n//# sourceMappingURL=${path.join(home, "map.json")}\n`,
    );
    expect(result.ok).toBe(true);
    const map = /sourceMappingURL=data:application\/json;base64,(\S+)\s*$/.exec(
      result.ok ? result.text : "",
    )?.[1];
    expect(JSON.parse(Buffer.from(map!, "base64").toString()).sources).toEqual([
      "tasks/mapped.js",
      "tasks/task.ts",
    ]);
    expectNoCanary(JSON.stringify(result));
  });

  it("a source map comment naming /dev/zero is not followed", async () => {
    const result = await bundle('console.log("ran");\n//# sourceMappingURL=/dev/zero\n');
    expect(result.ok).toBe(true);
  });
});

describe("what a program may import still bundles", () => {
  it("its folder, servers/, skills/, workspace/ JSON, a package, node: modules and the runtime", async () => {
    const result = await bundle(`import { lib } from "./lib.js";
import { fine as fromServers } from "servers/fine.js";
import { fine as fromSkills } from "skills/fine";
import data from "../workspace/data.json" with { type: "json" };
import { good } from "good";
import { readFileSync } from "node:fs";
import * as path from "path";
import { callMcpTool } from "mcp-codegen/runtime";
console.log(lib, fromServers, fromSkills, data.rows, good, typeof readFileSync, path.sep, typeof callMcpTool);
`);
    expect(result.ok).toBe(true);
    const text = result.ok ? result.text : "";
    for (const value of ["from lib", "from servers", "from skills", "rows", "from a package"]) {
      expect(text).toContain(value);
    }
    // Left to Node: required by the bundle (program-module.ts), not carried in it.
    expect(text).toMatch(/__require\("node:fs"\)/);
  });
});

describe("what the program can read of its own bundle", () => {
  it("names no host folder: files are named as the agent knows them", async () => {
    const result = await bundle(`import { lib } from "./lib.js";
import { fine } from "servers/fine.js";
import { good } from "good";
import { callMcpTool } from "mcp-codegen/runtime";
console.log(lib, fine, good, typeof callMcpTool);
`);
    const text = result.ok ? result.text : "";
    const map = /sourceMappingURL=data:application\/json;base64,(\S+)\s*$/.exec(text)?.[1];
    const sources = JSON.parse(Buffer.from(map!, "base64").toString()).sources as string[];
    expect(sources).toEqual(
      expect.arrayContaining([
        "tasks/lib.ts",
        "servers/fine.ts",
        "node_modules/good/index.js",
        "tasks/task.ts",
      ]),
    );
    expect(sources.filter((source) => source.startsWith("mcp-codegen/src/"))).not.toEqual([]);
    for (const folder of [project, home, ROOT]) {
      expect(text).not.toContain(folder.replace(/^\//, ""));
    }
  });
});

describe("the gate's read is of what was opened", () => {
  it("a file swapped for a link after the check is refused at the read", () => {
    const gate = new FileGate(path.join(project, "tasks"), ACCESS);
    const file = path.join(project, "tasks/swapped.ts");
    writeFileSync(file, "export const fine = 1;\n");
    expect("kind" in gate.probe(file)).toBe(true);
    rmSync(file);
    symlinkSync(path.join(home, "leak.ts"), file);
    expect(gate.read(file)).toEqual({ refused: "outside" });
  });

  it("a folder swapped for a link between the name's check and the open is caught on the descriptor", () => {
    const dir = path.join(project, "tasks/swapdir");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "leak.ts"), "export const fine = 1;\n");
    const gate = new FileGate(path.join(project, "tasks"), ACCESS);
    expect("kind" in gate.probe(path.join(dir, "leak.ts"))).toBe(true);
    // The swap: the folder is now a link to HOME; the name checked a moment ago still reads fine.
    renameSync(dir, `${dir}-gone`);
    symlinkSync(home, dir);
    const asked: string[] = [];
    const opened = openChecked(path.join(dir, "leak.ts"), 1024, (realPath) => {
      asked.push(realPath);
      return gate.spelled(realPath);
    });
    expect(asked).toEqual([path.join(home, "leak.ts")]);
    expect(opened).toEqual({ refused: "outside" });
  });
});

describe("bundling within the run's limits", () => {
  it("stops at once when the run's time is up while the config is still loading", async () => {
    const deadline = new AbortController();
    const reason = new Error("the run's time is up");
    setTimeout(() => deadline.abort(reason), 50);
    const started = Date.now();
    const bundling = bundle('import { fine } from "servers/fine.js";\nconsole.log(fine);\n', {
      access: () => new Promise<ProgramAccess>(() => {}),
      signal: deadline.signal,
    });
    await expect(bundling).resolves.toEqual({ ok: false, message: reason.message });
    // The config never loads: without the deadline this never ends.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("stops at once when the run's time is up while esbuild parses", async () => {
    const lines = Array.from(
      { length: 60_000 },
      (_, i) => `export const v${i} = { a: ${i}, b: () => v${i}.a };`,
    );
    writeFileSync(path.join(project, "tasks/big.ts"), `${lines.join("\n")}\n`);
    const program = 'import * as big from "./big.ts";\nconsole.log(Object.keys(big).length);\n';
    // What "at once" is measured against: the same bundle, started beside it and not stopped,
    // which a loaded machine slows as much.
    const unstopped = new AbortController();
    let wholeDone = false;
    const whole = bundle(program, { signal: unstopped.signal }).then(() => (wholeDone = true));
    const deadline = new AbortController();
    const reason = new Error("the run's time is up");
    const bundling = bundle(program, { signal: deadline.signal });
    await new Promise((resolve) => setTimeout(resolve, 30));
    deadline.abort(reason);
    await expect(bundling).resolves.toEqual({ ok: false, message: reason.message });
    expect(wholeDone).toBe(false);
    unstopped.abort(new Error("done measuring"));
    await whole;
    // esbuild is still fine for the next run.
    expect((await bundle('console.log("next");\n')).ok).toBe(true);
  });

  it("rejects with the config's own error when the config cannot load", async () => {
    const failure = new Error("the config is broken");
    const result = await bundle('import { fine } from "servers/fine.js";\n', {
      access: () => Promise.reject(failure),
    });
    expect(result).toEqual({ ok: false, message: failure.message });
  });
});
