/**
 * Loads a TypeScript or JavaScript config file the way Vite loads vite.config.ts: esbuild bundles
 * the config's own files into one ES module, every package import stays an import that Node
 * resolves natively, and Node imports the result from a `data:` URL, so nothing is written into
 * the user's project. tsx did the same job with loader hooks that cost ~350 ms a process; this
 * costs a few milliseconds once esbuild is loaded. jiti and c12 were timed against it and were
 * slower cold and warm: ARCHITECTURE.md has the figures.
 */
import { readFile } from "node:fs/promises";
import { isBuiltin, SourceMap, type SourceMapPayload } from "node:module";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type {
  BuildFailure,
  Loader,
  Location,
  OnResolveArgs,
  OnResolveResult,
  Plugin,
} from "esbuild";
import { esbuild } from "../esbuild.js";
import { ConfigError } from "../errors.js";
import { stripJsonComments } from "./json.js";
import { importExternal } from "../import-external.js";

/**
 * Loads a TypeScript or JavaScript config file and returns what it exports: the default
 * export, or the module itself when it exports `servers` by name; a function export is called
 * (and awaited) to get the config. Anything the file throws becomes a ConfigError naming it.
 * The value is not checked here; validation does that.
 */
export async function importConfigModule(file: string): Promise<unknown> {
  const bundle = await bundleConfig(file);
  let exported: unknown;
  try {
    const module: unknown = await importExternal(bundle.url);
    exported = pickExport(module);
    if (typeof exported === "function") exported = await (exported as () => unknown)();
  } catch (error) {
    throw new ConfigError(describeLoadError(error, bundle), [], file);
  }
  if (exported === undefined) {
    throw new ConfigError(
      "The config file has no default export; write `export default defineConfig({ servers: { … } })`",
      [],
      file,
    );
  }
  return exported;
}

/** The config bundled into one ES module, and what it takes to map its positions back. */
interface Bundle {
  /** A `data:` URL of the code; each load gets one of its own (Node caches modules by URL). */
  readonly url: string;
  readonly code: string;
  /** The config's folder: esbuild's paths are relative to it. */
  readonly dir: string;
  readonly shifted: ShiftedLines;
}

/** The project files each config's last load was bundled from (packages stay external). */
const inputsOf = new Map<string, readonly string[]>();

/**
 * The files the config at `file` was built from when last loaded: itself and every project file
 * it imports, absolute. Empty before it was loaded (or for a JSON config: only the file itself).
 */
export function configModuleInputs(file: string): readonly string[] {
  return inputsOf.get(path.resolve(file)) ?? [];
}

function bundledFiles(metafile: { inputs: Record<string, unknown> } | undefined, dir: string) {
  return Object.keys(metafile?.inputs ?? {})
    .filter((input) => !input.includes(":"))
    .map((input) => path.resolve(dir, input));
}

/** Numbers the loads, for the `#n` that gives each bundle a URL of its own. */
let loads = 0;

/** Bundles the config; a build error becomes a ConfigError at its place in the user's file. */
async function bundleConfig(given: string): Promise<Bundle> {
  const file = path.resolve(given);
  const dir = path.dirname(file);
  const shifted: ShiftedLines = new Map();
  try {
    // Loaded here, not at the top: importing this module should cost nothing until a config loads.
    const result = await esbuild().build({
      entryPoints: [file],
      absWorkingDir: dir,
      bundle: true,
      write: false,
      format: "esm",
      platform: "node",
      target: "node20",
      // Resolve packages with the conditions and fields Node uses; esbuild adds "module" by default.
      conditions: [],
      mainFields: ["main"],
      // Node 20 ignores source maps of data: URL modules, even with --enable-source-maps;
      // describeLoadError reads this one, and a debugger finds the files through sourceRoot.
      sourcemap: "inline",
      sourceRoot: pathToFileURL(dir).href + "/",
      sourcesContent: false,
      logLevel: "silent",
      // Which files it read: `generate --watch` watches them.
      metafile: true,
      define: Object.fromEntries(FILE_SCOPE.map(({ name, binding }) => [name, binding])),
      // CommonJS turned into an ES module calls `require` for what it leaves external. esbuild
      // renames any top-level `require` of the config's own, so this one cannot clash.
      banner: {
        js: `import { createRequire as __mcpCodegenCreateRequire } from "node:module"; const require = __mcpCodegenCreateRequire(${JSON.stringify(pathToFileURL(file).href)});`,
      },
      plugins: [packagesStayExternal(), fileScopeValues(shifted), jsonWithComments()],
    });
    inputsOf.set(file, bundledFiles(result.metafile, dir));
    const code = result.outputFiles[0]?.text ?? "";
    const url = `data:text/javascript;base64,${Buffer.from(code).toString("base64")}#${++loads}`;
    return { url, code, dir, shifted };
  } catch (error) {
    const message = isBuildFailure(error)
      ? describeBuildFailure(error, { dir, shifted })
      : describeLoadError(error);
    throw new ConfigError(message, [], given);
  }
}

