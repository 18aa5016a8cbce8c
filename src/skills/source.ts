/**
 * A skill's code, read as a syntax tree (oxc-parser, as the emitters do): its relative imports
 * re-rooted for the folder it is saved in, and the signatures of what it exports, for its
 * `SKILL.md`. A program is written where `run` runs it (beside `servers/`, importing
 * `./servers/x/index.js`); saved as `skills/<name>/index.ts`, the same import must say
 * `../../servers/x/index.js`.
 */
import * as path from "node:path";
import { SkillError } from "./errors.js";
import { importExternal } from "../import-external.js";

type OxcParser = typeof import("oxc-parser");
type ParseResult = ReturnType<OxcParser["parseSync"]>;

const MAX_SIGNATURE = 300;

export interface SkillSource {
  /** The code with each relative import pointing where it pointed from `fromDir`. */
  readonly code: string;
  /** What it exports, in source order: each name, and `function name(params): Type`, `const name`…. */
  readonly exports: readonly SkillExport[];
}

export interface SkillExport {
  readonly name: string;
  readonly signature: string;
}

/**
 * Parses `code` written in `fromDir` and rewrites its relative module specifiers (static,
 * dynamic with a string, re-exports) for a file in `toDir`. Throws a SkillError naming the
 * line when the code does not parse.
 */
export async function skillSource(
  name: string,
  code: string,
  fromDir: string,
  toDir: string,
): Promise<SkillSource> {
  const { parseSync } = await importExternal<OxcParser>("oxc-parser");
  const parsed = parseSync("index.ts", code, { lang: "ts", sourceType: "module" });
  if (parsed.errors.length > 0) {
    const first = parsed.errors[0]!;
    const at = first.labels[0]?.start;
    const line = at === undefined ? "" : ` (line ${lineOf(code, at)})`;
    throw new SkillError(`the code of skill "${name}" does not parse${line}: ${first.message}`);
  }
  return {
    code: reRooted(code, parsed, fromDir, toDir),
    exports: exportedSignatures(code, parsed),
  };
}

function reRooted(code: string, parsed: ParseResult, fromDir: string, toDir: string): string {
  const requests = [
    ...parsed.module.staticImports.map((i) => i.moduleRequest),
    ...parsed.module.staticExports.flatMap((e) => e.entries.map((entry) => entry.moduleRequest)),
    ...parsed.module.dynamicImports.map((i) => i.moduleRequest),
  ].filter((r): r is { start: number; end: number } => r !== null && r !== undefined);
  const edits = new Map<number, { end: number; text: string }>();
  for (const { start, end } of requests) {
    const literal = code.slice(start, end);
    const quote = literal[0];
    if ((quote !== '"' && quote !== "'") || literal.at(-1) !== quote) continue; // computed
    const specifier = literal.slice(1, -1);
    if (!specifier.startsWith("./") && !specifier.startsWith("../")) continue;
    let moved = path.relative(toDir, path.resolve(fromDir, specifier)).split(path.sep).join("/");
    if (!moved.startsWith(".")) moved = `./${moved}`;
    edits.set(start, { end, text: JSON.stringify(moved) });
  }
  let out = "";
  let at = 0;
  for (const start of [...edits.keys()].sort((a, b) => a - b)) {
    const edit = edits.get(start)!;
    out += code.slice(at, start) + edit.text;
    at = edit.end;
  }
  return out + code.slice(at);
}

/** What `export` declares, as a model needs to call it: a function's header, a const's name. */
function exportedSignatures(code: string, parsed: ParseResult): SkillExport[] {
  const exports: SkillExport[] = [];
  for (const statement of parsed.program.body) {
    if (statement.type !== "ExportNamedDeclaration" || !statement.declaration) continue;
    const declaration = statement.declaration;
    if (declaration.type === "FunctionDeclaration" && declaration.id) {
      const end = declaration.body?.start ?? declaration.end;
      exports.push({
        name: declaration.id.name,
        signature: oneLine(code.slice(declaration.start, end)),
      });
    } else if (declaration.type === "VariableDeclaration") {
      for (const d of declaration.declarations)
        if (d.id.type === "Identifier")
          exports.push({ name: d.id.name, signature: `${declaration.kind} ${d.id.name}` });
    } else if (declaration.type === "ClassDeclaration" && declaration.id) {
      exports.push({ name: declaration.id.name, signature: `class ${declaration.id.name}` });
    }
  }
  return exports;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > MAX_SIGNATURE ? `${line.slice(0, MAX_SIGNATURE)}…` : line;
}

function lineOf(code: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < code.length; i++) if (code.charCodeAt(i) === 10) line += 1;
  return line;
}
