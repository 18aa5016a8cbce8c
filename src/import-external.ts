/**
 * `import()` of a package or an absolute URL (never a relative path), for code that may run
 * inside the CLI's later bundles: dist/cli/run.cjs and cli.cjs are compiled from V8's code
 * cache through `vm.Script` (cli/compiled-bundle.ts), and on Node 20 such a script's own
 * `import()` has no loader (Node's option for one is experimental and warns, and a cached script loses it). The
 * first bundle, which Node loads itself, lends its `import()` on `globalThis`; anywhere else
 * this is the plain `import()`.
 */
const LENT_IMPORT = Symbol.for("mcp-codegen.import");

type Importer = (specifier: string) => Promise<unknown>;

export function importExternal<T>(specifier: string): Promise<T> {
  const lent = (globalThis as { [LENT_IMPORT]?: Importer })[LENT_IMPORT];
  return (lent ? lent(specifier) : import(specifier)) as Promise<T>;
}

/** Lends `importer` (an `import()` that Node's own loader answers) to importExternal. */
export function lendImport(importer: Importer): void {
  (globalThis as { [LENT_IMPORT]?: Importer })[LENT_IMPORT] = importer;
}
