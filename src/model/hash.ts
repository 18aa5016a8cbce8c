import { createHash } from "node:crypto";

/**
 * JSON with object keys sorted at every level, so that the same data hashes the same whatever
 * order a server happened to send its keys in. Written out directly rather than through a
 * `JSON.stringify` replacer: it runs over every schema of every tool on each run.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    return JSON.stringify(value) ?? "null";
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? "null" : canonicalJson(item))).join(",")}]`;
  }
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item === undefined || typeof item === "function") continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(item)}`);
  }
  return `{${parts.join(",")}}`;
}

/** A short content hash: 16 hex digits of SHA-256 are plenty to tell versions apart. */
export function shortHash(value: unknown): string {
  const text = typeof value === "string" ? value : canonicalJson(value ?? null);
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}
