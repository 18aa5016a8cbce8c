/**
 * The first module a sandboxed program's Node runs. It is written next to the bundle, so that
 * the child can start (and Node load) while the host is still bundling. It opens the channel
 * to the host (descriptor 3, framed JSON: frames.ts), says "ready", and waits for "start",
 * which means the bundle is there. Then it runs the program, calls a default-exported
 * function and prints what that returns as JSON, and reports a failure on stderr with exit
 * code 1. `bootstrap` and its helpers below are serialised into that file, the helpers handed
 * to it as parts: none may use anything from outside.
 *
 * Both files are CommonJS (the bundle is the program as an async function: program-module.ts): Node
 * reaches a CommonJS module ~14 ms sooner than an ES module, whose loader it must set up first
 * (medians of 21, in bubblewrap), and that is most of a run's wait for its sandbox.
 */
import { encodeFrame, frameDecoder } from "./frames.js";
import { CHANNEL_KEY, type HostChannel } from "./host-channel.js";
import { PROGRAM_FUNCTION } from "./program-module.js";

export const BOOTSTRAP_FILE = "bootstrap.cjs";
export const PROGRAM_FILE = "program.cjs";

/** What the host may send in one message: a tool result is at most 256 MiB of JSON. */
const MAX_HOST_MESSAGE_BYTES = 512 * 1024 * 1024;

interface BootstrapParts {
  /** The sandbox's folder: the bootstrap file's own, where the bundle is written. */
  readonly here: string;
  readonly programFunction: string;
  readonly channelKey: string;
  readonly maxHostMessage: number;
  readonly Socket: typeof import("node:net").Socket;
  readonly encodeFrame: typeof encodeFrame;
  readonly frameDecoder: typeof frameDecoder;
  readonly sandboxHint: typeof sandboxHint;
  readonly reportFailure: typeof reportFailure;
  readonly openChannel: typeof openChannel;
  readonly startProgram: typeof startProgram;
  /**
   * Runs the bundle, which hands the program's exports to `exportsTo`: `require` as written in
   * the file itself, of the file beside it.
   */
  readonly runProgram: (exportsTo: (exports: unknown) => void) => Promise<void>;
}

/**
 * What the sandbox refused, said plainly: Node's own message ("Access to this API has been
 * restricted") names neither the resource nor the rule. Empty when `error` is not a refusal.
 */
function sandboxHint(error: unknown): string {
  const e = (typeof error === "object" && error !== null ? error : {}) as Record<string, unknown>;
  if (e.code === "ERR_ACCESS_DENIED") {
    const what = typeof e.resource === "string" && e.resource !== "" ? ` (${e.resource})` : "";
    return `the sandbox refused ${String(e.permission ?? "this")}${what}: a program may read its own code and workspace/, write only workspace/, and may not start processes, threads or native addons`;
  }
  // fetch() puts the socket's error in `cause`.
  const cause = (typeof e.cause === "object" && e.cause !== null ? e.cause : {}) as {
    code?: unknown;
  };
  const network = ["ENETUNREACH", "EAI_AGAIN", "ENOTFOUND", "ECONNREFUSED"];
  if (network.includes(String(e.code)) || network.includes(String(cause.code))) {
    return "the sandbox has no network: reach outside systems through the MCP servers' tools";
  }
  return "";
}

/**
 * Prints the program's failure on stderr and sets exit code 1. `here` is the sandbox's own
 * folder: the program knows its files by the names of its project (`task.ts`, `servers/…`),
 * so stack traces use those.
 */
