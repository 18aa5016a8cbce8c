/**
 * Resolving a file import (`./lib`, `../x.js`, an absolute path) the way esbuild does, but
 * asking the gate about every candidate, so that nothing outside the allowed roots is even
 * looked at: extensions are tried in esbuild's order, `.js` finds `.ts`, a folder its index.
 */
import * as path from "node:path";
import type { FileGate, Refusal } from "./file-gate.js";

export type Resolved =
  { readonly path: string } | { readonly refused: Refusal } | { readonly missing: true };

/** esbuild's default `resolveExtensions`, less `.css` (a program imports code and JSON). */
const EXTENSIONS = [".tsx", ".ts", ".jsx", ".js", ".json"];

/** TypeScript's convention: `./lib.js` in a .ts file means `./lib.ts` until it is compiled. */
const TYPESCRIPT_FOR: Readonly<Record<string, readonly string[]>> = {
  ".js": [".ts", ".tsx"],
  ".jsx": [".ts", ".tsx"],
  ".mjs": [".mts"],
  ".cjs": [".cts"],
};

/** The real path `specifier` names from `dir`, or why there is none to read. */
export function resolveFile(gate: FileGate, dir: string, specifier: string): Resolved {
  const base = path.resolve(dir, specifier);
  const folderOnly = /[/\\]$/.test(specifier) || specifier === "." || specifier === "..";
  let isFolder = false;
  if (!folderOnly) {
    const exact = gate.probe(base);
    if ("kind" in exact && exact.kind === "file") return { path: exact.realPath };
    if ("refused" in exact) return exact;
    isFolder = "kind" in exact;
    const ext = path.extname(base);
    const stem = base.slice(0, base.length - ext.length);
    const candidates = [
      ...EXTENSIONS.map((extension) => base + extension),
      ...(TYPESCRIPT_FOR[ext] ?? []).map((extension) => stem + extension),
    ];
    const found = firstFile(gate, candidates);
    if (found) return found;
  }
  if (folderOnly || isFolder) {
    const found = firstFile(
      gate,
      EXTENSIONS.map((extension) => path.join(base, `index${extension}`)),
    );
    if (found) return found;
  }
  return { missing: true };
}

/**
 * The first candidate that is a file. One whose very name is refused is passed over (`servers`
 * tries `servers.ts` beside the folder, outside it); one refused for what it turned out to be
 * ends the search: it is there, and it is what was meant.
 */
function firstFile(gate: FileGate, candidates: readonly string[]): Resolved | undefined {
  for (const candidate of candidates) {
    if (gate.spelled(candidate) !== undefined) continue;
    const probed = gate.probe(candidate);
    if ("refused" in probed) return probed;
    if ("kind" in probed && probed.kind === "file") return { path: probed.realPath };
  }
  return undefined;
}
