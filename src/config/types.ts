/**
 * The configuration a user writes in `codegen.config.ts` (through `defineConfig`) or in a JSON
 * file in the `mcpServers` shape that MCP clients use. Field names follow those clients.
 */
import type { ConfigIssue } from "../errors.js";

/** Options every server accepts, whatever its transport. */
export interface ServerOptions {
  /**
   * Tool-name globs to keep (picomatch syntax, matched against the whole MCP tool name; `*`
   * matches a leading dot and a "/" too). A glob that matches no tool is warned about. A tool
   * left out has no stub and cannot be called at run time either. Default: every tool.
   */
  include?: string[];
  /** Tool-name globs to drop; applied after `include`. Default: none. */
  exclude?: string[];
  /**
   * Milliseconds (not seconds: under 1000 is warned about) allowed to connect (spawn and
   * `initialize`) and for every request after that.
   * Default: 60000 to connect (room for an `npx` cold start) and 30000 per request.
   */
  timeout?: number;
  /** Skip this server entirely. Default: false. */
  disabled?: boolean;
  /**
   * Names whose values are secrets besides those found by name and shape (see the README):
   * `env` or `envFile` variables, `headers`, `${VAR}` variables this server reads, or `args`
   * flags (`"--db-url"`). A secret is never written to a file or a log, and a server that puts
   * one in a tool's name fails. Each name must appear in the server's config. Default: none.
   */
  secrets?: string[];
  /**
   * Output types for tools that declare no `outputSchema`, by MCP tool name: the tool's stub then
   * returns its text result parsed as JSON, typed, instead of a `ContentResult`. `{ schema }`: a
   * JSON Schema the type is generated from, and that results are checked against when
   * `validateOutput` is on. `{ type, from }`: a type exported by a TypeScript file of the project
   * (`from` is relative to the config's folder), used as it is (results are parsed, not checked).
   * Default: none.
   */
  outputs?: Record<string, ToolOutputConfig>;
  /**
   * Tool-name globs (picomatch, as `include`) that programs may call at run time; every other
   * tool of the server is refused. A tool `include`/`exclude` leave out is refused whatever
   * this says. Does not change the generated tree. Default: every tool `include`/`exclude` keep.
   */
  allow?: string[];
  /** Tool-name globs programs may not call at run time; wins over `allow`. Default: none. */
  deny?: string[];
  /** Tools that need a person's yes before each call (see `ApproveConfig`). Default: none. */
  approve?: ApproveConfig;
  /**
   * Replace personal data in this server's results with tokens before programs see them (see
   * `PrivacyConfig`). Set here, it replaces the top-level `privacy` for this server (`false`
   * turns it off for this server only). Default: the top-level `privacy`.
   */
  privacy?: PrivacyConfig;
}

/** The kinds of personal data detected without configuration, by their name in `detect`. */
export type PrivacyKind = "email" | "phone" | "card" | "iban" | "ip";

/**
 * `true` (every built-in kind), `false` (off), or the kinds to detect and patterns to add. With
 * privacy on, the host that holds the connections replaces personal data in a server's tool
 * results, resources and prompts with tokens such as `[EMAIL_1]` before the program sees them,
 * and puts the real value back wherever a token appears in the arguments of a later request
 * (to any server). The tokens' map lives in the host's memory for one run (a `serve` session)
 * and is never written anywhere. Applies to programs run by `mcp-codegen run` (and the daemon),
 * not to `--unsafe` runs or programs importing the runtime directly.
 */
export type PrivacyConfig = boolean | PrivacyOptions;

export interface PrivacyOptions {
  /**
   * Built-in kinds to detect: `"email"` (an address pattern, then a validator's check),
   * `"phone"` (international format, `+` and country code, checked against each country's
   * numbering plan), `"card"` (payment card numbers of a known issuer, Luhn checksum),
   * `"iban"` (country format and checksum), `"ip"` (IPv4 and IPv6 addresses).
   * Default: all five.
   */
  detect?: PrivacyKind[];
  /**
   * Extra kinds by token name (`[A-Z][A-Z0-9_]*`, at most 32 characters, not a built-in one): a regular expression
   * (JavaScript syntax, no flags; it must not match an empty string) whose matches are
   * replaced by `[<NAME>_1]`, `[<NAME>_2]`…, e.g. `{ EMPLOYEE_ID: "E\\d{6}" }`. Default: none.
   */
  patterns?: Record<string, string>;
}

/**
 * Which calls wait for a person's yes. `mcp-codegen run` (and a plain Node program) asks on the
 * terminal; where nobody can be asked (no terminal, CI, the daemon) the call fails.
 */
