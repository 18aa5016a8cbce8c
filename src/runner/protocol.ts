/**
 * The JSON messages between a sandboxed program and the host that holds its MCP connections
 * (framed JSON over a socket pair: frames.ts), and between the host and the daemon (over a socket, one message a
 * line). Only plain JSON crosses: results, and errors flattened to their name, message and
 * fields, rebuilt as the same classes on the other side.
 *
 * Everything arriving from the program is untrusted: `parseProgramMessage` checks its shape.
 */

import { isPlainJson } from "../plain-json.js";
import type { ProgressUpdate } from "../runtime/options.js";

/**
 * What a program can ask of its host: the runtime's functions that reach a server, and
 * `searchTools`, which reads the host's tree (the program has no access to it).
 */
const OPERATIONS = [
  "callTool",
  "listResources",
  "readResource",
  "listResourceTemplates",
  "readResourceTemplate",
  "listPrompts",
  "getPrompt",
  "saveSkill",
  "searchTools",
] as const;
export type Operation = (typeof OPERATIONS)[number];

/** Program → host: run one operation. `args` are the runtime function's arguments, options aside. */
export interface RequestMessage {
  readonly type: "request";
  readonly id: number;
  readonly op: Operation;
  readonly args: readonly unknown[];
  /** The call's own timeout (ms), when it gave one. */
  readonly timeout?: number;
  /** Whether the program wants progress notifications for this request. */
  readonly progress?: boolean;
}

/** Program → host: the program aborted request `id`; the host cancels it on the server. */
interface CancelMessage {
  readonly type: "cancel";
  readonly id: number;
}

export type ProgramMessage = RequestMessage | CancelMessage;

/** A tool result as it crosses: a content result, or any other plain value (structured content, lists). */
export type WireValue =
  | { readonly kind: "content"; readonly content: unknown; readonly structuredContent?: unknown }
  | { readonly kind: "value"; readonly value: unknown };

/** An error as it crosses: its class name, message, and own fields (server, tool, exitCode…). */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Host → program. */
export type HostMessage =
  | { readonly type: "result"; readonly id: number; readonly ok: true; readonly value: WireValue }
  | { readonly type: "result"; readonly id: number; readonly ok: false; readonly error: WireError }
  | { readonly type: "progress"; readonly id: number; readonly progress: ProgressUpdate };

const MAX_ID = Number.MAX_SAFE_INTEGER;

/**
 * The message if it is a well-formed request or cancel, else a string saying what is wrong
 * (for the host's report; a program sending garbage is stopped).
 */
export function parseProgramMessage(message: unknown): ProgramMessage | string {
  if (typeof message !== "object" || message === null || Array.isArray(message))
    return "a message that is not an object";
  const m = message as Record<string, unknown>;
  if (typeof m.id !== "number" || !Number.isInteger(m.id) || m.id < 1 || m.id > MAX_ID)
    return "a message without a valid id";
  if (m.type === "cancel") return { type: "cancel", id: m.id };
  if (m.type !== "request") return `a message of unknown type ${quoted(m.type)}`;
  if (typeof m.op !== "string" || !(OPERATIONS as readonly string[]).includes(m.op))
    return `a request for unknown operation ${quoted(m.op)}`;
  if (!Array.isArray(m.args) || m.args.length > 8) return "a request with bad arguments";
  if (m.timeout !== undefined && !isPositiveNumber(m.timeout))
    return "a request with a bad timeout";
  return {
    type: "request",
    id: m.id,
    op: m.op as Operation,
    args: m.args,
    // A timer holds at most 2^31-1 ms (~25 days); a longer timeout means "no sooner than that".
    ...(m.timeout !== undefined ? { timeout: Math.min(m.timeout as number, MAX_TIMEOUT_MS) } : {}),
    ...(m.progress === true ? { progress: true } : {}),
  };
}

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * A value the program sent, for the runner's messages: a string as JSON cut to 60 characters,
 * anything else by its kind (an array nested a million deep must not be turned into text).
 */
function quoted(value: unknown): string {
  if (typeof value !== "string") return value === null ? "null" : `(${typeof value})`;
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function isPositiveNumber(value: unknown): boolean {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}

/** Flattens any thrown value to a WireError (own enumerable fields that are plain JSON). */
export function errorToWire(error: unknown): WireError {
  if (!(error instanceof Error)) {
    return { name: "Error", message: String(error), fields: {} };
  }
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (key === "name" || key === "message" || key === "stack" || key === "cause") continue;
    if (isPlainJson(value)) fields[key] = value;
  }
  return { name: error.name, message: error.message, fields };
}

/**
 * Rebuilds an error from the wire as an instance of the class of that name in `classes` (so
 * that `instanceof McpToolError` holds in the program), or a plain Error carrying the same
 * name and fields. Its stack is where the program awaited the call, which is what its author
 * needs to see.
 */
export function errorFromWire(
  wire: WireError,
  classes: ReadonlyMap<string, abstract new (...args: never[]) => Error>,
): Error {
  const known = classes.get(wire.name);
  const error = known ? (Object.create(known.prototype as object) as Error) : new Error();
  Object.defineProperty(error, "message", {
    value: wire.message,
    writable: true,
    configurable: true,
  });
  Object.defineProperty(error, "name", { value: wire.name, writable: true, configurable: true });
  Object.assign(error, wire.fields);
  Error.captureStackTrace(error, errorFromWire);
  return error;
}