/** Marks the resolution that packagesStayExternal asks esbuild for, so it does not recurse. */
const RESOLVING = Symbol("mcp-codegen resolving");

/** Extensions Node imports natively; anything else a package name resolves to is bundled. */
const NODE_EXTENSIONS = new Set([".js", ".mjs", ".cjs"]);

/**
 * Package imports (`mcp-codegen`, `zod`, `node:fs`…) stay imports, so Node loads the package
 * itself (one instance, its own `import.meta.url`, its native parts) instead of a bundled copy.
 * A data: URL resolves only absolute URLs and builtins, so each becomes the file URL that
 * esbuild resolves from the importing file's folder with Node's conditions. Only TypeScript or
 * JSON behind a name (a tsconfig `paths` alias, a linked workspace package) is bundled, since
 * Node could not import it; so is a `file:` URL, which points at the user's own code.
 */
function packagesStayExternal(): Plugin {
  return {
    name: "mcp-codegen-config-packages",
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args): Promise<OnResolveResult | undefined> => {
        const specifier = args.path;
        if (args.pluginData === RESOLVING || args.kind === "entry-point") return undefined;
        if (specifier.startsWith("file:")) return { path: fileURLToPath(specifier) };
        if (isBuiltin(specifier)) return { path: specifier, external: true };
        if (specifier.startsWith(".") || path.isAbsolute(specifier)) return undefined;
        if (/^[a-z][a-z\d+.-]*:/i.test(specifier)) return { path: specifier, external: true };
        // require() keeps CommonJS semantics: the banner's `require` resolves it when it runs.
        if (args.kind === "require-call" || args.kind === "require-resolve") {
          return { path: specifier, external: true };
        }
        return resolvePackage(specifier, args);
      });

      async function resolvePackage(specifier: string, args: OnResolveArgs) {
        const found = await build.resolve(specifier, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: RESOLVING,
        });
        if (found.errors.length > 0 || found.path === "") {
          const detail: NotFound = { code: "ERR_MODULE_NOT_FOUND", specifier };
          const text = `Could not resolve "${specifier}": it is not installed, or its package does not export that path`;
          return { errors: [{ text, detail }] };
        }
        if (found.external) return { path: found.path, external: true };
        if (NODE_EXTENSIONS.has(path.extname(found.path).toLowerCase())) {
          return { path: pathToFileURL(found.path).href, external: true };
        }
        return { path: found.path };
      }
    },
  };
}

/** Kept on the error of an import that esbuild could not resolve. */
interface NotFound {
  readonly code: "ERR_MODULE_NOT_FOUND";
  readonly specifier: string;
}

/** What a module's own location is called, and the constant each bundled file gets for it. */
const FILE_SCOPE = [
  { name: "__dirname", binding: "__mcpCodegenDirname", value: path.dirname },
  { name: "__filename", binding: "__mcpCodegenFilename", value: (file: string) => file },
  { name: "import.meta.url", binding: "__mcpCodegenUrl", value: toFileUrl },
  { name: "import.meta.dirname", binding: "__mcpCodegenDirname", value: path.dirname },
  { name: "import.meta.filename", binding: "__mcpCodegenFilename", value: (file: string) => file },
] as const;

