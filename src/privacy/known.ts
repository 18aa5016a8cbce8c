/**
 * Finding, in a text, the values that already have tokens: thousands of fixed strings at once.
 * One regex alternating between them all costs the text's length times their number (16,000
 * values made 1 MB take 90 s); an index by each value's first three characters, then by its
 * length, makes it a lookup a position and one a length of the values starting there.
 */
import type { Span } from "./finders.js";

const KEY_LENGTH = 3;

export class KnownValues {
  /** Values by the code units of their first KEY_LENGTH characters, with their lengths. */
  private readonly byKey = new Map<number, { lengths: number[]; values: Set<string> }>();
  /** Values shorter than a key (a configured pattern's), found by a regex: few, short. */
  private readonly short: string[] = [];
  private shortPattern: RegExp | undefined;

  constructor(values: Iterable<string>) {
    for (const value of values) {
      if (value.length < KEY_LENGTH) {
        this.short.push(value);
        continue;
      }
      const key = keyAt(value, 0);
      const bucket = this.byKey.get(key) ?? { lengths: [], values: new Set<string>() };
      this.byKey.set(key, bucket);
      bucket.values.add(value);
      if (!bucket.lengths.includes(value.length)) bucket.lengths.push(value.length);
    }
    // Longest first: of two values starting at one place, the longer one is the value.
    for (const bucket of this.byKey.values()) bucket.lengths.sort((a, b) => b - a);
    if (this.short.length > 0) {
      const escaped = this.short.map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
      this.shortPattern = new RegExp(escaped.sort((a, b) => b.length - a.length).join("|"), "g");
    }
  }

  /** Where known values occur in `text` (they may overlap; the caller keeps the first). */
  in(text: string): Span[] {
    const spans: Span[] = [];
    for (let at = 0; at + KEY_LENGTH <= text.length; at++) {
      const bucket = this.byKey.get(keyAt(text, at));
      if (bucket === undefined) continue;
      const length = bucket.lengths.find((n) => bucket.values.has(text.slice(at, at + n)));
      if (length === undefined) continue;
      spans.push({ start: at, end: at + length, kind: "" });
      at += length - 1;
    }
    if (this.shortPattern) {
      for (const match of text.matchAll(this.shortPattern)) {
        spans.push({ start: match.index, end: match.index + match[0].length, kind: "" });
      }
    }
    return spans;
  }
}

/** The code units of `text` at `at`, `at + 1`, `at + 2` as one number (below 2^48: exact). */
function keyAt(text: string, at: number): number {
  return (text.charCodeAt(at) * 65536 + text.charCodeAt(at + 1)) * 65536 + text.charCodeAt(at + 2);
}
