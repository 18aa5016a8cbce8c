/** `mcp-codegen daemon`: keeps the config's servers connected for `run` (see src/runner/daemon). */
import { isFile } from "../config/find.js";
import { loadConfig } from "../config/load.js";
import { ConfigError } from "../errors.js";
import { startDaemon } from "../runner/daemon.js";
import type { DaemonMessage } from "../runner/daemon-messages.js";
import { ask, daemonSocketPath } from "../runner/daemon-socket.js";
import { plural } from "../plural.js";
import { daemonTokenPath, readToken } from "../runner/daemon-token.js";
import { configFileFor } from "./config-file.js";
import type { CommandContext } from "./context.js";
import { untilStopped } from "./until-stopped.js";

export interface DaemonFlags {
  readonly config?: string;
  readonly stop?: boolean;
  readonly status?: boolean;
}

/**
 * `--status` when no daemon serves the config: 3, as service managers say "not running", so that
 * a script tells it from 1, a failure (no config found, say).
 */
const NOT_RUNNING = 3;

export async function runDaemon(flags: DaemonFlags, ctx: CommandContext): Promise<number> {
  const file = configFileFor(flags.config, ctx.cwd);
  const socketPath = daemonSocketPath(file) ?? "";
  if (flags.status || flags.stop) {
    if (!isFile(file)) {
      throw new ConfigError(
        `The config ${file} does not exist. Pass --config <file> of a project.`,
      );
    }
    // Asked with the daemon's token, like a run: a daemon answers only those who can read it.
    const tokenPath = daemonTokenPath(file);
    const token = tokenPath === undefined ? undefined : readToken(tokenPath);
    const request = { type: flags.status ? "status" : "stop", token };
    // The daemon of our own config, proved by the token we read: its replies are as it wrote them.
    const reply =
      token === undefined ? undefined : ((await ask(socketPath, request)) as DaemonMessage | null);
    if (flags.status) {
      if (reply?.type !== "status") {
        ctx.stdout.write(`not running for ${file}\n`);
        return NOT_RUNNING;
      }
      const { pid, running, queued } = reply;
      ctx.stdout.write(
        `running for ${file} (${socketPath}): pid ${pid}, ${plural(running, "run")} under way, ${queued} waiting\n`,
      );
      return 0;
    }
    ctx.stderr.write(
      reply?.type === "stopping"
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
    `mcp-codegen daemon: serving ${plural(config.servers.filter((s) => !s.disabled).length, "server")} of ${file} on ${daemon.socketPath}; \`mcp-codegen run\` uses it. Stop with Ctrl-C or \`mcp-codegen daemon --stop\`.\n`,
  );
  await untilStopped(daemon);
  return 0;
}
