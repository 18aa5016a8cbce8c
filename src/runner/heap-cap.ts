/**
 * How the program's Node gets its heap cap (the run's `--memory`).
 *
 * `--max-old-space-size` would do, but it is a V8 flag, and any V8 flag changes the hash V8
 * checks a code cache against. Node compiles its own modules from a code cache built with no
 * flag: under one, every built-in module the sandbox loads compiles from scratch instead
 * (`require("node:net")`: 1.9 ms, 6.5 ms with the flag), ~8 ms of each run's start-up.
 *
 * Without the flag, Node sizes the heap from the machine's memory, as it does in a container:
 * V8 takes half of `/proc/meminfo`'s MemTotal for its old generation, from 256 MB up to 2 GB
 * (Node 20, measured). So the sandbox's `/proc/meminfo`, bound over the real one, says twice
 * the cap. A cap outside that range, or a Node whose V8 was not measured, takes the flag.
 * Either way the runner's memory watch (memory-watch.ts) holds every process of the run to
 * the limit; the heap cap is what makes V8 collect its garbage before it gets there.
 */

/** The Node majors whose heap sizing from MemTotal is measured (test/runner/run.test.ts). */
const MEASURED_NODE_MAJORS = [20];
const MIN_HEAP_MB = 256;
const MAX_HEAP_MB = 2048;

export type HeapCap =
  /** The text of the sandbox's /proc/meminfo. */
  | { readonly meminfo: string }
  /** The V8 flag to start Node with. */
  | { readonly flag: string };

export function heapCap(
  heapMb: number,
  nodeMajor = Number(process.versions.node.split(".")[0]),
): HeapCap {
  const sizedByMemory =
    MEASURED_NODE_MAJORS.includes(nodeMajor) && heapMb >= MIN_HEAP_MB && heapMb <= MAX_HEAP_MB;
  return sizedByMemory
    ? { meminfo: meminfoText(2 * heapMb) }
    : { flag: `--max-old-space-size=${heapMb}` };
}

/**
 * A /proc/meminfo of `totalMb`, all of it free: the lines libuv reads (`os.totalmem()`,
 * `os.freemem()`), which is also all the program learns of the machine's memory.
 */
function meminfoText(totalMb: number): string {
  const kb = `${totalMb * 1024} kB`.padStart(16);
  return ["MemTotal:", "MemFree:", "MemAvailable:"]
    .map((name) => `${name.padEnd(14)}${kb}\n`)
    .join("");
}
