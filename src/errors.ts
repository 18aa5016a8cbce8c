/**
 * Every error mcp-codegen raises on purpose is a `CodegenError`: one line that says what failed,
 * where (server, tool, field, file) and how to fix it. Anything else that escapes is a bug.
 */
/**
 * What kind of failure a `CodegenError` is. Not the SDK's `ErrorCode`, which holds JSON-RPC
 * error numbers (those a server answers with are `McpProtocolError.rpcCode`).
 */
export type CodegenErrorCode =
  | "CONFIG"
  | "CONNECT"
  | "TIMEOUT"
  | "INTROSPECT"
  | "WRITE"
  | "SNAPSHOT"
  | "GENERATE"
  | "TOOL_CALL"
  | "DRIFT"
  | "OUTPUT_INVALID"
  | "RESULT_TOO_LARGE"
  | "INVALID_RESULT"
  | "SERVER_ERROR"
  | "TOOL_DENIED"
  | "NOT_APPROVED"
  | "RUN"
  | "AUTH"
  | "TREE"
  | "SKILL"
  | "SEARCH";

export class CodegenError extends Error {
  readonly code: CodegenErrorCode;
  constructor(code: CodegenErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** One problem found while validating the configuration, with its path (`servers.github.url`). */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/** The configuration is invalid; `issues` lists every problem at once. */
export class ConfigError extends CodegenError {
  readonly issues: readonly ConfigIssue[];
  readonly file: string | undefined;
  constructor(message: string, issues: readonly ConfigIssue[] = [], file?: string) {
    const where = file ? ` in ${file}` : "";
    const lines = issues.map((issue) => `  ${issue.path}: ${issue.message}`);
    super(
      "CONFIG",
      lines.length > 0 ? `${message}${where}:\n${lines.join("\n")}` : `${message}${where}`,
    );
    this.issues = issues;
    this.file = file;
  }
}

/**
 * A server whose config cannot be filled in where it runs (an unset variable, a VS Code input,
 * an envFile that is not there): only this server fails, when it is used; the rest of the
 * config works.
 */
export class ServerConfigError extends ConfigError {
  readonly server: string;
  constructor(server: string, issues: readonly ConfigIssue[]) {
    super(
      `server "${server}" cannot be used here: fix what its config reads, or set "disabled": true for it`,
      issues,
    );
    this.server = server;
  }
}

/** A server could not be reached or did not complete the MCP handshake. */
export class ConnectionError extends CodegenError {
  readonly server: string;
  constructor(server: string, message: string, options?: { cause?: unknown }) {
    super("CONNECT", `server "${server}": ${message}`, options);
    this.server = server;
  }
}

/** A stdio server exited on its own; carries its exit code and the tail of its stderr. */
export class ServerCrashedError extends ConnectionError {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stderrTail: string;
  constructor(
    server: string,
    detail: { exitCode: number | null; signal: string | null; stderrTail: string; during: string },
  ) {
    const how =
      detail.exitCode !== null
        ? `exited with code ${detail.exitCode}`
        : `was killed by ${detail.signal ?? "a signal"}`;
    const tail = detail.stderrTail.trim();
    super(
      server,
      `the server process ${how} during ${detail.during}.` +
        (tail ? ` Its stderr ends with:\n${indent(tail)}` : " It wrote nothing to stderr.") +
        `\n  Check the server's command and arguments by running it by hand.`,
    );
    this.exitCode = detail.exitCode;
    this.signal = detail.signal;
    this.stderrTail = detail.stderrTail;
  }
}

/**
 * A server did not answer within the configured time. `seen` says what it sent meanwhile that
 * answered nothing ("3 answers with ids no request was waiting for…"), when it sent any.
 */
export class TimeoutError extends CodegenError {
  readonly server: string;
  readonly timeoutMs: number;
  constructor(server: string, what: string, timeoutMs: number, seen?: string) {
    const advice =
      seen !== undefined
        ? `Meanwhile it sent ${seen}: it answers wrongly rather than slowly. Run it by hand to see what it writes to stdout.`
        : what === "initialize"
          ? `Raise servers.${server}.timeout in the config if the server is just slow to start.`
          : `Raise servers.${server}.timeout in the config (or the call's timeout option) if the server is just slow.`;
    // `timeout: 30` meant as seconds is the commonest way to get here (unless the server was
    // seen answering wrongly, which is the cause then).
    const unit = timeoutMs < 1000 && seen === undefined ? " Timeouts are in milliseconds." : "";
    super(
      "TIMEOUT",
      `server "${server}": no answer to ${what} within ${timeoutMs} ms. ${advice}${unit}`,
    );
    this.server = server;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * An OAuth server needs a login that is not there (never made, expired past refreshing,
 * revoked), more scopes than the login has, or the login itself failed. The message says
 * which, and the command that fixes it.
 */
export class AuthError extends CodegenError {
  readonly server: string;
  constructor(server: string, message: string, options?: { cause?: unknown }) {
    super("AUTH", `server "${server}": ${message}`, options);
    this.server = server;
  }
}

/** The server answered, but what it listed could not be used. */
export class IntrospectionError extends CodegenError {
  readonly server: string;
  constructor(server: string, message: string, options?: { cause?: unknown }) {
    super("INTROSPECT", `server "${server}": ${message}`, options);
    this.server = server;
  }
}

/** Writing the tree failed or would have touched a file that is not ours. */
export class WriteError extends CodegenError {
  readonly file: string;
  /** What went wrong with the file, without its name. */
  readonly detail: string;
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super("WRITE", `${file}: ${message}`, options);
    this.file = file;
    this.detail = message;
  }
}

/** A snapshot file could not be read or has the wrong shape. */
export class SnapshotError extends CodegenError {
  constructor(file: string, message: string) {
    super("SNAPSHOT", `${file}: ${message}`);
  }
}

/**
 * A command that reads the generated tree (`stats`, `search`, `list`) found it missing or not
 * as `generate` writes it; the message names the file and says to run `generate`.
 */
export class GeneratedTreeError extends CodegenError {
  readonly file: string;
  constructor(file: string, problem: string) {
    super("TREE", `${file} ${problem}: run \`npx mcp-codegen generate\` to write the tree`);
    this.file = file;
  }
}

/** A search could not run: its index is missing or broken, or the query is not one. */
export class SearchError extends CodegenError {
  constructor(message: string) {
    super("SEARCH", message);
  }
}

/** One or more servers failed; nothing was written unless `--partial` was given. */
export class GenerateError extends CodegenError {
  readonly failures: readonly CodegenError[];
  constructor(message: string, failures: readonly CodegenError[]) {
    super("GENERATE", `${message}\n${failures.map((f) => indent(f.message)).join("\n")}`);
    this.failures = failures;
  }
}

export function indent(text: string, prefix = "  "): string {
  return text
    .split("\n")
    .map((line) => prefix + line)
    .join("\n");
}
