/**
 * Watches what a program adds to its copy of `workspace/` while it runs: bytes of files and
 * number of entries, polled (a walk of the copy, so at most one at a time, with a pause of at
 * least `intervalMs` and twice the last walk's time between two, so a big tree costs the host
 * a third of a core at most), files the program removed but holds open included. The last word is the check after the program has ended,
 * before anything is copied back (`overLimit`), so a burst between two polls is caught too.
 */
import { opendirSync, readlinkSync, statSync, type Dir } from "node:fs";
import { workspaceUsage, type StagedWorkspace } from "./workspace.js";

/**
 * Entries a program may add to its workspace in one run, whatever their size: every poll, the
 * report of a failed run and the removal of its copy walk them all, so their number bounds
 * what the host spends on a program after its time is up.
 */
const MAX_NEW_ENTRIES = 10_000;

const MB = 1024 * 1024;

export interface DiskWatch {
  stop(): void;
}

/**
 * The message when `staged` is over `limitMb` now, else undefined. `pids`: the program's
 * processes, whose files removed while still open take disk space that no walk sees.
 */
export async function overLimit(
  staged: StagedWorkspace,
  limitMb: number,
  pids: readonly number[] = [],
): Promise<string | undefined> {
  const usage = await workspaceUsage(staged, staged.before.size + MAX_NEW_ENTRIES);
  const hidden = await openRemovedBytes(pids, staged.staging);
  const added = usage.bytes + hidden - staged.bytesBefore;
  if (added > limitMb * MB) {
    return `the program was stopped: it added ${Math.round(added / MB)} MB to workspace/, over its limit of ${limitMb} MB (--max-workspace <MB>, or run.maxWorkspace in the config); its changes were not kept.`;
  }
  if (usage.unreadable > 0) {
    return "the program was stopped: it made entries in workspace/ that the runner cannot read (a path longer than the system allows?); its changes were not kept.";
  }
  if (usage.entries - staged.before.size > MAX_NEW_ENTRIES) {
    return `the program was stopped: it made more than ${MAX_NEW_ENTRIES} files and folders in workspace/; its changes were not kept.`;
  }
  return undefined;
}

/**
 * Descriptors looked at between two turns of the event loop. /proc is read synchronously (as
 * in memory-watch.ts); a program holding many descriptors open still cannot stall the host,
 * which yields after each batch.
 */
const DESCRIPTORS_PER_TURN = 256;

/**
 * Bytes of the files under `folder` that `pids` hold open after removing them (Linux /proc:
 * the link of such a descriptor ends in " (deleted)", and stat through it still answers).
 */
async function openRemovedBytes(pids: readonly number[], folder: string): Promise<number> {
  const seen = new Set<string>();
  let bytes = 0;
  for (const pid of pids) {
    let descriptors: Dir;
    try {
      descriptors = opendirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone meanwhile
    }
    try {
      for (let looked = 1; ; looked++) {
        const entry = descriptors.readSync();
        if (entry === null) break;
        bytes += removedFileBytes(`/proc/${pid}/fd/${entry.name}`, folder, seen);
        if (looked % DESCRIPTORS_PER_TURN === 0) await new Promise(setImmediate);
      }
    } catch {
      // the process ended while its descriptors were read
    } finally {
      descriptors.closeSync();
    }
  }
  return bytes;
}

/** The size of the removed file under `folder` that `link` (a descriptor's) names, once per file. */
function removedFileBytes(link: string, folder: string, seen: Set<string>): number {
  try {
    const target = readlinkSync(link);
    if (!target.startsWith(`${folder}/`) || !target.endsWith(" (deleted)")) return 0;
    const stat = statSync(link);
    const file = `${stat.dev}:${stat.ino}`;
    if (!stat.isFile() || seen.has(file)) return 0;
    seen.add(file);
    return stat.size;
  } catch {
    return 0; // closed meanwhile
  }
}

/** Calls `onExceeded` once with the message when the program passes its limit. */
export function watchDisk(
  staged: StagedWorkspace,
  limitMb: number,
  onExceeded: (message: string) => void,
  pids: () => readonly number[] = () => [],
  intervalMs = 25,
): DiskWatch {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const poll = async () => {
    const started = performance.now();
    const message = await overLimit(staged, limitMb, pids()).catch(() => undefined);
    if (stopped) return;
    if (message !== undefined) {
      stopped = true;
      onExceeded(message);
      return;
    }
    const walkMs = performance.now() - started;
    timer = setTimeout(() => void poll(), Math.max(intervalMs, 2 * walkMs));
    timer.unref();
  };
  timer = setTimeout(() => void poll(), intervalMs);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
