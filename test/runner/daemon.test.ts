/**
 * The daemon's socket, as a client that may be hostile sees it: `startDaemon` in this process
 * with a small config (one fixture server), spoken to over real Unix sockets with node:net.
 * What would run a program is a recorder (the daemon's `runSandboxed` seam), so these tests
 * see exactly what the daemon hands the sandbox and do not depend on the sandbox itself. The
 * last tests start the built CLI's daemon (`npm run build` first): real programs in the real
 * sandbox, sent by `run`'s client, and `--status`, `--stop`.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import * as path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { startDaemon, type Daemon, type DaemonOptions } from "../../src/runner/daemon.js";
import { runViaDaemon } from "../../src/runner/daemon-client.js";
import { daemonSocketPath } from "../../src/runner/daemon-socket.js";
import { daemonTokenPath } from "../../src/runner/daemon-token.js";
import { newToken } from "../../src/runner/daemon-token-owner.js";
import type { RunLimits } from "../../src/runner/limits.js";
import type { RunOutcome, SandboxedRun } from "../../src/runner/run-sandboxed.js";
import { privateTempDir } from "../../src/private-temp.js";
import { exitCode, fixture, ROOT, runCli, tempProject } from "../e2e/cli.js";

const CONFIG_NAME = "mcp-codegen.config.mjs";
const RUN_SETTINGS = { env: ["ALLOWED"], timeout: 5000, memory: 128, maxOutput: 65536 };

function configSource(run: object = RUN_SETTINGS): string {
  return `export default ${JSON.stringify({ servers: { flaky: fixture("flaky") }, run }, null, 2)};\n`;
}

/** What the daemon handed the sandbox for one run. */
interface Handed {
  readonly code: string;
  readonly limits: RunLimits;
  readonly heapMbGuess: number;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Stands in for the sandbox: the program's code is how many ms it "runs", or `gate:<name>` to
 * run until the test opens that gate; it prints when it started and ended (ms since the
 * epoch), as a program printing `Date.now()` would.
 */
function recorder() {
  const handed: Handed[] = [];
  const gates = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  const gate = (name: string) => {
    let entry = gates.get(name);
    if (!entry) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      entry = { promise, resolve };
      gates.set(name, entry);
    }
    return entry;
  };
  const runSandboxed = async (run: SandboxedRun): Promise<RunOutcome> => {
    const settings = await run.settings();
    const code = "code" in run.program ? run.program.code : run.program.file;
    handed.push({ code, limits: settings.limits, heapMbGuess: run.heapMbGuess, env: run.env });
    run.stdout.write(`start ${Date.now()}\n`);
    if (code.startsWith("gate:")) await gate(code.slice("gate:".length)).promise;
    else await sleep(Number(code) || 0, undefined, run.signal ? { signal: run.signal } : {});
    run.stdout.write(`end ${Date.now()}\n`);
    return { exitCode: 0 };
  };
  return { handed, runSandboxed, open: (name: string) => gate(name).resolve() };
}

interface Started {
  readonly daemon: Daemon;
  readonly configFile: string;
  readonly token: string;
  readonly log: string[];
  readonly handed: Handed[];
  /** Lets the recorded runs waiting on gate `name` end. */
  readonly open: (name: string) => void;
}

const running: Daemon[] = [];
afterEach(async () => {
  for (const daemon of running.splice(0)) await daemon.close();
});

async function start(options: Partial<DaemonOptions> = {}): Promise<Started> {
  const dir = tempProject({ [CONFIG_NAME]: configSource() });
  const configFile = path.join(dir, CONFIG_NAME);
  const config = await loadConfig({ configFile, cwd: dir, env: {} });
  const log: string[] = [];
  const { handed, runSandboxed, open } = recorder();
  const daemon = await startDaemon(config, {
    log: (line) => log.push(line),
    env: {},
    warmSandbox: false,
    runSandboxed,
    ...options,
  });
  running.push(daemon);
  const token = readFileSync(daemon.tokenPath, "utf8");
  return { daemon, configFile, token, log, handed, open };
}

