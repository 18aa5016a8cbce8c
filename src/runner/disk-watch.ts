/**
 * Watches what a program adds to its copy of `workspace/` while it runs: bytes of files and
 * number of entries, polled (a walk of the copy, so at most one at a time, with a pause of at
 * least `intervalMs` and twice the last walk's time between two, so a big tree costs the host
 * a third of a core at most). The last word is the check after the program has ended,
 * before anything is copied back (`overLimit`), so a burst between two polls is caught too.
 */
import { workspaceUsage, type StagedWorkspace } from "./workspace.js";

/**
 * Entries a program may add to its workspace in one run, whatever their size: every poll, the
 * report of a failed run and the removal of its copy walk them all, so their number bounds
 * what the host spends on a program after its time is up.
 */
export const MAX_NEW_ENTRIES = 10_000;

const MB = 1024 * 1024;

export interface DiskWatch {
  stop(): void;
}

/** The message when `staged` is over `limitMb` now, else undefined. */
export async function overLimit(
  staged: StagedWorkspace,
  limitMb: number,
): Promise<string | undefined> {
  const usage = await workspaceUsage(staged, staged.before.size + MAX_NEW_ENTRIES);
  const added = usage.bytes - staged.bytesBefore;
  if (added > limitMb * MB) {
    return `the program was stopped: it added ${Math.round(added / MB)} MB to workspace/, over its limit of ${limitMb} MB (--max-workspace <MB>, or run.maxWorkspace in the config); its changes were not kept.`;
  }
  if (usage.entries - staged.before.size > MAX_NEW_ENTRIES) {
    return `the program was stopped: it made more than ${MAX_NEW_ENTRIES} files and folders in workspace/; its changes were not kept.`;
  }
  return undefined;
}

/** Calls `onExceeded` once with the message when the program passes its limit. */
export function watchDisk(
  staged: StagedWorkspace,
  limitMb: number,
  onExceeded: (message: string) => void,
  intervalMs = 100,
): DiskWatch {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const poll = async () => {
    const started = performance.now();
    const message = await overLimit(staged, limitMb).catch(() => undefined);
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
