import { formatPath } from "../config/issues.js";
import { redactText, secretPattern } from "../connect/index.js";
import type { JsonObject, PromptDefinition, ServerSnapshot, ToolDefinition } from "./snapshot.js";
import { setOwn } from "./tool-definition.js";

/** A secret found where text must stay as the server sent it: a name, a key, a wire value. */
export interface SecretInName {
  /** What holds it; a tool unless said. */
  readonly kind?: "resource" | "resource template" | "prompt";
  /** The tool's (resource's, prompt's) name, with any secret in it redacted: safe to print. */
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
  const redactor = new Redactor(pattern);
  const text = (value: string) => redactor.text(value);
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
    tools: snapshot.tools.map((tool) => redactor.tool(tool)),
    // Skipped tools are never generated: their names are only reported, so they are redacted.
    skipped: snapshot.skipped.map((skip) => ({
      ...skip,
      ...(skip.name !== undefined ? { name: text(skip.name) } : {}),
      reason: text(skip.reason),
    })),
    ...redactor.extras(snapshot),
  };
  return { snapshot: redacted, redactions: redactor.redactions, inNames: redactor.inNames };
}

/** One snapshot's redaction: what it replaced, and the secrets found where nothing is replaced. */
class Redactor {
  redactions = 0;
  readonly inNames: SecretInName[] = [];

  constructor(private readonly pattern: RegExp) {}

  /** Free text with every secret replaced (and counted). */
  text(value: string): string {
    const result = redactText(value, this.pattern);
    this.redactions += result.count;
    return result.text;
  }

  /** Text as it may be shown in a message: redacted, not counted. */
  shown(value: string): string {
    return redactText(value, this.pattern).text;
  }

  /** Records a secret in a value that is never rewritten. */
  found(where: Omit<SecretInName, "secret">, value: string): void {
    const secret = value.match(this.pattern)?.[0];
    if (secret !== undefined) this.inNames.push({ ...where, secret });
  }

  tool(definition: ToolDefinition): ToolDefinition {
    const name = this.shown(definition.name);
    const text = (value: string) => this.text(value);
    const shown = (value: string) => this.shown(value);
    const found = (field: readonly PropertyKey[], value: string) =>
      this.found({ tool: name, field: formatPath(field) }, value);
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
  }

  /** Resources, templates and prompts: names, URIs and argument names kept as sent, like tools'. */
  extras(snapshot: ServerSnapshot): Partial<ServerSnapshot> {
    const { resources, resourceTemplates, prompts } = snapshot;
    return {
      ...(resources ? { resources: resources.map((r) => this.named("resource", r, ["uri"])) } : {}),
      ...(resourceTemplates
        ? {
            resourceTemplates: resourceTemplates.map((r) =>
              this.named("resource template", r, ["uriTemplate"]),
            ),
          }
        : {}),
      ...(prompts ? { prompts: prompts.map((p) => this.prompt(p)) } : {}),
    };
  }

  private named<T extends { name: string; title?: string; description?: string }>(
    kind: NonNullable<SecretInName["kind"]>,
    item: T,
    wire: readonly (keyof T & string)[],
  ): T {
    const label = this.shown(item.name);
    for (const field of ["name", ...wire]) {
      const value = item[field as keyof T];
      if (typeof value === "string") this.found({ kind, tool: label, field }, value);
    }
    return {
      ...item,
      ...(item.title !== undefined ? { title: this.text(item.title) } : {}),
      ...(item.description !== undefined ? { description: this.text(item.description) } : {}),
    };
  }

  private prompt(definition: PromptDefinition): PromptDefinition {
    const redacted = this.named("prompt", definition, []);
    if (definition.arguments === undefined) return redacted;
    const label = this.shown(definition.name);
    return {
      ...redacted,
      arguments: definition.arguments.map((argument, i) => {
        this.found({ kind: "prompt", tool: label, field: `arguments.${i}.name` }, argument.name);
        return argument.description !== undefined
          ? { ...argument, description: this.text(argument.description) }
          : argument;
      }),
    };
  }
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
