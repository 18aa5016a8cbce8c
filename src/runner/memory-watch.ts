/**
 * Watches a process's resident memory from outside. The heap cap (`--max-old-space-size`) does
 * not count Buffers, so a program filling Buffers would otherwise grow without bound.
 */
import { readFile } from "node:fs/promises";

const PAGE_SIZE = 4096;

/** Resident bytes of `pid` (Linux /proc), or undefined when it cannot be read. */
async function residentBytes(pid: number): Promise<number | undefined> {
  try {
    const statm = await readFile(`/proc/${pid}/statm`, "utf8");
    const pages = Number(statm.split(" ")[1]);
    return Number.isFinite(pages) ? pages * PAGE_SIZE : undefined;
  } catch {
    return undefined;
  }
}

/** `pid` and every process below it (Linux /proc): bwrap, its init, the program's Node. */
export async function processTree(pid: number): Promise<number[]> {
  const found = [pid];
  for (let i = 0; i < found.length && found.length < 4096; i++) {
    const current = found[i]!;
    try {
      const text = await readFile(`/proc/${current}/task/${current}/children`, "utf8");
      for (const child of text.split(" ").filter(Boolean)) found.push(Number(child));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

export interface MemoryWatch {
  stop(): void;
}

/**
 * Polls the resident memory of `pids()` (summed) every `intervalMs`; calls `onExceeded` once
 * with the figure when it passes `limitBytes`. Without /proc (not Linux) it watches nothing.
 */
export function watchMemory(
  pids: () => Promise<readonly number[]>,
  limitBytes: number,
  onExceeded: (bytes: number) => void,
  intervalMs = 20,
): MemoryWatch {
  let stopped = false;
  let busy = false;
  const timer = setInterval(() => {
    if (busy || stopped) return;
    busy = true;
    void (async () => {
      let total = 0;
      for (const pid of await pids()) total += (await residentBytes(pid)) ?? 0;
      busy = false;
      if (!stopped && total > limitBytes) {
        stopped = true;
        clearInterval(timer);
        onExceeded(total);
      }
    })();
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
