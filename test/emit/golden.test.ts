/**
 * Golden trees: every snapshot in `fixtures/snapshots/<feature>.json` goes through the real
 * pipeline, and every file of the generated `servers/` tree must equal
 * `test/golden/<feature>/servers/**` exactly, with no file missing or extra.
 * `UPDATE_GOLDEN=1 npx vitest run test/emit/golden.test.ts` rewrites the goldens instead.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { readSnapshotFile } from "../../src/introspect/snapshot-file.js";
import { FEATURES, generateFrom, GOLDEN, readTree, REPO, SNAPSHOTS } from "./tree.js";

const UPDATE = process.env.UPDATE_GOLDEN === "1";

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
  if (UPDATE) {
    // Goldens of fixtures that no longer exist go too.
    for (const name of existsSync(GOLDEN) ? readdirSync(GOLDEN) : []) {
      if (!FEATURES.includes(name)) rmSync(path.join(GOLDEN, name), { recursive: true });
    }
  }
  for (const feature of FEATURES) {
    const snapshot = await readSnapshotFile(path.join(SNAPSHOTS, `${feature}.json`));
    const { outDir, result } = await generateFrom(snapshot);
    expect(result.failures).toEqual([]);
    // Loose types hide what a golden is meant to show (a renamed tool once lost its types so).
    expect(result.warnings.filter((w) => w.message.startsWith("types fell back"))).toEqual([]);
    const files = readTree(path.join(outDir, "servers"));
    trees.set(feature, { outDir, files });
    if (UPDATE) {
      const target = path.join(GOLDEN, feature, "servers");
      rmSync(path.join(GOLDEN, feature), { recursive: true, force: true });
      for (const [file, contents] of files) {
        mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
        writeFileSync(path.join(target, file), contents);
      }
    }
  }
});

describe("golden trees", () => {
  it("has one golden folder per snapshot fixture, and a fixture for every feature", () => {
    expect(readdirSync(GOLDEN).sort()).toEqual(FEATURES);
    expect(FEATURES).toEqual([
      "annotations",
      "any-of-one-of",
      "case-collision",
      "comment-injection",
      "defs-and-recursion",
      "draft-2020-12",
      "enum-and-const",
      "inherited-names",
      "keys-beyond-properties",
      "limits",
      "multi-server",
      "name-with-dots",
      "nested-objects",
      "no-arguments",
      "output-schema",
      "reserved-words",
      "summary-fields",
    ]);
  });

  it.each(FEATURES)(
    "%s: every generated file equals its golden, none missing or extra",
    (feature) => {
      const { files } = trees.get(feature)!;
      const golden = readTree(path.join(GOLDEN, feature, "servers"));
      expect([...files.keys()]).toEqual([...golden.keys()]);
      for (const [file, contents] of files) expect(contents, file).toBe(golden.get(file));
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
