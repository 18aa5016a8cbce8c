/**
 * The bundler's only way to the disk: an esbuild plugin that resolves every import itself and
 * loads every file through the gate. What the agent expects still holds: `servers/…` and
 * `skills/…` from the output folder, relative files, packages from the project's
 * node_modules, `mcp-codegen/runtime` to the sandbox's runtime, Node's modules left to Node.
 */
import { isBuiltin } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type {
  Loader,
  OnLoadArgs,
  OnLoadResult,
  OnResolveArgs,
  OnResolveResult,
  Plugin,
  PluginBuild,
} from "esbuild";
import type { ProgramSource } from "./bundle.js";
import { computedImportErrors } from "./computed-imports.js";
import { describeRefusal, MAX_FILE_BYTES, type FileGate } from "./file-gate.js";
import { withGatedSourceMap } from "./input-source-map.js";
import { resolveFile, type Resolved } from "./resolve-file.js";

export const EVAL_NAMESPACE = "mcp-codegen-eval";
export const EVAL_SPECIFIER = "mcp-codegen:program";

/**
 * Node's modules, each as a CommonJS module of the bundle that requires it: the bundle is then
 * a function's body (bundle.ts), where an `import` statement cannot be.
 */
const BUILTIN_NAMESPACE = "mcp-codegen-builtin";

export interface GatedImportsOptions {
  /** With absolute paths. */
  readonly program: ProgramSource;
  /** The gate and the output folder, once the config has said what they are. */
  readonly gate: () => Promise<{ gate: FileGate; outDir: string }>;
  /** What `mcp-codegen/runtime` means inside the sandbox. */
  readonly runtime: string;
}

/** What a resolve tells the load of the same file. */
interface Imported {
  /** As the program wrote it: what messages name. */
  readonly specifier: string;
  readonly entry: boolean;
}

/** Marks esbuild's own resolver asked by us for a package: this plugin then stands aside. */
const INNER = Symbol("esbuild's resolver");

/** A file's loader, by its extension: code and JSON only. */
const LOADERS: Readonly<Record<string, Loader>> = {
  ".ts": "ts",
  ".mts": "ts",
  ".cts": "ts",
  ".tsx": "tsx",
  ".js": "js",
  ".mjs": "js",
  ".cjs": "js",
  ".jsx": "jsx",
  ".json": "json",
};

export function gatedImports(options: GatedImportsOptions): Plugin {
  return {
    name: "mcp-codegen-gate",
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => resolveImport(build, options, args));
      build.onLoad({ filter: /.*/, namespace: BUILTIN_NAMESPACE }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(args.path)});\n`,
        loader: "js",
      }));
      build.onLoad({ filter: /.*/, namespace: "file" }, (args) => loadFile(options, args));
      if ("code" in options.program) {
        const { program } = options;
        build.onLoad({ filter: /.*/, namespace: EVAL_NAMESPACE }, async () => {
          if (Buffer.byteLength(program.code) > MAX_FILE_BYTES) {
            return refused(describeRefusal("the program", "too-large"));
          }
          const { gate } = await options.gate();
          const errors = await computedImportErrors(program.code, "ts", program.name);
          if (errors.length > 0) return { errors };
          const contents = withGatedSourceMap(
            program.code,
            path.join(program.resolveDir, program.name),
            gate,
          );
          return { contents, loader: "ts", resolveDir: program.resolveDir };
        });
      }
    },
  };
}

async function resolveImport(
  build: PluginBuild,
  options: GatedImportsOptions,
  args: OnResolveArgs,
): Promise<OnResolveResult | undefined> {
  if (args.pluginData === INNER) return undefined;
  const specifier = args.path;
  const entry = args.kind === "entry-point";
  const settled = entry ? resolveEntry(options) : resolveWithoutDisk(options, args);
  if (settled !== undefined) return settled;
  const { gate, outDir } = await options.gate();
  const fromPackage =
    args.importer !== "" && args.namespace === "file" && gate.isPackageCode(args.importer);
  let resolved: Resolved;
  if (entry) {
    resolved = resolveFile(gate, args.resolveDir, specifier);
  } else if (!fromPackage && /^(servers|skills)(\/|$)/.test(specifier)) {
    resolved = resolveFile(gate, outDir, `./${specifier}`);
    if ("missing" in resolved) {
      return refused(
        `cannot find "${specifier}" in ${path.join(outDir, specifier.split("/")[0]!)} (run \`npx mcp-codegen generate\` if the stubs are missing)`,
      );
    }
  } else if (/^\.\.?(\/|$)/.test(specifier) || path.isAbsolute(specifier)) {
    resolved = resolveFile(gate, args.resolveDir, specifier);
  } else if (specifier.startsWith("file:")) {
    resolved = resolveFileUrl(gate, specifier);
  } else if (/^[a-z][a-z\d+.-]*:/i.test(specifier)) {
    return refused(
      `"${specifier}" is not a file: a program imports files, packages and node: modules`,
    );
  } else {
    resolved = await resolvePackage(build, gate, specifier, args, fromPackage);
  }
  if ("path" in resolved) {
    const imported: Imported = { specifier, entry };
    return { path: resolved.path, pluginData: imported };
  }
  const what = JSON.stringify(specifier);
  return refused(
    "refused" in resolved ? describeRefusal(what, resolved.refused) : `Could not resolve ${what}`,
  );
}

