/**
 * Values a JSON Schema accepts, for the property test in `accepted-values.test.ts`: made by
 * json-schema-faker from a seed, then kept only when Ajv says the schema accepts them (the
 * faker is a heuristic; the validator is the judge). Written back as TypeScript literals.
 */
import { createHash } from "node:crypto";
import { Ajv, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { generateSync, type GenerateSyncOptions, type JsonSchema } from "json-schema-faker";
import type { JsonObject, JsonValue } from "../../src/introspect/snapshot.js";

/** One value a schema accepts. */
export interface Sample {
  readonly value: unknown;
  /** Whether it was made to hold keys no property names, where the schema allows them. */
  readonly undeclaredKeys: boolean;
}

/** What `sampleValues` made of one schema: valid values, or why there are none. */
export interface Samples {
  readonly values: readonly Sample[];
  /** Made but rejected by the validator, or not made at all (the faker threw). */
  readonly dropped: number;
  /** Why no value can be judged: no validator compiles the schema (a remote or dangling `$ref`), or none can run. */
  readonly unsampleable?: string;
}

// Unoptimised code: a 2,000-property schema compiles in 0.6 s instead of 5 s, and speed of
// validating a few values does not matter. Only own properties count, as in the runtime.
const AJV_OPTIONS = {
  strict: false,
  validateFormats: true,
  validateSchema: false,
  ownProperties: true,
  code: { optimize: false },
} as const;

function withFormats<T extends Ajv>(ajv: T): T {
  addFormats.default(ajv);
  return ajv;
}

// Created on first use: Ajv's start-up is paid only by the test that samples.
let dialects: { draft07: Ajv; draft2020: Ajv } | undefined;

/** A validator for `schema`: its `$schema`'s dialect first (2020-12 by default), then the other. */
function compile(schema: JsonObject): ValidateFunction | string {
  dialects ??= {
    draft07: withFormats(new Ajv(AJV_OPTIONS)),
    draft2020: withFormats(new Ajv2020(AJV_OPTIONS)),
  };
  const declared = typeof schema.$schema === "string" ? schema.$schema : "";
  const order = /draft-0[4-7]/.test(declared)
    ? [dialects.draft07, dialects.draft2020]
    : [dialects.draft2020, dialects.draft07];
  let problem = "";
  for (const ajv of order) {
    try {
      // Without `$schema`: the dialect is the instance's, and Ajv would look the URI up.
      const { $schema: _dialect, ...rest } = schema;
      return ajv.compile(rest);
    } catch (error) {
      problem ||= error instanceof Error ? error.message : String(error);
    }
  }
  return problem;
}

interface Attempt {
  readonly schema: JsonValue;
  readonly options: GenerateSyncOptions;
  readonly undeclaredKeys: boolean;
}

/**
 * The i-th value's schema and options: every fourth leaves out every optional property, the
 * next fills them all in, the next flips a coin for each, and the last fills them all in and
 * adds keys no property names wherever the schema allows them (the faker never does that by
 * itself).
 */
function attempt(schema: JsonObject, i: number, seed: number): Attempt {
  const made = (options: GenerateSyncOptions, undeclaredKeys = false) => ({
    schema: undeclaredKeys ? withExtraKeys(schema) : schema,
    options: { seed, ...options },
    undeclaredKeys,
  });
  if (i % 4 === 0) return made({ optionalsProbability: 0 });
  if (i % 4 === 1) return made({ alwaysFakeOptionals: true });
  if (i % 4 === 2) return made({ optionalsProbability: 0.5 });
  return made({ alwaysFakeOptionals: true }, true);
}

const SUBSCHEMA_LISTS = ["anyOf", "oneOf", "allOf", "prefixItems", "items"];
const SUBSCHEMA_MAPS = ["properties", "patternProperties", "$defs", "definitions"];

/**
 * A copy of `schema` asking for two keys more than its properties in every object that allows
 * other keys (`minProperties`, which the faker fills with keys of its own). Only what the
 * faker reads changes: the validator still judges by the schema itself.
 */
function withExtraKeys(schema: JsonValue): JsonValue {
  if (Array.isArray(schema)) return schema.map(withExtraKeys);
  if (schema === null || typeof schema !== "object") return schema;
  const copy = Object.fromEntries(
    Object.entries(schema).map(([key, value]): [string, JsonValue] => {
      if (SUBSCHEMA_LISTS.includes(key) || key === "additionalProperties") {
        return [key, withExtraKeys(value)];
      }
      if (SUBSCHEMA_MAPS.includes(key) && value !== null && typeof value === "object") {
        const entries = Object.entries(value).map(([k, v]): [string, JsonValue] => [
          k,
          withExtraKeys(v),
        ]);
        return [key, Object.fromEntries(entries)];
      }
      return [key, value];
    }),
  );
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const open =
    types.includes("object") &&
    schema.additionalProperties !== false &&
    schema.unevaluatedProperties !== false &&
    schema.minProperties === undefined &&
    schema.maxProperties === undefined;
  if (!open) return copy;
  const properties = schema.properties;
  const listed = properties && typeof properties === "object" ? Object.keys(properties).length : 0;
  return { ...copy, minProperties: listed + 2 };
}

// The faker stops at 5 levels and fills what is deeper with empty values, which a schema with
// required properties further down (the hostile 40-level chain) rejects. When no value of the
// first pass is valid, a second one goes deeper, required properties only and one item an
// array, so that recursive schemas stay small.
const DEEP: GenerateSyncOptions = { maxDepth: 64, optionalsProbability: 0, maxDefaultItems: 1 };

/** `count` values `schema` accepts, from seeds derived from `label` (same label, same values). */
export function sampleValues(schema: JsonObject, label: string, count: number): Samples {
  const validate = compile(schema);
  if (typeof validate === "string") return { values: [], dropped: 0, unsampleable: validate };
  const base = createHash("sha256").update(label).digest().readUInt32BE(0);
  const values: Sample[] = [];
  let dropped = 0;
  for (const deep of [false, true]) {
    if (deep && values.length > 0) break;
    for (let i = 0; i < count; i += 1) {
      const seed = (base + i) % 2 ** 31;
      const made: Attempt = deep
        ? { schema, options: { ...DEEP, seed }, undeclaredKeys: false }
        : attempt(schema, i, seed);
      let value: unknown;
      try {
        // The synchronous generator never resolves a remote or file `$ref`: it throws.
        value = generateSync(made.schema as JsonSchema, made.options);
      } catch {
        dropped += 1;
        continue;
      }
      let valid: boolean;
      try {
        valid = validate(value);
      } catch (error) {
        // Ajv's code for thousands of properties overflows the stack: no judge, no values.
        return { values: [], dropped: 0, unsampleable: (error as Error).message };
      }
      if (valid) values.push({ value, undeclaredKeys: made.undeclaredKeys });
      else dropped += 1;
    }
  }
  return { values, dropped };
}

/**
 * `value` as a TypeScript expression that evaluates to the same JSON: JSON itself, except that
 * a `__proto__` key is computed (`["__proto__"]: …`), since a plain one sets the prototype.
 */
export function toLiteral(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(toLiteral).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(
      ([key, item]) =>
        `${key === "__proto__" ? '["__proto__"]' : JSON.stringify(key)}: ${toLiteral(item)}`,
    );
    return `{ ${entries.join(", ")} }`;
  }
  return JSON.stringify(value);
}
