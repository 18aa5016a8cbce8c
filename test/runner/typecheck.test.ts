/**
 * `run --typecheck` checks an agent's program against the committed `out/servers` tree, resolving
 * imports as the runner does, and reports the compiler's own messages relative to the user's folder.
 * The first call parses the libraries (a few seconds); later ones reuse them. Hostile programs
 * cannot make the checker read outside what a program may import, nor outlast the run's time or
 * memory.
 */
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunLimitError } from "../../src/runner/errors.js";
import { typecheckProgram, type TypecheckInput } from "../../src/runner/typecheck.js";
import { tempProject } from "../e2e/cli.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const OUT_DIR = path.join(REPO, "out");
/** What the repo's own config lets a program read. */
const ACCESS = {
  root: REPO,
  outDir: OUT_DIR,
  denied: [path.join(REPO, "codegen.config.ts")],
  nodeModules: [path.join(REPO, "node_modules")],
};

/** A check under generous limits (the tests of the limits set their own). */
function typecheck(input: TypecheckInput) {
  return typecheckProgram({
    ...input,
    access: ACCESS,
    signal: new AbortController().signal,
    memoryMb: 1024,
  });
}

const FILES: Record<string, string> = {
  "task.ts": [
    `import { readFileSync } from "node:fs";`,
    `import { readGraph } from "servers/memory";`,
    `import * as memory from "./servers/memory/index.js";`,
    `import * as servers from "servers";`,
    `const graph = await readGraph();`,
    `const names: string[] = graph.entities.map((entity) => entity.name);`,
    `const again: typeof graph = await memory.readGraph({});`,
    `await servers.memory.searchNodes({ query: names[0] ?? "" });`,
    `console.log(names, again.relations.length, process.argv, readFileSync);`,
    ``,
  ].join("\n"),
  "wrong.ts": [
    `import { createEntities } from "servers/memory/createEntities.js";`,
    ``,
    `await createEntities({ entities: [{ name: 1, entityType: "person", observations: [] }] });`,
    ``,
  ].join("\n"),
  "missing.ts": `import { nope } from "servers/memory/nope";\nconsole.log(nope);\n`,
};