export interface ApproveConfig {
  /** Tool-name globs (picomatch) whose every call needs a yes. Default: none. */
  tools?: string[];
  /**
   * Every tool the server's annotations call destructive needs a yes: `destructiveHint: true`,
   * or no `readOnlyHint: true` and no `destructiveHint: false` (MCP's defaults make such a
   * tool destructive). The annotations are the server's word, not a guarantee. Default: false.
   */
  destructive?: boolean;
}

/** What a configured tool returns: a JSON Schema, or a type exported by a file of the project. */
export type ToolOutputConfig =
  | { schema: Record<string, unknown> }
  | {
      /** The exported type's name, e.g. `SearchResult` (or `Api.SearchResult`). */
      type: string;
      /** The file that exports it, e.g. `./types/search.ts`. */
      from: string;
    };

/** A configured output with its file made absolute. */
export type ResolvedToolOutput =
  | { readonly kind: "schema"; readonly schema: Readonly<Record<string, unknown>> }
  | { readonly kind: "type"; readonly type: string; readonly file: string };

/** A server started as a child process that speaks MCP over stdin/stdout. */
export interface StdioServerConfig extends ServerOptions {
  /** The program to run, e.g. `npx` or `node`. */
  command: string;
  /** Its arguments. `${VAR}` reads the environment. Default: none. */
  args?: string[];
  /**
   * Extra environment variables for the server. Only a safe default set of the parent's
   * variables (PATH, HOME, …) is passed on besides these. Default: none.
   */
  env?: Record<string, string>;
  /**
   * A dotenv file (`NAME=value` lines, as VS Code and Cursor read it) whose variables are added
   * to the server's environment; `env` wins over it. Relative to the config's folder (the
   * project for `.vscode/` and `.cursor/` configs). A missing file makes only this server
   * unusable. Default: none.
   */
  envFile?: string;
  /** Working folder of the server, relative to the config file. Default: the config's folder. */
  cwd?: string;
  /** Accepted because client configs write `type: "stdio"`; it must agree with `command`. */
  type?: "stdio";
}

/** A server reached over HTTP. */
export interface HttpServerConfig extends ServerOptions {
  /** The endpoint, e.g. `http://127.0.0.1:3000/mcp`. */
  url: string;
  /** Headers sent with every request, e.g. `{ Authorization: "Bearer ${TOKEN}" }`. Default: none. */
  headers?: Record<string, string>;
  /**
   * `"streamable-http"` or `"sse"` (the legacy transport). Default: Streamable HTTP first,
   * falling back to SSE when the server does not speak it.
   */
  transport?: "streamable-http" | "sse";
  /**
   * Accepted because client configs write it: `"http"` (or `"streamable-http"`) leaves the
   * transport to `transport`, `"sse"` means `transport: "sse"` unless `transport` says otherwise.
   */
  type?: "http" | "streamable-http" | "sse";
  /**
   * How to log in when the server asks for OAuth (see "Logging in to OAuth servers" in the
   * README). Without it, a server that answers 401 is logged in to with dynamic client
   * registration (or a Client ID Metadata Document) and the scopes it advertises.
   * Default: none.
   */
  auth?: AuthConfig;
}

/** OAuth settings of one HTTP server. Tokens are never here: they live in the user's config folder. */
export interface AuthConfig {
  /**
   * `"authorization_code"` (a person logs in with `mcp-codegen auth <server>`, in a browser) or
   * `"client_credentials"` (no person: CI; tokens are fetched when needed; needs `clientId`,
   * `clientSecret` or `privateKey`, and `issuer`). Default: `"authorization_code"`.
   */
  grant?: "authorization_code" | "client_credentials";
  /** A client id registered with the authorization server beforehand. Default: registered dynamically. */
  clientId?: string;
  /** Its secret, read from the environment (`"${MY_CLIENT_SECRET}"`). Default: none (a public client). */
  clientSecret?: string;
  /**
   * For `"client_credentials"` instead of `clientSecret`: a private key (PEM, read from the
   * environment) that signs the client's assertions (`private_key_jwt`). Default: none.
   */
  privateKey?: string;
  /** The algorithm `privateKey` signs with, e.g. `"ES256"`. Default: `"RS256"`. */
  privateKeyAlgorithm?: string;
  /**
   * The authorization server (its issuer URL) that `clientId` was registered with: the client's
   * credentials are then presented to no other, whatever the MCP server advertises. Required
   * with `"client_credentials"`. Default: the one the server advertises.
   */
  issuer?: string;
  /** Scopes to ask for. Default: what the server's `WWW-Authenticate` or metadata says. */
  scopes?: string[];
  /**
   * An https URL where this client's metadata document is published (Client ID Metadata
   * Documents): used as the client id by authorization servers that support them. Default: none.
   */
  clientMetadataUrl?: string;
  /**
   * The port of the loopback redirect (`http://127.0.0.1:<port>/callback`), for a client id
   * registered with a fixed redirect URI. Default: a free port, kept for the next login.
   */
  redirectPort?: number;
}

