/**
 * `mcp-codegen daemon`: runs programs for `mcp-codegen run` with everything already started:
 * the config's servers connected (spawning one costs 100–450 ms, a call on an open connection
 * well under 1 ms), esbuild loaded, and the next program's sandboxed Node booted and waiting.
 * `run` finds it by its socket, proves itself with the token beside it, sends the program, and
 * prints what comes back. The daemon trusts no client further: limits stay within the
 * config's, and only a few runs go at once.
 */
import { tmpdir } from "node:os";
import type { ResolvedConfig } from "../config/types.js";
import { DaemonConfig } from "./daemon-config.js";
import { serveConnection } from "./daemon-connection.js";
import { listenOn } from "./daemon-listener.js";
import type { DaemonMessage } from "./daemon-messages.js";
import { serveRun, type DaemonRuns } from "./daemon-runs.js";
import { claimSocketPath, daemonSocketPath } from "./daemon-socket.js";
import { daemonTokenPath } from "./daemon-token.js";
import { newToken, publishToken } from "./daemon-token-owner.js";
import { RunError } from "./errors.js";
import { keepOpen, type KeptOpen } from "./kept-open.js";
import type { RunSlots } from "./run-slots.js";
import type { runSandboxed } from "./run-sandboxed.js";

type Runtime = typeof import("../runtime/index.js");

export interface Daemon {
  readonly socketPath: string;
  /** The file holding the token clients must send. */
  readonly tokenPath: string;
  /** Resolves when the daemon has stopped (a `stop` request, or `close()`). */
  readonly stopped: Promise<void>;
  close(): Promise<void>;
}

export interface DaemonOptions {
  /** Lines for the operator (servers connected, config reloaded, failures). */
  readonly log: (line: string) => void;
  /** The environment the config reads (`${VAR}`) when it is reloaded. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Runs at once; the others wait in arrival order. Default: 2. */
  readonly maxRuns?: number;
  /** Boots the next program's sandbox before it comes (~100 ms a run). Default: true. */
  readonly warmSandbox?: boolean;
  /** What runs a program: the sandbox. Tests put a recorder here. */
  readonly runSandboxed?: typeof runSandboxed;
}

export async function startDaemon(
  initial: ResolvedConfig,
  options: DaemonOptions,
): Promise<Daemon> {
  const configFile = initial.file;
  if (configFile === undefined) throw new RunError("the daemon needs a config file");
  const { socketPath, tokenPath } = daemonPaths(configFile);
  await claimSocketPath(socketPath, configFile);
  const config = new DaemonConfig(initial, configFile, options.env, async (reloaded) => {
    await useReloadedConfig(kept.runtime, reloaded, options.log);
    await kept.warm?.reset(reloaded.run.memoryMb);
  });
  const kept = await keepDaemonOpen(initial, config, options);
  const runs: DaemonRuns = { config, kept };

  const token = newToken();
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const listener = await listenOn(socketPath, (socket) =>
    serveConnection(socket, {
      token,
      log: options.log,
      hello: (message) => config.hello(message),
      status: () => statusOf(configFile, kept.slots),
      stop: () => void close(),
      reload: () => reloadTree(kept.runtime, options.log),
      run: (client, message) => serveRun(client, message, runs),
    }),
  );
  let withdrawToken = () => {};
  try {
    // Written once the socket is ours: a daemon that lost the race for it leaves the winner's.
    withdrawToken = publishToken(tokenPath, token);
  } catch (error) {
    await close();
    throw error;
  }

  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    closing ??= (async () => {
      withdrawToken();
      await listener.close();
      await kept.close();
      stop();
    })();
    return closing;
  }
  return { socketPath, tokenPath, stopped, close };
}

/** The servers kept connected and the sandboxes kept warm, for the config as it is now. */
async function keepDaemonOpen(
  initial: ResolvedConfig,
  config: DaemonConfig,
  options: DaemonOptions,
): Promise<KeptOpen> {
  const { nobodyToAsk } = await import("../runtime/approver.js");
  return keepOpen(initial, {
    log: options.log,
    maxRuns: options.maxRuns ?? 2,
    ...(options.warmSandbox !== undefined ? { warmSandbox: options.warmSandbox } : {}),
    ...(options.runSandboxed ? { runSandboxed: options.runSandboxed } : {}),
    // The daemon is no one's terminal: a call that needs a person's yes fails, saying how to
    // be asked instead.
    approver: nobodyToAsk(
      "the daemon ran this program, and it has no terminal to ask on (`npx mcp-codegen run --no-daemon` asks on yours)",
    ),
    config: () => config.value,
  });
}

/** The config file changed: the runtime takes the new config, its servers start again on use. */
async function useReloadedConfig(
  runtime: Runtime,
  reloaded: ResolvedConfig,
  log: (line: string) => void,
): Promise<void> {
  runtime.setRuntimeConfig(reloaded);
  await runtime.closeConnections();
  log(`${reloaded.file} changed: reloaded; servers start again on first use`);
}

/**
 * `reload` (`generate --watch` regenerated the tree): each connection read the manifest when it
 * opened, so closing them makes the next ones read the new tree.
 */
async function reloadTree(runtime: Runtime, log: (line: string) => void): Promise<void> {
  await runtime.closeConnections();
  log("the tree was regenerated: servers start again on first use");
}

/** Where the socket and the token go: a private folder of ours, or the daemon cannot start. */
function daemonPaths(configFile: string): { socketPath: string; tokenPath: string } {
  const socketPath = daemonSocketPath(configFile);
  const tokenPath = daemonTokenPath(configFile);
  if (socketPath === undefined || tokenPath === undefined) {
    throw new RunError(
      `no private folder for the daemon's socket under ${tmpdir()} (it must belong to you and be closed to others); set TMPDIR to one`,
    );
  }
  return { socketPath, tokenPath };
}

function statusOf(configFile: string, slots: RunSlots): DaemonMessage {
  return {
    type: "status",
    pid: process.pid,
    configFile,
    running: slots.running,
    queued: slots.queued,
  };
}
