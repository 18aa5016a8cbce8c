/**
 * Whether a value survives `JSON.stringify` and `JSON.parse` as it is: null, strings, numbers,
 * booleans, arrays and plain objects of those, at most 32 levels deep. A property whose value
 * is `undefined` counts (JSON leaves it out, which reads back the same); an `undefined` array
 * item does not (it would come back as null), nor do functions, class instances or cycles.
 * Free of imports (like the rest of this file): the sandboxed program's runtime bundles it.
 */
export function isPlainJson(value: unknown, depth = 0): boolean {
  if (value === null || ["string", "number", "boolean"].includes(typeof value)) return true;
  if (depth > 32 || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.every((item) => isPlainJson(item, depth + 1));
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every((item) => item === undefined || isPlainJson(item, depth + 1));
}

/** A JSON object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What a value is, for a message: `an array`, `null`, `a string ("nope")`. */
export function kindOf(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `a ${typeof value} (${showValue(value)})`;
}

/** A short rendering of a value for a message: JSON, cut at 60 characters. */
export function showValue(value: unknown): string {
  if (value === undefined) return "nothing";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
