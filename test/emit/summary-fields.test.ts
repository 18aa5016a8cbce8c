/**
 * The summaries write every tool's input and output out, read from the lowered schema rather
 * than from the compiled types: hold each declared function to the tool file's own, as the
 * same type (input, options and result alike), for every golden tree, the committed
 * `out/servers` tree and a tree of the many-tools fixture. And the fields must really be there.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { manyTools } from "../../fixtures/servers/lib/many-tools-list.mjs";
import type { ToolDefinition } from "../../src/introspect/snapshot.js";
import { generateFrom, GOLDEN, REPO } from "./tree.js";

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2023.d.ts"],
  types: ["node"],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  paths: { "mcp-codegen/runtime": [path.join(REPO, "src/runtime/index.ts")] },
};

/** Folders holding a `summary.d.ts` under `root`. */
function serverFolders(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((file) => path.basename(file) === "summary.d.ts")
    .map((file) => path.join(root, path.dirname(file)))
    .sort();
}

/** The functions each summary part of `folder` declares, by part (module specifier). */
function declaredFunctions(folder: string): Map<string, string[]> {
  const parts = readdirSync(folder).filter((f) => /^summary(-\d+)?\.d\.ts$/.test(f));
  return new Map(
    parts.sort().map((part) => {
      const source = ts.createSourceFile(part, readFileSync(path.join(folder, part), "utf8"), 99);
      const names = source.statements.flatMap((s) =>
        ts.isFunctionDeclaration(s) && s.name ? [s.name.text] : [],
      );
      return [`./${part.replace(/\.d\.ts$/, ".js")}`, names];
    }),
  );
}

/**
 * A check file for one server folder: every summary function and the barrel's function must be
 * the same type, compared with the conditional-type identity that tells `{ a: string }` from
 * `{ a: string; b?: number }`.
 */
function checkSource(folder: string): { source: string; functions: number } {
  const lines = [
    `import type * as Real from "./index.js";`,
    "type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;",
    "declare function same<A, B>(ok: Same<A, B>): void;",
  ];
  let functions = 0;
  [...declaredFunctions(folder)].forEach(([specifier, names], i) => {
    lines.push(`import type * as Part${i} from ${JSON.stringify(specifier)};`);
    for (const name of names) {
      lines.push(`same<typeof Part${i}.${name}, typeof Real.${name}>(true);`);
      functions++;
    }
  });
  return { source: lines.join("\n"), functions };
}

let trees: string[];

beforeAll(async () => {
  const tools = manyTools(60) as ToolDefinition[];
  const { outDir } = await generateFrom({
    snapshotVersion: 1,
    servers: [{ name: "many", info: { name: "many", version: "1" }, tools, skipped: [] }],
  });
  trees = [GOLDEN, path.join(REPO, "out/servers"), path.join(outDir, "servers")];
}, 60_000);

describe("summary.d.ts", () => {
  it("declares every function as exactly the type of the tool file's function", () => {
    const checks = new Map<string, string>();
    let functions = 0;
    for (const folder of trees.flatMap(serverFolders)) {
      const check = checkSource(folder);
      checks.set(path.join(folder, "summary-check.ts"), check.source);
      functions += check.functions;
    }
    expect(functions).toBeGreaterThan(200);
    const host = ts.createCompilerHost(OPTIONS, true);
    const { fileExists, readFile } = host;
    host.fileExists = (file) => checks.has(file) || fileExists.call(host, file);
    host.readFile = (file) => checks.get(file) ?? readFile.call(host, file);
    const program = ts.createProgram({ rootNames: [...checks.keys()], options: OPTIONS, host });
    const problems = [...checks.keys()].flatMap((file) =>
      ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => {
        const line = d.file?.getLineAndCharacterOfPosition(d.start ?? 0).line ?? 0;
        const text = d.file?.text.split("\n")[line] ?? "";
        return `${path.relative(REPO, file)}: ${text}`;
      }),
    );
    expect(problems).toEqual([]);
  }, 60_000);

  it("writes the fields out: most functions show their input's members, not a type name", () => {
    const summaries = trees
      .flatMap(serverFolders)
      .flatMap((folder) => [...declaredFunctions(folder).keys()].map((s) => [folder, s] as const))
      .map(([folder, specifier]) =>
        readFileSync(path.join(folder, specifier.replace(/\.js$/, ".d.ts")), "utf8"),
      );
    const declarations = summaries.join("\n").split("export function ").slice(1);
    const byName = declarations.filter((d) => /^\w+\(\s*input\??: Types\.\w+Input,/.test(d));
    expect(declarations.length).toBeGreaterThan(200);
    expect(byName.length / declarations.length).toBeLessThan(0.1);
  });
});
