/**
 * A server's `envFile`: a dotenv file, as VS Code and Cursor read it for their `mcp.json`.
 * Parsed by `dotenv`'s `parse` (comments, `export`, quotes, `\n` in double quotes, multi-line
 * values; no `${VAR}` expansion, as in those clients). Node's own `util.parseEnv` was the
 * alternative: it needs Node 20.12 where we support 20.0, and Node 20's version folds a line
 * without `=` into the next variable's name, losing that variable.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import type { ConfigIssue } from "../errors.js";
import { issueAt } from "./issues.js";

/** What reading an envFile gave: its variables, or why this server cannot be used. */
type EnvFileRead =
  { readonly vars: Readonly<Record<string, string>> } | { readonly problem: ConfigIssue };

/**
 * Reads `file` (relative to `root`) with `readFile`. A file that cannot be read (not there yet
 * in a fresh clone, say) is a problem of this server alone, not of the config.
 */
// Loaded when a config names an envFile: every command and program start reads the config, and
// most configs have none.
let parser: typeof import("dotenv").parse | undefined;
const parse = (text: string): Record<string, string> =>
  (parser ??= (createRequire(import.meta.url)("dotenv") as typeof import("dotenv")).parse)(text);

export function readEnvFile(
  file: string,
  root: string,
  at: readonly PropertyKey[],
  readFile: ((file: string) => string) | undefined,
): EnvFileRead {
  const absolute = path.resolve(root, file);
  if (readFile === undefined) {
    return { problem: issueAt(at, `${absolute} is not read when a config is resolved in memory`) };
  }
  let text: string;
  try {
    text = readFile(absolute);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    return {
      problem: issueAt(
        at,
        `cannot read ${absolute} (${reason}): create it, or fix the path (relative to the config's folder)`,
      ),
    };
  }
  return { vars: parse(text.replace(/^\uFEFF/, "")) };
}
