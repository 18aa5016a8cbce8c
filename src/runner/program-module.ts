/**
 * The bundle as one CommonJS module whose export is the program as an async function, so that
 * it may `await` at its top as an ES module may: a sandboxed Node starts a CommonJS module
 * ~14 ms sooner than an ES module, its loader and all (bootstrap.ts), and that is most of a
 * run's wait for its sandbox. esbuild writes an ES module with no import left (bundle-imports.ts
 * requires Node's modules instead); its one export statement, last, becomes the call that
 * hands the program's exports to the bootstrap. Strict, as a module is; `import.meta` is the
 * bundle file's.
 */

/**
 * The function's name, which stack traces show for the program's top level: the bootstrap's
 * report leaves it out, as an ES module's top level has none.
 */
export const PROGRAM_FUNCTION = "mcpCodegenProgram";

/** Goes before esbuild's code (esbuild's `banner`, which its source map allows for). */
export const PROGRAM_MODULE_START = `module.exports = async function ${PROGRAM_FUNCTION}(__mcpCodegenExports) { "use strict"; const __mcpCodegenImportMeta = { url: require("node:url").pathToFileURL(__filename).href, filename: __filename, dirname: __dirname, resolve: (specifier) => require("node:url").pathToFileURL(require.resolve(specifier)).href };`;

/** What esbuild is to write for `import.meta` (its `define`). */
export const IMPORT_META = "__mcpCodegenImportMeta";

/** `export { a as default, b };` (esbuild's form), then the inline source map's comment. */
const EXPORTS_AT_END =
  /export\s*\{([^{}]*)\};?\s*(\n\/\/# sourceMappingURL=[^\n]*\n?)$|(\n\/\/# sourceMappingURL=[^\n]*\n?)$/;

/** One `local as exported` of the export statement. */
const EXPORTED = /^([\w$]+)(?:\s+as\s+([\w$]+|"(?:[^"\\]|\\.)*"))?$/;

/** The end of esbuild's module: its exports handed on (as getters: bindings stay live), `}`. */
export function endProgramModule(code: string): string {
  const match = EXPORTS_AT_END.exec(code);
  if (!match) throw new Error("the program's bundle does not end as esbuild writes one");
  const [, list, mapAfterExports, mapAlone] = match;
  const getters = (list ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "")
    .map((item) => {
      const [, local, exported] = EXPORTED.exec(item) ?? [];
      if (local === undefined) throw new Error(`the program's bundle exports ${item}`);
      return `get ${exported ?? local}() { return ${local}; }`;
    });
  const handOn = getters.length > 0 ? `__mcpCodegenExports({ ${getters.join(", ")} });` : "";
  return `${code.slice(0, match.index)}${handOn}\n};${mapAfterExports ?? mapAlone}`;
}