function reportFailure(
  error: unknown,
  here: string,
  programFunction: string,
  hint: typeof sandboxHint,
): void {
  const text =
    error instanceof Error ? (error.stack ?? String(error)) : `Uncaught ${String(error)}`;
  // Frames of Node's module loader, of this file and of mcp-codegen's own runtime say nothing
  // about the program (and name files a project does not have).
  const frames = text
    .split(`file://${here}`)
    .join("")
    .split(here)
    .join("")
    // The program's top level (the bundle's function: program-module.ts) as a module's has no name.
    .replace(new RegExp(`^(\\s+at (?:async )?)${programFunction} \\((.*)\\)$`, "gm"), "$1$2")
    .split("\n")
    .filter(
      (line) =>
        !(/^\s+at /.test(line) && /node:internal|bootstrap\.cjs|[(\s]mcp-codegen\//.test(line)),
    )
    .join("\n");
  const cause =
    error instanceof Error && error.cause instanceof Error
      ? `\n  cause: ${error.cause.message}`
      : "";
  const note = hint(error);
  process.stderr.write(`${frames}${cause}\n${note ? `mcp-codegen run: ${note}\n` : ""}`);
  process.exitCode = 1;
}

/**
 * Opens the channel to the host on descriptor 3 and leaves it on `globalThis` for the
 * program's runtime. The handlers are the runtime's, for every message after "start".
 */
function openChannel(parts: BootstrapParts): {
  readonly socket: import("node:net").Socket;
  readonly channel: HostChannel;
  readonly handlers: ((message: unknown) => void)[];
} {
  const socket = new parts.Socket({ fd: 3, readable: true, writable: true });
  const handlers: ((message: unknown) => void)[] = [];
  const channel: HostChannel = {
    send: (message) => void socket.write(parts.encodeFrame(message)),
    onMessage: (handler) => void handlers.push(handler),
    hold: (held) => void (held ? socket.ref() : socket.unref()),
  };
  Object.defineProperty(globalThis, Symbol.for(parts.channelKey), { value: channel });
  // The runner is gone (it exited, or was killed): nobody will start this program, answer its
  // tool calls, or read what it prints.
  const gone = () => process.exit(1);
  socket.once("end", gone);
  socket.once("error", gone);
  return { socket, channel, handlers };
}

/**
 * On "start": sets the environment the message carries, then runs the program, calls a
 * default-exported function and prints what it returns as JSON; a failure goes to `report`.
 */
function startProgram(
  message: unknown,
  socket: import("node:net").Socket,
  parts: BootstrapParts,
  report: (error: unknown) => void,
): void {
  const env = (message as { env?: Record<string, string> } | null)?.env ?? {};
  // The variables the config lets the program see (Node started with none; bwrap sets PWD).
  delete process.env.PWD;
  Object.assign(process.env, env);
  // From now on only the program's own requests keep the channel (and the process) alive.
  socket.unref();
  void (async () => {
    try {
      let program: { default?: unknown } = {};
      // Off the channel's event: the program's stack starts with its own code, as a module's.
      await Promise.resolve();
      await parts.runProgram((exports) => (program = exports as typeof program));
      if (typeof program.default === "function") {
        const value: unknown = await (program.default as () => unknown)();
        if (value !== undefined) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      }
    } catch (error) {
      report(error);
    }
  })();
}

function bootstrap(parts: BootstrapParts): void {
  // Taken before the program runs, as the folder's name is what its stack traces are cut by.
  const { here, reportFailure, sandboxHint } = parts;
  const report = (error: unknown) => reportFailure(error, here, parts.programFunction, sandboxHint);
  const { socket, channel, handlers } = parts.openChannel(parts);
  let started = false;
  socket.on(
    "data",
    parts.frameDecoder(
      parts.maxHostMessage,
      (message) => {
        if (started) for (const handler of handlers) handler(message);
        else {
          started = true;
          parts.startProgram(message, socket, parts, report);
        }
      },
      (problem) => {
        process.stderr.write(`mcp-codegen run: the runner sent ${problem}\n`);
        process.exit(1);
      },
    ),
  );
  // Node makes the stdout and stderr streams on first use (~1 ms): before the program starts.
  void process.stdout;
  void process.stderr;
  // Once nothing is left to run, Node's own exit takes the heap down first: 1 ms for a small
  // one, ~9 ms with 200,000 objects. process.exit does not, and the run ends when this process
  // has. Unless the program waits for the moment itself. (Writes to pipes are synchronous.)
  process.on("beforeExit", () => {
    if (process.listenerCount("beforeExit") === 1) process.exit();
  });
  channel.send({ type: "ready" });
}

export const BOOTSTRAP_SOURCE = `// mcp-codegen run: starts the bundled program when the host says it is ready.
"use strict";
const { Socket } = require("node:net");
// Under tsx, functions are compiled with esbuild's keepNames, which calls this helper.
const __name = (target) => target;
(${bootstrap.toString()})({
  here: \`\${__dirname}/\`,
  programFunction: ${JSON.stringify(PROGRAM_FUNCTION)},
  channelKey: ${JSON.stringify(CHANNEL_KEY)},
  maxHostMessage: ${MAX_HOST_MESSAGE_BYTES},
  Socket,
  encodeFrame: ${encodeFrame.toString()},
  frameDecoder: ${frameDecoder.toString()},
  sandboxHint: ${sandboxHint.toString()},
  reportFailure: ${reportFailure.toString()},
  openChannel: ${openChannel.toString()},
  startProgram: ${startProgram.toString()},
  runProgram: (exportsTo) => require(${JSON.stringify(`./${PROGRAM_FILE}`)})(exportsTo),
});
`;
