/** `--profile <file>` of generate and check: the generator's phase timings, as JSON. */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { WriteError } from "../errors.js";

/**
 * Writes `{ command, totalMs, phases }` to `file` (relative to `cwd`): the milliseconds of each
 * phase in the order they ran, for a script or CI to compare between runs.
 */
export function writeProfile(
  file: string,
  cwd: string,
  command: "generate" | "check",
  timings: Readonly<Record<string, number>>,
): void {
  const target = path.resolve(cwd, file);
  const totalMs = Object.values(timings).reduce((a, b) => a + b, 0);
  try {
    writeFileSync(target, `${JSON.stringify({ command, totalMs, phases: timings }, null, 2)}\n`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new WriteError(target, `could not write the profile (--profile): ${reason}`, {
      cause: error,
    });
  }
}
