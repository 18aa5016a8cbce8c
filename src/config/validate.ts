/**
 * Checking a raw config's shape (zod): every problem at once, each with its path and, for an
 * unknown field, a did-you-mean. `${VAR}` values are filled in and checked later, by
 * `complete.ts`.
 */
import { z } from "zod";
import { ConfigError } from "../errors.js";
import type { ConfigIssue } from "../errors.js";
import { closestName, issueAt, problemsMessage } from "./issues.js";
import { isHttpUrl } from "./http-url.js";
import { RUN_LIMITS, SERVE_LIMITS, type WholeRange } from "./run-limits.js";
import { isRecord } from "../plain-json.js";
import { PRIVACY_KINDS, type UserConfig } from "./types.js";

const MAX_TIMEOUT_MS = 10 * 60_000;
const NAME_RULE = /^[A-Za-z0-9_.-]{1,64}$/;

const str = z.string({ error: "must be a string" });
const nonEmpty = str.min(1, { error: "must not be empty" });
const stringArray = z.array(str, { error: "must be an array of strings" });
const stringMap = z.record(z.string(), str, {
  error: "must be an object whose values are strings",
});
const timeoutMessage = `must be a positive whole number of milliseconds, at most ${MAX_TIMEOUT_MS} (10 minutes)`;
const concurrencyMessage = "must be a whole number from 1 to 32";

const TYPE_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$/;
const outputSchema = z.union(
  [
    z.strictObject({
      schema: z.record(z.string(), z.unknown(), { error: "must be a JSON Schema object" }),
    }),
    z.strictObject({
      type: str.regex(TYPE_NAME, {
        error: "must be the name of an exported type, e.g. SearchResult",
      }),
      from: nonEmpty,
    }),
  ],
  {
    error:
      'must be { schema: <JSON Schema> } or { type: "<exported type>", from: "<file of the project>" }',
  },
);
const scopeName = str.regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, {
  error: "must be a scope name: printable characters without spaces, quotes or backslashes",
});

const authSchema = z
  .strictObject({
    grant: z
      .enum(["authorization_code", "client_credentials"], {
        error: 'must be "authorization_code" or "client_credentials"',
      })
      .optional(),
    clientId: nonEmpty.optional(),
    clientSecret: nonEmpty.optional(),
    privateKey: nonEmpty.optional(),
    privateKeyAlgorithm: z
      .enum(
        ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"],
        {
          error:
            "must be a JWS algorithm: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512 or EdDSA",
        },
      )
      .optional(),
    issuer: str
      .refine((url) => url.includes("${") || isHttpUrl(url), {
        error: "must be a URL (http or https)",
      })
      .optional(),
    scopes: z.array(scopeName, { error: "must be an array of scope names" }).optional(),
    clientMetadataUrl: str
      .refine((url) => url.includes("${") || isClientMetadataUrl(url), {
        error: "must be an https URL with a path (where the client's metadata document is)",
      })
      .optional(),
    redirectPort: z
      .number({ error: "must be a port number from 1024 to 65535" })
      .int({ error: "must be a port number from 1024 to 65535" })
      .min(1024, { error: "must be a port number from 1024 to 65535" })
      .max(65535, { error: "must be a port number from 1024 to 65535" })
      .optional(),
  })
  .superRefine((auth, ctx) => {
    const problem = (field: string, message: string) =>
      ctx.addIssue({ code: "custom", path: [field], message });
    if (auth.privateKey !== undefined && auth.clientSecret !== undefined) {
      problem("privateKey", 'authenticates the client like "clientSecret": keep one');
    }
    if (auth.grant !== "client_credentials") {
      if (auth.privateKey !== undefined)
        problem("privateKey", 'applies only to grant "client_credentials"');
      return;
    }
    if (auth.clientId === undefined)
      problem("clientId", 'is required with grant "client_credentials"');
    if (auth.issuer === undefined) {
      problem(
        "issuer",
        'is required with grant "client_credentials": the authorization server the credentials are for, so that no other is sent them',
      );
    }
    if (auth.clientSecret === undefined && auth.privateKey === undefined) {
      problem("clientSecret", 'is required with grant "client_credentials" (or "privateKey")');
    }
  });
