/**
 * Finding the imports whose name is computed (`import(\`../${x}\`)`, `require("./" + x)`) in a
 * file the program's author wrote, before esbuild bundles it. esbuild turns such an import
 * into a glob: it lists folders (as far up as the `../` go) and reads what matches, without
 * asking any plugin to resolve it (verified: only `onLoad` sees the matches, after the listing).
 * So a program file with one is refused instead, found by esbuild's own parser in a transform,
 * which touches no file: the same code path that makes a glob in a bundle logs, outside one,
 * "will not be bundled because the argument is not a string literal".
 */
import type { Loader, Message, PartialMessage } from "esbuild";
import { esbuild } from "../esbuild.js";

/**
 * `module.require` or `module["require"]` as esbuild prints them (a dot before `module` is a
 * property, `x.module`, unless it ends a spread, `...module`).
 */
const FREE_MODULE_REQUIRE =
  /(?<![\w$\\#])(?<![^.]\.)module\s*(?:\?\.)?\s*(?:\.\s*require\b|\[\s*["'`]require["'`]\s*\])/;

/**
 * What any computed import needs somewhere in the text: `import` then `(` or `.defer(` (maybe
 * after spaces or a comment), `require` or `module` (maybe spelled with `\u` escapes, which
 * keywords cannot be). Without one, a file needs no transform: most generated stubs.
 */
const MAY_COMPUTE = /\bimport\s*[(./]|require|module|\\u/;

const COMPUTED =
  /^(This "import" expression|This call to "require") will not be bundled because the argument is not a string literal/;

/**
 * esbuild's messages for `file` (syntax errors included) and one error for each computed
 * import, each where it is; none when the file may be bundled.
 */
export async function computedImportErrors(
  code: string,
  loader: Loader,
  file: string,
): Promise<PartialMessage[]> {
  if (!MAY_COMPUTE.test(code)) return [];
  const options = { loader, sourcefile: file, platform: "node", target: "node20" } as const;
  let warnings: Message[];
  try {
    ({ warnings } = await esbuild().transform(code, {
      ...options,
      // "esm" rather than none: esbuild looks at require() calls only when it converts.
      format: "esm",
      tsconfigRaw: {},
      logLevel: "silent",
      logOverride: {
        "unsupported-dynamic-import": "warning",
        "unsupported-require-call": "warning",
      },
    }));
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (Array.isArray(errors)) return errors;
    throw error;
  }
  const found: PartialMessage[] = warnings
    .filter((warning) => COMPUTED.test(warning.text))
    .map((warning) => ({
      text: warning.text.startsWith("This call")
        ? 'require() with a computed name cannot be bundled: name the file or package in a string (require("./lib.js"))'
        : 'import() with a computed name cannot be bundled: name the file or package in a string (import("./lib.js")); data is read at run time, with node:fs',
      location: warning.location,
    }));
  const moduleRequire = await moduleRequireAt(code, options);
  if (moduleRequire) {
    found.push({
      text: "module.require cannot be bundled: use import, or require() with the file's name in a string",
      location: { file, ...moduleRequire },
    });
  }
  return found;
}

/**
 * Where `module.require` is used: inside a bundle, esbuild reads it as `require` (and globs
 * it) though a transform does not. Printed with local names minified, the only `module` left
 * in the code is the free one, CommonJS's; a string holding the text is refused too, which
 * costs nothing real.
 */
async function moduleRequireAt(
  code: string,
  options: { loader: Loader; sourcefile: string },
): Promise<{ line: number; column: number } | undefined> {
  // `module` can be spelled with escapes (`\u006dodule`), so the shortcut looks for those too.
  if (!/module|\\u/.test(code)) return undefined;
  const printed = await esbuild().transform(code, {
    ...options,
    minifyIdentifiers: true,
    tsconfigRaw: {},
    logLevel: "silent",
  });
  if (!FREE_MODULE_REQUIRE.test(printed.code)) return undefined;
  const lines = code.split("\n");
  for (const pattern of [/\bmodule\s*(?:\?\.)?\s*(?:\.\s*require\b|\[)/, /\bmodule\b/]) {
    for (const [index, line] of lines.entries()) {
      const column = line.search(pattern);
      if (column >= 0) return { line: index + 1, column };
    }
  }
  return { line: 1, column: 0 };
}