/** The `--eval` program's entry, which is no file; undefined for a file, which the gate resolves. */
function resolveEntry(options: GatedImportsOptions): OnResolveResult | undefined {
  if ("code" in options.program) return { path: options.program.name, namespace: EVAL_NAMESPACE };
  return undefined;
}

/**
 * What an import resolves to without reading the disk: a refusal of its attributes, the
 * sandbox's runtime, or one of Node's modules. Undefined for the gate to resolve.
 */
function resolveWithoutDisk(
  options: GatedImportsOptions,
  args: OnResolveArgs,
): OnResolveResult | undefined {
  const specifier = args.path;
  // Only JSON by its attribute: "text", "bytes", "file" and the like would inline any bytes,
  // and data a program needs it reads at run time, from workspace/, under the sandbox's rules.
  const attribute = Object.entries(args.with).find(([k, v]) => k !== "type" || v !== "json");
  if (attribute) {
    return refused(
      `${JSON.stringify(specifier)} is imported with { ${attribute[0]}: ${JSON.stringify(attribute[1])} }: a program imports code and JSON only (data it reads at run time, with node:fs)`,
    );
  }
  if (specifier === "mcp-codegen/runtime") {
    return { path: options.runtime, pluginData: { specifier, entry: false } satisfies Imported };
  }
  if (specifier.startsWith("node:") || isBuiltin(specifier)) {
    // The stand-in's own `require` is Node's.
    if (args.namespace === BUILTIN_NAMESPACE) return { path: specifier, external: true };
    return { path: specifier, namespace: BUILTIN_NAMESPACE };
  }
  return undefined;
}

function resolveFileUrl(gate: FileGate, specifier: string): Resolved {
  try {
    return resolveFile(gate, "/", fileURLToPath(specifier));
  } catch {
    return { missing: true };
  }
}

/**
 * A package, found by esbuild's resolver (package.json `exports`, `main`…) in the project's
 * node_modules for a program's file, or from where a package's own file is; the gate then
 * judges the real path it found, so a `main` or a link leading out is refused.
 */
async function resolvePackage(
  build: PluginBuild,
  gate: FileGate,
  specifier: string,
  args: OnResolveArgs,
  fromPackage: boolean,
): Promise<Resolved> {
  // Never from the program's folder: esbuild would read package.json files the program's
  // side may have planted (workspace/ is written by programs).
  const dirs = fromPackage
    ? [args.resolveDir]
    : gate.projectPackages.map((dir) => path.dirname(dir));
  for (const resolveDir of dirs) {
    const found = await build.resolve(specifier, {
      kind: args.kind,
      resolveDir,
      pluginData: INNER,
    });
    if (found.errors.length > 0 || found.path === "") continue;
    const probed = gate.probe(found.path);
    if ("refused" in probed) return probed;
    if ("kind" in probed && probed.kind === "file") return { path: probed.realPath };
  }
  return { missing: true };
}

async function loadFile(options: GatedImportsOptions, args: OnLoadArgs): Promise<OnLoadResult> {
  // None: a path no resolve of ours gave, a file a computed import in a package matched.
  const imported = args.pluginData as Imported | undefined;
  const named =
    imported === undefined
      ? "a file a package's computed import matched"
      : JSON.stringify(imported.specifier);
  const loader = LOADERS[path.extname(args.path).toLowerCase()];
  if (loader === undefined) {
    return refused(
      `${named} is not code: a program imports .ts, .tsx, .mts, .cts, .js, .jsx, .mjs, .cjs and .json files`,
    );
  }
  if (args.with.type === "json" && loader !== "json") {
    return refused(`${named} is imported with { type: "json" } but is not a .json file`);
  }
  const { gate } = await options.gate();
  const read = gate.read(args.path);
  if (!("bytes" in read)) {
    return refused(
      "refused" in read ? describeRefusal(named, read.refused) : `Could not read ${named}`,
    );
  }
  const code = read.bytes.toString("utf8");
  if (loader === "json") return { contents: code, loader };
  // Installed packages may glob among their own files; what the program's side wrote may not.
  if (imported?.entry === true || !gate.isPackageCode(read.realPath)) {
    const errors = await computedImportErrors(code, loader, read.realPath);
    if (errors.length > 0) return { errors };
  }
  return { contents: withGatedSourceMap(code, read.realPath, gate), loader };
}

function refused(text: string): { errors: [{ text: string }] } {
  return { errors: [{ text }] };
}