export type ServerConfig = StdioServerConfig | HttpServerConfig;

/** The whole configuration. */
export interface UserConfig {
  /**
   * The root of the agent's code environment: the tree goes to `<outDir>/servers`, and
   * `<outDir>/skills` and `<outDir>/workspace` are created there when missing.
   * Relative to the config file. Default: the config file's folder.
   */
  outDir?: string;
  /** The servers to generate code for, by name. The name becomes the folder under `servers/`. */
  servers: Record<string, ServerConfig>;
  /** How many servers to introspect at once. Default: 4. */
  concurrency?: number;
  /**
   * What the runtime does when a server's live tools differ from the hashes in
   * `servers/manifest.json` (checked before the first call to each server): `"warn"` prints a
   * warning once per server and goes on, `"error"` refuses every call to it. Default: `"warn"`.
   */
  onDrift?: "warn" | "error";
  /**
   * Validate a tool's `structuredContent` against its `outputSchema` before returning it, and
   * fail the call when it does not match. Default: false (the generated type is trusted).
   */
  validateOutput?: boolean;
  /**
   * Largest answer a server may send to one request, in bytes of JSON: a tool list (in
   * `generate`, `check`, `inspect` and the runtime's drift check) as much as a tool result, a
   * resource or a prompt. A bigger one fails that request (a ResultTooLargeError at runtime; in
   * `generate`, the server) and the connection stays usable. Default: 8 MiB (8388608).
   */
  maxResultBytes?: number;
  /** Limits and environment of programs started by `mcp-codegen run`. */
  run?: RunConfig;
  /**
   * Personal data in every server's results replaced with tokens (see `PrivacyConfig`); a
   * server's own `privacy` wins. Default: false.
   */
  privacy?: PrivacyConfig;
  /** `mcp-codegen serve`: how many programs it runs at once, and what it returns to its client. */
  serve?: ServeConfig;
}

/**
 * Settings of `mcp-codegen serve`. Its programs run with the limits of `run` (time, memory,
 * workspace, environment); these say how many run at once and how much of what they print
 * goes back to the model.
 */
interface ServeConfig {
  /** `execute_code` calls that run at once; the others wait in arrival order. Default: 2. */
  maxRuns?: number;
  /**
   * Calls that may wait for a run slot; past them a call is answered "busy, retry" (a tool
   * error) instead of queueing without limit. Default: 32.
   */
  maxQueue?: number;
  /**
   * Bytes of a program's output (stdout, and separately stderr) returned to the client; the
   * rest is cut, with a marker giving the full size. Default: 20000.
   */
  maxOutput?: number;
  /**
   * The bearer token HTTP clients must send (`Authorization: Bearer <token>`); required to
   * listen on an address other than loopback. `MCP_CODEGEN_SERVE_TOKEN` gives it too. Write it
   * as `process.env.X`, not in the file. Default: none (loopback only).
   */
  token?: string;
}

/** `ServeConfig` with every default filled in. */
export interface ResolvedServeConfig {
  readonly maxRuns: number;
  readonly maxQueue: number;
  readonly maxOutputBytes: number;
  readonly token?: string;
}

/** Defaults for `mcp-codegen run`; its command-line options override them. */
interface RunConfig {
  /**
   * Names of environment variables the program may read (`process.env.X`). Nothing else of
   * the runner's environment reaches it. Default: none.
   */
  env?: string[];
  /** Wall-time limit in milliseconds. Default: 60000. */
  timeout?: number;
  /** Memory limit in MB: the JavaScript heap and the process's resident memory. Default: 512. */
  memory?: number;
  /** Bytes of output (stdout, and separately stderr) kept; the rest is cut. Default: 1 MiB. */
  maxOutput?: number;
  /**
   * MB a program may add to `workspace/` in one run; a run that passes it is stopped and its
   * changes are not kept. Default: 100.
   */
  maxWorkspace?: number;
}

/** `RunConfig` with every default filled in. */
export interface ResolvedRunConfig {
  readonly env: readonly string[];
  readonly timeoutMs: number;
  readonly memoryMb: number;
  readonly maxOutputBytes: number;
  readonly maxWorkspaceMb: number;
}

