/**
 * What answers a sandboxed program's requests: the runtime, in this process (the runner's, whose
 * connections close when the run ends, or the daemon's, which keeps them open between runs).
 * Requests come from untrusted code: their arguments are checked before any server sees them.
 */
import type { ResolvedConfig } from "../config/types.js";
import type { ProgressUpdate } from "../runtime/options.js";
import type { RequestMessage, WireValue } from "./protocol.js";
import { RunError } from "./errors.js";
import { isRecord } from "../plain-json.js";
import type { SearchOptions } from "../search/search.js";
import { runHost } from "./run-host.js";

export interface ToolHost {
  /** Runs one request; rejects with the runtime's typed error. */
  handle(
    request: RequestMessage,
    signal: AbortSignal,
    onProgress: ((progress: ProgressUpdate) => void) | undefined,
  ): Promise<WireValue>;
  /** Ends what the host holds for this run (closes connections, or detaches from the daemon). */
  close(): Promise<void>;
  /** The config the requests run with (errors crossing to the program are scrubbed of it). */
  config(): ResolvedConfig;
}

type Runtime = typeof import("../runtime/index.js");

/**
 * A host that runs requests through the runtime in this process, with `config`'s servers and
 * what each run adds (`runHost`: its privacy, its quota of skills).
 */
export function localToolHost(config: ResolvedConfig): ToolHost {
  let runtime: Promise<Runtime> | undefined;
  // The runtime (and the SDK under it, ~200 ms to load) is loaded on the first request only:
  // a program that calls no tool does not pay for it.
  const load = () =>
    (runtime ??= import("../runtime/index.js").then((loaded) => {
      loaded.setRuntimeConfig(config);
      return loaded;
    }));
  return runHost(
    {
      async handle(request, signal, onProgress) {
        return runRequest(await load(), request, signal, onProgress);
      },
      async close() {
        if (runtime) await (await runtime).closeConnections();
      },
      config: () => config,
    },
    config,
  );
}

/** Runs `request` with `runtime`; shared by the local host and the daemon. */
export async function runRequest(
  runtime: Runtime,
  request: RequestMessage,
  signal: AbortSignal,
  onProgress: ((progress: ProgressUpdate) => void) | undefined,
): Promise<WireValue> {
  const options = {
    signal,
    ...(request.timeout !== undefined ? { timeout: request.timeout } : {}),
    ...(onProgress ? { onProgress } : {}),
  };
  const args = request.args;
  if (request.op === "saveSkill")
    return { kind: "value", value: await saveSkillFor(runtime, args) };
  if (request.op === "searchTools") {
    const [query, searchOptions] = searchArgs(args);
    return { kind: "value", value: await runtime.searchTools(query, searchOptions) };
  }
  return serverRequest(runtime, request, options);
}

/** A request to one of the config's servers: its first argument names the server. */
async function serverRequest(
  runtime: Runtime,
  request: RequestMessage,
  options: {
    signal: AbortSignal;
    timeout?: number;
    onProgress?: (progress: ProgressUpdate) => void;
  },
): Promise<WireValue> {
  const args = request.args;
  const server = stringArg(args, 0, "server", request.op);
  switch (request.op) {
    case "callTool": {
      const tool = stringArg(args, 1, "tool", request.op);
      const input = args[2] ?? {};
      if (typeof input !== "object" || input === null || Array.isArray(input)) {
        throw new RunError(`callMcpTool("${server}", "${tool}", input): input must be an object`);
      }
      return toWire(await runtime.callMcpTool<unknown>(server, tool, input, options), runtime);
    }
    case "listResources":
      return { kind: "value", value: await runtime.listResources(server, options) };
    case "readResource": {
      const uri = stringArg(args, 1, "uri", request.op);
      return { kind: "value", value: await runtime.readResource(server, uri, options) };
    }
    case "listResourceTemplates":
      return { kind: "value", value: await runtime.listResourceTemplates(server, options) };
    case "readResourceTemplate": {
      const template = stringArg(args, 1, "uriTemplate", request.op);
      const params = args[2] ?? {};
      if (!isTemplateParams(params)) {
        throw new RunError(
          `readResourceTemplate("${server}", …, params): params must map names to strings or lists of strings`,
        );
      }
      return {
        kind: "value",
        value: await runtime.readResourceTemplate(server, template, params, options),
      };
    }
    case "listPrompts":
      return { kind: "value", value: await runtime.listPrompts(server, options) };
    case "getPrompt": {
      const name = stringArg(args, 1, "name", request.op);
      const values = args[2] ?? {};
      if (!isStringRecord(values)) {
        throw new RunError(
          `getPrompt("${server}", "${name}", args): args must map names to strings`,
        );
      }
      return { kind: "value", value: await runtime.getPrompt(server, name, values, options) };
    }
    default:
      throw new RunError(`${request.op} is not a request to a server`);
  }
}

/**
 * A program's `saveSkill`: the host writes the skill (the program cannot write outside its
 * workspace). Its fields are checked here for kind; names and text by the skill store.
 */
async function saveSkillFor(runtime: Runtime, args: readonly unknown[]) {
  const skill = args[0];
  if (typeof skill !== "object" || skill === null || Array.isArray(skill))
    throw new RunError("saveSkill(skill): skill must be an object { name, description, code }");
  const { name, description, code, force } = skill as Record<string, unknown>;
  for (const [field, value] of Object.entries({ name, description, code }))
    if (typeof value !== "string")
      throw new RunError(`saveSkill(skill): skill.${field} must be a string`);
  return runtime.saveSkill({
    name: name as string,
    description: description as string,
    code: code as string,
    force: force === true,
  });
}

/**
 * `searchTools(query, options)` as the program sent it: a string, and an object of which only
 * the three known options are passed on (their values are checked by the search itself).
 */
function searchArgs(args: readonly unknown[]): [string, SearchOptions] {
  const [query, options = {}] = args;
  if (args.length > 2 || typeof query !== "string") {
    throw new RunError("searchTools(query, options): query must be a string");
  }
  if (!isRecord(options)) {
    throw new RunError("searchTools(query, options): options must be an object");
  }
  const known: Record<string, unknown> = {};
  for (const key of ["detail", "limit", "server"] as const) {
    if (Object.hasOwn(options, key) && options[key] !== undefined) known[key] = options[key];
  }
  return [query, known as SearchOptions];
}

function stringArg(args: readonly unknown[], index: number, name: string, op: string): string {
  const value = args[index];
  if (typeof value !== "string" || value === "") {
    throw new RunError(`${op}: argument ${index + 1} (${name}) must be a non-empty string`);
  }
  return value;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((item) => typeof item === "string")
  );
}

function isTemplateParams(value: unknown): value is Record<string, string | string[]> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every(
      (item) =>
        typeof item === "string" ||
        (Array.isArray(item) && item.every((entry) => typeof entry === "string")),
    )
  );
}

function toWire(value: unknown, runtime: Runtime): WireValue {
  if (value instanceof runtime.ContentResult) {
    return {
      kind: "content",
      content: value.content,
      ...(value.structuredContent !== undefined
        ? { structuredContent: value.structuredContent }
        : {}),
    };
  }
  return { kind: "value", value };
}
