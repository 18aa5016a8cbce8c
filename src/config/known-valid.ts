/**
 * Validation, skipped for a config already seen to be valid. Validating loads zod (~70 ms),
 * which `mcp-codegen run` and every program's runtime would pay on each start for a config
 * that rarely changes. A hash of the raw config (before `${VAR}` is filled in, so no secret
 * values from the environment) and of the validator's own code is remembered in a small file
 * of this user's; anything unusual (a function in the config, no cache folder) just validates.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { ConfigIssue } from "../errors.js";
import { canonicalJson, shortHash } from "../model/hash.js";
import { isPlainJson } from "../plain-json.js";
import { privateTempDir } from "../private-temp.js";

const CACHE_FILE = "valid-configs.txt";
const KEEP = 64;

/** Every validation problem of `raw` (none for a config known to be valid). */
export async function validationIssues(raw: unknown): Promise<readonly ConfigIssue[]> {
  const dir = privateTempDir();
  const key = dir === undefined ? undefined : cacheKey(raw);
  const file = dir === undefined ? "" : path.join(dir, CACHE_FILE);
  const known = key === undefined ? [] : readKeys(file);
  if (key !== undefined && known.includes(key)) return [];
  const { configIssues } = await import("./validate.js");
  const issues = configIssues(raw);
  if (issues.length === 0 && key !== undefined) remember(file, key, known);
  return issues;
}

function cacheKey(raw: unknown): string | undefined {
  // Only JSON-like data has a faithful hash (a function would hash as `null`).
  if (!isPlainJson(raw)) return undefined;
  const validator = validatorSource();
  return validator === undefined ? undefined : shortHash([validator, canonicalJson(raw)]);
}

let validatorHash: string | undefined;

/** A hash of the validator's code: a changed rule must never trust an older verdict. */
function validatorSource(): string | undefined {
  if (validatorHash !== undefined) return validatorHash;
  const js = fileURLToPath(new URL("./validate.js", import.meta.url));
  const file = existsSync(js) ? js : js.replace(/\.js$/, ".ts");
  try {
    validatorHash = shortHash(readFileSync(file, "utf8"));
    return validatorHash;
  } catch {
    return undefined;
  }
}

function readKeys(file: string): string[] {
  try {
    return readFileSync(file, "utf8").split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

function remember(file: string, key: string, known: readonly string[]): void {
  const keys = [key, ...known.filter((k) => k !== key)].slice(0, KEEP);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, `${keys.join("\n")}\n`, { mode: 0o600 });
    renameSync(temp, file);
  } catch {
    // a cache: failing to write it costs the next run a validation, nothing more
  }
}
