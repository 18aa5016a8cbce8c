import { formatPath } from "../config/issues.js";
import { redactText, secretPattern } from "../connect/index.js";
import type { JsonObject, ServerSnapshot, ToolDefinition } from "./snapshot.js";
import { setOwn } from "./tool-definition.js";

/** A secret found where text must stay as the server sent it: a name, a key, a wire value. */
export interface SecretInName {
  /** The tool's name, with any secret in it redacted: safe to print. */
  readonly tool: string;
  /** Where in the tool: `name`, `inputSchema.properties["key_[REDACTED]"]`, `…enum.1`. */
  readonly field: string;
  /** The secret itself, to find which config value it is; never print it. */
  readonly secret: string;
}

export interface RedactedSnapshot {
  readonly snapshot: ServerSnapshot;
  /** How many occurrences were replaced with `[REDACTED]`. */
  readonly redactions: number;
  /** Secrets in names, keys and wire values, which are left as they are (see below). */
  readonly inNames: readonly SecretInName[];
}

/**
 * Free text only: `[REDACTED]` replaces every secret in what a server says in words (server
 * info, instructions, titles, descriptions, annotation titles, skip reasons, and in schemas
 * descriptions, titles, defaults and examples). A server that echoes a token it was given
 * would otherwise carry it into `inspect` output and generated files.
 *
 * Names are never rewritten: a tool called `create_[REDACTED]` does not exist on the server,
 * and a property or an enum member rewritten is a type the server rejects. Secrets found in a
 * tool's name, in a schema's keys, or in `enum`, `const`, `required` and `$ref` values are
 * returned in `inNames` for the caller to fail the server on.
 *
 * `snapshot.name` is left as is: it is the config's own key for the server, not something the
 * server sent. Pure: the input is not modified.
 */
export function redactSnapshot(
  snapshot: ServerSnapshot,
  secrets: readonly string[],
): RedactedSnapshot {
  const pattern = secretPattern(secrets);
  if (!pattern) return { snapshot, redactions: 0, inNames: [] };
  let redactions = 0;
  const inNames: SecretInName[] = [];
  const text = (value: string): string => {
    const result = redactText(value, pattern);
    redactions += result.count;
    return result.text;
  };
  const shown = (value: string) => redactText(value, pattern).text;

  const tool = (definition: ToolDefinition): ToolDefinition => {
    const name = shown(definition.name);
    const found = (field: readonly PropertyKey[], value: string) => {
      const secret = value.match(pattern)?.[0];
      if (secret !== undefined) inNames.push({ tool: name, field: formatPath(field), secret });
    };
    found(["name"], definition.name);
    const { inputSchema, outputSchema, title, description, annotations } = definition;
    return {
      name: definition.name,
      ...(title !== undefined ? { title: text(title) } : {}),
      ...(description !== undefined ? { description: text(description) } : {}),
      inputSchema: walkSchema(inputSchema, ["inputSchema"], "schema", text, shown, found),
      ...(outputSchema !== undefined
        ? { outputSchema: walkSchema(outputSchema, ["outputSchema"], "schema", text, shown, found) }
        : {}),
      ...(annotations !== undefined
        ? { annotations: walkSchema(annotations, [], "doc", text, shown, found) }
        : {}),
    };
  };

  const { info, instructions, protocolVersion } = snapshot;
  const redacted: ServerSnapshot = {
    name: snapshot.name,
    info: {
      name: text(info.name),
      version: text(info.version),
      ...(info.title !== undefined ? { title: text(info.title) } : {}),
    },
    ...(instructions !== undefined ? { instructions: text(instructions) } : {}),
    ...(protocolVersion !== undefined ? { protocolVersion } : {}),
    tools: snapshot.tools.map(tool),
    // Skipped tools are never generated: their names are only reported, so they are redacted.
    skipped: snapshot.skipped.map((skip) => ({
      ...skip,
      ...(skip.name !== undefined ? { name: text(skip.name) } : {}),
      reason: text(skip.reason),
    })),
  };
  return { snapshot: redacted, redactions, inNames };
}

/** Keywords whose value is documentation: redacted whole, keys included. */
const DOC_KEYWORDS = new Set(["default", "examples"]);
/** Keywords whose values go on the wire or name something: never rewritten. */
const WIRE_KEYWORDS = new Set(["enum", "const", "required", "dependentRequired", "$ref"]);
/** Keywords whose value maps names (of properties, definitions) to schemas. */
const NAME_MAPS = new Set([
  "properties",
  "patternProperties",
  "$defs",
  "definitions",
  "dependentSchemas",
]);

/**
 * `schema`: keys are keywords and strings their values (descriptions: redacted); `names`: an
 * object of names to schemas; `doc`: documentation, everything redacted; `wire`: values that
 * go on the wire, nothing rewritten.
 */
type Mode = "schema" | "names" | "doc" | "wire";

/** Walks a schema (or annotations) by the modes above; keys outside `doc` are never rewritten. */
function walkSchema<T>(
  value: T,
  at: readonly PropertyKey[],
  mode: Mode,
  text: (value: string) => string,
  shown: (value: string) => string,
  found: (field: readonly PropertyKey[], value: string) => void,
): T {
  const childMode = (inside: Mode, key: string): Mode => {
    if (inside === "names") return "schema";
    if (inside !== "schema") return inside;
    if (DOC_KEYWORDS.has(key)) return "doc";
    if (WIRE_KEYWORDS.has(key)) return "wire";
    return NAME_MAPS.has(key) ? "names" : "schema";
  };
  const walk = (item: unknown, path: readonly PropertyKey[], inside: Mode): unknown => {
    if (typeof item === "string") {
      if (inside !== "wire") return text(item);
      found(path, item);
      return item;
    }
    if (Array.isArray(item)) return item.map((entry, i) => walk(entry, [...path, i], inside));
    if (typeof item !== "object" || item === null) return item;
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(item as JsonObject)) {
      const keyPath = [...path, shown(key)];
      if (inside === "doc") {
        setOwn(out, text(key), walk(entry, keyPath, "doc"));
      } else {
        found(keyPath, key);
        setOwn(out, key, walk(entry, keyPath, childMode(inside, key)));
      }
    }
    return out;
  };
  return walk(value, at, mode) as T;
}
