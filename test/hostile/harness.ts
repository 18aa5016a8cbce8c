/**
 * The hostile suite's shared set-up: a project whose program is an attacker's, canaries it must
 * never reach (a fake HOME's SSH key, a secret in the runner's environment and in the config, a
 * file beside the config, a dotfile, a loopback HTTP listener and Unix sockets counting what
 * reaches them), and a daemon for the project when a class must hold through it too.
 *
 * Every run goes through the built CLI (`npm run build` first).
 */
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { randomUUID } from "node:crypto";
import {
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer as createNetServer, type Server as NetServer } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeEach, expect, type TestContext } from "vitest";
import { fixture, readTree, ROOT, runCli, tempProject, type CliResult } from "../e2e/cli.js";
import { clientWorkspace } from "../../src/serve/client.js";
import { treeRssKb } from "../../bench/tree-rss.js";
import { executeThroughServe, SERVE_CLIENT_NAME, throughServe } from "./through-serve.js";

export { ROOT, readTree };
const BIN = path.join(ROOT, "bin/mcp-codegen.js");

const removed: string[] = [];
afterAll(() => {
  for (const dir of removed.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp folder outside any project, removed after the test file. */
export function tempDir(prefix = "hostile-"): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
  removed.push(dir);
  return dir;
}

/** Random strings that must never show in what a program prints, nor anywhere it can write. */
export interface Canaries {
  readonly home: string;
  readonly sshKeyFile: string;
  readonly sshKey: string;
  /** In the runner's environment as HOSTILE_ENV_SECRET. */
  readonly envSecret: string;
  /** The config's `env` for the servers (a configured secret). */
  readonly configSecret: string;
  /** In `secret.txt` beside the config (the project's root). */
  readonly besideConfig: string;
  /** In `.env` in the project's root and in `tasks/.env` beside the program. */
  readonly dotfile: string;
  readonly all: readonly string[];
}

export function makeCanaries(): Canaries {
  const home = tempDir("hostile-home-");
  const sshKey = `SSH-CANARY-${randomUUID()}`;
  mkdirSync(path.join(home, ".ssh"), { mode: 0o700 });
  const sshKeyFile = path.join(home, ".ssh", "id_rsa");
  writeFileSync(sshKeyFile, `-----BEGIN OPENSSH PRIVATE KEY-----\n${sshKey}\n`, { mode: 0o600 });
  const canaries = {
    home,
    sshKeyFile,
    sshKey,
    envSecret: `ENV-CANARY-${randomUUID()}`,
    configSecret: `CONFIG-CANARY-${randomUUID()}`,
    besideConfig: `BESIDE-CANARY-${randomUUID()}`,
    dotfile: `DOTFILE-CANARY-${randomUUID()}`,
  };
  return {
    ...canaries,
    all: [
      canaries.sshKey,
      canaries.envSecret,
      canaries.configSecret,
      canaries.besideConfig,
      canaries.dotfile,
    ],
  };
}

export const CONFIG_NAME = "codegen.config.mjs";
export const PROGRAM = "tasks/task.ts";

export interface ProjectOptions {
  /** Servers of the config; default: `flaky` with the configured secret in its env. */
  readonly servers?: Record<string, unknown>;
  /** The config's `run` settings. */
  readonly run?: Record<string, unknown>;
  /** More files of the project (posix paths relative to it). */
  readonly files?: Record<string, string | object>;
}

/**
 * A project: `codegen.config.mjs` (outDir: its folder), `secret.txt` beside it, `.env`,
 * `servers/`, `skills/`, `workspace/` (with `notes.md`), and the program in `tasks/`.
 */
export function hostileProject(canaries: Canaries, options: ProjectOptions = {}): string {
  const servers = options.servers ?? {
    flaky: { ...fixture("flaky"), env: { FIXTURE_SECRET: canaries.configSecret } },
  };
  const project = tempProject({
    [CONFIG_NAME]: `export default ${JSON.stringify({ servers, ...(options.run ? { run: options.run } : {}) }, null, 2)};\n`,
    "secret.txt": `${canaries.besideConfig}\n`,
    ".env": `TOKEN=${canaries.dotfile}\n`,
    "tasks/.env": `TOKEN=${canaries.dotfile}\n`,
    "servers/README.md": "# servers\n",
    "skills/README.md": "# skills\n",
    "workspace/notes.md": "the user's notes\n",
    ...options.files,
  });
  if (VIA_SERVE) {
    // serve's programs see their client's folder as workspace/: the project's files go there.
    const real = path.join(project, "workspace");
    const client = workspaceOf(project);
    const entries = readdirSync(real);
    mkdirSync(client, { recursive: true });
    for (const name of entries) renameSync(path.join(real, name), path.join(client, name));
  }
  return project;
}

export interface RunResult extends CliResult {
  readonly ms: number;
  /** With `measure`: the most resident memory the run's whole process tree held at once, MB. */
  readonly peakMb?: number;
}

export interface RunOptions {
  /** Through the project's daemon (which must be up) rather than `--no-daemon`. */
  readonly daemon?: boolean;
  readonly env?: Record<string, string | undefined>;
  readonly timeoutMs?: number;
  /** The program's file, relative to the project. Default `tasks/task.ts`. */
  readonly file?: string;
  /** Sample the memory of the CLI's process tree (esbuild's service and servers included). */
  readonly measure?: boolean;
}

/** Samples `pid`'s tree every 50 ms until stopped; the peak in MB. */
export function sampleMemory(pid: number): () => number {
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, treeRssKb(pid))), 50);
  return () => {
    clearInterval(timer);
    return Math.round(peak / 1024);
  };
}

