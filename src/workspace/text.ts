/** A workspace listing as the text a person (or, through serve, a model) reads. */
import { plural } from "../plural.js";
import type { WorkspaceListing } from "./listing.js";

export function listingText(listing: WorkspaceListing, shown: string = listing.dir): string {
  const limit = `a run may add up to ${listing.maxWorkspaceMb} MB (run.maxWorkspace)`;
  if (!listing.exists) return `${shown} does not exist yet; ${limit}.\n`;
  const lines = [
    `${shown}: ${plural(listing.files, "file")}, ${bytes(listing.totalBytes)}; ${limit}.`,
  ];
  for (const entry of listing.entries) {
    const size = entry.kind === "file" || entry.kind === "dir" ? bytes(entry.bytes) : entry.kind;
    lines.push(`  ${size.padStart(9)}  ${entry.path}${entry.kind === "dir" ? "/" : ""}`);
  }
  if (listing.truncated > 0)
    lines.push(`  … and ${listing.truncated} more entries (--json lists the first 1,000 too)`);
  return `${lines.join("\n")}\n`;
}

/** Bytes as a person reads them: 812 B, 12.4 kB, 3.1 MB (powers of 1,000, as `ls -h --si`). */
export function bytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = n;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
