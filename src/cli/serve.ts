/** `mcp-codegen serve`: code mode for any MCP client (see src/serve/serve.ts). */
import { loadConfig } from "../config/load.js";
import { plural } from "../plural.js";
import { startServe } from "../serve/serve.js";
import { configFileFor } from "./config-file.js";
import type { CommandContext } from "./context.js";
import type { ListenAddress } from "./listen-address.js";
import { untilStopped } from "./until-stopped.js";

export interface ServeFlags {
  readonly config?: string;
  /** `--http [host:]port`: Streamable HTTP instead of stdio. */
  readonly http?: ListenAddress;
}

export async function runServe(flags: ServeFlags, ctx: CommandContext): Promise<number> {
  const { http } = flags;
  const file = configFileFor(flags.config, ctx.cwd);
  const config = await loadConfig({ configFile: file, cwd: ctx.cwd, env: ctx.env });
  const log = (line: string) => ctx.stderr.write(`mcp-codegen serve: ${line}\n`);
  const serving = await startServe(config, { log, env: ctx.env, ...(http ? { http } : {}) });
  const servers = plural(config.servers.filter((s) => !s.disabled).length, "server");
  log(`serving ${servers} of ${file} ${serving.url ? `on ${serving.url}` : "on stdio"}`);
  await untilStopped(serving);
  return 0;
}