/** A client on the daemon's socket: what it sends, every message and byte it gets back. */
class Wire {
  readonly messages: Record<string, unknown>[] = [];
  bytes = 0;
  readonly closed: Promise<void>;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: Socket) {
    let buffered = "";
    socket.setEncoding("utf8");
    socket.on("data", (text: string) => {
      this.bytes += text.length;
      buffered += text;
      let newline: number;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        this.messages.push(JSON.parse(buffered.slice(0, newline)) as Record<string, unknown>);
        buffered = buffered.slice(newline + 1);
      }
      for (const wake of this.waiters) wake();
    });
    socket.on("error", () => {});
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
  }

  static open(socketPath: string): Promise<Wire> {
    return new Promise((resolve, reject) => {
      const socket = connect(socketPath);
      socket.once("connect", () => resolve(new Wire(socket)));
      socket.once("error", reject);
    });
  }

  send(message: object): void {
    this.socket.write(`${JSON.stringify(message)}\n`);
  }

  /** The first message of `type` (past or coming); undefined if the socket closes first. */
  async next(type: string, timeoutMs = 5000): Promise<Record<string, unknown> | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find((message) => message.type === type);
      if (found) return found;
      if (this.socket.destroyed || Date.now() > deadline) return undefined;
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, 50);
        this.waiters.add(wake);
      });
    }
  }

  /** Everything the program wrote to `fd`. */
  output(fd: 1 | 2): string {
    return this.messages
      .filter((message) => message.type === "out" && message.fd === fd)
      .map((message) => Buffer.from(String(message.data), "base64").toString())
      .join("");
  }
}

/** Opens a connection and says hello with the token; resolves once the daemon answered. */
async function greeted(started: Started): Promise<Wire> {
  const wire = await Wire.open(started.daemon.socketPath);
  wire.send({ type: "hello", token: started.token, configFile: started.configFile });
  const hello = await wire.next("hello");
  if (!hello) throw new Error(`no hello from the daemon: ${JSON.stringify(wire.messages)}`);
  return wire;
}

function runMessage(code: string, extra: { limits?: object; env?: object } = {}) {
  return {
    type: "run",
    program: { code, resolveDir: ROOT, name: "[eval].ts" },
    cwd: ROOT,
    limits: extra.limits ?? {},
    env: extra.env ?? {},
  };
}

/** Sends a run on a connection of its own and waits for its exit. */
async function runOn(started: Started, code: string, extra: { limits?: object } = {}) {
  const wire = await greeted(started);
  wire.send(runMessage(code, extra));
  const exit = await wire.next("exit", 10_000);
  wire.socket.destroy();
  return { code: exit?.code, stdout: wire.output(1), stderr: wire.output(2) };
}