const approveSchema = z.strictObject(
  {
    tools: stringArray.optional(),
    destructive: z.boolean({ error: "must be true or false" }).optional(),
  },
  { error: 'must be an object: { tools?: ["glob", …], destructive?: true }' },
);

/** The token names of the built-in kinds: a pattern of the config may not take one. */
const BUILT_IN_TOKENS = ["EMAIL", "PHONE", "CARD", "IBAN", "IP"];
/** Why `name` cannot name a configured pattern's tokens, or undefined. */
function patternNameProblem(name: string): string | undefined {
  if (!/^[A-Z][A-Z0-9_]{0,31}$/.test(name)) {
    return "must be a token name: 1 to 32 capital letters, digits and _, starting with a letter";
  }
  return BUILT_IN_TOKENS.includes(name)
    ? `is a built-in kind's token (${BUILT_IN_TOKENS.join(", ")}): name the pattern otherwise`
    : undefined;
}
const patternSource = str.superRefine((source, ctx) => {
  const problem = regexProblem(source);
  if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
});
const PRIVACY_KIND_LIST = '"email", "phone", "card", "iban", "ip"';
const privacyOptions = z.strictObject({
  detect: z
    .array(z.enum(PRIVACY_KINDS, { error: `must be one of ${PRIVACY_KIND_LIST}` }), {
      error: `must be an array of ${PRIVACY_KIND_LIST}`,
    })
    .optional(),
  patterns: z
    .record(z.string(), patternSource, {
      error: "must be an object of regular expressions by token name",
    })
    .optional(),
});
/**
 * `true`, `false` or the options. Not a zod union: a union reports one message for the whole
 * value, where a mistake inside the options should be reported at its own path.
 */
const privacySchema = z.unknown().superRefine((value, ctx) => {
  if (typeof value === "boolean") return;
  if (!isRecord(value)) {
    ctx.addIssue({
      code: "custom",
      message: 'must be true, false or { detect?: ["email", …], patterns?: { NAME: "regex" } }',
    });
    return;
  }
  for (const issue of privacyOptions.safeParse(value).error?.issues ?? [])
    ctx.addIssue({ ...issue });
  // Checked here, not by the record's key schema: zod reports a bad key with the record's message.
  for (const name of isRecord(value.patterns) ? Object.keys(value.patterns) : []) {
    const message = patternNameProblem(name);
    if (message !== undefined) ctx.addIssue({ code: "custom", path: ["patterns", name], message });
  }
});

const serverSchema = z.strictObject({
  command: nonEmpty.optional(),
  args: stringArray.optional(),
  env: stringMap.optional(),
  envFile: nonEmpty.optional(),
  cwd: nonEmpty.optional(),
  // A URL that still holds `${VAR}` is checked once it is filled in (see complete.ts).
  url: str
    .refine((url) => url.includes("${") || isHttpUrl(url), {
      error: "must be a URL (http or https)",
    })
    .optional(),
  headers: stringMap.optional(),
  transport: z
    .enum(["streamable-http", "sse"], { error: 'must be "streamable-http" or "sse"' })
    .optional(),
  type: z
    .enum(["stdio", "http", "streamable-http", "sse"], {
      error: 'must be "stdio", "http" or "sse"',
    })
    .optional(),
  include: stringArray.optional(),
  exclude: stringArray.optional(),
  timeout: z
    .number({ error: timeoutMessage })
    .int({ error: timeoutMessage })
    .positive({ error: timeoutMessage })
    .max(MAX_TIMEOUT_MS, { error: timeoutMessage })
    .optional(),
  disabled: z.boolean({ error: "must be true or false" }).optional(),
  secrets: z.array(nonEmpty, { error: "must be an array of names" }).optional(),
  outputs: z
    .record(nonEmpty, outputSchema, { error: "must be an object of output types by tool name" })
    .optional(),
  auth: authSchema.optional(),
  allow: stringArray.optional(),
  deny: stringArray.optional(),
  approve: approveSchema.optional(),
  privacy: privacySchema.optional(),
});

const maxResultRange: WholeRange = {
  min: 1024,
  max: 256 * 1024 ** 2,
  message: "must be a whole number of bytes from 1024 to 268435456 (256 MiB)",
};
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const wholeIn = ({ min, max, message }: WholeRange) =>
  z
    .number({ error: message })
    .int({ error: message })
    .min(min, { error: message })
    .max(max, { error: message });

