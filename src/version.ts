import { compareCodeUnits } from "./compare.js";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { shortHash } from "./model/hash.js";

/** The generator's version, from its own package.json (recorded in every manifest). */
export const GENERATOR_VERSION: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;

// The code that decides what a generated file contains, and the libraries it leans on.
const OUTPUT_FOLDERS = ["model", "emit", "format"];
const OUTPUT_LIBRARIES = ["json-schema-to-typescript", "prettier", "@prettier/plugin-oxc"];

let fingerprint: string | undefined;

/**
 * A hash of everything that shapes the output: this version, the generator's own model, emit
 * and format modules, and the versions of the compiler and formatter. Cached files are reused
 * only under the same fingerprint, so a changed emitter never leaves stale files behind, even
 * without a version bump. Deterministic: file contents, never paths or times.
 */
export function generatorFingerprint(): string {
  if (fingerprint) return fingerprint;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const sources = OUTPUT_FOLDERS.flatMap((folder) => listModules(path.join(here, folder))).map(
    (file) => readFileSync(file, "utf8"),
  );
  const require = createRequire(import.meta.url);
  const libraries = OUTPUT_LIBRARIES.map((name) => {
    const pkg = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as {
      version: string;
    };
    return `${name}@${pkg.version}`;
  });
  fingerprint = shortHash([GENERATOR_VERSION, libraries, sources]);
  return fingerprint;
}

/** The module files of a folder and its subfolders, sorted: `.js` when built, `.ts` under tsx. */
function listModules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => compareCodeUnits(a.name, b.name))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return listModules(full);
      return /\.(js|ts)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [full] : [];
    });
}
