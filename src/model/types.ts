/**
 * The intermediate representation: everything the emitters need, decided once. Plain, readonly,
 * JSON-serialisable data; naming, sanitising and schema lowering all happen before it exists.
 */
import type { JsonObject, ToolAnnotations } from "../introspect/snapshot.js";
import type { Warning } from "../log.js";

export interface Model {
  readonly servers: readonly ServerModel[];
  readonly warnings: readonly Warning[];
}

export interface ServerModel {
  /** The config's name for the server; what generated code passes to the runtime. */
  readonly name: string;
  /** Folder under `servers/` (safe, unique case-insensitively). */
  readonly dir: string;
  /** Identifier of the server's namespace in `servers/index.ts`. */
  readonly namespace: string;
  readonly info: { readonly name: string; readonly version: string; readonly title?: string };
  /** Sanitised, single paragraph; may be empty. */
  readonly instructions: string;
  /** The protocol revision negotiated with the server, when the snapshot recorded it. */
  readonly protocolVersion?: string;
  /** Sorted by `identifier`. */
  readonly tools: readonly ToolModel[];
}

export interface ToolModel {
  /** The MCP name, exactly as the server sent it: what goes on the wire. */
  readonly wireName: string;
  /** The exported function's name, e.g. `getDocument`. */
  readonly identifier: string;
  /** File name without extension, e.g. `getDocument` (→ `getDocument.ts`). */
  readonly fileBase: string;
  /** Prefix of the tool's type names, e.g. `GetDocument` (→ `GetDocumentInput`). */
  readonly typeName: string;
  /** Sanitised title, if any. */
  readonly title?: string;
  /** Sanitised description lines for the doc comment (may be empty). */
  readonly description: string;
  /** One line for the catalog and summaries (first sentence, capped). */
  readonly summary: string;
  readonly annotations?: ToolAnnotations;
  /**
   * One JSON Schema document holding the input type at its root and, when the tool has an
   * output schema, the output type under `definitions[<typeName>Output]`: compiled together
   * so that nested type names of the two never clash. Lowered to what the type compiler knows.
   */
  readonly typesSchema: JsonObject;
  readonly hasOutput: boolean;
  readonly hashes: ToolHashes;
}

/** Short content hashes of a tool's definition, kept in the manifest to detect drift. */
export interface ToolHashes {
  /** The whole definition (name, title, description, schemas, annotations). */
  readonly definition: string;
  readonly description: string;
  readonly inputSchema: string;
  readonly outputSchema: string;
  readonly annotations: string;
}