describe("daemon: who may use it", () => {
  it("closes a connection whose first message lacks the token, with not a byte of reply", async () => {
    const started = await start();
    const wrong = newToken().toString("hex");
    const firsts = [
      `${JSON.stringify({ type: "hello", configFile: started.configFile })}\n`,
      `${JSON.stringify({ type: "hello", token: wrong, configFile: started.configFile })}\n`,
      `${JSON.stringify({ type: "stop", token: wrong })}\n`,
      `${JSON.stringify({ type: "status" })}\n`,
      `${JSON.stringify({ ...runMessage("0"), token: wrong })}\n`,
      "GET / HTTP/1.1 secret-looking-garbage\r\n\r\n",
    ];
    for (const first of firsts) {
      const wire = await Wire.open(started.daemon.socketPath);
      wire.socket.write(first);
      await wire.closed;
      expect(wire.bytes).toBe(0);
    }
    expect(
      started.log.filter((line) => line === "a client without the token connected; closed"),
    ).toHaveLength(firsts.length);
    expect(started.log.join("\n")).not.toContain("garbage");
    expect(started.handed).toEqual([]);
    // Still up, and stopped by no one: the token works.
    const status = await Wire.open(started.daemon.socketPath);
    status.send({ type: "status", token: started.token });
    expect(await status.next("status")).toMatchObject({ running: 0, queued: 0 });
  });

  it("with the token: hello, a run with its output and exit, then stop", async () => {
    const started = await start();
    const wire = await greeted(started);
    expect(wire.messages[0]).toEqual({
      type: "hello",
      envAllowed: ["ALLOWED"],
      pid: process.pid,
      configFile: started.configFile,
    });
    wire.send(runMessage("10", { env: { ALLOWED: "yes" } }));
    expect(await wire.next("exit")).toEqual({ type: "exit", code: 0 });
    expect(wire.output(1)).toMatch(/^start \d+\nend \d+\n$/);
    expect(started.handed).toMatchObject([{ code: "10", env: { ALLOWED: "yes" } }]);

    const stopper = await Wire.open(started.daemon.socketPath);
    stopper.send({ type: "stop", token: started.token });
    expect(await stopper.next("stopping")).toEqual({ type: "stopping" });
    await started.daemon.stopped;
    expect(existsSync(started.daemon.tokenPath)).toBe(false);
    expect(existsSync(started.daemon.socketPath)).toBe(false);
  });

  it("keeps its token in a file of the user's only, beside the socket, replacing a stale one", async () => {
    const dir = tempProject({ [CONFIG_NAME]: configSource() });
    const configFile = path.join(dir, CONFIG_NAME);
    const tokenPath = daemonTokenPath(configFile)!;
    expect(path.dirname(tokenPath)).toBe(privateTempDir());
    expect(path.dirname(tokenPath)).toBe(path.dirname(daemonSocketPath(configFile)!));
    const stale = newToken().toString("hex");
    writeFileSync(tokenPath, stale, { mode: 0o600 }); // a daemon killed before it could clean up
    const config = await loadConfig({ configFile, cwd: dir, env: {} });
    const daemon = await startDaemon(config, {
      log: () => {},
      env: {},
      warmSandbox: false,
      runSandboxed: recorder().runSandboxed,
    });
    running.push(daemon);
    expect(daemon.tokenPath).toBe(tokenPath);
    const token = readFileSync(tokenPath, "utf8");
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(token).not.toBe(stale);
    expect(statSync(tokenPath).mode & 0o777).toBe(0o600);
    const old = await Wire.open(daemon.socketPath);
    old.send({ type: "status", token: stale });
    await old.closed;
    expect(old.bytes).toBe(0);
  });

  it("refuses a hello for another config: a client talks only to its own config's daemon", async () => {
    const started = await start();
    const wire = await Wire.open(started.daemon.socketPath);
    wire.send({ type: "hello", token: started.token, configFile: "/elsewhere/codegen.config.ts" });
    expect(await wire.next("refused")).toEqual({
      type: "refused",
      message: `this daemon serves ${started.configFile}, not /elsewhere/codegen.config.ts`,
    });
    await wire.closed;
  });
});

