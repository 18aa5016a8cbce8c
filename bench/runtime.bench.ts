/**
 * `npm run bench:runtime`: what `callMcpTool` costs over a bare SDK call. Against one fixture
 * server (the `echo` tool of fixtures/servers/flaky.mjs), 2,000 sequential warm calls through
 * `callMcpTool` (config lookup, pool, drift and output checks, result shaping) and 2,000
 * through `connection.request("tools/call")` on a connection of its own opened with `connect()`
 * (the SDK's request with our error translation, no result shaping), interleaved call
 * by call in rounds so that the machine's noise hits both alike; medians per call. Target:
 * callMcpTool ≤ 1.10 × raw.
 */
import * as path from "node:path";
import { z } from "zod";
import { fileURLToPath } from "node:url";
import { resolveConfig } from "../src/config/index.js";
import { connect } from "../src/connect/index.js";
import { callMcpTool, closeConnections, setRuntimeConfig } from "../src/runtime/index.js";
import { median } from "./median.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const fixture = path.join(root, "fixtures", "servers", "flaky.mjs");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CALLS = Number(process.env.BENCH_CALLS ?? 400);
const WARMUP = 300;
const TARGET = 1.1;

const config = resolveConfig(
  { servers: { bench: { command: process.execPath, args: [fixture] } } },
  { root, cwd: root, env: {} },
);
setRuntimeConfig(config);
const input = { message: "hello" };

const runtimeCall = () => callMcpTool("bench", "echo", input);
const raw = await connect(config.servers[0]!);
const rawCall = () => raw.request("tools/call", { name: "echo", arguments: input }, z.unknown());

/**
 * Runs `count` calls each way in sequence, alternating between the two call by call, so that a
 * slow moment of this shared machine hits both alike; returns each call's duration in µs.
 */
async function timeBoth(count: number): Promise<{ runtime: number[]; raw: number[] }> {
  const durations = { runtime: [] as number[], raw: [] as number[] };
  for (let i = 0; i < count; i++) {
    // Which goes first also alternates, so that neither always follows the other.
    for (const which of i % 2 === 0
      ? (["runtime", "raw"] as const)
      : (["raw", "runtime"] as const)) {
      const start = performance.now();
      await (which === "runtime" ? runtimeCall() : rawCall());
      durations[which].push((performance.now() - start) * 1000);
    }
  }
  return durations;
}

await timeBoth(WARMUP);
const all = { runtime: [] as number[], raw: [] as number[] };
const rounds: Array<{ runtime: number; raw: number }> = [];
for (let round = 0; round < ROUNDS; round++) {
  const durations = await timeBoth(CALLS);
  all.runtime.push(...durations.runtime);
  all.raw.push(...durations.raw);
  rounds.push({ runtime: median(durations.runtime), raw: median(durations.raw) });
}
await closeConnections();
await raw.close();

const runtimeUs = median(all.runtime);
const rawUs = median(all.raw);
const ratio = runtimeUs / rawUs;
console.log(
  `callMcpTool vs connection.request, node ${process.version}, ${ROUNDS} rounds × ${CALLS} calls each way, median µs per call`,
);
console.log("| round | callMcpTool | connection.request | ratio |");
console.log("| --- | ---: | ---: | ---: |");
rounds.forEach((r, i) =>
  console.log(
    `| ${i + 1} | ${r.runtime.toFixed(1)} | ${r.raw.toFixed(1)} | ${(r.runtime / r.raw).toFixed(3)} |`,
  ),
);
console.log(`| all | ${runtimeUs.toFixed(1)} | ${rawUs.toFixed(1)} | ${ratio.toFixed(3)} |`);
const ok = ratio <= TARGET;
console.log(`\ncallMcpTool within ${TARGET.toFixed(2)} × raw: ${ok ? "yes" : "NO"}`);
process.exitCode = ok ? 0 : 1;
