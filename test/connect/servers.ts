/**
 * Test helpers: ResolvedServer values for the real servers the tests start (the official ones in
 * node_modules and the repo's fixtures), and process checks that see through zombies.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { ResolvedServer } from "../../src/config/types.js";
import type { Connection } from "../../src/connect/index.js";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const FIXTURES = join(ROOT, "fixtures/servers");

/** The entry point of an official server package, e.g. `officialServer("memory")`. */
export function officialServer(name: "memory" | "everything" | "filesystem"): string {
  return join(ROOT, `node_modules/@modelcontextprotocol/server-${name}/dist/index.js`);
}

const defaults = {
  include: [],
  exclude: [],
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 5_000,
  disabled: false,
  secrets: [],
  policy: { allow: [], deny: [], approveTools: [], approveDestructive: false },
} satisfies Partial<ResolvedServer>;

/** A stdio server started as `command args…` in the repo root. */
export function stdioServer(
  name: string,
  command: string,
  args: readonly string[],
  overrides: Partial<Omit<ResolvedServer, "transport">> & { env?: Record<string, string> } = {},
): ResolvedServer {
  const { env = {}, ...rest } = overrides;
  return {
    name,
    transport: { kind: "stdio", command, args, env, cwd: ROOT },
    ...defaults,
    ...rest,
  };
}

/** A fixture server script run with node: `fixture("crash")` → `node fixtures/servers/crash.mjs`. */
export function fixture(
  script: string,
  args: readonly string[] = [],
  overrides: Parameters<typeof stdioServer>[3] = {},
): ResolvedServer {
  return stdioServer(
    script,
    process.execPath,
    [join(FIXTURES, `${script}.mjs`), ...args],
    overrides,
  );
}

export function httpServer(
  name: string,
  url: string,
  mode: "auto" | "streamable-http" | "sse",
  overrides: Partial<Omit<ResolvedServer, "transport">> & { headers?: Record<string, string> } = {},
): ResolvedServer {
  const { headers = {}, ...rest } = overrides;
  return { name, transport: { kind: "http", url, headers, mode }, ...defaults, ...rest };
}

/**
 * Whether a process is still running. `process.kill(pid, 0)` also succeeds for a zombie, and in
 * this test environment orphans are not always reaped (PID 1 is not an init), so a killed
 * grandchild can linger as a zombie: that counts as gone.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

/** Pids of running processes whose environment holds `name=value` (Linux /proc). */
export function processesWithEnv(name: string, value: string): number[] {
  const needle = `${name}=${value}`;
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, "utf8").split("\0");
      if (environ.includes(needle) && isRunning(Number(entry))) found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** Polls `check` every 20 ms until it returns a value other than undefined, or throws after `ms`. */
export async function eventually<T>(check: () => T | undefined, ms = 3_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Runs `promise` and returns what it rejected with (fails the test if it resolved). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection, but the promise resolved");
}

const ToolNames = z.looseObject({ tools: z.array(z.looseObject({ name: z.string() })) });

/** The names of the tools a connected server lists on its first page. */
export async function listToolNames(connection: Connection): Promise<string[]> {
  const { tools } = await connection.request("tools/list", {}, ToolNames);
  return tools.map((tool) => tool.name);
}
