/**
 * `mcp-codegen/runtime` as a sandboxed program sees it: the same functions and classes, but
 * every call goes to the host over the channel the bootstrap opened (the program holds no
 * connection, no config and no secret). The runner's bundler puts this module in place of the real runtime.
 *
 * It must stay free of Node-only imports beyond `process`: it is bundled into every program.
 */
import * as baseErrors from "../../errors.js";
import { ContentResult, type ContentItem } from "../../runtime/content-result.js";
import * as runtimeErrors from "../../runtime/errors.js";
import * as policyErrors from "../../runtime/policy-errors.js";
import { RuntimeError } from "../../runtime/errors.js";
import {
  errorFromWire,
  type HostMessage,
  type Operation,
  type ProgramMessage,
  type WireValue,
} from "../protocol.js";
import { CHANNEL_KEY, type HostChannel } from "../host-channel.js";

export { ContentResult, type ContentItem } from "../../runtime/content-result.js";
export type {
  Resource,
  ResourceContents,
  ResourceTemplate,
  TemplateParams,
} from "../../runtime/resources.js";
export type {
  GetPromptResult,
  Prompt,
  PromptArgument,
  PromptMessage,
} from "../../runtime/prompts.js";
import type {
  Resource,
  ResourceContents,
  ResourceTemplate,
  TemplateParams,
} from "../../runtime/resources.js";
import type { GetPromptResult, Prompt } from "../../runtime/prompts.js";
import type { SavedSkillInfo, SkillToSave } from "../../runtime/skills.js";
export type { SavedSkillInfo, SkillToSave } from "../../runtime/skills.js";
import type { SearchOptions, SearchResults } from "../../runtime/search-tools.js";
export type {
  SearchDetail,
  SearchHit,
  SearchOptions,
  SearchResults,
} from "../../runtime/search-tools.js";
export * from "../../runtime/errors.js";
export { ApprovalError, ToolDeniedError } from "../../runtime/policy-errors.js";
export {
  ConnectionError,
  ServerConfigError,
  ServerCrashedError,
  TimeoutError,
} from "../../errors.js";

import type { CallOptions, ProgressUpdate, RequestOptions } from "../../runtime/options.js";
export type { CallOptions, ProgressUpdate, RequestOptions } from "../../runtime/options.js";

type ErrorClass = abstract new (...args: never[]) => Error;

/** Every error class the real runtime can throw, by name, so that `instanceof` holds here too. */
const ERROR_CLASSES: ReadonlyMap<string, ErrorClass> = new Map(
  (
    [
      ...Object.values(baseErrors),
      ...Object.values(runtimeErrors),
      ...Object.values(policyErrors),
    ] as unknown[]
  )
    .filter(
      (value): value is ErrorClass =>
        typeof value === "function" && value.prototype instanceof Error,
    )
    .map((cls) => [cls.name, cls] as const),
);

interface Pending {
  readonly resolve: (value: WireValue) => void;
  readonly reject: (error: unknown) => void;
  readonly onProgress: ((progress: ProgressUpdate) => void) | undefined;
}

const pending = new Map<number, Pending>();
let nextId = 1;
let listening = false;

/** The bootstrap's channel to the host, there only in a program started by `mcp-codegen run`. */
function channel(): HostChannel {
  const found = (globalThis as Record<symbol, HostChannel | undefined>)[Symbol.for(CHANNEL_KEY)];
  if (!found) {
    throw new RuntimeError(
      "this program was bundled for `mcp-codegen run` and has no host to reach its servers through; run it with `npx mcp-codegen run`.",
    );
  }
  return found;
}

function onHostMessage(raw: unknown): void {
  const message = raw as HostMessage;
  const waiting = pending.get(message.id);
  if (!waiting) return; // settled already (aborted)
  if (message.type === "progress") {
    waiting.onProgress?.(message.progress);
    return;
  }
  settle(message.id);
  if (message.ok) waiting.resolve(message.value);
  else waiting.reject(errorFromWire(message.error, ERROR_CLASSES));
}

/** Forgets request `id`; with none left, the channel no longer keeps the program alive. */
function settle(id: number): void {
  pending.delete(id);
  if (pending.size === 0) channel().hold(false);
}

function send(message: ProgramMessage): void {
  channel().send(message);
}

