/**
 * `mcp-codegen serve`: an MCP server that gives any MCP client code mode over the config's
 * servers. It keeps what the daemon keeps open (kept-open.ts: servers connected, a sandbox
 * booted, a bound on runs at once) and serves it over stdio or Streamable HTTP.
 */
import type { ResolvedConfig } from "../config/types.js";
import { nobodyToAsk } from "../runtime/approver.js";
import { keepOpen } from "../runner/kept-open.js";
import type { runSandboxed } from "../runner/run-sandboxed.js";
import { routedApprover } from "./approvals.js";
import { tokenPrincipal } from "./client.js";
import type { Executor } from "./execute.js";
import { listenHttp } from "./http.js";
import { createMcpHandler, serveStdio } from "./sdk.js";
import { newServeServer } from "./server.js";
import { servedSkills } from "./skills.js";
import { serveToken } from "./token.js";

export interface ServeOptions {
  /** Lines for the operator, on stderr (stdout is the protocol's on stdio). */
  readonly log: (line: string) => void;
  /** The environment: the token variable, and what programs may read (`run.env`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Listen on HTTP here instead of serving stdio. */
  readonly http?: { readonly host: string; readonly port: number };
  /** Boots the next program's sandbox before it comes. Default: true. */
  readonly warmSandbox?: boolean;
  /** What runs a program: the sandbox. Tests put a recorder here. */
  readonly runSandboxed?: typeof runSandboxed;
}

export interface Serving {
  /** The HTTP endpoint, when serving HTTP. */
  readonly url?: string;
  /** Resolves once serve has stopped: stdin closed (stdio), or `close()`. */
  readonly stopped: Promise<void>;
  close(): Promise<void>;
}

export async function startServe(config: ResolvedConfig, options: ServeOptions): Promise<Serving> {
  // Checked before anything starts: no token for a non-loopback address is a refusal.
  const token = options.http
    ? serveToken(config.serve.token, options.env, options.http.host)
    : undefined;
  const kept = await keepOpen(config, {
    log: options.log,
    maxRuns: config.serve.maxRuns,
    // One booted sandbox for each slot: runs of several clients come at once.
    warmSandboxes: config.serve.maxRuns,
    ...(options.warmSandbox !== undefined ? { warmSandbox: options.warmSandbox } : {}),
    ...(options.runSandboxed ? { runSandboxed: options.runSandboxed } : {}),
    approver: routedApprover(nobodyToAsk("no client asked for this call")),
    config: () => config,
  });
  const skills = await servedSkills(config.outDir, options.log);
  const executor: Executor = { kept, config, env: options.env, skills };
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  let endTransport: () => Promise<void>;
  let url: string | undefined;
  if (options.http) {
    const principal = tokenPrincipal(token);
    const handler = createMcpHandler(() => newServeServer(executor, principal), {
      onerror: (error) => options.log(`protocol: ${error.message}`),
    });
    const listener = await listenHttp({ ...options.http, token, handler, log: options.log });
    url = listener.url;
    endTransport = () => listener.close();
  } else {
    const stdio = serveStdio(() => newServeServer(executor, "stdio"), {
      onerror: (error) => options.log(`protocol: ${error.message}`),
    });
    const onEnd = () => void close();
    process.stdin.once("end", onEnd);
    process.stdin.once("close", onEnd);
    endTransport = async () => {
      process.stdin.off("end", onEnd);
      process.stdin.off("close", onEnd);
      await stdio.close();
    };
  }
  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    closing ??= (async () => {
      await endTransport();
      await kept.close();
      stop();
    })();
    return closing;
  }
  return { ...(url !== undefined ? { url } : {}), stopped, close };
}