/**
 * Which door the suite's programs come through: `run` (the default), or `serve`'s
 * `execute_code` when `HOSTILE_VIA=serve` (the `hostile-serve` vitest project runs the whole
 * suite that way). A test whose runs ask for what serve has no equivalent of (`--typecheck`,
 * the daemon, a program file of its own; see `throughServe`) is skipped there: it would run
 * through `run` exactly as in the `all` project.
 */
export const VIA_SERVE = process.env["HOSTILE_VIA"] === "serve";

/** The test running now, so that `runHostile` can skip one that serve has no part in. */
let currentTest: TestContext | undefined;
if (VIA_SERVE) beforeEach((context) => void (currentTest = context));

/**
 * The real workspace the suite's runs have: the project's `workspace/`, or through serve the
 * suite's client's own folder in it (`hostileProject` puts the project's files there).
 */
export function workspaceOf(project: string): string {
  if (!VIA_SERVE) return path.join(project, "workspace");
  return clientWorkspace(project, { principal: "stdio", name: SERVE_CLIENT_NAME });
}

/** Writes `program` to the project and runs it with `mcp-codegen run` (or serve, above). */
export async function runHostile(
  project: string,
  canaries: Canaries,
  program: string,
  args: readonly string[] = [],
  options: RunOptions = {},
): Promise<RunResult> {
  const file = options.file ?? PROGRAM;
  mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
  writeFileSync(path.join(project, file), program);
  if (VIA_SERVE) {
    if (throughServe(args, options)) return executeThroughServe(project, canaries, program, args);
    // A run serve has no part in would run exactly as the `all` project runs it already.
    currentTest?.skip("through `run` only: the all project runs it");
  }
  let stop: (() => number) | undefined;
  const started = Date.now();
  const cliArgs = [
    "run",
    ...(options.daemon ? [] : ["--no-daemon"]),
    "--config",
    CONFIG_NAME,
    ...args,
    file,
  ];
  const env = { HOME: canaries.home, HOSTILE_ENV_SECRET: canaries.envSecret, ...options.env };
  if (options.measure) {
    const result = await runCliWithStdio(cliArgs, {
      cwd: project,
      env: Object.fromEntries(
        Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined),
      ),
      stdio: ["ignore", "pipe", "pipe"],
      timeoutMs: options.timeoutMs ?? 30_000,
      onSpawn: (pid) => (stop = sampleMemory(pid)),
    });
    return { ...result, ms: Date.now() - started, peakMb: stop?.() ?? 0 };
  }
  const result = await runCli(cliArgs, {
    cwd: project,
    env,
    timeoutMs: options.timeoutMs ?? 30_000,
  });
  return { ...result, ms: Date.now() - started };
}

/** No canary in what the run printed. */
export function expectNoCanary(result: CliResult, canaries: Canaries, extra: string[] = []): void {
  const text = result.stdout + result.stderr;
  for (const canary of [...canaries.all, ...extra]) expect(text).not.toContain(canary);
}

