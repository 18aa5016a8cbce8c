/** A count and its noun, plural unless the count is one: `1 tool`, `2 tools`, `0 servers`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
