/**
 * A fresh process's first search of a tree, for `bench/search.bench.ts`: CPU and wall
 * milliseconds of the index getting ready (read, check, load: `readSearchIndex`) and of the
 * first query then (`searchTree`, which for a typo builds the typo lookup first), as JSON.
 */
import { searchTree } from "../src/search/index.js";
import { readSearchIndex } from "../src/search/load-index.js";

const [dir, query] = process.argv.slice(2);

async function took(run: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await run();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 };
}

const ready = await took(() => readSearchIndex(dir!));
const first = await took(() => searchTree(dir!, query!));
console.log(JSON.stringify({ ready, first }));
