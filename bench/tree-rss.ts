/**
 * The resident memory of a process tree, for the benchmarks and the hostile suite that report
 * or bound what a run holds (Linux /proc; synchronous, so that a sampler is one timer).
 */
import { readdirSync, readFileSync } from "node:fs";

/** Resident memory (KB) of `root` and all its descendants now (Linux /proc). */
export function treeRssKb(root: number): number {
  const parent = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${entry}/status`, "utf8"))?.[1];
      rss.set(Number(entry), Number(kb ?? 0));
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  for (const [pid, kb] of rss) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p)) {
      if (p === root) {
        total += kb;
        break;
      }
    }
  }
  return total;
}