const runSchema = z.strictObject({
  env: z
    .array(
      str.regex(ENV_NAME, { error: "must be an environment variable name (letters, digits, _)" }),
      { error: "must be an array of environment variable names" },
    )
    .optional(),
  timeout: wholeIn(RUN_LIMITS.timeout).optional(),
  memory: wholeIn(RUN_LIMITS.memory).optional(),
  maxOutput: wholeIn(RUN_LIMITS.maxOutput).optional(),
  maxWorkspace: wholeIn(RUN_LIMITS.maxWorkspace).optional(),
});

const serveSchema = z.strictObject({
  maxRuns: wholeIn(SERVE_LIMITS.maxRuns).optional(),
  maxQueue: wholeIn(SERVE_LIMITS.maxQueue).optional(),
  maxOutput: wholeIn(SERVE_LIMITS.maxOutput).optional(),
  token: z
    .string({ error: "must be a string (write process.env.NAME, not the token itself)" })
    .min(16, { error: "must be at least 16 characters (a random token)" })
    .optional(),
});

const topSchema = z.strictObject({
  outDir: nonEmpty.optional(),
  concurrency: z
    .number({ error: concurrencyMessage })
    .int({ error: concurrencyMessage })
    .min(1, { error: concurrencyMessage })
    .max(32, { error: concurrencyMessage })
    .optional(),
  onDrift: z.enum(["warn", "error"], { error: 'must be "warn" or "error"' }).optional(),
  validateOutput: z.boolean({ error: "must be true or false" }).optional(),
  maxResultBytes: wholeIn(maxResultRange).optional(),
  run: runSchema.optional(),
  serve: serveSchema.optional(),
  privacy: privacySchema.optional(),
  // Each server is checked on its own below, so that one bad server does not hide another's issues.
  servers: z.record(z.string(), z.unknown(), {
    error: "is required: an object of servers by name",
  }),
});

const SERVER_KEYS = Object.keys(serverSchema.shape);
const AUTH_KEYS = Object.keys(authSchema.shape);
const TOP_KEYS = Object.keys(topSchema.shape);
/** The fields of the objects nested in a server or the config, by the field holding them. */
const NESTED_KEYS: Readonly<Record<string, string[]>> = {
  approve: Object.keys(approveSchema.shape),
  auth: AUTH_KEYS,
  privacy: Object.keys(privacyOptions.shape),
  run: Object.keys(runSchema.shape),
  serve: Object.keys(serveSchema.shape),
};
const STDIO_ONLY = ["args", "env", "envFile", "cwd"] as const;
const HTTP_ONLY = ["headers", "transport", "auth"] as const;

/** Fields other tools use that we recognise, with the advice a plain "unknown field" would lack. */
const HINTS: Readonly<Record<string, string>> = {
  serverUrl: 'is not a field here: write "url"',
  httpUrl: 'is not a field here: write "url"',
};

/**
 * Every problem in a raw config, each with its path (`servers.github.url: must be a URL (http or
 * https)`). Returns an empty list when the config is valid. Does not fill in `${VAR}`.
 */
export function configIssues(raw: unknown): ConfigIssue[] {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return [
      issueAt([], "must be an object with a `servers` field (the config file's default export)"),
    ];
  }
  const issues = zodIssues(topSchema.safeParse(raw), [], TOP_KEYS);
  const servers = (raw as { servers?: unknown }).servers;
  if (typeof servers !== "object" || servers === null || Array.isArray(servers))
    return dedupe(issues);
  const entries = Object.entries(servers);
  if (entries.length === 0) issues.push(issueAt(["servers"], "must name at least one server"));
  const folders = new Map<string, string>();
  for (const [name, server] of entries) {
    issues.push(...nameIssues(name, folders));
    if (typeof server !== "object" || server === null || Array.isArray(server)) {
      issues.push(issueAt(["servers", name], 'must be an object with "command" or "url"'));
      continue;
    }
    issues.push(...zodIssues(serverSchema.safeParse(server), ["servers", name], SERVER_KEYS));
    issues.push(...kindIssues(server as Record<string, unknown>, ["servers", name]));
  }
  return dedupe(issues);
}