describe("daemon: what a client may ask", () => {
  it.each<[string, object, string]>([
    ["a limit as a string", { limits: { memoryMb: "100000" } }, "limits.memoryMb is not"],
    ["a variable run.env does not allow", { env: { HOME: "/" } }, "that run.env does not allow"],
    ["a variable that is not a string", { env: { ALLOWED: 1 } }, "env.ALLOWED is not"],
    ["an unknown field", { unsafe: true }, "a field it does not know"],
    ["a relative cwd", { cwd: "." }, "cwd is not an absolute path"],
  ])("refuses a run with %s, saying why, and runs nothing", async (_title, change, want) => {
    const started = await start();
    const wire = await greeted(started);
    wire.send({ ...runMessage("0"), ...change });
    const refused = await wire.next("refused");
    expect(String(refused?.message)).toMatch(/^the daemon refused a/);
    expect(String(refused?.message)).toContain(want);
    await wire.closed;
    expect(started.handed).toEqual([]);
  });

  it("refuses a run before the hello, and a second run on one connection", async () => {
    const started = await start();
    const early = await Wire.open(started.daemon.socketPath);
    early.send({ ...runMessage("0"), token: started.token });
    expect((await early.next("refused"))?.message).toBe(
      "the daemon refused a run before the hello",
    );
    await early.closed;
    const wire = await greeted(started);
    wire.send(runMessage("200"));
    wire.send(runMessage("0"));
    expect((await wire.next("refused"))?.message).toBe(
      "the daemon refused a second run on one connection",
    );
    await wire.closed;
    expect(started.handed.length).toBeLessThanOrEqual(1);
  });

  it("keeps every limit at most the config's, says so, and follows a changed config", async () => {
    const started = await start();
    const asked = {
      timeoutMs: 86_400_000,
      memoryMb: 100_000,
      maxOutputBytes: 1024 ** 3,
      maxWorkspaceMb: 1_048_576,
    };
    const above = await runOn(started, "0", { limits: asked });
    expect(above.code).toBe(0);
    expect(started.handed[0]).toMatchObject({
      limits: { timeoutMs: 5000, memoryMb: 128, maxOutputBytes: 65536, maxWorkspaceMb: 100 },
      heapMbGuess: 128,
    });
    expect(above.stderr).toContain(
      "mcp-codegen run: warning: the daemon runs programs with --memory at most 128 (run.memory in the config), not 100000",
    );
    // Lower than the config's: as asked, without a word.
    const below = await runOn(started, "0", { limits: { memoryMb: 64, timeoutMs: 1000 } });
    expect(started.handed[1]).toMatchObject({
      limits: { timeoutMs: 1000, memoryMb: 64, maxOutputBytes: 65536 },
      heapMbGuess: 64,
    });
    expect(below.stderr).toBe("");
    // The config file changed: the daemon reloads it, and its new limits bound the next run.
    writeFileSync(started.configFile, configSource({ ...RUN_SETTINGS, memory: 96, timeout: 900 }));
    await runOn(started, "0", { limits: asked });
    expect(started.handed[2]).toMatchObject({ limits: { timeoutMs: 900, memoryMb: 96 } });
    expect(
      started.log.some((line) =>
        line.endsWith("changed: reloaded; servers start again on first use"),
      ),
    ).toBe(true);
  });
});

/** The daemon's counts of runs, asked with the token. */
async function counts(started: Started) {
  const wire = await Wire.open(started.daemon.socketPath);
  wire.send({ type: "status", token: started.token });
  const status = await wire.next("status");
  wire.socket.destroy();
  return { running: status?.running, queued: status?.queued };
}

/** Waits until the daemon counts `want` (runs under way and waiting). */
async function until(started: Started, want: { running: number; queued: number }) {
  const deadline = Date.now() + 10_000;
  let last = await counts(started);
  while (last.running !== want.running || last.queued !== want.queued) {
    if (Date.now() > deadline) throw new Error(`the daemon counts ${JSON.stringify(last)}`);
    await sleep(10);
    last = await counts(started);
  }
}

