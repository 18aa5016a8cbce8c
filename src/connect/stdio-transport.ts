import { DEFAULT_RUNTIME_SETTINGS } from "../config/types.js";
import { StartedProcess, takeEarly, type StdioParameters } from "./early-start.js";
import { LineReader, type OversizedLine } from "./line-reader.js";
import { ProcessGroup, type ExitInfo } from "./process-group.js";
import { NotDeliveredError, RESULT_TOO_LARGE, resultTooLargeData } from "./result-limits.js";
import {
  deserializeMessage,
  serializeMessage,
  type JSONRPCMessage,
  type RequestId,
  type Transport,
} from "./sdk.js";
import { StderrTail } from "./stderr-tail.js";
import type { StrayMessages } from "./strays.js";

export type { StdioParameters } from "./early-start.js";

export interface StdioLimits {
  /**
   * No message from the server may be longer than this many bytes: an answer that is (to any
   * request: `tools/list` as much as `tools/call`) fails its request with a JSON-RPC error of
   * code RESULT_TOO_LARGE instead, any other message is dropped, and the connection stays
   * usable. Default: the config's default `maxResultBytes` (8 MiB).
   */
  readonly maxResultBytes?: number;
  /**
   * How long `close()` gives the server to exit on its own once its stdin is closed, before
   * SIGTERM. Default: STDIN_GRACE_MS. Introspection, which leaves a server nothing to finish,
   * gives less (see introspect-server.ts).
   */
  readonly stdinGraceMs?: number;
}

/**
 * An SDK `Transport` over a child process's stdin/stdout, in place of the SDK's
 * `StdioClientTransport`, which signals only the direct child (grandchildren survive `close()`)
 * and leaves stderr to the caller. This one runs the server in a process group of its own and
 * ends the whole group on close, always drains stderr into a ring buffer, and keeps the exit
 * code so a crash can be reported with its cause. It also refuses oversized answers as they
 * stream in (see StdioLimits and LineReader) rather than parsing them.
 */
