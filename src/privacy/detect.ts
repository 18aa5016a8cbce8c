/**
 * Finding personal data in a text: every finder of a server's privacy setting, their spans
 * merged so that no two overlap (the earliest wins, then the longest).
 */
import type { ResolvedPrivacy } from "../config/types.js";
import { BUILT_IN_FINDERS, patternFinder, type Finder, type Span } from "./finders.js";

export type { Span } from "./finders.js";

/** Finds the spans of personal data in a text, in order, none overlapping. */
export type Detector = (text: string) => Span[];

/** The detector of one server's privacy setting. */
export function detector(privacy: ResolvedPrivacy): Detector {
  const finders: Finder[] = [
    ...privacy.kinds.map((kind) => BUILT_IN_FINDERS[kind]),
    ...privacy.patterns.map(({ name, source }) => patternFinder(name, source)),
  ];
  return (text) => {
    // Nothing personal fits in a few characters, and most strings of a result are short keys,
    // ids and numbers: skip the finders for them.
    if (text.length < 6 && privacy.patterns.length === 0) return [];
    return withoutOverlaps(finders.flatMap((find) => find(text)));
  };
}

/** `spans` sorted by start, keeping of overlapping ones the first (and, at a tie, the longest). */
export function withoutOverlaps(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Span[] = [];
  let end = 0;
  for (const span of sorted) {
    if (span.start < end) continue;
    kept.push(span);
    end = span.end;
  }
  return kept;
}
