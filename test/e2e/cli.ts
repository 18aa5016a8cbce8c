/**
 * End-to-end helpers: run the built CLI (`node bin/mcp-codegen.js`, so `npm run build` first) as a
 * child process, in temp projects whose configs point at the repo's fixture servers.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = path.join(ROOT, "bin/mcp-codegen.js");

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node bin/mcp-codegen.js …args` in `cwd`; `env` adds to (or, as undefined, removes from) ours. */
export function runCli(
  args: readonly string[],
  options: {
    cwd: string;
    env?: Record<string, string | undefined>;
    timeoutMs?: number;
    /** Written to the command's stdin (which is otherwise closed). */
    input?: string;
  },
): Promise<CliResult> {
  if (!existsSync(path.join(ROOT, "dist/cli/cli.cjs"))) {
    throw new Error("dist/ is missing: run `npm run build` before the end-to-end tests");
  }
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env,
    stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  if (options.input !== undefined) child.stdin!.end(options.input);
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (text: string) => (stdout += text));
  child.stderr!.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`mcp-codegen ${args.join(" ")} ran over ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `{ command, args }` starting a fixture server by absolute path: `fixture("many-tools", ["--count", "3"])`. */
export function fixture(script: string, args: readonly string[] = []) {
  return { command: "node", args: [path.join(ROOT, "fixtures/servers", `${script}.mjs`), ...args] };
}

/** The many-tools fixture with `count` tools. */
export function many(count: number) {
  return fixture("many-tools", ["--count", String(count)]);
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A fresh folder holding `files` (posix paths relative to it; objects are written as JSON),
 * removed after the test file. `inRepo` puts it under `test/.tmp/`, where `import … from
 * "mcp-codegen"` resolves to the repo itself (a package may import its own name).
 */
export function tempProject(files: Record<string, string | object>, inRepo = false): string {
  const parent = inRepo ? path.join(ROOT, "test/.tmp") : tmpdir();
  mkdirSync(parent, { recursive: true });
  const dir = realpathSync(mkdtempSync(path.join(parent, "e2e-")));
  made.push(dir);
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string | object>): void {
  for (const [name, value] of Object.entries(files)) {
    const file = path.join(dir, ...name.split("/"));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, typeof value === "string" ? value : `${JSON.stringify(value, null, 2)}\n`);
  }
}

/** Every entry under `dir`, sorted posix paths; folders end in `/`. `[]` if `dir` is missing. */
export function listTree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((entry) => {
      const rel = path.relative(dir, path.join(entry.parentPath, entry.name));
      return rel.split(path.sep).join("/") + (entry.isDirectory() ? "/" : "");
    })
    .sort();
}

/** Every file under `dir` as `{ posixPath: contents }`, in path order. */
export function readTree(dir: string): Record<string, string> {
  const files = listTree(dir).filter((name) => !name.endsWith("/"));
  return Object.fromEntries(
    files.map((name) => [name, readFileSync(path.join(dir, name), "utf8")]),
  );
}

/** Modification times (ms) of every file under `dir`. */
export function mtimes(dir: string): Record<string, number> {
  const files = listTree(dir).filter((name) => !name.endsWith("/"));
  return Object.fromEntries(files.map((name) => [name, statSync(path.join(dir, name)).mtimeMs]));
}

/** A unique value for a server's `env`, to find its processes with `processesWithMarker`. */
export function newMarker(): Record<string, string> {
  return { MCP_CODEGEN_E2E_MARKER: randomUUID() };
}

/** Pids of live (non-zombie) processes whose environment holds the marker (Linux /proc). */
export function processesWithMarker(marker: Record<string, string>): number[] {
  const needle = Object.entries(marker).map(([k, v]) => `${k}=${v}`)[0];
  const found: number[] = [];
  for (const entry of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const state = stat.charAt(stat.lastIndexOf(")") + 2);
      const environ = readFileSync(`/proc/${entry}/environ`, "utf8").split("\0");
      if (state !== "Z" && state !== "X" && environ.includes(needle!)) found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/**
 * The exit code of `child` once it has exited: at once if it already has (an "exit" listener
 * added after the event would wait forever).
 */
export function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}