let dir: string;
beforeAll(() => {
  mkdirSync(path.join(REPO, "test/.tmp"), { recursive: true });
  dir = mkdtempSync(path.join(REPO, "test/.tmp/typecheck-"));
  for (const [name, text] of Object.entries(FILES)) writeFileSync(path.join(dir, name), text);
  // The program sits in an outDir as the runner sees it, so `./servers/…` resolves too.
  symlinkSync(path.join(OUT_DIR, "servers"), path.join(dir, "servers"), "junction");
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("typecheckProgram", () => {
  it("passes a correct program importing stubs bare, relatively and through the root barrel", async () => {
    const result = await typecheck({
      program: { file: "task.ts" },
      outDir: OUT_DIR,
      cwd: dir,
    });
    expect(result).toEqual({ errorCount: 0, text: "" });
  });

  it("reports a wrong argument to a stub where it is, in the compiler's format", async () => {
    const result = await typecheck({
      program: { file: path.join(dir, "wrong.ts") },
      outDir: OUT_DIR,
      cwd: dir,
    });
    expect(result).toEqual({
      errorCount: 1,
      text: "wrong.ts(3,37): error TS2322: Type 'number' is not assignable to type 'string'.",
    });
  });

  it("names files relative to the working folder", async () => {
    const result = await typecheck({
      program: { file: path.join(dir, "wrong.ts") },
      outDir: OUT_DIR,
      cwd: REPO,
    });
    expect(result.text).toMatch(/^test\/\.tmp\/typecheck-[^/]+\/wrong\.ts\(3,37\): error TS2322: /);
  });

  it("checks source text as a module with top-level await, even without imports", async () => {
    const code = `const size: number = await Promise.resolve("large");\nconsole.log(size);\n`;
    const result = await typecheck({
      program: { code, resolveDir: dir },
      outDir: OUT_DIR,
      cwd: dir,
    });
    expect(result).toEqual({
      errorCount: 1,
      text: "[eval].ts(1,7): error TS2322: Type 'string' is not assignable to type 'number'.",
    });
  });

  it("resolves the relative imports of source text from its folder", async () => {
    const code = `import { readGraph } from "./servers/memory/index.js";\nawait readGraph({});\n`;
    const result = await typecheck({
      program: { code, resolveDir: dir },
      outDir: OUT_DIR,
      cwd: dir,
    });
    expect(result).toEqual({ errorCount: 0, text: "" });
  });

  it("names a missing stub", async () => {
    const result = await typecheck({
      program: { file: "missing.ts" },
      outDir: OUT_DIR,
      cwd: dir,
    });
    expect(result).toEqual({
      errorCount: 1,
      text:
        "missing.ts(1,22): error TS2307: Cannot find module 'servers/memory/nope' " +
        "or its corresponding type declarations.",
    });
  });
});

describe("typecheckProgram with a hostile program", () => {
  const canary = `TYPE-CANARY-${randomUUID()}`;
  // If the checker read one of these, the canary would be in its diagnostics.
  const leaky = `export const leak: ${JSON.stringify(canary)} = 1;\n`;
  const outside = tempProject({ "outside.ts": leaky });
  const project = tempProject({ "codegen.config.ts": leaky, "tasks/.hidden.ts": leaky });
  const access = {
    root: project,
    outDir: project,
    denied: [path.join(project, "codegen.config.ts")],
    nodeModules: [path.join(REPO, "node_modules")],
  };
  symlinkSync(path.join(outside, "outside.ts"), path.join(project, "tasks/link.ts"));
  execFileSync("mkfifo", [path.join(project, "tasks/fifo.ts")]);

  function check(code: string, limits: { signal?: AbortSignal; memoryMb?: number } = {}) {
    writeFileSync(path.join(project, "tasks/task.ts"), code);
    return typecheckProgram({
      program: { file: "tasks/task.ts" },
      outDir: project,
      cwd: project,
      access,
      signal: limits.signal ?? new AbortController().signal,
      memoryMb: limits.memoryMb ?? 1024,
    });
  }

  const REFUSED: [string, string, string][] = [
    [
      "a triple-slash reference to a file outside",
      `/// <reference path=${JSON.stringify(path.join(outside, "outside.ts"))} />\nconsole.log(1);\n`,
      `tasks/task.ts(1,22): error TS6053: File '${path.join(outside, "outside.ts")}' not found.`,
    ],
    [
      "an import of the config beside the program's folder",
      'import { leak } from "../codegen.config";\nconsole.log(leak);\n',
      "tasks/task.ts(1,22): error TS2307: Cannot find module '../codegen.config' or its corresponding type declarations.",
    ],
    [
      "a link in the program's folder to a file outside",
      'import { leak } from "./link.ts";\nconsole.log(leak);\n',
      "tasks/task.ts(1,22): error TS2307: Cannot find module './link.ts' or its corresponding type declarations.",
    ],
    [
      "a dotfile in the program's folder",
      '/// <reference path="./.hidden.ts" />\nconsole.log(1);\n',
      `tasks/task.ts(1,22): error TS6053: File '${path.join(project, "tasks/.hidden.ts")}' not found.`,
    ],
    [
      "a FIFO and /dev/zero",
      '/// <reference path="./fifo.ts" />\n/// <reference path="/dev/zero" />\nconsole.log(1);\n',
      [
        `tasks/task.ts(1,22): error TS6053: File '${path.join(project, "tasks/fifo.ts")}' not found.`,
        "tasks/task.ts(2,22): error TS6231: Could not resolve the path '/dev/zero' with the extensions: '.ts', '.tsx', '.d.ts', '.cts', '.d.cts', '.mts', '.d.mts'.",
      ].join("\n"),
    ],
  ];

  it.each(REFUSED)("cannot read %s", async (_title, code, text) => {
    const result = await check(code);
    expect(result).toEqual({ errorCount: text.split("\n").length, text });
    expect(result.text).not.toContain(canary);
  });

  // Each level doubles the work: the checker would run until its heap is full.
  const SLOW = `type Str<N extends number, A extends string[] = []> = A["length"] extends N ? A : Str<N, [...A, \`\${A["length"]}\${Str<N, A>[0]}\`]>;
const s: Str<40> = null!;
console.log(s);
`;

  it("is stopped at once when the run's time is up, in a type that runs long", async () => {
    // The checker of the checks above, with the libraries parsed: the time goes to the type.
    const deadline = new AbortController();
    const reason = new Error("the run's time is up");
    const checking = check(SLOW, { signal: deadline.signal });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const aborted = Date.now();
    deadline.abort(reason);
    await expect(checking).rejects.toBe(reason);
    // Unstopped, the checker runs until its heap is full: seconds. Ending the worker takes a
    // moment, longer on a loaded machine.
    expect(Date.now() - aborted).toBeLessThan(3_000);
  });

  it("stops at the run's memory limit, with the limit's error", async () => {
    const lines = [
      'type D = "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9";',
      "type N4 = `${D}${D}${D}${D}`;",
      "type O<K extends string> = { [P in K]: [P, P] };",
      ...Array.from({ length: 300 }, (_, i) => `export const u${i}: O<\`k${i}_\${N4}\`> = null!;`),
    ];
    const checking = check(`${lines.join("\n")}\n`, { memoryMb: 192 });
    await expect(checking).rejects.toThrow(RunLimitError);
    await expect(checking).rejects.toThrow(
      "type-checking ran out of memory, its limit being 192 MB (--memory <MB>, or run.memory in the config).",
    );
    // Filling 192 MB of types takes seconds, and far longer on a loaded machine.
  }, 120_000);

  it("still checks a program once a check was stopped", async () => {
    const result = await check("const n: number = 1;\nconsole.log(n);\n");
    expect(result).toEqual({ errorCount: 0, text: "" });
  }, 60_000);
});