describe("daemon: runs at once", () => {
  it("runs at most maxRuns at once, the others in arrival order", async () => {
    const started = await start({ maxRuns: 2 });
    const runs: Promise<{ stdout: string }>[] = [];
    for (let i = 0; i < 4; i++) {
      runs.push(runOn(started, "500"));
      // The next comes once the daemon has this one: arrival order is the order of `runs`.
      await until(started, { running: Math.min(i + 1, 2), queued: Math.max(i - 1, 0) });
    }
    const spans = (await Promise.all(runs)).map(({ stdout }) => {
      const [, begin, end] = /^start (\d+)\nend (\d+)\n$/.exec(stdout) ?? [];
      return { begin: Number(begin), end: Number(end) };
    });
    const overlap = Math.max(
      ...spans.map(({ begin }) => spans.filter((s) => s.begin <= begin && begin < s.end).length),
    );
    expect(overlap).toBe(2);
    // The third and fourth began only when a slot was freed, in the order they came.
    expect(spans[2]!.begin).toBeGreaterThanOrEqual(Math.min(spans[0]!.end, spans[1]!.end));
    expect(spans[3]!.begin).toBeGreaterThanOrEqual(spans[2]!.begin);
    expect(await counts(started)).toEqual({ running: 0, queued: 0 });
  });

  it("drops a queued run whose client went away: it never runs", async () => {
    const started = await start({ maxRuns: 1 });
    const first = runOn(started, "gate:first");
    await until(started, { running: 1, queued: 0 });
    const leaving = await greeted(started);
    leaving.send(runMessage("gate:never"));
    await until(started, { running: 1, queued: 1 });
    const last = runOn(started, "0");
    await until(started, { running: 1, queued: 2 });
    leaving.socket.destroy();
    await until(started, { running: 1, queued: 1 });
    started.open("first");
    expect((await first).code).toBe(0);
    expect((await last).code).toBe(0);
    expect(started.handed.map((run) => run.code)).toEqual(["gate:first", "0"]);
  });
});

describe("daemon: a client that misbehaves disturbs no one else", () => {
  it("closes a socket sending an endless line, and goes on serving the others", async () => {
    const started = await start();
    const meanwhile = runOn(started, "300");
    // Before the token: a short line is all it may send.
    const stranger = await Wire.open(started.daemon.socketPath);
    stranger.socket.write("x".repeat(200 * 1024));
    await stranger.closed;
    expect(stranger.bytes).toBe(0);
    // After the token: 16 MiB, and not a byte more.
    const flooder = await greeted(started);
    const chunk = "y".repeat(1024 * 1024);
    for (let i = 0; i < 17 && !flooder.socket.destroyed; i++) {
      flooder.socket.write(chunk);
      await sleep(1);
    }
    await flooder.closed;
    expect(started.log).toContain("a client sent a line over 16 MiB; closed");
    expect(await meanwhile).toMatchObject({ code: 0 });
    expect((await runOn(started, "0")).code).toBe(0);
  });

  it("closes a trusted client's garbage line, and connections past the most it takes", async () => {
    const started = await start();
    const garbage = await greeted(started);
    garbage.socket.write("{not json\n");
    await garbage.closed;
    expect(started.log).toContain("a client sent a line that is not JSON; closed");

    const crowd = await Promise.all(
      Array.from({ length: 80 }, () => Wire.open(started.daemon.socketPath).catch(() => undefined)),
    );
    const dropped = () => crowd.filter((wire) => !wire || wire.socket.destroyed).length;
    for (const deadline = Date.now() + 5000; dropped() < 80 - 64 && Date.now() < deadline;) {
      await sleep(10);
    }
    expect(dropped()).toBeGreaterThanOrEqual(80 - 64);
    for (const wire of crowd) wire?.socket.destroy();
    await sleep(50);
    expect((await runOn(started, "0")).code).toBe(0);
  });
});

/** `mcp-codegen daemon` of the built CLI on a fresh project, once it says it is serving. */
async function spawnDaemon() {
  const project = tempProject({ [CONFIG_NAME]: configSource() });
  const child = spawn(
    process.execPath,
    [path.join(ROOT, "bin/mcp-codegen.js"), "daemon", "--config", CONFIG_NAME],
    { cwd: project, stdio: ["ignore", "ignore", "pipe"] },
  );
  const output = { log: "" };
  child.stderr.setEncoding("utf8").on("data", (text: string) => (output.log += text));
  const begun = Date.now();
  while (!output.log.includes("serving 1 server ")) {
    if (Date.now() - begun > 20_000 || child.exitCode !== null) {
      child.kill("SIGKILL");
      throw new Error(`the daemon did not start:\n${output.log}`);
    }
    await sleep(50);
  }
  return { child, project, configFile: path.join(project, CONFIG_NAME), output };
}

