/** What Linux's /proc says of a process: its state, its parent and its start time. */
import { existsSync, readFileSync } from "node:fs";

/**
 * The state, parent and start time of `pid` (or of its thread `tid`): fields 3, 4 and 22 of
 * its stat, read after the name in parentheses, which may hold anything. Undefined once gone.
 */
export function readStat(
  pid: number,
  tid?: string,
): { state: string; parent: number; started: string } | undefined {
  let stat: string;
  try {
    const file = tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`;
    stat = readFileSync(file, "latin1");
  } catch {
    return undefined;
  }
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { state: fields[0] ?? "", parent: Number(fields[1]), started: fields[19] ?? "" };
}

/** Z (zombie) and X (dead): a process or thread in either can no longer run. */
export function hasEnded(state: string): boolean {
  return state === "Z" || state === "X";
}

/**
 * This process as others can tell it from a later one given the same pid: `<pid> <start>`.
 * What a lock or a note records of its owner.
 */
export function ownStamp(): string {
  return `${process.pid} ${readStat(process.pid)?.started ?? ""}`;
}

/**
 * Whether the process a stamp (`ownStamp`) names still runs: the same pid with the same start
 * time, not a zombie. Without /proc (not Linux), whether the pid answers at all.
 */
export function stampRuns(stamp: string): boolean {
  const [pid = "", started = ""] = stamp.split(" ");
  const pidNumber = Number(pid);
  if (!Number.isInteger(pidNumber) || pidNumber <= 0) return false;
  const now = readStat(pidNumber);
  if (now !== undefined) return now.started === started && !hasEnded(now.state);
  if (existsSync("/proc/self/stat")) return false;
  try {
    process.kill(pidNumber, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}
