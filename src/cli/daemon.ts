/** `mcp-codegen daemon`: keeps the config's servers connected for `run` (see src/runner/daemon). */
import { loadConfig } from "../config/load.js";
import { startDaemon } from "../runner/daemon.js";
import { daemonSocketPath, replied } from "../runner/daemon-socket.js";
import { configFileFor } from "./config-file.js";
import type { CommandContext } from "./context.js";

export interface DaemonFlags {
  readonly config?: string;
  readonly stop?: boolean;
  readonly status?: boolean;
}

export async function runDaemon(flags: DaemonFlags, ctx: CommandContext): Promise<number> {
  const file = configFileFor(flags.config, ctx.cwd);
  const socketPath = daemonSocketPath(file) ?? "";
  if (flags.status) {
    const up = await replied(socketPath, { type: "hello" });
    ctx.stdout.write(up ? `running for ${file} (${socketPath})\n` : `not running for ${file}\n`);
    return up ? 0 : 1;
  }
  if (flags.stop) {
    const stopped = await replied(socketPath, { type: "stop" });
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