describe("mcp-codegen daemon (the built CLI)", () => {
  it("runs real programs in the sandbox: the config's heap whatever they ask, 2 at once", async () => {
    const { child, project, configFile } = await spawnDaemon();
    try {
      const program = `import { getHeapStatistics } from "node:v8";
console.log("start", Date.now());
await new Promise((resolve) => setTimeout(resolve, 500));
console.log("heap", Math.round(getHeapStatistics().heap_size_limit / 1024 / 1024));
console.log("end", Date.now());
`;
      const runs = Array.from({ length: 3 }, async () => {
        let stdout = "";
        let stderr = "";
        const code = await runViaDaemon({
          configFile,
          program: { code: program, resolveDir: project, name: "[eval].ts" },
          cwd: project,
          limits: { memoryMb: 100_000 },
          env: {},
          stdout: { write: (chunk) => void (stdout += Buffer.from(chunk).toString()) },
          stderr: { write: (chunk) => void (stderr += Buffer.from(chunk).toString()) },
        });
        return { code, stdout, stderr };
      });
      const results = await Promise.all(runs);
      for (const { code, stdout, stderr } of results) {
        expect({ code, stdout }).toMatchObject({
          code: 0,
          stdout: expect.stringMatching(/^start \d+\nheap \d+\nend \d+\n$/),
        });
        expect(stderr).toContain("--memory at most 128 (run.memory in the config), not 100000");
        // --max-old-space-size=128, with V8's young generation on top: nowhere near 100000.
        expect(Number(/heap (\d+)/.exec(stdout)?.[1])).toBeLessThan(256);
      }
      const spans = results.map(({ stdout }) => ({
        begin: Number(/start (\d+)/.exec(stdout)?.[1]),
        end: Number(/end (\d+)/.exec(stdout)?.[1]),
      }));
      const overlap = Math.max(
        ...spans.map(({ begin }) => spans.filter((s) => s.begin <= begin && begin < s.end).length),
      );
      expect(overlap).toBeLessThanOrEqual(2);
      // Stopped by a signal, which ends the process at once: its socket and token go with it.
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      expect(existsSync(daemonTokenPath(configFile)!)).toBe(false);
      expect(existsSync(daemonSocketPath(configFile)!)).toBe(false);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("answers --status and --stop, which send the token; a client without it learns nothing", async () => {
    const { child, project, configFile, output } = await spawnDaemon();
    try {
      const status = await runCli(["daemon", "--status", "--config", CONFIG_NAME], {
        cwd: project,
      });
      expect(status).toMatchObject({
        code: 0,
        stdout: `running for ${configFile} (${daemonSocketPath(configFile)}): pid ${child.pid}, 0 runs under way, 0 waiting\n`,
      });
      const stranger = await Wire.open(daemonSocketPath(configFile)!);
      stranger.send({ type: "stop" });
      await stranger.closed;
      expect(stranger.bytes).toBe(0);
      expect(child.exitCode).toBe(null);

      const stop = await runCli(["daemon", "--stop", "--config", CONFIG_NAME], { cwd: project });
      expect(stop.stderr).toBe(`mcp-codegen daemon: stopped (${configFile})\n`);
      expect(await exitCode(child)).toBe(0);
      expect(output.log).toContain("a client without the token connected; closed");
      expect(existsSync(daemonTokenPath(configFile)!)).toBe(false);
      const after = await runCli(["daemon", "--status", "--config", CONFIG_NAME], {
        cwd: project,
      });
      expect(after).toMatchObject({ code: 3, stdout: `not running for ${configFile}\n` });
      // Not running (3) is not a failure (1), such as a config that is not there.
      const missing = await runCli(["daemon", "--status", "--config", "missing.ts"], {
        cwd: project,
      });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/missing\.ts/);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
