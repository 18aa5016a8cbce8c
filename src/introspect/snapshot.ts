/**
 * What introspection captured from the servers: plain JSON that can be saved with
 * `mcp-codegen inspect > snapshot.json` and replayed with `generate --from-snapshot`.
 * The fixtures in `fixtures/snapshots/` are files of this shape.
 */

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export const SNAPSHOT_VERSION = 1;

export interface Snapshot {
  readonly snapshotVersion: typeof SNAPSHOT_VERSION;
  readonly servers: readonly ServerSnapshot[];
}

export interface ServerSnapshot {
  /** The name the config gives the server (its key under `servers`). */
  readonly name: string;
  /** What the server said about itself in `initialize`. */
  readonly info: { readonly name: string; readonly version: string; readonly title?: string };
  readonly instructions?: string;
  /** The protocol revision negotiated with it ("2025-11-25", "2026-07-28"); absent in older snapshots. */
  readonly protocolVersion?: string;
  /** Valid tools in the order the server listed them. */
  readonly tools: readonly ToolDefinition[];
  /** Tools that were listed but could not be used, with the reason. */
  readonly skipped: readonly SkippedTool[];
  /** What the server lists besides tools; absent when it offers none (or the snapshot is older). */
  readonly resources?: readonly ResourceDefinition[];
  readonly resourceTemplates?: readonly ResourceTemplateDefinition[];
  readonly prompts?: readonly PromptDefinition[];
}

/** A resource the server lists (MCP `Resource`), as far as the tree uses it. */
export interface ResourceDefinition {
  readonly uri: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType?: string;
}

/** A resource template (MCP `ResourceTemplate`): `uriTemplate` is an RFC 6570 URI template. */
export interface ResourceTemplateDefinition {
  readonly uriTemplate: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType?: string;
}

/** A prompt (MCP `Prompt`); its arguments are strings by the protocol. */
export interface PromptDefinition {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly arguments?: readonly PromptArgumentDefinition[];
}

export interface PromptArgumentDefinition {
  readonly name: string;
  readonly description?: string;
  readonly required?: boolean;
}

export interface ToolDefinition {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema: JsonObject;
  readonly outputSchema?: JsonObject;
  readonly annotations?: ToolAnnotations;
}

export interface ToolAnnotations {
  readonly title?: string;
  readonly readOnlyHint?: boolean;
  readonly destructiveHint?: boolean;
  readonly idempotentHint?: boolean;
  readonly openWorldHint?: boolean;
}

export interface SkippedTool {
  /** The tool's name when it had a usable one. */
  readonly name?: string;
  /** Position in the server's list (0-based, across pages). */
  readonly index: number;
  readonly reason: string;
}
