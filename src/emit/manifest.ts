/**
 * `servers/manifest.json`: the generator's version, every server's identity, every tool's
 * hashes (what `check` and the runtime's drift guard compare) and every file the generator
 * wrote with a hash of its contents (what may be deleted, and what may be reused unchanged).
 */
import { compareCodeUnits } from "../compare.js";
import type { ToolHashes } from "../model/types.js";
import type { ServerOutline } from "./outline.js";
import { isRecord } from "../plain-json.js";

export const MANIFEST_PATH = "manifest.json";
/** Bumped when the layout of generated files changes, so that a rerun renders everything. */
export const LAYOUT_VERSION = 1;

export interface Manifest {
  readonly generator: {
    readonly name: "mcp-codegen";
    readonly version: string;
    readonly layout: number;
  };
  readonly servers: Readonly<Record<string, ManifestServer>>;
  /** Path relative to `servers/` → short hash of its contents. The manifest is not listed. */
  readonly files: Readonly<Record<string, string>>;
  /**
   * Path → hash of the unformatted source of files formatted as a whole (barrels, summaries):
   * when the source hashes the same, the file on disk is reused instead of formatted again.
   */
  readonly sources?: Readonly<Record<string, string>>;
}

export interface ManifestServer {
  readonly dir: string;
  readonly namespace: string;
  readonly info: ServerOutline["info"];
  readonly instructions: string;
  /** The protocol revision negotiated when it was generated (`check` reports a change). */
  readonly protocolVersion?: string;
  /** By MCP tool name. */
  readonly tools: Readonly<Record<string, ManifestTool>>;
  /** Resource (or template) URI → hash of its definition; absent when there are none. */
  readonly resources?: Readonly<Record<string, string>>;
  /** Prompt name → hash of its definition; absent when there are none. */
  readonly prompts?: Readonly<Record<string, string>>;
}

export interface ManifestTool {
  readonly identifier: string;
  readonly file: string;
  readonly summary: string;
  readonly hasOutput: boolean;
  /** Hash of everything the tool's file is rendered from: equal key, equal file. */
  readonly renderKey: string;
  readonly hashes: ToolHashes;
}

export function renderManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * Reads a manifest from disk leniently: a person may have edited or broken it. Anything that
 * does not have the expected shape counts as no manifest (the next run renders everything and
 * deletes nothing it cannot prove it wrote).
 */
export function parseManifest(text: string): Manifest | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (
    !isRecord(data) ||
    !isRecord(data.generator) ||
    !isRecord(data.servers) ||
    !isRecord(data.files)
  ) {
    return undefined;
  }
  if (!Object.values(data.files).every((h) => typeof h === "string")) return undefined;
  for (const server of Object.values(data.servers)) {
    if (!isRecord(server) || !isRecord(server.tools) || typeof server.dir !== "string")
      return undefined;
    if (typeof server.namespace !== "string" || !isRecord(server.info)) return undefined;
    for (const tool of Object.values(server.tools)) {
      if (!isRecord(tool) || typeof tool.identifier !== "string" || typeof tool.file !== "string") {
        return undefined;
      }
      if (!isRecord(tool.hashes) || typeof tool.renderKey !== "string") return undefined;
    }
  }
  return data as unknown as Manifest;
}

/** The outline of a server as the manifest remembers it (for servers kept by `--partial`). */
export function outlineFromManifest(name: string, server: ManifestServer): ServerOutline {
  return {
    name,
    dir: server.dir,
    namespace: server.namespace,
    info: server.info,
    instructions: typeof server.instructions === "string" ? server.instructions : "",
    tools: Object.entries(server.tools)
      .map(([wireName, tool]) => ({
        wireName,
        identifier: tool.identifier,
        summary: typeof tool.summary === "string" ? tool.summary : "",
      }))
      .sort((a, b) => compareCodeUnits(a.identifier, b.identifier)),
  };
}
