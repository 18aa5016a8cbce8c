/**
 * The compiler's output read as a syntax tree, not as lines: its top-level declarations by
 * name, each with its doc comment. Parsed with oxc-parser, which prettier's oxc plugin already
 * loads for formatting (the TypeScript compiler API would add ~270 ms of loading to every run
 * that renders a tool; see ARCHITECTURE.md).
 */
/** One exported interface or type alias, its doc comment included. */
export interface Declaration {
  readonly name: string;
  readonly text: string;
}

import { importExternal } from "../import-external.js";

type OxcParser = typeof import("oxc-parser");

// By the time types are compiled, the formatter's preload has loaded it already.
let parser: Promise<OxcParser> | undefined;

/**
 * The top-level declarations of `code`, in order, with one-line doc comments written on one line.
 * Throws when the code does not parse or holds anything but exported interfaces and type aliases:
 * the compiler writes nothing else, so anything else means its output cannot be trusted.
 */
export async function parseDeclarations(code: string): Promise<Declaration[]> {
  parser ??= importExternal<OxcParser>("oxc-parser");
  const { program, comments, errors } = (await parser).parseSync("types.ts", code, {
    lang: "ts",
    sourceType: "module",
  });
  if (errors.length > 0) throw new Error(`the compiled types do not parse: ${errors[0]!.message}`);
  const docs = comments.filter((c) => c.type === "Block" && c.value.startsWith("*"));
  let previousEnd = 0;
  return program.body.map((statement) => {
    const name = declaredName(statement);
    if (name === undefined) {
      throw new Error(`the compiled types hold a ${statement.type}, not a type declaration`);
    }
    // The doc comment of a declaration lies between the previous declaration and this one.
    const doc = docs.find((c) => c.start >= previousEnd && c.end <= statement.start);
    const start =
      doc && code.slice(doc.end, statement.start).trim() === "" ? doc.start : statement.start;
    const inside = docs.filter((c) => c.start >= start && c.end <= statement.end);
    previousEnd = statement.end;
    return { name, text: withOneLineDocs(code, start, statement.end, inside) };
  });
}

type Statement = ReturnType<OxcParser["parseSync"]>["program"]["body"][number];

function declaredName(statement: Statement): string | undefined {
  if (statement.type !== "ExportNamedDeclaration") return undefined;
  const declaration = statement.declaration;
  if (declaration?.type === "TSInterfaceDeclaration") return declaration.id.name;
  if (declaration?.type === "TSTypeAliasDeclaration") return declaration.id.name;
  return undefined;
}

/**
 * `code[start, end)` with each doc comment of one line of text (`/**\n * text\n *\/`, as the
 * compiler always writes it) as `/** text *\/`: an agent pays for the two other lines on every
 * property. Safe because no comment text can contain a closing `*\/`.
 */
function withOneLineDocs(
  code: string,
  start: number,
  end: number,
  docs: readonly { readonly value: string; readonly start: number; readonly end: number }[],
): string {
  let text = "";
  let at = start;
  for (const doc of docs) {
    const line = /^\*\n[ \t]*\* ([^\n]*)\n[ \t]*$/.exec(doc.value)?.[1];
    if (line === undefined) continue;
    text += `${code.slice(at, doc.start)}/** ${line} */`;
    at = doc.end;
  }
  return text + code.slice(at, end);
}
