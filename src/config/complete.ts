/**
 * The second half of resolving a config: `${VAR}` filled in, paths made absolute, defaults set.
 */
import { compareCodeUnits } from "../compare.js";
import * as path from "node:path";
import { ConfigError } from "../errors.js";
import type { ConfigIssue } from "../errors.js";
import { readEnvFile } from "./env-file.js";
import { interpolateServer } from "./interpolate.js";
import { closestName, issueAt, problemsMessage } from "./issues.js";
import { collectSecrets, type Substitution } from "./secrets.js";
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_RUN_CONFIG,
  DEFAULT_RUNTIME_SETTINGS,
  DEFAULT_SERVE_CONFIG,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  PRIVACY_KINDS,
} from "./types.js";
import type {
  AuthConfig,
  PrivacyConfig,
  ResolvedAuth,
  ResolvedPrivacy,
  ResolvedConfig,
  ResolvedServer,
  ResolvedToolOutput,
  ResolvedTransport,
  ServerConfig,
  ToolOutputConfig,
  UserConfig,
} from "./types.js";
import { isHttpUrl } from "./http-url.js";
import { isRecord } from "../plain-json.js";

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
  /** Reads a server's `envFile` (the loader passes the disk). Without it an envFile is a problem. */
  readonly readFile?: (file: string) => string;
  /** The key the file keeps its servers under (`mcpServers`), for paths in messages. */
  readonly serversKey?: string;
  /**
   * The OAuth tokens stored for a server's URL (the loader reads the user's token store), so
   * that redaction knows them: a server that echoes one shows it nowhere. Default: none.
   */
  readonly storedTokens?: (url: string) => readonly string[];
}

/** One server's config with its strings filled in, and what filling them found. */
interface FilledServer {
  readonly name: string;
  readonly server: ServerConfig;
  readonly substituted: readonly Substitution[];
  readonly unusable: readonly ConfigIssue[];
}

/**
 * Interpolates and completes a config whose validation already ran (`validationIssues` is what
 * it found): every problem in the config is reported at once in one ConfigError. What only
 * this environment lacks (an unset variable, a VS Code input, a missing envFile) is not a
 * problem of the config: that server comes out `unusable`, the others work. Pure: no
 * process.env, and no disk but `ctx.readFile` for envFiles. Servers come out sorted by name in
 * code-unit order, disabled ones included. Kept apart from validation, which loads zod (~70
 * ms), so that a config already known to be valid is resolved without it.
 */
export function completeConfig(
  raw: UserConfig,
  ctx: ResolveContext,
  validationIssues: readonly ConfigIssue[],
): ResolvedConfig {
  const issues: ConfigIssue[] = [...validationIssues];
  const filledServers: FilledServer[] = [];
  const entries = isRecord(raw) && isRecord(raw.servers) ? Object.entries(raw.servers) : [];
  for (const [name, server] of entries) {
    if (!isRecord(server)) continue; // validation has said so
    const filled = fillServer(name, server, ctx);
    issues.push(...filled.issues);
    filledServers.push(filled);
  }
  if (issues.length > 0) throw new ConfigError(problemsMessage(issues), issues, ctx.file);
  // Only a config without issues has the shapes resolveServer relies on.
  const servers = filledServers.map((s) => resolveServer(s, ctx, raw.privacy));

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
    serve: {
      maxRuns: raw.serve?.maxRuns ?? DEFAULT_SERVE_CONFIG.maxRuns,
      maxQueue: raw.serve?.maxQueue ?? DEFAULT_SERVE_CONFIG.maxQueue,
      maxOutputBytes: raw.serve?.maxOutput ?? DEFAULT_SERVE_CONFIG.maxOutputBytes,
      ...(raw.serve?.token !== undefined ? { token: raw.serve.token } : {}),
    },
  };
}

/**
 * Fills in one server: `${VAR}` (and VS Code's forms), then its `envFile` under its `env`.
 * `issues` are mistakes in the config; `unusable` are what this environment lacks (an unset
 * variable, an input, a missing envFile), which make only this server fail when used.
 */
