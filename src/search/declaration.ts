/**
 * A tool's TypeScript declaration, for `full` results and `readDefinitions`: its `<tool>.ts`
 * without the header, the import and the function's body (a signature, as in a `.d.ts`),
 * keeping its input and output types and its doc comment. The file is read as untrusted:
 * through the tree's path checks, capped in size, and cut by its syntax tree, never by lines.
 */
import { readFile, stat } from "node:fs/promises";
import * as path from "node:path";
import { resolveInside } from "../write/paths.js";
import type { SearchDocument } from "./documents.js";
import { importExternal } from "../import-external.js";

type OxcParser = typeof import("oxc-parser");
type Program = ReturnType<OxcParser["parseSync"]>["program"];
type Statement = Program["body"][number];

/** A generated tool file is a few kilobytes; one of a schema with hundreds of fields, tens. */
const MAX_TOOL_FILE_BYTES = 256 * 1024;

let parser: Promise<OxcParser> | undefined;

/** The declaration of `document`'s tool, or one comment line saying why there is none. */
export async function readDeclaration(
  outDir: string,
  document: Pick<SearchDocument, "dir" | "identifier">,
): Promise<string> {
  // Both names were checked when the index was read (one folder name, one identifier).
  const relative = `${document.dir}/${document.identifier}.ts`;
  const shown = `servers/${relative}`;
  const file = resolveInside(path.join(outDir, "servers"), relative);
  const size = (await stat(file).catch(() => undefined))?.size;
  if (size === undefined) return `// ${shown} is missing; run \`mcp-codegen generate\`.`;
  if (size > MAX_TOOL_FILE_BYTES) {
    return `// ${shown} is ${size} bytes, too long to show here; open the file to read its types.`;
  }
  const code = await readFile(file, "utf8");
  return (
    (await declarationOf(code, document.identifier)) ??
    `// ${shown} could not be read as a tool file; run \`mcp-codegen generate\`.`
  );
}

/** `code` (a tool file) as a declaration of `identifier`, or undefined when it is not one. */
export async function declarationOf(code: string, identifier: string): Promise<string | undefined> {
  parser ??= importExternal<OxcParser>("oxc-parser");
  const { program, errors } = (await parser).parseSync("tool.ts", code, {
    lang: "ts",
    sourceType: "module",
  });
  if (errors.length > 0) return undefined;
  const fn = program.body.find((statement) => exportedFunctionName(statement) === identifier);
  if (fn === undefined) return undefined;
  // From the end of the imports: the header line goes, the first type's doc comment stays.
  const importsEnd = Math.max(
    0,
    ...program.body.filter((s) => s.type === "ImportDeclaration").map((s) => s.end),
  );
  const rest = code.slice(importsEnd);
  const text = rest.trimStart();
  return withSignatureOnly(text, fn, importsEnd + rest.length - text.length).trimEnd();
}

function exportedFunctionName(statement: Statement): string | undefined {
  if (statement.type !== "ExportNamedDeclaration") return undefined;
  const declaration = statement.declaration;
  return declaration?.type === "FunctionDeclaration"
    ? (declaration.id?.name ?? undefined)
    : undefined;
}

/**
 * `text` (the file from offset `shift` on) with the function written as a signature: no
 * `async`, no body, and a parameter with a default (`input: X = {}`) written optional.
 */
function withSignatureOnly(text: string, statement: Statement, shift: number): string {
  if (statement.type !== "ExportNamedDeclaration") return text;
  const fn = statement.declaration;
  if (fn?.type !== "FunctionDeclaration" || !fn.body || !fn.id) return text;
  const optional: Edit[] = [];
  for (const param of fn.params) {
    if (param.type !== "AssignmentPattern" || param.left.type !== "Identifier") continue;
    const annotation = param.left.typeAnnotation;
    const type = annotation ? text.slice(annotation.start - shift, annotation.end - shift) : "";
    optional.push({ start: param.start, end: param.end, text: `${param.left.name}?${type}` });
  }
  const oneLine = oneLineParameters(text, fn, shift, optional);
  const signatureEnd = fn.returnType?.end ?? fn.body.start;
  const edits: Edit[] = [
    { start: fn.start, end: fn.id.start, text: "function " },
    ...(oneLine ? [oneLine] : optional),
    { start: signatureEnd, end: fn.body.end, text: ";" },
  ];
  let out = text;
  for (const edit of edits.reverse()) {
    out = out.slice(0, edit.start - shift) + edit.text + out.slice(edit.end - shift);
  }
  return out;
}

/** A signature up to this long is written on one line: fewer tokens for the model to read. */
const ONE_LINE = 120;

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}
/** What of a function's syntax node the one-line signature needs. */
interface FunctionNode {
  readonly params: readonly { readonly start: number; readonly end: number }[];
  readonly id?: { readonly name: string; readonly end: number } | null;
  readonly returnType?: { readonly end: number } | null;
}

/**
 * The edit that writes the parameter list `(…)` on one line, the `optional` edits (a default
 * made optional) folded in; undefined when a parameter spans lines (an inline object type)
 * or the signature would be longer than a line.
 */
function oneLineParameters(
  text: string,
  fn: FunctionNode,
  shift: number,
  optional: readonly Edit[],
): Edit | undefined {
  const last = fn.params.at(-1);
  if (last === undefined || !fn.id || !fn.returnType) return undefined;
  const parts = fn.params.map(
    (param) =>
      optional.find((edit) => edit.start === param.start)?.text ??
      text.slice(param.start - shift, param.end - shift),
  );
  if (parts.some((part) => part.includes("\n"))) return undefined;
  const open = text.indexOf("(", fn.id.end - shift);
  const close = text.indexOf(")", last.end - shift);
  if (open < 0 || close < 0) return undefined;
  const parameters = `(${parts.join(", ")})`;
  const returned = text.slice(close + 1, fn.returnType.end - shift);
  const length = `export function ${fn.id.name}${parameters}${returned};`.length;
  if (length > ONE_LINE) return undefined;
  return { start: open + shift, end: close + 1 + shift, text: parameters };
}