/** What the runtime needs besides the servers. */
export interface ResolvedRuntimeSettings {
  readonly onDrift: "warn" | "error";
  readonly validateOutput: boolean;
  readonly maxResultBytes: number;
}

/** A server after validation, interpolation and defaults: what the pipeline works with. */
export interface ResolvedServer {
  readonly name: string;
  readonly transport: ResolvedTransport;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly disabled: boolean;
  /** Values of the config that are secrets (see secrets.ts): redacted from all output. */
  readonly secrets: readonly string[];
  /** The run-time call policy: `allow`, `deny` and `approve` with their defaults. */
  readonly policy: ResolvedCallPolicy;
  /**
   * Why this server cannot be used, when it cannot: a `${VAR}` that is not set, a VS Code
   * input, an `envFile` that cannot be read. Only this server fails, on its first connection,
   * with these problems; the rest of the config works. Absent when it can be used.
   */
  readonly unusable?: readonly ConfigIssue[];
  /** Output types the config gives tools without an `outputSchema`, by MCP tool name. */
  readonly outputs?: Readonly<Record<string, ResolvedToolOutput>>;
  /** What personal data of this server's results is replaced with tokens; absent when off. */
  readonly privacy?: ResolvedPrivacy;
}

/** `PrivacyConfig` when on, with its defaults: kinds in a fixed order, patterns by name. */
export interface ResolvedPrivacy {
  readonly kinds: readonly PrivacyKind[];
  readonly patterns: readonly { readonly name: string; readonly source: string }[];
}

/** A server's `allow`, `deny` and `approve` with defaults filled in (empty: no rule). */
interface ResolvedCallPolicy {
  readonly allow: readonly string[];
  readonly deny: readonly string[];
  readonly approveTools: readonly string[];
  readonly approveDestructive: boolean;
}

export type ResolvedTransport =
  | {
      readonly kind: "stdio";
      readonly command: string;
      readonly args: readonly string[];
      readonly env: Readonly<Record<string, string>>;
      readonly cwd: string;
    }
  | {
      readonly kind: "http";
      readonly url: string;
      readonly headers: Readonly<Record<string, string>>;
      readonly mode: "auto" | "streamable-http" | "sse";
      /** The `auth` field with its variables filled in; absent when the config has none. */
      readonly auth?: ResolvedAuth;
    };

/** `AuthConfig` after interpolation, with its default grant. */
export interface ResolvedAuth {
  readonly grant: "authorization_code" | "client_credentials";
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly privateKey?: string;
  readonly privateKeyAlgorithm?: string;
  readonly issuer?: string;
  readonly scopes: readonly string[];
  readonly clientMetadataUrl?: string;
  readonly redirectPort?: number;
}

export interface ResolvedConfig {
  /** Absolute path of the config file, or undefined when built in memory. */
  readonly file: string | undefined;
  /** Absolute folder that relative paths in the config are resolved against. */
  readonly root: string;
  /** Absolute `outDir`; the tree goes to `<outDir>/servers`. */
  readonly outDir: string;
  readonly concurrency: number;
  /** Sorted by name, disabled ones included (the pipeline skips them). */
  readonly servers: readonly ResolvedServer[];
  /** Drift, validation and result-size settings of the runtime. */
  readonly runtime: ResolvedRuntimeSettings;
  /** Defaults of `mcp-codegen run`. */
  readonly run: ResolvedRunConfig;
  /** Settings of `mcp-codegen serve`. */
  readonly serve: ResolvedServeConfig;
}

/** Every built-in kind of personal data, in the order they are detected and reported. */
export const PRIVACY_KINDS: readonly PrivacyKind[] = ["email", "phone", "card", "iban", "ip"];

export const DEFAULT_CONNECT_TIMEOUT_MS = 60_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_CONCURRENCY = 4;

export const DEFAULT_RUNTIME_SETTINGS: ResolvedRuntimeSettings = {
  onDrift: "warn",
  validateOutput: false,
  maxResultBytes: 8 * 1024 * 1024,
};

export const DEFAULT_SERVE_CONFIG: ResolvedServeConfig = {
  maxRuns: 2,
  maxQueue: 32,
  maxOutputBytes: 20_000,
};

export const DEFAULT_RUN_CONFIG: ResolvedRunConfig = {
  env: [],
  timeoutMs: 60_000,
  memoryMb: 512,
  maxOutputBytes: 1024 * 1024,
  maxWorkspaceMb: 100,
};