/**
 * Checks a raw config and returns it typed; throws one ConfigError listing every problem.
 * `file` names the config file in the message.
 */
export function validateConfig(raw: unknown, file?: string): UserConfig {
  const issues = configIssues(raw);
  if (issues.length > 0) throw new ConfigError(problemsMessage(issues), issues, file);
  return raw as UserConfig;
}

/** Names become folders under `servers/`, so they must be safe and distinct on every file system. */
function nameIssues(name: string, folders: Map<string, string>): ConfigIssue[] {
  const at = ["servers", name];
  if (!NAME_RULE.test(name) || /^\.+$/.test(name)) {
    return [
      issueAt(
        at,
        "a server name must be 1 to 64 letters, digits, '-', '_' or '.' (not only dots): it becomes a folder name",
      ),
    ];
  }
  // macOS and Windows fold case, so `GitHub` and `github` would share one folder there.
  const folded = name.toLowerCase();
  const other = folders.get(folded);
  folders.set(folded, name);
  return other === undefined
    ? []
    : [issueAt(at, `differs from "${other}" only in letter case; they would share one folder`)];
}

/** A server is stdio (`command`) or http (`url`): exactly one, and no field of the other kind. */
function kindIssues(server: Record<string, unknown>, at: string[]): ConfigIssue[] {
  const hasCommand = server.command !== undefined;
  const hasUrl = server.url !== undefined;
  if (hasCommand && hasUrl) {
    return [
      issueAt(at, 'has both "command" (a stdio server) and "url" (an http server); keep one'),
    ];
  }
  if (!hasCommand && !hasUrl) {
    return [
      issueAt(at, 'needs "command" (to start a stdio server) or "url" (to reach an http server)'),
    ];
  }
  const [wrong, kind] = hasCommand
    ? [HTTP_ONLY, 'http servers (with "url")']
    : [STDIO_ONLY, 'stdio servers (with "command")'];
  const issues = wrong
    .filter((key) => server[key] !== undefined)
    .map((key) => issueAt([...at, key], `applies only to ${kind}`));
  const type = server.type;
  if (hasCommand && type !== undefined && type !== "stdio") {
    issues.push(
      issueAt(
        [...at, "type"],
        `is ${JSON.stringify(type)} but the server has "command": use "stdio" or remove it`,
      ),
    );
  }
  if (hasUrl && type === "stdio") {
    issues.push(
      issueAt(
        [...at, "type"],
        'is "stdio" but the server has "url": use "http" or "sse", or remove it',
      ),
    );
  }
  return issues;
}

/** Turns zod's issues into ours; an unknown key becomes one issue per key, with a suggestion. */
function zodIssues(
  result: z.ZodSafeParseResult<unknown>,
  prefix: PropertyKey[],
  known: string[],
): ConfigIssue[] {
  if (result.success) return [];
  return result.error.issues.flatMap((issue) => {
    const at = [...prefix, ...issue.path];
    if (issue.code !== "unrecognized_keys") return [issueAt(at, issue.message)];
    const holder = issue.path.at(-1);
    const fields = (typeof holder === "string" ? NESTED_KEYS[holder] : undefined) ?? known;
    return issue.keys.map((key) => {
      const hint = HINTS[key];
      if (hint !== undefined) return issueAt([...at, key], hint);
      const near = closestName(key, fields);
      const advice =
        near === undefined ? `known fields: ${fields.join(", ")}` : `did you mean "${near}"?`;
      return issueAt([...at, key], `unknown field; ${advice}`);
    });
  });
}

/** Why `source` is no pattern privacy can use (it does not compile, or matches ""), or undefined. */
function regexProblem(source: string): string | undefined {
  let regex: RegExp;
  try {
    regex = new RegExp(source);
  } catch (error) {
    return `is not a regular expression: ${error instanceof Error ? error.message : String(error)}`;
  }
  return regex.test("")
    ? "matches an empty string: it must match at least one character"
    : undefined;
}

/** SEP-991: a client id that is a URL must be https and name a document, not a bare origin. */
function isClientMetadataUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  return parsed.protocol === "https:" && parsed.pathname !== "/";
}

/** One value can fail several checks with one message (`-1.5` is neither whole nor positive). */
function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\n${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
