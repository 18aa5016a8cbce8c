/**
 * `mcp-codegen run --typecheck`: type-check an agent's program against the generated stubs before
 * it runs, resolving imports the way the runner does (`servers/…` and `skills/…` from the outDir,
 * `mcp-codegen/runtime` from this package), and return the compiler's own diagnostics.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type TS from "typescript";

export interface TypecheckInput {
  /** The program: a file on disk, or source text (from --eval / stdin) with the folder its relative imports resolve from. */
  readonly program:
    { readonly file: string } | { readonly code: string; readonly resolveDir: string };
  /** Absolute outDir: the folder holding servers/, skills/, workspace/. */
  readonly outDir: string;
  /** Folder that paths in messages are relative to (the user's working folder). */
  readonly cwd: string;
}

export interface TypecheckResult {
  readonly errorCount: number;
  /** Diagnostics in the compiler's own format (`task.ts(3,15): error TS2345: …`), one per line, "" when clean. */
  readonly text: string;
}

/** The name a `{ code }` program gets in its folder, and so in messages (`[eval].ts(2,7): …`). */
export const EVAL_FILE_NAME = "[eval].ts";

/** Type-check one program; never throws for errors in the program, they are the result. */
export async function typecheckProgram(input: TypecheckInput): Promise<TypecheckResult> {
  // Loaded here, not at the top: the compiler takes 0.3-1 s to load and only --typecheck needs it.
  const ts = (await import("typescript")).default;
  const entry =
    "file" in input.program
      ? path.resolve(input.cwd, input.program.file)
      : path.resolve(input.cwd, input.program.resolveDir, EVAL_FILE_NAME);
  const options = compilerOptions(ts, input.outDir, path.dirname(entry));
  const host = ts.createCompilerHost(options, true);
  host.getCurrentDirectory = () => input.cwd;
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if ("code" in input.program && path.resolve(fileName) === entry) {
      return ts.createSourceFile(fileName, input.program.code, languageVersion, true);
    }
    const cacheable = isLibraryFile(fileName);
    const cached = cacheable ? libraryFiles.get(fileName) : undefined;
    if (cached !== undefined) return cached;
    const sourceFile = getSourceFile(fileName, languageVersion, onError, shouldCreate);
    if (cacheable && sourceFile !== undefined) libraryFiles.set(fileName, sourceFile);
    return sourceFile;
  };
  if ("code" in input.program) {
    const { code } = input.program;
    const { fileExists, readFile } = host;
    host.fileExists = (fileName) => path.resolve(fileName) === entry || fileExists(fileName);
    host.readFile = (fileName) => (path.resolve(fileName) === entry ? code : readFile(fileName));
  }

  const program = ts.createProgram({ rootNames: [entry], options, host });
  const ownFiles = program.getSourceFiles().filter((sourceFile) => {
    return (
      !program.isSourceFileDefaultLibrary(sourceFile) &&
      !program.isSourceFileFromExternalLibrary(sourceFile) &&
      !isLibraryFile(sourceFile.fileName) &&
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
/** `src/` under vitest or tsx, `dist/` when built: the folder holding `runtime/`. */
const PACKAGE_CODE = path.dirname(HERE);
/** The types `mcp-codegen/runtime` resolves to: the source in a checkout, declarations when built. */
const RUNTIME_TYPES = ["index.ts", "index.d.ts"]
  .map((name) => path.join(PACKAGE_CODE, "runtime", name))
  .find((file) => existsSync(file));

/**
 * Parsed declaration files of libraries (TypeScript's lib, @types/node, the SDK), kept across calls:
 * they do not change while the process lives and parsing them is most of a program's cost.
 */
const libraryFiles = new Map<string, TS.SourceFile>();

function isLibraryFile(fileName: string): boolean {
  return fileName.split(/[\\/]/).includes("node_modules");
}

function isInside(folder: string, fileName: string): boolean {
  const relative = path.relative(folder, fileName);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}

function compilerOptions(ts: typeof TS, outDir: string, programDir: string): TS.CompilerOptions {
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
  // @types/node near the program or this package, lib `dom` still declares `console`, the global
  // nearly every program uses; `node:` imports then fail, which is the honest answer.
  const nodeTypes = findNodeTypes(programDir) ?? findNodeTypes(HERE);
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

/** The `node_modules/@types` folder holding `node`, from `dir` upwards. */
function findNodeTypes(dir: string): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    const types = path.join(current, "node_modules", "@types");
    if (existsSync(path.join(types, "node", "package.json"))) return types;
    if (path.dirname(current) === current) return undefined;
  }
}
