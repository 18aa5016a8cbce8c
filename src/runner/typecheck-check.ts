/**
 * One type-check, as the worker runs it: the program against the generated stubs, imports
 * resolved the way the runner does (`servers/…` and `skills/…` from the outDir,
 * `mcp-codegen/runtime` from this package), every file read through the gate, and the
 * compiler's own diagnostics as the result.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type TS from "typescript";
import { isInside, PACKAGE_CODE, type ProgramAccess } from "./file-gate.js";
import { EVAL_FILE_NAME, type TypecheckInput, type TypecheckResult } from "./typecheck.js";
import { gatedCompilerHost } from "./typecheck-host.js";
import { importExternal } from "../import-external.js";

/** What the worker is given: the check's input and what the program may read. */
export type CheckRequest = TypecheckInput & { readonly access: ProgramAccess };

/** Type-check one program; never throws for errors in the program, they are the result. */
export async function checkProgram(input: CheckRequest): Promise<TypecheckResult> {
  // Loaded here, not at the top: the compiler takes 0.3-1 s to load and only --typecheck needs it.
  const ts = (await importExternal<{ default: typeof TS }>("typescript")).default;
  const entry =
    "file" in input.program
      ? path.resolve(input.cwd, input.program.file)
      : path.resolve(input.cwd, input.program.resolveDir, EVAL_FILE_NAME);
  const nodeTypes = findNodeTypes(input.access.nodeModules);
  const options = compilerOptions(ts, input.outDir, nodeTypes);
  const host = gatedCompilerHost(ts, {
    options,
    access: input.access,
    programDir: path.dirname(entry),
    entry,
    ...("code" in input.program ? { code: input.program.code } : {}),
    cwd: input.cwd,
    trusted: [TYPESCRIPT_LIB, ...(nodeTypes === undefined ? [] : [nodeTypes])],
  });

  const program = ts.createProgram({ rootNames: [entry], options, host });
  const ownFiles = program.getSourceFiles().filter((sourceFile) => {
    return (
      !program.isSourceFileDefaultLibrary(sourceFile) &&
      !program.isSourceFileFromExternalLibrary(sourceFile) &&
      !sourceFile.fileName.split(/[\\/]/).includes("node_modules") &&
      // This package's runtime (and what it imports) when running from a checkout: not the user's.
      !isInside(PACKAGE_CODE, sourceFile.fileName)
    );
  });
  // Per file rather than the whole program: the runtime's own sources need not be checked.
  const diagnostics = ts.sortAndDeduplicateDiagnostics([
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...ownFiles.flatMap((sourceFile) => [
      ...program.getSyntacticDiagnostics(sourceFile),
      ...program.getSemanticDiagnostics(sourceFile),
    ]),
  ]);
  // The compiler's plain format: file, position and message, never a line of any file.
  const text = ts.formatDiagnostics(diagnostics, {
    getCurrentDirectory: () => input.cwd,
    getCanonicalFileName: (fileName) =>
      ts.sys.useCaseSensitiveFileNames ? fileName : fileName.toLowerCase(),
    getNewLine: () => "\n",
  });
  return {
    errorCount: diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).length,
    text: text.replace(/\n$/, ""),
  };
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** TypeScript's own declarations (lib.es2023.d.ts…), read without the gate. */
export const TYPESCRIPT_LIB = path.dirname(createRequire(import.meta.url).resolve("typescript"));
/** The types `mcp-codegen/runtime` resolves to: the source in a checkout, declarations when built. */
const RUNTIME_TYPES = ["index.ts", "index.d.ts"]
  .map((name) => path.join(PACKAGE_CODE, "runtime", name))
  .find((file) => existsSync(file));

/** The options every check of a program (and of a saved skill) runs with. */
export function compilerOptions(
  ts: typeof TS,
  outDir: string,
  nodeTypes: string | undefined,
): TS.CompilerOptions {
  const servers = path.join(outDir, "servers");
  const skills = path.join(outDir, "skills");
  // Absolute targets: without baseUrl, relative ones would resolve from a tsconfig we do not have.
  const paths: TS.MapLike<string[]> = {
    servers: [servers],
    "servers/*": [path.join(servers, "*")],
    skills: [skills],
    "skills/*": [path.join(skills, "*")],
  };
  // Not found means a broken install; leave the import to ordinary resolution, which may still
  // find an installed mcp-codegen, rather than fail before the user's program is looked at.
  if (RUNTIME_TYPES !== undefined) paths["mcp-codegen/runtime"] = [RUNTIME_TYPES];
  // The program runs under Node, so its globals are Node's (`process`, `Buffer`, `node:fs`). Without
  // @types/node in the project or beside this package, lib `dom` still declares `console`, the
  // global nearly every program uses; `node:` imports then fail, which is the honest answer.
  return {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    // Node 20 has every ES2023 library addition (findLast, toSorted…).
    lib: nodeTypes === undefined ? ["lib.es2023.d.ts", "lib.dom.d.ts"] : ["lib.es2023.d.ts"],
    types: nodeTypes === undefined ? [] : ["node"],
    ...(nodeTypes === undefined ? {} : { typeRoots: [nodeTypes] }),
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    // Every program is an ES module, with or without imports, so top-level await is allowed.
    moduleDetection: ts.ModuleDetectionKind.Force,
    allowImportingTsExtensions: true,
    resolveJsonModule: true,
    skipLibCheck: true,
    isolatedModules: false,
    paths,
  };
}

/**
 * The `node_modules/@types` folder holding `node`: the project's, else the one beside this
 * package (never searched for above the program, which would look at folders outside it).
 */
export function findNodeTypes(projectNodeModules: readonly string[]): string | undefined {
  for (const nodeModules of projectNodeModules) {
    const types = path.join(nodeModules, "@types");
    if (existsSync(path.join(types, "node", "package.json"))) return types;
  }
  for (let current = HERE; ; current = path.dirname(current)) {
    const types = path.join(current, "node_modules", "@types");
    if (existsSync(path.join(types, "node", "package.json"))) return types;
    if (path.dirname(current) === current) return undefined;
  }
}
