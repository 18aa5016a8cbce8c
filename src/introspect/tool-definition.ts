import { isRecord, kindOf, showValue } from "../plain-json.js";
import type { JsonObject, JsonValue, ToolAnnotations, ToolDefinition } from "./snapshot.js";

/** A listed tool, checked on its own: kept as a copied definition, or skipped with a reason. */
export type CheckedTool =
  | {
      readonly ok: true;
      readonly tool: ToolDefinition;
      /** Set when a part of a schema nested past the depth cap was cut (typed as unknown). */
      readonly truncated?: string;
    }
  | { readonly ok: false; readonly name?: string; readonly reason: string };

/**
 * Schema parts nested deeper than this are cut (kept as `{}`, any value) rather than risk a
 * stack overflow downstream; the tool stays.
 */
export const MAX_SCHEMA_DEPTH = 256;

const HINTS = ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const;

/**
 * Checks one entry of a `tools/list` result and copies what the snapshot keeps: name, title,
 * description, inputSchema, outputSchema and the known annotation fields. `_meta`, icons and
 * unknown fields are dropped; nothing in the result references the SDK's objects.
 *
 * Lenient where a value is only advisory: `null` in an optional field counts as absent (some
 * server frameworks serialise missing values that way), and an annotation hint that is not a
 * boolean is dropped. Strict where code would be generated from it: name and schemas.
 */
export function checkTool(raw: unknown): CheckedTool {
  if (!isRecord(raw)) return { ok: false, reason: `a tool must be an object, got ${kindOf(raw)}` };
  const name = raw["name"];
  if (typeof name !== "string" || name.length === 0) {
    return { ok: false, reason: `name must be a non-empty string, got ${showValue(name)}` };
  }
  const skip = (reason: string): CheckedTool => ({ ok: false, name, reason });

  for (const field of ["title", "description"] as const) {
    const value = raw[field];
    if (value != null && typeof value !== "string")
      return skip(`${field} must be a string, got ${kindOf(value)}`);
  }
  const inputProblem = schemaProblem(raw["inputSchema"], "inputSchema", true);
  if (inputProblem) return skip(inputProblem);
  const outputProblem = schemaProblem(raw["outputSchema"], "outputSchema", false);
  if (outputProblem) return skip(outputProblem);
  const annotations = raw["annotations"];
  if (annotations != null && !isRecord(annotations)) {
    return skip(`annotations must be an object, got ${kindOf(annotations)}`);
  }

  let inputSchema: JsonObject;
  let outputSchema: JsonObject | undefined;
  const cut = { parts: 0 };
  try {
    inputSchema = copyJson(raw["inputSchema"], 0, cut) as JsonObject;
    outputSchema =
      raw["outputSchema"] == null
        ? undefined
        : (copyJson(raw["outputSchema"], 0, cut) as JsonObject);
  } catch (error) {
    return skip((error as Error).message);
  }
  const title = raw["title"];
  const description = raw["description"];
  const kept = annotations == null ? undefined : copyAnnotations(annotations);
  const tool: ToolDefinition = {
    name,
    ...(typeof title === "string" ? { title } : {}),
    ...(typeof description === "string" ? { description } : {}),
    inputSchema,
    ...(outputSchema ? { outputSchema } : {}),
    ...(kept ? { annotations: kept } : {}),
  };
  return cut.parts === 0
    ? { ok: true, tool }
    : {
        ok: true,
        tool,
        truncated: `its schema nests more than ${MAX_SCHEMA_DEPTH} levels deep; ${cut.parts} part${cut.parts === 1 ? " was" : "s were"} cut and typed as unknown`,
      };
}

function schemaProblem(schema: unknown, field: string, required: boolean): string | undefined {
  if (schema == null) return required ? `${field} is missing` : undefined;
  if (!isRecord(schema)) return `${field} must be an object, got ${kindOf(schema)}`;
  const type = schema["type"];
  if (type !== "object") {
    return `${field}.type must be "object", got ${type === undefined ? "no type" : showValue(type)}`;
  }
  return undefined;
}

function copyAnnotations(raw: Record<string, unknown>): ToolAnnotations | undefined {
  const out: { -readonly [K in keyof ToolAnnotations]: ToolAnnotations[K] } = {};
  if (typeof raw["title"] === "string") out.title = raw["title"];
  for (const hint of HINTS) {
    const value = raw[hint];
    if (typeof value === "boolean") out[hint] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * A deep copy of parsed JSON; a part nested past the cap becomes `{}` and is counted in `cut`.
 * Throws (with a message fit for a skip reason) on a value that is not JSON.
 */
function copyJson(value: unknown, depth: number, cut: { parts: number }): JsonValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (depth > MAX_SCHEMA_DEPTH) {
    cut.parts += 1;
    return {};
  }
  if (Array.isArray(value)) return value.map((item) => copyJson(item, depth + 1, cut));
  if (isRecord(value)) {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      setOwn(out, key, copyJson(item, depth + 1, cut));
    }
    return out;
  }
  throw new Error(`schema contains a value that is not JSON (${typeof value})`);
}

/**
 * Sets a property without invoking setters: a schema property named `__proto__` (JSON.parse
 * makes it an own property) must stay data, not replace the copy's prototype.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}
