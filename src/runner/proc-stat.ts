/** What Linux's /proc says of a process: its state and its start time. */
import { readFileSync } from "node:fs";

/**
 * The state and start time of `pid` (or of its thread `tid`): fields 3 and 22 of its stat,
 * read after the name in parentheses, which may hold anything. Undefined once it is gone.
 */
export function readStat(
  pid: number,
  tid?: string,
): { state: string; started: string } | undefined {
  let stat: string;
  try {
    const file = tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`;
    stat = readFileSync(file, "latin1");
  } catch {
    return undefined;
  }
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { state: fields[0] ?? "", started: fields[19] ?? "" };
}