/** A refused import: exit 1, the compile error, nothing run. */
export function expectNotCompiled(result: CliResult, canaries: Canaries): void {
  expect(result.stderr).toContain("could not be compiled");
  expect(result.code).toBe(1);
  expect(result.stdout).not.toContain("RAN");
  expectNoCanary(result, canaries);
}

/** Spawns `node bin/mcp-codegen.js …args` with a custom stdio (descriptors beyond 2). */
export function runCliWithStdio(
  args: readonly string[],
  options: {
    cwd: string;
    env: Record<string, string>;
    stdio: StdioOptions;
    timeoutMs?: number;
    onSpawn?: (pid: number) => void;
  },
): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: options.stdio,
  });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (t: string) => (stdout += t));
  child.stderr!.setEncoding("utf8").on("data", (t: string) => (stderr += t));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`mcp-codegen ${args.join(" ")} ran over its time\n${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The project's daemon, started for a test and stopped after. */
export interface TestDaemon {
  readonly child: ChildProcess;
  log(): string;
  /** Whether the daemon process is still running. */
  alive(): boolean;
  stop(): Promise<void>;
}

/** Starts `mcp-codegen daemon` for the project and waits until `server` is connected. */
export async function startDaemon(
  project: string,
  canaries: Canaries,
  server = "flaky",
): Promise<TestDaemon> {
  const child = spawn(process.execPath, [BIN, "daemon", "--config", CONFIG_NAME], {
    cwd: project,
    env: { ...process.env, HOME: canaries.home, HOSTILE_ENV_SECRET: canaries.envSecret },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  child.stderr!.setEncoding("utf8").on("data", (text: string) => (log += text));
  let exited = false;
  child.once("exit", () => (exited = true));
  const started = Date.now();
  while (!log.includes(`server "${server}": connected`)) {
    if (exited || Date.now() - started > 20_000) {
      child.kill("SIGKILL");
      throw new Error(`the daemon did not start:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return {
    child,
    log: () => log,
    alive: () => !exited,
    async stop() {
      if (exited) return;
      const gone = new Promise((resolve) => child.once("exit", resolve));
      await runCli(["daemon", "--stop", "--config", CONFIG_NAME], {
        cwd: project,
        env: { HOME: canaries.home },
      });
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** A program that prints the flaky server's pid: the daemon's own server when it ran there. */
export const PID_PROGRAM = `import { callMcpTool, type ContentResult } from "mcp-codegen/runtime";
console.log((await callMcpTool<ContentResult>("flaky", "pid", {})).text);
`;

/** The daemon still serves: a normal run through it succeeds (on the daemon's server). */
export async function expectDaemonServes(
  project: string,
  canaries: Canaries,
  daemon: TestDaemon,
  daemonPid: string,
): Promise<void> {
  expect(daemon.alive()).toBe(true);
  const next = await runHostile(project, canaries, PID_PROGRAM, [], {
    daemon: true,
    file: "tasks/pid.ts",
  });
  expect(next.stderr).toBe("");
  expect(next).toMatchObject({ code: 0, stdout: daemonPid });
}

/** Listeners on the host that count what reaches them. */
export interface Listeners {
  readonly port: number;
  readonly port6: number | undefined;
  readonly unixInProject: string;
  readonly unixInTmp: string;
  /** Without the leading NUL. */
  readonly abstractName: string;
  hits(): number;
  close(): Promise<void>;
}

export async function startListeners(project: string): Promise<Listeners> {
  let hits = 0;
  const http: HttpServer = createHttpServer((_req, res) => {
    hits++;
    res.end("reached");
  });
  http.on("connection", () => hits++);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const port = (http.address() as { port: number }).port;
  let http6: HttpServer | undefined = createHttpServer((_req, res) => res.end("reached"));
  http6.on("connection", () => hits++);
  const port6 = await new Promise<number | undefined>((resolve) => {
    http6!.once("error", () => resolve(undefined));
    http6!.listen(0, "::1", () => resolve((http6!.address() as { port: number }).port));
  });
  if (port6 === undefined) http6 = undefined;
  const unixes: NetServer[] = [];
  const listenUnix = async (where: string) => {
    const server = createNetServer((socket) => {
      hits++;
      socket.end("reached\n");
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(where, resolve);
    });
    unixes.push(server);
  };
  const unixInProject = path.join(project, "app.sock");
  const unixInTmp = path.join(tmpdir(), `hostile-${randomUUID().slice(0, 8)}.sock`);
  const abstractName = `hostile-${randomUUID().slice(0, 8)}`;
  await listenUnix(unixInProject);
  await listenUnix(unixInTmp);
  await listenUnix(`\0${abstractName}`);
  return {
    port,
    port6,
    unixInProject,
    unixInTmp,
    abstractName,
    hits: () => hits,
    async close() {
      const closing = [http, http6, ...unixes]
        .filter((s): s is HttpServer | NetServer => s !== undefined)
        .map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
      for (const s of [http, http6]) s?.closeAllConnections();
      await Promise.all(closing);
      rmSync(unixInTmp, { force: true });
    },
  };
}

/** The first line of stdout parsed as JSON. */
export function jsonOut<T = Record<string, unknown>>(result: CliResult): T {
  const line = result.stdout.split("\n").find((l) => l.startsWith("{") || l.startsWith("["));
  if (line === undefined) throw new Error(`no JSON on stdout:\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(line) as T;
}

export function readText(file: string): string {
  return readFileSync(file, "utf8");
}

/** Writes `bytes` to descriptor 3 whatever its buffer says (it is non-blocking), then waits. */
export const FD3_WRITER = `import * as fs from "node:fs";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function send(bytes: Buffer): Promise<void> {
  let off = 0;
  while (off < bytes.length) {
    try {
      off += fs.writeSync(3, bytes, off, Math.min(bytes.length - off, 1 << 20));
    } catch (error) {
      if ((error as { code?: string }).code !== "EAGAIN") throw error;
      await sleep(1);
    }
  }
}
function frame(text: string): Buffer {
  const body = Buffer.from(text, "utf8");
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}
const forever = () => new Promise(() => setInterval(() => {}, 1000));
`;

/** The user nobody: a run as root, which no folder shuts out, is made as this user instead. */
const NOBODY = 65534;

export interface PlainUserOptions {
  /** Sends SIGTERM to the CLI this long after it started. */
  readonly terminateAfterMs?: number;
  /** The CLI's TMPDIR (where its run folders go): given to the user too. */
  readonly tmpdir?: string;
  /** Called once the project is the user's, just before the run. */
  readonly beforeRun?: () => void;
}

/**
 * Writes `program` to the project and runs it with `mcp-codegen run --no-daemon` as a plain
 * user, as runners normally are: when the tests run as root (whom a folder of mode 000 does
 * not shut out), the project is given to nobody and the run made as nobody.
 */
export async function runAsPlainUser(
  project: string,
  program: string,
  args: readonly string[] = [],
  options: PlainUserOptions = {},
): Promise<CliResult> {
  // serve runs as its client's user: this run would run exactly as the `all` project runs it.
  currentTest?.skip("through `run` as a plain user only: the all project runs it");
  mkdirSync(path.join(project, "tasks"), { recursive: true });
  writeFileSync(path.join(project, PROGRAM), program);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownTree(project, NOBODY);
  if (asRoot && options.tmpdir) chownTree(options.tmpdir, NOBODY);
  options.beforeRun?.();
  const run = [BIN, "run", "--no-daemon", "--config", CONFIG_NAME, ...args, PROGRAM];
  const [command, commandArgs] = asRoot
    ? [
        "setpriv",
        [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", process.execPath, ...run],
      ]
    : [process.execPath, run];
  return spawnCollect(command, commandArgs, project, 30_000, options);
}

/** Gives `dir` and all in it to `uid` (links not followed). */
export function chownTree(dir: string, uid: number): void {
  chownSync(dir, uid, uid);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(full, uid);
    else if (!entry.isSymbolicLink()) chownSync(full, uid, uid);
  }
}

function spawnCollect(
  command: string,
  args: readonly string[],
  cwd: string,
  timeoutMs: number,
  options: PlainUserOptions,
): Promise<CliResult> {
  const child = spawn(command, args, {
    cwd,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: cwd,
      ...(options.tmpdir ? { TMPDIR: options.tmpdir } : {}),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (t: string) => (stdout += t));
  child.stderr.setEncoding("utf8").on("data", (t: string) => (stderr += t));
  const terminate =
    options.terminateAfterMs === undefined
      ? undefined
      : setTimeout(() => child.kill("SIGTERM"), options.terminateAfterMs);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")} ran over its time\n${stderr}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      clearTimeout(terminate);
      resolve({ code, stdout, stderr });
    });
  });
}
