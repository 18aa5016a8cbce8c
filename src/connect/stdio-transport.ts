import { ProcessGroup, type ExitInfo } from "./process-group.js";
import {
  getDefaultEnvironment,
  ReadBuffer,
  serializeMessage,
  type JSONRPCMessage,
  type Transport,
} from "./sdk.js";
import { StderrTail } from "./stderr-tail.js";

/** What it takes to start a stdio server. */
export interface StdioParameters {
  readonly command: string;
  readonly args: readonly string[];
  /** Added to the SDK's safe default environment (PATH, HOME, …), like its own stdio transport. */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
}

/**
 * An SDK `Transport` over a child process's stdin/stdout, in place of the SDK's
 * `StdioClientTransport`, which signals only the direct child (grandchildren survive `close()`)
 * and leaves stderr to the caller. This one runs the server in a process group of its own and
 * ends the whole group on close, always drains stderr into a ring buffer, and keeps the exit
 * code so a crash can be reported with its cause.
 */
export class ProcessGroupTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;

  /** The last ~8 KiB the server wrote to stderr. */
  readonly stderr = new StderrTail();
  private readonly params: StdioParameters;
  private readonly readBuffer = new ReadBuffer();
  private group: ProcessGroup | undefined;
  private closed = false;
  private fatal: Error | undefined;

  constructor(params: StdioParameters) {
    this.params = params;
  }

  get pid(): number | undefined {
    return this.group?.pid;
  }

  /** How the server process ended, once it has. */
  get exitInfo(): ExitInfo | undefined {
    return this.group?.exitInfo;
  }

  /** Why the transport gave up on the server's output (a message line over 10 MiB), if it did. */
  get fatalError(): Error | undefined {
    return this.fatal;
  }

  /** True when the server process exited before `close()` or `kill()` asked it to. */
  get exitedOnItsOwn(): boolean {
    return this.group?.exitedOnItsOwn ?? false;
  }

  /** Waits up to `ms` for the server process to exit (the exit event can trail a closed pipe). */
  async waitForExit(ms: number): Promise<ExitInfo | undefined> {
    return this.group?.waitForExit(ms);
  }

  /** Spawns the server; rejects with the spawn error (its `code` is ENOENT for a missing command). */
  async start(): Promise<void> {
    if (this.group) throw new Error("ProcessGroupTransport already started");
    const { command, args, env, cwd } = this.params;
    const group = new ProcessGroup(command, args, {
      env: { ...getDefaultEnvironment(), ...env },
      cwd,
    });
    this.group = group;
    const { child } = group;
    // Listeners go on before the first tick so no early output is lost.
    child.stdout.on("data", (chunk: Buffer) => this.receive(chunk));
    child.stderr.on("data", (chunk: Buffer) => this.stderr.push(chunk));
    // A write to a server that already exited fails with EPIPE; the exit is reported through
    // onclose, so these stream errors are only worth passing on, never worth throwing.
    child.stdin.on("error", (error) => this.onerror?.(error));
    child.stdout.on("error", (error) => this.onerror?.(error));
    child.stderr.on("error", (error) => this.onerror?.(error));
    child.on("error", (error) => this.onerror?.(error));
    // "close" comes after "exit" and after stdout and stderr have ended, so every message the
    // server wrote before exiting has been delivered by then.
    child.once("close", () => this.fireClose());
    await group.spawned;
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.group?.child.stdin;
    if (!stdin || this.closed || !stdin.writable) return Promise.reject(new Error("Not connected"));
    return new Promise((resolve, reject) => {
      // The callback reports a failed write; waiting for it also applies back-pressure.
      stdin.write(serializeMessage(message), (error) => (error ? reject(error) : resolve()));
    });
  }

  /** Whether the child process and its pipes keep the event loop (and so the process) alive. */
  setKeepAlive(keep: boolean): void {
    const child = this.group?.child;
    if (!child) return;
    for (const handle of [child, child.stdin, child.stdout, child.stderr]) {
      const refable = handle as unknown as { ref?: () => void; unref?: () => void };
      if (keep) refable.ref?.();
      else refable.unref?.();
    }
  }

  /** Ends the server and everything it started (see `ProcessGroup.terminate`). */
  async close(): Promise<void> {
    await this.terminate();
  }

  /** Like `close()`, but without waiting for the server to exit on its own: for failed connects. */
  async kill(): Promise<void> {
    await this.terminate(0);
  }

  private async terminate(stdinGraceMs?: number): Promise<void> {
    await this.group?.terminate(stdinGraceMs);
    this.readBuffer.clear();
    // Normally "close" has fired by now; if a pipe is still held open somewhere, the client
    // must still learn that the connection is gone.
    this.fireClose();
  }

  private receive(chunk: Buffer): void {
    try {
      this.readBuffer.append(chunk);
    } catch (error) {
      // A line over the SDK's 10 MiB limit: the stream cannot be resynchronised.
      this.fatal = error as Error;
      this.onerror?.(this.fatal);
      void this.kill();
      return;
    }
    for (;;) {
      let message: JSONRPCMessage | null;
      try {
        message = this.readBuffer.readMessage();
      } catch (error) {
        // A line that is not JSON-RPC (a server logging to stdout): skip it, keep reading.
        this.onerror?.(error as Error);
        continue;
      }
      if (message === null) break;
      this.onmessage?.(message);
    }
  }

  private fireClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }
}
