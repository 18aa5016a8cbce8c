/**
 * The second half of resolving a config: `${VAR}` filled in, paths made absolute, defaults set.
 */
import { compareCodeUnits } from "../compare.js";
import * as path from "node:path";
import { ConfigError } from "../errors.js";
import type { ConfigIssue } from "../errors.js";
import { interpolateServer } from "./interpolate.js";
import { issueAt, problemsMessage } from "./issues.js";
import { collectSecrets } from "./secrets.js";
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_RUN_CONFIG,
  DEFAULT_RUNTIME_SETTINGS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from "./types.js";
import type {
  ResolvedConfig,
  ResolvedServer,
  ResolvedTransport,
  ServerConfig,
  UserConfig,
} from "./types.js";
import { isHttpUrl } from "./http-url.js";

/** What resolving needs besides the config itself; nothing is read from the process. */
export interface ResolveContext {
  /** Absolute path of the config file, for messages. */
  readonly file?: string;
  /** Absolute folder that relative paths in the config (`outDir`, `cwd`) are resolved against. */
  readonly root: string;
  /** Absolute folder the command runs in: a JSON config without `outDir` writes here. */
  readonly cwd: string;
  /** The environment `${VAR}` reads. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** True for a client's JSON config (`.mcp.json`, VS Code's `mcp.json`). */
  readonly jsonConfig?: boolean;
  /** Predefined `${name}` values that are not secrets, e.g. VS Code's `workspaceFolder`. */
  readonly vars?: Readonly<Record<string, string>>;
}

/**
 * Interpolates and completes a config whose validation already ran (`validationIssues` is what
 * it found): every problem (invalid fields, missing environment variables) is reported at once
 * in one ConfigError. Pure: no disk, no process.env. Servers come out sorted by name in
 * code-unit order, disabled ones included. Kept apart from validation, which loads zod (~70
 * ms), so that a config already known to be valid is resolved without it.
 */
export function completeConfig(
  raw: UserConfig,
  ctx: ResolveContext,
  validationIssues: readonly ConfigIssue[],
): ResolvedConfig {
  const issues: ConfigIssue[] = [...validationIssues];
  const filledServers: { name: string; server: ServerConfig; substituted: readonly string[] }[] =
    [];
  const entries = isRecord(raw) && isRecord(raw.servers) ? Object.entries(raw.servers) : [];
  for (const [name, server] of entries) {
    if (!isRecord(server)) continue; // validation has said so
    const at = ["servers", name];
    const disabled = server.disabled === true;
    const result = interpolateServer(server, at, {
      env: ctx.env,
      vars: ctx.vars,
      lenient: disabled,
    });
    issues.push(...result.issues);
    const filled = result.value as unknown as ServerConfig;
    // Validation skipped a URL holding `${…}`; only now does it have its value.
    if (
      typeof server.url === "string" &&
      server.url.includes("${") &&
      "url" in filled &&
      typeof filled.url === "string" &&
      result.issues.length === 0 &&
      !disabled &&
      !isHttpUrl(filled.url)
    ) {
      issues.push(
        issueAt([...at, "url"], "must be a URL (http or https) once its variables are filled in"),
      );
    }
    filledServers.push({ name, server: filled, substituted: result.substituted });
  }
  if (issues.length > 0) throw new ConfigError(problemsMessage(issues), issues, ctx.file);
  // Only a config without issues has the shapes resolveServer relies on.
  const servers = filledServers.map((s) =>
    resolveServer(s.name, s.server, s.substituted, ctx.root),
  );

  const outDir =
    raw.outDir !== undefined
      ? path.resolve(ctx.root, raw.outDir)
      : ctx.jsonConfig
        ? ctx.cwd
        : ctx.root;
  return {
    file: ctx.file,
    root: ctx.root,
    outDir,
    concurrency: raw.concurrency ?? DEFAULT_CONCURRENCY,
    servers: servers.sort((a, b) => compareCodeUnits(a.name, b.name)),
    runtime: {
      onDrift: raw.onDrift ?? DEFAULT_RUNTIME_SETTINGS.onDrift,
      validateOutput: raw.validateOutput ?? DEFAULT_RUNTIME_SETTINGS.validateOutput,
      maxResultBytes: raw.maxResultBytes ?? DEFAULT_RUNTIME_SETTINGS.maxResultBytes,
    },
    run: {
      env: [...new Set(raw.run?.env ?? DEFAULT_RUN_CONFIG.env)].sort(compareCodeUnits),
      timeoutMs: raw.run?.timeout ?? DEFAULT_RUN_CONFIG.timeoutMs,
      memoryMb: raw.run?.memory ?? DEFAULT_RUN_CONFIG.memoryMb,
      maxOutputBytes: raw.run?.maxOutput ?? DEFAULT_RUN_CONFIG.maxOutputBytes,
      maxWorkspaceMb: raw.run?.maxWorkspace ?? DEFAULT_RUN_CONFIG.maxWorkspaceMb,
    },
  };
}

/** Defaults and the transport of one validated, interpolated server. */
function resolveServer(
  name: string,
  server: ServerConfig,
  substituted: readonly string[],
  root: string,
): ResolvedServer {
  let transport: ResolvedTransport;
  if ("command" in server) {
    transport = {
      kind: "stdio",
      command: server.command,
      args: server.args ?? [],
      env: server.env ?? {},
      cwd: path.resolve(root, server.cwd ?? "."),
    };
  } else {
    transport = {
      kind: "http",
      url: server.url,
      headers: server.headers ?? {},
      // Clients write `type: "sse"` for the legacy transport; an explicit `transport` wins.
      mode: server.transport ?? (server.type === "sse" ? "sse" : "auto"),
    };
  }
  return {
    name,
    transport,
    include: server.include ?? [],
    exclude: server.exclude ?? [],
    connectTimeoutMs: server.timeout ?? DEFAULT_CONNECT_TIMEOUT_MS,
    requestTimeoutMs: server.timeout ?? DEFAULT_REQUEST_TIMEOUT_MS,
    disabled: server.disabled ?? false,
    secrets: collectSecrets({
      args: transport.kind === "stdio" ? transport.args : undefined,
      env: transport.kind === "stdio" ? transport.env : undefined,
      headers: transport.kind === "http" ? transport.headers : undefined,
      url: transport.kind === "http" ? transport.url : undefined,
      substituted,
    }),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
