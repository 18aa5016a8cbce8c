/**
 * Turns the agent's TypeScript into one plain JavaScript file that a sandboxed Node can run:
 * tsx's loader needs workers and child processes, which the sandbox forbids, so the program is
 * transpiled and bundled here, in the host, with esbuild (what tsx is built on).
 *
 * Imports resolve as the agent expects: `servers/...` and `skills/...` from the output folder,
 * relative files from the program's folder, packages from node_modules, and
 * `mcp-codegen/runtime` to the sandbox's runtime, which reaches tools through the host.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { BuildFailure, Message, Plugin } from "esbuild";
import { esbuild } from "../esbuild.js";
import { RunError } from "./errors.js";

export type ProgramSource =
  | { readonly file: string }
  | { readonly code: string; readonly resolveDir: string; readonly name: string };

export interface BundleOptions {
  readonly program: ProgramSource;
  /** The output folder holding `servers/` and `skills/`; awaited only if the program imports them. */
  readonly outDir: () => Promise<string>;
  /** Where the bundle will be written (source map paths are relative to it). */
  readonly outfile: string;
  /** Folder that paths in error messages are relative to. */
  readonly cwd: string;
}

const EVAL_NAMESPACE = "mcp-codegen-eval";
const EVAL_SPECIFIER = "mcp-codegen:program";

/** The sandbox's runtime module: compiled JavaScript when built, TypeScript under tsx/vitest. */
function childRuntimeFile(): string {
  const js = fileURLToPath(new URL("./child/runtime.js", import.meta.url));
  return existsSync(js) ? js : js.replace(/\.js$/, ".ts");
}

/** Bundles the program; returns the JavaScript (ES module, inline source map). */
export async function bundleProgram(options: BundleOptions): Promise<string> {
  const { program } = options;
  const entry = "file" in program ? program.file : EVAL_SPECIFIER;
  try {
    const result = await esbuild().build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      outfile: options.outfile,
      format: "esm",
      platform: "node",
      target: "node20",
      sourcemap: "inline",
      sourcesContent: false,
      logLevel: "silent",
      // Bundled CommonJS packages may `require` Node's modules; an ES module has no `require`.
      banner: {
        js: 'import { createRequire as __mcpCodegenRequire } from "node:module"; const require = __mcpCodegenRequire(import.meta.url);',
      },
      plugins: [runnerImports(options)],
    });
    const output = result.outputFiles.find(
      (file) => file.path.endsWith(".mjs") || file.path.endsWith(".js"),
    );
    if (!output) throw new RunError("esbuild produced no output for the program");
    return output.text;
  } catch (error) {
    if (isBuildFailure(error)) throw new RunError(describeFailure(error.errors, options.cwd));
    throw error;
  }
}

function runnerImports(options: BundleOptions): Plugin {
  const runtime = childRuntimeFile();
  const { program } = options;
  return {
    name: "mcp-codegen-runner",
    setup(build) {
      build.onResolve({ filter: /^mcp-codegen\/runtime$/ }, () => ({ path: runtime }));
      // `servers/...` and `skills/...` written by the agent (not a package's own imports).
      build.onResolve({ filter: /^(servers|skills)(\/|$)/ }, async (args) => {
        if (args.pluginData === "inner" || /[/\\]node_modules[/\\]/.test(args.importer)) return;
        const outDir = await options.outDir();
        const found = await build.resolve(`./${args.path}`, {
          resolveDir: outDir,
          kind: args.kind,
          pluginData: "inner",
        });
        if (found.errors.length > 0) {
          return {
            errors: [
              {
                text: `cannot find "${args.path}" in ${path.join(outDir, args.path.split("/")[0]!)} (run \`npx mcp-codegen generate\` if the stubs are missing)`,
              },
            ],
          };
        }
        return { path: found.path };
      });
      if ("code" in program) {
        build.onResolve({ filter: /^mcp-codegen:program$/ }, () => ({
          path: program.name,
          namespace: EVAL_NAMESPACE,
        }));
        build.onLoad({ filter: /.*/, namespace: EVAL_NAMESPACE }, () => ({
          contents: program.code,
          loader: "ts",
          resolveDir: program.resolveDir,
        }));
      }
    },
  };
}

function isBuildFailure(error: unknown): error is BuildFailure {
  return error instanceof Error && Array.isArray((error as Partial<BuildFailure>).errors);
}

/** esbuild's errors in the compiler's format: `task.ts:3:7: error: Could not resolve "x"`. */
function describeFailure(errors: readonly Message[], cwd: string): string {
  const lines = errors.slice(0, 10).map((message) => {
    const at = message.location;
    const where = at
      ? `${path.isAbsolute(at.file) ? path.relative(cwd, at.file) : at.file}:${at.line}:${at.column + 1}: `
      : "";
    return `${where}error: ${message.text}`;
  });
  const more = errors.length > 10 ? `\n(and ${errors.length - 10} more)` : "";
  return `the program could not be compiled:\n${lines.join("\n")}${more}`;
}
