/**
 * Golden trees: every snapshot in `fixtures/snapshots/<feature>.json` is a case (found by listing
 * the folder) that goes through the real pipeline, and every file of the generated `servers/`
 * tree must equal `test/golden/<feature>/servers/**` exactly (vitest's `toMatchFileSnapshot`),
 * with no file missing or extra. `npx vitest run -u` rewrites the goldens and deletes those that
 * nothing generates any more; a missing golden is written on a local run and fails in CI.
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { readSnapshotFile } from "../../src/introspect/snapshot-file.js";
import { FEATURES, generateFrom, GOLDEN, readTree, REPO, SNAPSHOTS } from "./tree.js";

/** Whether this run rewrites snapshots (`vitest -u`), so goldens nothing generates go too. */
function updating(): boolean {
  return expect.getState().snapshotState.snapshotUpdateState === "all";
}

/** Golden files (or folders) in `dir` that are not in `wanted`; removed when updating. */
function staleGoldens(
  dir: string,
  existing: Iterable<string>,
  wanted: (name: string) => boolean,
): string[] {
  const stale = [...existing].filter((name) => !wanted(name));
  if (!updating()) return stale;
  for (const name of stale) rmSync(path.join(dir, name), { recursive: true });
  return [];
}

/** The tokens of a TypeScript file that are code: comments and string literals removed. */
function codeTokens(source: string): string[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, /* skipTrivia */ true);
  scanner.setText(source);
  const tokens: string[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind !== ts.SyntaxKind.StringLiteral) tokens.push(scanner.getTokenText());
  }
  return tokens;
}

const MODULES = /^(mcp-codegen\/runtime|\.\/[\w.-]+(\/index)?\.js)$/;

/**
 * What in a generated TypeScript file is not one of: an import from the runtime or a sibling,
 * a re-export, an interface or type, or a function whose body is exactly
 * `return callMcpTool<…>("<server>", "<tool>", input);`. Empty when the file is all of those.
 */
function unexpectedCode(file: string, contents: string): string[] {
  const source = ts.createSourceFile(file, contents, ts.ScriptTarget.Latest, true);
  const problems: string[] = [];
  for (const statement of source.statements) {
    const kind = ts.SyntaxKind[statement.kind];
    if (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) {
      const from = statement.moduleSpecifier;
      if (from && !(ts.isStringLiteral(from) && MODULES.test(from.text))) problems.push(kind);
    } else if (ts.isFunctionDeclaration(statement)) {
      const body = statement.body?.statements ?? [];
      if (body.length > 0 && !isRuntimeCall(body)) problems.push(statement.getText());
    } else if (!ts.isInterfaceDeclaration(statement) && !ts.isTypeAliasDeclaration(statement)) {
      problems.push(statement.getText());
    }
  }
  return problems;
}

function isRuntimeCall(body: readonly ts.Statement[]): boolean {
  const [only] = body;
  if (body.length !== 1 || !only || !ts.isReturnStatement(only) || !only.expression) return false;
  const call = only.expression;
  if (!ts.isCallExpression(call) || call.expression.getText() !== "callMcpTool") return false;
  const [server, tool, input, options] = call.arguments;
  return (
    call.arguments.length === 4 &&
    !!server &&
    ts.isStringLiteral(server) &&
    !!tool &&
    ts.isStringLiteral(tool) &&
    input?.getText() === "input" &&
    options?.getText() === "options"
  );
}

const trees = new Map<string, { outDir: string; files: Map<string, string> }>();

beforeAll(async () => {
  for (const feature of FEATURES) {
    const snapshot = await readSnapshotFile(path.join(SNAPSHOTS, `${feature}.json`));
    const { outDir, result } = await generateFrom(snapshot);
    expect(result.failures).toEqual([]);
    // Loose types hide what a golden is meant to show (a renamed tool once lost its types so).
    expect(result.warnings.filter((w) => w.message.startsWith("types fell back"))).toEqual([]);
    const files = readTree(path.join(outDir, "servers"));
    trees.set(feature, { outDir, files });
  }
});

describe("golden trees", () => {
  it("has a snapshot fixture for every golden folder", () => {
    const folders = existsSync(GOLDEN) ? readdirSync(GOLDEN) : [];
    expect(staleGoldens(GOLDEN, folders, (name) => FEATURES.includes(name))).toEqual([]);
  });

  it.each(FEATURES)(
    "%s: every generated file equals its golden, none missing or extra",
    async (feature) => {
      const { files } = trees.get(feature)!;
      const dir = path.join(GOLDEN, feature, "servers");
      const golden = existsSync(dir) ? readTree(dir).keys() : [];
      expect(
        staleGoldens(dir, golden, (file) => files.has(file)),
        "nothing generates",
      ).toEqual([]);
      for (const [file, contents] of files) {
        await expect(contents, file).toMatchFileSnapshot(path.join(dir, file));
      }
    },
  );

  it.each(FEATURES)("%s: no absolute or temporary path in any file", (feature) => {
    const { outDir, files } = trees.get(feature)!;
    for (const [file, contents] of files) {
      expect(contents, file).not.toContain(path.basename(outDir));
      expect(contents, file).not.toContain(REPO);
    }
  });

  // oxlint-disable-next-line vitest/expect-expect -- it asserts once per file, inside the loop
  it.each(FEATURES)(
    "%s: code is declarations and runtime calls, importing only the runtime",
    (feature) => {
      const { files } = trees.get(feature)!;
      for (const [file, contents] of files) {
        if (file.endsWith(".ts")) expect(unexpectedCode(file, contents), file).toEqual([]);
      }
    },
  );

  it("comment-injection: nothing the server sent is code, only comments and strings", () => {
    const { files } = trees.get("comment-injection")!;
    const code = [...files]
      .filter(([file]) => file.endsWith(".ts"))
      .flatMap(([, contents]) => codeTokens(contents));
    for (const word of ["execSync", "child_process", "touch", "console", "alert", "process"]) {
      expect(code).not.toContain(word);
    }
    // `import` is code only where a line starts with an import declaration.
    const importLines = [...files.values()]
      .flatMap((c) => c.split("\n"))
      .filter((l) => l.startsWith("import "));
    expect(code.filter((token) => token === "import")).toHaveLength(importLines.length);
    expect(importLines).toHaveLength(8 + 2); // one per tool file; the runtime and the barrel in the summary
  });
});