function fillServer(
  name: string,
  server: Record<string, unknown>,
  ctx: ResolveContext,
): FilledServer & { readonly issues: readonly ConfigIssue[] } {
  const at = [ctx.serversKey ?? "servers", name];
  const disabled = server.disabled === true;
  const result = interpolateServer(server, at, { env: ctx.env, vars: ctx.vars, lenient: disabled });
  const issues = [...result.issues];
  const unusable = [...result.unfilled];
  const filled = { ...result.value };
  const envFile = filled.envFile;
  // A path still holding `${…}` could not be filled; that is already said.
  if (typeof envFile === "string" && !disabled && !envFile.includes("${")) {
    const read = readEnvFile(envFile, ctx.root, [...at, "envFile"], ctx.readFile);
    if ("problem" in read) unusable.push(read.problem);
    else filled.env = { ...read.vars, ...(isRecord(filled.env) ? filled.env : {}) };
  }
  const usable = !disabled && unusable.length === 0 && result.issues.length === 0;
  // Validation skipped a URL holding `${…}`; only now does it have its value.
  if (
    usable &&
    typeof server.url === "string" &&
    server.url.includes("${") &&
    typeof filled.url === "string" &&
    !isHttpUrl(filled.url)
  ) {
    issues.push(
      issueAt([...at, "url"], "must be a URL (http or https) once its variables are filled in"),
    );
  }
  if (usable) issues.push(...markedSecretIssues(filled, result.variables, at));
  return {
    name,
    server: filled as unknown as ServerConfig,
    substituted: result.substituted,
    unusable,
    issues,
  };
}

/**
 * A name in `secrets` that is nothing of this server's (a typo, most likely) would leave the
 * value it meant unprotected: each must be an env or envFile variable, a header, a `${VAR}`
 * the server reads, or a flag or `NAME=` in its args.
 */
function markedSecretIssues(
  server: Record<string, unknown>,
  variables: readonly string[],
  at: readonly PropertyKey[],
): ConfigIssue[] {
  const marked = server.secrets;
  if (!Array.isArray(marked)) return [];
  const keys = (value: unknown) => (isRecord(value) ? Object.keys(value) : []);
  const args = Array.isArray(server.args) ? server.args.filter((a) => typeof a === "string") : [];
  const headers = keys(server.headers);
  const known = [
    ...keys(server.env),
    ...variables,
    ...args.map((arg) => /^(-{0,2}[A-Za-z0-9_.-]+)=/.exec(arg)?.[1] ?? arg),
  ];
  return marked.flatMap((name: unknown, i) => {
    if (typeof name !== "string") return [];
    const lower = name.toLowerCase();
    if (known.includes(name) || headers.some((h) => h.toLowerCase() === lower)) return [];
    const near = closestName(name, [...known, ...headers]);
    return [
      issueAt(
        [...at, "secrets", i],
        `"${name}" is not an env variable, header, \${VAR} or args flag of this server` +
          (near === undefined ? "" : `; did you mean "${near}"?`),
      ),
    ];
  });
}

/** Defaults and the transport of one validated, interpolated server. */
/** How to reach the server: the process to start, or the URL with its headers and auth. */
function resolveTransport(server: FilledServer["server"], root: string): ResolvedTransport {
  if ("command" in server) {
    return {
      kind: "stdio",
      command: server.command,
      args: server.args ?? [],
      env: server.env ?? {},
      cwd: path.resolve(root, server.cwd ?? "."),
    };
  }
  return {
    kind: "http",
    url: server.url,
    headers: server.headers ?? {},
    // Clients write `type: "sse"` for the legacy transport; an explicit `transport` wins.
    mode: server.transport ?? (server.type === "sse" ? "sse" : "auto"),
    ...(server.auth !== undefined ? { auth: resolveAuth(server.auth) } : {}),
  };
}

