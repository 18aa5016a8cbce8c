/**
 * Turns the agent's TypeScript into one plain JavaScript file that a sandboxed Node can run:
 * tsx's loader needs workers and child processes, which the sandbox forbids, so the program is
 * transpiled and bundled here, in the host, with esbuild (what tsx is built on).
 *
 * The host has the user's rights, and the program is an attacker's: every file esbuild reads
 * comes through the gate (`bundle-imports.ts`, `file-gate.ts`), nothing else esbuild would read
 * by itself is left on (tsconfig.json, source map comments, globs), and the run's deadline
 * stops bundling at once. The bundle's source map names no host folder (`source-names.ts`).
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { BuildFailure, BuildOptions, BuildResult, Message } from "esbuild";
import { esbuild } from "../esbuild.js";
import { EVAL_NAMESPACE, EVAL_SPECIFIER, gatedImports } from "./bundle-imports.js";
import { untilAborted } from "./clock.js";
import { RunError } from "./errors.js";
import { FileGate, type ProgramAccess } from "./file-gate.js";
import { endProgramModule, IMPORT_META, PROGRAM_MODULE_START } from "./program-module.js";
import { sourceFolders, withSourceNames } from "./source-names.js";

export { projectNodeModules, type ProgramAccess } from "./file-gate.js";

export type ProgramSource =
  | { readonly file: string }
  | { readonly code: string; readonly resolveDir: string; readonly name: string };

export interface BundleOptions {
  readonly program: ProgramSource;
  /** What the program may import; lazy: the config loads while bundling starts. */
  readonly access: () => Promise<ProgramAccess>;
  /** Where the bundle will be written (source map paths are relative to it). */
  readonly outfile: string;
  /** Folder that paths in error messages are relative to. */
  readonly cwd: string;
  /** The run's deadline: bundling stops when it fires, rejecting with its reason. */
  readonly signal: AbortSignal;
  /**
   * Nothing else in this process uses esbuild from now on (a run of the CLI's own): the
   * program is built in one request and esbuild's service stopped after it, rather than
   * kept for the next. The service writes to this process's stderr, so whoever reads the
   * run's output would otherwise wait for it to notice that the runner has exited.
   */
  readonly ownService?: boolean;
}

/** The sandbox's runtime module: compiled JavaScript when built, TypeScript under tsx/vitest. */
function childRuntimeFile(): string {
  const js = fileURLToPath(new URL("./child/runtime.js", import.meta.url));
  return existsSync(js) ? js : js.replace(/\.js$/, ".ts");
}

/** Bundles the program; returns the JavaScript (CommonJS, inline source map). */
export async function bundleProgram(options: BundleOptions): Promise<string> {
  const { signal } = options;
  signal.throwIfAborted();
  const cwd = path.resolve(options.cwd);
  const source = resolvedSource(options.program, cwd);
  const programDir = "file" in source ? path.dirname(source.file) : source.resolveDir;
  const opened = openingGate(options, source, programDir);
  const build = buildOptions(options, cwd, source, opened.gate);
  try {
    const result = await (options.ownService
      ? buildAlone(build, signal)
      : buildShared(build, signal));
    const output = result.outputFiles?.find((file) => /\.[cm]?js$/.test(file.path));
    if (!output) throw new RunError("esbuild produced no output for the program");
    const { gate: fileGate, outDir } = await opened.gate();
    const folders = sourceFolders({
      outDir,
      nodeModules: fileGate.projectPackages,
      cwd,
      programDir,
    });
    return withSourceNames(endProgramModule(output.text), options.outfile, folders);
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (opened.failure) throw opened.failure.error;
    if (isBuildFailure(error)) throw new RunError(describeFailure(error.errors, cwd));
    throw error;
  }
}

type Build = BuildOptions & { write: false };

/**
 * On a service this bundle has to itself: one request, and the service stopped after it. At the
 * deadline, stopping it ends the build at once (esbuild has no other way to stop a `build`).
 */
async function buildAlone(build: Build, signal: AbortSignal): Promise<BuildResult<Build>> {
  const stop = () => void esbuild().stop();
  signal.addEventListener("abort", stop, { once: true });
  try {
    return await untilAborted(esbuild().build(build), signal);
  } finally {
    signal.removeEventListener("abort", stop);
    stop();
  }
}

