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
  /** Static resources and templates (`resources.ts`), sorted by `identifier`. */
  readonly resources: readonly ResourceModel[];
  /** Prompts (`prompts.ts`), sorted by `identifier`. */
  readonly prompts: readonly PromptModel[];
}

/** A static resource (`uri`) or a resource template (`uriTemplate`, `variables`). */
export interface ResourceModel {
  /** The resource's `name`, as the server sent it. */
  readonly wireName: string;
  /** The function's name in `resources.ts`, e.g. `readArchitectureMd`. */
  readonly identifier: string;
  readonly title?: string;
  readonly description: string;
  readonly summary: string;
  readonly mimeType?: string;
  readonly uri?: string;
  readonly uriTemplate?: string;
  /** A template's parameters' type name, e.g. `ReadDynamicTextResourceParams`. */
  readonly paramsType?: string;
  readonly variables?: readonly TemplateVariable[];
  /** Hash of the definition as the server sent it. */
  readonly hash: string;
}

export interface TemplateVariable {
  readonly name: string;
  /** Only in query expressions (`{?q}`): expands to nothing when absent. */
  readonly optional: boolean;
  /** Exploded (`{/path*}`): takes a list too. */
  readonly list: boolean;
}

export interface PromptModel {
  /** The MCP name, exactly as the server sent it. */
  readonly wireName: string;
  /** The function's name in `prompts.ts`. */
  readonly identifier: string;
  /** Its arguments' type name, e.g. `CodeReviewArguments`. */
  readonly argumentsType: string;
  readonly title?: string;
  readonly description: string;
  readonly summary: string;
  readonly arguments: readonly {
    readonly name: string;
    readonly description: string;
    readonly required: boolean;
  }[];
  readonly hash: string;
}

export interface ToolModel {
  /** The MCP name, exactly as the server sent it: what goes on the wire. */
  readonly wireName: string;
  /** The exported function's name and its file's, e.g. `getDocument` (→ `getDocument.ts`). */
  readonly identifier: string;
  /** Prefix of the tool's type names, e.g. `GetDocument` (→ `GetDocumentInput`). */
  readonly typeName: string;
  /** Sanitised title, if any. */
  readonly title?: string;
  /** Sanitised description lines for the doc comment (may be empty). */
  readonly description: string;
  /** One line for the catalog and summaries (first sentence, capped). */
  readonly summary: string;
  /** The boolean hints of the tool's annotations (`readOnlyHint`, …); the title is `title`. */
  readonly annotations?: ToolAnnotations;
  /**
   * One JSON Schema document, `<typeName>Types`, whose `$defs` hold the input type
   * (`<typeName>Input`), the output type (`<typeName>Output`) when the tool has an output
   * schema, and the definitions of both, renamed: compiled together so that nested type names
   * of the two never clash (see `schema/types-document.ts`). Lowered to what the type compiler
   * knows.
   */
  readonly typesSchema: JsonObject;
  /** The tool has an output type: its `outputSchema`, or one the config gives it. */
  readonly hasOutput: boolean;
  /**
   * Hash of the output type the config gives the tool (then the stub returns its text result
   * parsed as JSON); absent when the server's definition alone decides its file.
   */
  readonly configuredOutput?: string;
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
