/**
 * Sorting by UTF-16 code units: the same order on every machine, unlike `localeCompare`, so
 * that generated files and plans never depend on where they were made.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
