/**
 * Watches a process's resident memory from outside. The heap cap (heap-cap.ts) does not count
 * Buffers, so a program filling Buffers would otherwise grow without bound.
 *
 * Its /proc files are read synchronously: a few bytes made up by the kernel, never a wait on
 * a disk, where a read through the thread pool took four round trips (see ARCHITECTURE.md).
 */
import { readFileSync } from "node:fs";

const PAGE_SIZE = 4096;

/** Resident bytes of `pid` (Linux /proc), or undefined when it cannot be read. */
function residentBytes(pid: number): number | undefined {
  try {
    const statm = readFileSync(`/proc/${pid}/statm`, "latin1");
    const pages = Number(statm.split(" ")[1]);
    return Number.isFinite(pages) ? pages * PAGE_SIZE : undefined;
  } catch {
    return undefined;
  }
}

export interface MemoryWatch {
  stop(): void;
}

/**
 * Polls the resident memory of `pids()` (summed) every `intervalMs`; calls `onExceeded` once
 * with the figure when it passes `limitBytes`. Without /proc (not Linux) it watches nothing.
 */
export function watchMemory(
  pids: () => readonly number[],
  limitBytes: number,
  onExceeded: (bytes: number) => void,
  intervalMs = 20,
): MemoryWatch {
  let stopped = false;
  const timer = setInterval(() => {
    if (stopped) return;
    let total = 0;
    for (const pid of pids()) total += residentBytes(pid) ?? 0;
    if (total > limitBytes) {
      stopped = true;
      clearInterval(timer);
      onExceeded(total);
    }
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