function toFileUrl(file: string): string {
  return pathToFileURL(file).href;
}

const MENTIONS_FILE_SCOPE = /__dirname|__filename|import\s*\.\s*meta/;
const LOADERS: Readonly<Record<string, Loader>> = {
  ".ts": "ts",
  ".mts": "ts",
  ".cts": "ts",
  ".tsx": "tsx",
  ".js": "js",
  ".mjs": "js",
  ".cjs": "js",
  ".jsx": "jsx",
};

/**
 * Gives each bundled file its own `import.meta.url`, `import.meta.dirname`,
 * `import.meta.filename`, `__dirname` and `__filename`: in the data: URL they would be the
 * URL's, or undefined. `define` (one for the whole bundle) turns them into names, and each file
 * that mentions one declares those names at the start of its first line, so a helper in another
 * folder gets its own values (esbuild renames the declarations apart when it joins the files).
 * Only line 1 of such a file moves, by the length of the declarations, which `position`
 * takes back out of error locations.
 */
function fileScopeValues(shifted: ShiftedLines): Plugin {
  return {
    name: "mcp-codegen-config-file-scope",
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
        const loader = LOADERS[path.extname(args.path).toLowerCase()];
        if (loader === undefined) return undefined;
        const source = await readFile(args.path, "utf8");
        if (!MENTIONS_FILE_SCOPE.test(source)) return { contents: source, loader };
        const bindings = new Map<string, string>(
          FILE_SCOPE.map(({ binding, value }) => [binding, value(args.path)]),
        );
        const declarations = `const ${[...bindings].map(([name, value]) => `${name} = ${JSON.stringify(value)}`).join(", ")};`;
        // A hashbang must stay first: the declarations then start the second line.
        const at = source.startsWith("#!") ? source.indexOf("\n") + 1 : 0;
        if (source.startsWith("#!") && at === 0) return { contents: source, loader };
        shifted.set(args.path, { line: at === 0 ? 1 : 2, by: declarations.length });
        return { contents: source.slice(0, at) + declarations + source.slice(at), loader };
      });
    },
  };
}

/**
 * JSON the config imports is read the way we read client configs: VS Code's and Cursor's
 * `mcp.json` may hold comments and trailing commas, which esbuild's JSON loader rejects (and
 * TypeScript's accepts), so `import vscode from "./.vscode/mcp.json" with { type: "json" }`
 * works for them too. Positions stay where they were: the comments become spaces.
 */
function jsonWithComments(): Plugin {
  return {
    name: "mcp-codegen-config-json",
    setup(build) {
      build.onLoad({ filter: /\.json$/i }, async (args) => {
        const text = (await readFile(args.path, "utf8")).replace(/^\uFEFF/, "");
        return { contents: stripJsonComments(text), loader: "json" };
      });
    },
  };
}

/** Files whose line `line` starts with `by` characters (UTF-16 units) the user did not write. */
type ShiftedLines = Map<string, { readonly line: number; readonly by: number }>;

function pickExport(module: unknown): unknown {
  if (!isObject(module)) return module;
  let value = module.default;
  // A CommonJS project (no "type": "module") compiles `export default` to `exports.default`,
  // and importing that from ESM wraps it once more: `{ default: { default: config } }`.
  if (isObject(value) && !("servers" in value) && "default" in value) value = value.default;
  if (value === undefined && "servers" in module) return module;
  return value;
}

/**
 * One line with the cause and, for the mistakes we can recognise, how to fix them. An error
 * thrown by the config's code keeps its name and message and says where it was thrown.
 */