export class ProcessGroupTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;

  /** The last ~8 KiB the server wrote to stderr. */
  readonly stderr = new StderrTail();
  /** What came on stdout besides messages for us (a server logging there, made-up ids), skipped. */
  readonly strays: { -readonly [K in keyof StrayMessages]: number } = {
    notJson: 0,
    notJsonRpc: 0,
    unknownIds: 0,
  };
  private readonly params: StdioParameters;
  private readonly reader: LineReader;
  private readonly maxResultBytes: number;
  private readonly stdinGraceMs: number | undefined;
  /** Method of every request sent and not yet answered or cancelled, by id. */
  private readonly pending = new Map<RequestId, string>();
  private group: ProcessGroup | undefined;
  private closed = false;

  constructor(params: StdioParameters, limits: StdioLimits = {}) {
    this.params = params;
    this.maxResultBytes = limits.maxResultBytes ?? DEFAULT_RUNTIME_SETTINGS.maxResultBytes;
    this.stdinGraceMs = limits.stdinGraceMs;
    this.reader = new LineReader(
      this.maxResultBytes,
      (line) => this.receiveLine(line),
      (line) => this.refuse(line),
    );
  }

  get pid(): number | undefined {
    return this.group?.pid;
  }

  /** How the server process ended, once it has. */
  get exitInfo(): ExitInfo | undefined {
    return this.group?.exitInfo;
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
    // Started early (see early-start.ts), or now; either way nothing it wrote is lost.
    const started = takeEarly(this.params) ?? new StartedProcess(this.params);
    const group = started.group;
    this.group = group;
    started.attach({
      stdout: (chunk) => this.reader.push(chunk),
      stderr: (chunk) => this.stderr.push(chunk),
      error: (error) => this.onerror?.(error),
      close: () => this.fireClose(),
    });
    await group.spawned;
  }

  /**
   * Writes a message. A failed write rejects with NotDeliveredError: the server cannot have
   * read the message (its stdin is closed), so the request is safe to send again elsewhere.
   */
  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.group?.child.stdin;
    if (!stdin || this.closed || !stdin.writable) {
      return Promise.reject(new NotDeliveredError(new Error("Not connected")));
    }
    // Requests are remembered until answered or cancelled: an oversized line is matched to
    // the request it answers by id alone (see refuse).
    let id: RequestId | undefined;
    if ("method" in message) {
      if ("id" in message) this.pending.set((id = message.id), message.method);
      else if (message.method === "notifications/cancelled") {
        this.pending.delete(message.params?.requestId as RequestId);
      }
    }
    return new Promise((resolve, reject) => {
      // The callback reports a failed write; waiting for it also applies back-pressure.
      stdin.write(serializeMessage(message), (error) => {
        if (!error) return resolve();
        if (id !== undefined) this.pending.delete(id);
        reject(new NotDeliveredError(error));
      });
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
    await this.terminate(this.stdinGraceMs);
  }

  /** Like `close()`, but without waiting for the server to exit on its own: for failed connects. */
  async kill(): Promise<void> {
    await this.terminate(0);
  }

  private async terminate(stdinGraceMs?: number): Promise<void> {
    await this.group?.terminate(stdinGraceMs);
    this.reader.clear();
    // Normally "close" has fired by now; if a pipe is still held open somewhere, the client
    // must still learn that the connection is gone.
    this.fireClose();
  }

  private receiveLine(line: Buffer): void {
    let message: JSONRPCMessage;
    try {
      message = deserializeMessage(line.toString("utf8"));
    } catch (error) {
      // A line that is not JSON-RPC (a server logging to stdout): skip it, keep reading.
      if (error instanceof SyntaxError) this.strays.notJson += 1;
      else this.strays.notJsonRpc += 1;
      this.onerror?.(error as Error);
      return;
    }
    // An answer to no request we are waiting for (the SDK drops it too).
    if ("id" in message && !("method" in message) && message.id !== undefined) {
      if (!this.pending.delete(message.id)) this.strays.unknownIds += 1;
    }
    this.onmessage?.(message);
  }

  /** Answers the request an oversized line responds to with a RESULT_TOO_LARGE error instead. */
  private refuse(line: OversizedLine): void {
    const found = responseId(line);
    const method = found === undefined ? undefined : this.pending.get(found);
    const { bytes } = line;
    const limit = this.maxResultBytes;
    if (found === undefined || method === undefined) {
      this.onerror?.(
        new Error(
          `dropped a message of ${bytes} bytes from the server: over the limit of ${limit} bytes, and not the answer to a pending request`,
        ),
      );
      return;
    }
    this.pending.delete(found);
    this.onmessage?.({
      jsonrpc: "2.0",
      id: found,
      error: {
        code: RESULT_TOO_LARGE,
        message: `the answer to ${method} is ${bytes} bytes, over the limit of ${limit} bytes`,
        data: resultTooLargeData(bytes, limit),
      },
    });
  }

  private fireClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending.clear();
    this.onclose?.();
  }
}

// A response's id, found without parsing the line: servers on the TypeScript SDK write it last
// (`{"result":…,"jsonrpc":"2.0","id":7}`), others (Python) first. A line that starts as a
// request or notification (`{"method":…`) answers nothing.
const ID_FIRST = /^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")/;
const ID_LAST = /[,{]\s*"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")\s*\}\s*$/;
const REQUEST_START = /^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"method"\s*:/;

function responseId(line: OversizedLine): RequestId | undefined {
  const head = line.head.toString("utf8");
  if (REQUEST_START.test(head)) return undefined;
  const tail = line.tail.toString("utf8");
  const token = ID_FIRST.exec(head)?.[1] ?? ID_LAST.exec(tail)?.[1];
  if (token === undefined) return undefined;
  try {
    return JSON.parse(token) as RequestId;
  } catch {
    return undefined;
  }
}