/**
 * On a service other runs share (the daemon's, serve's): through a context, which the deadline
 * cancels rather than the service.
 */
async function buildShared(build: Build, signal: AbortSignal): Promise<BuildResult<Build>> {
  const context = await esbuild().context(build);
  try {
    return await untilAborted(context.rebuild(), signal);
  } finally {
    // On the deadline, leave at once: esbuild finishes the file it is parsing, then stops.
    const closing = context.cancel().then(() => context.dispose());
    if (signal.aborted) closing.catch(() => {});
    else await closing;
  }
}

/** The program with its paths made absolute against `cwd`. */
function resolvedSource(program: ProgramSource, cwd: string): ProgramSource {
  return "file" in program
    ? { file: path.resolve(cwd, program.file) }
    : { ...program, resolveDir: path.resolve(cwd, program.resolveDir) };
}

interface OpeningGate {
  /** The file gate, opened once the program's access is known; every callback waits on it. */
  readonly gate: () => Promise<{ gate: FileGate; outDir: string }>;
  /** Set when the access could not be had (the config failed): the run's real error. */
  readonly failure: { error: unknown } | undefined;
}

function openingGate(
  options: BundleOptions,
  source: ProgramSource,
  programDir: string,
): OpeningGate {
  let opening: Promise<{ gate: FileGate; outDir: string }> | undefined;
  const opened: { failure: { error: unknown } | undefined; gate: OpeningGate["gate"] } = {
    failure: undefined,
    // It must give up when the deadline passes, or esbuild's cancel (which waits for
    // callbacks) would wait for the config forever.
    gate: () =>
      (opening ??= untilAborted(
        options.access().then(
          (access) => ({
            gate: new FileGate(programDir, access, "file" in source ? source.file : undefined),
            outDir: access.outDir,
          }),
          (error: unknown) => {
            opened.failure = { error };
            throw error;
          },
        ),
        options.signal,
      )),
  };
  return opened;
}

/** esbuild's options: one file for Node 20 (program-module.ts), every file read through the gate. */
function buildOptions(
  options: BundleOptions,
  cwd: string,
  source: ProgramSource,
  gate: OpeningGate["gate"],
): Build {
  return {
    entryPoints: ["file" in source ? source.file : EVAL_SPECIFIER],
    bundle: true,
    write: false,
    outfile: options.outfile,
    absWorkingDir: cwd,
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: "inline",
    // Also drops the comment naming each file, relative to the working folder (`../../home/…`):
    // the program can read its bundle. Its source map names them as `source-names.ts` says.
    minifyWhitespace: true,
    // Not only smaller: with it on, esbuild fills a source map's missing contents by reading
    // the files the map names, past every plugin.
    sourcesContent: false,
    // Never a tsconfig.json near the program: its `paths` and `extends` could name any file.
    tsconfigRaw: {},
    logLevel: "silent",
    // esbuild would move them after its export statement, which must end the code.
    legalComments: "none",
    // An ES module's code as a function's body (program-module.ts).
    banner: { js: PROGRAM_MODULE_START },
    define: { "import.meta": IMPORT_META },
    plugins: [gatedImports({ program: source, gate, runtime: childRuntimeFile() })],
  };
}

function isBuildFailure(error: unknown): error is BuildFailure {
  return error instanceof Error && Array.isArray((error as Partial<BuildFailure>).errors);
}

/** esbuild's errors in the compiler's format: `task.ts:3:7: error: Could not resolve "x"`. */
function describeFailure(errors: readonly Message[], cwd: string): string {
  const lines = errors.slice(0, 10).map((message) => {
    const at = message.location;
    const file = at?.file.replace(`${EVAL_NAMESPACE}:`, "");
    const where =
      at && file !== undefined
        ? `${path.isAbsolute(file) ? path.relative(cwd, file) : file}:${at.line}:${at.column + 1}: `
        : "";
    return `${where}error: ${message.text}`;
  });
  const more = errors.length > 10 ? `\n(and ${errors.length - 10} more)` : "";
  return `the program could not be compiled:\n${lines.join("\n")}${more}`;
}
