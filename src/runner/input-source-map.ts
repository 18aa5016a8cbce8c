/**
 * A `//# sourceMappingURL=` comment makes esbuild read the file it names by itself, past every
 * plugin: `/dev/zero` fills its memory, a FIFO hangs it, and a JSON file's `sources` and
 * `names` land in the bundle's source map, which the program can read. esbuild obeys the last
 * such comment, so one is added at the end of every file that mentions one: the map the file
 * named, read through the gate and inlined, or else a map of the file onto itself.
 */
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { FileGate } from "./file-gate.js";

/** The comments esbuild takes for a source map: `//#`, `//@`, `/*#`, `/*@`, then one space. */
const PRAGMA = /\/[/*][#@] sourceMappingURL=(\S+)/g;

/** `code` with a last source map comment that esbuild may follow without reading any file. */
export function withGatedSourceMap(code: string, file: string, gate: FileGate): string {
  if (!code.includes("sourceMappingURL")) return code;
  // The last one in the text, even if in a string: reading the wrong map only costs positions.
  const url = [...code.matchAll(PRAGMA)].at(-1)?.[1]?.replace(/\*\/$/, "");
  const map = url === undefined ? undefined : mapAt(url, file, gate);
  return `${code}\n//# sourceMappingURL=${map ?? dataUrl(identityMap(code, file))}\n`;
}

/** The map `url` names, as a data URL, if the gate lets it be read. */
function mapAt(url: string, file: string, gate: FileGate): string | undefined {
  // esbuild parses a data URL in memory: nothing to read.
  if (url.startsWith("data:")) return url;
  try {
    const resolved = new URL(url, pathToFileURL(path.join(path.dirname(file), "/")));
    if (resolved.protocol !== "file:") return undefined;
    const read = gate.read(fileURLToPath(resolved));
    return "bytes" in read ? dataUrl(read.bytes.toString("utf8")) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Each line onto itself, at its start: what esbuild does without a map, less the columns (an
 * empty or invalid map would be an error, or lose the lines too).
 */
function identityMap(code: string, file: string): string {
  const lines = code.split("\n").length;
  return JSON.stringify({
    version: 3,
    sources: [path.basename(file)],
    names: [],
    mappings: `AAAA${";AACA".repeat(lines - 1)}`,
  });
}

function dataUrl(json: string): string {
  return `data:application/json;base64,${Buffer.from(json).toString("base64")}`;
}
