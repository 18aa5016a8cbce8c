import { createHash } from "node:crypto";

/**
 * JSON with object keys sorted at every level, so that the same data hashes the same whatever
 * order a server happened to send its keys in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    // fromEntries, not assignment: a key named `__proto__` must stay a key.
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((key) => [key, (v as Record<string, unknown>)[key]]),
    );
  });
}

/** A short content hash: 16 hex digits of SHA-256 are plenty to tell versions apart. */
export function shortHash(value: unknown): string {
  const text = typeof value === "string" ? value : canonicalJson(value ?? null);
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}
