/**
 * Applying a string function to every string of a JSON value, keys included, keeping its
 * shape. Base64 payloads (an image's or audio's `data`, a resource's `blob`) are left alone:
 * digits inside them are no card number, and changing them would break the file.
 */
import { RuntimeError } from "../runtime/errors.js";

/** Deeper than any result a person means; a result nested deeper is refused, not passed on unread. */
const MAX_DEPTH = 256;

/** `value` with `change` applied to its strings; `value` itself is not modified. */
export function mapStrings(value: unknown, change: (text: string) => string): unknown {
  return walk(value, change, 0);
}

function walk(value: unknown, change: (text: string) => string, depth: number): unknown {
  if (typeof value === "string") return change(value);
  if (typeof value !== "object" || value === null) return value;
  if (depth > MAX_DEPTH) {
    throw new RuntimeError(
      `a value nested deeper than ${MAX_DEPTH} levels cannot be checked for personal data; it was not passed on`,
    );
  }
  if (Array.isArray(value)) return value.map((item) => walk(item, change, depth + 1));
  const record = value as Record<string, unknown>;
  const binary = record.type === "image" || record.type === "audio";
  // fromEntries defines own properties: a "__proto__" key stays a key, not a prototype.
  return Object.fromEntries(
    Object.entries(record).map(([key, item]) => [
      change(key),
      key === "blob" || (binary && key === "data") ? item : walk(item, change, depth + 1),
    ]),
  );
}
