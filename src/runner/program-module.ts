/**
 * The bundle as one CommonJS module whose export is the program as an async function, so that
 * it may `await` at its top as an ES module may: a sandboxed Node starts a CommonJS module
 * ~14 ms sooner than an ES module, its loader and all (bootstrap.ts), and that is most of a
 * run's wait for its sandbox. esbuild writes an ES module with no import left (bundle-imports.ts
 * requires Node's modules instead); its one export statement, last, becomes the call that
 * hands the program's exports to the bootstrap. Strict, as a module is; `import.meta` is the
 * bundle file's.
 *
 * The program's code goes in a block of its own inside the function, so that whatever names it
 * declares shadow the function's rather than clash with them, and the exports are handed on
 * through `arguments[0]`: strict code cannot declare `arguments`, so the program cannot take
 * that name from the call.
 */

/**
 * The function's name, which stack traces show for the program's top level: the bootstrap's
 * report leaves it out, as an ES module's top level has none.
 */
export const PROGRAM_FUNCTION = "mcpCodegenProgram";

/** What esbuild is to write for `import.meta` (its `define`): the function's second parameter. */
export const IMPORT_META = "__mcpCodegenImportMeta";

const IMPORT_META_OF_FILE =
  '{ url: require("node:url").pathToFileURL(__filename).href, filename: __filename, dirname: __dirname, resolve: (specifier) => require("node:url").pathToFileURL(require.resolve(specifier)).href }';

/** Goes before esbuild's code (esbuild's `banner`, which its source map allows for). */
export const PROGRAM_MODULE_START = `"use strict"; module.exports = async function ${PROGRAM_FUNCTION}(__mcpCodegenExports, ${IMPORT_META} = ${IMPORT_META_OF_FILE}) { {`;

/** A name as esbuild writes one in an export statement: an identifier, or a string. */
const NAME = String.raw`[\w$]+|"(?:[^"\\]|\\.)*"`;

/** `export { a as default, b };` (esbuild's form, strings and all), then the source map's comment. */
const EXPORTS_AT_END = new RegExp(
  String.raw`(?:export\s*\{((?:[^{}"]|"(?:[^"\\]|\\.)*")*)\};?\s*)?(\n\/\/# sourceMappingURL=[^\n]*\n?)$`,
);

/** One `local as exported` of the export statement, and the comma after it. */
const EXPORTED = new RegExp(String.raw`\s*([\w$]+)(?:\s*as\s*(${NAME}))?\s*(?:,|$)`, "gy");

/** The end of esbuild's module: its exports handed on (as getters: bindings stay live), `}}`. */
export function endProgramModule(code: string): string {
  const match = EXPORTS_AT_END.exec(code);
  if (!match) throw new Error("the program's bundle does not end as esbuild writes one");
  const [, list = "", map] = match;
  const getters = exportedNames(list).map(
    ([local, exported]) => `get ${exported}() { return ${local}; }`,
  );
  const handOn = getters.length > 0 ? `arguments[0]({ ${getters.join(", ")} });` : "";
  return `${code.slice(0, match.index)}${handOn}\n}};${map}`;
}

/** `[local, exported]` for each name of an export statement's list. */
function exportedNames(list: string): [string, string][] {
  if (list.trim() === "") return [];
  const items = [...list.matchAll(EXPORTED)];
  if (items.reduce((length, item) => length + item[0].length, 0) !== list.length) {
    throw new Error(`the program's bundle exports ${list.trim()}, which is not esbuild's form`);
  }
  return items.map(([, local, exported]) => [local!, exported ?? local!]);
}
