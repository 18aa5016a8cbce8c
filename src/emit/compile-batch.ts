/**
 * Compiling many tools' types in one json-schema-to-typescript call. Its fixed cost per call
 * (dereferencing, linking, validating, cloning) is about half of a small tool's cost, so tools
 * are compiled in batches: every type name of tool i gets a prefix of its own that no server can
 * guess (letters from a random nonce), the documents are merged into one, and the output is split
 * back by prefix, which is then removed. Names never collide across tools, so each tool's types
 * come out exactly as a compile of that tool alone would write them.
 */
import { randomBytes } from "node:crypto";
import type { JsonObject, JsonValue } from "../introspect/snapshot.js";
import { parseDeclarations, type Declaration } from "./declarations.js";

export interface TypesJob {
  readonly typesSchema: JsonObject;
}

/** The merged document and, per tool, the prefix its names carry in it. */
export function mergeTypesDocuments(jobs: readonly TypesJob[]): {
  schema: JsonObject;
  prefixes: string[];
  root: string;
} {
  const nonce = randomLetters(10);
  const root = `${nonce}Batch`;
  const prefixes = jobs.map((_, i) => `${nonce}${letters(i)}`);
  const defs: JsonObject = {};
  const properties: JsonObject = {};
  jobs.forEach((job, i) => {
    const prefix = prefixes[i]!;
    for (const [name, def] of Object.entries(job.typesSchema.$defs as JsonObject)) {
      defs[prefix + name] = withPrefix(def, prefix);
    }
    // The root reaches what the tool's own container reaches (its input and output), in the
    // same order, so the compiler visits and names them as it would for the tool alone.
    for (const [name, ref] of Object.entries(job.typesSchema.properties as JsonObject)) {
      properties[prefix + name] = withPrefix(ref, prefix);
    }
  });
  return {
    root,
    prefixes,
    schema: { title: root, type: "object", properties, additionalProperties: false, $defs: defs },
  };
}

/**
 * Splits the compiler's output into the declarations of each tool (in the compiler's order),
 * picked by the prefix of their names, without the batch's root and with each tool's prefix
 * removed from its names and from the names its declarations refer to.
 */
export async function splitDeclarations(
  code: string,
  root: string,
  prefixes: readonly string[],
): Promise<Declaration[][]> {
  const out: Declaration[][] = prefixes.map(() => []);
  for (const { name, text } of await parseDeclarations(code)) {
    if (name === root) continue;
    const owner = prefixes.findIndex((p) => name.startsWith(p));
    if (owner < 0) throw new Error(`the compiled types declare ${name}, which no tool owns`);
    const prefix = prefixes[owner]!;
    out[owner]!.push({ name: name.slice(prefix.length), text: text.replaceAll(prefix, "") });
  }
  return out;
}

/** A copy of a lowered schema with every definition pointer and title carrying `prefix`. */
function withPrefix(node: JsonValue, prefix: string): JsonValue {
  if (Array.isArray(node)) return node.map((item) => withPrefix(item, prefix));
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => {
      if (key === "$ref" && typeof value === "string" && value.startsWith("#/$defs/")) {
        return [key, `#/$defs/${prefix}${value.slice("#/$defs/".length)}`];
      }
      if (key === "title" && typeof value === "string") return [key, prefix + value];
      // `enum` values are data, never schemas: copied as they are.
      if (key === "enum") return [key, value];
      return [key, withPrefix(value, prefix)];
    }),
  );
}

/** Upper-case first, letters only: survives the compiler's name mangling unchanged. */
function randomLetters(length: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  const bytes = randomBytes(length);
  let text = "Q";
  for (let i = 1; i < length; i++) text += alphabet[bytes[i]! % alphabet.length];
  return text;
}

/**
 * 0 → "AZ", 15 → "PZ", 16 → "BAZ": the index in letters A–P, ended by a Z that is not one of
 * them, so that no tool's prefix is the start of another's (and no digit follows the nonce).
 */
function letters(index: number): string {
  let text = "";
  let n = index;
  do {
    text = String.fromCharCode(65 + (n % 16)) + text;
    n = Math.floor(n / 16);
  } while (n > 0);
  return `${text}Z`;
}
