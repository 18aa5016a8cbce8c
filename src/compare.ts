/**
 * Sorting by UTF-16 code units: the same order on every machine, unlike `localeCompare`, so
 * that generated files and plans never depend on where they were made.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A copy of `record` with its keys in code-unit order (own entries only, `__proto__` kept). */
export function sortKeys<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareCodeUnits(a, b)));
}
