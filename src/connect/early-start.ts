/**
 * Starting stdio servers before the rest of the generator has loaded. A server takes hundreds of
 * milliseconds to boot, and so does loading the MCP SDK, the type compiler and the formatter:
 * started first, the server boots while they load, instead of after. This module loads nothing
 * but `node:child_process` for that reason.
 *
 * A process started here is handed to the transport that connects to the same server (the same
 * config object); until then everything it writes, and its end, is held, so nothing is lost.
 */
import { ProcessGroup } from "./process-group.js";

/** What it takes to start a stdio server (the config's `transport` of kind `stdio`). */
export interface StdioParameters {
  readonly command: string;
  readonly args: readonly string[];
  /** Added to a small safe default environment (PATH, HOME, …), as the SDK's transport does. */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
}

/** Where a started process's output and end go once a transport has taken it. */
export interface ProcessSink {
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
  error(error: Error): void;
  close(): void;
}

/** Variables a server inherits from us whatever its config says: none that can hold a secret. */
const INHERITED = ["HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER"];

/** The environment a server runs with: the inherited few, then its config's `env`. */
function serverEnvironment(env: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const inherited: NodeJS.ProcessEnv = {};
  for (const name of INHERITED) {
    const value = process.env[name];
    // A shell function exported into the environment (`() { …`) is not passed on.
    if (value !== undefined && !value.startsWith("()")) inherited[name] = value;
  }
  return { ...inherited, ...env };
}

/** A server process, started, whose output waits for a transport. */
export class StartedProcess {
  readonly group: ProcessGroup;
  private sink: ProcessSink | undefined;
  private readonly held: ((sink: ProcessSink) => void)[] = [];

  constructor(params: StdioParameters) {
    this.group = new ProcessGroup(params.command, params.args, {
      env: serverEnvironment(params.env),
      cwd: params.cwd,
    });
    // The spawn error reaches whoever awaits `spawned`, maybe only later: not "unhandled" now.
    this.group.spawned.catch(() => {});
    const { child } = this.group;
    const deliver = (event: (sink: ProcessSink) => void) => {
      if (this.sink) event(this.sink);
      else this.held.push(event);
    };
    child.stdout.on("data", (chunk: Buffer) => deliver((sink) => sink.stdout(chunk)));
    child.stderr.on("data", (chunk: Buffer) => deliver((sink) => sink.stderr(chunk)));
    // A write to a server that already exited fails with EPIPE; the exit is reported through
    // `close`, so these errors are only worth passing on, never worth throwing.
    for (const emitter of [child, child.stdin, child.stdout, child.stderr]) {
      emitter.on("error", (error: Error) => deliver((sink) => sink.error(error)));
    }
    // "close" comes after "exit" and after stdout and stderr have ended, so every message the
    // server wrote before exiting has been delivered by then.
    child.once("close", () => deliver((sink) => sink.close()));
  }

  /** Sends everything held so far to `sink`, and everything after as it comes. */
  attach(sink: ProcessSink): void {
    this.sink = sink;
    for (const event of this.held.splice(0)) event(sink);
  }
}

const early = new Map<StdioParameters, StartedProcess>();

/** Starts the server of `params` now, for the transport that will connect to it. */
export function startEarly(params: StdioParameters): void {
  if (!early.has(params)) early.set(params, new StartedProcess(params));
}

/** The process started early for exactly these parameters (the same object), if any. */
export function takeEarly(params: StdioParameters): StartedProcess | undefined {
  const started = early.get(params);
  early.delete(params);
  return started;
}

/** Ends the processes started early that no transport took (the run failed before connecting). */
export async function endUnclaimed(): Promise<void> {
  const left = [...early.values()];
  early.clear();
  await Promise.all(left.map((started) => started.group.terminate(0)));
}
