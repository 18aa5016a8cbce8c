/**
 * `run --typecheck` checks an agent's program against the committed `out/servers` tree, resolving
 * imports as the runner does, and reports the compiler's own messages relative to the user's folder.
 * The first call parses the libraries (a few seconds); later ones reuse them.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { typecheckProgram } from "../../src/runner/typecheck.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const OUT_DIR = path.join(REPO, "out");

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
    const result = await typecheckProgram({
      program: { file: "task.ts" },
      outDir: OUT_DIR,
      cwd: dir,
    });
    expect(result).toEqual({ errorCount: 0, text: "" });
  });

  it("reports a wrong argument to a stub where it is, in the compiler's format", async () => {
    const result = await typecheckProgram({
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
    const result = await typecheckProgram({
      program: { file: path.join(dir, "wrong.ts") },
      outDir: OUT_DIR,
      cwd: REPO,
    });
    expect(result.text).toMatch(/^test\/\.tmp\/typecheck-[^/]+\/wrong\.ts\(3,37\): error TS2322: /);
  });

  it("checks source text as a module with top-level await, even without imports", async () => {
    const code = `const size: number = await Promise.resolve("large");\nconsole.log(size);\n`;
    const result = await typecheckProgram({
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
    const result = await typecheckProgram({
      program: { code, resolveDir: dir },
      outDir: OUT_DIR,
      cwd: dir,
    });
    expect(result).toEqual({ errorCount: 0, text: "" });
  });

  it("names a missing stub", async () => {
    const result = await typecheckProgram({
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
