/** `mcp-codegen daemon`: keeps the config's servers connected for `run` (see src/runner/daemon). */
import * as path from "node:path";
import { findConfigFile, loadConfig } from "../config/index.js";
import { ConfigError } from "../errors.js";
import { answers, startDaemon } from "../runner/daemon.js";
import { daemonSocketPath, readLines, writeLine } from "../runner/daemon-socket.js";
import type { CommandContext } from "./context.js";

export interface DaemonFlags {
  readonly config?: string;
  readonly stop?: boolean;
  readonly status?: boolean;
}

export async function runDaemon(flags: DaemonFlags, ctx: CommandContext): Promise<number> {
  const file =
    flags.config !== undefined ? path.resolve(ctx.cwd, flags.config) : findConfigFile(ctx.cwd);
  if (file === undefined) {
    throw new ConfigError(
      `No mcp-codegen config found from ${ctx.cwd} upward; pass --config <file>.`,
    );
  }
  const socketPath = daemonSocketPath(file) ?? "";
  if (flags.status) {
    const up = await answers(socketPath);
    ctx.stdout.write(up ? `running for ${file} (${socketPath})\n` : `not running for ${file}\n`);
    return up ? 0 : 1;
  }
  if (flags.stop) {
    const stopped = await requestStop(socketPath);
    ctx.stderr.write(
      stopped
        ? `mcp-codegen daemon: stopped (${file})\n`
        : `mcp-codegen daemon: none running for ${file}\n`,
    );
    return 0;
  }
  const config = await loadConfig({ configFile: file, cwd: ctx.cwd, env: ctx.env });
  const daemon = await startDaemon(config, {
    log: (line) => ctx.stderr.write(`mcp-codegen daemon: ${line}\n`),
    env: ctx.env,
  });
  ctx.stderr.write(
    `mcp-codegen daemon: serving ${config.servers.filter((s) => !s.disabled).length} servers of ${file} on ${daemon.socketPath}; \`mcp-codegen run\` uses it. Stop with Ctrl-C or \`mcp-codegen daemon --stop\`.\n`,
  );
  const onSignal = () => void daemon.close();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  await daemon.stopped;
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  return 0;
}

async function requestStop(socketPath: string): Promise<boolean> {
  const { connect } = await import("node:net");
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, 2000);
    socket.once("error", () => {
      clearTimeout(timer);
      resolve(false);
    });
    socket.once("connect", () => writeLine(socket, { type: "stop" }));
    readLines(socket, () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(true);
    });
  });
}
