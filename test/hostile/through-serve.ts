/**
 * The hostile suite through `serve`: a program `runHostile` would hand to `mcp-codegen run` is
 * sent as `execute_code` to `mcp-codegen serve` for the same project (over stdio, with the same
 * canaries in its environment), and serve's answer is read back as the run's exit code, stdout
 * and stderr, so that every assertion of the suite holds for serve as it does for run.
 * `run`'s limit flags become the config's `run` settings for that call (serve takes no limits
 * from its client).
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll } from "vitest";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { ROOT, type CliResult } from "../e2e/cli.js";

const BIN = path.join(ROOT, "bin/mcp-codegen.js");
const CONFIG_NAME = "codegen.config.mjs";
/** The `clientInfo.name` the suite's client gives: its workspace follows from it. */
export const SERVE_CLIENT_NAME = "hostile-suite";
/** `run`'s limit flags and the config settings serve reads them from. */
const LIMIT_SETTINGS: Readonly<Record<string, string>> = {
  "--timeout": "timeout",
  "--memory": "memory",
  "--max-output": "maxOutput",
  "--max-workspace": "maxWorkspace",
};

interface RunOptionsSeen {
  readonly daemon?: boolean;
  readonly file?: string;
  readonly measure?: boolean;
}

/**
 * Whether serve has an equivalent of this run: limits, yes; `--typecheck`, the daemon, a
 * program file other than the default (serve's programs have no file or folder of their own)
 * or a measured process tree, no.
 */
export function throughServe(args: readonly string[], options: RunOptionsSeen): boolean {
  if (options.daemon || options.measure || options.file !== undefined) return false;
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    if (LIMIT_SETTINGS[flag] === undefined) return false;
    i++;
  }
  return true;
}

/** A serve started for one project, config and environment, kept for the file's later calls. */
interface ServeSession {
  readonly client: Client;
  closed: boolean;
}

/**
 * Serves kept open for the rest of the test file, by project, config (with the call's limits)
 * and canaries: serve's clients start it once and send it many programs, and starting one per
 * program made this suite twice as slow as through `run`. A serve that went away (a program
 * brought it down: a finding, which its test reports) is started again for the next call.
 */
const sessions = new Map<string, Promise<ServeSession>>();

afterAll(async () => {
  const open = [...sessions.values()];
  sessions.clear();
  await Promise.all(open.map(async (session) => (await session).client.close().catch(() => {})));
});

/** Runs `program` through a serve started for the project, with `args`' limits in its config. */
export async function executeThroughServe(
  project: string,
  canaries: { home: string; envSecret: string },
  program: string,
  args: readonly string[],
): Promise<CliResult & { ms: number }> {
  const config = withLimits(readFileSync(path.join(project, CONFIG_NAME), "utf8"), args);
  const key = JSON.stringify([project, config, canaries.home, canaries.envSecret]);
  let session = sessions.get(key);
  if (session === undefined || (await session).closed) {
    session = startServe(project, canaries, configFileWith(project, config, args));
    sessions.set(key, session);
  }
  const { client } = await session;
  // Timed from the call: serve's own start is not the run's (a run of `run` includes its
  // start, but serve's clients start it once, not per program).
  const started = Date.now();
  const result = await client.callTool(
    { name: "execute_code", arguments: { code: program } },
    { timeout: 120_000 },
  );
  return { ...asRunResult(result.content as { text?: string }[]), ms: Date.now() - started };
}

/**
 * The config file for a serve: the project's own, or with limits a file of their own beside it,
 * kept as long as the serve may read it (the project's file stays the suite's to change).
 */
function configFileWith(project: string, config: string, args: readonly string[]): string {
  if (args.length === 0) return CONFIG_NAME;
  const name = `codegen.limits-${createHash("sha256").update(config).digest("hex").slice(0, 12)}.config.mjs`;
  writeFileSync(path.join(project, name), config);
  return name;
}

/** serve for `project` with `configFile`, its client connected. */
async function startServe(
  project: string,
  canaries: { home: string; envSecret: string },
  configFile: string,
): Promise<ServeSession> {
  const client = new Client({ name: SERVE_CLIENT_NAME, version: "1.0.0" });
  client.setVersionNegotiation({ mode: "auto" });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, "serve", "--config", configFile],
    cwd: project,
    env: {
      ...(process.env as Record<string, string>),
      HOME: canaries.home,
      HOSTILE_ENV_SECRET: canaries.envSecret,
    },
    stderr: "ignore",
  });
  const session: ServeSession = { client, closed: false };
  await client.connect(transport);
  client.onclose = () => (session.closed = true);
  return session;
}

/** The config (`export default {…};`, as the suite writes it) with `args`' limits in `run`. */
function withLimits(config: string, args: readonly string[]): string {
  if (args.length === 0) return config;
  const json = /^export default ([\s\S]*);\s*$/.exec(config)?.[1];
  if (json === undefined) throw new Error(`cannot set limits in ${CONFIG_NAME}:\n${config}`);
  const parsed = JSON.parse(json) as { run?: Record<string, number> };
  const run = { ...parsed.run };
  for (let i = 0; i < args.length; i += 2) run[LIMIT_SETTINGS[args[i]!]!] = Number(args[i + 1]);
  return `export default ${JSON.stringify({ ...parsed, run }, null, 2)};\n`;
}

/** serve's answer as `run` would have printed it: its stdout, its stderr, its exit code. */
function asRunResult(content: readonly { text?: string }[]): CliResult {
  let stdout = "";
  let stderr = "";
  let code = 0;
  for (const { text = "" } of content) {
    const exit = /^\[exit (\d+): [^\]]*\]$/.exec(text);
    if (exit) code = Number(exit[1]);
    else if (text.startsWith("[stderr]\n")) stderr += text.slice("[stderr]\n".length);
    else if (text.startsWith("busy, retry")) {
      stderr += text;
      code = 1;
    } else stdout += text;
  }
  return { code, stdout, stderr };
}