function request(op: Operation, args: unknown[], options: CallOptions): Promise<WireValue> {
  options.signal?.throwIfAborted();
  if (!listening) {
    channel().onMessage(onHostMessage);
    listening = true;
  }
  const id = nextId++;
  // Where the program made the call: an error that comes back later is created in the channel
  // handler, whose stack says nothing to the program's author. Formatted only if it is used.
  const site: { stack?: string } = {};
  Error.captureStackTrace(site, request);
  return new Promise<WireValue>((resolve, reject) => {
    const signal = options.signal;
    const onAbort = () => {
      if (!pending.has(id)) return;
      settle(id);
      send({ type: "cancel", id });
      reject(signal?.reason);
    };
    pending.set(id, {
      resolve: (value) => {
        signal?.removeEventListener("abort", onAbort);
        resolve(value);
      },
      reject: (error) => {
        signal?.removeEventListener("abort", onAbort);
        if (error instanceof Error) {
          const frames = (site.stack ?? "").split("\n").slice(1).join("\n");
          error.stack = `${error.name}: ${error.message}\n${frames}`;
        }
        reject(error);
      },
      onProgress: options.onProgress,
    });
    if (pending.size === 1) channel().hold(true);
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      send({
        type: "request",
        id,
        op,
        args,
        ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
        ...(options.onProgress ? { progress: true } : {}),
      });
    } catch (error) {
      settle(id);
      reject(error);
    }
  });
}

function decode(value: WireValue): unknown {
  if (value.kind === "value") return value.value;
  return new ContentResult(value.content as ContentItem[], value.structuredContent);
}

/** Calls `tool` on `server` through the runner's host; see the runtime's `callMcpTool`. */
export async function callMcpTool<T = ContentResult>(
  server: string,
  tool: string,
  input: object = {},
  options: CallOptions = {},
): Promise<T> {
  return decode(await request("callTool", [server, tool, input], options)) as T;
}

/** The server's resources (every page). */
export async function listResources(
  server: string,
  options: RequestOptions = {},
): Promise<Resource[]> {
  return decode(await request("listResources", [server], options)) as Resource[];
}

/** Reads one resource of the server by URI. */
export async function readResource(
  server: string,
  uri: string,
  options: RequestOptions = {},
): Promise<ResourceContents[]> {
  return decode(await request("readResource", [server, uri], options)) as ResourceContents[];
}

/** The server's resource templates (every page). */
export async function listResourceTemplates(
  server: string,
  options: RequestOptions = {},
): Promise<ResourceTemplate[]> {
  return decode(await request("listResourceTemplates", [server], options)) as ResourceTemplate[];
}

/** Reads the resource a URI template names with `params` filled in (expanded by the host). */
export async function readResourceTemplate(
  server: string,
  uriTemplate: string,
  params: TemplateParams,
  options: RequestOptions = {},
): Promise<ResourceContents[]> {
  return decode(
    await request("readResourceTemplate", [server, uriTemplate, params], options),
  ) as ResourceContents[];
}

/** The server's prompts (every page). */
export async function listPrompts(server: string, options: RequestOptions = {}): Promise<Prompt[]> {
  return decode(await request("listPrompts", [server], options)) as Prompt[];
}

/** Gets one prompt of the server, filled in with `args`. */
export async function getPrompt(
  server: string,
  name: string,
  args: Readonly<Record<string, string | undefined>> = {},
  options: RequestOptions = {},
): Promise<GetPromptResult> {
  return decode(await request("getPrompt", [server, name, args], options)) as GetPromptResult;
}

/** Saves code as a skill: the host writes `skills/<name>/` (the program cannot, by design). */
export async function saveSkill(skill: SkillToSave): Promise<SavedSkillInfo> {
  return decode(await request("saveSkill", [skill], {})) as SavedSkillInfo;
}

/**
 * Tools matching `query`, read by the host from the generated tree's search index; see the
 * runtime's `searchTools`.
 */
export async function searchTools(
  query: string,
  options: SearchOptions = {},
): Promise<SearchResults> {
  return decode(await request("searchTools", [query, options], {})) as SearchResults;
}

/**
 * Runtime warnings (a server whose tools drifted from the stubs) are printed by the runner,
 * which holds the connections; a sandboxed program has none of its own to redirect.
 */
export function setRuntimeWarningHandler(): void {}

/** Connections live in the host; nothing to close here. */
export async function closeConnections(): Promise<void> {}

/** The config lives in the host; a sandboxed program cannot choose another. */
export function setRuntimeConfig(): never {
  throw new RuntimeError(
    "setRuntimeConfig cannot be used inside `mcp-codegen run`: the runner's --config decides the servers.",
  );
}