function resolveServer(
  filled: FilledServer,
  ctx: ResolveContext,
  privacyForAll: PrivacyConfig | undefined,
): ResolvedServer {
  const { name, server, substituted, unusable } = filled;
  const privacy = resolvePrivacy(server.privacy ?? privacyForAll);
  const root = ctx.root;
  const transport = resolveTransport(server, root);
  const oauthSecrets =
    transport.kind === "http"
      ? [
          ...[transport.auth?.clientSecret, transport.auth?.privateKey].filter(
            (value): value is string => value !== undefined,
          ),
          ...(ctx.storedTokens?.(transport.url) ?? []),
        ]
      : [];
  return {
    name,
    transport,
    include: server.include ?? [],
    exclude: server.exclude ?? [],
    policy: {
      allow: server.allow ?? [],
      deny: server.deny ?? [],
      approveTools: server.approve?.tools ?? [],
      approveDestructive: server.approve?.destructive ?? false,
    },
    connectTimeoutMs: server.timeout ?? DEFAULT_CONNECT_TIMEOUT_MS,
    requestTimeoutMs: server.timeout ?? DEFAULT_REQUEST_TIMEOUT_MS,
    disabled: server.disabled ?? false,
    secrets: collectSecrets({
      args: transport.kind === "stdio" ? transport.args : undefined,
      env: transport.kind === "stdio" ? transport.env : undefined,
      headers: transport.kind === "http" ? transport.headers : undefined,
      url: transport.kind === "http" ? transport.url : undefined,
      substituted,
      marked: server.secrets ?? [],
      values: oauthSecrets,
    }),
    ...(unusable.length > 0 ? { unusable } : {}),
    ...(server.outputs ? { outputs: resolveOutputs(server.outputs, root) } : {}),
    ...(privacy ? { privacy } : {}),
  };
}

/** The kinds a privacy setting detects, in a fixed order; undefined when it is off. */
function resolvePrivacy(privacy: PrivacyConfig | undefined): ResolvedPrivacy | undefined {
  if (privacy === undefined || privacy === false) return undefined;
  const options = privacy === true ? {} : privacy;
  const wanted = options.detect ?? PRIVACY_KINDS;
  return {
    kinds: PRIVACY_KINDS.filter((kind) => wanted.includes(kind)),
    patterns: Object.entries(options.patterns ?? {})
      .map(([name, source]) => ({ name, source }))
      .sort((a, b) => compareCodeUnits(a.name, b.name)),
  };
}

/** Each configured output with its `from` made absolute (relative to the config's folder). */
function resolveOutputs(
  outputs: Readonly<Record<string, ToolOutputConfig>>,
  root: string,
): Record<string, ResolvedToolOutput> {
  return Object.fromEntries(
    Object.entries(outputs).map(([tool, output]): [string, ResolvedToolOutput] => [
      tool,
      "schema" in output
        ? { kind: "schema", schema: output.schema }
        : { kind: "type", type: output.type, file: path.resolve(root, output.from) },
    ]),
  );
}

function resolveAuth(auth: AuthConfig): ResolvedAuth {
  return {
    grant: auth.grant ?? "authorization_code",
    scopes: auth.scopes ?? [],
    ...(auth.clientId !== undefined ? { clientId: auth.clientId } : {}),
    ...(auth.clientSecret !== undefined ? { clientSecret: auth.clientSecret } : {}),
    ...(auth.privateKey !== undefined ? { privateKey: auth.privateKey } : {}),
    ...(auth.privateKeyAlgorithm !== undefined
      ? { privateKeyAlgorithm: auth.privateKeyAlgorithm }
      : {}),
    ...(auth.issuer !== undefined ? { issuer: auth.issuer } : {}),
    ...(auth.clientMetadataUrl !== undefined ? { clientMetadataUrl: auth.clientMetadataUrl } : {}),
    ...(auth.redirectPort !== undefined ? { redirectPort: auth.redirectPort } : {}),
  };
}
