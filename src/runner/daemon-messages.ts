/**
 * What the daemon and its clients say to each other, one JSON object a line, and the strict
 * check of what a client sends: every field's type, no field unknown, a program of bounded size,
 * environment variables only of the names the daemon allowed.
 *
 * A connection: the client's first message carries the daemon's token (see daemon-token.ts),
 * and is a `hello`, a `status` or a `stop`. After a hello, one `run` on the same connection.
 */
import * as path from "node:path";
import type { ProgramSource } from "./bundle.js";
import { LIMIT_NAMES, type RunLimits } from "./limits.js";
import { isRecord } from "../plain-json.js";

/** The most source text a run may bring (`--eval` or stdin); a file is read by the daemon. */
export const MAX_PROGRAM_BYTES = 8 * 1024 * 1024;
const MAX_PATH_LENGTH = 4096;
const MAX_NAME_LENGTH = 256;

/** The smallest value of each limit, as the command line's flags take them. */
const LIMIT_MINIMUMS: Readonly<Record<keyof RunLimits, number>> = {
  timeoutMs: 1,
  memoryMb: 16,
  maxOutputBytes: 1024,
  maxWorkspaceMb: 1,
};

export interface HelloMessage {
  readonly type: "hello";
  /** The client's config file: a daemon of another config refuses it. */
  readonly configFile: string;
}

export interface RunMessage {
  readonly type: "run";
  readonly program: ProgramSource;
  readonly cwd: string;
  /** Limits the client asks for; the daemon keeps each at most the config's. */
  readonly limits: Partial<RunLimits>;
  /** Variables for the program, named only from the hello's `envAllowed`. */
  readonly env: Readonly<Record<string, string>>;
}

export type ClientMessage =
  | HelloMessage
  | RunMessage
  | { readonly type: "status" }
  | { readonly type: "stop" }
  /** The tree was regenerated: servers start again on first use, with the new manifest. */
  | { readonly type: "reload" };

export type DaemonMessage =
  | {
      readonly type: "hello";
      readonly envAllowed: readonly string[];
      readonly pid: number;
      readonly configFile: string;
    }
  | {
      readonly type: "status";
      readonly pid: number;
      readonly configFile: string;
      readonly running: number;
      readonly queued: number;
    }
  | { readonly type: "stopping" }
  | { readonly type: "reloaded" }
  | { readonly type: "out"; readonly fd: 1 | 2; readonly data: string }
  | { readonly type: "exit"; readonly code: number }
  /** The request was not taken; `message` is one line for the user. */
  | { readonly type: "refused"; readonly message: string };

type Parsed = { readonly message: ClientMessage } | { readonly problem: string };

/**
 * Checks a client's message (its token already taken off); `envAllowed` is what the hello on
 * this connection announced (undefined before it).
 */
export function parseClientMessage(
  raw: unknown,
  envAllowed: readonly string[] | undefined,
): Parsed {
  if (!isRecord(raw)) return { problem: "a message that is not a JSON object" };
  switch (raw.type) {
    case "hello":
      return (
        unknownField(raw, ["type", "configFile"]) ??
        (isPath(raw.configFile)
          ? { message: { type: "hello", configFile: raw.configFile } }
          : { problem: "a hello without an absolute configFile" })
      );
    case "status":
    case "stop":
    case "reload":
      return unknownField(raw, ["type"]) ?? { message: { type: raw.type } };
    case "run":
      if (envAllowed === undefined) return { problem: "a run before the hello" };
      return parseRun(raw, envAllowed);
    default:
      return { problem: "a message of a type it does not know (hello, run, status, stop, reload)" };
  }
}

function parseRun(raw: Record<string, unknown>, envAllowed: readonly string[]): Parsed {
  const extra = unknownField(raw, ["type", "program", "cwd", "limits", "env"]);
  if (extra) return extra;
  const program = parseProgram(raw.program);
  if (typeof program === "string") return { problem: program };
  if (!isPath(raw.cwd)) return { problem: "a run whose cwd is not an absolute path" };
  const limits = parseLimits(raw.limits);
  if (typeof limits === "string") return { problem: limits };
  const env = parseEnv(raw.env, envAllowed);
  if (typeof env === "string") return { problem: env };
  return { message: { type: "run", program, cwd: raw.cwd, limits, env } };
}

function parseProgram(raw: unknown): ProgramSource | string {
  if (!isRecord(raw)) return "a run without a program object";
  if ("file" in raw) {
    if (Object.keys(raw).length !== 1 || !isPath(raw.file)) {
      return "a run whose program.file is not one absolute path";
    }
    return { file: raw.file };
  }
  if (unknownField(raw, ["code", "resolveDir", "name"]))
    return "a run whose program has a field it does not know";
  if (typeof raw.code !== "string") return "a run whose program has no code";
  if (Buffer.byteLength(raw.code) > MAX_PROGRAM_BYTES) {
    return `a run whose program is over ${MAX_PROGRAM_BYTES / 1024 / 1024} MiB of source`;
  }
  if (!isPath(raw.resolveDir)) return "a run whose program.resolveDir is not an absolute path";
  const name = raw.name;
  if (typeof name !== "string" || name.length === 0 || name.length > MAX_NAME_LENGTH) {
    return "a run whose program has no short name";
  }
  if (name.includes("\0")) return "a run whose program name has a NUL byte";
  return { code: raw.code, resolveDir: raw.resolveDir, name };
}

function parseLimits(raw: unknown): Partial<RunLimits> | string {
  if (!isRecord(raw)) return "a run without a limits object";
  const limits: Partial<Record<keyof RunLimits, number>> = {};
  for (const [key, value] of Object.entries(raw)) {
    const name = LIMIT_NAMES.find((known) => known === key);
    if (name === undefined)
      return `a run with a limit it does not know (${LIMIT_NAMES.join(", ")})`;
    const least = LIMIT_MINIMUMS[name];
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < least) {
      return `a run whose limits.${name} is not a whole number of at least ${least}`;
    }
    limits[name] = value;
  }
  return limits;
}

function parseEnv(raw: unknown, allowed: readonly string[]): Record<string, string> | string {
  if (!isRecord(raw)) return "a run without an env object";
  const entries: [string, string][] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (!allowed.includes(name))
      return "a run with an environment variable that run.env does not allow";
    if (typeof value !== "string" || value.includes("\0")) {
      return `a run whose env.${name} is not a string without NUL bytes`;
    }
    entries.push([name, value]);
  }
  // fromEntries defines own properties: a name like "__proto__" stays a name.
  return Object.fromEntries(entries);
}

/** The problem of a field not in `known`, or undefined. Says which, never what it held. */
function unknownField(raw: Record<string, unknown>, known: readonly string[]) {
  const extra = Object.keys(raw).find((key) => !known.includes(key));
  return extra === undefined ? undefined : { problem: "a message with a field it does not know" };
}

function isPath(value: unknown): value is string {
  return (
    typeof value === "string" &&
    value.length <= MAX_PATH_LENGTH &&
    !value.includes("\0") &&
    path.isAbsolute(value)
  );
}