function describeLoadError(error: unknown, bundle?: Bundle): string {
  const code = isObject(error) ? error.code : undefined;
  const message = oneLine(error instanceof Error ? error.message : String(error));
  const name = error instanceof Error ? error.name : "Error";
  if (message.includes("'mcp-codegen'") || message.includes("/mcp-codegen/")) {
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") return NOT_INSTALLED;
    if (code === "ERR_PACKAGE_PATH_NOT_EXPORTED" || code === "ERR_REQUIRE_ESM") {
      return 'The config loads mcp-codegen with require(), but mcp-codegen is an ES module; write `import { defineConfig } from "mcp-codegen"` instead';
    }
  }
  const at = bundle === undefined ? undefined : thrownAt(error, bundle);
  return `Loading the config failed with ${name}: ${message}${at === undefined ? "" : ` (at ${at})`}`;
}

const NOT_INSTALLED =
  "The config imports mcp-codegen, which is not installed in this project; run `npm install --save-dev mcp-codegen`";

/** esbuild's first error, at its place in the user's file. */
function describeBuildFailure(failure: BuildFailure, bundle: Pick<Bundle, "dir" | "shifted">) {
  const first = failure.errors[0];
  if (first === undefined) return describeLoadError(failure);
  const notFound = first.detail as Partial<NotFound> | undefined;
  if (
    notFound?.code === "ERR_MODULE_NOT_FOUND" &&
    /^mcp-codegen(\/|$)/.test(notFound.specifier ?? "")
  ) {
    return NOT_INSTALLED;
  }
  const at = first.location;
  const where = at === null ? "" : `${position(bundle, at.file, at.line, utf16Column(at))}: `;
  const more = failure.errors.length > 1 ? ` (and ${failure.errors.length - 1} more)` : "";
  const text = `${where}${oneLine(first.text)}${more}`;
  return first.pluginName === "" && !NOT_SYNTAX.test(first.text)
    ? `The config has a syntax error: ${text}`
    : `Loading the config failed with Error: ${text}`;
}

/** esbuild counts columns in UTF-8 bytes; editors, V8 and source maps count UTF-16 units. */
function utf16Column(at: Location): number {
  if (at.lineText === "") return at.column;
  return Buffer.from(at.lineText).subarray(0, at.column).toString("utf8").length;
}

/** esbuild's errors that are not about the code's syntax: a file it cannot find, read or load. */
const NOT_SYNTAX = /^(Could not (resolve|read)|Cannot read|No loader is configured)/;

/** The innermost frame of the error's stack in the bundle, mapped back to the user's file. */
function thrownAt(error: unknown, bundle: Bundle): string | undefined {
  const stack = error instanceof Error ? error.stack : undefined;
  const fragment = bundle.url.slice(bundle.url.lastIndexOf("#"));
  const frame = stack === undefined ? null : new RegExp(`${fragment}:(\\d+):(\\d+)`).exec(stack);
  const map = /\/\/# sourceMappingURL=data:application\/json;base64,(\S+)\s*$/.exec(bundle.code);
  if (frame === null || map === null) return undefined;
  const entry = new SourceMap(
    JSON.parse(Buffer.from(map[1] ?? "", "base64").toString("utf8")) as SourceMapPayload,
  ).findEntry(Number(frame[1]) - 1, Number(frame[2]) - 1);
  if (!("originalSource" in entry)) return undefined;
  return position(bundle, entry.originalSource, entry.originalLine + 1, entry.originalColumn);
}

/**
 * `file:line:column` in the user's file, from a 0-based column in UTF-16 units: the path made
 * absolute (esbuild gives it relative to the config's folder), the injected declarations taken
 * out, the column counted from 1 as editors do.
 */
function position(
  bundle: Pick<Bundle, "dir" | "shifted">,
  source: string,
  line: number,
  column: number,
) {
  const file = path.resolve(bundle.dir, source);
  const shift = bundle.shifted.get(file);
  const original = shift?.line === line ? Math.max(0, column - shift.by) : column;
  return `${file}:${line}:${original + 1}`;
}

function oneLine(text: string): string {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .join(" ");
}

function isBuildFailure(error: unknown): error is BuildFailure {
  return error instanceof Error && Array.isArray((error as Partial<BuildFailure>).errors);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null;
}
